// Package store keeps Baton's durable state in SQLite: goose migrations
// embedded in the binary, one writer connection fed by a group-commit loop
// (one fsync per batch, a SAVEPOINT per turn), a read-only pool, and a
// bounded write-through cache of hot conversations. It imports fsm for the
// conversation type and nothing else of Baton.
package store
