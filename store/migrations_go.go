package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/pressly/goose/v3"
)

// The embedded migrations/NNNNN_name.sql files are handed to goose as Go
// migrations whose functions run each file's Up (or Down) section as one
// Exec: SQLite runs a multi-statement string statement by statement. goose
// still owns the version table and the order; only the parsing of the files
// is Baton's. goose's own SQL parser takes a 4 MB buffer from a sync.Pool for
// every line it reads; each start of Baton on a new database parsed the
// ≈ 500 lines of the migrations with ≈ 1 GB of zeroed buffers under the race
// detector (which drops a quarter of a pool's Puts), ≈ 200 ms of CPU per
// open, paid by every test that opens a store.
//
// The files keep goose's format. The only annotations accepted are
// "-- +goose Up" and "-- +goose Down"; a file with another one (StatementBegin,
// NO TRANSACTION, ENVSUB …) is refused at start, naming the file and line,
// rather than being run differently from what the annotation asks.

// goMigrations returns the migrations of fsys (the migrations directory) as
// goose Go migrations, ordered by version.
func goMigrations(fsys fs.FS) ([]*goose.Migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	sort.Strings(names)
	out := make([]*goose.Migration, 0, len(names))
	seen := make(map[int64]string, len(names))
	for _, name := range names {
		num, _, ok := strings.Cut(name, "_")
		version, err := strconv.ParseInt(num, 10, 64)
		if !ok || err != nil || version < 1 {
			return nil, fmt.Errorf("store: migration %s: the name must start with a positive version and '_'", name)
		}
		if prev, dup := seen[version]; dup {
			return nil, fmt.Errorf("store: migrations %s and %s share version %d", prev, name, version)
		}
		seen[version] = name
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("store: migration %s: %w", name, err)
		}
		up, down, err := splitMigration(path.Base(name), string(body))
		if err != nil {
			return nil, err
		}
		out = append(out, goose.NewGoMigration(version, execSection(up), execSection(down)))
	}
	return out, nil
}

// execSection returns the goose function that runs stmts in the
// migration's transaction, or nil for an empty section (goose then only
// records the version).
func execSection(stmts string) *goose.GoFunc {
	if strings.TrimSpace(stmts) == "" {
		return nil
	}
	return &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, stmts)
		return err
	}}
}

// splitMigration returns the Up and Down sections of a goose SQL migration.
// Text before the first annotation may only be blank lines and comments.
func splitMigration(name, body string) (up, down string, err error) {
	var b [2]strings.Builder
	section := -1 // 0 up, 1 down
	for i, line := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
		trimmed := strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(trimmed, "--"); ok && strings.HasPrefix(strings.TrimSpace(rest), "+goose") {
			switch strings.Join(strings.Fields(strings.TrimSpace(rest)), " ") {
			case "+goose Up":
				if section != -1 {
					return "", "", fmt.Errorf("store: migration %s:%d: a second or late '-- +goose Up'", name, i+1)
				}
				section = 0
			case "+goose Down":
				if section != 0 {
					return "", "", fmt.Errorf("store: migration %s:%d: '-- +goose Down' before '-- +goose Up' or twice", name, i+1)
				}
				section = 1
			default:
				return "", "", fmt.Errorf("store: migration %s:%d: unsupported annotation %q (only '-- +goose Up' and '-- +goose Down')", name, i+1, trimmed)
			}
			continue
		}
		if section == -1 {
			if trimmed != "" && !strings.HasPrefix(trimmed, "--") {
				return "", "", fmt.Errorf("store: migration %s:%d: SQL before '-- +goose Up'", name, i+1)
			}
			continue
		}
		b[section].WriteString(line)
		b[section].WriteByte('\n')
	}
	if section == -1 {
		return "", "", fmt.Errorf("store: migration %s: no '-- +goose Up' section", name)
	}
	return b[0].String(), b[1].String(), nil
}
