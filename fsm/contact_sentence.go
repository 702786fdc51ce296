package fsm

import "github.com/baton-chat/baton/pii"

// numberInSentence returns the one phone number u holds, alone or inside a
// sentence ("010-1234-5678로 연락 주세요", "제 번호는 010 1234 5678 이에요"),
// as typed (pii.PhoneNumbers: full-width forms folded, the separators
// around it trimmed); ok only when u holds exactly one — the numbers
// pii.Mask masks. Two numbers or none are for the user to settle. It is
// the one reading of a number typed to a prompt that asks for one: the
// ticket's call-back number (contactInSentence) and an intake field marked
// phone (intakeField.answer). The result is personal data: never log it.
func numberInSentence(u string) (string, bool) {
	nums := pii.PhoneNumbers(u)
	if len(nums) != 1 {
		return "", false
	}
	return nums[0], true
}

// contactInSentence reads a call-back number typed inside a sentence
// (numberInSentence) in the national form (pii.PhoneDigits).
func contactInSentence(u string) (string, bool) {
	n, ok := numberInSentence(u)
	if !ok {
		return "", false
	}
	return pii.PhoneDigits(n)
}
