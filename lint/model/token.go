package model

import "strings"

// A token stands for a value that AWS computes when it creates a resource (a
// subnet's id, a role's arn). The Terraform evaluator produces one wherever an
// expression reads such an attribute, so that the reference survives string
// interpolation, jsonencode and module outputs, and the adapter can follow it
// back to the resource instance.
//
// A token is written as tokenOpen + address + "#" + attribute + tokenClose.
// The delimiters are Unicode private-use characters: they pass through JSON
// encoding unchanged and do not occur in real configuration.
const (
	tokenOpen  = "\uE000"
	tokenClose = "\uE001"
)

// Token returns the token for attribute attr of the resource instance addr.
func Token(addr, attr string) string {
	return tokenOpen + addr + "#" + attr + tokenClose
}

// TokenRef is one token found in a string.
type TokenRef struct {
	Addr, Attr string
	// Start and End are the byte offsets of the token in the string.
	Start, End int
}

// ParseToken reports whether s is exactly one token, and which.
func ParseToken(s string) (TokenRef, bool) {
	ts := Tokens(s)
	if len(ts) != 1 || ts[0].Start != 0 || ts[0].End != len(s) {
		return TokenRef{}, false
	}
	return ts[0], true
}

// HasToken reports whether s contains a token.
func HasToken(s string) bool { return strings.Contains(s, tokenOpen) }

// Tokens returns every token in s, in order.
func Tokens(s string) []TokenRef {
	var out []TokenRef
	off := 0
	for {
		i := strings.Index(s[off:], tokenOpen)
		if i < 0 {
			return out
		}
		start := off + i
		body := start + len(tokenOpen)
		j := strings.Index(s[body:], tokenClose)
		if j < 0 {
			return out
		}
		inner := s[body : body+j]
		end := body + j + len(tokenClose)
		if h := strings.LastIndexByte(inner, '#'); h >= 0 {
			out = append(out, TokenRef{Addr: inner[:h], Attr: inner[h+1:], Start: start, End: end})
		}
		off = end
	}
}

// Display replaces every token in s with the Terraform expression it came
// from, for messages: "${aws_ecr_repository.app.repository_url}:v1".
func Display(s string) string {
	ts := Tokens(s)
	if len(ts) == 0 {
		return s
	}
	var b strings.Builder
	prev := 0
	for _, t := range ts {
		b.WriteString(s[prev:t.Start])
		expr := t.Addr + "." + t.Attr
		switch {
		case t.IsUnknown():
			b.WriteString("(unknown)")
		case t.Addr == "provider" || strings.HasPrefix(t.Addr, "provider.") || strings.Contains(t.Addr, ".provider."):
			// The account or region of a provider configuration.
			b.WriteString("<" + strings.TrimSuffix(t.Attr, "_id") + ">")
		case t.Start == 0 && t.End == len(s):
			b.WriteString(expr)
		default:
			b.WriteString("${" + expr + "}")
		}
		prev = t.End
	}
	b.WriteString(s[prev:])
	return b.String()
}

// UnknownToken returns a token that stands for a value canpull does not
// know and that no resource computes: a JSON document built around an
// unknown value keeps its known parts this way. id tells unknowns apart:
// two tokens with the same id stand for the same value.
func UnknownToken(id string) string { return Token("", id) }

// IsUnknown reports whether the token stands for an unknown value rather
// than a resource's attribute.
func (t TokenRef) IsUnknown() bool { return t.Addr == "" }
