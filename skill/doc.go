// Package skill is Baton's Kakao i Open Builder wire layer and skill server.
//
// The wire layer (this file's siblings payload*.go, response*.go, text*.go,
// render*.go) decodes SkillPayload leniently (unknown fields and wrong types
// in fields Baton does not rely on never fail a decode), builds SkillResponse
// bubbles through constructors that reject anything outside the limits of
// the spec (kakao/skill-protocol.md §3.8), and renders fsm.Reply values into
// pre-validated JSON. internal/kakaospec is an independent second opinion on
// the same limits, used by the tests.
//
// skill may import fsm, faq, configs, pii and the small interfaces it declares;
// it must not import store or handoff concretely (those satisfy skill's
// interfaces), and nothing but cmd/baton wires concrete types together.
package skill
