package fsm

import (
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
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

// pagesHash is the fingerprint a menu's paging taps (더보기) carry in
// Tap.H: the menu id and its option ids in order. They fix how the options
// fall on pages, so page N still holds the options the user has not seen
// yet. A renamed label, a new action, FAQ answers or the menu's text keep
// the paging taps (the page is shown from the new config); an option added,
// removed or moved shifts the pages and makes them stale.
func pagesHash(m *menu) string {
	h := sha256.New()
	h.Write([]byte(m.id))
	for _, o := range m.options {
		h.Write([]byte{0})
		h.Write([]byte(o.id))
	}
	if len(m.pages) > 1 && m.pageSize != pageSize {
		// Pages of another size hold other options (deepPageSize): a
		// 더보기 of the other size is stale. The default adds nothing, so
		// the taps of menus it pages keep their hash.
		h.Write([]byte{1})
		h.Write([]byte(strconv.Itoa(m.pageSize)))
	}
	var sum [sha256.Size]byte
	return base64.RawURLEncoding.EncodeToString(h.Sum(sum[:0])[:6])
}

// keptTap reports whether a tap built from another config version still
// means the same in this one. It must have been made in the state the turn
// started in; then, by kind:
//   - a menu option: its menu and option exist here and the option's label
//     and action are unchanged (Tap.H matches optionHash);
//   - a paging tap (더보기): the menu exists with the same option ids in
//     the same order (Tap.H matches pagesHash), so the page is the same;
//   - 처음으로 and 상담원 연결 (@nav): always; they name no config content
//     (the main menu and escalation.queue are read from the new config);
//   - 이전 (@nav): unless the reload removed a menu on the conversation's
//     path (prepare reset it), as 이전 would then not go back one level;
//   - 아니요 (@confirm no): always;
//   - 네, 연결해 주세요 (@confirm yes): while the queue the question was
//     asked for still exists (the new config decides its hours, intake and
//     target). A reworded question or label does not change the answer.
//
// Such a tap is answered as a normal tap; any other tap from an older
// bubble stays stale (t.stale asks keptTap). A reload that only changes FAQ answers,
// other menus or texts keeps every menu, paging, nav and confirm tap.
func (t *turn) keptTap(tp *Tap) bool {
	if tp == nil || tp.S != t.start {
		return false
	}
	switch tp.N {
	case nodeNav:
		switch tp.O {
		case optHome, optAgent:
			return true
		case optBack:
			return !t.pathDropped
		}
		return false
	case nodeConfirm:
		if tp.O == optNo {
			return true
		}
		_, ok := t.e.queues[t.conv.Queue]
		return ok && (tp.O == optYes || strings.HasPrefix(tp.O, optYes+":"))
	}
	m, ok := t.e.menus[tp.N]
	if !ok || tp.H == "" {
		return false
	}
	if m.page(tp.O) >= 0 {
		return m.pagesHash == tp.H
	}
	o, ok := m.byID[tp.O]
	return ok && o.hash == tp.H
}
