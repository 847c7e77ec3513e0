package iam

import (
	"strings"

	"github.com/canpull/canpull/lint/model"
)

// Decision is the outcome of evaluating policies for one request.
type Decision int

const (
	// ImplicitDeny: no statement allows the request.
	ImplicitDeny Decision = iota
	// Allow: a statement allows it and none may deny it.
	Allow
	// ExplicitDeny: a Deny statement matches it.
	ExplicitDeny
	// Unknown: the outcome depends on something the configuration does not
	// say. Rules never report on it.
	Unknown
)

func (d Decision) String() string {
	return [...]string{"implicitly denied", "allowed", "explicitly denied", "unknown"}[d]
}

// Principal is who makes a request, as far as it is known.
type Principal struct {
	Account string // 12-digit account ID; "" when unknown
	ARN     string // the role's ARN; "" when unknown
}

// Request is one API call to decide.
type Request struct {
	// Principal is checked against Principal elements: set it only for
	// resource-based policies.
	Principal *Principal
	Action    string
	// Resource is the ARN acted on; "" when unknown.
	Resource string
}

// tri is a three-valued truth: no, yes, or cannot tell.
type tri int

const (
	no tri = iota
	yes
	maybe
)

func and(a, b tri) tri {
	if a == no || b == no {
		return no
	}
	if a == maybe || b == maybe {
		return maybe
	}
	return yes
}

func not(a tri) tri {
	switch a {
	case yes:
		return no
	case no:
		return yes
	}
	return maybe
}

// Evaluate decides a request against a set of policies that apply together
// (the identity policies of a role, or a resource policy).
func Evaluate(policies []*Policy, req Request) Decision {
	var allow, maybeAllow, maybeDeny bool
	for _, p := range policies {
		for i := range p.Statements {
			st := &p.Statements[i]
			m := st.matches(req)
			switch {
			case !st.Allow && m == yes:
				return ExplicitDeny
			case !st.Allow && m == maybe:
				maybeDeny = true
			case st.Allow && m == yes:
				allow = true
			case st.Allow && m == maybe:
				maybeAllow = true
			}
		}
	}
	switch {
	case allow && !maybeDeny:
		return Allow
	case allow || maybeAllow:
		return Unknown
	}
	return ImplicitDeny
}

func (st *Statement) matches(req Request) tri {
	m := st.matchAction(req.Action)
	if m == no {
		return no
	}
	m = and(m, st.matchResource(req.Resource))
	if req.Principal != nil {
		m = and(m, st.matchPrincipal(*req.Principal))
	}
	if m != no && len(st.Conditions) > 0 {
		// Conditions are not evaluated yet: the statement may or may not apply.
		m = maybe
	}
	return m
}

func (st *Statement) matchAction(action string) tri {
	m := no
	for _, pat := range st.Actions {
		if model.HasToken(pat) {
			m = maybe
			continue
		}
		if globMatch(strings.ToLower(pat), strings.ToLower(action)) {
			m = yes
			break
		}
	}
	if st.NotAction {
		return not(m)
	}
	return m
}

func (st *Statement) matchResource(resource string) tri {
	if !st.HasResource {
		return yes // resource-based policies apply to their own resource
	}
	m := no
	for _, pat := range st.Resources {
		switch {
		case pat == "*":
			m = yes
		case resource == "" || model.HasToken(pat) || model.HasToken(resource):
			if m == no {
				m = maybe
			}
		case globMatch(pat, resource):
			m = yes
		}
		if m == yes {
			break
		}
	}
	if st.NotResource {
		return not(m)
	}
	return m
}

func (st *Statement) matchPrincipal(p Principal) tri {
	if !st.HasPrincipal {
		return no // a resource policy statement without a principal grants nothing
	}
	m := no
	for typ, ids := range st.Principals {
		if typ == "*" {
			m = yes
			break
		}
		if typ != "AWS" {
			continue
		}
		for _, id := range ids {
			switch r := matchAWSPrincipal(id, p); {
			case r == yes:
				m = yes
			case r == maybe && m == no:
				m = maybe
			}
		}
	}
	if st.NotPrincipal {
		return not(m)
	}
	return m
}

// matchAWSPrincipal matches one "AWS" principal value: "*", an account ID,
// an account's root ARN (both grant to the whole account), or a role ARN.
func matchAWSPrincipal(id string, p Principal) tri {
	if id == "*" {
		return yes
	}
	if model.HasToken(id) {
		return maybe
	}
	account := id
	whole := true
	if strings.HasPrefix(id, "arn:") {
		parts := strings.SplitN(id, ":", 6)
		if len(parts) != 6 {
			return no
		}
		account = parts[4]
		whole = parts[5] == "root"
	}
	if p.Account == "" {
		return maybe
	}
	if account != p.Account {
		return no
	}
	if whole {
		return yes
	}
	if p.ARN == "" {
		return maybe
	}
	if id == p.ARN {
		return yes
	}
	return no
}

// globMatch matches IAM wildcards: * for any run of characters, ? for one.
func globMatch(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
