// Package store keeps Baton's durable state in SQLite: goose migrations
// embedded in the binary, one writer connection fed by a group-commit loop
// (one fsync per batch, a SAVEPOINT per turn), a read-only pool, and a
// bounded write-through cache of hot conversations. It imports fsm for the
// conversation type and nothing else of Baton.
//
// Errors are logged by their callers, so they never carry personal data: no
// user key (the caller knows whom it asked about), utterance, contact or
// intake value. Where an id helps they name handoff, ticket, timer or turn
// ids, which are not personal.
package store
