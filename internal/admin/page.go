package admin

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v5"

	"github.com/baton-chat/baton/store"
)

// Paging of the admin list endpoints (GET /admin/tickets, /admin/handoffs,
// /admin/access-log, /admin/reloads, and the turns of
// /admin/conversations/:key): ?limit= rows (default 100; 50 turns; at most
// 500), ?order=asc or desc, and ?cursor=, the opaque next_cursor of the page
// before. A cursor is a keyset position (the last row's sort key), not an
// offset, so rows written between two pages neither repeat nor shift a row
// out of the listing.

// listPage is one list request's paging.
type listPage struct {
	list  string // the list a cursor belongs to, e.g. "tickets"
	limit int
	desc  bool
	after store.Key
}

// cursorBody is what a cursor carries, as base64url (unpadded) JSON: the
// list and order it continues, and the last row's position.
type cursorBody struct {
	List  string `json:"l"`
	Order string `json:"o"`
	N     int64  `json:"n,omitempty"`
	S     string `json:"s,omitempty"`
}

// orderName is the ?order= value of desc.
func orderName(desc bool) string {
	if desc {
		return "desc"
	}
	return "asc"
}

// readPage reads ?limit= (default defLimit), ?order= (default desc) and
// ?cursor= for list. The error names the parameter at fault; the caller
// answers 400 with it.
func readPage(c *echo.Context, list string, desc bool, defLimit int) (listPage, error) {
	p := listPage{list: list, desc: desc}
	var err error
	if p.limit, err = limitOr(c, defLimit); err != nil {
		return p, err
	}
	switch o := c.QueryParam("order"); o {
	case "":
	case "asc", "desc":
		p.desc = o == "desc"
	default:
		return p, errors.New(`order must be "asc" or "desc"`)
	}
	s := c.QueryParam("cursor")
	if s == "" {
		return p, nil
	}
	var b cursorBody
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(raw, &b)
	}
	if err != nil || b.List != list || (b.Order != "asc" && b.Order != "desc") || (b.N == 0 && b.S == "") {
		return p, fmt.Errorf("cursor is not a next_cursor of GET /admin/%s", list)
	}
	if o := c.QueryParam("order"); o != "" && o != b.Order {
		return p, fmt.Errorf("cursor continues order=%s; leave order out or give that one", b.Order)
	}
	p.desc, p.after = b.Order == "desc", store.Key{N: b.N, S: b.S}
	return p, nil
}

// fetch is how many rows the store is asked for: one more than the page, to
// tell whether another page follows.
func (p listPage) fetch() int { return p.limit + 1 }

// pageOf trims rows, read with p.fetch(), to p's page. When more rows
// follow, it returns the cursor of the next page (after the last row kept,
// whose position key gives) and sets the Link rel="next" header to this
// request with that cursor; otherwise it returns "".
func pageOf[T any](c *echo.Context, p listPage, rows []T, key func(T) store.Key) ([]T, string) {
	if len(rows) <= p.limit {
		return rows, ""
	}
	rows = rows[:p.limit]
	k := key(rows[len(rows)-1])
	raw, _ := json.Marshal(cursorBody{List: p.list, Order: orderName(p.desc), N: k.N, S: k.S}) // cannot fail
	next := base64.RawURLEncoding.EncodeToString(raw)
	u := *c.Request().URL
	q := u.Query()
	q.Del("before") // the cursor carries the position
	q.Set("cursor", next)
	c.Response().Header().Add("Link", "<"+u.EscapedPath()+"?"+q.Encode()+`>; rel="next"`)
	return rows, next
}

// pageJSON answers a page: body with "next_cursor" added when another page
// follows.
func pageJSON(c *echo.Context, body map[string]any, next string) error {
	if next != "" {
		body["next_cursor"] = next
	}
	return c.JSON(http.StatusOK, body)
}
