package main

import (
	"fmt"

	"github.com/baton-chat/baton/configs"
)

// openSkillError reports serving /skill without tokens (cfg's kakao.tokens
// is empty) on addr when addr is not loopback, which serve refuses at
// start-up and a reload refuses too; nil otherwise.
func openSkillError(cfg *configs.Config, addr string) error {
	if len(cfg.Kakao.Tokens) == 0 && !isLoopback(addr) {
		return fmt.Errorf("%s: kakao.tokens is empty, which is allowed only on a loopback --addr (got %s)", cfg.Path, addr)
	}
	return nil
}
