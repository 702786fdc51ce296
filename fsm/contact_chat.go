package fsm

import (
	"slices"
	"strings"
)

// chatChannels name where a user may ask the answer to a ticket to come
// instead of a phone call: KakaoTalk, this chat, a message. 문자 is not
// one: it is a text message to a number (textChannels).
var chatChannels = []string{"카카오톡", "카카오", "카톡", "톡", "채팅창", "채팅", "챗", "메시지", "메세지",
	"여기", "이쪽"}

// chatEndings follow a chat channel in a word that says "by" or "in" it:
// "카톡으로", "문자로요", "여기서", "채팅으로만".
var chatEndings = tokenSet("으로", "로", "으로요", "로요", "으로만", "로만", "에서", "서", "에서요", "서요")

// notByPhone follow "전화" to turn a call down: "전화 말고", "전화는 싫어요".
// A call the user cannot take ("전화는 곤란해요", "전화 못 받아요") is a
// text wished for instead (cannotTakeCalls); after a text channel the
// same words turn the text down (refusesText).
var notByPhone = []string{"말고", "대신", "싫"}

// contactWish is what a user answering the call-back number prompt asks
// for in words instead of typing a number.
type contactWish int

const (
	wishNone   contactWish = iota // no wish: a number, a decline or anything else
	wishChat                      // the answer in this chat: "카톡으로 답해 주세요", "전화는 말고요"
	wishText                      // a text message at a number: "문자로 주세요", "전화 말고 문자로요"
	wishEither                    // a text or the chat: "문자나 카톡으로 주세요"
)

// contactWishOf reads u, answered to the call-back number prompt: a wish
// for the answer in the chat instead of a call ("카톡으로 답해 주세요",
// "전화 말고 카톡으로 주세요", "여기로 주세요", "전화는 말고요"), for a text
// message (문자, SMS: "문자로 주세요", "문자 주세요", "전화 말고 문자로요",
// which still needs the number; also a call the user cannot take, "전화 못
// 받아요", "통화가 어려워요": cannotTakeCalls), or for either ("문자나
// 카톡으로", "카톡이든 문자든"). A text turned down ("문자 안 받아요", "문자
// 필요 없어요") is no wish for one, and leaves a call that cannot be taken
// without one. u must hold no digit, so a number ("010-1234-5678로 문자
// 주세요") is taken as the number, nor name e-mail, which Baton cannot send.
func contactWishOf(u string) contactWish {
	if hasDigit(u) || strings.Contains(u, "메일") {
		return wishNone
	}
	toks := joinTextMessage(answerTokens(u))
	question := isQuestion(u) // "문자로 안 될까요?" asks for a text
	text, chat, phoneDown, textDown := false, false, false, false
	for i, tok := range toks {
		next := ""
		if i+1 < len(toks) {
			next = toks[i+1]
		}
		t, or := byText(tok)
		t = t || likedChannel(tok, toks[i+1:], textChannels) // "전화보다 문자가 좋아요" (intake_pref.go)
		switch {
		case t && next != "" && turnsDown(next): // "문자 말고 카톡으로"
			textDown = true
		case t && !question && refusesText(tok, toks[i+1:]): // "문자 필요 없어요" (contact_text_refused.go)
			textDown = true
		case t:
			text = true
			// "문자나 카톡 주세요": the channel offered with it needs no ending.
			chat = chat || or && isChannel(next, chatChannels)
		case byChat(tok) || isChannelOr(tok) || likedChannel(tok, toks[i+1:], chatChannels) || // "카톡이 편해요"
			askedChannel(tok, next): // "카톡 주세요"
			chat = true
		case strings.HasPrefix(tok, "전화") && next != "" && turnsDown(next):
			phoneDown = true
		}
	}
	switch {
	case text && chat:
		return wishEither
	case text:
		return wishText
	case chat:
		return wishChat
	case !question && !textDown && cannotTakeCalls(toks): // "전화 못 받아요" (contact_call_unable.go)
		return wishText
	case phoneDown:
		return wishChat
	}
	return wishNone
}

// byChat reports whether tok is a chat channel with a chatEndings ending,
// or with a request glued to it (gluedAsk: "카톡으로주세요", "카톡주세요").
func byChat(tok string) bool {
	for _, c := range chatChannels {
		if rest, ok := strings.CutPrefix(tok, c); ok && (chatEndings[rest] || askTails[rest] || gluedAsk(rest, chatEndings)) {
			return true
		}
	}
	return false
}

// askTails ask for a channel written without a space after it:
// "문자로주세요", "카톡으로해주세요", "문자주세여". Spaced, they are their own
// words: "카톡 주세요" (askedChannel).
var askTails = tokenSet("주세요", "주세여", "주세용", "줘", "줘요", "해주세요", "해주세여", "해줘", "해줘요",
	"부탁해요", "부탁드려요", "부탁드립니다", "보내주세요", "보내줘", "보내줘요", "연락주세요", "답해주세요",
	"답주세요")

// gluedAsk reports whether rest, what follows a channel in its word, is
// one of endings followed by askTails ("로주세요") or, for a text, by
// fineTokens ("도괜찮아요").
func gluedAsk(rest string, endings map[string]bool) bool {
	for e := range endings {
		if tail, ok := strings.CutPrefix(rest, e); ok && tail != "" && (askTails[tail] || fineTokens[tail]) {
			return true
		}
	}
	return false
}

// askedChannel reports whether tok, a bare chat channel ("카톡", "톡"), is
// asked for by next ("주세요"): "카톡 주세요". A bare channel alone
// ("카톡") or before other words ("카톡 아이디 알려드릴게요") is none.
func askedChannel(tok, next string) bool {
	return askTails[next] && slices.Contains(chatChannels, tok)
}

// textChannels name a text message to a phone number.
var textChannels = []string{"문자메시지", "문자메세지", "문자", "sms", "lms", "mms"}

// textEndings may follow a text channel in a word that asks for it:
// "문자로", "문자요", "문자로만", a bare "문자" ("문자 주세요").
var textEndings = tokenSet("", "요", "으로", "로", "으로요", "로요", "으로만", "로만", "로도", "도")

// orEndings offer a channel as one of two: "문자나", "카톡이나", "문자든".
var orEndings = tokenSet("나", "이나", "든", "이든", "든지", "이든지")

// byText reports whether tok asks for a text message (textChannels with
// textEndings or orEndings, or a request glued to it: gluedAsk); or says
// it was offered as one of two.
func byText(tok string) (text, or bool) {
	for _, c := range textChannels {
		if rest, ok := strings.CutPrefix(tok, c); ok {
			return textEndings[rest] || orEndings[rest] || gluedAsk(rest, textEndings), orEndings[rest]
		}
	}
	return false, false
}

// joinTextMessage joins "문자 메시지로" into one word, "문자메시지로": the
// second word names the text message, not the chat.
func joinTextMessage(toks []string) []string {
	for i := 0; i+1 < len(toks); i++ {
		if toks[i] == "문자" && (strings.HasPrefix(toks[i+1], "메시지") || strings.HasPrefix(toks[i+1], "메세지")) {
			toks[i] += toks[i+1]
			toks = append(toks[:i+1], toks[i+2:]...)
		}
	}
	return toks
}

// isChannelOr reports whether tok is a chat channel offered as one of two:
// "카톡이나 문자로", "카톡이든".
func isChannelOr(tok string) bool {
	for _, c := range chatChannels {
		if rest, ok := strings.CutPrefix(tok, c); ok && orEndings[rest] {
			return true
		}
	}
	return false
}

// isChannel reports whether tok is one of channels, bare or with a
// chatEndings ending ("카톡", "카톡으로").
func isChannel(tok string, channels []string) bool {
	for _, c := range channels {
		if rest, ok := strings.CutPrefix(tok, c); ok && (rest == "" || chatEndings[rest]) {
			return true
		}
	}
	return false
}

// turnsDown reports whether tok, after "전화", turns the call down.
func turnsDown(tok string) bool {
	return hasAnyPrefix(tok, notByPhone)
}

// contactInChat answers a wish for the answer in the chat instead of a
// call (contactWishOf) at the call-back number prompt. When the agent's
// answer can reach the chat (the Event API sends ticket replies) it means
// "no number": the ticket is left without one, as a decline leaves it.
// When it cannot (Options.NoTicketReply), texts.contact_chat_no_reply says
// so and the number is asked once more; a second such wish leaves the
// ticket without a number.
func (t *turn) contactInChat() {
	if !t.e.noReply || t.conv.Intake.Retried {
		// Kept only when the ticket is left on it: a number given after
		// contact_chat_no_reply is for a call.
		t.conv.Intake.Pref = ContactPrefChat
		t.leaveTicket(t.conv.Intake.Message, "")
		return
	}
	t.conv.Intake.Retried = true
	t.contactReply(t.e.texts.ContactChatNoReply)
}

// contactByWish answers a wish in words at the call-back number prompt
// (contactWishOf) and reports whether u held one. A text message needs
// the number: texts.contact_text_prompt asks for it, as often as the
// wish comes (건너뛰기 and 취소 stay offered). Either a text or the chat
// is the chat when the agent's answer can reach it, else a text. The wish
// is kept (Intake.Pref) for the ticket (TicketOpen.ContactPref).
func (t *turn) contactByWish(u string) bool {
	switch w := contactWishOf(u); {
	case w == wishChat, w == wishEither && !t.e.noReply:
		t.contactInChat()
	case w == wishText, w == wishEither:
		t.conv.Intake.Pref = ContactPrefSMS
		t.contactReply(t.e.texts.ContactTextPrompt)
	default:
		return false
	}
	return true
}
