// Package fsm owns the conversation lifecycle (bot, confirm, waiting, human,
// after_hours), defined on github.com/looplab/fsm and compiled once into the
// transition table turns step through, and the menu graph compiled once per
// config version. It is pure: no I/O, no clock reads (time comes in through
// Input.Now), and it imports neither store, handoff nor skill.
package fsm
