package handoff

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/keyfile"
	"github.com/baton-chat/baton/store"
)

// Link actions: what following a signed link does to a handoff.
const (
	LinkAccept = "accept" // a human took the chat: waiting → human
	LinkEnd    = "end"    // the human is done: human (or waiting) → bot
)

// LinkReason is the transition reason recorded for link-driven events.
const LinkReason = "agent_link"

// DefaultLinkTTL is how long an accept/end link stays valid: long enough to
// cover the wait and a long human session.
const DefaultLinkTTL = 7 * 24 * time.Hour

// ErrBadLink is returned by Links.Parse for a token that is malformed, not
// signed with this key, or expired.
var ErrBadLink = errors.New("handoff: bad or expired link")

// linkMACLen is how many bytes of HMAC-SHA256 a token carries (128 bits).
const linkMACLen = 16

// Links mints and checks the signed accept/end links sent to agents
// (`/a/{token}` on the admin address: a GET shows a page whose button
// POSTs, and the POST acts; see Handler). A token is
// base64url("<handoff id>.<a|e>.<expiry unix>") + "." + base64url(HMAC-SHA256
// truncated to 128 bits); it names the handoff, not the user, and carries no
// personal data.
type Links struct {
	// TTL is the validity of new links; default DefaultLinkTTL.
	TTL time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Texts returns the config's texts, read for each page served so that
	// a reload changes the pages (texts.link_*); default
	// configs.DefaultTexts.
	Texts func() configs.Texts

	key  []byte
	base string
	old  [][]byte // also accepted by Parse (AcceptOld)
}

// NewLinks returns links signed with key and served under baseURL (the admin
// address as agents reach it, e.g. "http://127.0.0.1:8081").
func NewLinks(key []byte, baseURL string) *Links {
	return &Links{key: key, base: strings.TrimRight(baseURL, "/")}
}

// LinkKey returns the key that signed links before LinkSigningKey (which
// signs them now; see AcceptOld) and from which the admin access log's
// subject key is derived: derived from adminToken (BATON_ADMIN_TOKEN) when
// it is set, else the random 32-byte key kept in dataDir/link.key (created
// 0600 on first use). It returns an error when the key file cannot be read
// or created.
func LinkKey(dataDir, adminToken string) ([]byte, error) {
	if adminToken != "" {
		m := hmac.New(sha256.New, []byte(adminToken))
		m.Write([]byte("baton link key v1"))
		return m.Sum(nil), nil
	}
	key, err := keyfile.Load(dataDir, "link.key")
	if err != nil {
		return nil, fmt.Errorf("handoff: link key: %w", err)
	}
	return key, nil
}

func (l *Links) texts() configs.Texts {
	if l.Texts != nil {
		return l.Texts()
	}
	return configs.DefaultTexts()
}

func (l *Links) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// Token returns the signed token for action (LinkAccept or LinkEnd) on
// handoff id, valid until exp.
func (l *Links) Token(id, action string, exp time.Time) string {
	a := "a"
	if action == LinkEnd {
		a = "e"
	}
	payload := id + "." + a + "." + strconv.FormatInt(exp.Unix(), 10)
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte(payload))
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(m.Sum(nil)[:linkMACLen])
}

// URL returns the full link for action on handoff id, valid for TTL.
func (l *Links) URL(id, action string) string {
	ttl := l.TTL
	if ttl <= 0 {
		ttl = DefaultLinkTTL
	}
	return l.base + "/a/" + l.Token(id, action, l.now().Add(ttl))
}

// Parse checks token and returns the handoff id and action it names. It
// returns ErrBadLink when the token is malformed, its signature does not
// verify, or it has expired.
func (l *Links) Parse(token string) (id, action string, err error) {
	p, sig, ok := strings.Cut(token, ".")
	if !ok {
		return "", "", ErrBadLink
	}
	payload, err1 := decodeLinkPart(p)
	mac, err2 := decodeLinkPart(sig)
	if err1 != nil || err2 != nil || len(mac) != linkMACLen {
		return "", "", ErrBadLink
	}
	if !l.signedBy(payload, mac) { // link_key.go
		return "", "", ErrBadLink
	}
	parts := strings.Split(string(payload), ".")
	if len(parts) != 3 || parts[0] == "" {
		return "", "", ErrBadLink
	}
	exp, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || l.now().Unix() > exp {
		return "", "", ErrBadLink
	}
	switch parts[1] {
	case "a":
		return parts[0], LinkAccept, nil
	case "e":
		return parts[0], LinkEnd, nil
	}
	return "", "", ErrBadLink
}

// decodeLinkPart decodes one base64url part of a token strictly, so that
// exactly one string is valid for each payload and signature: it refuses
// non-zero trailing bits (which the lenient decoder drops, letting several
// last characters stand for the same bytes) and any other spelling whose
// re-encoding differs, such as embedded CR or LF (which even the strict
// decoder skips). It returns an error for any such string.
func decodeLinkPart(s string) ([]byte, error) {
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("handoff: link token: %w", err)
	}
	if base64.RawURLEncoding.EncodeToString(b) != s {
		return nil, errors.New("handoff: link token: not in canonical form")
	}
	return b, nil
}

// Applier steps a lifecycle event for a user; *skill.Server satisfies it.
// Apply returns an error wrapping fsm.ErrNoTransition when the event does
// not apply in the conversation's state.
type Applier interface {
	Apply(ctx context.Context, userKey, event, reason string) (fsm.Outcome, error)
}

// HandoffReader loads a handoff by id, and says whether it was failed over
// from its dealer; *store.DB satisfies it.
type HandoffReader interface {
	Handoff(ctx context.Context, id string) (store.Handoff, bool, error)
	DealerFailed(ctx context.Context, id string) (bool, error)
}

// Handler serves `/a/{token}`: token is the path's last segment (the
// caller's router extracts it and passes the request; register both GET
// and POST). A GET only reads: it answers a page saying where the handoff
// stands (its state, code and queue) with one button that POSTs to the same
// URL, or, when the action can no longer apply, what already happened — so
// that a link previewer (Slack's unfurler, KakaoWork or Teams previews,
// Outlook Safe Links and other mail scanners fetch every URL of a message
// with a GET) never accepts or ends a handoff. A POST applies the action
// (ApplyAction): an accept link moves the user's conversation to human, an
// end link back to bot. Answers: 200 with a short page (the button page, the
// applied action, or, when nothing changed, what already happened:
// alreadyText), 403 for a bad or expired token, 404 for an unknown
// handoff, 405 for another method, 500 on a store failure; each page's text
// is the config's (texts.link_*, read per request).
func (l *Links) Handler(db HandoffReader, app Applier, logger *slog.Logger) func(w http.ResponseWriter, r *http.Request, token string) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	log := logger.With("component", "links")
	return func(w http.ResponseWriter, r *http.Request, token string) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Referrer-Policy", "no-referrer")
		w.Header().Set("Content-Security-Policy", linkCSP)
		if r.Method != http.MethodGet && r.Method != http.MethodPost {
			w.Header().Set("Allow", "GET, POST")
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		tx := l.texts()
		id, action, err := l.Parse(token)
		if err != nil {
			linkPage(w, http.StatusForbidden, tx.LinkTitle, tx.LinkInvalid)
			return
		}
		if r.Method == http.MethodGet {
			showLink(w, r, db, id, action, tx, log)
			return
		}
		// POST: the agent pressed the button of the GET page. It carries no
		// CSRF token, and needs none: the token in the URL is the secret (a
		// page elsewhere that could forge this POST must already know it,
		// and could then press the button itself), and Baton sets and
		// reads no cookie here, so a forged request rides on no session.
		h, changed, err := ApplyAction(r.Context(), db, app, id, action, LinkReason)
		switch {
		case errors.Is(err, ErrUnknownHandoff):
			linkPage(w, http.StatusNotFound, tx.LinkTitle, tx.LinkUnknown)
		case err != nil:
			log.Error("link: apply", "handoff", id, "action", action, "err", err)
			linkPage(w, http.StatusInternalServerError, tx.LinkTitle, tx.LinkRetry)
		case !changed:
			// What stopped the action may have happened just now: say where
			// the handoff stands after it, not before.
			if cur, ok, err := db.Handoff(r.Context(), id); err == nil && ok {
				h = cur
			}
			linkPage(w, http.StatusOK, tx.LinkTitle, withCode(settledText(r.Context(), db, h, tx, log), h.Code))
		case action == LinkEnd:
			log.Info("link applied", "handoff", id, "code", h.Code, "action", action)
			linkPage(w, http.StatusOK, tx.LinkTitle, withCode(tx.LinkEnded, h.Code))
		default:
			log.Info("link applied", "handoff", id, "code", h.Code, "action", action)
			text := tx.LinkAccepted
			if failedOver(r.Context(), db, h, log) {
				text = tx.LinkAcceptedFailedOver
			}
			linkPage(w, http.StatusOK, tx.LinkTitle, withCode(text, h.Code))
		}
	}
}

// linkCSP is the link pages' Content-Security-Policy: no script, style or
// other resource, never framed (no page elsewhere can overlay the button),
// and the form posts only back to Baton.
const linkCSP = "default-src 'none'; frame-ancestors 'none'; form-action 'self'"

// showLink answers the GET of a link for action on handoff id: it reads the
// handoff and changes nothing. While the action may still apply, the page
// says where the handoff stands (texts.link_confirm_waiting or
// link_confirm_taken, with its code and queue) above the one button
// (texts.link_accept_button or link_end_button) that POSTs to the same URL;
// once it cannot (the handoff has ended, or an accept link's handoff was
// taken), the page says what already happened, as the POST would.
func showLink(w http.ResponseWriter, r *http.Request, db HandoffReader, id, action string, tx configs.Texts, log *slog.Logger) {
	h, ok, err := db.Handoff(r.Context(), id)
	switch {
	case err != nil:
		log.Error("link: read", "handoff", id, "action", action, "err", err)
		linkPage(w, http.StatusInternalServerError, tx.LinkTitle, tx.LinkRetry)
		return
	case !ok:
		linkPage(w, http.StatusNotFound, tx.LinkTitle, tx.LinkUnknown)
		return
	case !h.EndedAt.IsZero() || (action == LinkAccept && !h.AcceptedAt.IsZero()):
		// ApplyAction would change nothing.
		linkPage(w, http.StatusOK, tx.LinkTitle, withCode(settledText(r.Context(), db, h, tx, log), h.Code))
		return
	}
	def := configs.DefaultTexts()
	text := orDefault(tx.LinkConfirmWaiting, def.LinkConfirmWaiting)
	if !h.AcceptedAt.IsZero() {
		text = orDefault(tx.LinkConfirmTaken, def.LinkConfirmTaken)
	}
	button := orDefault(tx.LinkAcceptButton, def.LinkAcceptButton)
	if action == LinkEnd {
		button = orDefault(tx.LinkEndButton, def.LinkEndButton)
	}
	text = strings.ReplaceAll(withCode(text, h.Code), configs.LinkQueuePlaceholder, h.Queue)
	buttonPage(w, tx.LinkTitle, text, button)
}

// orDefault is text, or def when text is blank: a button without a label
// could not be pressed knowingly.
func orDefault(text, def string) string {
	if strings.TrimSpace(text) == "" {
		return def
	}
	return text
}

// settledText is the text, {code} not yet filled, of a link whose action
// did not or cannot apply to h: alreadyText, in its failed-over wording for
// a handoff taken after its 상담톡 dealer failed.
func settledText(ctx context.Context, db HandoffReader, h store.Handoff, tx configs.Texts, log *slog.Logger) string {
	text := alreadyText(h, tx)
	if text == tx.LinkTaken && failedOver(ctx, db, h, log) {
		text = tx.LinkTakenFailedOver
	}
	return text
}

// failedOver reports whether h went to a 상담톡 dealer that Baton failed it
// over from: the agent who takes it from the notify sinks is in no chat
// with the user. A store error reads as no (the 1:1 wording), logged.
func failedOver(ctx context.Context, db HandoffReader, h store.Handoff, log *slog.Logger) bool {
	if !strings.HasPrefix(h.Target, "dealer:") {
		return false
	}
	failed, err := db.DealerFailed(ctx, h.ID)
	if err != nil {
		log.Warn("link: read the dealer failover", "handoff", h.ID, "err", err)
		return false
	}
	return failed
}

// alreadyText says, for an agent whose link changed nothing, what already
// happened to h: who ended it and how, or that someone has it, so that an
// agent never mistakes a request nobody took for one a colleague handles.
// It returns the text of tx for the case, {code} not yet filled.
func alreadyText(h store.Handoff, tx configs.Texts) string {
	if h.EndedAt.IsZero() {
		if !h.AcceptedAt.IsZero() {
			return tx.LinkTaken
		}
		return tx.LinkNotWaiting
	}
	switch r := h.EndReason; {
	case r == "user_cancel" && !h.AcceptedAt.IsZero():
		// Their 상담 취소 reached the bot as an agent took it (the accept
		// is kept): somebody did take it.
		return tx.LinkAgentEnded
	case r == "user_cancel":
		return tx.LinkUserCancelled
	case r == "wait_timeout" || r == "not_connected" || r == fsm.ReasonWaitTimeoutTicket:
		return tx.LinkWaitTimedOut
	case r == "returned_via_kakao":
		return tx.LinkUserReturned
	case r == "superseded":
		return tx.LinkSuperseded
	case !h.AcceptedAt.IsZero():
		return tx.LinkAgentEnded
	}
	return tx.LinkAlreadyEnded
}

// withCode fills the handoff code into a link page text.
func withCode(text, code string) string {
	return strings.ReplaceAll(text, configs.LinkCodePlaceholder, code)
}

// linkPage answers a minimal HTML page titled title saying msg, both
// HTML-escaped (they come from the config).
func linkPage(w http.ResponseWriter, status int, title, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html><html lang=\"ko\"><meta charset=\"utf-8\"><title>%s</title><p>%s</p></html>\n",
		html.EscapeString(title), html.EscapeString(msg))
}

// buttonPage answers 200 with the page of a link's GET: linkPage's title
// and msg above a form of one button labelled button that POSTs to the
// page's own URL (a form without action). All three are HTML-escaped.
func buttonPage(w http.ResponseWriter, title, msg, button string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	fmt.Fprintf(w, "<!doctype html><html lang=\"ko\"><meta charset=\"utf-8\"><title>%s</title><p>%s</p>"+
		"<form method=\"post\"><button type=\"submit\">%s</button></form></html>\n",
		html.EscapeString(title), html.EscapeString(msg), html.EscapeString(button))
}
