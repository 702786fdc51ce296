package configs

import (
	"regexp"
	"strings"
)

// LinkCodePlaceholder is replaced by the handoff code in the link page
// texts (texts.link_*).
const LinkCodePlaceholder = "{code}"

// LinkQueuePlaceholder is replaced by the handoff's queue in the page a
// link's GET shows (texts.link_confirm_*).
const LinkQueuePlaceholder = "{queue}"

// placeholderRE finds {placeholders} in a text: a name in braces, led by a
// letter ({code}, {retention.turns}, a typo such as {nxt} or {코드}), or
// {hours.<queue>}, whose queue name may hold "-" ({hours.vip-line}). Other
// braced text — an emoticon {^_^;}, a range {1~5} — is text, sent as
// written.
var placeholderRE = regexp.MustCompile(`\{(?:hours\.[a-z0-9_-]+|[\p{L}_][\p{L}\p{N}_.]*)\}`)

// validateLinkTexts checks the accept/end link page texts: the pages fill
// only {code}, and only in the texts about one handoff (and {queue} in the
// page of a GET, link_confirm_*), so any other placeholder would reach the
// agent as written. A text about one handoff
// without {code} is a warning: agents tell handoffs apart by their code.
func (t *tree) validateLinkTexts(c *Config) {
	x := c.Texts
	for _, l := range []struct {
		key, val    string
		code, queue bool
	}{
		{"link_title", x.LinkTitle, false, false}, {"link_invalid", x.LinkInvalid, false, false},
		{"link_unknown", x.LinkUnknown, false, false}, {"link_retry", x.LinkRetry, false, false},
		{"link_accepted", x.LinkAccepted, true, false}, {"link_ended", x.LinkEnded, true, false},
		{"link_taken", x.LinkTaken, true, false}, {"link_not_waiting", x.LinkNotWaiting, true, false},
		{"link_accepted_failed_over", x.LinkAcceptedFailedOver, true, false}, {"link_taken_failed_over", x.LinkTakenFailedOver, true, false},
		{"link_user_cancelled", x.LinkUserCancelled, true, false}, {"link_wait_timed_out", x.LinkWaitTimedOut, true, false},
		{"link_user_returned", x.LinkUserReturned, true, false}, {"link_superseded", x.LinkSuperseded, true, false},
		{"link_agent_ended", x.LinkAgentEnded, true, false}, {"link_already_ended", x.LinkAlreadyEnded, true, false},
		{"link_confirm_waiting", x.LinkConfirmWaiting, true, true}, {"link_confirm_taken", x.LinkConfirmTaken, true, true},
		{"link_accept_button", x.LinkAcceptButton, false, false}, {"link_end_button", x.LinkEndButton, false, false},
	} {
		at := path{"texts", l.key}
		if strings.TrimSpace(l.val) == "" {
			t.errAt(at, "texts.%s is blank: leave it out for the default, or write the text", l.key)
			continue
		}
		for _, p := range placeholderRE.FindAllString(l.val, -1) {
			switch {
			case p == LinkCodePlaceholder && l.code:
			case p == LinkQueuePlaceholder && l.queue:
			case p == LinkCodePlaceholder:
				t.errAt(at, "texts.%s cannot use %s: this page names no handoff", l.key, p)
			case l.queue:
				t.errAt(at, "texts.%s has the unknown placeholder %s: only %s (the handoff code) and %s are filled in", l.key, p, LinkCodePlaceholder, LinkQueuePlaceholder)
			case l.code:
				t.errAt(at, "texts.%s has the unknown placeholder %s: only %s (the handoff code) is filled in", l.key, p, LinkCodePlaceholder)
			default:
				t.errAt(at, "texts.%s has the placeholder %s: this page fills none", l.key, p)
			}
		}
		if l.code && !strings.Contains(l.val, LinkCodePlaceholder) {
			t.warnAt(at, "texts.%s has no %s: the agent cannot tell which handoff the page is about", l.key, LinkCodePlaceholder)
		}
	}
}
