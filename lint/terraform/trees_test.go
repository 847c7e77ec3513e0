package terraform

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// copiesLikeParse checks that a tree parsed from a.tf and copied for b.tf
// is the tree parsed from b.tf, field by field: any range the copy missed
// still names a.tf. It reports whether src parsed without a diagnostic.
func copiesLikeParse(t *testing.T, src []byte) bool {
	t.Helper()
	from, to := filepath.Join("x", "a.tf"), filepath.Join("y", "b.tf")
	fa, _, ds := parseConfigFile(from, src)
	if fa == nil || len(ds) > 0 {
		return false
	}
	fb, _, _ := parseConfigFile(to, src)
	got, ok := copyBody(fa.Body.(*hclsyntax.Body), from, to)
	if !ok {
		t.Fatalf("the tree holds a node the copy does not know:\n%s", src)
	}
	if !reflect.DeepEqual(got, fb.Body) {
		t.Fatalf("the copy differs from the parse of %s:\n%s", to, src)
	}
	// The copy shares no node with the tree it was made from (the nodes
	// that are not pointers are maps and slices of them).
	seen := map[hclsyntax.Node]bool{}
	isPtr := func(n hclsyntax.Node) bool { return reflect.ValueOf(n).Kind() == reflect.Pointer }
	_ = hclsyntax.VisitAll(fa.Body.(*hclsyntax.Body), func(n hclsyntax.Node) hcl.Diagnostics {
		if isPtr(n) {
			seen[n] = true
		}
		return nil
	})
	_ = hclsyntax.VisitAll(got, func(n hclsyntax.Node) hcl.Diagnostics {
		if isPtr(n) && seen[n] {
			t.Fatalf("the copy shares a %T with the original", n)
		}
		return nil
	})
	return true
}

// Every .tf file of the repository (fixtures, examples, corpus templates)
// copies to what parsing it under the other name gives.
func TestCopyBodyIsTheParse(t *testing.T) {
	n := 0
	err := filepath.WalkDir(filepath.Join("..", ".."), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".tf") {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if copiesLikeParse(t, src) {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Errorf("only %d files copied", n)
	}
	// What the fixtures may lack: every kind of expression, splats nested
	// in splats, for expressions with a filter (rewritten before the copy,
	// with the filter in two places), heredocs, template directives.
	copiesLikeParse(t, []byte(`locals {
  a = [for k, v in var.m : upper(v) if k != "x"]
  b = { for k, v in var.m : k => v... if v != null }
  c = var.l[*].a[*].b
  d = var.l.*.c
  e = (1 + 2) * -3 > 4 ? !true : null
  f = <<-EOT
    %{ for x in var.l ~}
    ${x.name}: %{ if x.on }on%{ else }off%{ endif }
    %{ endfor ~}
  EOT
  g = "${var.a}${var.b}"
  h = "plain ${var.c}"
  i = { (var.k) = 1, "s" = 2, t = 3 }
  j = var.m["a"][0].b
  k = try(jsondecode(var.j)...)
  l = [for x in var.l : x[*].id]
}
resource "aws_ecs_service" "s" {
  dynamic "load_balancer" {
    for_each = var.lbs
    content {
      target_group_arn = load_balancer.value.arn
    }
  }
}
`))
}

// A copy's splat refers to its own symbol, not the original's: the two
// trees evaluate at the same time in different loads.
func TestCopyBodySplatSymbol(t *testing.T) {
	f, _, _ := parseConfigFile("a.tf", []byte("x = var.l[*].a\n"))
	got, _ := copyBody(f.Body.(*hclsyntax.Body), "a.tf", "b.tf")
	orig := f.Body.(*hclsyntax.Body).Attributes["x"].Expr.(*hclsyntax.SplatExpr)
	cp := got.Attributes["x"].Expr.(*hclsyntax.SplatExpr)
	inner := cp.Each.(*hclsyntax.RelativeTraversalExpr).Source
	if cp.Item == orig.Item || inner != hclsyntax.Expression(cp.Item) {
		t.Errorf("the copy's Each does not read the copy's symbol")
	}
}

// FuzzCopyBody: for any text that parses cleanly, the copy is the parse.
func FuzzCopyBody(f *testing.F) {
	seedConfigs(f, "*.tf")
	f.Add(`x = [for a in b : a[*].c if a != null]`)
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 64<<10 {
			return
		}
		copiesLikeParse(t, []byte(src))
	})
}
