package rules

import (
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/iam"
	"github.com/canpull/canpull/lint/model"
)

// policySource is one policy that applies to a role, with where it comes
// from, for messages.
type policySource struct {
	policy *iam.Policy
	name   string // "aws_iam_role_policy.exec", "AWS-managed AmazonECSTaskExecutionRolePolicy"
	rng    hcl.Range
}

// roleView is a role of the scanned configurations with everything that
// decides what it may do.
type roleView struct {
	role *model.Role
	cfg  *model.Config // the configuration that defines it
	// identity and boundary are its policies; hasBoundary says it has a
	// permissions boundary.
	identity    []policySource
	boundary    []policySource
	hasBoundary bool
	// gap is set when some policy is unknown: the role's permissions are.
	gap *model.Gap
	// kind names the role's part in messages: "execution role" (the
	// default), "instance role".
	kind string
}

// title names the role in messages: "execution role aws_iam_role.exec".
func (v *roleView) title() string {
	if v.kind == "" {
		return "execution role " + v.role.Addr
	}
	return v.kind + " " + v.role.Addr
}

// viewRole gathers a role's policies from its configuration and the table
// of AWS-managed policies.
func viewRole(scanned []*model.Config, r *model.Role, cfg *model.Config) *roleView {
	v := &roleView{role: r, cfg: cfg}
	if !r.PoliciesKnown {
		g := r.PoliciesGap
		v.gap = &g
		return v
	}
	for _, ip := range r.InlinePolicies {
		p, ok := parsePolicy(cfg, ip.Document)
		if !ok {
			v.unknown(theInline(r, ip)+" (its document is unknown or cannot be read)", ip.Document.Range)
			return v
		}
		v.identity = append(v.identity, policySource{policy: p, name: inlineName(r, ip), rng: ip.Range})
	}
	for _, ref := range r.Attached.Items {
		s, ok := managedSource(scanned, cfg, ref)
		if !ok {
			v.unknown("the managed policy "+policyRefName(ref)+" (it is not in the configuration, nor one of the AWS-managed policies canpull knows)", ref.Range)
			return v
		}
		v.identity = append(v.identity, s)
	}
	if !r.PermissionsBoundary.IsZero() {
		v.hasBoundary = true
		s, ok := managedSource(scanned, cfg, r.PermissionsBoundary)
		if !ok {
			v.unknown("the permissions boundary "+policyRefName(r.PermissionsBoundary), r.PermissionsBoundary.Range)
			return v
		}
		v.boundary = []policySource{s}
	}
	return v
}

func (v *roleView) unknown(what string, rng hcl.Range) {
	if v.gap == nil {
		v.gap = &model.Gap{What: what, Range: rng}
	}
}

func inlineName(r *model.Role, ip model.InlinePolicy) string {
	if ip.Addr != r.Addr {
		return ip.Addr
	}
	if ip.Name.Known && ip.Name.V != "" {
		return "inline_policy " + ip.Name.V + " of " + r.Addr
	}
	return "an inline_policy of " + r.Addr
}

// theInline names an inline policy after "depend on": inlineName already
// says "inline_policy" of a block of the role, and not of a policy
// resource of its own.
func theInline(r *model.Role, ip model.InlinePolicy) string {
	n := inlineName(r, ip)
	switch {
	case ip.Addr != r.Addr:
		return "the inline policy " + n
	case strings.HasPrefix(n, "an "):
		return n
	}
	return "the " + n
}

func policyRefName(r model.Ref) string {
	switch {
	case r.Addr != "":
		return r.Addr
	case r.Value != "":
		return r.Value
	}
	return "(unknown)"
}

// managedSource finds the document of an attached managed policy: an
// aws_iam_policy of the configuration (by address, or by ARN in any
// scanned configuration), or an AWS-managed policy of iam's table.
func managedSource(scanned []*model.Config, cfg *model.Config, ref model.Ref) (policySource, bool) {
	if !ref.Known {
		return policySource{}, false
	}
	if p, ok := model.Resolve[*model.Policy](cfg, ref); ok {
		pol, ok := parsePolicy(cfg, p.Document)
		return policySource{policy: pol, name: p.Addr, rng: p.Range}, ok
	}
	if ref.Addr != "" {
		return policySource{}, false
	}
	if p, ok := iam.ManagedPolicy(ref.Value); ok {
		return policySource{policy: p, name: "AWS-managed " + managedPolicyName(ref.Value), rng: ref.Range}, true
	}
	for _, c := range scanned {
		for _, p := range c.Policies {
			if p.ARN.Known && arnKey(p.ARN.V) == arnKey(ref.Value) {
				pol, ok := parsePolicy(c, p.Document)
				return policySource{policy: pol, name: p.Addr, rng: p.Range}, ok
			}
		}
	}
	return policySource{}, false
}

func managedPolicyName(arn string) string {
	return arn[strings.LastIndexByte(arn, '/')+1:]
}

// principal is the role as the caller of a request.
func (v *roleView) principal() iam.Principal {
	p := iam.Principal{ARN: model.Token(v.role.Addr, "arn")}
	if v.role.ARN.Known {
		p.ARN = v.role.ARN.V
	}
	if v.role.Account.Known {
		p.Account = v.role.Account.V
	}
	return p
}

// access is what decides the role's requests; resource is the resource's
// own policy, if any.
func (v *roleView) access(resource []*iam.Policy) iam.Access {
	a := iam.Access{Identity: policiesOf(v.identity), Resource: resource, HasBoundary: v.hasBoundary}
	if v.hasBoundary {
		a.Boundary = policiesOf(v.boundary)
	}
	return a
}

func policiesOf(srcs []policySource) []*iam.Policy {
	out := make([]*iam.Policy, len(srcs))
	for i, s := range srcs {
		out[i] = s.policy
	}
	return out
}

// context is the request context of the role's session for a call to a
// region.
func (v *roleView) context(region string) iam.Context {
	c := iam.RoleSessionContext(v.principal())
	if region != "" {
		c.Set(iam.KeyRequestedRegion, region)
	}
	return c
}

// denier names the policy whose Deny statement matches a request, for
// messages; "" when none does outright.
func (v *roleView) denier(req iam.Request) string {
	idReq := req
	idReq.Principal = nil
	for _, s := range append(append([]policySource(nil), v.identity...), v.boundary...) {
		if iam.Evaluate([]*iam.Policy{s.policy}, idReq) == iam.ExplicitDeny {
			return s.name
		}
	}
	return ""
}

// noneAllows says, for messages, that no policy of the role allows a
// request: "none of its policies (a and b) allows it".
func (v *roleView) noneAllows() string {
	var ns []string
	for _, s := range v.identity {
		ns = append(ns, s.name)
	}
	switch len(ns) {
	case 0:
		return "it has no policies"
	case 1:
		return "its one policy, " + ns[0] + ", does not allow this"
	}
	return "none of its policies (" + model.JoinNames(ns, 0) + ") allows this"
}

// related lists the role and its policies as related locations.
func (v *roleView) related() []lint.Related {
	rel := []lint.Related{{Range: v.role.Range, Message: v.title()}}
	for _, s := range v.identity {
		rel = append(rel, lint.Related{Range: s.rng, Message: "policy " + s.name})
	}
	for _, s := range v.boundary {
		rel = append(rel, lint.Related{Range: s.rng, Message: "permissions boundary " + s.name})
	}
	return rel
}

// roleOrNote finds a task definition's execution role and its policies.
// When they cannot be known it leaves the note that says why (once per
// task definition) and returns nil. need says what the role was to be
// checked for ("ECR pulls").
func roleOrNote(pass *lint.Pass, td *model.TaskDefinition, need string) *roleView {
	ref := td.ExecutionRole
	if ref.IsZero() {
		return nil // CP101's
	}
	r, cfg := rolesOf(pass).find(pass.Config, ref)
	if r == nil {
		what, how := "the execution role of "+name(td)+" is unknown", "give the variables it depends on values with --var-file or --var"
		if ref.Known && ref.Value != "" {
			what = "execution role " + ref.Value + " is not in the configuration"
			how = "scan the folder that defines the role together with this one (canpull DIR1 DIR2)"
		} else if ref.Addr != "" {
			what = "execution role " + ref.Addr + " is not one canpull can read"
			how = "define the role with aws_iam_role"
		}
		noteUnknown(pass, ref.Range, td.Addr, what, "It is the execution role of "+name(td)+": without its policies, its "+need+" cannot be checked.", how)
		return nil
	}
	v := viewRole(pass.Scanned, r, cfg)
	if v.gap != nil {
		noteUnknown(pass, ref.Range, td.Addr, "not every policy of execution role "+r.Addr+" is known",
			"Its permissions for "+need+" depend on "+v.gap.What+".",
			"give the variables it depends on values, or scan the folder that attaches the policy too")
		return nil
	}
	return v
}

// decideUnseen decides a request of the role whose resource has a policy
// that is not in the configuration (or, across accounts, whose resource
// side is another rule's). best is what the best such policy, one that
// grants the role everything, would give: if even that does not allow the
// request, nothing the configuration cannot see will. worst is the answer
// without it.
func (v *roleView) decideUnseen(req iam.Request, cross bool) (best, worst iam.Decision) {
	p := v.principal()
	if req.Principal != nil {
		p = *req.Principal
	}
	b := v.access([]*iam.Policy{iam.GrantTo(p.ARN)})
	b.CrossAccount = cross
	w := v.access(nil)
	w.CrossAccount = cross
	return b.Decide(req), w.Decide(req)
}

// unseenNote is the note for a request that only a resource policy
// canpull cannot see could allow: its headline and its body.
func unseenNote(v *roleView, worst iam.Decision, action, resource, owner string) (what, why string) {
	if worst == iam.Unknown {
		return "whether " + v.title() + " may " + action + " depends on an unknown condition or value",
			"Its policies decide " + action + " on " + resource + " by a condition or a value that the configuration does not determine."
	}
	return "only " + owner + " could let " + v.title() + " " + action,
		"The policies of " + v.title() + " do not allow " + action + " on " + resource +
			"; only " + owner + ", which canpull cannot read, could grant it."
}

// whyNot says why the role may not make a request: a Deny statement, its
// permissions boundary, or no policy that allows it. boundary names the
// permissions boundary when it is the cause.
func (v *roleView) whyNot(req iam.Request) (why, boundary string) {
	if by := v.denier(req); by != "" {
		return by + " denies " + req.Action, ""
	}
	idReq := req
	idReq.Principal = nil
	if v.hasBoundary && iam.Evaluate(policiesOf(v.identity), idReq) == iam.Allow {
		return "its permissions boundary, " + v.boundary[0].name + ", does not allow this", v.boundary[0].name
	}
	return v.noneAllows(), ""
}

// deny describes a request the role may not make.
func (v *roleView) deny(req iam.Request, resource string) denial {
	d := denial{action: req.Action, resource: resource, deniedBy: v.denier(req)}
	d.why, d.boundary = v.whyNot(req)
	return d
}
