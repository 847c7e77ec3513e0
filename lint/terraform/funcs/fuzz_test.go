package funcs

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/canpull/canpull/lint/terraform/budget"
)

// fuzzVars is the tiny variables map of FuzzEval.
var fuzzVars = map[string]cty.Value{
	"s": cty.StringVal("héllo, wörld"),
	"n": cty.NumberIntVal(42),
	"l": cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")}),
	"m": cty.MapVal(map[string]cty.Value{"k": cty.StringVal("v")}),
	"o": cty.ObjectVal(map[string]cty.Value{"a": cty.NumberIntVal(1), "b": cty.ListValEmpty(cty.String)}),
	"u": cty.UnknownVal(cty.String),
	"d": cty.DynamicVal,
	"z": cty.NullVal(cty.String),
	"x": cty.StringVal("secret").Mark("sensitive"),
}

// Fuzzing looks for panics and runaway work in the functions, not in HCL
// itself: expressions that make HCL's own evaluator do a lot (nested for
// loops, number literals whose text would be huge) are skipped.
var (
	hugeNumberLiteral = regexp.MustCompile(`[0-9][eE][+-]?[0-9]{5,}|[0-9]{400,}`)
)

func FuzzEval(f *testing.F) {
	for _, seed := range []string{
		`upper(s)`,
		`length("héllo")`,
		`replace(s, "/(l+)/", "<$1>")`,
		`element(l, -1)`,
		`lookup(m, "k", "x")`,
		`coalesce(z, "", "c")`,
		`merge(o, {c = 3})`,
		`flatten([l, [l]])`,
		`try(tonumber(s), 0)`,
		`can(regex("(", s))`,
		`format("%-10s|%5.2f|%v", s, n, o)`,
		`formatlist("%s=%s", l, l)`,
		`jsonencode({a = [1, true, null]})`,
		`yamldecode("a: &x [1]\nb: *x")`,
		`jsondecode("[1, {\"a\": 2}]")`,
		`csvdecode("a,b\n1,2")`,
		`cidrsubnets("10.0.0.0/16", 4, 4, 8)`,
		`cidrhost("fd00::/64", -1)`,
		`setproduct(l, range(3))`,
		`templatestring("%%{for x in xs}$${x}%%{endfor}", {xs = l})`,
		`file("a.txt")`,
		`fileset(".", "**")`,
		`templatefile("t.tftpl", {name = s})`,
		`file("../x")`,
		`sum([n, 1.5])`,
		`transpose({a = l})`,
		`regexall("[a-z]", s)`,
		`indent(2, "a\nb")`,
		`base64decode(base64encode(s))`,
		`nonsensitive(x)`,
		`tolist(toset(l))`,
		`timeadd("2024-01-01T00:00:00Z", "1h")`,
		`uuidv5("dns", s)`,
		// Regressions: each of these once panicked or ran away.
		`range(-1/0, 0, 1/0)`,
		`log(0, 0) + pow(-8, 0.5)`,
		`try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(1))))))))))))))))))))`,
		`setunion(d, l)`,
		`parseint(x, 10)`,
	} {
		f.Add(seed)
	}
	root := fuzzRoot(f)
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 200 {
			return
		}
		if strings.Count(src, "for") > 2 || hugeNumberLiteral.MatchString(src) {
			return
		}
		expr, diags := hclsyntax.ParseExpression([]byte(src), "fuzz.tf", hcl.InitialPos)
		if diags.HasErrors() {
			return
		}
		tbl := Table(Options{BaseDir: root, Root: root, Budget: budget.New(context.Background(), budget.Limits{Memory: 64 << 20, Work: 2_000_000})})
		start := time.Now()
		_, diags = expr.Value(&hcl.EvalContext{Variables: fuzzVars, Functions: tbl})
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("evaluating %q took %s", src, d)
		}
		// A panic in a function of the table shows as this wrapper error.
		// (HCL's own operators recover their panics into "panic in function
		// implementation" errors: those are go-cty's, like 1/0%1, and not
		// this package's to fix.)
		for _, d := range diags {
			if strings.Contains(d.Detail, "internal error in function") {
				t.Errorf("evaluating %q: %s", src, d.Detail)
			}
		}
	})
}

func fuzzRoot(f *testing.F) string {
	root := f.TempDir()
	for name, content := range map[string]string{
		"a.txt":         "hello",
		"sub/b.json":    `{"b": [1, 2]}`,
		"t.tftpl":       "Hi ${name}! %{ for c in split(\",\", name) }[${c}]%{ endfor }",
		"bin.dat":       "\xff\x00",
		"deep/er/c.yml": "c: [1, 2]",
	} {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			f.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	return root
}
