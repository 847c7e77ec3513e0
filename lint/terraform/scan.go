package terraform

// A quick scan of configuration text for the prefilter: the sources of the
// module blocks, found without parsing. It knows just enough of HCL to
// skip what is not code (comments, the contents of strings and heredocs),
// so that a comment that mentions a module call is not taken for one, and
// it costs about one pass over the bytes, with no allocation but for what
// it finds. It is not a parser: text that does not parse may be scanned
// wrongly, and the loader then reports it.

// moduleSource is the source of a module block, as the scan found it.
type moduleSource struct {
	value string
	line  int // of the source argument
}

// nativeSources returns the literal sources of the module blocks in HCL
// native syntax (.tf, .tofu).
func nativeSources(src []byte) []moduleSource {
	sources, _ := nativeScan(src)
	return sources
}

// nativeVariables returns the names of the variable blocks in HCL native
// syntax.
func nativeVariables(src []byte) []string {
	_, variables := nativeScan(src)
	return variables
}

// nativeScan finds the literal sources of the module blocks and the names
// of the variable blocks.
func nativeScan(src []byte) (out []moduleSource, variables []string) {
	s := textScan{src: src, line: 1}
	var label []byte        // the first label of the top-level block header on this line
	depth := 0              // of braces, outside strings
	lineStart := true       // no token yet on this line (or since a block's "{")
	moduleHeader := false   // this line starts a top-level module block
	variableHeader := false // … a variable block
	inModule := false       // the top-level block open is a module block
	const (                 // the states of "source = LITERAL" at depth 1 of a module block
		none = iota
		sawSource
		sawEquals
	)
	arg := none
	for s.i < len(src) {
		c := src[s.i]
		switch {
		case c == '\n':
			s.i++
			s.line++
			lineStart, arg = true, none
			if depth == 0 {
				moduleHeader, variableHeader, label = false, false, nil
			}
			continue
		case c == ' ' || c == '\t' || c == '\r':
			s.i++
			continue
		case c == '#' || c == '/' && s.peek(1) == '/':
			s.skipLine()
			continue
		case c == '/' && s.peek(1) == '*':
			s.skipBlockComment()
			continue
		case c == '"':
			line := s.line
			lit, plain := s.quoted()
			if arg == sawEquals && plain {
				out = append(out, moduleSource{value: string(lit), line: line})
			}
			if depth == 0 && variableHeader && label == nil && plain {
				label = lit
			}
			arg = none
		case c == '<' && s.peek(1) == '<':
			if !s.heredoc() {
				s.i += 2
			}
			arg = none
		case c == '{':
			s.i++
			if depth == 0 {
				inModule = moduleHeader
				if variableHeader && label != nil {
					variables = append(variables, string(label))
				}
			}
			depth++
			lineStart, arg = true, none
			continue
		case c == '}':
			s.i++
			if depth > 0 {
				depth--
			}
			if depth == 0 {
				inModule, moduleHeader, variableHeader, label = false, false, false, nil
			}
			arg = none
		case c == '=' && s.peek(1) != '=':
			s.i++
			if arg == sawSource {
				arg = sawEquals
			} else {
				arg = none
			}
		case isIdentStart(c):
			word := s.ident()
			switch {
			case lineStart && depth == 0:
				moduleHeader = string(word) == "module"
				variableHeader = string(word) == "variable"
			case depth == 0 && variableHeader && label == nil:
				label = word // a bare label
			case lineStart && depth == 1 && inModule && string(word) == "source":
				arg = sawSource
			default:
				arg = none
			}
		default:
			s.i++
			arg = none
		}
		lineStart = false
	}
	return out, variables
}

// textScan walks HCL native syntax text.
type textScan struct {
	src  []byte
	i    int
	line int
}

func (s *textScan) peek(n int) byte {
	if s.i+n < len(s.src) {
		return s.src[s.i+n]
	}
	return 0
}

// skipLine skips a line comment, up to (not over) the newline.
func (s *textScan) skipLine() {
	for s.i < len(s.src) && s.src[s.i] != '\n' {
		s.i++
	}
}

// skipBlockComment skips a /* */ comment.
func (s *textScan) skipBlockComment() {
	s.i += 2
	for s.i < len(s.src) {
		switch {
		case s.src[s.i] == '\n':
			s.line++
		case s.src[s.i] == '*' && s.peek(1) == '/':
			s.i += 2
			return
		}
		s.i++
	}
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

func isIdentByte(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9' || c == '-'
}

// ident reads an identifier.
func (s *textScan) ident() []byte {
	start := s.i
	for s.i < len(s.src) && isIdentByte(s.src[s.i]) {
		s.i++
	}
	return s.src[start:s.i]
}

// quoted skips a quoted template string, its interpolations included. It
// returns the string's text and whether it is a plain literal (no
// interpolation, directive or escape): only those are module sources.
// A newline ends the string, as it ends it for the HCL parser (which
// then reports the string unterminated).
func (s *textScan) quoted() ([]byte, bool) {
	s.i++ // the opening quote
	start, plain := s.i, true
	for s.i < len(s.src) {
		switch c := s.src[s.i]; {
		case c == '"':
			lit := s.src[start:s.i]
			s.i++
			return lit, plain
		case c == '\n':
			return nil, false
		case c == '\\':
			plain = false
			s.i += 2
			continue
		case (c == '$' || c == '%') && s.peek(1) == '{':
			plain = false
			s.i += 2
			s.skipCode()
			continue
		}
		s.i++
	}
	return nil, false
}

// skipCode skips the expression of an interpolation or a directive, up to
// and over its closing brace.
func (s *textScan) skipCode() {
	depth := 0
	for s.i < len(s.src) {
		switch c := s.src[s.i]; {
		case c == '\n':
			s.line++
		case c == '#' || c == '/' && s.peek(1) == '/':
			s.skipLine()
			continue
		case c == '/' && s.peek(1) == '*':
			s.skipBlockComment()
			continue
		case c == '"':
			s.quoted()
			continue
		case c == '<' && s.peek(1) == '<':
			if s.heredoc() {
				continue
			}
		case c == '{':
			depth++
		case c == '}':
			if depth == 0 {
				s.i++
				return
			}
			depth--
		}
		s.i++
	}
}

// heredoc skips a heredoc (<<EOT or <<-EOT, through the line that holds
// only its marker) and reports whether there was one at s.i.
func (s *textScan) heredoc() bool {
	j := s.i + 2
	if j < len(s.src) && s.src[j] == '-' {
		j++
	}
	if j >= len(s.src) || !isIdentStart(s.src[j]) {
		return false
	}
	markStart := j
	for j < len(s.src) && isIdentByte(s.src[j]) {
		j++
	}
	marker := s.src[markStart:j]
	if j < len(s.src) && s.src[j] == '\r' {
		j++
	}
	if j >= len(s.src) || s.src[j] != '\n' {
		return false
	}
	// Line by line, until one that holds only the marker (indented or not).
	for j < len(s.src) {
		j++ // the newline
		s.line++
		end := j
		for end < len(s.src) && s.src[end] != '\n' {
			end++
		}
		line := s.src[j:end]
		for len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
			line = line[1:]
		}
		if len(line) > 0 && line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
		}
		if string(line) == string(marker) {
			s.i = end // the newline after the marker is the caller's
			return true
		}
		j = end
	}
	s.i = len(s.src) // unterminated: the parser will say so
	return true
}

// jsonSources returns the sources of the module blocks in HCL's JSON
// syntax (.tf.json, .tofu.json): string values at module.NAME.source, with
// any arrays between ("module": [{"name": {"source": …}}]).
func jsonSources(src []byte) []moduleSource {
	var stack []jsonFrame
	var out []moduleSource
	line := 1
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '\n':
			line++
		case '{':
			stack = append(stack, jsonFrame{object: true, expectKey: true})
		case '[':
			stack = append(stack, jsonFrame{})
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case ':', ',':
			if n := len(stack); n > 0 && stack[n-1].object {
				stack[n-1].expectKey = c == ','
			}
		case '"':
			start, escaped := i+1, false
			for i++; i < len(src) && src[i] != '"'; i++ {
				if src[i] == '\\' {
					escaped = true
					i++
				}
			}
			str := src[start:min(i, len(src))]
			n := len(stack)
			switch {
			case n == 0:
			case stack[n-1].object && stack[n-1].expectKey:
				stack[n-1].key = str
			case !escaped && isSourcePath(stack):
				out = append(out, moduleSource{value: string(str), line: line})
			}
		}
	}
	return out
}

// jsonFrame is an object or an array that jsonSources is inside.
type jsonFrame struct {
	object    bool
	key       []byte // an object's current key
	expectKey bool   // an object's next string is a key
}

// isSourcePath reports whether the object keys in force are module, a
// name, source.
func isSourcePath(stack []jsonFrame) bool {
	var keys [3][]byte
	n := 0
	for _, f := range stack {
		if !f.object {
			continue
		}
		if n == len(keys) {
			return false
		}
		keys[n] = f.key
		n++
	}
	return n == 3 && string(keys[0]) == "module" && string(keys[2]) == "source"
}
