package iam

import (
	"strconv"
	"strings"
)

// Conditions follow IAM's documented logic: every operator of a Condition
// block must hold, and every key under an operator; the values listed for
// one key are alternatives (for a negated operator, the request's value
// must match none of them). A key missing from the request makes an
// operator false, a negated one true; ...IfExists makes either true, and
// Null tests presence itself. ForAnyValue and ForAllValues compare each of
// a multi-valued key's values.
//
// Operators canpull cannot decide (dates, IP addresses, binary) and keys
// whose values the configuration does not say make the statement maybe.

// opKind classifies the operators canpull evaluates.
type opKind int

const (
	opUndecided opKind = iota
	opString
	opStringIgnoreCase
	opStringLike
	opARN
	opBool
	opNumeric
	opNull
)

// operator is a parsed condition operator name.
type operator struct {
	kind     opKind
	negated  bool
	ifExists bool
	anyValue bool // ForAnyValue:
	allValue bool // ForAllValues:
	numeric  string
}

func parseOperator(name string) operator {
	var op operator
	if rest, ok := strings.CutPrefix(name, "ForAnyValue:"); ok {
		op.anyValue, name = true, rest
	} else if rest, ok := strings.CutPrefix(name, "ForAllValues:"); ok {
		op.allValue, name = true, rest
	}
	if rest, ok := strings.CutSuffix(name, "IfExists"); ok && rest != "Null" {
		op.ifExists, name = true, rest
	}
	switch name {
	case "StringEquals":
		op.kind = opString
	case "StringNotEquals":
		op.kind, op.negated = opString, true
	case "StringEqualsIgnoreCase":
		op.kind = opStringIgnoreCase
	case "StringNotEqualsIgnoreCase":
		op.kind, op.negated = opStringIgnoreCase, true
	case "StringLike":
		op.kind = opStringLike
	case "StringNotLike":
		op.kind, op.negated = opStringLike, true
	case "ArnEquals", "ArnLike":
		op.kind = opARN
	case "ArnNotEquals", "ArnNotLike":
		op.kind, op.negated = opARN, true
	case "Bool":
		op.kind = opBool
	case "Null":
		op.kind = opNull
	case "NumericEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals":
		op.kind, op.numeric = opNumeric, name
	case "NumericNotEquals":
		op.kind, op.numeric, op.negated = opNumeric, "NumericEquals", true
	case "DateNotEquals", "NotIpAddress":
		op.negated = true // undecided, but its absent-key rule is known
	}
	return op
}

// matchConditions evaluates a statement's Condition block.
func (st *Statement) matchConditions(ctx Context, vars func(string) (string, bool)) tri {
	m := yes
	for opName, keys := range st.Conditions {
		op := parseOperator(opName)
		for key, values := range keys {
			m = and(m, op.eval(ctx, key, values, vars))
			if m == no {
				return no
			}
		}
	}
	return m
}

// eval decides one key under one operator.
func (op operator) eval(ctx Context, key string, policyValues []string, vars func(string) (string, bool)) tri {
	got, present, known := ctx.lookup(key)
	if op.kind == opNull {
		if !known {
			return maybe
		}
		m := no
		for _, v := range policyValues {
			switch strings.ToLower(v) {
			case "true":
				m = or(m, triOf(!present))
			case "false":
				m = or(m, triOf(present))
			default:
				m = or(m, maybe)
			}
		}
		return m
	}
	if !known {
		return maybe
	}
	if !present {
		switch {
		case op.ifExists, op.allValue:
			return yes
		case op.anyValue:
			return no
		}
		return triOf(op.negated)
	}
	if op.kind == opUndecided {
		return maybe
	}
	one := func(v string) tri { // v matches one of the policy's values
		m := no
		for _, pv := range policyValues {
			m = or(m, op.compare(pv, v, vars))
			if m == yes {
				break
			}
		}
		if op.negated {
			return not(m)
		}
		return m
	}
	switch {
	case op.anyValue:
		m := no
		for _, v := range got {
			m = or(m, one(v))
		}
		return m
	case op.allValue:
		m := yes
		for _, v := range got {
			m = and(m, one(v))
		}
		return m
	case len(got) != 1:
		return maybe // a single-valued operator on several values
	}
	return one(got[0])
}

// compare matches one policy value against one request value.
func (op operator) compare(policyValue, requestValue string, vars func(string) (string, bool)) tri {
	switch op.kind {
	case opString:
		return match(lex(policyValue, lexMode{vars: vars}), lex(requestValue, lexMode{}))
	case opStringIgnoreCase:
		return match(lex(policyValue, lexMode{lower: true, vars: vars}), lex(requestValue, lexMode{lower: true}))
	case opStringLike:
		return match(lex(policyValue, lexMode{glob: true, vars: vars}), lex(requestValue, lexMode{}))
	case opARN:
		return matchARN(lex(policyValue, lexMode{glob: true, vars: vars}), lex(requestValue, lexMode{}))
	case opBool:
		return match(lex(policyValue, lexMode{lower: true}), lex(requestValue, lexMode{lower: true}))
	case opNumeric:
		return compareNumbers(op.numeric, policyValue, requestValue)
	}
	return maybe
}

func compareNumbers(op, policyValue, requestValue string) tri {
	p, err1 := strconv.ParseFloat(policyValue, 64)
	r, err2 := strconv.ParseFloat(requestValue, 64)
	if err1 != nil || err2 != nil {
		return maybe
	}
	switch op {
	case "NumericEquals":
		return triOf(r == p)
	case "NumericLessThan":
		return triOf(r < p)
	case "NumericLessThanEquals":
		return triOf(r <= p)
	case "NumericGreaterThan":
		return triOf(r > p)
	case "NumericGreaterThanEquals":
		return triOf(r >= p)
	}
	return maybe
}
