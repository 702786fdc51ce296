package fsm

import "github.com/baton-chat/baton/pii"

// numberInSentence returns the one phone number u holds, alone or inside a
// sentence ("010-1234-5678로 연락 주세요", "제 번호는 010 1234 5678 이에요"),
// as typed (pii.PhoneNumbers: full-width forms folded, the separators
// around it trimmed); ok only when u holds exactly one — the numbers
// pii.Mask masks. The same number typed twice is one number
// (oneNumber: "010-1234-5678 (010-1234-5678)"); two different numbers or
// none are for the user to settle. It is the one reading of a number typed
// to a prompt that asks for one: the ticket's call-back number
// (contactInSentence) and an intake field marked phone
// (intakeField.answer). The result is personal data: never log it.
func numberInSentence(u string) (string, bool) {
	return oneNumber(pii.PhoneNumbers(u))
}

// oneNumber returns the first of nums, the phone numbers found in one
// answer, when they are all one number: the same national digits
// (pii.PhoneDigits), however each was typed ("01012345678 010-1234-5678
// 이요", "+82 10-1234-5678 (010-1234-5678)"). A user who repeats their
// number, or writes it again in brackets, gave one number; numbers whose
// digits differ, or no number, are no answer, nor is a number
// pii.PhoneDigits does not read (a placeholder, "000-0000-0000", which
// pii.Mask still masks).
func oneNumber(nums []string) (string, bool) {
	if len(nums) == 0 {
		return "", false
	}
	first, ok := pii.PhoneDigits(nums[0])
	if !ok {
		return "", false
	}
	for _, n := range nums[1:] {
		if d, ok := pii.PhoneDigits(n); !ok || d != first {
			return "", false
		}
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
