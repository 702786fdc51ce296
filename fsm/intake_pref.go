package fsm

import (
	"strings"

	"github.com/baton-chat/baton/pii"
)

// Contact preferences: how a user asked to be answered instead of a call
// (HandoffOpen.ContactPref, TicketOpen.ContactPref; "" when none was said).
const (
	// ContactPrefSMS: a text message (문자) to the number instead of a call
	// ("문자로 주세요", "문자도 괜찮아요", "전화보다 문자가 좋아요").
	ContactPrefSMS = "sms"
	// ContactPrefChat: the answer in the KakaoTalk chat instead of a call
	// ("카톡으로 주세요", "전화 말고 카톡으로요").
	ContactPrefChat = "chat"
)

// likedWords follow a channel named as the subject ("문자가", "카톡이") to say
// it is preferred: "전화보다 문자가 좋아요", "카톡이 편해요", "문자가 낫겠어요".
var likedWords = []string{"좋", "편", "나아", "낫", "더좋", "더편"}

// degreeWords may stand between a liked channel and the word that likes
// it: "문자가 더 편해요", "카톡이 훨씬 좋아요", "문자가 제일 나아요".
var degreeWords = tokenSet("더", "훨씬", "제일", "가장", "좀", "조금", "그나마", "차라리", "더욱", "젤")

// likedChannel reports whether tok, a channel from channels with a subject
// ending ("문자가", "카톡이"), is followed by rest saying it is preferred,
// after any degreeWords.
func likedChannel(tok string, rest []string, channels []string) bool {
	for len(rest) > 0 && degreeWords[rest[0]] {
		rest = rest[1:]
	}
	if len(rest) == 0 {
		return false
	}
	for _, c := range channels {
		if r, ok := strings.CutPrefix(tok, c); ok && (r == "가" || r == "이") {
			for _, w := range likedWords {
				if strings.HasPrefix(rest[0], w) {
					return true
				}
			}
		}
	}
	return false
}

// contactPrefOf reads u, an answer to a number prompt (an intake field or a
// ticket's call-back number), for a contact preference: a text message
// (contactWishOf's wishText, textIsFine's "문자도 괜찮아요") or the chat
// (wishChat). A wish for either ("문자나 카톡으로") is returned as wishEither
// for the caller to settle. number is the one phone number u holds beside
// the wish ("010-1234-5678 문자로 주세요"), as typed (pii.PhoneNumbers), or
// "" when it holds none; the same number typed twice is one (oneNumber),
// and u with two different numbers states no preference here.
func contactPrefOf(u string) (w contactWish, number string) {
	rest := u
	if nums := pii.PhoneNumbers(u); len(nums) > 0 {
		n, ok := oneNumber(nums)
		if !ok {
			return wishNone, ""
		}
		number, rest = n, pii.Fold(u)
		for _, typed := range nums { // every copy, so no digit is left to read
			rest = strings.Replace(rest, typed, " ", 1)
		}
	}
	switch w = contactWishOf(rest); {
	case w != wishNone:
	case textIsFine(answerTokens(rest)):
		w = wishText
	default:
		return wishNone, ""
	}
	return w, number
}

// intakePref answers a contact preference given to intake field f (index
// i) and reports whether u held one (contactPrefOf); the preference is kept
// with the intake and recorded on the handoff (HandoffOpen.ContactPref).
// It declines nothing. A phone field takes the number said with it as the
// answer; a wish for a text without a number is acknowledged
// (texts.intake_text_noted) and the field asked once more, a second time
// leaves it out; a wish for the chat at a phone field needs no number, so
// it is answered as a decline is (an optional field is skipped). The turn
// is private as every answer to a field is.
func (t *turn) intakePref(f intakeField, i int, u string) bool {
	w, number := contactPrefOf(u)
	if w == wishNone {
		return false
	}
	in := &t.conv.Intake
	in.Pref = ContactPrefSMS
	if w == wishChat {
		in.Pref = ContactPrefChat
	}
	t.out.Private = true
	switch {
	case number != "": // a phone field takes the number alone (intakeField.answer)
		t.answerField(f, i, u)
	case w == wishChat && f.phone:
		t.declineField(f, i)
	case in.Retried:
		t.nextField(i)
	default:
		in.Retried = true
		if w == wishChat {
			t.askField(f, false)
			break
		}
		t.askFieldText(f, strings.TrimSpace(t.e.texts.IntakeTextNoted)+"\n\n"+f.prompt)
	}
	return true
}
