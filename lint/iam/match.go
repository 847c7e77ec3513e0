package iam

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Strings in a request or a policy may hold values that the configuration
// does not determine. Two kinds are understood here:
//
//   - a run: a model token (a resource's computed attribute) or an
//     unresolved policy variable, standing for an unknown string of any
//     length. Two runs with the same text are the same string;
//   - a hole: one unknown character, written with Hole. A secret's ARN ends
//     in six of them, the random suffix AWS adds. Two holes with the same
//     label are the same character.
//
// Matching answers yes only if every value the strings may stand for
// matches, no only if none does, and maybe otherwise.

const (
	runOpen   = "\uE000" // model.Token's delimiters
	runClose  = "\uE001"
	holeOpen  = "\uE002"
	holeClose = "\uE003"
)

// Hole returns n unknown characters labelled label: the same label and
// index always stand for the same character.
func Hole(label string, n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(holeOpen)
		b.WriteString(label)
		b.WriteByte('#')
		b.WriteByte(byte('0' + i%10))
		b.WriteString(holeClose)
	}
	return b.String()
}

// IsUnknown reports whether s holds a run or a hole.
func IsUnknown(s string) bool {
	return strings.Contains(s, runOpen) || strings.Contains(s, holeOpen)
}

type elemKind uint8

const (
	eLit     elemKind = iota // one literal character
	eHole                    // one unknown character
	eRun                     // an unknown string
	eStar                    // * in a pattern: any string
	eStarSeg                 // * inside an ARN segment: any string without ':'
	eQuest                   // ? in a pattern: any one character
)

type elem struct {
	kind elemKind
	r    rune   // eLit
	id   string // eHole, eRun
	// seg marks a run that stands for one segment of an ARN, without a
	// colon: an account or a region (see segmentRun).
	seg bool
}

// segmentRun reports whether a run stands for a value that never holds a
// colon, so that an ARN with it can still be cut into its parts: a token
// (model.Token) of an account ID, a region or a partition.
func segmentRun(id string) bool {
	i := strings.LastIndexByte(id, '#')
	if i < 0 {
		return false
	}
	switch id[i+1:] {
	case "account_id", "region", "partition", "registry_id", "owner_id":
		return true
	}
	return false
}

// lexMode says how a string is read.
type lexMode struct {
	glob  bool // * and ? are wildcards
	arn   bool // a * followed by more of its segment stays within the segment
	lower bool // compare case-insensitively
	// vars resolves policy variables (${aws:username}); nil when the
	// policy's version does not support them.
	vars func(name string) (string, bool)
}

// lex splits s into elements.
func lex(s string, m lexMode) []elem {
	out := make([]elem, 0, len(s))
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], runOpen):
			if j := strings.Index(s[i:], runClose); j > 0 {
				id := s[i+len(runOpen) : i+j]
				out = append(out, elem{kind: eRun, id: id, seg: segmentRun(id)})
				i += j + len(runClose)
				continue
			}
		case strings.HasPrefix(s[i:], holeOpen):
			if j := strings.Index(s[i:], holeClose); j > 0 {
				out = append(out, elem{kind: eHole, id: s[i+len(holeOpen) : i+j]})
				i += j + len(holeClose)
				continue
			}
		case m.vars != nil && strings.HasPrefix(s[i:], "${"):
			if j := strings.IndexByte(s[i:], '}'); j > 0 {
				out = append(out, variable(s[i+2:i+j], m)...)
				i += j + 1
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case m.glob && r == '*':
			k := eStar
			if m.arn && i+1 < len(s) && s[i+1] != ':' {
				k = eStarSeg
			}
			out = append(out, elem{kind: k})
		case m.glob && r == '?':
			out = append(out, elem{kind: eQuest})
		default:
			if m.lower {
				r = unicode.ToLower(r)
			}
			out = append(out, elem{kind: eLit, r: r})
		}
		i += size
	}
	return out
}

// variable expands a policy variable: ${*}, ${?} and ${$} are the literal
// characters; a key the request context knows is its value; anything else
// is an unknown string.
func variable(name string, m lexMode) []elem {
	switch name {
	case "*", "?", "$":
		return []elem{{kind: eLit, r: rune(name[0])}}
	}
	key := strings.TrimSpace(name)
	if k, _, ok := strings.Cut(key, ","); ok { // ${key, 'default'}
		key = strings.TrimSpace(k)
	}
	if v, ok := m.vars(key); ok {
		lit := lexMode{lower: m.lower}
		return lex(v, lit)
	}
	return []elem{{kind: eRun, id: "var:" + strings.ToLower(key)}}
}

// maxCells bounds the matching tables: a pattern and a subject whose
// product is larger are not compared, the answer is maybe.
const maxCells = 1 << 22

// match compares a pattern with a subject.
func match(pattern, subject []elem) tri {
	if (len(pattern)+1)*(len(subject)+1) > maxCells {
		return maybe
	}
	if matchAll(pattern, subject) {
		return yes
	}
	if !matchSome(pattern, subject) {
		return no
	}
	return maybe
}

// matchAll reports whether there is one alignment of pattern and subject
// that holds whatever the unknown parts of the subject are: literals meet
// equal literals, a hole or run meets the same hole or run, wildcards
// absorb anything they may.
func matchAll(p, s []elem) bool {
	w := len(s) + 1
	dp := make([]bool, (len(p)+1)*w)
	dp[len(p)*w+len(s)] = true
	for i := len(p) - 1; i >= 0; i-- {
		for j := len(s); j >= 0; j-- {
			var ok bool
			switch pe := p[i]; pe.kind {
			case eStar:
				ok = dp[(i+1)*w+j] || j < len(s) && dp[i*w+j+1]
			case eStarSeg:
				ok = dp[(i+1)*w+j] || j < len(s) && (s[j].kind == eLit && s[j].r != ':' || s[j].kind == eRun && s[j].seg) && dp[i*w+j+1]
			default:
				if j == len(s) {
					break
				}
				se := s[j]
				switch pe.kind {
				case eQuest:
					ok = se.kind == eLit || se.kind == eHole
				case eLit:
					ok = se.kind == eLit && se.r == pe.r
				case eHole, eRun:
					ok = se.kind == pe.kind && se.id == pe.id
				}
				ok = ok && dp[(i+1)*w+j+1]
			}
			dp[i*w+j] = ok
		}
	}
	return dp[0]
}

// matchSome reports whether some value of the subject matches some value
// of the pattern: unknown parts on either side may be anything. A * that
// should stay within an ARN segment is let cross it here, so that a match
// that depends on the finer rule comes out as maybe rather than no.
func matchSome(p, s []elem) bool {
	w := len(s) + 1
	dp := make([]bool, (len(p)+1)*w)
	for i := len(p); i >= 0; i-- {
		for j := len(s); j >= 0; j-- {
			var ok bool
			switch {
			case i == len(p) && j == len(s):
				ok = true
			case i < len(p) && (p[i].kind == eStar || p[i].kind == eStarSeg || p[i].kind == eRun):
				ok = dp[(i+1)*w+j] || j < len(s) && dp[i*w+j+1]
			case j < len(s) && s[j].kind == eRun:
				// A run may stand for what the pattern has here, except
				// that an account or region holds no colon.
				ok = dp[i*w+j+1] || i < len(p) && !(s[j].seg && p[i].kind == eLit && p[i].r == ':') && dp[(i+1)*w+j]
			case i < len(p) && j < len(s):
				pe, se := p[i], s[j]
				ok = !(pe.kind == eLit && se.kind == eLit && pe.r != se.r) && dp[(i+1)*w+j+1]
			}
			dp[i*w+j] = ok
		}
	}
	return dp[0]
}

// splitARN cuts an ARN into its six colon-separated parts (the last keeps
// its own colons). ok is false when it has fewer, or when an unknown
// string sits where a colon may hide (an account or region cannot hold
// one).
func splitARN(es []elem) (parts [][]elem, ok bool) {
	start := 0
	for i, e := range es {
		if len(parts) == 5 {
			break
		}
		if e.kind == eRun && !e.seg {
			return nil, false
		}
		if e.kind == eLit && e.r == ':' {
			parts = append(parts, es[start:i])
			start = i + 1
		}
	}
	if len(parts) != 5 {
		return nil, false
	}
	return append(parts, es[start:]), true
}

// matchARN compares ARNs segment by segment, as ArnLike does.
func matchARN(pattern, subject []elem) tri {
	pp, ok1 := splitARN(pattern)
	sp, ok2 := splitARN(subject)
	if !ok1 || !ok2 {
		if matchSome(pattern, subject) {
			return maybe
		}
		return no
	}
	m := yes
	for i := range pp {
		m = and(m, match(pp[i], sp[i]))
	}
	return m
}

// quickMatch compares a pattern and a subject that hold no unknown parts,
// no policy variables and only ASCII, with the classic wildcard scan: most
// actions and resources of a policy, at no allocation. ok is false when
// the full matcher is needed.
func quickMatch(pattern, subject string, m lexMode) (r tri, ok bool) {
	if !isPlain(pattern) || !isPlain(subject) || m.vars != nil && strings.Contains(pattern, "${") {
		return no, false
	}
	if m.arn {
		for i := 0; i < len(pattern)-1; i++ {
			if pattern[i] == '*' && pattern[i+1] != ':' {
				return no, false // a * that stays within its segment
			}
		}
	}
	if m.lower {
		pattern, subject = strings.ToLower(pattern), strings.ToLower(subject)
	}
	return triOf(globMatch(pattern, subject)), true
}

func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// globMatch matches * (any run) and ? (one character) by backtracking to
// the last star.
func globMatch(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
