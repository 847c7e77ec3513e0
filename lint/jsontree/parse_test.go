package jsontree

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// dump writes a tree compactly with each value's range as
// line:col-line:col, so that tests can compare whole trees at a glance.
func dump(v *Value) string {
	var b strings.Builder
	var walk func(v *Value)
	rng := func(r hcl.Range) string {
		return fmt.Sprintf("%d:%d-%d:%d", r.Start.Line, r.Start.Column, r.End.Line, r.End.Column)
	}
	walk = func(v *Value) {
		switch v.Kind {
		case Null:
			b.WriteString("null")
		case Bool:
			fmt.Fprint(&b, v.Bool)
		case Number:
			b.WriteString(v.Str)
		case String:
			fmt.Fprintf(&b, "%q", v.Str)
		case Array:
			b.WriteString("[")
			for i, it := range v.Items {
				if i > 0 {
					b.WriteString(" ")
				}
				walk(it)
			}
			b.WriteString("]")
		case Object:
			b.WriteString("{")
			for i, m := range v.Members {
				if i > 0 {
					b.WriteString(" ")
				}
				fmt.Fprintf(&b, "%q@%s:", m.Key, rng(m.KeyRange))
				walk(m.Value)
			}
			b.WriteString("}")
		}
		b.WriteString("@" + rng(v.Range))
	}
	walk(v)
	return b.String()
}

func mustParse(t *testing.T, src string) *Value {
	t.Helper()
	v, diags := Parse("f.json", []byte(src), hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("Parse(%q): %v", src, diags)
	}
	return v
}

func TestParseTree(t *testing.T) {
	tests := []struct{ src, want string }{
		{`null`, `null@1:1-1:5`},
		{` true `, `true@1:2-1:6`},
		{`false`, `false@1:1-1:6`},
		{`-12.5e+3`, `-12.5e+3@1:1-1:9`},
		{`0`, `0@1:1-1:2`},
		{`""`, `""@1:1-1:3`},
		{`[]`, `[]@1:1-1:3`},
		{`{}`, `{}@1:1-1:3`},
		{`[1, [2], {}]`, `[1@1:2-1:3 [2@1:6-1:7]@1:5-1:8 {}@1:10-1:12]@1:1-1:13`},
		{"{\n  \"a\": \"x\",\n  \"b\": [true]\n}",
			`{"a"@2:3-2:6:"x"@2:8-2:11 "b"@3:3-3:6:[true@3:9-3:13]@3:8-3:14}@1:1-4:2`},
		// Columns count characters, not bytes.
		{`{"é": "日本語", "k": 1}`, `{"é"@1:2-1:5:"日本語"@1:7-1:12 "k"@1:14-1:17:1@1:19-1:20}@1:1-1:21`},
		// Windows line ends.
		{"[\r\n1,\r\n2]", `[1@2:1-2:2 2@3:1-3:2]@1:1-3:3`},
		// Escapes are decoded; the range is the source's.
		{`"a\"\\\/\b\f\n\r\tz"`, `"a\"\\/\b\f\n\r\tz"@1:1-1:21`},
		{`"\u00e9\u65E5\ud83d\ude00"`, `"é日😀"@1:1-1:27`},
		// Lone or mismatched surrogates become U+FFFD, as in encoding/json.
		{`"\ud83d"`, `"�"@1:1-1:9`},
		{`"\ud83dx"`, `"�x"@1:1-1:10`},
		{`"\ude00\ud83d\u0041"`, `"��A"@1:1-1:21`},
		// Duplicate keys are kept in order.
		{`{"a":1,"a":2}`, `{"a"@1:2-1:5:1@1:6-1:7 "a"@1:8-1:11:2@1:12-1:13}@1:1-1:14`},
		// A byte order mark is skipped and takes no column.
		{"\ufeff{\"a\":1}", `{"a"@1:2-1:5:1@1:6-1:7}@1:1-1:8`},
	}
	for _, tt := range tests {
		if got := dump(mustParse(t, tt.src)); got != tt.want {
			t.Errorf("Parse(%q)\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

func TestByteOffsets(t *testing.T) {
	src := "\ufeff{\n \"é\": \"x\"}"
	v := mustParse(t, src)
	m := v.Members[0]
	if got := src[m.KeyRange.Start.Byte:m.KeyRange.End.Byte]; got != `"é"` {
		t.Errorf("key bytes = %q", got)
	}
	if got := src[m.Value.Range.Start.Byte:m.Value.Range.End.Byte]; got != `"x"` {
		t.Errorf("value bytes = %q", got)
	}
	if v.Range.Start.Byte != 3 || v.Range.End.Byte != len(src) {
		t.Errorf("object bytes = %d-%d", v.Range.Start.Byte, v.Range.End.Byte)
	}
	if v.Range.Filename != "f.json" || m.KeyRange.Filename != "f.json" {
		t.Errorf("filename not set: %q", v.Range.Filename)
	}
}

// JSON embedded in another file, such as a heredoc in a .tf file, starts at
// a position other than the file's first byte.
func TestParseStart(t *testing.T) {
	start := hcl.Pos{Line: 10, Column: 5, Byte: 200}
	v, diags := Parse("main.tf", []byte("{\"a\": 1,\n  \"b\": 2}"), start)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	a, b := v.Members[0], v.Members[1]
	check := func(name string, got, want hcl.Pos) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %#v, want %#v", name, got, want)
		}
	}
	check("object start", v.Range.Start, hcl.Pos{Line: 10, Column: 5, Byte: 200})
	check("a key", a.KeyRange.Start, hcl.Pos{Line: 10, Column: 6, Byte: 201})
	check("a value", a.Value.Range.Start, hcl.Pos{Line: 10, Column: 11, Byte: 206})
	check("b key", b.KeyRange.Start, hcl.Pos{Line: 11, Column: 3, Byte: 211})
	check("object end", v.Range.End, hcl.Pos{Line: 11, Column: 10, Byte: 218})

	// An error in embedded JSON is reported at the file's position too.
	_, diags = Parse("main.tf", []byte("{\n  \"a\": x}"), start)
	if len(diags) != 1 || diags[0].Subject.Start != (hcl.Pos{Line: 11, Column: 8, Byte: 209}) {
		t.Errorf("error at %v, want 11:8 byte 209: %v", diags[0].Subject, diags)
	}
}

func TestGet(t *testing.T) {
	v := mustParse(t, `{"a": 1, "b": 2, "a": 3}`)
	if m := v.Get("a"); m == nil || m.Value.Str != "3" {
		t.Errorf(`Get("a") = %+v, want the last "a"`, m)
	}
	if v.Get("c") != nil {
		t.Error(`Get("c") != nil`)
	}
	if mustParse(t, `[1]`).Get("a") != nil {
		t.Error("Get on an array != nil")
	}
	var nilValue *Value
	if nilValue.Get("a") != nil {
		t.Error("Get on nil != nil")
	}
}

func TestParseShallow(t *testing.T) {
	src := `{"a": {"b": {"c": [1, {"d": 2}]}}, "e": "x", "f": [[1]]}`
	v, diags := ParseShallow("f.json", []byte(src), hcl.InitialPos, 2)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	want := `{"a"@1:2-1:5:{"b"@1:8-1:11:{}@1:13-1:33}@1:7-1:34 "e"@1:36-1:39:"x"@1:41-1:44 "f"@1:46-1:49:[[]@1:52-1:55]@1:51-1:56}@1:1-1:57`
	if got := dump(v); got != want {
		t.Errorf("ParseShallow depth 2\n got %s\nwant %s", got, want)
	}
	// Levels that are not built are still checked.
	if _, diags := ParseShallow("f.json", []byte(`{"a": {"b": {"c": [1,]}}}`), hcl.InitialPos, 1); !diags.HasErrors() {
		t.Error("ParseShallow accepted a syntax error below the built levels")
	}
	if _, diags := ParseShallow("f.json", []byte(`{"a": {"b": {"c": "\x"}}}`), hcl.InitialPos, 1); !diags.HasErrors() {
		t.Error("ParseShallow accepted a bad escape below the built levels")
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		src     string
		summary string
		subject string // line:col-line:col
	}{
		{``, "Empty JSON document", "1:1-1:1"},
		{" \n ", "Empty JSON document", "2:2-2:2"},
		{`{"a": 1,}`, "Trailing comma", "1:8-1:9"},
		{`[1, 2,]`, "Trailing comma", "1:6-1:7"},
		{"{\n  \"a\": 1\n  \"b\": 2\n}", "Missing comma", "3:3-3:4"},
		{`[1 2]`, "Missing comma", "1:4-1:5"},
		{`{"a" 1}`, "Missing colon", "1:6-1:7"},
		{`{a: 1}`, "Object key without quotes", "1:2-1:3"},
		{`{'a': 1}`, "Single quotes are not allowed in JSON", "1:2-1:3"},
		{`{1: 1}`, "Object key without quotes", "1:2-1:3"},
		{`{[]: 1}`, "Invalid object key", "1:2-1:3"},
		{"{\n  // note\n  \"a\": 1}", "Comments are not allowed in JSON", "2:3-2:5"},
		{`[1] /* x */`, "Extra data after JSON value", "1:5-1:6"},
		{`{} {}`, "Extra data after JSON value", "1:4-1:5"},
		{`[1, ]`, "Trailing comma", "1:3-1:4"},
		// The comma is on an earlier line than the bracket that shows it
		// is trailing (found by FuzzLoad).
		{"{\"a\": 1,\n}", "Trailing comma", "1:8-1:9"},
		{"[\n  \"é\",\n\n  ]", "Trailing comma", "2:6-2:7"},
		{`[,1]`, "Missing value", "1:2-1:3"},
		{`{"a": }`, "Missing value", "1:7-1:8"},
		{`{"a": `, "Unexpected end of JSON", "1:7-1:7"},
		{"[1,\n2", "Unexpected end of JSON", "2:2-2:2"},
		{`{"a": 1`, "Unexpected end of JSON", "1:8-1:8"},
		{`{"a"`, "Unexpected end of JSON", "1:5-1:5"},
		{`{`, "Unexpected end of JSON", "1:2-1:2"},
		{`"abc`, "Unterminated string", "1:1-1:5"},
		{"[\"abc\n\"]", "Unterminated string", "1:2-1:6"},
		{"\"a\tb\"", "Invalid character in string", "1:3-1:4"},
		{`"\x"`, "Invalid escape sequence", "1:2-1:4"},
		{`"\u12"`, "Invalid escape sequence", "1:2-1:6"},
		{`"\u12G4"`, "Invalid escape sequence", "1:2-1:6"},
		{`"\`, "Unterminated string", "1:1-1:3"},
		{`01`, "Invalid number", "1:1-1:3"},
		{`-`, "Invalid number", "1:1-1:2"},
		{`-a`, "Invalid number", "1:1-1:2"},
		{`1.`, "Invalid number", "1:1-1:3"},
		{`1.e5`, "Invalid number", "1:1-1:5"},
		{`1e`, "Invalid number", "1:1-1:3"},
		{`1e+`, "Invalid number", "1:1-1:4"},
		{`+1`, "Invalid JSON value", "1:1-1:2"},
		{`.5`, "Invalid JSON value", "1:1-1:2"},
		{`True`, "Invalid JSON value", "1:1-1:5"},
		{`nul`, "Invalid JSON value", "1:1-1:4"},
		{`nullx`, "Invalid JSON value", "1:1-1:6"},
		{`[NaN]`, "Invalid JSON value", "1:2-1:5"},
		{`{"é": é}`, "Invalid JSON value", "1:7-1:8"},
		{"\"a\xffb\"", "Invalid UTF-8", "1:3-1:4"},
		{"{\"k\":\n \"\xc3\"}", "Invalid UTF-8", "2:3-2:4"},
		{"[\xff]", "Invalid UTF-8", "1:2-1:3"},
		{"\"\xed\xa0\x80\"", "Invalid UTF-8", "1:2-1:3"}, // a surrogate encoded as UTF-8
		{"\ufeff\ufeff{}", "Invalid JSON value", "1:1-1:2"},
	}
	for _, tt := range tests {
		v, diags := Parse("f.json", []byte(tt.src), hcl.InitialPos)
		if v != nil || len(diags) != 1 {
			t.Errorf("Parse(%q) = %v, %v; want nil and one diagnostic", tt.src, v, diags)
			continue
		}
		d := diags[0]
		r := d.Subject
		got := fmt.Sprintf("%d:%d-%d:%d", r.Start.Line, r.Start.Column, r.End.Line, r.End.Column)
		if d.Severity != hcl.DiagError || d.Summary != tt.summary || got != tt.subject || d.Detail == "" || r.Filename != "f.json" {
			t.Errorf("Parse(%q):\n got %s %q: %s\nwant %s %q", tt.src, got, d.Summary, d.Detail, tt.subject, tt.summary)
		}
		if r.Start.Byte > r.End.Byte || r.End.Byte > len(tt.src) {
			t.Errorf("Parse(%q): subject bytes %d-%d out of bounds", tt.src, r.Start.Byte, r.End.Byte)
		}
	}
}

func TestDepthLimit(t *testing.T) {
	for _, open := range []string{"[", "{\"a\":"} {
		close := map[string]string{"[": "]", "{\"a\":": "}"}[open]
		ok := strings.Repeat(open, MaxDepth) + "1" + strings.Repeat(close, MaxDepth)
		if _, diags := Parse("f.json", []byte(ok), hcl.InitialPos); diags.HasErrors() {
			t.Errorf("%d levels of %s: %v", MaxDepth, open, diags)
		}
		deep := strings.Repeat(open, MaxDepth+1) + "1" + strings.Repeat(close, MaxDepth+1)
		_, diags := Parse("f.json", []byte(deep), hcl.InitialPos)
		if len(diags) != 1 || diags[0].Summary != "JSON nested more than 512 levels deep" {
			t.Fatalf("%d levels of %s: %v", MaxDepth+1, open, diags)
		}
		if col, want := diags[0].Subject.Start.Column, MaxDepth*len(open)+1; col != want {
			t.Errorf("depth error at column %d, want %d", col, want)
		}
	}
	// A hostile document far deeper than the limit ends quickly, without
	// exhausting the stack.
	huge := strings.Repeat("[", 10_000_000)
	if _, diags := Parse("f.json", []byte(huge), hcl.InitialPos); !diags.HasErrors() {
		t.Error("no error for 10M levels")
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{Null: "null", Bool: "boolean", Number: "number", String: "string",
		Array: "array", Object: "object", Unknown: "unknown value", Kind(99): "invalid kind"} {
		if k.String() != want {
			t.Errorf("%d.String() = %q, want %q", k, k.String(), want)
		}
	}
}
