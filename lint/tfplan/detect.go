package tfplan

import (
	"bytes"

	"github.com/canpull/canpull/lint/jsontree"
)

// Detect reports whether src, a whole file or only its beginning, is a
// plan in JSON: an object whose top-level keys include format_version and
// planned_values or resource_changes. Terraform and OpenTofu write
// format_version first and planned_values after the root module's
// variables, so a head that ends before planned_values still counts when
// nothing in it says otherwise (state JSON has "values" where a plan has
// "planned_values").
func Detect(src []byte) bool {
	keys, complete := topLevelKeys(src)
	if !keys["format_version"] {
		return false
	}
	switch {
	case keys["planned_values"] || keys["resource_changes"]:
		return true
	case keys["values"] || complete:
		return false
	}
	return keys["terraform_version"]
}

// isPlan is Detect for a parsed document.
func isPlan(doc *jsontree.Value) bool {
	return doc.Get("format_version") != nil && (doc.Get("planned_values") != nil || doc.Get("resource_changes") != nil)
}

// topLevelKeys scans the keys of the object that src begins with, skipping
// their values, as far as src goes. complete is true when the object ends
// within src. It stops at anything that is not JSON.
func topLevelKeys(src []byte) (keys map[string]bool, complete bool) {
	keys = map[string]bool{}
	s := bytes.TrimPrefix(src, []byte("\ufeff"))
	i := skipWS(s, 0)
	if i >= len(s) || s[i] != '{' {
		return keys, false
	}
	i++
	for {
		i = skipWS(s, i)
		if i >= len(s) {
			return keys, false
		}
		if s[i] == '}' {
			return keys, true
		}
		if s[i] != '"' {
			return keys, false
		}
		end := skipString(s, i)
		if end < 0 {
			return keys, false
		}
		key := s[i+1 : end-1]
		if bytes.IndexByte(key, '\\') < 0 {
			keys[string(key)] = true
		}
		i = skipWS(s, end)
		if i >= len(s) || s[i] != ':' {
			return keys, false
		}
		i = skipValue(s, i+1)
		if i < 0 {
			return keys, false
		}
		i = skipWS(s, i)
		if i >= len(s) {
			return keys, false
		}
		switch s[i] {
		case ',':
			i++
		case '}':
			return keys, true
		default:
			return keys, false
		}
	}
}

func skipWS(s []byte, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the offset just past the string that starts at s[i],
// or -1 when it does not end within s.
func skipString(s []byte, i int) int {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// skipValue returns the offset just past the value that starts at or
// after s[i], or -1 when it does not end within s.
func skipValue(s []byte, i int) int {
	i = skipWS(s, i)
	depth := 0
	for ; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			end := skipString(s, i)
			if end < 0 {
				return -1
			}
			i = end - 1
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth < 0 {
				return i // the enclosing object's end
			}
		case ',':
			if depth == 0 {
				return i
			}
		}
		if depth == 0 && (c == '"' || c == '}' || c == ']') {
			return i + 1
		}
	}
	return -1
}
