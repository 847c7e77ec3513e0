package funcs

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// maxFormatWidth bounds the width and precision of one format verb.
const maxFormatWidth = 100_000

func (e *env) stringFuncs() map[string]def {
	return map[string]def{
		"chomp":       {f: stdlib.ChompFunc},
		"endswith":    {f: affixFunc("endswith", "Returns true if the given string ends with the given suffix.", "suffix", strings.HasSuffix)},
		"startswith":  {f: affixFunc("startswith", "Returns true if the given string starts with the given prefix.", "prefix", strings.HasPrefix)},
		"strcontains": {f: affixFunc("strcontains", "Returns true if the given string contains the given substring.", "substr", strings.Contains)},
		"format":      {f: stdlib.FormatFunc, check: checkFormat},
		"formatlist":  {f: stdlib.FormatListFunc, check: checkFormatList},
		"indent":      {f: stdlib.IndentFunc, check: checkIndent},
		"join":        {f: stdlib.JoinFunc, check: checkJoin},
		"lower":       {f: stdlib.LowerFunc},
		"upper":       {f: stdlib.UpperFunc},
		"title":       {f: stdlib.TitleFunc},
		"regex":       {f: stdlib.RegexFunc, check: checkRegex(false)},
		"regexall":    {f: stdlib.RegexAllFunc, check: checkRegex(true)},
		"replace":     {f: replaceFunc},
		"split":       {f: stdlib.SplitFunc, check: checkSplit},
		"strrev":      {f: stdlib.ReverseFunc},
		"substr":      {f: stdlib.SubstrFunc},
		"trim":        {f: stdlib.TrimFunc},
		"trimprefix":  {f: stdlib.TrimPrefixFunc},
		"trimsuffix":  {f: stdlib.TrimSuffixFunc},
		"trimspace":   {f: stdlib.TrimSpaceFunc},
	}
}

// known reports whether v is known and not null (looking through marks).
func known(v cty.Value) bool {
	v, _ = v.Unmark()
	return v.IsKnown() && !v.IsNull()
}

// str returns the string in a known string value.
func str(v cty.Value) string {
	v, _ = v.Unmark()
	return v.AsString()
}

// affixFunc is startswith, endswith or strcontains.
func affixFunc(name, desc, second string, test func(s, sub string) bool) function.Function {
	return function.New(&function.Spec{
		Description: desc,
		Params: []function.Parameter{
			{Name: "str", Type: cty.String},
			{Name: second, Type: cty.String},
		},
		Type: function.StaticReturnType(cty.Bool),
		RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder {
			return b.NotNull()
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.BoolVal(test(args[0].AsString(), args[1].AsString())), nil
		},
	})
}

// replaceFunc is Terraform's replace: a substring wrapped in slashes is a
// regular expression (with $1-style references in the replacement),
// anything else is replaced literally.
var replaceFunc = function.New(&function.Spec{
	Description: "Replaces each occurrence of a substring (or of a regular expression written as /pattern/) in a string.",
	Params: []function.Parameter{
		{Name: "str", Type: cty.String},
		{Name: "substr", Type: cty.String},
		{Name: "replace", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.String),
	RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder {
		return b.NotNull()
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		s, sub, repl := args[0].AsString(), args[1].AsString(), args[2].AsString()
		if len(sub) > 1 && sub[0] == '/' && sub[len(sub)-1] == '/' {
			re, err := regexp.Compile(sub[1 : len(sub)-1])
			if err != nil {
				return cty.NilVal, function.NewArgErrorf(1, "invalid regular expression %s: %s", sub, err)
			}
			out, err := regexReplace(re, s, repl)
			if err != nil {
				return cty.NilVal, err
			}
			return cty.StringVal(out), nil
		}
		n := 0
		if sub == "" {
			n = utf8.RuneCountInString(s) + 1
		} else {
			n = strings.Count(s, sub)
		}
		if int64(len(s))+int64(n)*int64(len(repl)-len(sub)) > maxStringLen {
			return cty.NilVal, errStringTooLong
		}
		return cty.StringVal(strings.ReplaceAll(s, sub, repl)), nil
	},
})

// regexReplace is re.ReplaceAllString, refused when the result could be
// too long: each match becomes at most len(repl) literal bytes plus one
// copy of the match per "$" in repl (a group lies inside its match).
func regexReplace(re *regexp.Regexp, s, repl string) (string, error) {
	limit := maxElements + 1
	matches := re.FindAllStringIndex(s, limit)
	if len(matches) >= limit {
		return "", fmt.Errorf("the regular expression matches more than %d times, more than canpull allows", maxElements)
	}
	dollars := int64(strings.Count(repl, "$"))
	size := int64(len(s))
	for _, m := range matches {
		size += int64(len(repl)) + dollars*int64(m[1]-m[0])
		if size > maxStringLen {
			return "", errStringTooLong
		}
	}
	return re.ReplaceAllString(s, repl), nil
}

func checkRegex(all bool) func(args []cty.Value) error {
	return func(args []cty.Value) error {
		if !known(args[0]) || !known(args[1]) {
			return nil
		}
		re, err := regexp.Compile(str(args[0]))
		if err != nil {
			return function.NewArgErrorf(0, "invalid regular expression pattern: %s", err)
		}
		if !all {
			return nil
		}
		limit := maxElements/(re.NumSubexp()+1) + 1
		if n := len(re.FindAllStringIndex(str(args[1]), limit)); n >= limit {
			return fmt.Errorf("the pattern matches more than %d times, more than canpull allows", limit-1)
		}
		return nil
	}
}

func checkSplit(args []cty.Value) error {
	if !known(args[0]) || !known(args[1]) {
		return nil
	}
	sep, s := str(args[0]), str(args[1])
	n := 0
	if sep == "" {
		n = utf8.RuneCountInString(s)
	} else {
		n = strings.Count(s, sep) + 1
	}
	if n > maxElements {
		return errTooManyElements
	}
	return nil
}

func checkJoin(args []cty.Value) error {
	if !known(args[0]) {
		return nil
	}
	sepLen := int64(len(str(args[0])))
	var total, count int64
	for _, list := range args[1:] {
		list, _ = list.Unmark()
		if !list.IsKnown() || list.IsNull() || !list.CanIterateElements() {
			continue
		}
		for it := list.ElementIterator(); it.Next(); {
			_, v := it.Element()
			if known(v) && v.Type() == cty.String {
				total += int64(len(str(v)))
			}
			count++
		}
	}
	if count > 0 {
		total += (count - 1) * sepLen
	}
	if total > maxStringLen {
		return errStringTooLong
	}
	return nil
}

func checkIndent(args []cty.Value) error {
	if !known(args[0]) {
		return nil
	}
	spaces, _ := args[0].Unmark()
	bf := spaces.AsBigFloat()
	if bf.Sign() < 0 {
		return function.NewArgErrorf(0, "the number of spaces must not be negative")
	}
	if bf.Cmp(big.NewFloat(maxStringLen)) > 0 {
		return errStringTooLong
	}
	if !known(args[1]) {
		return nil
	}
	n, _ := bf.Int64()
	s := str(args[1])
	if int64(len(s))+int64(strings.Count(s, "\n"))*n > maxStringLen {
		return errStringTooLong
	}
	return nil
}

// formatVerb is what the size estimate needs to know about one verb.
type formatVerb struct {
	arg   int // index into the arguments after the format string
	extra int // width plus precision
}

// scanFormat finds the verbs of a format string. It is lenient: anything it
// does not understand is left to the real formatter, which reports it.
func scanFormat(f string) ([]formatVerb, error) {
	var verbs []formatVerb
	next := 0
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			continue
		}
		i++
		if i < len(f) && f[i] == '%' {
			continue
		}
		for i < len(f) && strings.IndexByte("+- #0", f[i]) >= 0 {
			i++
		}
		if i < len(f) && f[i] == '[' {
			j := i + 1
			n, j, err := scanInt(f, j)
			if err != nil {
				return nil, err
			}
			if j < len(f) && f[j] == ']' && n > 0 {
				next = n - 1
				i = j + 1
			}
		}
		width, j, err := scanInt(f, i)
		if err != nil {
			return nil, err
		}
		i = j
		prec := 0
		if i < len(f) && f[i] == '.' {
			prec, j, err = scanInt(f, i+1)
			if err != nil {
				return nil, err
			}
			i = j
		}
		verbs = append(verbs, formatVerb{arg: next, extra: width + prec})
		next++
	}
	return verbs, nil
}

func scanInt(f string, i int) (int, int, error) {
	n := 0
	for i < len(f) && f[i] >= '0' && f[i] <= '9' {
		n = n*10 + int(f[i]-'0')
		if n > maxFormatWidth {
			return 0, i, fmt.Errorf("a width, precision or argument number in the format is larger than %d, more than canpull allows", maxFormatWidth)
		}
		i++
	}
	return n, i, nil
}

func checkFormat(args []cty.Value) error {
	if !known(args[0]) {
		return nil
	}
	f := str(args[0])
	verbs, err := scanFormat(f)
	if err != nil {
		return function.NewArgError(0, err)
	}
	size := int64(len(f))
	rest := args[1:]
	for _, v := range verbs {
		size += int64(v.extra)
		if v.arg < len(rest) {
			size += textSize(rest[v.arg])
		}
		if size > maxStringLen {
			return errStringTooLong
		}
	}
	return nil
}

func checkFormatList(args []cty.Value) error {
	if !known(args[0]) {
		return nil
	}
	f := str(args[0])
	verbs, err := scanFormat(f)
	if err != nil {
		return function.NewArgError(0, err)
	}
	rest := args[1:]
	n := int64(1)
	for _, a := range rest {
		a, _ = a.Unmark()
		if a.IsKnown() && !a.IsNull() && (a.Type().IsListType() || a.Type().IsSetType() || a.Type().IsTupleType()) {
			n = int64(a.LengthInt())
			break
		}
	}
	if n > maxElements {
		return errTooManyElements
	}
	size := n * int64(len(f))
	for _, v := range verbs {
		size += n * int64(v.extra)
		if v.arg < len(rest) {
			a, _ := rest[v.arg].Unmark()
			if a.IsKnown() && !a.IsNull() && (a.Type().IsListType() || a.Type().IsSetType() || a.Type().IsTupleType()) {
				size += textSize(a)
			} else {
				size += n * textSize(a)
			}
		}
		if size > maxStringLen {
			return errStringTooLong
		}
	}
	return nil
}

// textSize is an upper bound of the length of v as text (JSON-escaped, the
// longest form format can give it). v has already passed measure.
func textSize(v cty.Value) int64 {
	var size int64
	stack := []cty.Value{v}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		v, _ = v.Unmark()
		size += 2
		if !v.IsKnown() || v.IsNull() {
			size += 4
			continue
		}
		ty := v.Type()
		switch {
		case ty == cty.String:
			size += 6 * int64(len(v.AsString()))
		case ty == cty.Number:
			bf := v.AsBigFloat()
			exp := int64(bf.MantExp(nil))
			if exp < 0 {
				exp = -exp
			}
			size += exp*31/100 + 64
		case ty == cty.Bool:
			size += 5
		case ty.IsMapType() || ty.IsObjectType():
			for it := v.ElementIterator(); it.Next(); {
				k, ev := it.Element()
				size += 6*int64(len(k.AsString())) + 3
				stack = append(stack, ev)
			}
		case ty.IsCollectionType() || ty.IsTupleType():
			for it := v.ElementIterator(); it.Next(); {
				_, ev := it.Element()
				stack = append(stack, ev)
			}
		}
		if size > maxStringLen*8 {
			return size
		}
	}
	return size
}
