package configs

import "strings"

// MaxQuickReplies is Kakao's limit of quick replies in one response.
const MaxQuickReplies = 10

// rootMenu is the menu a conversation starts at: welcome.menu, else "main".
func rootMenu(c *Config) string {
	if c.Welcome.Menu != "" {
		return c.Welcome.Menu
	}
	return "main"
}

// DeepMenus returns the menus that a menu other than the root menu
// (welcome.menu) leads to: entered from there, the conversation's path holds
// a parent below the root, so a 1:1 chat shows them with texts.back as well
// as texts.home. A goto to the menu itself or to the root is not counted
// (neither pushes a level).
func DeepMenus(c *Config) map[string]bool {
	root := rootMenu(c)
	deep := make(map[string]bool)
	for id, m := range c.Menus {
		if id == root || m == nil {
			continue
		}
		for _, o := range m.Options {
			if o.Goto != "" && o.Goto != id && o.Goto != root {
				deep[o.Goto] = true
			}
		}
	}
	return deep
}

// PagedMenus returns the menus a 1:1 chat pages with texts.more: those of
// more than MaxQuickReplies options, and those whose option quick replies
// and the navigation replies shown with them would pass MaxQuickReplies —
// texts.agent when escalation.queue is set, texts.home below the root menu,
// texts.back on a menu DeepMenus names. A reply keeps one quick reply per
// text, so an option labelled like one of those navigation replies shares
// its quick reply (the navigation one is shown), and options of the same
// label take one. A page keeps room for texts.more and every navigation
// reply, so 상담원 연결 — the way to a human — is never the quick reply
// Kakao's limit drops.
func PagedMenus(c *Config) map[string]bool {
	root := rootMenu(c)
	deep := DeepMenus(c)
	paged := make(map[string]bool)
	for id, m := range c.Menus {
		if m == nil {
			continue
		}
		if len(m.Options) > MaxQuickReplies {
			paged[id] = true
			continue
		}
		nav := make(map[string]bool, 3)
		if c.Escalation.Queue != "" {
			nav[strings.TrimSpace(c.Texts.Agent)] = true
		}
		if id != root {
			nav[strings.TrimSpace(c.Texts.Home)] = true
		}
		if deep[id] {
			nav[strings.TrimSpace(c.Texts.Back)] = true
		}
		labels := make(map[string]bool, len(m.Options))
		for _, o := range m.Options {
			if l := strings.TrimSpace(o.Label); !nav[l] {
				labels[l] = true
			}
		}
		if len(labels)+len(nav) > MaxQuickReplies {
			paged[id] = true
		}
	}
	return paged
}
