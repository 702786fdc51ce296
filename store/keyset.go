package store

import "strings"

// Key is a row's position in a keyset-paged list: the values of the columns
// the list is ordered by, last row first. A list ordered by a time and an id
// uses both fields (N the time in unix ms, S the id); a list ordered by one
// text id uses S, one ordered by an integer row id uses N. The zero Key is
// the start of the list.
type Key struct {
	N int64
	S string
}

// IsZero reports whether k is the start of a list.
func (k Key) IsZero() bool { return k == Key{} }

// keyset returns the SQL that pages a list ordered by numCol and then strCol
// (either may be empty, not both): a WHERE term selecting the rows strictly
// after the position after in that order (empty for the zero Key), its
// arguments, and the ORDER BY clause. Rows inserted between two pages
// therefore never shift a page the way OFFSET does: each row is listed at
// most once, and a row that sorts after the position is listed on a later
// page.
func keyset(numCol, strCol string, desc bool, after Key) (where string, args []any, order string) {
	var cols []string
	var vals []any
	if numCol != "" {
		cols, vals = append(cols, numCol), append(vals, after.N)
	}
	if strCol != "" {
		cols, vals = append(cols, strCol), append(vals, after.S)
	}
	cmp, dir := ">", ""
	if desc {
		cmp, dir = "<", " DESC"
	}
	order = strings.Join(cols, dir+", ") + dir
	if after.IsZero() {
		return "", nil, order
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")
	return "(" + strings.Join(cols, ", ") + ") " + cmp + " (" + marks + ")", vals, order
}
