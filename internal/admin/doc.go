// Package admin is Baton's admin API on --admin-addr (DESIGN §8): token auth
// with the roles master and manager, handoffs, tickets, conversations (every
// transcript read written to the access log), user erasure, hours override
// and config reload with its history.
//
// It serves JSON only and answers errors as {"error": "..."}. It never logs
// user keys, utterances or tokens. It imports store, handoff and configs;
// nothing but cmd/baton imports it. Tickets and hours overrides are consumed
// through the small interfaces Tickets and Hours.
package admin
