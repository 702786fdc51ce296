package configs

// Config is the whole YAML file a bot master edits. Field names follow the
// stable keys of DESIGN §4. Load fills defaults for everything left out, so
// code reading a loaded Config never sees a zero duration or an empty text.
type Config struct {
	Bot         Bot               `yaml:"bot"`
	Kakao       Kakao             `yaml:"kakao"`
	Server      Server            `yaml:"server"`
	Blocks      Blocks            `yaml:"blocks"`
	Texts       Texts             `yaml:"texts"`
	Welcome     Welcome           `yaml:"welcome"`
	SessionIdle Duration          `yaml:"session_idle"`
	Menus       map[string]*Menu  `yaml:"menus"`
	FAQ         []FAQEntry        `yaml:"faq"`
	Escalation  Escalation        `yaml:"escalation"`
	Handoff     Handoff           `yaml:"handoff"`
	Dealers     map[string]Dealer `yaml:"dealers"`
	Notify      []Notify          `yaml:"notify"`
	EventAPI    EventAPI          `yaml:"event_api"`
	Callback    Callback          `yaml:"callback"`
	Retention   Retention         `yaml:"retention"`
	Tickets     Tickets           `yaml:"tickets"`

	// Version identifies this config's content (a short hash of the file
	// bytes). It is stamped into every tap's extra so taps on bubbles from an
	// older config are recognised as stale — except a menu option's tap
	// whose option is unchanged (fsm: Tap.H). Set by Load, not read from YAML.
	Version string `yaml:"-"`
	// Path is the file Load read. Set by Load.
	Path string `yaml:"-"`
	// Warnings are problems that do not stop the config from loading but
	// make it behave otherwise than its author probably meant, positioned
	// like errors and in file order. Set by Load; serve logs them and
	// `baton validate` prints them.
	Warnings Errors `yaml:"-"`
}

// Bot names the chatbot.
type Bot struct {
	Name string `yaml:"name"`
}

// Kakao holds the channel-side settings of 챗봇 관리자센터.
type Kakao struct {
	// Consultation is where the operator button leads: "one_on_one" (channel
	// 1:1 chat) or "sangdamtalk" (상담톡 through a dealer).
	Consultation string `yaml:"consultation"`
	// Tokens are the accepted values of TokenHeader (헤더값 and 테스트 헤더값).
	// Empty strings are dropped; an empty list means /skill is open, which
	// serve allows only on a loopback --addr.
	Tokens      []string `yaml:"tokens"`
	TokenHeader string   `yaml:"token_header"`
}

// Server tunes the skill server. Every field has a default.
type Server struct {
	// SoftDeadline: past it a turn with a callbackUrl answers useCallback.
	SoftDeadline Duration `yaml:"soft_deadline"`
	// HardDeadline: past it the turn answers the fallback.
	HardDeadline Duration  `yaml:"hard_deadline"`
	RateLimit    RateLimit `yaml:"rate_limit"`
}

// RateLimit is the per-user token bucket: Turns per Per, with Burst.
type RateLimit struct {
	Turns int      `yaml:"turns"`
	Per   Duration `yaml:"per"`
	Burst int      `yaml:"burst"`
}

// Blocks classifies Open Builder blocks by name or id.
type Blocks struct {
	Welcome  []string               `yaml:"welcome"`
	Fallback []string               `yaml:"fallback"`
	Returned []string               `yaml:"returned"`
	Map      map[string]BlockAction `yaml:"map"`
}

// BlockAction is what a mapped custom block does: exactly one field is set.
type BlockAction struct {
	Goto    string `yaml:"goto"`
	FAQ     string `yaml:"faq"`
	Handoff string `yaml:"handoff"`
}

// Welcome configures the welcome block.
type Welcome struct {
	Text           string   `yaml:"text"`
	Menu           string   `yaml:"menu"`
	RewelcomeAfter Duration `yaml:"rewelcome_after"`
}

// Menu is one ARS-style menu. Options keep their YAML order.
type Menu struct {
	Text     string   `yaml:"text"`
	Category string   `yaml:"category"` // FAQ category favoured while the user is in this menu
	Options  []Option `yaml:"options"`
}

// Option is one menu entry; exactly one action field is set.
type Option struct {
	ID      string `yaml:"id"`
	Label   string `yaml:"label"`
	Goto    string `yaml:"goto"`
	FAQ     string `yaml:"faq"`
	Handoff string `yaml:"handoff"`
	Text    string `yaml:"text"`
	Link    string `yaml:"link"`
	Back    bool   `yaml:"back"`
	Home    bool   `yaml:"home"`
}

// FAQEntry is one FAQ item.
type FAQEntry struct {
	ID         string   `yaml:"id"`
	Category   string   `yaml:"category"`
	Question   string   `yaml:"question"`
	Alternates []string `yaml:"alternates"`
	Answer     string   `yaml:"answer"`
	// Link, when set, is shown as a webLink button under the answer.
	Link *Link `yaml:"link"`
}

// Link is a labelled http(s) URL.
type Link struct {
	Label string `yaml:"label"`
	URL   string `yaml:"url"`
}

// Escalation says when the bot offers a human. Keywords match the folded
// utterance (Fold) as substrings, except a keyword of one or two Hangul
// syllables ("사람"), which matches only as the first word, alone or with a
// short ending ("사람이요", "사람이랑"); see fsm's keywords.go.
type Escalation struct {
	Queue     string   `yaml:"queue"`
	Keywords  []string `yaml:"keywords"`
	FAQMisses int      `yaml:"faq_misses"`
	Confirm   bool     `yaml:"confirm"`
	// Complaints are words of an upset user ("최악", "짜증", "몇 번을 말").
	// A typed turn the FAQ has no answer for that holds one, at the start
	// of a word and ignoring spaces, gets texts.complaint with 상담원 연결
	// first instead of texts.no_match; an answered one keeps its answer
	// with 상담원 연결 first. Neither escalates: the user chooses.
	Complaints []string `yaml:"complaints"`
}

// Handoff configures queues, hours and waiting.
type Handoff struct {
	Queues      map[string]Queue `yaml:"queues"`
	Hours       map[string]Hours `yaml:"hours"`
	WaitTimeout WaitTimeout      `yaml:"wait_timeout"`
	// DealerFailoverAfter is how long after its first failed attempt a
	// dealer that is down (5xx, unreachable) keeps being retried before the
	// router falls back to the notify sinks and a dealer_failed ticket
	// (DefaultDealerFailover; below the wait timeout of every dealer queue).
	DealerFailoverAfter Duration `yaml:"dealer_failover_after"`
	ReturnGap           Duration `yaml:"return_gap"`
	// OneOnOneIdle closes an accepted one_on_one (notify) handoff this long
	// after it was accepted: Baton never sees a 1:1 chat, so an agent who
	// never ends it would otherwise keep it (and the user) open for ever.
	// "off" (DurationOff) never closes one: agents end every chat with the
	// end link or the admin API.
	OneOnOneIdle OffDuration `yaml:"one_on_one_idle"`
}

// Queue is where escalations wait for a human.
type Queue struct {
	Target      string   `yaml:"target"` // "notify" or "dealer:<name>"
	Hours       string   `yaml:"hours"`  // a key of Handoff.Hours; empty = always open
	MaxWaiting  int      `yaml:"max_waiting"`
	WaitTimeout Duration `yaml:"wait_timeout"` // overrides Handoff.WaitTimeout for this queue
	// Intake lists the fields asked, one at a time, before a handoff to
	// this queue is opened (order number, ...); at most MaxIntakeFields.
	Intake []IntakeField `yaml:"intake"`
}

// Hours are weekly opening windows with holidays and per-date exceptions.
type Hours struct {
	Timezone string `yaml:"timezone"`
	// Weekly maps day ranges ("mon-fri", "sat") to windows ("09:00-12:00").
	Weekly   map[string][]string `yaml:"weekly"`
	Holidays []string            `yaml:"holidays"` // calendars, e.g. "kr"
	// Exceptions maps a date (2026-12-24) to that day's windows; an empty
	// list closes the day.
	Exceptions map[string][]string `yaml:"exceptions"`
}

// WaitTimeout is how long a handoff may wait, per target kind.
type WaitTimeout struct {
	Dealer Duration `yaml:"dealer"`
	Notify Duration `yaml:"notify"`
}

// Dealer is a 상담톡 dealer endpoint (contract v1).
type Dealer struct {
	URL    string `yaml:"url"`
	Secret string `yaml:"secret"`
	PII    bool   `yaml:"pii"`
}

// Notify is a sink that tells agents about handoffs and tickets.
type Notify struct {
	// ID names the sink in Baton's delivery records (which sink was told
	// of which handoff and ticket), in logs and in the admin API: a short
	// slug, unique among the sinks. Unset, SinkID derives one from the
	// kind and the url, so moving the entry in the list keeps it.
	ID     string `yaml:"id"`
	Kind   string `yaml:"kind"` // "webhook" or "slack"
	URL    string `yaml:"url"`
	Secret string `yaml:"secret"`
	PII    bool   `yaml:"pii"`
	// SendClosed turns on the handoff.closed message (a handoff this sink
	// was told about is over); unset, it is on for slack (a human reads
	// it) and off for webhook (a strict receiver may refuse a type it does
	// not know). ClosedOn reads it.
	SendClosed *bool `yaml:"send_closed"`
}

// ClosedOn reports whether n sends handoff.closed: send_closed when set,
// else true for a slack sink and false for a webhook.
func (n Notify) ClosedOn() bool {
	if n.SendClosed != nil {
		return *n.SendClosed
	}
	return n.Kind == "slack"
}

// EventAPI configures bot-initiated messages.
type EventAPI struct {
	BaseURL        string            `yaml:"base_url"`
	RestAPIKey     string            `yaml:"rest_api_key"`
	Events         map[string]string `yaml:"events"`
	DailyBudgetWon int               `yaml:"daily_budget_won"`
	// WonPerMessage is Kakao's price of one delivered message (15원, VAT
	// excluded); the budget counts it per recipient.
	WonPerMessage int `yaml:"won_per_message"`
	// CallsPerSecond is the client-side rate limit on Event API calls.
	CallsPerSecond int `yaml:"calls_per_second"`
	// StaleAfter: an event block's turn this long after the message was sent
	// answers nothing (Suppress).
	StaleAfter Duration `yaml:"stale_after"`
}

// Callback configures the AI chatbot callback.
type Callback struct {
	Hosts []string `yaml:"hosts"`
}

// Retention is how long each kind of record is kept.
type Retention struct {
	Turns     Duration `yaml:"turns"`
	Handoffs  Duration `yaml:"handoffs"`
	Tickets   Duration `yaml:"tickets"`
	Contacts  Duration `yaml:"contacts"`
	AccessLog Duration `yaml:"access_log"`
	// Notifications: Event API messages no longer pending.
	Notifications Duration `yaml:"notifications"`
	// Timers: fired or cancelled timer rows.
	Timers Duration `yaml:"timers"`
	// Outbox: outbox rows already published to NATS.
	Outbox Duration `yaml:"outbox"`
	// Users: users not seen for this long (and with nothing open) are
	// deleted with everything that is theirs.
	Users Duration `yaml:"users"`
}
