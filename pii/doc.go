// Package pii masks personal data in free text (PIPA): phone numbers,
// 주민등록번호, card numbers that pass Luhn, bank account numbers and e-mail
// addresses. Everything Baton stores or forwards that a user typed goes
// through Mask first: turn utterances (skill) and the context turns sent to
// dealers and notify sinks (handoff). PhoneNumbers finds the phone numbers
// Mask masks and PhoneDigits reads one (fsm's call-back number step).
//
// pii is pure: no I/O, no clock, and it imports no other Baton package, so
// any package may use it.
package pii
