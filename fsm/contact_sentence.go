package fsm

import "github.com/baton-chat/baton/pii"

// contactInSentence reads a call-back number typed inside a sentence
// ("010-1234-5678로 연락 주세요", "제 번호는 01012345678이에요") in the
// national form: ok only when u holds exactly one phone number — as
// pii.PhoneNumbers finds them, the numbers pii.Mask masks — and
// pii.PhoneDigits reads it. Two numbers or none are for the user to settle.
func contactInSentence(u string) (string, bool) {
	nums := pii.PhoneNumbers(u)
	if len(nums) != 1 {
		return "", false
	}
	return pii.PhoneDigits(nums[0])
}
