package fsm

// navHides reports whether the reply showing menu cur in a 1:1 chat offers
// a navigation quick reply of o's label that takes o's place: 더보기 on a
// paged menu (graph.go), 이전, 처음으로 or 상담원 연결 where offered and o
// does something else (composer.quickReplies' addNav). o's quick reply is
// then not shown, so its label typed — or the navigation reply's tap that
// lost Baton's extra — is read as if o were not there, as the navigation
// reply's text (DESIGN §4: the option gives way; its number still picks
// it). A group chat shows no quick replies and lists every option: nothing
// hides o there.
func (t *turn) navHides(cur *menu, o *option) bool {
	if t.in.Group {
		return false
	}
	tx := &t.e.texts
	switch o.label {
	case truncateLabel(tx.More):
		return len(cur.pages) > 1
	case truncateLabel(tx.Back):
		return o.kind != optBackKind && len(t.conv.MenuPath) > 2 // navFor's 이전
	case truncateLabel(tx.Home):
		return o.kind != optHomeKind && cur != t.e.home
	case truncateLabel(tx.Agent):
		// 상담원 연결 is offered while the user can escalate and
		// escalation.queue is open (else 메시지 남기기: leaveUnderReply).
		return !t.e.navLike(o, optAgent) && t.canEscalate() && t.e.openAt(t.e.cfg.Escalation.Queue, t.in.Now)
	}
	return false
}

// typedMore answers 더보기 (texts.more, spacing and a polite ending aside:
// folded n) typed on a paged menu in a 1:1 chat, or its quick reply tapped
// and delivered without Baton's extra, as the quick reply does: it shows a
// page of cur. The conversation does not keep the page shown, so it is the
// second, the one 더보기 leads to from the first (where a menu is entered).
// It reports false, doing nothing, for any other text or menu.
func (t *turn) typedMore(cur *menu, n string) bool {
	if t.in.Group || len(cur.pages) < 2 || (n != t.e.norm.more && trimPolite(n) != t.e.norm.more) {
		return false
	}
	t.resetMisses()
	t.enter(cur)
	t.showMenu(cur, 1)
	return true
}
