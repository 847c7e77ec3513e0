package edit

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/canpull/canpull/lint"
)

// at is the range of the n-th (from 0) occurrence of text in src.
func at(t *testing.T, name, src, text string, n int) hcl.Range {
	t.Helper()
	off := -1
	for i := 0; i <= n; i++ {
		j := strings.Index(src[off+1:], text)
		if j < 0 {
			t.Fatalf("%q not in the source", text)
		}
		off += 1 + j
	}
	return hcl.Range{Filename: name, Start: PosOf([]byte(src), off), End: PosOf([]byte(src), off+len(text))}
}

func apply(src string, e lint.Edit) string {
	return src[:e.Range.Start.Byte] + e.NewText + src[e.Range.End.Byte:]
}

func TestScalar(t *testing.T) {
	for _, tc := range []struct {
		name, src, at string
		old           []string
		repl, want    string
		err           string
	}{
		{"hcl literal", "a = false\n", "false", []string{"false"}, "true", "a = true\n", ""},
		{"json string", `{"k": "DISABLED"}`, `"DISABLED"`, []string{"DISABLED"}, "ENABLED", `{"k": "ENABLED"}`, ""},
		{"yaml pair", "K: DISABLED # c\n", "K: DISABLED", []string{"DISABLED"}, "ENABLED", "K: ENABLED # c\n", ""},
		{"yaml quoted pair", "K: 'DISABLED'\n", "K: 'DISABLED'", []string{"DISABLED"}, "ENABLED", "K: 'ENABLED'\n", ""},
		{"json pair", `{"K": "DISABLED"}`, `"K": "DISABLED"`, []string{"DISABLED"}, "ENABLED", `{"K": "ENABLED"}`, ""},
		{"variable", "a = var.x\n", "var.x", []string{"false"}, "true", "", "written as `var.x`"},
		{"conditional", "a = var.x ? true : false\n", "var.x ? true : false", []string{"false"}, "true", "", "written as"},
		{"yaml ref", "K: !Ref P\n", "K: !Ref P", []string{"DISABLED"}, "ENABLED", "", "written as"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Scalar([]byte(tc.src), at(t, "f", tc.src, tc.at, 0), tc.old, tc.repl)
			check(t, tc.src, e, err, tc.want, tc.err)
		})
	}
}

func check(t *testing.T, src string, e lint.Edit, err error, want, wantErr string) {
	t.Helper()
	if wantErr != "" {
		if err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Fatalf("error %v, want one that says %q", err, wantErr)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if got := apply(src, e); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestRenameKey(t *testing.T) {
	for _, tc := range []struct {
		name, src, at, want, err string
	}{
		{"json", `{"desiredcount": 1}`, `"desiredcount"`, `{"desiredCount": 1}`, ""},
		{"hcl bare", "x = { port_mappings = [] }\n", "port_mappings", "x = { portMappings = [] }\n", ""},
		{"yaml", "a:\n  desiredcount: 1\n", "desiredcount", "a:\n  desiredCount: 1\n", ""},
		{"escaped", `{"desired\u0063ount": 1}`, `"desired\u0063ount"`, "", "not plainly"},
		{"template", "x = { \"${k}\" = 1 }\n", `"${k}"`, "", "not plainly"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := "f.json"
			if strings.HasPrefix(tc.name, "hcl") || tc.name == "template" {
				name = "main.tf"
			}
			e, err := RenameKey([]byte(tc.src), at(t, name, tc.src, tc.at, 0), "desiredcount", "desiredCount")
			if strings.HasPrefix(tc.name, "hcl") {
				e, err = RenameKey([]byte(tc.src), at(t, name, tc.src, tc.at, 0), "port_mappings", "portMappings")
			}
			check(t, tc.src, e, err, tc.want, tc.err)
		})
	}
}

// A rename in a file that terraform fmt formatted aligns the block again;
// in another, nothing but the key changes.
func TestRenameKeepsFormat(t *testing.T) {
	formatted := "x = {\n  name          = \"a\"\n  port_mappings = []\n}\n"
	e, err := RenameKey([]byte(formatted), at(t, "main.tf", formatted, "port_mappings", 0), "port_mappings", "portMappings")
	check(t, formatted, e, err, "x = {\n  name         = \"a\"\n  portMappings = []\n}\n", "")

	loose := "x = {\n  name = \"a\"\n  port_mappings    = []\n}\n"
	e, err = RenameKey([]byte(loose), at(t, "main.tf", loose, "port_mappings", 0), "port_mappings", "portMappings")
	check(t, loose, e, err, "x = {\n  name = \"a\"\n  portMappings    = []\n}\n", "")
}

func TestHCLAttribute(t *testing.T) {
	const svc = "resource \"aws_ecs_service\" \"a\" {\n  name = \"a\"\n\n  network_configuration {\n    subnets = [\"s\"]\n  }\n}\n"
	for _, tc := range []struct {
		name, src, at, block, want, err string
	}{
		{"formatted", svc, "network_configuration", "network_configuration",
			"resource \"aws_ecs_service\" \"a\" {\n  name = \"a\"\n\n  network_configuration {\n    subnets          = [\"s\"]\n    assign_public_ip = true\n  }\n}\n", ""},
		{"unformatted", strings.Replace(svc, "subnets =", "subnets  =", 1), "network_configuration", "network_configuration",
			"resource \"aws_ecs_service\" \"a\" {\n  name = \"a\"\n\n  network_configuration {\n    subnets  = [\"s\"]\n    assign_public_ip = true\n  }\n}\n", ""},
		{"crlf", strings.ReplaceAll(svc, "\n", "\r\n"), "network_configuration", "network_configuration",
			strings.ReplaceAll("resource \"aws_ecs_service\" \"a\" {\n  name = \"a\"\n\n  network_configuration {\n    subnets = [\"s\"]\n    assign_public_ip = true\n  }\n}\n", "\n", "\r\n"), ""},
		{"one line", "resource \"x\" \"y\" {\n  network_configuration { subnets = [] }\n}\n", "network_configuration", "network_configuration", "", "on one line"},
		{"dynamic", "resource \"x\" \"y\" {\n  dynamic \"network_configuration\" {\n    for_each = [1]\n    content {\n      subnets = []\n    }\n  }\n}\n", "dynamic", "network_configuration", "", "dynamic block"},
		{"set already", "resource \"x\" \"y\" {\n  network_configuration {\n    assign_public_ip = var.x\n  }\n}\n", "network_configuration", "network_configuration", "", "already"},
		{"other block", "module \"m\" {\n  source = \"./m\"\n}\n", "module", "network_configuration", "", "left to `module \"m\"`"},
		{"comment kept", "resource \"x\" \"y\" {\n  network_configuration {\n    subnets = [] # the public ones\n    # more to come\n  }\n}\n", "network_configuration", "network_configuration",
			"resource \"x\" \"y\" {\n  network_configuration {\n    subnets = [] # the public ones\n    # more to come\n    assign_public_ip = true\n  }\n}\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := at(t, "main.tf", tc.src, tc.at, 0)
			e, err := HCLAttribute([]byte(tc.src), "main.tf", r.Start, tc.block, "assign_public_ip", cty.True)
			check(t, tc.src, e, err, tc.want, tc.err)
		})
	}
}

func TestJSONMember(t *testing.T) {
	for _, tc := range []struct {
		name, src, at string
		path          []string
		want, err     string
	}{
		{"indented", "{\n  \"a\": {\n    \"s\": []\n  }\n}\n", `"a"`, nil, "{\n  \"a\": {\n    \"K\": \"V\",\n    \"s\": []\n  }\n}\n", ""},
		{"compact", `{"a": {"s": []}}`, `"a"`, nil, `{"a": {"K": "V", "s": []}}`, ""},
		{"empty", `{"a": {}}`, `"a"`, nil, `{"a": {"K": "V"}}`, ""},
		{"at the object", `{"a": {"s": 1}}`, `{"s"`, nil, `{"a": {"K": "V", "s": 1}}`, ""},
		{"path", `{"R": {"Type": "x", "Properties": {"s": 1}}}`, `"R"`, []string{"Properties"}, `{"R": {"Type": "x", "Properties": {"K": "V", "s": 1}}}`, ""},
		{"there already", `{"a": {"K": 1}}`, `"a"`, nil, "", "already"},
		{"not an object", `{"a": [1]}`, `"a"`, nil, "", "not written as an object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := JSONMember([]byte(tc.src), at(t, "f.json", tc.src, tc.at, 0), tc.path, "K", `"V"`)
			check(t, tc.src, e, err, tc.want, tc.err)
		})
	}
}

func TestYAMLKey(t *testing.T) {
	for _, tc := range []struct {
		name, src, at string
		path          []string
		want, err     string
	}{
		{"block", "A:\n  B: # note\n    S: [x]\n", "B", nil, "A:\n  B: # note\n    K: V\n    S: [x]\n", ""},
		{"path", "R:\n  Type: x\n  Properties:\n    S: 1\n", "R", []string{"Properties"}, "R:\n  Type: x\n  Properties:\n    K: V\n    S: 1\n", ""},
		{"flow", "A:\n  B: {S: [x]}\n", "B", nil, "", "flow style"},
		{"there already", "B:\n  K: W\n", "B", nil, "", "already"},
		{"no such path", "R:\n  Type: x\n", "R", []string{"Properties"}, "", "has no Properties"},
		{"crlf", "B:\r\n  S: 1\r\n", "B", nil, "B:\r\n  K: V\r\n  S: 1\r\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := YAMLKey([]byte(tc.src), at(t, "t.yaml", tc.src, tc.at, 0), tc.path, "K", "V")
			check(t, tc.src, e, err, tc.want, tc.err)
		})
	}
}

// FuzzEdits feeds the edit makers text a pull request may hold, and
// ranges anywhere in it: they must never panic, and an edit they return
// must fit the text.
func FuzzEdits(f *testing.F) {
	f.Add("resource \"x\" \"y\" {\n  network_configuration {\n    subnets = []\n  }\n}\n", 20, 41)
	f.Add("{\"a\": {\"s\": []}}", 1, 4)
	f.Add("A:\n  B:\n    S: 1\n", 5, 6)
	f.Add("K: DISABLED\n", 0, 11)
	f.Fuzz(func(t *testing.T, src string, from, to int) {
		if from < 0 || to < from || to > len(src) {
			return
		}
		b := []byte(src)
		r := hcl.Range{Filename: "main.tf", Start: PosOf(b, from), End: PosOf(b, to)}
		for _, name := range []string{"main.tf", "t.json", "t.yaml"} {
			r.Filename = name
			fits := func(e lint.Edit, err error) {
				if err == nil && (e.Range.Start.Byte < 0 || e.Range.End.Byte > len(b) || e.Range.Start.Byte > e.Range.End.Byte) {
					t.Fatalf("edit %+v does not fit %d bytes", e.Range, len(b))
				}
			}
			fits(Scalar(b, r, []string{"false", "DISABLED"}, "true"))
			fits(RenameKey(b, r, "a", "b"))
			fits(HCLAttribute(b, name, r.Start, "network_configuration", "assign_public_ip", cty.True))
			fits(JSONMember(b, r, []string{"Properties"}, "K", "true"))
			fits(YAMLKey(b, r, nil, "K", "V"))
		}
	})
}

// BenchmarkHCLAttributeLargeFile adds an attribute to the last of 500
// services of one formatted file: the cost of keeping a big file formatted
// (hclwrite.Format runs over the whole file, twice).
func BenchmarkHCLAttributeLargeFile(b *testing.B) {
	var sb strings.Builder
	for i := range 500 {
		fmt.Fprintf(&sb, "resource \"aws_ecs_service\" \"s%d\" {\n  name = \"s%d\"\n\n  network_configuration {\n    subnets = [\"subnet-%d\"]\n  }\n}\n\n", i, i, i)
	}
	src := []byte(sb.String())
	at := bytes.LastIndex(src, []byte("network_configuration"))
	pos := PosOf(src, at)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := HCLAttribute(src, "main.tf", pos, "network_configuration", "assign_public_ip", cty.True); err != nil {
			b.Fatal(err)
		}
	}
}
