package configs

import (
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits checked at load time.
const (
	MaxLabelRunes  = 14   // Kakao quick-reply and button labels
	MaxMenuText    = 400  // menu text bubble
	MaxAnswerRunes = 1000 // FAQ answer (Kakao simpleText allows 1000)
	MaxMenuOptions = 50   // more than fit one reply are paged with 더보기 (PagedMenus); past 50 is a mistake
)

// States are the conversation lifecycle state names (DESIGN §5). Menu,
// option and FAQ ids may not take them.
var States = []string{"bot", "confirm", "waiting", "human", "after_hours"}

// Consultation kinds.
const (
	ConsultationOneOnOne    = "one_on_one"
	ConsultationSangdamtalk = "sangdamtalk"
)

var (
	queueNameRE = regexp.MustCompile(`^[a-z0-9_-]+$`)
)

// validate cross-checks c and records every problem on t.
func (t *tree) validate(c *Config) {
	t.validateKakao(c)
	t.validateTokens(c) // tokens.go
	t.validateTextLabels(c)
	t.validateLinkTexts(c)
	t.validateSlackTicketTexts(c) // texts_slack.go
	t.validateTextPlaceholders(c) // texts_placeholders.go
	t.validateHoursTexts(c)       // hours_text.go
	t.validateHoursTextLengths(c) // hours_placeholder.go
	t.validateServer(c)
	t.validateMenus(c)
	t.validateFAQ(c)
	t.warnFAQCategoryTypos(c)   // faq_category.go
	t.validateSharedFAQTexts(c) // faq_shared.go
	t.warnAnswerPlaceholders(c) // hours_placeholder.go
	t.validateBlocks(c)
	t.validateEscalation(c)
	t.validateKeywordLabels(c) // keywords.go
	t.validateHandoff(c)
	t.validateIntake(c)
	t.validateEndpoints(c)
	t.validateNotifyIDs(c) // notify_id.go
	t.validateSecrets(c)   // configs/secrets.go
	t.validateRetention(c)
	t.validatePrivacyNotice(c)
}

func (t *tree) validateKakao(c *Config) {
	switch c.Kakao.Consultation {
	case ConsultationOneOnOne:
		t.validateConsultationTargets(c)
	case ConsultationSangdamtalk:
		t.warnNotifyUnderSangdamtalk(c) // configs/consultation.go
		hasDealer := false
		for _, q := range c.Handoff.Queues {
			hasDealer = hasDealer || strings.HasPrefix(q.Target, "dealer:")
		}
		if !hasDealer {
			t.errAt(path{"kakao", "consultation"}, `consultation "sangdamtalk" needs a dealer: add a queue with target "dealer:<name>" (상담톡 goes through a dealer)`)
		}
	default:
		t.errAt(path{"kakao", "consultation"}, "consultation must be one_on_one or sangdamtalk, not %q", c.Kakao.Consultation)
	}
}

func (t *tree) validateServer(c *Config) {
	s := c.Server
	switch {
	case s.SoftDeadline >= s.HardDeadline:
		t.errAt(path{"server", "soft_deadline"}, "soft_deadline (%v) must be shorter than hard_deadline (%v)", s.SoftDeadline.D(), s.HardDeadline.D())
	case s.HardDeadline.D() > MaxHardDeadline:
		t.errAt(path{"server", "hard_deadline"}, "hard_deadline (%v) must be at most %v: Kakao gives up after 5s", s.HardDeadline.D(), MaxHardDeadline)
	}
	rl := path{"server", "rate_limit"}
	if s.RateLimit.Turns <= 0 {
		t.errAt(rl.with("turns"), "rate_limit turns must be positive, not %d", s.RateLimit.Turns)
	}
	if s.RateLimit.Burst <= 0 {
		t.errAt(rl.with("burst"), "rate_limit burst must be positive, not %d", s.RateLimit.Burst)
	}
}

// idProblem says what is wrong with an id, or "".
func idProblem(id string) string {
	if id == "" {
		return "is missing"
	}
	if strings.HasPrefix(id, "@") || strings.HasPrefix(id, "~") {
		return fmt.Sprintf("%q starts with %q, which Baton reserves for its own nodes", id, id[:1])
	}
	if slices.Contains(States, id) {
		return fmt.Sprintf("%q is a conversation state name (%s); choose another", id, strings.Join(States, ", "))
	}
	return ""
}

var actionKeys = []string{"goto", "faq", "handoff", "text", "link", "back", "home"}

// actions lists the action keys set on o, in canonical order.
func (o Option) actions() []string {
	var a []string
	for _, k := range actionKeys {
		set := false
		switch k {
		case "goto":
			set = o.Goto != ""
		case "faq":
			set = o.FAQ != ""
		case "handoff":
			set = o.Handoff != ""
		case "text":
			set = o.Text != ""
		case "link":
			set = o.Link != ""
		case "back":
			set = o.Back
		case "home":
			set = o.Home
		}
		if set {
			a = append(a, k)
		}
	}
	return a
}

func (t *tree) validateMenus(c *Config) {
	faqIDs := make(map[string]bool, len(c.FAQ))
	for _, e := range c.FAQ {
		faqIDs[e.ID] = true
	}
	categories := map[string]bool{}
	for _, e := range c.FAQ {
		categories[e.Category] = true
	}
	if len(c.Menus) == 0 {
		t.errAtKey(path{"menus"}, "there are no menus: add at least the main menu")
	}
	for _, name := range t.menuOrder(c) {
		m := c.Menus[name]
		mp := path{"menus", name}
		if p := idProblem(name); p != "" {
			t.errAtKey(mp, "menu id %s", p)
		}
		if m == nil {
			t.errAtKey(mp, "menu %q is empty: give it text and options", name)
			continue
		}
		switch n, filled := t.filledRunes(c, m.Text); {
		case strings.TrimSpace(m.Text) == "":
			t.errAt(mp.with("text"), "menu %q has no text", name)
		case n > MaxMenuText:
			t.errAt(mp.with("text"), "menu %q text is %d characters%s; the limit is %d", name, n, filled, MaxMenuText)
		}
		if m.Category != "" && !categories[m.Category] {
			t.errAt(mp.with("category"), "menu %q: category %q: no FAQ entry has this category%s", name, m.Category, didYouMean(m.Category, slices.Collect(maps.Keys(categories))))
		}
		if len(m.Options) == 0 {
			t.errAtKey(mp, "menu %q has no options", name)
		}
		if len(m.Options) > MaxMenuOptions {
			t.errAtKey(mp.with("options"), "menu %q has %d options; at most %d are allowed (split it into sub-menus)", name, len(m.Options), MaxMenuOptions)
		}
		seen, labels := map[string]int{}, map[string]int{}
		for i, o := range m.Options {
			t.validateOption(c, name, i, o, seen, faqIDs)
			// The menu's quick replies are one per label: a second option
			// with a label already used would never be offered.
			l := strings.TrimSpace(o.Label)
			if first, dup := labels[l]; dup && l != "" {
				t.errAt(mp.with("options", i, "label"), "menu %q: option %d has the label %q of option %d: a user cannot tell them apart and only the first is offered; give one of them another label", name, i+1, o.Label, first+1)
			} else if !dup {
				labels[l] = i
			}
		}
	}
	t.validateReachability(c)
	t.validateTypedLabels(c)
	t.validateNavLabels(c)
}

// validateNavLabels warns about an option labelled like a navigation quick
// reply (texts.more, back, home, agent) that does something else. A reply
// keeps one quick reply per text and the navigation one wins (later pages must
// stay reachable, 상담원 연결 must stay offered), so the option's quick
// reply is left out where both are offered; its number still picks it.
func (t *tree) validateNavLabels(c *Config) {
	x := c.Texts
	paged := PagedMenus(c)
	for _, name := range t.menuOrder(c) {
		m := c.Menus[name]
		if m == nil {
			continue
		}
		for i, o := range m.Options {
			l := strings.TrimSpace(o.Label)
			if l == "" {
				continue
			}
			var key, does string
			switch {
			case l == strings.TrimSpace(x.More) && paged[name]:
				key, does = "more", fmt.Sprintf("pages this menu of %d options", len(m.Options))
			case l == strings.TrimSpace(x.Back) && !o.Back:
				key, does = "back", "goes back to the previous menu"
			case l == strings.TrimSpace(x.Home) && !o.Home:
				key, does = "home", "goes to the main menu"
			case l == strings.TrimSpace(x.Agent) && c.Escalation.Queue != "" && o.Handoff != c.Escalation.Queue:
				key, does = "agent", fmt.Sprintf("hands off to escalation.queue %q", c.Escalation.Queue)
			default:
				continue
			}
			t.warnAt(path{"menus", name, "options", i, "label"},
				"label %q is texts.%s, the quick reply that %s: where both are offered the option's quick reply is left out (its number still picks it); give it another label",
				o.Label, key, does)
		}
	}
}

// validateTypedLabels warns about option labels that select nothing when
// typed. The engine lets a user type the label of any menu's goto, FAQ,
// text or link option to select it (Fold: spacing and punctuation aside),
// except a label that two such options doing different things share: the
// bot cannot tell which one is meant, so typed it goes to the FAQ matcher
// and the escalation keywords. Tapping either option still works.
func (t *tree) validateTypedLabels(c *Config) {
	type firstUse struct {
		menu   string
		index  int
		action string
	}
	first := map[string]firstUse{}
	for _, name := range t.menuOrder(c) {
		m := c.Menus[name]
		if m == nil {
			continue
		}
		for i, o := range m.Options {
			acts := o.actions()
			if len(acts) != 1 || o.Back || o.Home || o.Handoff != "" {
				continue
			}
			key := Fold(o.Label)
			if key == "" {
				continue
			}
			action := acts[0] + " " + o.Goto + o.FAQ + o.Text + o.Link
			f, seen := first[key]
			switch {
			case !seen:
				first[key] = firstUse{menu: name, index: i, action: action}
			case f.action != action:
				t.warnAt(path{"menus", name, "options", i, "label"},
					"label %q is also the label of option %d of menu %q, which does something else: typed, it selects neither (a tap still does); give one of them another label",
					o.Label, f.index+1, f.menu)
			}
		}
	}
}

// menuOrder is the menu ids in file order (map order is random).
func (t *tree) menuOrder(c *Config) []string {
	order := t.keys(path{"menus"})
	if len(order) != len(c.Menus) {
		order = order[:0]
		for k := range c.Menus {
			order = append(order, k)
		}
		slices.Sort(order)
	}
	return order
}

func (t *tree) validateOption(c *Config, menu string, i int, o Option, seen map[string]int, faqIDs map[string]bool) {
	op := path{"menus", menu, "options", i}
	who := fmt.Sprintf("option %d of menu %q", i+1, menu)
	if o.ID != "" {
		who = fmt.Sprintf("option %q in menu %q", o.ID, menu)
	}
	if p := idProblem(o.ID); p != "" {
		t.errAt(op.with("id"), "%s: id %s", who, p)
	} else if first, dup := seen[o.ID]; dup {
		t.errAt(op.with("id"), "duplicate option id %q in menu %q (first used by option %d)", o.ID, menu, first+1)
	} else {
		seen[o.ID] = i
	}
	t.checkLabel(op.with("label"), who, o.Label)

	acts := o.actions()
	switch len(acts) {
	case 0:
		t.errAt(op, "%s has no action: give it one of %s", who, strings.Join(actionKeys, ", "))
		return
	case 1:
	default:
		t.errAtKey(op.with(t.lastKey(op, acts)), "%s has %d actions (%s); keep exactly one", who, len(acts), strings.Join(acts, ", "))
		return
	}
	switch {
	case o.Goto != "":
		if _, ok := c.Menus[o.Goto]; !ok {
			t.errAt(op.with("goto"), "%s: goto %q: no such menu%s", who, o.Goto, didYouMean(o.Goto, menuIDs(c)))
		}
	case o.FAQ != "":
		if !faqIDs[o.FAQ] {
			t.errAt(op.with("faq"), "%s: faq %q: no FAQ entry has this id%s", who, o.FAQ, didYouMean(o.FAQ, faqIDList(c)))
		}
	case o.Handoff != "":
		if _, ok := c.Handoff.Queues[o.Handoff]; !ok {
			t.errAt(op.with("handoff"), "%s: handoff %q: no such queue in handoff.queues%s", who, o.Handoff, didYouMean(o.Handoff, queueNames(c)))
		}
	case o.Text != "":
		if strings.TrimSpace(o.Text) == "" {
			t.errAt(op.with("text"), "%s: text is blank: write the answer the bot gives when it is chosen", who)
		} else if n, filled := t.filledRunes(c, o.Text); n > MaxAnswerRunes {
			t.errAt(op.with("text"), "%s: text is %d characters%s; the limit is %d", who, n, filled, MaxAnswerRunes)
		}
	case o.Link != "":
		t.checkLinkURL(op.with("link"), who+" link", o.Link)
	}
}

// checkLabel enforces a non-empty label of at most MaxLabelRunes runes.
func (t *tree) checkLabel(p path, who, label string) {
	switch n := utf8.RuneCountInString(label); {
	case strings.TrimSpace(label) == "":
		t.errAt(p, "%s has no label: add label: with the button text (at most %d characters)", who, MaxLabelRunes)
	case n > MaxLabelRunes:
		t.errAt(p, "%s: label %q is %d characters; Kakao allows %d", who, label, n, MaxLabelRunes)
	}
}

// checkURL requires an absolute http or https URL with a host. The error
// names only the URL's scheme and host (urlOrigin): a sink's or dealer's
// URL may carry its token, and config errors reach logs and the reload
// history.
func (t *tree) checkURL(p path, what, raw string) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		t.errAt(p, "%s %s is not an absolute http(s) URL", what, urlOrigin(raw))
	}
}

// checkLinkURL requires a URL the Kakao bubble builders accept
// (CheckLinkURL), so a link that loads also renders.
func (t *tree) checkLinkURL(p path, what, raw string) {
	if err := CheckLinkURL(raw); err != nil {
		t.errAt(p, "%s %v%s", what, err, schemeHint(raw))
	}
}

// schemeHint proposes the https URL a bot master probably meant by a link
// written without its scheme ("www.example.com/path").
func schemeHint(raw string) string {
	if raw == "" || strings.ContainsAny(raw, ": \t\r\n") { // a scheme of its own (tel:, mailto:, http:/…)
		return ""
	}
	u, err := url.Parse("https://" + raw)
	if err != nil || !strings.Contains(u.Host, ".") {
		return ""
	}
	return fmt.Sprintf(": write %q", "https://"+raw)
}

// validateReachability reports menus no goto (from a menu or blocks.map)
// leads to from the root menu (welcome.menu, else "main").
func (t *tree) validateReachability(c *Config) {
	if len(c.Menus) == 0 {
		return
	}
	root := c.Welcome.Menu
	if root == "" {
		root = "main"
	}
	if _, ok := c.Menus[root]; !ok {
		if c.Welcome.Menu == "" {
			t.errAtKey(path{"menus"}, `there is no menu "main": add one or set welcome.menu to the first menu`)
		}
		return // a dangling welcome.menu is reported by validateBlocks
	}
	reached := map[string]bool{}
	queue := []string{root}
	for _, b := range c.Blocks.Map {
		if b.Goto != "" {
			queue = append(queue, b.Goto)
		}
	}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		m, ok := c.Menus[name]
		if !ok || reached[name] {
			continue
		}
		reached[name] = true
		if m == nil {
			continue
		}
		for _, o := range m.Options {
			if o.Goto != "" {
				queue = append(queue, o.Goto)
			}
		}
	}
	for _, name := range t.menuOrder(c) {
		if !reached[name] {
			t.errAtKey(path{"menus", name}, "menu %q is unreachable: no goto leads to it from menu %q", name, root)
		}
	}
}

func (t *tree) validateFAQ(c *Config) {
	seen := map[string]int{}
	for i, e := range c.FAQ {
		fp := path{"faq", i}
		who := fmt.Sprintf("FAQ entry %d", i+1)
		if e.ID != "" {
			who = fmt.Sprintf("FAQ %q", e.ID)
		}
		if p := idProblem(e.ID); p != "" {
			t.errAt(fp.with("id"), "%s: id %s", who, p)
		} else if first, dup := seen[e.ID]; dup {
			l, _ := t.valuePos(path{"faq", first, "id"})
			t.errAt(fp.with("id"), "duplicate FAQ id %q (first used by entry %d, line %d): give each entry its own id", e.ID, first+1, l)
		} else {
			seen[e.ID] = i
		}
		if strings.TrimSpace(e.Question) == "" {
			t.errAt(fp.with("question"), "%s has no question: add question: with the question as a user would ask it", who)
		}
		switch n, filled := t.filledRunes(c, e.Answer); {
		case strings.TrimSpace(e.Answer) == "":
			t.errAt(fp.with("answer"), "%s has no answer: add answer: with the text the bot replies (at most %d characters)", who, MaxAnswerRunes)
		case n > MaxAnswerRunes:
			t.errAt(fp.with("answer"), "%s answer is %d characters%s; the limit is %d", who, n, filled, MaxAnswerRunes)
		}
		if e.Link != nil {
			t.checkLabel(fp.with("link", "label"), who+" link", e.Link.Label)
			t.checkLinkURL(fp.with("link", "url"), who+" link", e.Link.URL)
		}
	}
}

func (t *tree) validateBlocks(c *Config) {
	if c.Welcome.Menu != "" {
		if _, ok := c.Menus[c.Welcome.Menu]; !ok {
			t.errAt(path{"welcome", "menu"}, "welcome.menu %q: no such menu%s", c.Welcome.Menu, didYouMean(c.Welcome.Menu, menuIDs(c)))
		}
	}
	faqIDs := map[string]bool{}
	for _, e := range c.FAQ {
		faqIDs[e.ID] = true
	}
	for _, name := range t.keys(path{"blocks", "map"}) {
		b, ok := c.Blocks.Map[name]
		if !ok {
			continue
		}
		bp := path{"blocks", "map", name}
		var acts []string
		for _, a := range []struct{ key, val string }{{"goto", b.Goto}, {"faq", b.FAQ}, {"handoff", b.Handoff}} {
			if a.val != "" {
				acts = append(acts, a.key)
			}
		}
		switch {
		case len(acts) == 0:
			t.errAtKey(bp, "block %q has no action: give it one of goto, faq, handoff", name)
		case len(acts) > 1:
			t.errAtKey(bp.with(t.lastKey(bp, acts)), "block %q has %d actions (%s); keep exactly one", name, len(acts), strings.Join(acts, ", "))
		case b.Goto != "":
			if _, ok := c.Menus[b.Goto]; !ok {
				t.errAt(bp.with("goto"), "block %q: goto %q: no such menu%s", name, b.Goto, didYouMean(b.Goto, menuIDs(c)))
			}
		case b.FAQ != "":
			if !faqIDs[b.FAQ] {
				t.errAt(bp.with("faq"), "block %q: faq %q: no FAQ entry has this id%s", name, b.FAQ, didYouMean(b.FAQ, faqIDList(c)))
			}
		case b.Handoff != "":
			if _, ok := c.Handoff.Queues[b.Handoff]; !ok {
				t.errAt(bp.with("handoff"), "block %q: handoff %q: no such queue in handoff.queues%s", name, b.Handoff, didYouMean(b.Handoff, queueNames(c)))
			}
		}
	}
}

func (t *tree) validateEscalation(c *Config) {
	e := c.Escalation
	ep := path{"escalation"}
	if e.FAQMisses < 0 {
		t.errAt(ep.with("faq_misses"), "faq_misses must be 0 (off) or more, not %d", e.FAQMisses)
	}
	if e.Queue == "" {
		if len(e.Keywords) > 0 || len(e.Complaints) > 0 || e.FAQMisses > 0 || e.Confirm {
			t.errAtKey(ep, "escalation has no queue: set escalation.queue to one of handoff.queues")
		}
		return
	}
	if _, ok := c.Handoff.Queues[e.Queue]; !ok {
		t.errAt(ep.with("queue"), "escalation queue %q: no such queue in handoff.queues%s", e.Queue, didYouMean(e.Queue, queueNames(c)))
	}
	for i, k := range e.Keywords {
		if strings.TrimSpace(k) == "" {
			t.errAt(ep.with("keywords", i), "escalation keyword %d is empty", i+1)
		}
	}
	t.validateComplaints(c) // complaints.go
}

func (t *tree) validateHandoff(c *Config) {
	h := c.Handoff
	t.validateDealerFailover(c)
	t.warnDisabledDealerTargets(c) // configs/dealer_url.go
	for _, name := range t.keys(path{"handoff", "queues"}) {
		q, ok := h.Queues[name]
		if !ok {
			continue
		}
		qp := path{"handoff", "queues", name}
		if !queueNameRE.MatchString(name) {
			t.errAtKey(qp, "queue name %q must use only a-z, 0-9, _ and -", name)
		}
		switch dealer, isDealer := strings.CutPrefix(q.Target, "dealer:"); {
		case q.Target == "notify":
		case isDealer:
			if _, ok := c.Dealers[dealer]; !ok {
				t.errAt(qp.with("target"), "queue %q: target %q: no dealer %q in dealers%s", name, q.Target, dealer, didYouMean(dealer, slices.Collect(maps.Keys(c.Dealers))))
			}
		default:
			t.errAt(qp.with("target"), `queue %q: target must be "notify" or "dealer:<name>", not %q`, name, q.Target)
		}
		if q.Hours != "" {
			if _, ok := h.Hours[q.Hours]; !ok {
				t.errAt(qp.with("hours"), "queue %q: hours %q: no such entry in handoff.hours%s", name, q.Hours, didYouMean(q.Hours, slices.Collect(maps.Keys(h.Hours))))
			}
		}
		if q.MaxWaiting < 0 {
			t.errAt(qp.with("max_waiting"), "queue %q: max_waiting must be 0 (no limit) or more", name)
		}
	}
	for _, name := range t.keys(path{"handoff", "hours"}) {
		if hr, ok := h.Hours[name]; ok {
			t.validateHours(path{"handoff", "hours", name}, hr)
		}
	}
}

func (t *tree) validateHours(hp path, h Hours) {
	if _, err := time.LoadLocation(h.Timezone); err != nil || strings.EqualFold(h.Timezone, "local") {
		t.errAt(hp.with("timezone"), "unknown timezone %q (use an IANA name such as Asia/Seoul)", h.Timezone)
	}
	covered := map[time.Weekday]string{}
	for _, spec := range t.keys(hp.with("weekly")) {
		days, err := ParseDays(spec)
		if err != nil {
			t.errAtKey(hp.with("weekly", spec), "%v", err)
			continue
		}
		for _, d := range days {
			if prev, dup := covered[d]; dup {
				t.errAtKey(hp.with("weekly", spec), "%s is already covered by %q", dayNames[(d+6)%7], prev)
				break
			}
			covered[d] = spec
		}
		t.checkWindows(hp.with("weekly", spec), h.Weekly[spec])
	}
	for i, cal := range h.Holidays {
		switch {
		case !queueNameRE.MatchString(cal):
			t.errAt(hp.with("holidays", i), "holiday calendar %q must be a name such as kr", cal)
		case t.opts.Calendar != nil:
			if err := t.opts.Calendar(cal); err != nil {
				t.errAt(hp.with("holidays", i), "holiday calendar %q: %v", cal, err)
			}
		}
	}
	for _, date := range t.keys(hp.with("exceptions")) {
		if err := CheckDate(date); err != nil {
			t.errAtKey(hp.with("exceptions", date), "exception date %q %v", date, err)
			continue
		}
		t.checkWindows(hp.with("exceptions", date), h.Exceptions[date])
	}
}

// checkWindows validates "HH:MM-HH:MM" windows: start before end, in order,
// not overlapping.
func (t *tree) checkWindows(p path, windows []string) {
	prevEnd := time.Duration(-1)
	for i, w := range windows {
		win, err := ParseWindow(w)
		if err != nil {
			t.errAt(p.with(i), "%v", err)
			continue
		}
		if win.Start < prevEnd {
			t.errAt(p.with(i), "window %q overlaps or comes before the previous one", w)
		}
		prevEnd = win.End
	}
}

func (t *tree) validateEndpoints(c *Config) {
	for _, name := range t.keys(path{"dealers"}) {
		d, ok := c.Dealers[name]
		if !ok {
			continue
		}
		dp := path{"dealers", name}
		if !queueNameRE.MatchString(name) {
			t.errAtKey(dp, "dealer name %q must use only a-z, 0-9, _ and -", name)
		}
		if d.URL != "" {
			t.checkURL(dp.with("url"), fmt.Sprintf("dealer %q url", name), d.URL)
		}
	}
	for i, n := range c.Notify {
		np := path{"notify", i}
		switch n.Kind {
		case "webhook":
		case "slack":
			if n.PII {
				t.errAt(np.with("pii"), "a slack sink cannot have pii: true (Slack is an overseas service; it gets no personal data)")
			}
		default:
			t.errAt(np.with("kind"), "notify kind must be webhook or slack, not %q", n.Kind)
		}
		if n.URL != "" {
			t.checkURL(np.with("url"), fmt.Sprintf("notify %d (%s) url", i+1, n.Kind), n.URL)
		}
	}
	t.checkURL(path{"event_api", "base_url"}, "event_api base_url", c.EventAPI.BaseURL)
	if c.EventAPI.DailyBudgetWon < 0 {
		t.errAt(path{"event_api", "daily_budget_won"}, "daily_budget_won must be 0 or more")
	}
	t.validateEventAPI(c)
	for _, h := range c.Callback.Hosts {
		if strings.ContainsAny(h, "/:@ ") {
			t.errAt(path{"callback", "hosts"}, "callback host %q must be a bare host name such as bot-api.kakao.com", h)
		}
	}
}

// lastKey returns which of keys (all present under p) is written last in
// the file: the one to blame for a conflict.
func (t *tree) lastKey(p path, keys []string) string {
	best, bl, bc := keys[len(keys)-1], 0, 0
	for _, k := range keys {
		if l, c := t.keyPos(p.with(k)); l > bl || (l == bl && c > bc) {
			best, bl, bc = k, l, c
		}
	}
	return best
}

// validateTextLabels checks the texts that Baton uses as quick-reply or
// button labels against Kakao's label limit.
func (t *tree) validateTextLabels(c *Config) {
	x := c.Texts
	for _, l := range []struct{ key, val string }{
		{"fallback_button", x.FallbackButton}, {"home", x.Home}, {"back", x.Back}, {"more", x.More},
		{"agent", x.Agent}, {"not_helpful", x.NotHelpful}, {"confirm_yes", x.ConfirmYes},
		{"confirm_no", x.ConfirmNo}, {"handoff_button", x.HandoffButton}, {"cancel", x.Cancel},
		{"leave_message", x.LeaveMessage}, {"notify_on_open", x.NotifyOnOpen},
		{"ticket_cancel", x.TicketCancel}, {"contact_skip", x.ContactSkip}, {"intake_skip", x.IntakeSkip},
	} {
		if n := utf8.RuneCountInString(l.val); n > MaxLabelRunes {
			t.errAt(path{"texts", l.key}, "texts.%s %q is a button label: %d characters; Kakao allows %d", l.key, l.val, n, MaxLabelRunes)
		}
	}
}
