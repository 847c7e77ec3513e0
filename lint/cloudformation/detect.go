package cloudformation

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/jsontree"
)

// Files are recognised by what they hold, not by their names: a template
// has AWSTemplateFormatVersion, or a Resources section of AWS:: types. A
// CDK cloud assembly's manifest.json is read for its stacks' names and
// environments.

// extensions are the names a template may have. Anything else (.tf, .md,
// Dockerfiles) is never opened.
var extensions = []string{".yaml", ".yml", ".json", ".template", ".cfn"}

// Claim reports whether a file may be a template or a CDK manifest, from
// its name and the first bytes of its content.
func Claim(name string, head []byte) bool {
	ext := strings.ToLower(filepath.Ext(name))
	ok := false
	for _, e := range extensions {
		if ext == e {
			ok = true
		}
	}
	if !ok {
		return false
	}
	if isCDKManifest(name) && bytes.Contains(head, []byte(`"artifacts"`)) ||
		isAssetManifest(name) && bytes.Contains(head, []byte(`"destinations"`)) {
		return true
	}
	return looksLikeTemplate(head)
}

// awsType is a resource's type of AWS's own, as YAML or JSON writes it.
var awsType = regexp.MustCompile(`Type["']?\s*:\s*["']?AWS::`)

// looksLikeTemplate is the cheap test that a full parse then confirms.
func looksLikeTemplate(src []byte) bool {
	if bytes.Contains(src, []byte("AWSTemplateFormatVersion")) {
		return true
	}
	return bytes.Contains(src, []byte("Resources")) && awsType.Match(src)
}

// isJSON reports whether src is written as JSON rather than YAML (JSON is
// YAML too, but the JSON reader is exact about ranges and faster).
func isJSON(src []byte) bool {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	src = bytes.TrimLeft(src, " \t\r\n")
	return len(src) > 0 && src[0] == '{'
}

// isTemplate confirms that a parsed document is a template: a mapping
// with AWSTemplateFormatVersion, or with Resources of which one has a type
// of AWS's own.
func isTemplate(v *jsontree.Value) bool {
	if v == nil || v.Kind != jsontree.Object {
		return false
	}
	if v.Get("AWSTemplateFormatVersion") != nil {
		return true
	}
	res := v.Get("Resources")
	if res == nil || res.Value.Kind != jsontree.Object {
		return false
	}
	for _, m := range res.Value.Members {
		if t := m.Value.Get("Type"); t != nil && t.Value.Kind == jsontree.String && strings.HasPrefix(t.Value.Str, "AWS::") {
			return true
		}
	}
	return false
}

// parsed is a file read into a tree.
type parsed struct {
	name string
	src  []byte
	tree *jsontree.Value
	yaml *yamlDoc // nil for JSON
}

// parse reads a file as JSON or YAML. It returns nil without diagnostics
// for a file that turns out not to be a template.
func parse(name string, src []byte) (*parsed, hcl.Diagnostics) {
	if isJSON(src) {
		v, diags := jsontree.Parse(name, src, hcl.InitialPos)
		if diags.HasErrors() {
			if !looksLikeTemplate(src) {
				return nil, nil
			}
			return nil, diags
		}
		if !isTemplate(v) {
			return nil, nil
		}
		return &parsed{name: name, src: src, tree: v}, nil
	}
	doc, diags := parseYAML(name, src)
	if doc == nil {
		return nil, diags
	}
	if !isTemplate(doc.tree) {
		return nil, nil
	}
	return &parsed{name: name, src: src, tree: doc.tree, yaml: doc}, diags
}

// templatingMarker finds the first Mustache or Jinja marker ({{ … }},
// {% … %}) on a line that is not a comment: the sign of a file that a tool
// renders into a template (a deploy script's Mustache, Ansible's Jinja).
func templatingMarker(name string, src []byte) (hcl.Range, bool) {
	off := 0
	for i, line := range bytes.SplitAfter(src, []byte("\n")) {
		code := bytes.TrimLeft(line, " \t")
		if !bytes.HasPrefix(code, []byte("#")) {
			if loc := marker.FindIndex(line); loc != nil {
				start := hcl.Pos{Line: i + 1, Column: utf8.RuneCount(line[:loc[0]]) + 1, Byte: off + loc[0]}
				end := hcl.Pos{Line: i + 1, Column: utf8.RuneCount(line[:loc[1]]) + 1, Byte: off + loc[1]}
				return hcl.Range{Filename: name, Start: start, End: end}, true
			}
		}
		off += len(line)
	}
	return hcl.Range{}, false
}

var marker = regexp.MustCompile(`\{\{[^\n]*?\}\}|\{%[^\n]*?%\}`)
