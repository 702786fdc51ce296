package skill

import "strings"

// keyFreeError is an error whose message has the user key replaced by
// "<user>": the store and the engine name the user in their errors, and the
// turn's errors are logged (logs never carry user keys). Unwrap keeps
// errors.Is and errors.As working.
type keyFreeError struct {
	msg string
	err error
}

func (e *keyFreeError) Error() string { return e.msg }
func (e *keyFreeError) Unwrap() error { return e.err }

// withoutUserKey returns err with key removed from its message; nil and
// errors that do not name key are returned as they are.
func withoutUserKey(err error, key string) error {
	if err == nil || key == "" || !strings.Contains(err.Error(), key) {
		return err
	}
	return &keyFreeError{msg: strings.ReplaceAll(err.Error(), key, "<user>"), err: err}
}
