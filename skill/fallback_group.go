package skill

// GroupFallback returns the stateless error bubble for a group (team) chat:
// a simpleText of text without the operator button Fallback carries, since
// group chats never escalate (DESIGN §3 step 2). It always succeeds, like
// TextResponse: over-long text is truncated and blank text replaced by a
// Korean default.
func GroupFallback(text string) []byte { return TextResponse(text) }

// fallbackFor is the bundle's fallback bubble for a turn in a group chat
// (group) or not.
func (b *bundle) fallbackFor(group bool) []byte {
	if group {
		return b.groupFallback
	}
	return b.fallback
}
