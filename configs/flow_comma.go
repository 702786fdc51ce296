package configs

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"
)

// flowCommaHint explains an unknown key with no value inside { }: in
// "{text: 안녕하세요, 반가워요, menu: main}" the comma ends the text, and
// "반가워요" reads as a key of its own. The fix shown joins it back to the
// value before it when that value is text.
func flowCommaHint(mapping ast.Node, mv *ast.MappingValueNode) string {
	m, ok := unwrap(mapping).(*ast.MappingNode)
	if !ok || !m.IsFlowStyle {
		return ""
	}
	if _, null := mv.Value.(*ast.NullNode); mv.Value != nil && !null {
		return ""
	}
	const hint = ": inside { } a comma ends a value, so quote a value that holds one"
	for i, v := range m.Values {
		if v != mv || i == 0 {
			continue
		}
		prev := m.Values[i-1]
		if s, ok := unwrap(prev.Value).(*ast.StringNode); ok {
			return fmt.Sprintf("%s (%s: %q)", hint, keyString(prev.Key), s.Value+", "+keyString(mv.Key))
		}
	}
	return hint
}
