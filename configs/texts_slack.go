package configs

import "strings"

// validateSlackTicketTexts checks the Slack ticket prefixes
// (texts.slack_ticket_*): a blank one would open the agents' message with
// nothing saying what happened.
func (t *tree) validateSlackTicketTexts(c *Config) {
	x := c.Texts
	for _, l := range []struct{ key, val string }{
		{"slack_ticket_message", x.SlackTicketMessage}, {"slack_ticket_dealer_failed", x.SlackTicketDealerFailed},
		{"slack_ticket_router_poison", x.SlackTicketRouterPoison}, {"slack_ticket_no_sink", x.SlackTicketNoSink},
		{"slack_ticket_unknown", x.SlackTicketUnknown},
	} {
		if strings.TrimSpace(l.val) == "" {
			t.errAt(path{"texts", l.key}, "texts.%s is blank: leave it out for the default, or write the text", l.key)
		}
	}
}
