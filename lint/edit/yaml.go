package edit

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"go.yaml.in/yaml/v3"

	"github.com/canpull/canpull/lint"
)

// YAMLKey adds the line `key: value` to a block mapping of a YAML file, as
// its first key, indented as the keys that follow it. The mapping is the
// value of the key written at r, then down path (keys of nested mappings).
func YAMLKey(src []byte, r hcl.Range, path []string, key, value string) (e lint.Edit, err error) {
	defer func() {
		// yaml.v3 has panicked on malformed input before.
		if p := recover(); p != nil {
			e, err = lint.Edit{}, fmt.Errorf("%s does not parse as YAML", r.Filename)
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return lint.Edit{}, fmt.Errorf("%s does not parse as YAML", r.Filename)
	}
	k, v := yamlKeyAt(&doc, r.Start.Line, r.Start.Column)
	if k == nil {
		return lint.Edit{}, fmt.Errorf("canpull finds no YAML key at line %d of %s", r.Start.Line, r.Filename)
	}
	for _, name := range path {
		k, v = yamlGet(v, name)
		if k == nil {
			return lint.Edit{}, fmt.Errorf("the mapping at line %d has no %s", r.Start.Line, name)
		}
	}
	switch {
	case v.Kind != yaml.MappingNode || len(v.Content) == 0:
		return lint.Edit{}, fmt.Errorf("%s at line %d is not a mapping with keys", k.Value, k.Line)
	case v.Style&yaml.FlowStyle != 0:
		return lint.Edit{}, fmt.Errorf("%s at line %d is written in flow style ({…}): add %s by hand", k.Value, k.Line, key)
	case v.Content[0].Line <= k.Line:
		return lint.Edit{}, fmt.Errorf("%s at line %d starts its mapping on its own line", k.Value, k.Line)
	}
	if kk, _ := yamlGet(v, key); kk != nil {
		return lint.Edit{}, fmt.Errorf("%s at line %d has %s already", k.Value, k.Line, key)
	}
	at := lineEnd(src, offsetOfLine(src, k.Line))
	indent := indentOf(src, offsetOfLine(src, v.Content[0].Line))
	if len(indent) != v.Content[0].Column-1 {
		return lint.Edit{}, fmt.Errorf("the keys of %s at line %d do not start their lines", k.Value, k.Line)
	}
	nl := newline(src)
	text := indent + key + ": " + value + nl
	if at == len(src) && (at == 0 || src[at-1] != '\n') {
		text = nl + text
	}
	return replace(src, r.Filename, at, at, text), nil
}

// offsetOfLine is the offset of the start of line n (from 1).
func offsetOfLine(src []byte, n int) int {
	off := 0
	for line := 1; line < n && off < len(src); line++ {
		off = lineEnd(src, off)
	}
	return off
}

// yamlKeyAt finds the mapping key written at line and column, and its value.
func yamlKeyAt(n *yaml.Node, line, col int) (key, value *yaml.Node) {
	if n == nil {
		return nil, nil
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Line == line && k.Column == col {
				return k, n.Content[i+1]
			}
		}
	}
	for _, c := range n.Content {
		if k, v := yamlKeyAt(c, line, col); k != nil {
			return k, v
		}
	}
	return nil, nil
}

// yamlGet returns the key named name of a mapping, and its value.
func yamlGet(m *yaml.Node, name string) (key, value *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == name {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}
