package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/baton-chat/baton/skill/openbuilder"
)

const chatHelp = `commands:
  N              tap choice N of the last answer (a number with no such choice is sent as text)
  /say TEXT      send TEXT as typed, even if it is a number
  /block NAME    run the Open Builder block NAME (e.g. a mapped block or "상담 종료")
  /welcome       send the welcome block
  /user NAME     switch to user NAME (new keys) and send the welcome block
  /raw           toggle printing the raw request and response JSON
  /help          this help
  /quit          leave (so does end of input)
anything else is typed text: it reaches the skill through the fallback block.
`

// chat is one `baton chat` session: a conversation plus the terminal.
type chat struct {
	conv     *openbuilder.Conversation
	out      io.Writer
	raw      bool
	isFriend bool
	token    string // the skill token sent ("" for none)
	header   string // the header that carries it
	// refused is set when the skill answered 401: every later turn would
	// be refused too, so the session stops.
	refused bool
}

// runChat is `baton chat`: Open Builder in a terminal against a running
// skill server. It returns the exit code: 0 on /quit or end of input or
// -h, 2 on bad flags (a --url that is not http or https with a host among
// them), 1 when stdin cannot be read or when the skill refused the
// token (HTTP 401), after which the session stops, piped or interactive.
func runChat(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("baton chat", flag.ContinueOnError)
	fs.SetOutput(stderr)
	skillURL := fs.String("url", openbuilder.DefaultURL, "skill URL (http:// or https://)")
	user := fs.String("user", "tester", "user name (the botUserKey is derived from it)")
	token := fs.String("token", os.Getenv("BATON_SKILL_TOKEN"), "skill token (default $BATON_SKILL_TOKEN)")
	header := fs.String("header", openbuilder.DefaultTokenHeader, "header that carries the token")
	botID := fs.String("bot-id", openbuilder.DefaultBotID, "bot.id to send (a trailing ! marks a development channel)")
	test := fs.Bool("test", false, "send as the admin centre's bot test (surface BuilderBotTest)")
	friend := fs.Bool("friend", true, "the user has added the channel (isFriend)")
	timeout := fs.Duration("timeout", openbuilder.DefaultTimeout, "how long to wait for an answer (Open Builder waits 5s)")
	raw := fs.Bool("raw", false, "print the raw request and response JSON")
	welcome := fs.Bool("welcome", true, "send the welcome block first (-welcome=false: carry on the user's conversation where it stands, e.g. a one-line script piped in after an earlier run)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: baton chat [--url URL] [--user NAME] [flags]")
		fs.PrintDefaults()
		fmt.Fprint(stderr, "\n"+chatHelp)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "baton chat: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if problem := chatURLProblem(*skillURL); problem != "" {
		fmt.Fprintf(stderr, "baton chat: --url %q: %s\n", *skillURL, problem)
		return 2
	}
	client := openbuilder.NewClient(*skillURL)
	client.Token, client.TokenHeader, client.BotID, client.Test = *token, *header, *botID, *test
	client.HTTP.Timeout = *timeout
	c := &chat{out: stdout, raw: *raw, isFriend: *friend, token: *token, header: *header}
	c.conv = openbuilder.NewConversation(client, c.newUser(*user))

	ctx := context.Background()
	fmt.Fprintf(stdout, "baton chat → %s as %s (/help for commands)\n", *skillURL, *user)
	if *welcome {
		c.send(ctx, openbuilder.WelcomeTurn(), "")
	}
	if c.refused {
		return c.stopRefused(stderr)
	}
	interactive := isTerminal(stdin)
	in := bufio.NewScanner(stdin)
	in.Buffer(make([]byte, 64<<10), 1<<20)
	for {
		if interactive {
			fmt.Fprint(stdout, "> ")
		}
		if !in.Scan() {
			break
		}
		if quit := c.handle(ctx, in.Text()); quit {
			return 0
		}
		if c.refused {
			return c.stopRefused(stderr)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintf(stderr, "baton chat: read input: %v\n", err)
		return 1
	}
	return 0
}

// chatURLProblem says what is wrong with the --url of baton chat, or
// returns "" when it is an http or https URL with a host. A URL without
// its scheme ("127.0.0.1:8080/skill") is told how to write it.
func chatURLProblem(s string) string {
	u, err := url.Parse(s)
	if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return ""
	}
	const want = "want an http:// or https:// URL with a host"
	if fixed, err := url.Parse("http://" + s); err == nil && fixed.Host != "" && !strings.Contains(s, "://") {
		return fmt.Sprintf("%s, e.g. %s", want, fixed)
	}
	if err != nil {
		return fmt.Sprintf("%s: %v", want, err)
	}
	return want
}

// stopRefused ends a session the skill refused (401) and returns its exit
// code: no later turn could be answered with the same token.
func (c *chat) stopRefused(stderr io.Writer) int {
	fmt.Fprintln(stderr, "baton chat: stopped: the skill refused the token (HTTP 401) and would refuse every turn; fix the token and run baton chat again")
	return 1
}

func (c *chat) newUser(name string) openbuilder.User {
	u := openbuilder.NewUser(name)
	u.IsFriend = c.isFriend
	return u
}

// handle acts on one input line and reports whether the session ends.
func (c *chat) handle(ctx context.Context, line string) (quit bool) {
	line = strings.TrimRight(line, "\r")
	cmd := strings.TrimSpace(line)
	switch {
	case cmd == "":
		return false // KakaoTalk cannot send an empty message
	case strings.HasPrefix(cmd, "/"):
		return c.command(ctx, cmd)
	}
	if n, err := strconv.Atoi(cmd); err == nil && n >= 1 && n <= len(c.conv.Choices()) {
		c.tap(ctx, n)
		return false
	}
	c.send(ctx, openbuilder.TextTurn(line), "")
	return false
}

func (c *chat) command(ctx context.Context, cmd string) (quit bool) {
	name, arg, _ := strings.Cut(cmd, " ")
	arg = strings.TrimSpace(arg)
	switch name {
	case "/quit", "/exit", "/q":
		return true
	case "/help", "/?":
		fmt.Fprint(c.out, chatHelp)
	case "/welcome":
		c.send(ctx, openbuilder.WelcomeTurn(), "")
	case "/user":
		if arg == "" {
			fmt.Fprintf(c.out, "! usage: /user NAME (now %s)\n", c.conv.User().Name)
			return false
		}
		c.conv.SetUser(c.newUser(arg))
		fmt.Fprintf(c.out, "(user %s, botUserKey %s)\n", arg, c.conv.User().BotUserKey)
		c.send(ctx, openbuilder.WelcomeTurn(), "")
	case "/raw":
		c.raw = !c.raw
		fmt.Fprintf(c.out, "(raw JSON %s)\n", onOff(c.raw))
	case "/say":
		if arg == "" {
			fmt.Fprintln(c.out, "! usage: /say TEXT")
			return false
		}
		c.send(ctx, openbuilder.TextTurn(arg), "")
	case "/block":
		if arg == "" {
			fmt.Fprintln(c.out, "! usage: /block NAME")
			return false
		}
		c.send(ctx, openbuilder.BlockTurn(arg, ""), "")
	default:
		fmt.Fprintf(c.out, "! unknown command %s (/help lists them)\n", name)
	}
	return false
}

// tap taps choice n: either a turn is sent or the phone does something
// locally (a link, the dialler, the consultation), which is printed.
func (c *chat) tap(ctx context.Context, n int) {
	ch := c.conv.Choices()[n-1]
	t, note := ch.Tap(c.conv.LastBlock())
	if t == nil {
		fmt.Fprintf(c.out, "» [%d] %s\n%s\n\n", n, ch.Label, note)
		return
	}
	c.send(ctx, *t, fmt.Sprintf("[%d] ", n))
}

// send sends t, echoing what the user did, and prints the answer. Errors
// are printed and the session goes on.
func (c *chat) send(ctx context.Context, t openbuilder.Turn, prefix string) {
	fmt.Fprintln(c.out, "» "+prefix+userSide(t))
	a, err := c.conv.Send(ctx, t)
	if c.raw && a != nil {
		fmt.Fprintf(c.out, "→ %s\n", a.Request)
		if a.Status != 0 {
			fmt.Fprintf(c.out, "← %d %s\n", a.Status, a.Body)
		}
	}
	switch {
	case errors.Is(err, openbuilder.ErrStatus):
		c.refused = c.refused || a.Status == http.StatusUnauthorized
		fmt.Fprintf(c.out, "! error: HTTP %d: %s%s\n", a.Status, snippet(a.Body), c.statusHint(a.Status))
	case errors.Is(err, openbuilder.ErrInvalidJSON):
		fmt.Fprintf(c.out, "! error: invalid JSON: %s\n", snippet(a.Body))
	case err != nil:
		fmt.Fprintf(c.out, "! error: %v\n", err)
	default:
		fmt.Fprint(c.out, a.Text)
		for _, p := range a.Problems {
			fmt.Fprintf(c.out, "! warning: %s\n", p)
		}
	}
	fmt.Fprintln(c.out)
}

// statusHint says what to do about an HTTP status the skill answered: a
// 401 means the token sent, or the lack of one, does not match the
// server's kakao.tokens.
func (c *chat) statusHint(status int) string {
	switch {
	case status != http.StatusUnauthorized:
		return ""
	case c.token == "":
		return fmt.Sprintf(" — no skill token sent: set BATON_SKILL_TOKEN or pass --token (a value of the server's kakao.tokens, sent in the %s header)", c.header)
	default:
		return fmt.Sprintf(" — the %s sent is not one of the server's kakao.tokens: check --token (or BATON_SKILL_TOKEN) and --header", c.header)
	}
}

// userSide is how a turn is shown on the user's side.
func userSide(t openbuilder.Turn) string {
	switch {
	case t.Block == openbuilder.FallbackBlock:
		return t.Utterance
	case t.Utterance == "":
		return "[" + blockLabel(t.Block) + "]"
	}
	return "[" + blockLabel(t.Block) + "] " + t.Utterance
}

func blockLabel(b openbuilder.Block) string {
	if b.Name != "" {
		return b.Name
	}
	return "블록 " + b.ID
}

// snippet is a one-line excerpt of a body for an error line.
func snippet(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	if s == "" {
		return "(empty body)"
	}
	return s
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// isTerminal reports whether r is an interactive terminal (then a prompt
// is printed; scripted input gets a clean transcript).
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
