package fsm

import (
	"slices"
	"strings"

	"github.com/baton-chat/baton/configs"
)

// filledMenus returns menus with the hours placeholders of every menu's
// text and text option's text filled from pairs (configs.Config.HoursFills); menus that
// hold none are shared, not copied.
func filledMenus(menus map[string]*configs.Menu, pairs []string) map[string]*configs.Menu {
	out := make(map[string]*configs.Menu, len(menus))
	for id, m := range menus {
		if m == nil || !menuHasBraces(m) {
			out[id] = m
			continue
		}
		cp := *m
		cp.Text = fill(m.Text, pairs...)
		cp.Options = slices.Clone(m.Options)
		for i := range cp.Options {
			cp.Options[i].Text = fill(cp.Options[i].Text, pairs...)
		}
		out[id] = &cp
	}
	return out
}

func menuHasBraces(m *configs.Menu) bool {
	if strings.Contains(m.Text, "{") {
		return true
	}
	for _, o := range m.Options {
		if strings.Contains(o.Text, "{") {
			return true
		}
	}
	return false
}
