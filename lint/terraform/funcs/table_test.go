package funcs

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/canpull/canpull/lint/terraform/budget"
)

// terraformFuncs are the Terraform functions the table must have.
var terraformFuncs = strings.Fields(`
abs ceil floor log max min parseint pow signum
chomp endswith format formatlist indent join lower regex regexall replace split
startswith strcontains strrev substr templatestring title trim trimprefix
trimsuffix trimspace upper
alltrue anytrue chunklist coalesce coalescelist compact concat contains distinct
element flatten index keys length lookup matchkeys merge one range reverse
setintersection setproduct setsubtract setunion slice sort sum transpose values
zipmap
base64decode base64encode base64gzip csvdecode jsondecode jsonencode
textdecodebase64 textencodebase64 urlencode yamldecode yamlencode
cidrhost cidrnetmask cidrsubnet cidrsubnets
can try
tobool tolist tomap tonumber toset tostring
md5 sha1 sha256 sha512 base64sha256 base64sha512
uuid uuidv5 timestamp plantimestamp bcrypt formatdate timeadd timecmp
sensitive nonsensitive issensitive
abspath dirname basename pathexpand
file fileexists fileset filebase64 filemd5 filesha1 filesha256 filesha512
filebase64sha256 filebase64sha512 templatefile
`)

func TestTableHasTerraformFunctions(t *testing.T) {
	names := Names()
	for _, n := range terraformFuncs {
		if !slices.Contains(names, n) {
			t.Errorf("missing function %s", n)
		}
	}
}

// TestUnknownAndNullArguments calls every function with unknown, dynamic
// and null arguments of every arity up to its parameters plus two: no call
// may panic, and a call whose arguments are all unknown gives an unknown
// result or an error, never a made-up known value.
func TestUnknownAndNullArguments(t *testing.T) {
	root := t.TempDir()
	tbl := Table(Options{BaseDir: root, Root: root})
	for name, f := range tbl {
		if name == "try" || name == "can" {
			continue // they take expressions, tested through HCL
		}
		params := f.Params()
		for extra := 0; extra <= 2; extra++ {
			if extra > 0 && f.VarParam() == nil {
				break
			}
			n := len(params) + extra
			paramType := func(i int) cty.Type {
				if i < len(params) {
					return params[i].Type
				}
				return f.VarParam().Type
			}
			for _, kind := range []string{"unknown", "dynamic", "null"} {
				args := make([]cty.Value, n)
				for i := range args {
					switch kind {
					case "unknown":
						args[i] = cty.UnknownVal(paramType(i))
					case "dynamic":
						args[i] = cty.DynamicVal
					case "null":
						args[i] = cty.NullVal(paramType(i))
					}
				}
				got, err := callSafely(f, args)
				if err != nil {
					if strings.Contains(err.Error(), "internal error") || strings.Contains(err.Error(), "panic") {
						t.Errorf("%s(%s × %d): %s", name, kind, n, err)
					}
					continue
				}
				if kind != "null" && n > 0 && got.IsWhollyKnown() && !allowedKnown(name, got) {
					t.Errorf("%s(%s × %d) = %#v, want an unknown result", name, kind, n, got)
				}
			}
		}
	}
}

// allowedKnown lists the results that are known whatever the arguments.
func allowedKnown(name string, v cty.Value) bool {
	switch name {
	case "coalescelist", "concat", "merge", "setproduct", "setunion", "setintersection", "setsubtract", "cidrsubnets":
		// The function is called with one (empty) variadic list, or
		// there is nothing to combine.
		return v.LengthInt() == 0
	}
	return false
}

func callSafely(f function.Function, args []cty.Value) (v cty.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			panic(r) // the wrapper must have caught it: fail loudly
		}
	}()
	return f.Call(args)
}

func TestPanicBecomesError(t *testing.T) {
	e := newEnv(Options{})
	boom := function.New(&function.Spec{
		Params: []function.Parameter{{Name: "x", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			panic("boom")
		},
	})
	boomType := function.New(&function.Spec{
		Params: []function.Parameter{{Name: "x", Type: cty.String}},
		Type:   func([]cty.Value) (cty.Type, error) { panic("boom in type") },
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			return cty.StringVal("x"), nil
		},
	})
	for _, f := range []function.Function{e.wrap("boom", def{f: boom}), e.wrap("boomType", def{f: boomType})} {
		_, err := f.Call([]cty.Value{cty.StringVal("x")})
		if err == nil || !strings.Contains(err.Error(), "internal error in function boom") {
			t.Errorf("got %v, want an internal error", err)
		}
	}
}

func TestBudget(t *testing.T) {
	// Work: the elements that calls read (sum reads its list).
	tbl := Table(Options{Budget: budget.New(context.Background(), budget.Limits{Work: 10_000})})
	runCases(t, tbl, []fnCase{
		{expr: `sum(range(1000))`, want: num(499500)},
		{expr: `[for i in range(100): sum(range(1000))]`, wantErr: "steps of function calls and loops"},
		// Once spent, every call fails.
		{expr: `upper("x")`, wantErr: "steps of function calls and loops"},
	})
	// Memory: the elements and strings that calls build.
	tbl = Table(Options{Budget: budget.New(context.Background(), budget.Limits{Memory: 200_000})})
	runCases(t, tbl, []fnCase{
		{expr: `length(range(1000))`, want: num(1000)},
		{expr: `[for i in range(100): length(range(1000))]`, wantErr: "of values in this root module"},
		{expr: `upper("x")`, wantErr: "of values in this root module"},
	})
}

// TestOddArguments calls every function with combinations of odd values
// (infinities, huge and fractional numbers, empty strings and collections,
// values of the wrong type): none may panic.
func TestOddArguments(t *testing.T) {
	root := t.TempDir()
	tbl := Table(Options{BaseDir: root, Root: root})
	inf := cty.PositiveInfinity
	numbers := []cty.Value{cty.Zero, cty.NumberIntVal(-1), cty.NumberFloatVal(0.5), inf, cty.NegativeInfinity, cty.MustParseNumberVal("1e300"), cty.MustParseNumberVal("-1e19000")}
	strVals := []cty.Value{cty.StringVal(""), cty.StringVal("a,b"), cty.StringVal("10.0.0.0/8"), cty.StringVal("%v%d%[3]s"), cty.StringVal("/(a)/"), cty.StringVal("\xff")}
	dyn := []cty.Value{
		cty.EmptyTupleVal, cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.Zero}), cty.ListVal([]cty.Value{cty.ListVal([]cty.Value{inf})}),
		cty.EmptyObjectVal, cty.ObjectVal(map[string]cty.Value{"a": cty.True}), cty.MapVal(map[string]cty.Value{"a": cty.ListValEmpty(cty.String)}),
		cty.SetVal([]cty.Value{cty.NumberIntVal(3)}), cty.StringVal("x"), inf, cty.True, cty.NullVal(cty.String),
		cty.StringVal("marked").Mark("sensitive"), cty.ListVal([]cty.Value{cty.StringVal("m").Mark("sensitive")}),
	}
	numbers = append(numbers, cty.NumberIntVal(2).Mark("sensitive"))
	strVals = append(strVals, cty.StringVal("10").Mark("sensitive"))
	valuesFor := func(ty cty.Type) []cty.Value {
		switch {
		case ty == cty.Number:
			return numbers
		case ty == cty.String:
			return strVals
		case ty == cty.Bool:
			return []cty.Value{cty.True, cty.False}
		}
		return dyn
	}
	calls := 0
	for name, f := range tbl {
		if name == "try" || name == "can" {
			continue
		}
		params := f.Params()
		for extra := 0; extra <= 3; extra++ {
			if extra > 0 && f.VarParam() == nil {
				break
			}
			n := len(params) + extra
			if n > 3 {
				continue
			}
			choices := make([][]cty.Value, n)
			for i := range choices {
				if i < len(params) {
					choices[i] = valuesFor(params[i].Type)
				} else {
					choices[i] = valuesFor(f.VarParam().Type)
				}
			}
			args := make([]cty.Value, n)
			var walk func(i int)
			walk = func(i int) {
				if i == n {
					calls++
					_, err := callSafely(f, args)
					if err != nil && (strings.Contains(err.Error(), "internal error") || strings.Contains(err.Error(), "panic")) {
						t.Errorf("%s%#v: %s", name, args, err)
					}
					return
				}
				for _, v := range choices[i] {
					args[i] = v
					walk(i + 1)
				}
			}
			walk(0)
		}
	}
	t.Logf("%d calls", calls)
}
