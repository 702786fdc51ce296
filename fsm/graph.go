package fsm

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/baton-chat/baton/configs"
)

// Pseudo nodes carried in Tap.N for taps that are not menu options. Menu ids
// may not start with '@'.
const (
	nodeFAQ        = "@faq"         // O: an FAQ id (clarify pick) or optNotHelpful
	nodeNav        = "@nav"         // O: optHome, optBack, optAgent
	nodeConfirm    = "@confirm"     // O: "yes:<reason>" or "no"
	nodeWaiting    = "@waiting"     // O: optCancel
	nodeAfterHours = "@after_hours" // O: optLeave, optNotify
	nodeButton     = "@button"      // O: the button kind (link and operator buttons)
)

// Reserved option ids on pseudo nodes and for paging; option ids may not
// start with '~'.
const (
	optNotHelpful = "~not_helpful"
	optHome       = "~home"
	optBack       = "~back"
	optAgent      = "~agent"
	optCancel     = "~cancel"
	optLeave      = "~leave"
	optNotify     = "~notify"
	optYes        = "yes"
	optNo         = "no"
	pagePrefix    = "~p" // "~p2": page 2 of the menu in Tap.N
)

// maxQuickReplies is Kakao's limit per response.
const maxQuickReplies = configs.MaxQuickReplies

// pageSize is the number of options per page of a paged menu
// (configs.PagedMenus: over 10 options, or fewer whose quick replies and
// navigation replies would pass 10). The composition rule reserves the
// other three quick replies: 더보기, then 처음으로 and 상담원 연결, so
// nobody is stuck on page 2 of a submenu. A menu that a submenu leads to
// (deep: shown with 이전 as well) reserves a fourth and takes deepPageSize
// options per page, so 상담원 연결 — the way to a human — is never the
// quick reply the limit drops.
const (
	pageSize     = maxQuickReplies - 3
	deepPageSize = maxQuickReplies - 4
)

type optionKind int

const (
	optGoto optionKind = iota
	optFAQ
	optHandoff
	optText
	optLink
	optBackKind
	optHomeKind
)

// option is one compiled menu option.
type option struct {
	id, label string
	kind      optionKind
	target    string // menu id, FAQ id, queue, text or URL
	hash      string // Tap.H of this option's taps (optionHash)
	// page is the index of the page of its menu the option is on: a
	// reply about it (a text, an answer, 이전 from the menu it leads to)
	// shows that page again, not the first.
	page int
}

// menu is one compiled menu. Everything a turn needs is precomputed here so a
// turn costs the same whatever the size of the config.
type menu struct {
	id, text, category string
	options            []*option
	byID               map[string]*option
	byLabel            map[string]*option
	pages              [][]*option
	// qrs[state][page] are the page's quick replies (options, then 더보기)
	// with taps stamped for that state.
	qrs [][][]QuickReply
	// msg and groupMsg are the menu's bubble: a textCard (or a simpleText
	// when the text is too long for a card); groupMsg numbers the options.
	msg, groupMsg Message
	// path is the canonical MenuPath of this menu (shortest from home).
	path []string
	// groupOptions are the options a group chat lists and numbers: all
	// but the handoff ones (a group chat cannot be handed to a human).
	groupOptions []*option
	// pagesHash is the Tap.H of the menu's paging taps (pagesHash).
	pagesHash string
	// pageSize is the options per page when the menu is paged: pageSize,
	// or deepPageSize when a menu other than home leads to it.
	pageSize int
}

// faqEntry is one FAQ answer with its precomputed quick-reply label and
// its question folded (configs.Fold) for typed clarify picks.
type faqEntry struct {
	id, question, answer, qrLabel, folded string
	link                                  *configs.Link
	// reply is "faq/"+id, the answer's reply id (composer.staticAnswer),
	// made once here rather than on every answer.
	reply string
}

func stateIndex(s State) int {
	switch s {
	case StateConfirm:
		return 1
	case StateWaiting:
		return 2
	case StateHuman:
		return 3
	case StateAfterHours:
		return 4
	default:
		return 0
	}
}

// compileMenus builds the menu graph and validates its references.
func compileMenus(cfg *configs.Config, version, home string, faqs map[string]*faqEntry) (map[string]*menu, error) {
	if len(cfg.Menus) == 0 {
		return nil, fmt.Errorf("fsm: config has no menus")
	}
	if _, ok := cfg.Menus[home]; !ok {
		return nil, fmt.Errorf("fsm: welcome menu %q is not defined", home)
	}
	menus := make(map[string]*menu, len(cfg.Menus))
	for id, src := range cfg.Menus {
		if src == nil {
			return nil, fmt.Errorf("fsm: menu %q is empty", id)
		}
		if id == "" || strings.HasPrefix(id, "@") || isState(State(id)) {
			return nil, fmt.Errorf("fsm: menu id %q is reserved", id)
		}
		if len(src.Options) == 0 {
			return nil, fmt.Errorf("fsm: menu %q has no options", id)
		}
		m := &menu{id: id, text: src.Text, category: src.Category,
			byID: make(map[string]*option), byLabel: make(map[string]*option)}
		for i, o := range src.Options {
			opt, err := compileOption(cfg, id, i, o, faqs)
			if err != nil {
				return nil, err
			}
			if _, dup := m.byID[opt.id]; dup {
				return nil, fmt.Errorf("fsm: menu %q: duplicate option id %q", id, opt.id)
			}
			m.byID[opt.id] = opt
			if _, seen := m.byLabel[opt.label]; !seen {
				m.byLabel[opt.label] = opt
			}
			m.options = append(m.options, opt)
		}
		menus[id] = m
	}
	for _, m := range menus {
		for _, o := range m.options {
			if o.kind == optGoto {
				if _, ok := menus[o.target]; !ok {
					return nil, fmt.Errorf("fsm: menu %q option %q: goto unknown menu %q", m.id, o.id, o.target)
				}
			}
		}
	}
	assignPaths(menus, home)
	groupOptions(menus)
	deep, paged := configs.DeepMenus(cfg), configs.PagedMenus(cfg)
	texts := &cfg.Texts
	for _, m := range menus {
		m.pageSize = pageSize
		if deep[m.id] {
			m.pageSize = deepPageSize
		}
		m.paginate(paged[m.id])
		m.pagesHash = pagesHash(m)
		m.qrs = make([][][]QuickReply, len(allStates))
		for _, s := range allStates {
			m.qrs[stateIndex(s)] = m.quickReplies(version, s, texts.More)
		}
		m.msg, m.groupMsg = menuMessage(m.text, m.id), menuMessage(m.numbered(), m.id)
	}
	return menus, nil
}

// groupOptions sets the options each menu lists and numbers in a group
// chat, which never hands off: every option but the handoff ones, and but
// the gotos to a menu that would list nothing (one of handoffs only, or of
// gotos to such menus), which would show a bare text with nothing to pick.
func groupOptions(menus map[string]*menu) {
	useful := make(map[string]bool, len(menus)) // lists something in a group
	for changed := true; changed; {
		changed = false
		for _, m := range menus {
			if useful[m.id] {
				continue
			}
			for _, o := range m.options {
				if o.kind != optHandoff && (o.kind != optGoto || useful[o.target]) {
					useful[m.id], changed = true, true
					break
				}
			}
		}
	}
	for _, m := range menus {
		m.groupOptions = m.groupOptions[:0]
		for _, o := range m.options {
			if o.kind != optHandoff && (o.kind != optGoto || useful[o.target]) {
				m.groupOptions = append(m.groupOptions, o)
			}
		}
	}
}

func compileOption(cfg *configs.Config, menuID string, i int, o configs.Option, faqs map[string]*faqEntry) (*option, error) {
	id := o.ID
	if id == "" {
		id = strconv.Itoa(i + 1)
	}
	if strings.HasPrefix(id, "~") {
		return nil, fmt.Errorf("fsm: menu %q: option id %q is reserved", menuID, id)
	}
	label := strings.TrimSpace(o.Label)
	if label == "" {
		return nil, fmt.Errorf("fsm: menu %q option %q: empty label", menuID, id)
	}
	opt := &option{id: id, label: truncateLabel(label)}
	set := 0
	if o.Goto != "" {
		opt.kind, opt.target, set = optGoto, o.Goto, set+1
	}
	if o.FAQ != "" {
		if _, ok := faqs[o.FAQ]; !ok {
			return nil, fmt.Errorf("fsm: menu %q option %q: unknown faq %q", menuID, id, o.FAQ)
		}
		opt.kind, opt.target, set = optFAQ, o.FAQ, set+1
	}
	if o.Handoff != "" {
		if _, ok := cfg.Handoff.Queues[o.Handoff]; !ok {
			return nil, fmt.Errorf("fsm: menu %q option %q: unknown queue %q", menuID, id, o.Handoff)
		}
		opt.kind, opt.target, set = optHandoff, o.Handoff, set+1
	}
	if o.Text != "" {
		opt.kind, opt.target, set = optText, o.Text, set+1
	}
	if o.Link != "" {
		opt.kind, opt.target, set = optLink, o.Link, set+1
	}
	if o.Back {
		opt.kind, set = optBackKind, set+1
	}
	if o.Home {
		opt.kind, set = optHomeKind, set+1
	}
	if set != 1 {
		return nil, fmt.Errorf("fsm: menu %q option %q: want exactly one action, got %d", menuID, id, set)
	}
	opt.hash = optionHash(menuID, opt)
	return opt, nil
}

// assignPaths gives every menu the shortest MenuPath from home (breadth
// first, options in YAML order). Menus unreachable from home get [home, id].
func assignPaths(menus map[string]*menu, home string) {
	menus[home].path = nil
	seen := map[string]bool{home: true}
	queue := []string{home}
	for len(queue) > 0 {
		cur := menus[queue[0]]
		queue = queue[1:]
		for _, o := range cur.options {
			if o.kind != optGoto || seen[o.target] {
				continue
			}
			seen[o.target] = true
			base := cur.path
			if len(base) == 0 {
				base = []string{home}
			}
			p := make([]string, len(base), len(base)+1)
			copy(p, base)
			menus[o.target].path = append(p, o.target)
			queue = append(queue, o.target)
		}
	}
	for id, m := range menus {
		if !seen[id] {
			m.path = []string{home, id}
		}
	}
}

// paginate lays m's options out on pages: one page unless paged
// (configs.PagedMenus), else m.pageSize options a page.
func (m *menu) paginate(paged bool) {
	if !paged {
		m.pages = [][]*option{m.options}
		return
	}
	size := m.pageSize
	if size <= 0 {
		size = pageSize
	}
	for i := 0; i < len(m.options); i += size {
		m.pages = append(m.pages, m.options[i:min(i+size, len(m.options))])
	}
	for p, page := range m.pages {
		for _, o := range page {
			o.page = p
		}
	}
}

// gotoPage is the page of m holding its first option that leads to menu
// id, where 이전 from that menu comes back to; the first page when none does
// (the user came some other way).
func (m *menu) gotoPage(id string) int {
	for _, o := range m.options {
		if o.kind == optGoto && o.target == id {
			return o.page
		}
	}
	return 0
}

func (m *menu) quickReplies(version string, s State, more string) [][]QuickReply {
	out := make([][]QuickReply, len(m.pages))
	label := truncateLabel(more)
	for p, page := range m.pages {
		qrs := make([]QuickReply, 0, len(page)+1)
		for _, o := range page {
			if len(m.pages) > 1 && o.label == label {
				// An option labelled like 더보기 gives way to the paging
				// tap (the composer keeps one quick reply per text):
				// without it the later pages could not be reached. It
				// is still picked by its number (baton validate warns).
				continue
			}
			qrs = append(qrs, QuickReply{Label: o.label, Text: o.label,
				Tap: &Tap{V: version, N: m.id, O: o.id, S: s, H: o.hash}})
		}
		if len(m.pages) > 1 {
			next := (p+1)%len(m.pages) + 1
			qrs = append(qrs, QuickReply{Label: label, Text: label,
				Tap: &Tap{V: version, N: m.id, O: pagePrefix + strconv.Itoa(next), S: s, H: m.pagesHash}})
		}
		out[p] = qrs
	}
	return out
}

func (m *menu) numbered() string {
	var b strings.Builder
	b.WriteString(m.text)
	for i, o := range m.groupOptions {
		fmt.Fprintf(&b, "\n%d. %s", i+1, o.label)
	}
	return b.String()
}

// page returns the page index named by a paging option id ("~p2" → 1), or
// -1 when o is not a valid page of m.
func (m *menu) page(o string) int {
	n, ok := strings.CutPrefix(o, pagePrefix)
	if !ok {
		return -1
	}
	p, err := strconv.Atoi(n)
	if err != nil || p < 1 || p > len(m.pages) {
		return -1
	}
	return p - 1
}

// menuMessage is a menu's bubble: a textCard when text fits one, else a
// simpleText, kept whole: the composer splits a text over Kakao's limit at
// whitespace into the bubbles the reply does not use (a group chat's
// numbered list must show every number it accepts).
func menuMessage(text, id string) Message {
	if strings.TrimSpace(text) == "" {
		text = id
	}
	if utf8.RuneCountInString(text) <= maxCardRunes {
		return Message{Card: &Card{Description: text}}
	}
	return Message{Text: text}
}
