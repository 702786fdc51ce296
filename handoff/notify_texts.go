package handoff

import "github.com/baton-chat/baton/configs"

// SetSinkTexts makes the Slack sinks among sinks read their texts (the
// ticket prefixes, texts.slack_ticket_*) from texts, called for each
// message so that a reload applies. Other sinks send no text and are left
// as they are.
func SetSinkTexts(sinks []Sink, texts func() configs.Texts) {
	for _, s := range sinks {
		if slack, ok := s.(*SlackSink); ok {
			slack.Texts = texts
		}
	}
}

// texts returns the texts s writes: the config's, or the Korean defaults.
func (s *SlackSink) texts() configs.Texts {
	if s.Texts != nil {
		return s.Texts()
	}
	return configs.DefaultTexts()
}
