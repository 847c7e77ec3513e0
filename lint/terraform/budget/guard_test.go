package budget

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

var testCtx = &hcl.EvalContext{
	Variables: map[string]cty.Value{
		"s": cty.StringVal("abc"),
		"n": cty.NumberIntVal(42),
		"l": cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")}),
		"o": cty.ObjectVal(map[string]cty.Value{"k": cty.StringVal("v"), "l": cty.ListVal([]cty.Value{cty.NumberIntVal(1)})}),
		"t": cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("x")}), cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("y")})}),
		"u": cty.UnknownVal(cty.String),
		"z": cty.NullVal(cty.String),
	},
	Functions: map[string]function.Function{
		"upper": stdlib.UpperFunc, "concat": stdlib.ConcatFunc, "length": stdlib.LengthFunc,
		"join": stdlib.JoinFunc, "tolist": stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
	},
}

// TestGuardKeepsMeaning evaluates expressions of every kind of node both as
// written and guarded: the values and the errors must be the same.
func TestGuardKeepsMeaning(t *testing.T) {
	for _, src := range []string{
		`"plain"`, `"${s}-${n}"`, `"${s}"`, `"%{for x in l}[${x}]%{endfor}"`, `"%{if n > 1}big%{else}small%{endif}"`,
		`"a ${u} b"`, `"${z}"`, `<<EOT
  ${s}
  EOT
`,
		`[for x in l : upper(x)]`, `{for k, v in o : k => v}`, `{for x in l : x => x...}`, `[for i, x in l : i if x != "a"]`,
		`t[*].id`, `t.*.id`, `l[0]`, `o.k`, `o["l"][0]`, `(s)`, `-n`, `!true`, `n + 1 == 43`, `n > 1 ? s : "no"`,
		`n > 1 ? l : []`, `{ a = 1, "b" = 2, (s) = 3 }`, `{ o.k = 1 }`, `upper(s)`, `concat(l, ["c"])`, `length(t)`,
		`join(",", [for x in l : x]...)`, `tolist([s, s])`, `upper(1, 2)`, `nope(1)`, `l[5]`, `1e99999999`,
		`"${[1]}"`, `{for x in [1, 1] : x => x}`, `[for x in u : x]`,
	} {
		expr, diags := hclsyntax.ParseExpression([]byte(src), "t.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", src, diags)
		}
		want, wantDiags := expr.Value(testCtx)
		b := New(context.Background(), Limits{})
		got, gotDiags := b.Guard(expr).Value(testCtx)
		if src == `1e99999999` {
			if !gotDiags.HasErrors() || gotDiags[0].Summary != "Number too large" {
				t.Errorf("%s: got %v, want the number refused", src, gotDiags)
			}
			continue
		}
		if !got.RawEquals(want) {
			t.Errorf("%s: guarded %#v, as written %#v", src, got, want)
		}
		if summaries(gotDiags) != summaries(wantDiags) {
			t.Errorf("%s: guarded %v, as written %v", src, gotDiags, wantDiags)
		}
	}
}

func summaries(ds hcl.Diagnostics) string {
	var s []string
	for _, d := range ds {
		s = append(s, d.Summary)
	}
	return strings.Join(s, "; ")
}

// TestGuardJSON evaluates the same through hcl's JSON syntax: the native
// syntax that Guard turns it into must mean the same.
func TestGuardJSON(t *testing.T) {
	src := `{
  "str": "plain",
  "tmpl": "${s}-${n}",
  "wrap": "${l}",
  "num": 1.5, "yes": true, "none": null,
  "list": ["a", "${s}", [1, {"k": "${upper(s)}"}]],
  "obj": {"a": 1, "${s}": "${n}", "nested": {"x": []}},
  "for": "%{for x in l}${x}%{endfor}",
  "bad": "${"
}`
	f, diags := json.Parse([]byte(src), "t.tf.json")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	attrs, diags := f.Body.JustAttributes()
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	for name, a := range attrs {
		want, wantDiags := a.Expr.Value(testCtx)
		got, gotDiags := New(context.Background(), Limits{}).Guard(a.Expr).Value(testCtx)
		if !got.RawEquals(want) || gotDiags.HasErrors() != wantDiags.HasErrors() {
			t.Errorf("%s: guarded %#v %v, as written %#v %v", name, got, gotDiags, want, wantDiags)
		}
	}
}

// TestMeters checks what each kind of expression costs.
func TestMeters(t *testing.T) {
	big := strings.Repeat("x", 1000)
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{
		"big": cty.StringVal(big),
		"l":   cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b"), cty.StringVal("c")}),
	}}
	for _, c := range []struct {
		src          string
		memory, work int64
	}{
		{`big`, 0, 0},               // a reference copies nothing
		{`"${big}${big}"`, 2000, 0}, // a template copies its parts
		// The body's three copies, the tuple of them, the joined string,
		// and its copy into the template around it.
		{`"%{for x in l}${big}%{endfor}"`, 3*1000 + 3*ElementBytes + 3000 + 3000, 3 * IterationWork},
		{`["a", "b", "c"]`, 3 + 3*ElementBytes, 0}, // the strings' bytes, three elements
		{`[1, 2, 3]`, 3 * 4 * ElementBytes, 0},     // a number counts four
		{`[[true], [false, true]]`, (1+2)*ElementBytes + (2+1+2)*ElementBytes, 0},
		{`[for x in l : x]`, 3 * ElementBytes, 3 * IterationWork},
		{`{a = l}`, 0 + (1+3)*ElementBytes, 0}, // the list is counted where it is used
	} {
		expr, diags := hclsyntax.ParseExpression([]byte(c.src), "t.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		b := New(context.Background(), Limits{})
		if _, diags := b.Guard(expr).Value(ctx); diags.HasErrors() {
			t.Fatalf("%s: %v", c.src, diags)
		}
		if got := b.Spent(); got.Memory != c.memory || got.Work != c.work {
			t.Errorf("%s: spent %+v, want memory %d, work %d", c.src, got, c.memory, c.work)
		}
	}
}

// TestOverrun: the expression that goes over is blamed; everything after
// is unknown at once.
func TestOverrun(t *testing.T) {
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{"s": cty.StringVal(strings.Repeat("x", 600))}}
	b := New(context.Background(), Limits{Memory: 1000})
	expr, _ := hclsyntax.ParseExpression([]byte("[\n  \"${s}\",\n  \"${s}${s}\",\n]"), "t.tf", hcl.InitialPos)
	v, _ := b.Guard(expr).Value(ctx)
	if v.IsKnown() {
		t.Fatalf("got %#v, want unknown", v)
	}
	d := b.Diagnostic()
	if d == nil || d.Summary != "Evaluation uses too much memory" || d.Subject == nil || d.Subject.Start.Line != 3 {
		t.Fatalf("got %v, want the second string blamed", d)
	}
	if !strings.Contains(d.Detail, "1000 bytes") {
		t.Errorf("detail %q does not give the limit", d.Detail)
	}
	v, _ = b.Guard(expr).Value(ctx)
	if v.IsKnown() {
		t.Fatalf("once stopped, got %#v", v)
	}

	// A cancelled context stops the budget without blaming anything.
	ctx2, cancel := context.WithCancel(context.Background())
	b = New(ctx2, Limits{})
	cancel()
	if v, _ := b.Guard(expr).Value(ctx); v.IsKnown() || b.Diagnostic() != nil || b.Err() == nil {
		t.Errorf("after cancel: %#v, %v, %v", v, b.Diagnostic(), b.Err())
	}
}
