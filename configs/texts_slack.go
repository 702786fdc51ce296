package configs

import "strings"

// validateSlackTicketTexts checks the Slack ticket prefixes
// (texts.slack_ticket_*) and the Slack message labels (texts.slack_*): a
// blank prefix would open the agents' message with nothing saying what
// happened, a blank label leave a code, an id or a link unnamed.
func (t *tree) validateSlackTicketTexts(c *Config) {
	x := c.Texts
	for _, l := range []struct{ key, val string }{
		{"slack_ticket_message", x.SlackTicketMessage}, {"slack_ticket_dealer_failed", x.SlackTicketDealerFailed},
		{"slack_ticket_router_poison", x.SlackTicketRouterPoison}, {"slack_ticket_no_sink", x.SlackTicketNoSink},
		{"slack_ticket_notify_failed", x.SlackTicketNotifyFailed},
		{"slack_ticket_unknown", x.SlackTicketUnknown},
		{"slack_handoff", x.SlackHandoff}, {"slack_queue", x.SlackQueue}, {"slack_handoff_code", x.SlackHandoffCode},
		{"slack_ticket_code", x.SlackTicketCode}, {"slack_ticket_id", x.SlackTicketID}, {"slack_reason", x.SlackReason},
		{"slack_test", x.SlackTest}, {"slack_accept", x.SlackAccept}, {"slack_accept_link", x.SlackAcceptLink},
		{"slack_end", x.SlackEnd}, {"slack_end_link", x.SlackEndLink},
		{"slack_contact_sms", x.SlackContactSMS}, {"slack_contact_chat", x.SlackContactChat},
		{"slack_has_contact", x.SlackHasContact},
		{"slack_origin_faq", x.SlackOriginFAQ}, {"slack_origin_no_match", x.SlackOriginNoMatch},
		{"slack_origin_menu", x.SlackOriginMenu}, {"slack_origin_complaint", x.SlackOriginComplaint},
		{"slack_origin_keyword", x.SlackOriginKeyword}, {"slack_origin_wait_timeout", x.SlackOriginWaitTimeout},
		{"slack_origin_max_waiting", x.SlackOriginMaxWaiting}, {"slack_origin_after_hours", x.SlackOriginAfterHours},
		{"slack_closed", x.SlackClosed}, {"slack_closed_cancelled", x.SlackClosedCancelled},
		{"slack_closed_wait_timeout", x.SlackClosedWaitTimeout}, {"slack_closed_not_connected", x.SlackClosedNotConnected},
		{"slack_closed_returned", x.SlackClosedReturned}, {"slack_closed_superseded", x.SlackClosedSuperseded},
		{"slack_closed_idle", x.SlackClosedIdle}, {"slack_closed_ended", x.SlackClosedEnded},
		{"slack_closed_other", x.SlackClosedOther}, {"slack_closed_accepted", x.SlackClosedAccepted},
	} {
		if strings.TrimSpace(l.val) == "" {
			t.errAt(path{"texts", l.key}, "texts.%s is blank: leave it out for the default, or write the text", l.key)
		}
	}
}
