package budget

import (
	"errors"
	"math/big"

	"github.com/zclconf/go-cty/cty"
)

// MaxNumberExp bounds the binary exponent of the numbers that evaluation
// keeps: the text of 1e99999999 is a hundred million digits, and go's
// big.Float takes minutes to write it. No configuration needs numbers
// beyond about 1e19728.
const MaxNumberExp = 1 << 16

// ErrNumberTooLarge refuses a number whose text would be huge.
var ErrNumberTooLarge = errors.New("a number is too large or too small for canpull (its text would run to millions of digits)")

// Elements counts the elements of v at every level (a part shared by
// several others counted each time it is used; a number as four elements,
// see units), stopping as soon as the count passes limit. It visits only the elements that are collections
// themselves: a list of a million strings costs one step.
func Elements(v cty.Value, limit int64) int64 {
	n, _ := walk(v, limit, 1, false)
	return n
}

// ReadWork is the work of reading v as a function argument, a compared
// value or a branch of a conditional: ReadElementWork per element, which
// go-cty walks, and for each tuple one per pair of its elements, since
// converting a tuple to a list or set compares the types of every pair
// (go-cty's unification sorts them so). It stops counting soon after limit.
func ReadWork(v cty.Value, limit int64) int64 {
	n, pairs := walk(v, limit, ReadElementWork, true)
	return ReadElementWork*n + pairs
}

// walk counts the elements of v and the pairs of elements of its tuples,
// until weight*elements (plus the pairs, when withPairs is set) passes
// limit: what it returns then is past limit too, so that charging it
// fails, as charging the whole would.
func walk(v cty.Value, limit, weight int64, withPairs bool) (n, pairs int64) {
	stack := []cty.Value{v}
	for len(stack) > 0 && weight*n+pairs <= limit {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		v, _ = v.Unmark()
		if !v.IsKnown() || v.IsNull() {
			continue
		}
		ty := v.Type()
		switch {
		case ty.IsTupleType():
			l := int64(v.LengthInt())
			if withPairs {
				pairs += l * (l - 1) / 2
			}
			for i, ety := range ty.TupleElementTypes() {
				n += units(ety)
				if isComposite(ety) {
					stack = append(stack, v.Index(cty.NumberIntVal(int64(i))))
				}
			}
		case ty.IsObjectType():
			for name, aty := range ty.AttributeTypes() {
				n += units(aty)
				if isComposite(aty) {
					stack = append(stack, v.GetAttr(name))
				}
			}
		case ty.IsCollectionType():
			n += int64(v.LengthInt()) * units(ty.ElementType())
			if isComposite(ty.ElementType()) {
				for it := v.ElementIterator(); it.Next(); {
					_, e := it.Element()
					stack = append(stack, e)
				}
			}
		}
	}
	return n, pairs
}

// units is what an element of type ty counts for: a number is a big.Float
// behind the element, about four elements' worth of memory.
func units(ty cty.Type) int64 {
	if ty == cty.Number {
		return 4
	}
	return 1
}

func isComposite(ty cty.Type) bool {
	return ty.IsCollectionType() || ty.IsTupleType() || ty.IsObjectType() || ty == cty.DynamicPseudoType
}

// TextLen is the length of v's text as a template would write it: a
// string's bytes, a number's digits (estimated from its exponent and
// precision, without writing it), 5 for a bool. An unknown, null or
// non-primitive value is 0: templates refuse those or leave them unknown.
func TextLen(v cty.Value) (int64, error) {
	v, _ = v.Unmark()
	if !v.IsKnown() || v.IsNull() {
		return 0, nil
	}
	switch v.Type() {
	case cty.String:
		return int64(len(v.AsString())), nil
	case cty.Number:
		return numberTextLen(v.AsBigFloat())
	case cty.Bool:
		return 5, nil
	}
	return 0, nil
}

// numberTextLen is the length of f's text in 'f' format, as go-cty writes
// it: exact for ordinary numbers, over-estimated (one digit per 3 bits of
// exponent and of precision) for very large or small ones, whose text would
// be slow to write.
func numberTextLen(f *big.Float) (int64, error) {
	if err := CheckNumber(f); err != nil {
		return 0, err
	}
	exp := int64(f.MantExp(nil))
	if f.IsInf() || (exp > -64 && exp < 64) {
		return int64(len(f.Text('f', -1))), nil
	}
	if exp < 0 {
		exp = -exp
	}
	return exp/3 + int64(f.Prec())/3 + 3, nil
}

// CheckNumber refuses a number whose text would be huge.
func CheckNumber(f *big.Float) error {
	if f.IsInf() || f.Sign() == 0 {
		return nil
	}
	if exp := f.MantExp(nil); exp > MaxNumberExp || exp < -MaxNumberExp {
		return ErrNumberTooLarge
	}
	return nil
}

// HugeNumber reports whether v holds a number whose text would be huge
// (see CheckNumber): a string converted to a number can be one.
func HugeNumber(v cty.Value) bool {
	found := false
	_ = cty.Walk(v, func(_ cty.Path, v cty.Value) (bool, error) {
		v, _ = v.Unmark()
		if found || !v.IsKnown() || v.IsNull() {
			return false, nil
		}
		if v.Type() == cty.Number && CheckNumber(v.AsBigFloat()) != nil {
			found = true
		}
		return true, nil
	})
	return found
}
