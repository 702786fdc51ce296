package configs

// Tickets configures the messages users leave out of hours (or when a queue
// is full).
type Tickets struct {
	// AskContact asks once for a number to call back ("연락받을 번호") after
	// the message. The number is stored encrypted and kept for
	// retention.contacts.
	AskContact bool `yaml:"ask_contact"`
}
