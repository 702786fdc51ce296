package main

import "github.com/baton-chat/baton/configs"

// dealerEventsConfig is cfg as the dealer-event handler should see it after
// a reload: cfg's queues (which queue a dealer's sessions open in) with the
// dealers serve started with (start), whose secrets a reload does not
// change (dealers are read only at start-up).
func dealerEventsConfig(start, cfg *configs.Config) *configs.Config {
	c := *cfg
	c.Dealers = start.Dealers
	return &c
}
