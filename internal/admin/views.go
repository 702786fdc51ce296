package admin

import (
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// ts formats t as RFC 3339 UTC; the zero time is "" (omitted).
func ts(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

type handoffView struct {
	ID            string   `json:"id"`
	Code          string   `json:"code"`
	UserKey       string   `json:"user_key"`
	BotID         string   `json:"bot_id"`
	PlusfriendKey string   `json:"plusfriend_key,omitempty"`
	Queue         string   `json:"queue"`
	Target        string   `json:"target"`
	Reason        string   `json:"reason"`
	MenuPath      []string `json:"menu_path"`
	FAQMisses     int      `json:"faq_misses"`
	Test          bool     `json:"test"`
	State         string   `json:"state"` // waiting | human | ended
	CreatedAt     string   `json:"created_at"`
	AcceptedAt    string   `json:"accepted_at,omitempty"`
	EndedAt       string   `json:"ended_at,omitempty"`
	EndReason     string   `json:"end_reason,omitempty"`
	// ContactPreference: "sms" or "chat" when the user stated one during
	// the intake; absent otherwise.
	ContactPreference string `json:"contact_preference,omitempty"`
}

func viewHandoff(h store.Handoff) handoffView {
	state := store.HandoffWaiting
	switch {
	case !h.EndedAt.IsZero():
		state = store.HandoffEnded
	case !h.AcceptedAt.IsZero():
		state = store.HandoffHuman
	}
	menu := h.MenuPath
	if menu == nil {
		menu = []string{}
	}
	return handoffView{ID: h.ID, Code: h.Code, UserKey: h.UserKey, BotID: h.BotID, PlusfriendKey: h.PlusfriendKey,
		Queue: h.Queue, Target: h.Target, Reason: h.Reason, MenuPath: menu, FAQMisses: h.FAQMisses, Test: h.Test,
		State: state, CreatedAt: ts(h.CreatedAt), AcceptedAt: ts(h.AcceptedAt), EndedAt: ts(h.EndedAt), EndReason: h.EndReason,
		ContactPreference: h.ContactPref}
}

type userView struct {
	Key           string `json:"key"`
	BotID         string `json:"bot_id"`
	PlusfriendKey string `json:"plusfriend_key,omitempty"`
	AppUserID     string `json:"app_user_id,omitempty"`
	IsFriend      bool   `json:"is_friend"`
	Test          bool   `json:"test"`
	FirstSeen     string `json:"first_seen"`
	LastSeen      string `json:"last_seen"`
	WelcomedAt    string `json:"welcomed_at,omitempty"`
}

func viewUser(u store.User) userView {
	return userView{Key: u.Key, BotID: u.BotID, PlusfriendKey: u.PlusfriendKey, AppUserID: u.AppUserID,
		IsFriend: u.IsFriend, Test: u.Test, FirstSeen: ts(u.FirstSeen), LastSeen: ts(u.LastSeen), WelcomedAt: ts(u.WelcomedAt)}
}

type conversationView struct {
	State         string   `json:"state"`
	MenuPath      []string `json:"menu_path"`
	FAQMisses     int      `json:"faq_misses"`
	HandoffID     string   `json:"handoff_id,omitempty"`
	Queue         string   `json:"queue,omitempty"`
	StateSince    string   `json:"state_since,omitempty"`
	LastTurnAt    string   `json:"last_turn_at,omitempty"`
	ConfigVersion string   `json:"config_version"`
	Version       int64    `json:"version"`
	// CSATPending: the last reply asked the CSAT question (its source,
	// "reply"; "reply/again" when it asked again after an unclear "N번",
	// fsm.CSATAskedAgain), so the user's next text may be a typed score;
	// CSATHandoff is the handoff that question is about, which the score
	// goes to.
	CSATPending string `json:"csat_pending,omitempty"`
	CSATHandoff string `json:"csat_handoff,omitempty"`
}

func viewConversation(c fsm.Conversation) conversationView {
	menu := c.MenuPath
	if menu == nil {
		menu = []string{}
	}
	v := conversationView{State: string(c.State), MenuPath: menu, FAQMisses: c.FAQMisses, HandoffID: c.HandoffID,
		Queue: c.Queue, StateSince: ts(c.StateSince), LastTurnAt: ts(c.LastTurnAt), ConfigVersion: c.ConfigVersion, Version: c.Version}
	if source, handoff, again := fsm.ParseCSATPending(c.CSATPending); source != "" {
		v.CSATPending, v.CSATHandoff = source, handoff
		if again {
			v.CSATPending += fsm.CSATAskedAgain
		}
	}
	return v
}

type turnView struct {
	ID        string  `json:"id"`
	At        string  `json:"at"`
	Block     string  `json:"block"`
	Utterance string  `json:"utterance"` // masked when stored
	Kind      string  `json:"kind"`
	Node      string  `json:"node,omitempty"`
	Score     float64 `json:"score,omitempty"`
	State     string  `json:"state"`
	Test      bool    `json:"test,omitempty"`
}

func viewTurns(ts_ []store.Turn) []turnView {
	out := make([]turnView, 0, len(ts_))
	for _, t := range ts_ {
		out = append(out, turnView{ID: t.ID, At: ts(t.At), Block: t.Block, Utterance: t.Utterance, Kind: t.Kind,
			Node: t.Node, Score: t.Score, State: string(t.State), Test: t.Test})
	}
	return out
}

type tokenView struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Role       string `json:"role"`
	CreatedBy  string `json:"created_by,omitempty"`
	CreatedAt  string `json:"created_at"`
	LastUsedAt string `json:"last_used_at,omitempty"`
	RevokedAt  string `json:"revoked_at,omitempty"`
	// Token is the secret, returned once by create and never stored.
	Token string `json:"token,omitempty"`
}

func viewToken(t store.AdminToken) tokenView {
	return tokenView{ID: t.ID, Name: t.Name, Role: t.Role, CreatedBy: t.CreatedBy, CreatedAt: ts(t.CreatedAt),
		LastUsedAt: ts(t.LastUsedAt), RevokedAt: ts(t.RevokedAt)}
}

type accessView struct {
	ID      int64  `json:"id"`
	At      string `json:"at"`
	TokenID string `json:"token_id"`
	Role    string `json:"role"`
	Action  string `json:"action"`
	Subject string `json:"subject"`
	// TicketID names the ticket of a read_ticket or read_contact.
	TicketID string `json:"ticket_id,omitempty"`
	// HandoffID names the handoff of a read_intake.
	HandoffID string `json:"handoff_id,omitempty"`
}

type reloadView struct {
	ID      int64  `json:"id"`
	At      string `json:"at"`
	By      string `json:"by"`
	Version string `json:"version,omitempty"`
	Result  string `json:"result"`
	Detail  string `json:"detail,omitempty"`
}

func viewReload(r store.Reload) reloadView {
	return reloadView{ID: r.ID, At: ts(r.At), By: r.By, Version: r.Version, Result: r.Result, Detail: r.Detail}
}
