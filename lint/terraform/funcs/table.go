// Package funcs is the Terraform function set as cty functions, for
// evaluating Terraform configurations statically.
//
// Most functions are go-cty's stdlib, which Terraform itself uses; where
// Terraform has its own semantics (length, replace, coalesce, lookup, index,
// the conversion functions, the file functions, ...) this package implements
// them after Terraform's documentation.
//
// Everything here may see hostile input (a pull request can write any
// configuration), so:
//
//   - no function reads outside Options.Root, runs anything, opens the
//     network, reads the clock, the environment or a random source
//     (uuid, timestamp, bcrypt and friends return unknown values);
//   - every function is wrapped so that a panic becomes an error;
//   - generated collections and strings are bounded, and every call is
//     charged to the evaluation's budget.Budget (the strings and elements it
//     builds to the memory meter, the elements it reads to the work meter),
//     so that a runaway configuration ends with an error instead of a hang
//     or an out-of-memory crash; once the budget stops (a meter ran out, or
//     the evaluation's time is up) every call fails at once.
//
// Where the result differs from what terraform would do:
//
//   - uuid, timestamp, plantimestamp, bcrypt and rsadecrypt are unknown
//     strings, issensitive an unknown bool; uuidv5 is computed;
//   - sensitive, nonsensitive and ephemeralasnull return their argument
//     without marks: canpull does not track sensitivity;
//   - pathexpand of a path starting with ~ is unknown (the home folder is
//     that of whoever runs terraform), and abspath resolves relative paths
//     against BaseDir rather than the process's working folder;
//   - templatestring accepts any string, not only a reference to one;
//   - alltrue and anytrue give the known answer when a known element
//     decides it, even if others are unknown;
//   - try returns the first argument that evaluates without error when it
//     is known at the top, even if parts inside it are unknown (terraform
//     returns an unknown value until every part is known);
//   - log and pow whose result is not a number, and range with infinite
//     arguments, are errors (go-cty panics on them);
//   - the bounds above (and MaxFileSize) turn some huge but valid inputs
//     into errors.
//
// Not provided: type (console only), the deprecated list and map, and
// provider-defined functions.
package funcs

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/canpull/canpull/lint/terraform/budget"
)

// Options configures the function table of one module.
type Options struct {
	// BaseDir is the module folder that relative paths of file functions
	// resolve against (path.module semantics). A relative BaseDir is taken
	// relative to the process's working directory.
	BaseDir string
	// Root is the repository: file functions refuse any path that
	// resolves (after cleaning and after following symlinks) outside Root.
	// When empty, Root is BaseDir; when both are empty every file function
	// fails.
	Root string
	// MaxFileSize bounds what file functions read (default 10 MiB); larger
	// is an error.
	MaxFileSize int64
	// Now is deliberately unused: timestamp() returns an unknown string,
	// never the wall clock, so that results do not depend on when canpull
	// runs.
	Now time.Time

	// Budget is what the calls are charged to, shared with the rest of the
	// evaluation (templates rendered by templatefile included); nil gives
	// the table a budget of its own with budget.DefaultLimits.
	Budget *budget.Budget
	// Opaque reports whether a string holds a value the caller stands in
	// for (a resource attribute that only exists after apply). A call that
	// fails on arguments holding one returns an unknown value instead of
	// an error: with the real value it might well succeed.
	Opaque func(string) bool
}

// Limits. They are far above what a real configuration needs and only stop
// runaway or hostile ones.
const (
	// DefaultMaxFileSize is the default for Options.MaxFileSize.
	DefaultMaxFileSize = 10 << 20
	// maxStringLen bounds every string a function produces.
	maxStringLen = 64 << 20
	// maxElements bounds every collection a function generates.
	maxElements = 1_000_000
	// maxValueNodes bounds the size of a value a function traverses deeply
	// (counting shared parts once per use).
	maxValueNodes = 4_000_000
	// maxNesting bounds the nesting depth of JSON and template text.
	maxNesting = 1000
)

// env is the state shared by the functions of one Table.
type env struct {
	baseDir  string // absolute, cleaned
	baseName string // BaseDir as given, to name templates in messages
	root     string // absolute, cleaned
	rootReal string // root with symlinks resolved
	rootErr  error  // why file functions cannot work, if they cannot
	maxFile  int64

	budget *budget.Budget
	opaque func(string) bool

	tmplOnce  sync.Once
	tmplTable map[string]function.Function
}

// Table returns the function table for one module.
func Table(opts Options) map[string]function.Function {
	e := newEnv(opts)
	return e.table(false)
}

func newEnv(opts Options) *env {
	e := &env{maxFile: opts.MaxFileSize, baseName: opts.BaseDir}
	if e.maxFile <= 0 {
		e.maxFile = DefaultMaxFileSize
	}
	e.budget = opts.Budget
	e.opaque = opts.Opaque
	if e.budget == nil {
		e.budget = budget.New(context.Background(), budget.DefaultLimits)
	}

	root := opts.Root
	if root == "" {
		root = opts.BaseDir
	}
	base := opts.BaseDir
	if base == "" {
		base = root
	}
	if root == "" {
		e.rootErr = errors.New("no repository folder is configured, so canpull reads no files")
		return e
	}
	var err error
	if e.root, err = filepath.Abs(root); err != nil {
		e.rootErr = fmt.Errorf("cannot resolve the repository folder %s: %w", root, err)
		return e
	}
	if e.baseDir, err = filepath.Abs(base); err != nil {
		e.rootErr = fmt.Errorf("cannot resolve the module folder %s: %w", base, err)
		return e
	}
	if e.rootReal, err = filepath.EvalSymlinks(e.root); err != nil {
		e.rootErr = fmt.Errorf("cannot resolve the repository folder %s: %w", e.root, err)
		return e
	}
	// A module folder named through a symlink from outside the scanned
	// folder is taken by its real path.
	if !within(e.root, e.baseDir) && !within(e.rootReal, e.baseDir) {
		if real, err := filepath.EvalSymlinks(e.baseDir); err == nil {
			e.baseDir = real
		}
	}
	return e
}

// def is one entry of the table before wrapping.
type def struct {
	f function.Function
	// check, if set, runs before f with the arguments f would get; it
	// refuses arguments that would make f use too much time or memory.
	check func(args []cty.Value) error
	// post, if set, checks a known result (decoders: alias bombs, huge
	// numbers).
	post func(v cty.Value) error
	// shallow functions only look at the top level of their arguments, so
	// the wrapper does not walk them (length, element, lookup, ... are
	// called in loops over big collections).
	shallow bool
	// size, if set, is the bytes the result will take, charged before the
	// call instead of after it: for results much larger than the
	// arguments (setproduct).
	size func(args []cty.Value) int64
}

// table builds the wrapped function table. inTemplate builds the table used
// inside templatefile and templatestring, where those two are refused.
func (e *env) table(inTemplate bool) map[string]function.Function {
	// Built for every root module a run loads: sized once rather than
	// grown from empty.
	defs := make(map[string]def, tableSize)
	for _, group := range []map[string]def{
		e.mathFuncs(),
		e.stringFuncs(),
		e.collectionFuncs(),
		e.encodingFuncs(),
		e.cryptoFuncs(),
		e.cidrFuncs(),
		e.conversionFuncs(),
		e.fileFuncs(),
		e.templateFuncs(),
	} {
		for name, d := range group {
			defs[name] = d
		}
	}
	if inTemplate {
		for _, name := range []string{"templatefile", "templatestring"} {
			defs[name] = def{f: recursiveTemplateFunc(name, defs[name].f)}
		}
	}
	out := make(map[string]function.Function, len(defs))
	for name, d := range defs {
		out[name] = e.wrap(name, d)
	}
	return out
}

// tableSize is about the number of functions in a table (118).
const tableSize = 128

// templateTable is the table templates are rendered with.
func (e *env) templateTable() map[string]function.Function {
	e.tmplOnce.Do(func() { e.tmplTable = e.table(true) })
	return e.tmplTable
}

// Names returns the names of the functions in a table, sorted.
func Names() []string {
	t := Table(Options{})
	names := make([]string, 0, len(t))
	for n := range t {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// spend charges n units of work to the budget.
func (e *env) spend(n int64) error { return e.budget.SpendWork(n) }

// wrap returns f with the same signature, guarded: a panic becomes an error,
// arguments are checked, results are bounded and the budget is charged.
func (e *env) wrap(name string, d def) function.Function {
	f := d.f
	return function.New(&function.Spec{
		Description: f.Description(),
		Params:      f.Params(),
		VarParam:    f.VarParam(),
		// The checks run in Type, before the wrapped function's own Type:
		// some functions (jsondecode, csvdecode) parse their input there.
		Type: func(args []cty.Value) (ty cty.Type, err error) {
			defer func() {
				if r := recover(); r != nil {
					ty, err = cty.NilType, panicError(name, r, args)
				}
			}()
			if err := e.budget.Err(); err != nil {
				return cty.NilType, err
			}
			if !d.shallow {
				for i, a := range args {
					if err := e.measure(a, maxStringLen); err != nil {
						return cty.NilType, function.NewArgError(i, err)
					}
				}
			}
			if d.check != nil {
				if err := d.check(args); err != nil {
					if e.holdsOpaque(args) {
						return cty.DynamicPseudoType, nil
					}
					return cty.NilType, redactError(name, err, args)
				}
			}
			ty, err = f.ReturnTypeForValues(args)
			var pe function.PanicError
			if errors.As(err, &pe) {
				// Some go-cty functions accept arguments of unknown type
				// but panic on them; an unknown type gives an unknown
				// result.
				for _, a := range args {
					if a.Type() == cty.DynamicPseudoType {
						return cty.DynamicPseudoType, nil
					}
				}
				return cty.NilType, panicError(name, pe.Value, args)
			}
			if err != nil {
				if e.holdsOpaque(args) {
					return cty.DynamicPseudoType, nil
				}
				return cty.NilType, redactError(name, err, args)
			}
			return ty, nil
		},
		Impl: func(args []cty.Value, retType cty.Type) (ret cty.Value, err error) {
			defer func() {
				if r := recover(); r != nil {
					ret, err = cty.NilVal, panicError(name, r, args)
				}
			}()
			if err := e.spend(budget.CallWork); err != nil {
				return cty.NilVal, err
			}
			if d.size != nil {
				if err := e.budget.SpendMemory(d.size(args)); err != nil {
					return cty.NilVal, err
				}
			}
			ret, err = f.Call(args)
			var pe function.PanicError
			if errors.As(err, &pe) {
				return cty.NilVal, panicError(name, pe.Value, args)
			}
			if err := e.budget.Err(); err != nil {
				// The template that templatefile rendered went over.
				return cty.NilVal, err
			}
			if err != nil {
				if e.holdsOpaque(args) {
					return cty.UnknownVal(retType), nil
				}
				return cty.NilVal, redactError(name, err, args)
			}
			if err := e.charge(ret, d.size == nil); err != nil {
				return cty.NilVal, err
			}
			if d.post != nil {
				if err := d.post(ret); err != nil {
					return cty.NilVal, err
				}
			}
			return ret, nil
		},
	})
}

// charge bounds a result and, when spend is set, charges what it built to
// the budget's memory: a string's bytes, a collection's elements at every
// level (see budget.Elements).
func (e *env) charge(v cty.Value, spend bool) error {
	v, _ = v.Unmark()
	if !v.IsKnown() || v.IsNull() {
		return nil
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		n := len(v.AsString())
		if n > maxStringLen {
			return errStringTooLong
		}
		if !spend {
			return nil
		}
		return e.budget.SpendMemory(int64(n))
	case ty == cty.Number:
		return checkNumber(v)
	case ty.IsCollectionType() || ty.IsTupleType() || ty.IsObjectType():
		if (ty.IsCollectionType() || ty.IsTupleType()) && v.LengthInt() > maxElements {
			return errTooManyElements
		}
		if !spend {
			return nil
		}
		return e.budget.SpendMemory(budget.ElementBytes * budget.Elements(v, e.budget.Left()/budget.ElementBytes+1))
	}
	return nil
}

var (
	errStringTooLong   = fmt.Errorf("the result would be longer than %d MiB, more than canpull allows", maxStringLen>>20)
	errTooManyElements = fmt.Errorf("the result would have more than %d elements, more than canpull allows", maxElements)
	errValueTooLarge   = fmt.Errorf("the value has more than %d elements in all (counting shared parts each time they are used), more than canpull allows", maxValueNodes)
)

// InternalError is a function's failure that is canpull's fault, not the
// configuration's: a panic, recovered.
type InternalError struct {
	Func, Msg string
}

func (e *InternalError) Error() string {
	return fmt.Sprintf("internal error in function %s (please report this to canpull): %s", e.Func, e.Msg)
}

func panicError(name string, r any, args []cty.Value) error {
	msg := redact(fmt.Sprint(r), args)
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	return &InternalError{Func: name, Msg: msg}
}

// holdsOpaque reports whether an argument holds an opaque string.
func (e *env) holdsOpaque(args []cty.Value) bool {
	if e.opaque == nil {
		return false
	}
	found := false
	for _, a := range args {
		_ = cty.Walk(a, func(_ cty.Path, v cty.Value) (bool, error) {
			v, _ = v.Unmark()
			if found || !v.IsKnown() || v.IsNull() {
				return !found, nil
			}
			if v.Type() == cty.String && e.opaque(v.AsString()) {
				found = true
			}
			return !found, nil
		})
	}
	return found
}

// measure walks the known parts of v and refuses it when it has too many
// nodes, more than maxBytes of strings in all, or numbers too large to print.
// The walk itself is charged to the budget.
func (e *env) measure(v cty.Value, maxBytes int) error {
	v, _ = v.Unmark()
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	switch ty := v.Type(); {
	case ty == cty.String:
		if len(v.AsString()) > maxBytes {
			return errStringTooLong
		}
		return nil
	case ty == cty.Number:
		return checkNumber(v)
	case !(ty.IsCollectionType() || ty.IsTupleType() || ty.IsObjectType()):
		return nil
	}
	nodes, bytes := 0, 0
	stack := []cty.Value{v}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		v, _ = v.Unmark()
		nodes++
		if nodes > maxValueNodes {
			_ = e.spend(int64(nodes))
			return errValueTooLarge
		}
		if v.IsNull() || !v.IsKnown() {
			continue
		}
		ty := v.Type()
		switch {
		case ty == cty.String:
			bytes += len(v.AsString())
			if bytes > maxBytes {
				_ = e.spend(int64(nodes))
				return errStringTooLong
			}
		case ty == cty.Number:
			if err := checkNumber(v); err != nil {
				return err
			}
		case ty.IsMapType():
			for it := v.ElementIterator(); it.Next(); {
				k, ev := it.Element()
				bytes += len(k.AsString())
				stack = append(stack, ev)
			}
		case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
			// AsValueSlice does not allocate an index value per element.
			stack = append(stack, v.AsValueSlice()...)
		case ty.IsObjectType():
			for it := v.ElementIterator(); it.Next(); {
				_, ev := it.Element()
				stack = append(stack, ev)
			}
		}
	}
	return e.spend(int64(nodes))
}

// checkNumber refuses known numbers whose text form would be huge.
func checkNumber(v cty.Value) error {
	v, _ = v.Unmark()
	if !v.IsKnown() || v.IsNull() || v.Type() != cty.Number {
		return nil
	}
	return budget.CheckNumber(v.AsBigFloat())
}

// unknownFunc returns a function with the given parameters whose result is
// always an unknown value of type ty: for functions whose real result
// depends on the clock, a random source or secrets.
func unknownFunc(desc string, ty cty.Type, params ...function.Parameter) function.Function {
	return function.New(&function.Spec{
		Description: desc,
		Params:      params,
		Type:        function.StaticReturnType(ty),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			return cty.UnknownVal(ty), nil
		},
	})
}

// recursiveTemplateFunc refuses a template function called from inside a
// template, so that templates cannot recurse.
func recursiveTemplateFunc(name string, f function.Function) function.Function {
	return function.New(&function.Spec{
		Description: f.Description(),
		Params:      f.Params(),
		VarParam:    f.VarParam(),
		Type:        function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			return cty.NilVal, fmt.Errorf("cannot call %s from inside a template", name)
		},
	})
}
