package jsontree

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"family": "app", "containerDefinitions": [{"name": "web", "image": "nginx:1.27"}]}`,
		`[1, -2.5e10, true, false, null, "x\u00e9\ud83d\ude00", {}, []]`,
		"\ufeff{\"a\":\n\t[1,\r\n2]}",
		`{"a":1,"a":2}`, `"\ud83d"`, `{"a":1,}`, `01`, `[`, "\"\xff\"", `"\u12"`,
		"{\"é\": \"日本語\"}", `1e400`, `-0.0E-0`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		v, diags := Parse("f.json", src, hcl.InitialPos)
		if (v == nil) != diags.HasErrors() || len(diags) > 1 {
			t.Fatalf("Parse = %v, %v: want a value or one error", v, diags)
		}
		if len(diags) == 1 {
			r := diags[0].Subject
			if r == nil || r.Start.Byte > r.End.Byte || r.End.Byte > len(src) || r.Start != slowPos(src, r.Start.Byte) {
				t.Fatalf("bad subject %#v", r)
			}
		}
		if v != nil {
			checkRanges(t, src, v)
		}
		sv, sdiags := ParseShallow("f.json", src, hcl.InitialPos, 1)
		if (sv == nil) != (v == nil) || len(sdiags) != len(diags) {
			t.Fatalf("ParseShallow disagrees: %v vs %v", sdiags, diags)
		}

		if !utf8.Valid(src) {
			if v != nil {
				t.Fatal("accepted invalid UTF-8")
			}
			return
		}
		plain := bytes.TrimPrefix(src, bom)
		if json.Valid(plain) != (v != nil) {
			if v == nil && diags[0].Summary == "JSON nested more than 512 levels deep" {
				return
			}
			t.Fatalf("encoding/json valid = %v, Parse: %v", json.Valid(plain), diags)
		}
		if v == nil {
			return
		}
		d := json.NewDecoder(bytes.NewReader(plain))
		d.UseNumber()
		var x any
		if err := d.Decode(&x); err != nil {
			t.Fatalf("encoding/json: %v", err)
		}
		if path := sameValue(v, x); path != "" {
			t.Fatalf("values differ at %s", path)
		}
	})
}

// sameValue compares a tree with encoding/json's decoding of the same
// input: equal strings, numbers as written, the last of duplicate keys.
// It returns where they differ, or "".
func sameValue(v *Value, x any) string {
	switch x := x.(type) {
	case nil:
		if v.Kind != Null {
			return "null"
		}
	case bool:
		if v.Kind != Bool || v.Bool != x {
			return "bool"
		}
	case json.Number:
		if v.Kind != Number || v.Str != string(x) {
			return "number " + v.Str
		}
	case string:
		if v.Kind != String || v.Str != x {
			return "string " + v.Str
		}
	case []any:
		if v.Kind != Array || len(v.Items) != len(x) {
			return "array"
		}
		for i := range x {
			if p := sameValue(v.Items[i], x[i]); p != "" {
				return "[]" + p
			}
		}
	case map[string]any:
		if v.Kind != Object {
			return "object"
		}
		keys := map[string]bool{}
		for _, m := range v.Members {
			keys[m.Key] = true
		}
		if len(keys) != len(x) {
			return "object keys"
		}
		for k, xv := range x {
			m := v.Get(k)
			if m == nil {
				return "missing key " + k
			}
			if p := sameValue(m.Value, xv); p != "" {
				return "." + k + p
			}
		}
	default:
		return "unexpected type"
	}
	return ""
}

// checkRanges checks every range against positions computed the slow way,
// and that each range covers the text of its value.
func checkRanges(t *testing.T, src []byte, v *Value) {
	t.Helper()
	check := func(r hcl.Range, first, last string) {
		t.Helper()
		if r.Filename != "f.json" || r.Start != slowPos(src, r.Start.Byte) || r.End != slowPos(src, r.End.Byte) {
			t.Fatalf("range %#v does not match its offsets", r)
		}
		text := string(src[r.Start.Byte:r.End.Byte])
		if !strings.HasPrefix(text, first) || !strings.HasSuffix(text, last) {
			t.Fatalf("range text %q for %s...%s", text, first, last)
		}
	}
	switch v.Kind {
	case Object:
		check(v.Range, "{", "}")
		for _, m := range v.Members {
			check(m.KeyRange, `"`, `"`)
			checkRanges(t, src, m.Value)
		}
	case Array:
		check(v.Range, "[", "]")
		for _, it := range v.Items {
			checkRanges(t, src, it)
		}
	case String:
		check(v.Range, `"`, `"`)
	default:
		check(v.Range, "", "")
	}
}

// slowPos is the position of byte off computed from scratch.
func slowPos(src []byte, off int) hcl.Pos {
	p := hcl.Pos{Line: 1, Column: 1, Byte: off}
	i := 0
	if bytes.HasPrefix(src, bom) {
		i = 3
	}
	for ; i < off; i++ {
		switch {
		case src[i] == '\n':
			p.Line, p.Column = p.Line+1, 1
		case src[i]&0xC0 != 0x80:
			p.Column++
		}
	}
	return p
}
