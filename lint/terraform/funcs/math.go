package funcs

import (
	"errors"
	"fmt"
	"math"
	"math/big"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// maxParseIntLen bounds the text parseint accepts: big.Int parsing is
// quadratic and no real number has thousands of digits.
const maxParseIntLen = 4096

func (e *env) mathFuncs() map[string]def {
	return map[string]def{
		"abs":    {f: stdlib.AbsoluteFunc},
		"ceil":   {f: roundFunc("ceil", "Returns the smallest whole number that is greater than or equal to the given value.", true)},
		"floor":  {f: roundFunc("floor", "Returns the greatest whole number that is less than or equal to the given value.", false)},
		"log":    {f: floatFunc("log", "Returns the logarithm of a number in the given base.", "num", "base", func(n, b float64) float64 { return math.Log(n) / math.Log(b) })},
		"max":    {f: stdlib.MaxFunc},
		"min":    {f: stdlib.MinFunc},
		"pow":    {f: floatFunc("pow", "Returns a number raised to the given power.", "num", "power", math.Pow)},
		"signum": {f: stdlib.SignumFunc},
		"parseint": {f: stdlib.ParseIntFunc, check: func(args []cty.Value) error {
			if s := args[0]; known(s) && s.Type() == cty.String && len(str(s)) > maxParseIntLen {
				return function.NewArgErrorf(0, "the number is longer than %d characters, more than canpull allows", maxParseIntLen)
			}
			return nil
		}},
	}
}

// roundFunc is ceil or floor. Unlike a naive big.Float.Int, a number that
// is already whole is returned as is, so huge numbers cost nothing.
func roundFunc(name, desc string, up bool) function.Function {
	return function.New(&function.Spec{
		Description: desc,
		Params:      []function.Parameter{{Name: "num", Type: cty.Number}},
		Type:        function.StaticReturnType(cty.Number),
		RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder {
			return b.NotNull()
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			f := args[0].AsBigFloat()
			if f.IsInf() || f.IsInt() {
				return args[0], nil
			}
			// Not whole, so the exponent is below the precision and the
			// integer part is small.
			i, acc := f.Int(nil)
			switch {
			case up && acc == big.Below:
				i.Add(i, big.NewInt(1))
			case !up && acc == big.Above:
				i.Sub(i, big.NewInt(1))
			}
			if i == nil {
				return cty.NilVal, fmt.Errorf("%s: cannot round this number", name)
			}
			return cty.NumberVal(new(big.Float).SetInt(i)), nil
		},
	})
}

// floatFunc is log or pow: computed on float64 like Terraform, but a result
// that is not a number (log(0, 0), pow(-8, 0.5)) is an error instead of a
// panic.
func floatFunc(name, desc, a, b string, op func(x, y float64) float64) function.Function {
	return function.New(&function.Spec{
		Description: desc,
		Params: []function.Parameter{
			{Name: a, Type: cty.Number},
			{Name: b, Type: cty.Number},
		},
		Type: function.StaticReturnType(cty.Number),
		RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder {
			return b.NotNull()
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			x, _ := args[0].AsBigFloat().Float64()
			y, _ := args[1].AsBigFloat().Float64()
			r := op(x, y)
			if math.IsNaN(r) {
				return cty.NilVal, errors.New(name + ": the result is not a number")
			}
			return cty.NumberFloatVal(r), nil
		},
	})
}
