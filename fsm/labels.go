package fsm

import (
	"sort"

	"github.com/baton-chat/baton/configs"
)

// labelRef is a menu option, found by its label.
type labelRef struct {
	menu *menu
	opt  *option
}

// indexLabels maps the normalised label of every goto, FAQ, text and link
// option to that option, so that typing an option's label selects it from
// anywhere: a user who remembers "배송 조회" from an earlier visit types it
// at the main menu, as they would say it to an ARS. A label that names
// different things in different menus is left out, since the bot cannot
// tell which one is meant (configs warns about such labels at load time,
// with the same Fold); one that names the same thing in several menus
// selects it in the menu nearest home (then the first by id). Handoff
// options are left out: a typed request for a person goes through the
// escalation keywords and their confirmation. 처음으로 and 이전 are typed
// commands already.
func indexLabels(menus map[string]*menu) map[string]labelRef {
	ids := make([]string, 0, len(menus))
	for id := range menus {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := menus[ids[i]], menus[ids[j]]
		if len(a.path) != len(b.path) {
			return len(a.path) < len(b.path)
		}
		return a.id < b.id
	})
	index := make(map[string]labelRef)
	ambiguous := make(map[string]bool)
	for _, id := range ids {
		m := menus[id]
		for _, o := range m.options {
			if o.kind == optBackKind || o.kind == optHomeKind || o.kind == optHandoff {
				continue
			}
			key := configs.Fold(o.label)
			if key == "" || ambiguous[key] {
				continue
			}
			prev, seen := index[key]
			switch {
			case !seen:
				index[key] = labelRef{menu: m, opt: o}
			case prev.opt.kind != o.kind || prev.opt.target != o.target:
				ambiguous[key] = true
				delete(index, key)
			}
		}
	}
	return index
}
