package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

func TestNativeSources(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []moduleSource
	}{
		{"module", "module \"a\" {\n  source = \"../a\"\n}\n", []moduleSource{{"../a", 2}}},
		{"one line", "module \"a\" { source = \"./a\" }\nmodule b { source = \"./b\" }\n",
			[]moduleSource{{"./a", 1}, {"./b", 2}}},
		{"registry", "module \"vpc\" {\n  source  = \"terraform-aws-modules/vpc/aws\"\n  version = \"5.0\"\n}\n",
			[]moduleSource{{"terraform-aws-modules/vpc/aws", 2}}},
		{"comments", "# module \"a\" { source = \"../a\" }\n// module \"b\" { source = \"../b\" }\n/* module \"c\" {\n  source = \"../c\"\n} */\n", nil},
		{"commented argument", "module \"a\" {\n  # source = \"../old\"\n  source = \"../a\" // was ../b\n}\n", []moduleSource{{"../a", 3}}},
		{"string", "locals {\n  s = \"module \\\"a\\\" { source = \\\"../a\\\" }\"\n}\n", nil},
		{"heredoc", "locals {\n  s = <<EOT\nmodule \"a\" {\n  source = \"../a\"\n}\nEOT\n}\nmodule \"b\" {\n  source = \"../b\"\n}\n",
			[]moduleSource{{"../b", 9}}},
		{"indented heredoc", "locals {\n  s = <<-EOT\n    module \"a\" {\n      source = \"../a\"\n    }\n    EOT\n}\n", nil},
		{"interpolation", "locals {\n  s = \"${jsonencode({ source = \"../x\" })}\"\n}\nmodule \"a\" {\n  source = \"../a\"\n}\n",
			[]moduleSource{{"../a", 5}}},
		{"not a literal", "module \"a\" {\n  source = \"../${var.x}\"\n}\n", nil},
		{"other blocks", "resource \"aws_s3_object\" \"o\" {\n  source = \"../dist/app.zip\"\n  provisioner \"file\" {\n    source = \"./x\"\n  }\n}\n", nil},
		{"nested in a module", "module \"a\" {\n  source = \"./a\"\n  settings = {\n    source = \"./b\"\n  }\n}\n", []moduleSource{{"./a", 2}}},
		{"block in block", "terraform {\n  required_providers {\n    aws = {\n      source = \"hashicorp/aws\"\n    }\n  }\n}\n", nil},
		{"after a comment block", "/* x */ module \"a\" {\n  source = \"./a\"\n}\n", []moduleSource{{"./a", 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := nativeSources([]byte(tc.src)); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestNativeVariables(t *testing.T) {
	src := `variable "image" {}
variable tag {
  default = "v1"
}
# variable "commented" {}
locals {
  doc = <<EOT
variable "in_heredoc" {}
EOT
}
variable "one_line" { default = 1 }
module "m" {
  source = "./m"
  variable = "not a block"
}
`
	if got, want := nativeVariables([]byte(src)), []string{"image", "tag", "one_line"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestJSONSources(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []moduleSource
	}{
		{"object", `{"module": {"a": {"source": "../a", "x": 1}}}`, []moduleSource{{"../a", 1}}},
		{"arrays", "{\n\"module\": [{\"a\": [{\"source\": \"./a\"}]}, {\"b\": {\"source\": \"./b\"}}]}",
			[]moduleSource{{"./a", 2}, {"./b", 2}}},
		{"elsewhere", `{"resource": {"aws_s3_object": {"o": {"source": "../x"}}}, "source": "./y", "//": "module a source ../z"}`, nil},
		{"comment property", `{"module": {"a": {"//": "source: ../old", "source": "./a"}}}`, []moduleSource{{"./a", 1}}},
		{"string keys", `{"module": {"a": {"x": "source", "y": {"source": "./no"}}}}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := jsonSources([]byte(tc.src)); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// FuzzNativeSources checks the quick scan against the parser: on text that
// parses, the scan finds exactly the literal sources of the module blocks,
// and the names of the variable blocks.
func FuzzNativeSources(f *testing.F) {
	for _, s := range []string{
		"module \"a\" {\n  source = \"../a\"\n}\n",
		"# module \"a\" { source = \"../a\" }\nmodule \"b\" { source = \"./b\" }\n",
		"locals {\n  s = <<-EOT\n    module \"a\" {\n      source = \"../a\"\n    }\n    EOT\n}\n",
		"locals {\n  s = \"${jsonencode({ source = \"../x\" })}\"\n}\n",
		"resource \"x\" \"y\" {\n  source = \"./z\"\n  d {\n    source = \"./w\"\n  }\n}\n",
		"/* a */ module \"m\" {\n  source = \"x\" # c\n}\n",
		"variable \"a\" {}\nvariable b {\n  type = string\n}\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		got, gotVars := nativeScan([]byte(src))
		file, diags := hclsyntax.ParseConfig([]byte(src), "f.tf", hcl.InitialPos)
		if diags.HasErrors() {
			return
		}
		var want []moduleSource
		var wantVars []string
		for _, b := range file.Body.(*hclsyntax.Body).Blocks {
			if b.Type == "variable" && len(b.Labels) > 0 && !strings.ContainsAny(src[b.LabelRanges[0].Start.Byte:b.LabelRanges[0].End.Byte], "\\$%") {
				wantVars = append(wantVars, b.Labels[0])
			}
			if b.Type != "module" {
				continue
			}
			a := b.Body.Attributes["source"]
			if a == nil {
				continue
			}
			tmpl, ok := a.Expr.(*hclsyntax.TemplateExpr)
			if !ok || len(tmpl.Parts) != 1 {
				continue
			}
			lit, ok := tmpl.Parts[0].(*hclsyntax.LiteralValueExpr)
			if !ok || strings.ContainsAny(src[tmpl.SrcRange.Start.Byte:tmpl.SrcRange.End.Byte], "\\$%") {
				continue
			}
			want = append(want, moduleSource{lit.Val.AsString(), a.SrcRange.Start.Line})
		}
		slices.SortFunc(want, func(a, b moduleSource) int { return a.line - b.line })
		if !slices.Equal(got, want) {
			t.Errorf("scan %v, parser %v", got, want)
		}
		if !slices.Equal(gotVars, wantVars) {
			t.Errorf("scan's variables %q, parser's %q", gotVars, wantVars)
		}
	})
}

// BenchmarkScan compares the quick scan with the HCL lexer, which would
// know the same, on a file of the corpus's shape.
func BenchmarkScan(b *testing.B) {
	var sb strings.Builder
	for i := range 40 {
		fmt.Fprintf(&sb, "# a comment about module %d\nmodule \"m%d\" {\n  source = \"../m%d\"\n  name   = \"${var.prefix}-%d\"\n  tags   = { team = \"x\" }\n}\n\n", i, i, i, i)
		fmt.Fprintf(&sb, "resource \"aws_s3_bucket\" \"b%d\" {\n  bucket = \"b-%d\"\n  policy = <<EOT\n{\"Version\": \"2012-10-17\"}\nEOT\n}\n\n", i, i)
	}
	src := []byte(sb.String())
	b.Run("scan", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			if len(nativeSources(src)) != 40 {
				b.Fatal("sources")
			}
		}
	})
	b.Run("hcl-lexer", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			toks, _ := hclsyntax.LexConfig(src, "f.tf", hcl.InitialPos)
			n := 0
			for _, t := range toks {
				if t.Type == hclsyntax.TokenIdent && string(t.Bytes) == "source" {
					n++
				}
			}
			if n != 40 {
				b.Fatal("sources")
			}
		}
	})
}

func TestMentionsRelevant(t *testing.T) {
	for src, want := range map[string]bool{
		``:                                  false,
		`resource "aws_s3_bucket" "b" {}`:   false,
		`resource "aws_ecs_service" "s" {}`: true,
		`data "aws_ecr_repository" "r" {}`:  true,
		`resource "aws_guardduty_detector_feature" "f" {}`:       true,
		`resource "aws_guardduty_detector" "d" {}`:               false,
		`aws_s3 aws_ aws_iam_role = aws_ecs_cluster.c.id`:        true,
		`# aws_ at the end aws_`:                                 false,
		`resource "aws_ecsx" "x" {} # not aws_ecs_ but aws_ecsx`: true, // "aws_ecs_" in the comment
		`resource "xaws_ecs_service" "x" {}`:                     true, // as bytes.Contains found it
		`resource "aws_lb" "l" { name = "aws_ec" } # aws_ecr`:    false,
	} {
		if got := mentionsRelevant([]byte(src)); got != want {
			t.Errorf("mentionsRelevant(%q) = %v, want %v", src, got, want)
		}
	}
}

// scanDir finds the local module calls of a folder, in native and JSON
// syntax, and skips the files that cannot hold one (no "module" word)
// without missing any that do.
func TestScanDirCalls(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"main.tf":       "module \"net\" {\n  source = \"./net\"\n}\n",
		"json.tf.json":  `{"module": {"app": {"source": "../app"}}}`,
		"sg.tf":         "resource \"aws_security_group_rule\" \"r\" {\n  source_security_group_id = \"sg-1\"\n}\n",
		"registry.tf":   "module \"ecs\" {\n  source = \"terraform-aws-modules/ecs/aws\"\n}\n",
		"variables.tf":  "variable \"source\" {}\n",
		"unrelated.txt": "module \"x\" { source = \"./x\" }",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ds := scanDir(dir, 1<<20)
	var got []string
	for _, c := range ds.calls {
		got = append(got, filepath.Base(c.file)+" "+c.dir)
	}
	slices.Sort(got)
	want := []string{"json.tf.json " + filepath.Join(filepath.Dir(dir), "app"), "main.tf " + filepath.Join(dir, "net")}
	if !slices.Equal(got, want) {
		t.Errorf("calls: got %q, want %q", got, want)
	}
	if !ds.relevant {
		t.Error("a registry module named for ECS makes the folder relevant")
	}
	if len(ds.texts) != 5 {
		t.Errorf("texts read: got %d, want the 5 configuration files", len(ds.texts))
	}
}
