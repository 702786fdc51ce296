// Package kakaospec is an independent validator of Kakao i Open Builder
// SkillResponse JSON, written straight from kakao/skill-protocol.md §3 and
// its limits table §3.8. It deliberately shares no code or constants with
// the skill package's builders: it is the second opinion tests hold every
// built bubble against. It parses the raw JSON generically and is strict:
// unknown keys inside components are reported, since Kakao may reject them.
//
// It imports nothing from Baton.
package kakaospec
