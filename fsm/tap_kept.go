package fsm

import (
	"crypto/sha256"
	"encoding/base64"
	"strconv"
)

// optionHash is the fingerprint a menu option's taps carry in Tap.H: the
// menu id, the option id, its label and its action (kind and target). A
// text option's text is left out: like an FAQ answer it is content, and a
// reload that rewords it does not change what the option means. 8
// characters (48 bits) are plenty to tell an option from its own older
// versions.
func optionHash(menuID string, o *option) string {
	h := sha256.New()
	target := o.target
	if o.kind == optText {
		target = ""
	}
	for _, s := range [...]string{menuID, o.id, o.label, strconv.Itoa(int(o.kind)), target} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	var sum [sha256.Size]byte
	return base64.RawURLEncoding.EncodeToString(h.Sum(sum[:0])[:6])
}

// keptTap reports whether a tap built from another config version still
// picks the same thing in this one: it was made in the state the turn
// started in, its menu and option exist here, and the option's label and
// action are unchanged (Tap.H matches). Such a tap is answered as a normal
// tap; any other tap from an older bubble stays stale (t.stale). A reload
// that only changes FAQ answers, other menus or texts keeps every menu tap.
func (t *turn) keptTap(tp *Tap) bool {
	if tp == nil || tp.H == "" || tp.S != t.start {
		return false
	}
	m, ok := t.e.menus[tp.N]
	if !ok {
		return false
	}
	o, ok := m.byID[tp.O]
	return ok && o.hash == tp.H
}
