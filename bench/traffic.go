package bench

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/baton-chat/baton/internal/jsonw"
)

// Block is an Open Builder block as a payload names it.
type Block struct {
	ID   string
	Name string
}

// Kind is what a user does in one turn.
type Kind int

// The turn kinds a session is made of.
const (
	// KindWelcome is the welcome block: empty utterance, block "웰컴 블록".
	KindWelcome Kind = iota
	// KindTap taps a quick reply of the previous answer: utterance = its
	// messageText, action.clientExtra = its extra.
	KindTap
	// KindFAQ is a typed question (fallback block, TEXT_INPUT).
	KindFAQ
	// KindNumber is typed menu navigation ("1", "2", ...).
	KindNumber
	// KindEscalate types Traffic.EscalateUtterance ("상담원"): Baton asks
	// whether to connect (escalation.confirm) or, out of hours, offers a
	// ticket.
	KindEscalate
	// KindConfirm taps Traffic.ConfirmLabel after KindEscalate: the
	// handoff is created and the answer holds the operator button.
	KindConfirm
	// KindWaiting is a typed question from a user whose handoff is open
	// (the waiting state): Baton answers it and re-offers the button.
	KindWaiting
	numKinds
)

// String names the kind in reports.
func (k Kind) String() string {
	switch k {
	case KindWelcome:
		return "welcome"
	case KindTap:
		return "tap"
	case KindFAQ:
		return "faq"
	case KindNumber:
		return "number"
	case KindEscalate:
		return "escalate"
	case KindConfirm:
		return "confirm"
	case KindWaiting:
		return "waiting"
	}
	return "unknown"
}

// Mix weighs the kinds of a user's turns after the first (which is always
// the welcome block). Weights need not sum to 1.
type Mix struct {
	Tap, FAQ, Number, Welcome float64
	// Escalate is the weight of KindEscalate among a bot-state user's
	// turns; the confirm tap and the waiting turns that follow it are
	// not drawn from the mix.
	Escalate float64
}

// Traffic describes what the simulated users send. DefaultTraffic returns
// the 샘플몰 traffic that fits configs/example.yaml.
type Traffic struct {
	BotID, BotName string
	// Welcome and Fallback are the blocks turns arrive on: the welcome
	// block for KindWelcome, the fallback block for everything else.
	Welcome, Fallback Block
	Mix               Mix
	// Questions are typed FAQ questions (KindFAQ); Numbers typed menu
	// numbers (KindNumber).
	Questions, Numbers []string
	// SkipLabels: a quick reply whose label contains one of these is never
	// tapped (escalation, "not helpful", tickets), so a session stays in
	// the bot state as the traffic intends.
	SkipLabels []string
	// FriendShare is the share of users with isFriend true.
	FriendShare float64
	// SessionMin and SessionMax bound a user's session length in turns;
	// after it the user leaves and a new user takes its place.
	SessionMin, SessionMax int
	// EscalateUtterance is typed for KindEscalate; ConfirmLabel is the
	// quick reply tapped for KindConfirm; an answer carrying a quick reply
	// labelled WaitingLabel ("상담 취소") shows the user is waiting for a
	// human. Empty EscalateUtterance: no escalations.
	EscalateUtterance, ConfirmLabel, WaitingLabel string
	// UserGap is the least time between the end of one of a user's turns
	// and the start of the next (Baton limits a user to 10 turns / 10 s,
	// burst 5; a 2 s gap keeps every user at ≤ 0.5 turn/s).
	UserGap time.Duration
}

// DefaultTraffic returns realistic 샘플몰 traffic: sessions of 2–8 turns
// that start at the welcome block and then tap quick replies (42%), type
// FAQ questions (34%), type menu numbers (15%), come back to the welcome
// block (5%) or ask for a human (4% of the turns after the first, ≈ 3% of
// all turns: "상담원", then "네, 연결해 주세요"; the user's later turns are
// waiting-state turns); 85% of users are channel friends.
func DefaultTraffic() Traffic {
	return Traffic{
		BotID:       "64b7f0a9e1a9d3000148a0ff",
		BotName:     "샘플몰 고객센터",
		Welcome:     Block{ID: "64b7f0c2e1a9d3000148a101", Name: "웰컴 블록"},
		Fallback:    Block{ID: "64b7f0c2e1a9d3000148a102", Name: "폴백 블록"},
		Mix:         Mix{Tap: 0.42, FAQ: 0.34, Number: 0.15, Welcome: 0.05, Escalate: 0.04},
		Questions:   append([]string(nil), shopQuestions...),
		Numbers:     []string{"1", "2", "3"},
		SkipLabels:  []string{"상담", "연결", "도움이 안", "남기기", "열리면"},
		FriendShare: 0.85,
		SessionMin:  2,
		SessionMax:  8,
		UserGap:     2 * time.Second,

		EscalateUtterance: "상담원",
		ConfirmLabel:      "네, 연결해 주세요",
		WaitingLabel:      "상담 취소",
	}
}

// shopQuestions are questions a 샘플몰 customer types, with the spacing and
// typos of real chat. None contains an escalation keyword.
var shopQuestions = []string{
	"배송 언제 와요", "환불은얼마나걸려요ㅠ", "택배 어디쯤 왔나요", "송장번호 어디서 봐요?",
	"배송비 얼마에요", "무료배송 기준이 머예요", "주소 잘못 썼어요 ㅠㅠ", "배송지 바꾸고싶어요",
	"주문한지 일주일 됐는데 안와요", "배송완료라는데 물건이 없어요", "상품이 따로 왔어요",
	"주문 취소 하고싶은데요", "결제한거 취소할래요", "사이즈 잘못골랐어요", "비회원 주문조회 어케해요",
	"반품 어떻게 해요?", "반품 접수 하려구요", "사이즈 교환하고 싶어요", "다른색으로 바꿀수 있나요",
	"반품비 얼마예여", "반품 기한 언제까지에요", "옷에 구멍나있어요", "주문한거랑 다른 상품이 왔어요",
	"택 떼면 반품 안돼요?", "회수 기사님이 안와요", "카카오페이 되나요", "무통장입금 되요?",
	"환불 언제 들어와요??", "현금영수증 발급해주세요", "무이자할부 돼요?", "가상계좌 입금기한",
	"회원가입 어떻게 해요", "비번 까먹었어요", "로그인이 안돼요", "등급별 혜택 뭐에요",
	"탈퇴하고싶어요", "쿠폰 적용이 안돼요", "적립금 언제 들어와요", "재입고 알림 받고싶어요",
	"사이즈 추천해주세요", "세탁 어떻게 해요", "선물포장 되나요", "고객센터 전화번호 뭐에요",
}

// QuickReply is a quick reply as an answer carries it.
type QuickReply struct {
	Label       string          `json:"label"`
	Action      string          `json:"action"`
	MessageText string          `json:"messageText,omitempty"`
	BlockID     string          `json:"blockId,omitempty"`
	Extra       json.RawMessage `json:"extra,omitempty"`
}

// user is one simulated KakaoTalk user. A user is held by at most one
// request at a time (the pool hands it out and takes it back), so its
// fields need no lock.
type user struct {
	key, plusfriend string
	friend          bool
	rng             *rand.Rand
	session, turns  int
	welcomed        bool
	replies         []QuickReply
	readyAt         time.Time
	phase           int
	stage           stage
}

// stage is where a user is in an escalation.
type stage int

const (
	stageBot        stage = iota // menus and FAQ
	stageConfirming              // asked "상담원을 연결할까요?"
	stageWaiting                 // handoff open, operator button offered
)

// turn is one request about to be sent.
type turn struct {
	kind      Kind
	utterance string
	extra     json.RawMessage
}

// newUser makes user n of the pool seeded with seed (same seed and n, same user).
func (t *Traffic) newUser(seed uint64, n uint64) *user {
	rng := rand.New(rand.NewPCG(seed, n))
	u := &user{
		key:        hexID(rng, 64),
		plusfriend: alnumID(rng, 12),
		friend:     rng.Float64() < t.FriendShare,
		rng:        rng,
	}
	u.session = t.SessionMin
	if t.SessionMax > t.SessionMin {
		u.session += rng.IntN(t.SessionMax - t.SessionMin + 1)
	}
	return u
}

func hexID(rng *rand.Rand, n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[rng.IntN(len(digits))]
	}
	return string(b)
}

func alnumID(rng *rand.Rand, n int) string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[rng.IntN(len(chars))]
	}
	return string(b)
}

// next picks the user's next turn.
func (t *Traffic) next(u *user) turn {
	if !u.welcomed {
		return turn{kind: KindWelcome}
	}
	switch u.stage {
	case stageConfirming:
		if q, ok := t.replyLabelled(u, t.ConfirmLabel); ok {
			return turn{kind: KindConfirm, utterance: q.MessageText, extra: q.Extra}
		}
		u.stage = stageBot
	case stageWaiting:
		q := t.question(u)
		q.kind = KindWaiting
		return q
	}
	m := t.Mix
	if t.EscalateUtterance == "" {
		m.Escalate = 0
	}
	x := u.rng.Float64() * (m.Tap + m.FAQ + m.Number + m.Welcome + m.Escalate)
	if x < m.Escalate {
		return turn{kind: KindEscalate, utterance: t.EscalateUtterance}
	}
	x -= m.Escalate
	switch {
	case x < m.Tap:
		if q, ok := t.pickReply(u); ok {
			text := q.MessageText
			if text == "" {
				text = q.Label
			}
			return turn{kind: KindTap, utterance: text, extra: q.Extra}
		}
		return t.question(u)
	case x < m.Tap+m.FAQ:
		return t.question(u)
	case x < m.Tap+m.FAQ+m.Number && len(t.Numbers) > 0:
		return turn{kind: KindNumber, utterance: t.Numbers[u.rng.IntN(len(t.Numbers))]}
	default:
		return turn{kind: KindWelcome}
	}
}

func (t *Traffic) question(u *user) turn {
	return turn{kind: KindFAQ, utterance: t.Questions[u.rng.IntN(len(t.Questions))]}
}

// pickReply picks a tappable quick reply of the previous answer.
func (t *Traffic) pickReply(u *user) (QuickReply, bool) {
	var ok [16]int
	n := 0
	for i, q := range u.replies {
		if n == len(ok) {
			break
		}
		if (q.Action == "message" || q.Action == "") && !t.skip(q.Label) {
			ok[n] = i
			n++
		}
	}
	if n == 0 {
		return QuickReply{}, false
	}
	return u.replies[ok[u.rng.IntN(n)]], true
}

// replyLabelled returns the previous answer's quick reply labelled label.
func (t *Traffic) replyLabelled(u *user, label string) (QuickReply, bool) {
	return t.replyLabelledIn(u.replies, label)
}

// answered moves u's escalation stage on after an OK answer of kind k
// with quick replies replies. It reports whether the answer acknowledged
// an escalation (a confirm tap answered in the waiting state).
func (t *Traffic) answered(u *user, k Kind, replies []QuickReply) (acknowledged bool) {
	_, waiting := t.replyLabelledIn(replies, t.WaitingLabel)
	switch k {
	case KindEscalate:
		u.stage = stageBot
		if _, ok := t.replyLabelledIn(replies, t.ConfirmLabel); ok {
			u.stage = stageConfirming
		} else if waiting {
			u.stage = stageWaiting // escalation.confirm off: connected at once
			return true
		}
	case KindConfirm:
		u.stage = stageBot
		if waiting {
			u.stage = stageWaiting
			return true
		}
	case KindWaiting:
		if !waiting {
			u.stage = stageBot // the handoff ended (timed out, not connected)
		}
	}
	return false
}

func (t *Traffic) replyLabelledIn(replies []QuickReply, label string) (QuickReply, bool) {
	for _, q := range replies {
		if q.Label == label && label != "" {
			return q, true
		}
	}
	return QuickReply{}, false
}

func (t *Traffic) skip(label string) bool {
	for _, s := range t.SkipLabels {
		if strings.Contains(label, s) {
			return true
		}
	}
	return false
}

// appendPayload appends the SkillPayload JSON of turn tn by user u, shaped
// like a production Open Builder request (spec §10).
func (t *Traffic) appendPayload(b []byte, u *user, tn turn) []byte {
	block := t.Fallback
	if tn.kind == KindWelcome {
		block = t.Welcome
	}
	b = append(b, `{"intent":{"id":`...)
	b = jsonw.AppendString(b, block.ID)
	b = append(b, `,"name":`...)
	b = jsonw.AppendString(b, block.Name)
	b = append(b, `},"userRequest":{"timezone":"Asia/Seoul","params":{"surface":"Kakaotalk.plusfriend"},"block":{"id":`...)
	b = jsonw.AppendString(b, block.ID)
	b = append(b, `,"name":`...)
	b = jsonw.AppendString(b, block.Name)
	b = append(b, `},"utterance":`...)
	b = jsonw.AppendString(b, tn.utterance)
	b = append(b, `,"lang":"ko","user":{"id":`...)
	b = jsonw.AppendString(b, u.key)
	b = append(b, `,"type":"botUserKey","properties":{"botUserKey":`...)
	b = jsonw.AppendString(b, u.key)
	b = append(b, `,"plusfriendUserKey":`...)
	b = jsonw.AppendString(b, u.plusfriend)
	if u.friend {
		b = append(b, `,"isFriend":true`...)
	}
	b = append(b, `,"bot_user_key":`...)
	b = jsonw.AppendString(b, u.key)
	b = append(b, `,"plusfriend_user_key":`...)
	b = jsonw.AppendString(b, u.plusfriend)
	b = append(b, `}}},"bot":{"id":`...)
	b = jsonw.AppendString(b, t.BotID)
	b = append(b, `,"name":`...)
	b = jsonw.AppendString(b, t.BotName)
	b = append(b, `},"action":{"id":"64b7f0d5e1a9d3000148a1a0","name":"baton","params":{},"detailParams":{},"clientExtra":`...)
	if len(tn.extra) > 0 {
		b = append(b, tn.extra...)
	} else {
		b = append(b, `{}`...)
	}
	b = append(b, `},"contexts":[]`...)
	if tn.kind != KindWelcome {
		trigger := "TEXT_INPUT"
		if tn.kind == KindTap {
			trigger = "QUICKREPLY_BUTTON_MESSAGE"
		}
		b = append(b, `,"flow":{"lastBlock":{"id":`...)
		b = jsonw.AppendString(b, t.Fallback.ID)
		b = append(b, `,"name":`...)
		b = jsonw.AppendString(b, t.Fallback.Name)
		b = append(b, `},"trigger":{"type":"`...)
		b = append(b, trigger...)
		b = append(b, `"}}`...)
	}
	return append(b, '}')
}
