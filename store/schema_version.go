package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/pressly/goose/v3"
)

// ErrSchemaTooNew is returned by Open when the database was migrated by a
// newer baton than this binary: serving on a schema it does not know would
// fail turns one by one instead of once at start.
var ErrSchemaTooNew = errors.New("database schema is newer than this binary")

// checkSchemaVersion refuses a database whose goose version is above the
// highest embedded migration. It returns an error wrapping ErrSchemaTooNew
// that names both versions, or a wrapped read error.
func checkSchemaVersion(ctx context.Context, p *goose.Provider) error {
	dbVersion, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("store: read schema version: %w", err)
	}
	var known int64
	for _, src := range p.ListSources() {
		known = max(known, src.Version)
	}
	if dbVersion > known {
		return fmt.Errorf("store: %w: database schema %d is newer than this binary's %d: upgrade baton or restore a backup",
			ErrSchemaTooNew, dbVersion, known)
	}
	return nil
}
