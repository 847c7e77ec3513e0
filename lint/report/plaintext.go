package report

import (
	"regexp"
	"strconv"
	"strings"
)

// markdownText turns a rule's Markdown page into plain text for SARIF's
// help.text: headings, emphasis, code spans and fences lose their markup
// (fenced code is indented four spaces), links become "text (url)", images
// their alt text, table rows lose their outer pipes and separator rows, and
// backslash escapes are undone. Blank lines between blocks are kept, never
// more than one.
func markdownText(md string) string {
	md = strings.ReplaceAll(md, "\r\n", "\n")
	var out []string
	fence := ""
	for _, line := range strings.Split(md, "\n") {
		trimmed := strings.TrimSpace(line)
		if fence != "" {
			if strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, fence[:1]) == "" {
				fence = ""
				continue
			}
			out = append(out, strings.TrimRight("    "+line, " \t"))
			continue
		}
		if f := fenceOpen(trimmed); f != "" {
			fence = f
			continue
		}
		switch {
		case trimmed == "":
			out = append(out, "")
		case strings.HasPrefix(trimmed, "#"):
			h := strings.TrimLeft(trimmed, "#")
			if h == "" || h[0] == ' ' || h[0] == '\t' {
				h = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(h), "#"))
				out = append(out, inlineText(h))
			} else {
				out = append(out, inlineText(trimmed))
			}
		case thematicBreak.MatchString(trimmed):
			out = append(out, "")
		case strings.HasPrefix(trimmed, "|"):
			if tableSeparator.MatchString(trimmed) {
				continue
			}
			row := strings.TrimSuffix(strings.TrimPrefix(trimmed, "|"), "|")
			cells := strings.Split(row, "|")
			for i, c := range cells {
				cells[i] = inlineText(strings.TrimSpace(c))
			}
			out = append(out, strings.Join(cells, " | "))
		case strings.HasPrefix(trimmed, ">"):
			out = append(out, inlineText(strings.TrimSpace(strings.TrimLeft(trimmed, "> "))))
		default:
			indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
			if m := bullet.FindStringSubmatch(trimmed); m != nil {
				out = append(out, indent+"- "+inlineText(m[1]))
			} else {
				out = append(out, indent+inlineText(trimmed))
			}
		}
	}
	// Squeeze blank lines and trim the ends.
	var b strings.Builder
	blank := false
	for _, l := range out {
		if l == "" {
			blank = b.Len() > 0
			continue
		}
		if blank {
			b.WriteString("\n")
		}
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(l)
		blank = false
	}
	return b.String()
}

// firstParagraph is the first paragraph of prose of a Markdown page as
// plain text on one line: headings, code, tables and quotes are skipped.
func firstParagraph(md string) string {
	md = strings.ReplaceAll(md, "\r\n", "\n")
	var para []string
	fence := ""
	for _, line := range strings.Split(md, "\n") {
		trimmed := strings.TrimSpace(line)
		if fence != "" {
			if strings.HasPrefix(trimmed, fence) {
				fence = ""
			}
			continue
		}
		if f := fenceOpen(trimmed); f != "" {
			if len(para) > 0 {
				break
			}
			fence = f
			continue
		}
		prose := trimmed != "" && !strings.HasPrefix(trimmed, "#") && !strings.HasPrefix(trimmed, "|") &&
			!strings.HasPrefix(trimmed, ">") && !strings.HasPrefix(trimmed, "<") && !thematicBreak.MatchString(trimmed)
		if !prose {
			if len(para) > 0 {
				break
			}
			continue
		}
		para = append(para, inlineText(trimmed))
	}
	return strings.Join(para, " ")
}

func fenceOpen(trimmed string) string {
	for _, f := range []string{"```", "~~~"} {
		if strings.HasPrefix(trimmed, f) {
			return f
		}
	}
	return ""
}

var (
	thematicBreak  = regexp.MustCompile(`^(?:(?:- *){3,}|(?:\* *){3,}|(?:_ *){3,})$`)
	tableSeparator = regexp.MustCompile(`^\|?[\s:|-]*-[\s:|-]*$`)
	bullet         = regexp.MustCompile(`^[-*+]\s+(.*)$`)
	image          = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	link           = regexp.MustCompile(`\[([^\]]+)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)`)
	autolink       = regexp.MustCompile(`<((?:https?|mailto):[^>\s]+)>`)
	strong         = regexp.MustCompile(`(^|[^\w*])(\*\*|__)([^\s*_](?:.*?[^\s*_])?)(\*\*|__)($|[^\w*])`)
	emphasis       = regexp.MustCompile(`(^|[^\w*])([*_])([^\s*_](?:[^*_]*?[^\s*_])?)([*_])($|[^\w*])`)
	escaped        = regexp.MustCompile(`\\([!-/:-@\[-` + "`" + `{-~])`)
	placeholder    = regexp.MustCompile("\x00([0-9]+)\x00")
)

// inlineText strips inline Markdown from one line. Code spans and
// backslash escapes are set aside first so that nothing touches them.
func inlineText(s string) string {
	s = strings.ReplaceAll(s, "\x00", "") // placeholders use it
	var codes []string
	s = setCodeAside(s, &codes)
	s = escaped.ReplaceAllStringFunc(s, func(m string) string {
		codes = append(codes, m[1:])
		return "\x00" + strconv.Itoa(len(codes)-1) + "\x00"
	})
	s = image.ReplaceAllString(s, "$1")
	s = link.ReplaceAllStringFunc(s, func(m string) string {
		sm := link.FindStringSubmatch(m)
		if sm[1] == sm[2] {
			return sm[2]
		}
		return sm[1] + " (" + sm[2] + ")"
	})
	s = autolink.ReplaceAllString(s, "$1")
	for _, re := range []*regexp.Regexp{strong, emphasis} {
		// Matches take in the character around them, so neighbours need
		// another pass; each pass removes markers, so this ends.
		for {
			t := re.ReplaceAllStringFunc(s, func(m string) string {
				sm := re.FindStringSubmatch(m)
				if sm[2] != sm[4] {
					return m
				}
				return sm[1] + sm[3] + sm[5]
			})
			if t == s {
				break
			}
			s = t
		}
	}
	return placeholder.ReplaceAllStringFunc(s, func(m string) string {
		i, _ := strconv.Atoi(strings.Trim(m, "\x00"))
		return codes[i]
	})
}

// setCodeAside replaces each code span of s (a run of backticks, then
// anything, then a run of as many backticks) with a placeholder for its
// content, which it appends to codes. A run without its match is text.
func setCodeAside(s string, codes *[]string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '`')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		n := len(s) - len(strings.TrimLeft(s, "`"))
		fence, rest := s[:n], s[n:]
		end := -1
		for j := 0; j < len(rest); {
			k := strings.Index(rest[j:], fence)
			if k < 0 {
				break
			}
			k += j
			m := len(rest[k:]) - len(strings.TrimLeft(rest[k:], "`"))
			if m == n {
				end = k
				break
			}
			j = k + m
		}
		if end < 0 {
			b.WriteString(fence)
			s = rest
			continue
		}
		code := rest[:end]
		if t := strings.TrimSpace(code); t != "" {
			code = t
		}
		*codes = append(*codes, code)
		b.WriteString("\x00" + strconv.Itoa(len(*codes)-1) + "\x00")
		s = rest[end+n:]
	}
}
