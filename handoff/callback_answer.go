package handoff

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ErrCallbackRefused is returned by CallbackClient.Post when Kakao answered
// the callback POST with a status other than SUCCESS (FAIL, ERROR): the
// user did not get the reply.
var ErrCallbackRefused = errors.New("handoff: callback refused by kakao")

// maxRefusalMessage caps how much of Kakao's message goes into the error.
const maxRefusalMessage = 200

// callbackAnswer is Kakao's answer to a callback POST (spec §5):
// {"taskId","status":"SUCCESS"|"FAIL"|"ERROR","message","timestamp"}.
type callbackAnswer struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

// callbackRefusal reads a 2xx answer leniently: an empty or unparsable body,
// or one without a string status, is a success; a status other than SUCCESS
// is an error wrapping ErrCallbackRefused with Kakao's status and message
// (never the URL or the task id).
func callbackRefusal(body []byte) error {
	var raw map[string]json.RawMessage
	if json.Unmarshal(body, &raw) != nil {
		return nil
	}
	var a callbackAnswer
	if json.Unmarshal(raw["status"], &a.Status) != nil || a.Status == "" || strings.EqualFold(a.Status, "SUCCESS") {
		return nil
	}
	_ = json.Unmarshal(raw["message"], &a.Message)
	return fmt.Errorf("%w: status %q: %q", ErrCallbackRefused, clip(a.Status, 20), clip(a.Message, maxRefusalMessage))
}

// clip cuts s to at most n bytes on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
