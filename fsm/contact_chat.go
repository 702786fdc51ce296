package fsm

import "strings"

// chatChannels name where a user may ask the answer to a ticket to come
// instead of a phone call: KakaoTalk, this chat, a message.
var chatChannels = []string{"카카오톡", "카카오", "카톡", "톡", "채팅창", "채팅", "챗", "메시지", "메세지", "문자",
	"여기", "이쪽"}

// chatEndings follow a chat channel in a word that says "by" or "in" it:
// "카톡으로", "문자로요", "여기서", "채팅으로만".
var chatEndings = tokenSet("으로", "로", "으로요", "로요", "으로만", "로만", "에서", "서", "에서요", "서요")

// notByPhone follow "전화" to turn a call down: "전화 말고", "전화는 싫어요".
var notByPhone = []string{"말고", "대신", "싫", "곤란", "어려", "안돼", "안되", "못받"}

// replyInChat reports whether u, answered to the call-back number prompt,
// asks for the answer in the chat instead of a call: "카톡으로 답해 주세요",
// "전화 말고 카톡으로 주세요", "문자로 주세요", "여기로 주세요", "전화는
// 말고요". It holds no digit, so a number ("010-1234-5678로 연락 주세요")
// is never read as one, nor does it name e-mail, which Baton cannot send.
func replyInChat(u string) bool {
	if hasDigit(u) || strings.Contains(u, "메일") {
		return false
	}
	toks := answerTokens(u)
	for i, tok := range toks {
		if byChat(tok) {
			return true
		}
		if strings.HasPrefix(tok, "전화") && i+1 < len(toks) && turnsDown(toks[i+1]) {
			return true
		}
	}
	return false
}

// byChat reports whether tok is a chat channel with a chatEndings ending.
func byChat(tok string) bool {
	for _, c := range chatChannels {
		if rest, ok := strings.CutPrefix(tok, c); ok && chatEndings[rest] {
			return true
		}
	}
	return false
}

// turnsDown reports whether tok, after "전화", turns the call down.
func turnsDown(tok string) bool {
	for _, w := range notByPhone {
		if strings.HasPrefix(tok, w) {
			return true
		}
	}
	return false
}

// contactInChat answers a wish for the answer in the chat instead of a
// call (replyInChat) at the call-back number prompt. When the agent's
// answer can reach the chat (the Event API sends ticket replies) it means
// "no number": the ticket is left without one, as a decline leaves it.
// When it cannot (Options.NoTicketReply), texts.contact_chat_no_reply says
// so and the number is asked once more; a second such wish leaves the
// ticket without a number.
func (t *turn) contactInChat() {
	if !t.e.noReply || t.conv.Intake.Retried {
		t.leaveTicket(t.conv.Intake.Message, "")
		return
	}
	t.conv.Intake.Retried = true
	t.contactReply(t.e.texts.ContactChatNoReply)
}
