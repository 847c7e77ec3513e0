package funcs

import (
	"errors"
	"math/big"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/canpull/canpull/lint/terraform/budget"
)

func (e *env) collectionFuncs() map[string]def {
	return map[string]def{
		"alltrue":         {f: boolFoldFunc("alltrue", true)},
		"anytrue":         {f: boolFoldFunc("anytrue", false)},
		"chunklist":       {f: stdlib.ChunklistFunc, shallow: true},
		"coalesce":        {f: coalesceFunc},
		"coalescelist":    {f: stdlib.CoalesceListFunc},
		"compact":         {f: stdlib.CompactFunc},
		"concat":          {f: stdlib.ConcatFunc, check: checkConcat},
		"contains":        {f: stdlib.ContainsFunc},
		"distinct":        {f: stdlib.DistinctFunc},
		"element":         {f: stdlib.ElementFunc, shallow: true},
		"flatten":         {f: stdlib.FlattenFunc},
		"index":           {f: indexFunc},
		"keys":            {f: stdlib.KeysFunc, shallow: true},
		"length":          {f: lengthFunc, shallow: true},
		"lookup":          {f: lookupFunc, shallow: true},
		"matchkeys":       {f: matchkeysFunc},
		"merge":           {f: stdlib.MergeFunc},
		"one":             {f: oneFunc, shallow: true},
		"range":           {f: stdlib.RangeFunc, check: checkRange}, // Terraform's: at most 1024 numbers
		"reverse":         {f: stdlib.ReverseListFunc, shallow: true},
		"setintersection": {f: stdlib.SetIntersectionFunc},
		"setproduct":      {f: stdlib.SetProductFunc, check: checkSetProduct, size: setProductSize},
		"setsubtract":     {f: stdlib.SetSubtractFunc},
		"setunion":        {f: stdlib.SetUnionFunc},
		"slice":           {f: stdlib.SliceFunc, shallow: true},
		"sort":            {f: stdlib.SortFunc},
		"sum":             {f: sumFunc},
		"transpose":       {f: transposeFunc},
		"values":          {f: stdlib.ValuesFunc, shallow: true},
		"zipmap":          {f: stdlib.ZipmapFunc},
	}
}

func isSeq(ty cty.Type) bool {
	return ty.IsListType() || ty.IsSetType() || ty.IsTupleType()
}

func checkConcat(args []cty.Value) error {
	total := 0
	for _, a := range args {
		if a, _ = a.Unmark(); a.IsKnown() && !a.IsNull() && isSeq(a.Type()) {
			total += a.LengthInt()
		}
	}
	if total > maxElements {
		return errTooManyElements
	}
	return nil
}

// checkRange refuses infinities, on which go-cty's range panics (adding
// infinities of opposite signs).
func checkRange(args []cty.Value) error {
	for i, a := range args {
		if a, _ := a.Unmark(); known(a) && a.Type() == cty.Number && a.AsBigFloat().IsInf() {
			return function.NewArgErrorf(i, "range arguments must be finite numbers")
		}
	}
	return nil
}

func checkSetProduct(args []cty.Value) error {
	total := 1
	for _, a := range args {
		if a, _ = a.Unmark(); a.IsKnown() && !a.IsNull() && isSeq(a.Type()) {
			n := a.LengthInt()
			if n == 0 {
				return nil
			}
			if total > maxElements/n {
				return errTooManyElements
			}
			total *= n
		}
	}
	return nil
}

// setProductSize is the bytes of setproduct's result: one element per
// combination, each holding one element per argument.
func setProductSize(args []cty.Value) int64 {
	total := int64(1)
	for _, a := range args {
		if a, _ = a.Unmark(); a.IsKnown() && !a.IsNull() && isSeq(a.Type()) {
			total *= int64(a.LengthInt()) // checkSetProduct bounds the product
		}
	}
	return budget.ElementBytes * total * int64(len(args)+1)
}

// lengthFunc is Terraform's length: strings (in grapheme clusters), lists,
// sets, maps, tuples and objects.
var lengthFunc = function.New(&function.Spec{
	Description: "Returns the length of a string (in characters), a collection, or a structural value.",
	Params: []function.Parameter{{
		Name:             "value",
		Type:             cty.DynamicPseudoType,
		AllowDynamicType: true,
		AllowUnknown:     true,
		AllowMarked:      true,
	}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty == cty.String, ty == cty.DynamicPseudoType,
			ty.IsCollectionType(), ty.IsTupleType(), ty.IsObjectType():
			return cty.Number, nil
		}
		return cty.NilType, function.NewArgErrorf(0, "argument must be a string, a collection type, or a structural type")
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v, marks := args[0].Unmark()
		ty := v.Type()
		var n cty.Value
		switch {
		case ty.IsTupleType():
			n = cty.NumberIntVal(int64(len(ty.TupleElementTypes())))
		case ty.IsObjectType():
			n = cty.NumberIntVal(int64(len(ty.AttributeTypes())))
		case !v.IsKnown():
			n = cty.UnknownVal(cty.Number).Refine().NotNull().NumberRangeLowerBound(cty.Zero, true).NewValue()
		case ty == cty.String:
			l, err := stdlib.Strlen(v)
			if err != nil {
				return cty.NilVal, err
			}
			n = l
		default:
			n = v.Length()
		}
		return n.WithMarks(marks), nil
	},
})

// lookupFunc is Terraform's lookup(map, key, default): the default is
// optional, and a missing key without one is an error.
var lookupFunc = function.New(&function.Spec{
	Description: "Retrieves the value of a single element from a map or object, given its key, or the default if there is no such element.",
	Params: []function.Parameter{
		{Name: "inputMap", Type: cty.DynamicPseudoType, AllowMarked: true},
		{Name: "key", Type: cty.String, AllowMarked: true},
	},
	VarParam: &function.Parameter{
		Name:             "default",
		Type:             cty.DynamicPseudoType,
		AllowUnknown:     true,
		AllowDynamicType: true,
		AllowNull:        true,
		AllowMarked:      true,
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		if len(args) > 3 {
			return cty.NilType, errors.New("lookup takes at most three arguments")
		}
		ty := args[0].Type()
		switch {
		case ty.IsObjectType():
			key, _ := args[1].Unmark()
			if !key.IsKnown() {
				return cty.DynamicPseudoType, nil
			}
			k := key.AsString()
			if ty.HasAttribute(k) {
				return ty.AttributeType(k), nil
			}
			if len(args) == 3 {
				return args[2].Type(), nil
			}
			return cty.NilType, function.NewArgErrorf(1, "the given object has no attribute %q", k)
		case ty.IsMapType():
			if len(args) == 3 {
				u, _ := convert.UnifyUnsafe([]cty.Type{ty.ElementType(), args[2].Type()})
				if u == cty.NilType {
					return cty.NilType, function.NewArgErrorf(2, "the default value (%s) and the map's elements (%s) have incompatible types", args[2].Type().FriendlyName(), ty.ElementType().FriendlyName())
				}
				return u, nil
			}
			return ty.ElementType(), nil
		case ty == cty.DynamicPseudoType:
			return cty.DynamicPseudoType, nil
		}
		return cty.NilType, function.NewArgErrorf(0, "lookup requires a map or an object as its first argument, not %s", ty.FriendlyName())
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		m, mapMarks := args[0].Unmark()
		key, keyMarks := args[1].Unmark()
		marks := []cty.ValueMarks{mapMarks, keyMarks}
		if !m.IsKnown() || !key.IsKnown() {
			return cty.UnknownVal(retType).WithMarks(marks...), nil
		}
		k := key.AsString()
		var found cty.Value
		switch ty := m.Type(); {
		case ty.IsObjectType():
			if ty.HasAttribute(k) {
				found = m.GetAttr(k)
			}
		case ty.IsMapType():
			if m.HasIndex(key).True() {
				found = m.Index(key)
			}
		}
		if found == cty.NilVal {
			if len(args) < 3 {
				return cty.NilVal, function.NewArgErrorf(1, "lookup failed to find key %q", k)
			}
			found = args[2]
		}
		out, err := convert.Convert(found, retType)
		if err != nil {
			return cty.NilVal, err
		}
		return out.WithMarks(marks...), nil
	},
})

// oneFunc is Terraform's one: null for an empty collection, its element
// for a collection of one, an error otherwise.
var oneFunc = function.New(&function.Spec{
	Description: "Returns the single element of a list, set or tuple, null if it is empty, or an error if it has more than one element.",
	Params: []function.Parameter{{
		Name:        "list",
		Type:        cty.DynamicPseudoType,
		AllowMarked: true,
	}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty.IsListType() || ty.IsSetType():
			return ty.ElementType(), nil
		case ty.IsTupleType():
			switch etys := ty.TupleElementTypes(); len(etys) {
			case 0:
				return cty.DynamicPseudoType, nil
			case 1:
				return etys[0], nil
			}
		}
		return cty.NilType, function.NewArgErrorf(0, "must be a list, set, or tuple value with either zero or one elements")
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		v, marks := args[0].Unmark()
		if !v.IsKnown() {
			return cty.UnknownVal(retType).WithMarks(marks), nil
		}
		switch v.LengthInt() {
		case 0:
			return cty.NullVal(retType).WithMarks(marks), nil
		case 1:
			it := v.ElementIterator()
			it.Next()
			_, ev := it.Element()
			return ev.WithMarks(marks), nil
		}
		return cty.NilVal, function.NewArgErrorf(0, "must be a list, set, or tuple value with either zero or one elements")
	},
})

// coalesceFunc is Terraform's coalesce: the first argument that is neither
// null nor an empty string.
var coalesceFunc = function.New(&function.Spec{
	Description: "Returns the first of the given arguments that is neither null nor an empty string.",
	VarParam: &function.Parameter{
		Name:             "vals",
		Type:             cty.DynamicPseudoType,
		AllowUnknown:     true,
		AllowDynamicType: true,
		AllowNull:        true,
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		if len(args) == 0 {
			return cty.NilType, errors.New("at least one argument is required")
		}
		tys := make([]cty.Type, len(args))
		for i, a := range args {
			tys[i] = a.Type()
		}
		u, _ := convert.UnifyUnsafe(tys)
		if u == cty.NilType {
			return cty.NilType, errors.New("all arguments must have the same type")
		}
		return u, nil
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		for _, a := range args {
			v, err := convert.Convert(a, retType)
			if err != nil {
				return cty.NilVal, err
			}
			if !v.IsKnown() {
				return cty.UnknownVal(retType), nil
			}
			if v.IsNull() {
				continue
			}
			if v.Type() == cty.String && v.AsString() == "" {
				continue
			}
			return v, nil
		}
		return cty.NilVal, errors.New("no non-null, non-empty-string arguments")
	},
})

// indexFunc is Terraform's index: the position of a value in a list or
// tuple, an error if it is not there.
var indexFunc = function.New(&function.Spec{
	Description: "Returns the index of the first element of a list or tuple that equals the given value.",
	Params: []function.Parameter{
		{Name: "list", Type: cty.DynamicPseudoType},
		{Name: "value", Type: cty.DynamicPseudoType},
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		if ty := args[0].Type(); !(ty.IsListType() || ty.IsTupleType()) {
			return cty.NilType, function.NewArgErrorf(0, "argument must be a list or tuple")
		}
		return cty.Number, nil
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		list, value := args[0], args[1]
		if list.LengthInt() == 0 {
			return cty.NilVal, function.NewArgErrorf(0, "cannot search an empty list")
		}
		for it := list.ElementIterator(); it.Next(); {
			i, v := it.Element()
			eq := v.Equals(value)
			if !eq.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			if eq.True() {
				return i, nil
			}
		}
		return cty.NilVal, errors.New("item not found")
	},
})

// boolFoldFunc is alltrue (all) or anytrue (!all). A known element that
// decides the result wins over unknown ones; null counts as false.
func boolFoldFunc(name string, all bool) function.Function {
	desc := "Returns true if all elements of the given list are true (or if it is empty)."
	if !all {
		desc = "Returns true if any element of the given list is true."
	}
	return function.New(&function.Spec{
		Description: desc,
		Params:      []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
		Type:        function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			unknown := false
			for it := args[0].ElementIterator(); it.Next(); {
				_, v := it.Element()
				switch {
				case !v.IsKnown():
					unknown = true
				case v.IsNull() || v.False():
					if all {
						return cty.False, nil
					}
				default:
					if !all {
						return cty.True, nil
					}
				}
			}
			if unknown {
				return cty.UnknownVal(cty.Bool), nil
			}
			return cty.BoolVal(all), nil
		},
	})
}

// sumFunc is Terraform's sum of a list, set or tuple of numbers.
var sumFunc = function.New(&function.Spec{
	Description: "Returns the total of the numbers in a list, set or tuple.",
	Params:      []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type: func(args []cty.Value) (cty.Type, error) {
		if !isSeq(args[0].Type()) {
			return cty.NilType, function.NewArgErrorf(0, "argument must be a list, set, or tuple, not %s", args[0].Type().FriendlyName())
		}
		return cty.Number, nil
	},
	Impl: func(args []cty.Value, _ cty.Type) (ret cty.Value, err error) {
		list := args[0]
		if !list.IsWhollyKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		if list.LengthInt() == 0 {
			return cty.NilVal, function.NewArgErrorf(0, "cannot sum an empty list")
		}
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(big.ErrNaN); ok {
					ret, err = cty.NilVal, errors.New("cannot sum infinity and negative infinity")
					return
				}
				panic(r)
			}
		}()
		acc := new(big.Float)
		for it := list.ElementIterator(); it.Next(); {
			_, v := it.Element()
			if v.IsNull() {
				return cty.NilVal, function.NewArgErrorf(0, "argument must be a list, set, or tuple of number values")
			}
			n, err := convert.Convert(v, cty.Number)
			if err != nil {
				return cty.NilVal, function.NewArgErrorf(0, "argument must be a list, set, or tuple of number values")
			}
			acc.Add(acc, n.AsBigFloat())
		}
		return cty.NumberVal(acc), nil
	},
})

// matchkeysFunc is Terraform's matchkeys(values, keys, searchset).
var matchkeysFunc = function.New(&function.Spec{
	Description: "Returns the elements of values whose corresponding element of keys is in searchset.",
	Params: []function.Parameter{
		{Name: "values", Type: cty.List(cty.DynamicPseudoType)},
		{Name: "keys", Type: cty.List(cty.DynamicPseudoType)},
		{Name: "searchset", Type: cty.List(cty.DynamicPseudoType)},
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		u, _ := convert.UnifyUnsafe([]cty.Type{args[1].Type(), args[2].Type()})
		if u == cty.NilType {
			return cty.NilType, function.NewArgErrorf(1, "keys and searchset must be of the same type")
		}
		return args[0].Type(), nil
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		values, keys, search := args[0], args[1], args[2]
		if !values.IsWhollyKnown() || !keys.IsWhollyKnown() {
			return cty.UnknownVal(retType), nil
		}
		if values.LengthInt() != keys.LengthInt() {
			return cty.NilVal, errors.New("length of keys and values should be equal")
		}
		if search.LengthInt() == 0 {
			return cty.ListValEmpty(retType.ElementType()), nil
		}
		u, _ := convert.UnifyUnsafe([]cty.Type{keys.Type(), search.Type()})
		keys, err := convert.Convert(keys, u)
		if err != nil {
			return cty.NilVal, function.NewArgError(1, err)
		}
		search, err = convert.Convert(search, u)
		if err != nil {
			return cty.NilVal, function.NewArgError(2, err)
		}
		var out []cty.Value
		i := 0
		for it := keys.ElementIterator(); it.Next(); i++ {
			_, k := it.Element()
			for sit := search.ElementIterator(); sit.Next(); {
				_, s := sit.Element()
				eq := k.Equals(s)
				if !eq.IsKnown() {
					return cty.UnknownVal(retType), nil
				}
				if eq.True() {
					out = append(out, values.Index(cty.NumberIntVal(int64(i))))
					break
				}
			}
		}
		if len(out) == 0 {
			return cty.ListValEmpty(retType.ElementType()), nil
		}
		return cty.ListVal(out), nil
	},
})

// transposeFunc is Terraform's transpose of a map of lists of strings.
var transposeFunc = function.New(&function.Spec{
	Description: "Swaps the keys and list values of a map of lists of strings.",
	Params:      []function.Parameter{{Name: "values", Type: cty.Map(cty.List(cty.String))}},
	Type:        function.StaticReturnType(cty.Map(cty.List(cty.String))),
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		in := args[0]
		if !in.IsWhollyKnown() {
			return cty.UnknownVal(retType), nil
		}
		out := map[string][]cty.Value{}
		for it := in.ElementIterator(); it.Next(); {
			k, list := it.Element()
			if list.IsNull() {
				return cty.NilVal, errors.New("input lists must not be null")
			}
			for lit := list.ElementIterator(); lit.Next(); {
				_, v := lit.Element()
				if v.IsNull() {
					return cty.NilVal, errors.New("input lists must not contain null values")
				}
				out[v.AsString()] = append(out[v.AsString()], k)
			}
		}
		if len(out) == 0 {
			return cty.MapValEmpty(cty.List(cty.String)), nil
		}
		vals := make(map[string]cty.Value, len(out))
		for k, l := range out {
			vals[k] = cty.ListVal(l)
		}
		return cty.MapVal(vals), nil
	},
})
