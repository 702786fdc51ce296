package skill

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baton-chat/baton/fsm"
	"github.com/google/go-cmp/cmp"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "payloads", name))
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	return b
}

// view is what the accessors say about a payload.
type view struct {
	UserKey, Plusfriend, AppUser, BotID, Callback, Utterance, Trigger string
	BlockID, BlockName, Surface                                       string
	Friend, Dev, BotTest, Test, Group, SlotFilling                    bool
	Tap                                                               *fsm.Tap
	Knowledge                                                         []fsm.Knowledge
}

func viewOf(p *Payload) view {
	return view{
		UserKey: p.UserKey(), Plusfriend: p.PlusfriendUserKey(), AppUser: p.AppUserID(), BotID: p.BotID(),
		Callback: p.CallbackURL(), Utterance: p.Utterance(), Trigger: p.TriggerType(),
		BlockID: p.BlockID(), BlockName: p.BlockName(), Surface: p.Param("surface"),
		Friend: p.IsFriend(), Dev: p.IsDevChannel(), BotTest: p.IsBotTest(), Test: p.IsTest(), Group: p.IsGroup(),
		SlotFilling: p.UserRequest.IsInSlotFilling, Tap: p.Tap(), Knowledge: p.Knowledge(),
	}
}

const (
	keyA   = "226f81ae94c4a7d5e1b0f3c2a9d8e7f6b5a4c3d2e1f0a9b8c7d6e5f4a3b2ba30"
	botID  = "65a1b2c3d4e5f60718293a4b"
	fbID   = "64f1a2b3c4d5e6f708192a40"
	fbName = "폴백 블록"
	real   = "Kakaotalk.plusfriend"
)

var shipKnowledge = []fsm.Knowledge{
	{Question: "배송 조회는 어떻게 하나요?", Answer: "마이페이지 > 주문내역에서 송장번호를 눌러 확인하세요.",
		LandingURL: "https://shop.example.com/mypage/orders", ImageURL: "https://cdn.example.com/faq/ship.png"},
	{Question: "배송비는 얼마인가요?", Answer: "3만원 이상 구매 시 무료배송입니다."},
}

func TestDecodeFixtures(t *testing.T) {
	tests := []struct {
		file string
		want view
	}{
		{"welcome.json", view{UserKey: "8a3f0c2e91b74d5f6a0e1c2d3b4a59687f6e5d4c3b2a190817263544536271a9f0", Plusfriend: "Qw3rTy7uIo9P",
			BotID: botID, Trigger: "TEXT_INPUT", BlockID: "64f1a2b3c4d5e6f708192a3b", BlockName: "웰컴 블록", Surface: real, Friend: true}},
		{"fallback_text.json", view{UserKey: keyA, Plusfriend: "T8x9DhjAiBrv", BotID: botID, Utterance: "택배 어디쯤 왔어요?",
			Trigger: "TEXT_INPUT", BlockID: fbID, BlockName: fbName, Surface: real}},
		{"tap_quickreply.json", view{UserKey: keyA, Plusfriend: "T8x9DhjAiBrv", AppUser: "1234567", BotID: botID, Utterance: "주문/배송",
			Trigger: "QUICKREPLY_BUTTON_MESSAGE", BlockID: fbID, BlockName: fbName, Surface: real, Friend: true,
			Tap: &fsm.Tap{V: "c0ffee12", N: "main", O: "ship", S: fsm.StateBot}}},
		{"object_params.json", view{UserKey: "5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f3a5b7c", Plusfriend: "Zx8cV7bN6mL5",
			BotID: botID, Utterance: "3번 금요일 강남", BlockID: "6501c2d3e4f5a6b7c8d9e0f1", BlockName: "주문 선택", Surface: real, Friend: true}},
		{"null_lang_clientextra.json", view{UserKey: "c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2", Plusfriend: "Hn4Jm5Kl6Pq7",
			BotID: botID, Utterance: "환불 언제 돼요", BlockID: fbID, BlockName: fbName, Surface: real}},
		{"v1_null_string_clientextra.json", view{UserKey: "0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e",
			Plusfriend: "Ab1Cd2Ef3Gh4", AppUser: "7654321", BotID: botID, Utterance: "안녕하세요", BlockID: fbID, BlockName: fbName}},
		{"bot_test.json", view{UserKey: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", BotID: botID,
			Utterance: "배송 조회", BlockID: fbID, BlockName: fbName, Surface: "BuilderBotTest", BotTest: true, Test: true}},
		{"dev_channel.json", view{UserKey: "9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c", Plusfriend: "Dv9Ch8An7El6",
			BotID: botID + "!", Utterance: "상담원", Trigger: "TEXT_INPUT", BlockID: fbID, BlockName: fbName, Surface: real,
			Friend: true, Dev: true, Test: true}},
		{"callback.json", view{UserKey: keyA, Plusfriend: "T8x9DhjAiBrv", AppUser: "1234567", BotID: botID,
			Callback:  "https://bot-api.kakao.com/v1/bots/65a1b2c3d4e5f60718293a4b/callback/-damdd7Yg3kQ2xLr8vN1pZs0aFqWcEbT",
			Utterance: "반품 택배 회수 언제 오나요", BlockID: "5d300e788192ac000132b8a4", BlockName: fbName, Surface: real, Friend: true}},
		{"group_chat.json", view{UserKey: "4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e", AppUser: "99887766",
			BotID: "667e5382f2b2f84cb555091c!", Utterance: "영업시간 알려줘", BlockID: "667e5382f2b2f84cb5550920", BlockName: fbName,
			Surface: "Kakaotalk.groupchat", Dev: true, Test: true, Group: true}},
		{"knowledge.json", view{UserKey: keyA, Plusfriend: "T8x9DhjAiBrv", BotID: botID, Utterance: "배송조회 어떻게 해요",
			BlockID: "5c1b2a3d4e5f60718293a4b5", BlockName: "지식+", Surface: real, Friend: true, Knowledge: shipKnowledge}},
		{"knowledges_plural.json", view{UserKey: keyA, Plusfriend: "T8x9DhjAiBrv", BotID: botID, Utterance: "배송조회 어떻게 해요",
			BlockID: "5c1b2a3d4e5f60718293a4b5", BlockName: "지식+", Surface: real, Friend: true, Knowledge: shipKnowledge}},
		{"unknown_fields.json", view{UserKey: keyA, Plusfriend: "T8x9DhjAiBrv", BotID: botID, Utterance: "교환 신청",
			Trigger: "TEXT_INPUT", BlockID: fbID, BlockName: fbName, Surface: real, Friend: true}},
		{"slot_filling.json", view{UserKey: "7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d", Plusfriend: "Sl0tF1ll1ng9",
			AppUser: "55443322", BotID: botID, Utterance: "01050290810", BlockID: "6502d3e4f5a6b7c8d9e0f1a2", BlockName: "연락처 입력",
			Surface: real, SlotFilling: true}},
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "payloads", "*.json"))
	if len(files) != len(tests) {
		t.Errorf("got %d fixtures on disk, want %d covered by this table", len(files), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p, err := Decode(readFixture(t, tt.file))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if diff := cmp.Diff(tt.want, viewOf(p)); diff != "" {
				t.Errorf("accessors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeDetails(t *testing.T) {
	p, err := Decode(readFixture(t, "object_params.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.ActionParam("sys_number_ordinal"), `{"amount": 3}`; got != want {
		t.Errorf("ActionParam(sys_number_ordinal) = %q, want %q", got, want)
	}
	if got, want := p.ActionParam("sys_location"), "강남"; got != want {
		t.Errorf("ActionParam(sys_location) = %q, want %q", got, want)
	}
	if got, want := string(p.Action.DetailParams["sys_number_ordinal"].Value), `{"amount": 3}`; got != want {
		t.Errorf("detailParams value = %q, want %q", got, want)
	}
	if got := p.ActionParam("missing"); got != "" {
		t.Errorf("ActionParam(missing) = %q, want empty", got)
	}

	p, err = Decode(readFixture(t, "null_lang_clientextra.json"))
	if err != nil {
		t.Fatal(err)
	}
	if p.UserRequest.Lang != nil || p.Action.ClientExtra != nil {
		t.Errorf("got lang %v clientExtra %v, want both nil", p.UserRequest.Lang, p.Action.ClientExtra)
	}

	p, err = Decode(readFixture(t, "bot_test.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Param("ignoreMe"); got != "true" {
		t.Errorf("Param(ignoreMe) = %q, want %q", got, "true")
	}

	p, err = Decode(readFixture(t, "unknown_fields.json"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Lang() != "" || len(p.Action.Params) != 0 || len(p.Contexts) != 0 {
		t.Errorf("wrong-typed lang/params/contexts: got %q %v %v, want empty", p.Lang(), p.Action.Params, p.Contexts)
	}

	p, err = Decode(readFixture(t, "slot_filling.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Contexts) != 1 || len(p.UserRequest.Value) == 0 {
		t.Errorf("got %d contexts and value %q, want 1 and non-empty", len(p.Contexts), p.UserRequest.Value)
	}
}

func TestKnowledgeBothSpellings(t *testing.T) {
	body := `{"intent":{"name":"지식+","extra":{
		"knowledge":{"matchedKnowledges":[{"question":"Q1","answer":"A1"},{"question":"Q2","answer":"A2"}]},
		"knowledges":{"matchedKnowledges":[{"question":"Q2","answer":"A2"},{"question":"Q3","answer":"A3"},{"categories":["x"]}]}}},
		"userRequest":{"user":{"id":"u"}}}`
	p, err := Decode([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := []fsm.Knowledge{{Question: "Q1", Answer: "A1"}, {Question: "Q2", Answer: "A2"}, {Question: "Q3", Answer: "A3"}}
	if diff := cmp.Diff(want, p.Knowledge()); diff != "" {
		t.Errorf("Knowledge mismatch (-want +got):\n%s", diff)
	}
}

func TestDecodeErrors(t *testing.T) {
	deep := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	tests := []struct {
		name, body string
	}{
		{"empty", ""},
		{"not json", "hello"},
		{"truncated", `{"userRequest":{"user":{"id":"u"`},
		{"null", "null"},
		{"array", `[{"userRequest":{"user":{"id":"u"}}}]`},
		{"string", `"x"`},
		{"number", `42`},
		{"no user", `{"userRequest":{}}`},
		{"empty user id", `{"userRequest":{"user":{"id":""}}}`},
		{"numeric user id", `{"userRequest":{"user":{"id":12345}}}`},
		{"object user id", `{"userRequest":{"user":{"id":{"a":1}}}}`},
		{"user not object", `{"userRequest":{"user":"u"}}`},
		{"user id too long", `{"userRequest":{"user":{"id":"` + strings.Repeat("a", MaxUserIDBytes+1) + `"}}}`},
		{"deeply nested", `{"userRequest":{"user":{"id":"u"}},"x":` + deep + `}`},
		{"trailing garbage", `{"userRequest":{"user":{"id":"u"}}} {`},
		{"fallback only in properties", `{"userRequest":{"user":{"properties":{"botUserKey":"k"}}}}`},
		{"invalid utf8", "{\"userRequest\":{\"user\":{\"id\":\"u\"},\"utterance\":\"\xff\xfe\"}}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Decode([]byte(tt.body))
			if err == nil {
				t.Fatalf("Decode = %+v, nil; want an error", p)
			}
			if !errors.Is(err, ErrBadPayload) {
				t.Errorf("got %v, want an error wrapping ErrBadPayload", err)
			}
		})
	}
}

func TestDecodeLenient(t *testing.T) {
	tests := []struct {
		name, body string
	}{
		{"lang number", `{"userRequest":{"user":{"id":"u"},"lang":5}}`},
		{"params array", `{"userRequest":{"user":{"id":"u"},"params":[]},"action":{"params":[1]}}`},
		{"contexts object", `{"userRequest":{"user":{"id":"u"}},"contexts":{}}`},
		{"clientExtra string", `{"userRequest":{"user":{"id":"u"}},"action":{"clientExtra":"null"}}`},
		{"clientExtra number", `{"userRequest":{"user":{"id":"u"}},"action":{"clientExtra":7}}`},
		{"intent string", `{"intent":"x","userRequest":{"user":{"id":"u"}}}`},
		{"bot array", `{"bot":[],"userRequest":{"user":{"id":"u"}}}`},
		{"flow string", `{"flow":"x","userRequest":{"user":{"id":"u"}}}`},
		{"properties array", `{"userRequest":{"user":{"id":"u","properties":[1,2]}}}`},
		{"utterance number", `{"userRequest":{"user":{"id":"u"},"utterance":12}}`},
		{"chat string", `{"userRequest":{"user":{"id":"u"},"chat":"room"}}`},
		{"byte order mark", "\xef\xbb\xbf{\"userRequest\":{\"user\":{\"id\":\"u\"}}}"},
		{"leading whitespace", " \n\t{\"userRequest\":{\"user\":{\"id\":\"u\"}}}"},
		{"user id exactly max", `{"userRequest":{"user":{"id":"` + strings.Repeat("a", MaxUserIDBytes) + `"}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Decode([]byte(tt.body))
			if err != nil {
				t.Fatalf("Decode: %v, want success", err)
			}
			if p.UserKey() == "" {
				t.Errorf("UserKey empty")
			}
		})
	}
}

func TestTap(t *testing.T) {
	tests := []struct {
		name, extra string
		want        *fsm.Tap
	}{
		{"full", `{"baton":{"v":"1","n":"main","o":"ship","s":"waiting"}}`, &fsm.Tap{V: "1", N: "main", O: "ship", S: fsm.StateWaiting}},
		{"option hash", `{"baton":{"v":"1","n":"main","o":"ship","s":"bot","h":"Ab_9"}}`, &fsm.Tap{V: "1", N: "main", O: "ship", S: fsm.StateBot, H: "Ab_9"}},
		{"numeric hash", `{"baton":{"v":"1","n":"main","o":"ship","h":7}}`, nil},
		{"no state", `{"baton":{"v":"1","n":"faq","o":"ship-track"}}`, &fsm.Tap{V: "1", N: "faq", O: "ship-track"}},
		{"extra keys kept out", `{"baton":{"v":"1","n":"m","o":"x","z":9},"other":1}`, &fsm.Tap{V: "1", N: "m", O: "x"}},
		{"absent", `{}`, nil},
		{"null", `null`, nil},
		{"string", `"null"`, nil},
		{"baton string", `{"baton":"v1"}`, nil},
		{"baton array", `{"baton":[1]}`, nil},
		{"missing version", `{"baton":{"n":"main","o":"ship"}}`, nil},
		{"missing node", `{"baton":{"v":"1","o":"ship"}}`, nil},
		{"numeric option", `{"baton":{"v":"1","n":"main","o":3}}`, nil},
		{"numeric state", `{"baton":{"v":"1","n":"main","o":"a","s":1}}`, nil},
		{"numeric version", `{"baton":{"v":1,"n":"main","o":"a"}}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Decode([]byte(`{"userRequest":{"user":{"id":"u"}},"action":{"clientExtra":` + tt.extra + `}}`))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, p.Tap()); diff != "" {
				t.Errorf("Tap mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIdentityFallbacks(t *testing.T) {
	tests := []struct {
		name, props         string
		friend              bool
		plusfriend, appUser string
	}{
		{"camel", `{"plusfriendUserKey":"P","appUserId":"A","isFriend":true}`, true, "P", "A"},
		{"snake", `{"plusfriend_user_key":"P","app_user_id":"A"}`, false, "P", "A"},
		{"friend string", `{"isFriend":"true"}`, true, "", ""},
		{"friend false", `{"isFriend":false}`, false, "", ""},
		{"friend string false", `{"isFriend":"false"}`, false, "", ""},
		{"friend number", `{"isFriend":1}`, false, "", ""},
		{"non-string keys", `{"plusfriendUserKey":5,"plusfriend_user_key":"P2","appUserId":null}`, false, "P2", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Decode([]byte(`{"userRequest":{"user":{"id":"u","properties":` + tt.props + `}}}`))
			if err != nil {
				t.Fatal(err)
			}
			if got := p.IsFriend(); got != tt.friend {
				t.Errorf("IsFriend = %v, want %v", got, tt.friend)
			}
			if got := p.PlusfriendUserKey(); got != tt.plusfriend {
				t.Errorf("PlusfriendUserKey = %q, want %q", got, tt.plusfriend)
			}
			if got := p.AppUserID(); got != tt.appUser {
				t.Errorf("AppUserID = %q, want %q", got, tt.appUser)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "payloads", "*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"userRequest":{"user":{"id":""}}}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"userRequest":{"user":{"id":"u","properties":{"isFriend":"true"}}},"action":{"clientExtra":"null"}}`))
	f.Add([]byte(`{"userRequest":{"user":{"id":"u"}},"action":{"clientExtra":{"baton":{"v":"1","n":"m","o":2}}}}`))
	f.Add([]byte(`{"userRequest":{"user":{"id":7}},"intent":{"extra":{"knowledges":{"matchedKnowledges":[{}]}}}}`))
	f.Add([]byte(`{"userRequest":{"user":{"id":"u"}},"x":[[[[[[[[[[]]]]]]]]]]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := Decode(body)
		if err != nil {
			if !errors.Is(err, ErrBadPayload) {
				t.Fatalf("error %v does not wrap ErrBadPayload", err)
			}
			return
		}
		if p.UserKey() == "" {
			t.Fatalf("accepted payload with empty UserKey")
		}
		// Accessors must not panic on anything Decode accepts.
		_ = viewOf(p)
		_ = p.ActionParam("x")
	})
}

func BenchmarkDecode(b *testing.B) {
	body := readFixture(b, "knowledge.json") // ~1.5 KB, real shape
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := Decode(body)
		if err != nil {
			b.Fatal(err)
		}
		_ = p.Tap()
		_ = p.Knowledge()
	}
}
