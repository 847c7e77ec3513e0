package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/canpull/canpull/lint/input"
	"github.com/canpull/canpull/lint/model"
	"github.com/canpull/canpull/lint/terraform/budget"
)

// rawValue is a value given for a root variable from outside the module.
type rawValue struct {
	expr  hcl.Expression // from a tfvars file or a --var parsed as HCL
	str   string         // from TF_VAR_ or --var, as a string
	isStr bool
	rng   hcl.Range
}

// setRootVariables gathers the values of the root module's variables in
// Terraform's order of precedence, later overriding earlier: TF_VAR_
// environment variables, terraform.tfvars, terraform.tfvars.json,
// *.auto.tfvars(.json) in lexical order, then --var and --var-file in the
// order given.
func (in *modInst) setRootVariables() {
	l := in.ev.l
	given := map[string]rawValue{}
	for _, kv := range l.opts.Env {
		name, val, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(name, "TF_VAR_") {
			continue
		}
		given[strings.TrimPrefix(name, "TF_VAR_")] = rawValue{str: val, isStr: true,
			rng: hcl.Range{Filename: "TF_VAR_" + strings.TrimPrefix(name, "TF_VAR_")}}
	}
	var files []string
	for _, name := range []string{"terraform.tfvars", "terraform.tfvars.json"} {
		if p := filepath.Join(l.root, name); fileExists(p) {
			files = append(files, p)
		}
	}
	if entries, err := os.ReadDir(l.root); err == nil {
		var auto []string
		for _, e := range entries {
			n := e.Name()
			if !e.IsDir() && (strings.HasSuffix(n, ".auto.tfvars") || strings.HasSuffix(n, ".auto.tfvars.json")) {
				auto = append(auto, filepath.Join(l.root, n))
			}
		}
		sort.Strings(auto)
		files = append(files, auto...)
	}
	for _, f := range files {
		// Files of the folder, unlike --var-file: they may not lead out of
		// the repository.
		if input.LinksOutside(l.opts.Repository, f) {
			l.diags = append(l.diags, input.FileError(f, "Cannot read file", input.OutsideError(f).Error()))
			continue
		}
		for name, v := range l.readVarFile(f) {
			given[name] = v
		}
	}
	for _, arg := range l.opts.Vars {
		if arg.File != "" {
			for name, v := range l.readVarFile(arg.File) {
				given[name] = v
			}
			continue
		}
		name, val, ok := strings.Cut(arg.Assignment, "=")
		if !ok {
			continue // the command line checks the form before loading
		}
		given[strings.TrimSpace(name)] = rawValue{str: val, isStr: true, rng: hcl.Range{Filename: "--var " + name}}
	}
	in.given = given
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// readVarFile reads a .tfvars or .tfvars.json file: constant values only.
func (l *loader) readVarFile(name string) map[string]rawValue {
	f, src, diags := parseFile(name, nil)
	if src != nil {
		l.sources[name] = src
	}
	l.diags = append(l.diags, diags...)
	if f == nil {
		return nil
	}
	attrs, diags := f.Body.JustAttributes()
	l.diags = append(l.diags, diags...)
	out := map[string]rawValue{}
	for name, a := range attrs {
		out[name] = rawValue{expr: a.Expr, rng: a.Expr.Range()}
	}
	return out
}

// evalVariable computes var.NAME: the value given (by the caller for a child
// module, from outside for the root), converted to the declared type, or the
// default, or unknown.
func (in *modInst) evalVariable(v *variable) cty.Value {
	ty, defaults := v.ty, v.defaults
	val, ok := in.givenValue(v, ty)
	if ok && val.IsKnown() && val.IsNull() && !v.nullable {
		ok = false // a non-nullable variable given null takes its default
	}
	if !ok && v.hasDef {
		dv := v.def
		val, ok = in.ev.l.markOrigins(dv, v.defExpr, nil, nil), true
		if in.parent == nil && (dv.IsNull() || dv.Type() == cty.String && dv.AsString() == "") {
			// default = "" or null on a root variable is most often a
			// placeholder that CI replaces with --var (cloudposse's
			// context.tf gives every name part a null default).
			val = val.Mark(placeholderDefault)
		}
	}
	if !ok {
		if !v.nullable {
			// As Terraform refines it: never null.
			return cty.UnknownVal(ty).RefineNotNull()
		}
		return cty.UnknownVal(ty)
	}
	if defaults != nil && val.IsKnown() && !val.IsNull() {
		val = defaults.Apply(val)
	}
	if !ty.Equals(cty.DynamicPseudoType) {
		// Converting a tuple to a list compares its elements' types pairwise.
		if in.ev.l.budget.SpendWork(budget.ReadWork(val, in.ev.l.budget.Limits().Work)) != nil {
			in.ev.l.budget.Blame(v.decl)
			in.ev.l.reportOverrun()
			return cty.UnknownVal(ty)
		}
		cv, err := convert.Convert(val, ty)
		if err == nil && budget.HugeNumber(cv) {
			err = budget.ErrNumberTooLarge // from a string such as "1e99999999"
		}
		if err != nil {
			// At the value, as Terraform reports it: the module argument or
			// the .tfvars line the user wrote, not the declaration (which
			// may be under .terraform).
			subject, detail := v.decl, fmt.Sprintf("var.%s: %v.", v.name, err)
			if at, ok := in.givenAt(v.name); ok {
				subject = at
				detail = fmt.Sprintf("var.%s%s, declared at %s:%d: %v.", v.name, in.of(), v.decl.Filename, v.decl.Start.Line, err)
			}
			in.ev.l.diags = append(in.ev.l.diags, &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "Invalid value for variable",
				Detail:  detail,
				Subject: subject.Ptr(),
			})
			return cty.UnknownVal(ty)
		}
		val = cv
	}
	return val
}

// givenAt is where the value of a variable was written: the module
// call's argument, or the line of a variables file; false for a default,
// and for a value given outside any file (--var NAME=VALUE, TF_VAR_NAME),
// whose error stays at the declaration.
func (in *modInst) givenAt(name string) (hcl.Range, bool) {
	if in.parent != nil {
		attrs, _ := in.call.body.JustAttributes()
		if a, ok := attrs[name]; ok {
			return a.Expr.Range(), true
		}
		return hcl.Range{}, false
	}
	raw, ok := in.given[name]
	_, inFile := in.ev.l.sources[raw.rng.Filename]
	return raw.rng, ok && inFile
}

// of names the module instance of a variable in messages: " of
// module.alb", or "" for the root module.
func (in *modInst) of() string {
	if in.parent == nil {
		return ""
	}
	return " of " + in.addr
}

// givenValue is the value given for a variable, if any.
func (in *modInst) givenValue(v *variable, ty cty.Type) (cty.Value, bool) {
	if in.parent != nil {
		a, ok := in.call.args[v.name]
		if !ok {
			return cty.NilVal, false
		}
		sc := &scope{inst: in.parent, each: in.each}
		pass := &model.Passage{Range: a.NameRange, Message: "passed to " + in.addr + " as " + v.name}
		return in.ev.l.markOrigins(in.ev.eval(a.Expr, sc), a.Expr, pass, sc), true
	}
	raw, ok := in.given[v.name]
	if !ok {
		return cty.NilVal, false
	}
	if !raw.isStr {
		val, diags := in.ev.l.guarded(raw.expr).Value(&hcl.EvalContext{Functions: in.ev.funcs})
		in.ev.l.reportOverrun()
		if in.ev.l.budget.Stopped() {
			return cty.UnknownVal(ty), true
		}
		if diags.HasErrors() {
			in.ev.l.diags = append(in.ev.l.diags, diags...)
			return cty.UnknownVal(ty), true
		}
		return in.ev.l.markOrigins(val, raw.expr, nil, nil), true
	}
	// Strings from the command line or the environment: primitive types take
	// them as they are, complex types parse them as HCL, as Terraform does.
	if ty.IsPrimitiveType() || ty.Equals(cty.DynamicPseudoType) {
		return cty.StringVal(raw.str), true
	}
	if d := nestingError(raw.rng.Filename, []byte(raw.str)); d != nil {
		in.ev.l.diags = append(in.ev.l.diags, d)
		return cty.UnknownVal(ty), true
	}
	expr, diags := hclsyntax.ParseExpression([]byte(raw.str), raw.rng.Filename, hcl.InitialPos)
	if diags.HasErrors() {
		in.ev.l.diags = append(in.ev.l.diags, diags...)
		return cty.UnknownVal(ty), true
	}
	val, diags := in.ev.l.literal(expr)
	if diags.HasErrors() {
		in.ev.l.diags = append(in.ev.l.diags, diags...)
		return cty.UnknownVal(ty), true
	}
	return val, true
}
