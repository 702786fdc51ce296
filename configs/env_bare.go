package configs

import "strings"

// warnBareVars warns about each "$NAME" in raw (the string at p as written)
// whose NAME looks like an environment variable (capitals, digits and _,
// starting with a capital or _): Baton expands only ${NAME}, so "$NAME"
// stays in the value as typed — a token, secret or URL written that way
// never matches what it was meant to read. "$$" (a literal dollar) and
// "${...}" are skipped.
func (t *tree) warnBareVars(p path, raw string) {
	for i := 0; i < len(raw); i++ {
		if raw[i] != '$' || i+1 >= len(raw) {
			continue
		}
		if raw[i+1] == '$' {
			i++
			continue
		}
		j := i + 1
		for j < len(raw) && isEnvNameByte(raw[j], j == i+1) {
			j++
		}
		if j-i-1 < 2 {
			continue
		}
		name := raw[i+1 : j]
		if strings.Trim(name, "_") == "" {
			continue
		}
		t.warnAt(p, "$%s in %s is kept as written: Baton expands only ${%s}; write ${%s} (or ${%s:-default}) to read the environment, or $$%s for a literal dollar", name, p, name, name, name, name)
		i = j - 1
	}
}

// isEnvNameByte reports whether c may be part of a variable name written in
// capitals (first: whether it is the first character).
func isEnvNameByte(c byte, first bool) bool {
	switch {
	case c == '_', c >= 'A' && c <= 'Z':
		return true
	case c >= '0' && c <= '9':
		return !first
	}
	return false
}
