// Package openbuilder plays the part of Kakao i Open Builder (챗봇 관리자센터)
// against a skill server: it builds SkillPayloads that look like the ones
// Open Builder POSTs (welcome block, fallback block with typed text, button
// and quick-reply taps carrying their extra as action.clientExtra), sends
// them, and parses the SkillResponse leniently into a readable transcript
// with numbered choices.
//
// It backs `baton chat` and is meant for tests elsewhere too: Conversation
// drives a real server turn by turn the way a KakaoTalk user would.
//
// The package speaks only the wire format (DESIGN §3, skill-protocol.md §2,
// §3, §10). It must not import skill, fsm or any other Baton package, so it
// keeps working as an independent check of what Baton puts on the wire.
package openbuilder
