package iam

import (
	"strings"
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
	// ARN is the role's ARN; "" when unknown. It may hold tokens or holes
	// (see Hole) for the parts that are unknown.
	ARN string
	// Service is set for a service principal ("ecs-tasks.amazonaws.com")
	// instead of Account and ARN.
	Service string
}

// Request is one API call to decide.
type Request struct {
	// Principal is checked against Principal elements: set it only for
	// resource-based policies.
	Principal *Principal
	Action    string
	// Resource is the ARN acted on; "" when unknown. It may hold tokens
	// and holes for its unknown parts.
	Resource string
	// Context holds the condition keys that are known; nil knows none.
	Context Context
}

// tri is a three-valued truth: no, yes, or cannot tell.
type tri int

const (
	no tri = iota
	yes
	maybe
)

func triOf(b bool) tri {
	if b {
		return yes
	}
	return no
}

func and(a, b tri) tri {
	if a == no || b == no {
		return no
	}
	if a == maybe || b == maybe {
		return maybe
	}
	return yes
}

func or(a, b tri) tri {
	if a == yes || b == yes {
		return yes
	}
	if a == maybe || b == maybe {
		return maybe
	}
	return no
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

// outcome sums up a set of policies for one request: whether some Allow
// statement applies, and whether some Deny statement does.
type outcome struct{ allow, deny tri }

// scan evaluates every statement. direct counts only grants that name the
// caller itself (its role ARN, or everyone): a grant to the caller's
// account delegates to the account's IAM policies and is no grant on its
// own within that account.
func scan(policies []*Policy, req Request, direct bool) outcome {
	o := outcome{allow: no, deny: no}
	for _, p := range policies {
		if p == nil {
			continue
		}
		for i := range p.Statements {
			st := &p.Statements[i]
			if st.Allow {
				o.allow = or(o.allow, st.matches(p, req, direct))
			} else {
				o.deny = or(o.deny, st.matches(p, req, false))
			}
		}
	}
	return o
}

// decide applies AWS's order: an explicit deny wins; then an allow; else
// the implicit deny.
func decide(allow, deny tri) Decision {
	switch {
	case deny == yes:
		return ExplicitDeny
	case allow == no:
		return ImplicitDeny
	case allow == yes && deny == no:
		return Allow
	}
	return Unknown
}

// Evaluate decides a request against a set of policies that apply together
// (the identity policies of a role, or a resource policy).
func Evaluate(policies []*Policy, req Request) Decision {
	o := scan(policies, req, false)
	return decide(o.allow, o.deny)
}

// Access is everything that decides one request of a role: its
// identity-based policies, its permissions boundary, and the resource's
// own policy.
type Access struct {
	Identity []*Policy
	// Boundary is the role's permissions boundary; HasBoundary says there
	// is one. It limits what the identity policies allow.
	Boundary    []*Policy
	HasBoundary bool
	// Resource is the resource-based policy; nil when there is none.
	Resource []*Policy
	// KeyPolicy: the resource policy must allow the request itself, as a
	// KMS key policy must. Identity policies count only where it allows
	// the caller's account.
	KeyPolicy bool
	// CrossAccount: the resource is in another account than the caller, so
	// both sides must allow.
	CrossAccount bool
}

// Decide evaluates a request of a role with AWS's evaluation logic. The
// request's Principal is the role (it is matched against the resource
// policy's Principal elements).
func (a Access) Decide(req Request) Decision {
	idReq := req
	idReq.Principal = nil
	id := scan(a.Identity, idReq, false)
	idAllow, deny := id.allow, id.deny
	bound := yes
	if a.HasBoundary {
		bd := scan(a.Boundary, idReq, false)
		bound, deny = bd.allow, or(deny, bd.deny)
	}
	var res outcome
	direct := no
	if req.Principal != nil {
		res = scan(a.Resource, req, false)
		direct = scan(a.Resource, req, true).allow
	}
	deny = or(deny, res.deny)
	// A boundary limits what the identity policies allow, and what a
	// resource policy grants the role's ARN.
	var allow tri
	switch {
	case a.CrossAccount:
		allow = and(and(idAllow, bound), res.allow)
	case a.KeyPolicy:
		allow = and(bound, or(direct, and(res.allow, idAllow)))
	default:
		allow = and(bound, or(idAllow, direct))
	}
	return decide(allow, deny)
}

// GrantTo is a resource policy that allows a principal everything: the
// most a resource policy canpull cannot see could grant.
func GrantTo(principalARN string) *Policy {
	return &Policy{Version: "2012-10-17", Statements: []Statement{{
		Allow: true, Actions: []string{"*"}, HasPrincipal: true,
		Principals: map[string][]string{"AWS": {principalARN}},
	}}}
}

// matches says whether a statement applies to a request.
func (st *Statement) matches(p *Policy, req Request, direct bool) tri {
	var vars func(string) (string, bool)
	if p.Version == "2012-10-17" {
		ctx := req.Context
		vars = func(key string) (string, bool) { return ctx.single(key) }
	}
	m := st.matchAction(req.Action)
	if m == no {
		return no
	}
	m = and(m, st.matchResource(req.Resource, vars))
	if m == no {
		return no
	}
	if req.Principal != nil {
		m = and(m, st.matchPrincipal(*req.Principal, direct))
		if m == no {
			return no
		}
	}
	if len(st.Conditions) > 0 {
		m = and(m, st.matchConditions(req.Context, vars))
	}
	return m
}

func (st *Statement) matchAction(action string) tri {
	var subject []elem
	m := no
	for _, pat := range st.Actions {
		mode := lexMode{glob: true, lower: true}
		if r, ok := quickMatch(pat, action, mode); ok {
			m = or(m, r)
		} else {
			if subject == nil {
				subject = lex(action, lexMode{lower: true})
			}
			m = or(m, match(lex(pat, mode), subject))
		}
		if m == yes {
			break
		}
	}
	if st.NotAction {
		return not(m)
	}
	return m
}

func (st *Statement) matchResource(resource string, vars func(string) (string, bool)) tri {
	if !st.HasResource {
		return yes // resource-based policies apply to their own resource
	}
	var subject []elem
	m := no
	for _, pat := range st.Resources {
		mode := lexMode{glob: true, arn: true, vars: vars}
		switch r, quick := quickMatch(pat, resource, mode); {
		case pat == "*":
			m = yes
		case resource == "":
			m = or(m, maybe)
		case quick:
			m = or(m, r)
		default:
			if subject == nil {
				subject = lex(resource, lexMode{})
			}
			m = or(m, match(lex(pat, mode), subject))
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

func (st *Statement) matchPrincipal(p Principal, direct bool) tri {
	if !st.HasPrincipal {
		return no // a resource policy statement without a principal grants nothing
	}
	m := no
	for typ, ids := range st.Principals {
		for _, id := range ids {
			var r tri
			switch typ {
			case "*":
				r = yes
			case "AWS":
				r = matchAWSPrincipal(id, p, direct)
			case "Service":
				r = matchService(id, p)
			}
			m = or(m, r)
		}
	}
	if st.NotPrincipal {
		return not(m)
	}
	return m
}

// matchService matches a "Service" principal value.
func matchService(id string, p Principal) tri {
	if p.Service == "" {
		return no
	}
	if IsUnknown(id) {
		return maybe
	}
	id = strings.ToLower(id)
	return triOf(id == p.Service || id == p.Service+".cn")
}

// matchAWSPrincipal matches one "AWS" principal value: "*", an account ID,
// an account's root ARN (both name the whole account), a role ARN, or a
// role session ARN.
func matchAWSPrincipal(id string, p Principal, direct bool) tri {
	if id == "*" {
		if p.Service != "" {
			return maybe // whether "AWS": "*" covers service principals is not documented
		}
		return yes
	}
	if p.Service != "" {
		return no
	}
	if IsUnknown(id) {
		if p.ARN != "" && equalFold(id, p.ARN) == yes {
			return yes
		}
		return maybe
	}
	account, kind, rest := principalParts(id)
	switch kind {
	case "":
		return maybe // a unique ID (AROA…) or something canpull does not read
	case "other":
		return no // a user, a federated user: not the role
	}
	if p.Account != "" && account != p.Account {
		return no
	}
	switch kind {
	case "account":
		if direct {
			return no
		}
		if p.Account == "" {
			return maybe
		}
		return yes
	case "role":
		if p.ARN == "" {
			return maybe
		}
		return equalFold(id, p.ARN)
	case "session":
		// Sessions of the task's role have names canpull cannot know; only
		// another role's session is certainly not the caller.
		name := strings.SplitN(rest, "/", 3)[1]
		if p.ARN != "" && !IsUnknown(p.ARN) && !strings.HasSuffix(strings.ToLower(p.ARN), "/"+strings.ToLower(name)) {
			return no
		}
		return maybe
	}
	return maybe
}

// principalParts reads an AWS principal value: its account, and whether it
// names the account, a role, a role session or something else.
func principalParts(id string) (account, kind, rest string) {
	if isAccountID(id) {
		return id, "account", ""
	}
	parts := strings.SplitN(id, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || !isAccountID(parts[4]) {
		return "", "", ""
	}
	account, rest = parts[4], parts[5]
	switch {
	case parts[2] == "iam" && rest == "root":
		return account, "account", rest
	case parts[2] == "iam" && strings.HasPrefix(rest, "role/"):
		return account, "role", rest
	case parts[2] == "sts" && strings.HasPrefix(rest, "assumed-role/") && strings.Count(rest, "/") >= 2:
		return account, "session", rest
	}
	return account, "other", rest
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// equalFold compares two values that may hold unknown parts, ignoring
// case (IAM names are case-insensitive).
func equalFold(a, b string) tri {
	return match(lex(a, lexMode{lower: true}), lex(b, lexMode{lower: true}))
}
