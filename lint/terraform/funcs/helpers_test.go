package funcs

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// testVars are the variables every test expression can use.
var testVars = map[string]cty.Value{
	"unknown_str":  cty.UnknownVal(cty.String),
	"unknown_num":  cty.UnknownVal(cty.Number),
	"unknown_list": cty.UnknownVal(cty.List(cty.String)),
	"unknown_map":  cty.UnknownVal(cty.Map(cty.String)),
	"unknown":      cty.DynamicVal,
	"null_str":     cty.NullVal(cty.String),
	"list_with_unknown": cty.ListVal([]cty.Value{
		cty.StringVal("a"), cty.UnknownVal(cty.String),
	}),
	"secret": cty.StringVal("hunter2").Mark("sensitive"),
}

func evalIn(t testing.TB, tbl map[string]function.Function, src string) (cty.Value, hcl.Diagnostics) {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "test.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse %s: %s", src, diags.Error())
	}
	return expr.Value(&hcl.EvalContext{Variables: testVars, Functions: tbl})
}

// fnCase is one expression and what it must give: a value (compared with
// RawEquals, so types and unknowns count) or an error containing wantErr.
type fnCase struct {
	name    string // subtest name, when expr is too long to be one
	expr    string
	want    cty.Value
	wantErr string
}

func runCases(t *testing.T, tbl map[string]function.Function, cases []fnCase) {
	t.Helper()
	for _, c := range cases {
		name := c.name
		if name == "" {
			name = c.expr
		}
		t.Run(name, func(t *testing.T) {
			got, diags := evalIn(t, tbl, c.expr)
			if c.wantErr != "" {
				if !diags.HasErrors() {
					t.Fatalf("got %#v, want an error containing %q", got, c.wantErr)
				}
				if !strings.Contains(diags.Error(), c.wantErr) {
					t.Fatalf("got error %q, want one containing %q", diags.Error(), c.wantErr)
				}
				return
			}
			if diags.HasErrors() {
				t.Fatalf("unexpected error: %s", diags.Error())
			}
			if !c.want.IsKnown() {
				// Unknown results may carry refinements; only the type and
				// the unknownness matter here.
				if got.IsKnown() || !got.Type().Equals(c.want.Type()) {
					t.Fatalf("got  %#v\nwant %#v", got, c.want)
				}
				return
			}
			if !got.RawEquals(c.want) {
				t.Fatalf("got  %#v\nwant %#v", got, c.want)
			}
		})
	}
}

func strs(ss ...string) []cty.Value {
	out := make([]cty.Value, len(ss))
	for i, s := range ss {
		out[i] = cty.StringVal(s)
	}
	return out
}

func strList(ss ...string) cty.Value {
	if len(ss) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	return cty.ListVal(strs(ss...))
}

func num(n int64) cty.Value { return cty.NumberIntVal(n) }
