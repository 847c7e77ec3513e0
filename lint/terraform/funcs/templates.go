package funcs

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

func (e *env) templateFuncs() map[string]def {
	return map[string]def{
		"templatefile": {f: function.New(&function.Spec{
			Description: "Renders the template in a file with the given variables.",
			Params: []function.Parameter{
				{Name: "path", Type: cty.String},
				{Name: "vars", Type: cty.DynamicPseudoType},
			},
			Type: function.StaticReturnType(cty.DynamicPseudoType),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				p := args[0].AsString()
				if inHome(p) {
					return cty.DynamicVal, nil
				}
				data, err := e.readFile("templatefile", p)
				if errors.Is(err, fs.ErrNotExist) && e.foundAbove(p) {
					return cty.DynamicVal, nil
				}
				if err != nil {
					return cty.NilVal, function.NewArgError(0, err)
				}
				if !utf8.Valid(data) {
					return cty.NilVal, function.NewArgErrorf(0, "the content of %s is not valid UTF-8", p)
				}
				// Diagnostics name the template as the caller names the
				// module folder (often relative to the working folder).
				name := p
				if !filepath.IsAbs(name) {
					name = filepath.Join(e.baseName, name)
				}
				return e.render(data, filepath.Clean(name), args[1])
			},
		})},
		"templatestring": {f: function.New(&function.Spec{
			Description: "Renders a template given as a string with the given variables.",
			Params: []function.Parameter{
				{Name: "template", Type: cty.String},
				{Name: "vars", Type: cty.DynamicPseudoType},
			},
			Type: function.StaticReturnType(cty.DynamicPseudoType),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				return e.render([]byte(args[0].AsString()), "<templatestring>", args[1])
			},
		})},
	}
}

// render parses src as a template named filename and evaluates it with only
// the given variables and the template function table (in which the
// template functions refuse to run, so templates cannot recurse).
func (e *env) render(src []byte, filename string, vars cty.Value) (cty.Value, error) {
	if templateNesting(src) > maxNesting {
		return cty.NilVal, fmt.Errorf("%s: the template is nested more than %d levels deep, more than canpull allows", filename, maxNesting)
	}
	vars, _ = vars.Unmark()
	ty := vars.Type()
	if !(ty.IsMapType() || ty.IsObjectType()) {
		return cty.NilVal, function.NewArgErrorf(1, "invalid vars value: must be a map or an object, not %s", ty.FriendlyName())
	}
	if vars.IsNull() {
		return cty.NilVal, function.NewArgErrorf(1, "invalid vars value: must not be null")
	}
	expr, diags := hclsyntax.ParseTemplate(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return cty.NilVal, diagsError(diags)
	}
	known := map[string]cty.Value{}
	for it := vars.ElementIterator(); it.Next(); {
		k, v := it.Element()
		name := k.AsString()
		if !hclsyntax.ValidIdentifier(name) {
			return cty.NilVal, function.NewArgErrorf(1, "invalid template variable name %q: must start with a letter, followed by zero or more letters, digits, and underscores", name)
		}
		known[name] = v
	}
	for _, t := range expr.Variables() {
		if _, ok := known[t.RootName()]; !ok {
			r := t.SourceRange()
			return cty.NilVal, function.NewArgErrorf(1, "vars map does not contain key %q, referenced at %s:%d,%d", t.RootName(), r.Filename, r.Start.Line, r.Start.Column)
		}
	}
	ctx := &hcl.EvalContext{Variables: known, Functions: e.templateTable()}
	val, diags := e.budget.Guard(expr).Value(ctx)
	if diags.HasErrors() {
		return cty.NilVal, diagsError(diags)
	}
	return val, nil
}

// diagsError turns template diagnostics into one error that names the
// position of each problem in the template.
func diagsError(diags hcl.Diagnostics) error {
	var msgs []string
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += "; " + d.Detail
		}
		if d.Subject != nil {
			msg = fmt.Sprintf("%s:%d,%d: %s", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column, msg)
		}
		msgs = append(msgs, msg)
		if len(msgs) == 5 {
			break
		}
	}
	return fmt.Errorf("%s", strings.Join(msgs, "\n"))
}

// templateNesting over-estimates how deeply template text nests (brackets
// anywhere count): the parser recurses once per level.
func templateNesting(src []byte) int {
	depth, most := 0, 0
	for _, c := range src {
		switch c {
		case '(', '[', '{':
			depth++
			if depth > most {
				most = depth
			}
		case ')', ']', '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return most
}
