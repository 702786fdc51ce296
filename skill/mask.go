package skill

import "github.com/baton-chat/baton/pii"

// Mask replaces personal data in s with asterisks before it is stored or
// forwarded; see pii.Mask.
func Mask(s string) string { return pii.Mask(s) }
