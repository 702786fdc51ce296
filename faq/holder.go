package faq

import "sync/atomic"

// Holder serves Decide from the current Index and swaps in a new one when
// the config changes: Rebuild builds the new index off the hot path and
// publishes it atomically, so turns never wait for a rebuild and always
// see one whole index. The zero Holder has no index and answers NoMatch.
type Holder struct {
	cur atomic.Pointer[Index]
}

// NewHolder returns a Holder serving ix.
func NewHolder(ix *Index) *Holder {
	h := &Holder{}
	h.cur.Store(ix)
	return h
}

// Index returns the index in use (nil before the first Store or Rebuild).
func (h *Holder) Index() *Index { return h.cur.Load() }

// Store publishes ix.
func (h *Holder) Store(ix *Index) { h.cur.Store(ix) }

// Rebuild builds an index from entries and opts and publishes it. On error
// the current index stays in use and the error (from New) is returned.
func (h *Holder) Rebuild(entries []Entry, opts Options) error {
	ix, err := New(entries, opts)
	if err != nil {
		return err
	}
	h.cur.Store(ix)
	return nil
}

// Decide is Index.Decide on the current index; NoMatch when there is none.
func (h *Holder) Decide(query, category string) Decision {
	ix := h.cur.Load()
	if ix == nil {
		return Decision{Kind: NoMatch}
	}
	return ix.Decide(query, category)
}

var (
	_ Matcher = (*Index)(nil)
	_ Matcher = (*Holder)(nil)
)
