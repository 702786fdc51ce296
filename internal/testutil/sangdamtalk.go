package testutil

import (
	"testing"

	"github.com/baton-chat/baton/configs"
)

// ExampleSangdamtalk loads the shipped example config at path and switches
// it to 상담톡 the way a bot master would: consultation sangdamtalk and the
// vip queue on the happytalk dealer. The example itself runs one_on_one,
// where a queue may not target a dealer.
func ExampleSangdamtalk(t testing.TB, path string) *configs.Config {
	t.Helper()
	cfg, err := configs.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	vip, ok := cfg.Handoff.Queues["vip"]
	if _, dealer := cfg.Dealers["happytalk"]; !ok || !dealer {
		t.Fatalf("%s: want a vip queue and a happytalk dealer to switch to 상담톡", path)
	}
	cfg.Kakao.Consultation = configs.ConsultationSangdamtalk
	vip.Target = "dealer:happytalk"
	cfg.Handoff.Queues["vip"] = vip
	return cfg
}
