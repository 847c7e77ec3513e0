package rules

import (
	"net/netip"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/model"
)

// Security groups on the way out: the task's groups must allow outbound
// TCP 443 to where its traffic goes, and an interface endpoint's groups
// must allow inbound TCP 443 from the task. Security groups are stateful:
// replies need no rule.

// groupSet is the security groups of a task or of an endpoint.
type groupSet struct {
	groups []*model.SecurityGroup
	// known is false when some group is outside the configuration or the
	// list itself is unknown: what the known groups do not allow may still
	// be allowed.
	known bool
	// at is where a finding about them points: the one group's block, or
	// the list that names several.
	at hcl.Range
}

func (gs groupSet) has(addr string) bool {
	for _, g := range gs.groups {
		if g.Addr == addr {
			return true
		}
	}
	return false
}

func (gs groupSet) names() []string {
	var out []string
	for _, g := range gs.groups {
		out = append(out, groupName(g))
	}
	return out
}

// groupName names a group for messages.
func groupName(g *model.SecurityGroup) string {
	if vpc, ok := strings.CutSuffix(g.Addr, ".default_security_group"); ok && g.Implicit {
		return "the default security group of " + vpc
	}
	return g.Addr
}

// resolveGroups reads a list of group references; an empty list means the
// VPC's default group.
func (n *network) resolveGroups(refs model.Refs, vpc *model.VPC) groupSet {
	gs := groupSet{known: refs.Known && !n.cfg.MayLack(model.KindSecurityGroup), at: refs.Range}
	if !refs.Known {
		return gs
	}
	items := refs.Items
	if len(items) == 0 {
		if vpc == nil {
			gs.known = false
			return gs
		}
		items = []model.Ref{vpc.DefaultSecurityGroup}
	}
	for _, r := range items {
		g, ok := model.Resolve[*model.SecurityGroup](n.cfg, r)
		if !ok {
			gs.known = false
			continue
		}
		gs.groups = append(gs.groups, g)
	}
	if len(gs.groups) == 1 && !gs.groups[0].Implicit && len(refs.Items) <= 1 {
		gs.at = gs.groups[0].Range
	}
	return gs
}

// sgTarget is where traffic goes: the internet, an interface endpoint's
// network interfaces, the S3 addresses of a gateway endpoint, or anywhere.
type sgTarget struct {
	kind     sgTargetKind
	ep       *model.VPCEndpoint
	epGroups groupSet
	// epSubnets are the CIDR blocks of the endpoint's subnets; subnetsKnown
	// is false when some are unknown.
	epSubnets    []netip.Prefix
	subnetsKnown bool
	// v6 is true when the traffic may go over IPv6: a dual-stack registry
	// host, or a registry canpull does not know.
	v6 bool
	// only6 is true when the traffic goes over IPv6 only (from an IPv6-only
	// subnet, or over a ::/0 route), to dst6 when valid (64:ff9b::/96 for
	// NAT64), else to any public IPv6 address.
	only6 bool
	dst6  netip.Prefix
}

type sgTargetKind int

const (
	toInternet sgTargetKind = iota
	toEndpoint
	toS3
	toAnywhere
)

// endpointTarget describes an interface endpoint as a destination.
func (n *network) endpointTarget(ep *model.VPCEndpoint, vpc *model.VPC) sgTarget {
	t := sgTarget{kind: toEndpoint, ep: ep, epGroups: n.resolveGroups(ep.SecurityGroups, vpc), subnetsKnown: ep.Subnets.Known}
	for _, r := range ep.Subnets.Items {
		sn, ok := model.Resolve[*model.Subnet](n.cfg, r)
		if !ok || !sn.CIDR.Known {
			t.subnetsKnown = false
			continue
		}
		if p, ok := parseV4(sn.CIDR.V); ok {
			t.epSubnets = append(t.epSubnets, p)
		} else {
			t.subnetsKnown = false
		}
	}
	return t
}

// egressAllows answers whether a task's groups allow outbound TCP 443 to
// a target.
func (n *network) egressAllows(gs groupSet, t sgTarget) tri {
	res := no
	if !gs.known {
		res = maybe
	}
	for _, g := range gs.groups {
		if !g.RulesKnown {
			res = or(res, maybe)
		}
		for _, r := range g.Egress {
			if res = or(res, and(port443(r), n.egressTo(r, g, t))); res == yes {
				return yes
			}
		}
	}
	return res
}

// egressTo answers whether a rule's destinations hold the target.
func (n *network) egressTo(r *model.SGRule, owner *model.SecurityGroup, t sgTarget) tri {
	if t.kind == toAnywhere {
		return yes
	}
	if t.only6 {
		return egressTo6(r, t)
	}
	res := no
	if !r.CIDRs.Known {
		res = maybe
	}
	for _, c := range r.CIDRs.V {
		res = or(res, cidrHolds(c, t))
	}
	if t.v6 && (!r.IPv6CIDRs.Known || len(r.IPv6CIDRs.V) > 0) {
		res = or(res, maybe)
	}
	if !r.PrefixLists.Known {
		res = or(res, maybe)
	}
	for _, pl := range r.PrefixLists.Items {
		res = or(res, n.prefixListHolds(pl, t))
	}
	if t.kind != toEndpoint {
		return res // group references and self name network interfaces in the VPC, never public addresses
	}
	if !r.Groups.Known {
		res = or(res, maybe)
	}
	for _, gr := range r.Groups.Items {
		res = or(res, memberOf(n.cfg, gr, t.epGroups))
	}
	if r.Self {
		res = or(res, selfIn(owner, t.epGroups))
	}
	return res
}

// egressTo6 answers whether a rule's IPv6 destinations hold a target that
// traffic reaches over IPv6 only: the IPv4 blocks do not count.
func egressTo6(r *model.SGRule, t sgTarget) tri {
	res := no
	if !r.IPv6CIDRs.Known {
		res = maybe
	}
	for _, c := range r.IPv6CIDRs.V {
		p, ok := parseV6(c)
		switch {
		case !ok:
			res = or(res, maybe)
		case t.dst6.IsValid():
			res = or(res, holds(p, t.dst6))
		default:
			res = or(res, reachesPublicV6(p))
		}
	}
	if !r.PrefixLists.Known || len(r.PrefixLists.Items) > 0 {
		res = or(res, maybe) // a managed prefix list may hold IPv6 ranges
	}
	return res
}

// cidrHolds answers whether a destination block holds a target.
func cidrHolds(c string, t sgTarget) tri {
	p, ok := parseV4(c)
	if !ok {
		return no // an IPv6 block, or nothing a task's IPv4 traffic matches
	}
	if t.kind != toEndpoint {
		return reachesPublic(p)
	}
	if p.Bits() == 0 {
		return yes
	}
	res := no
	if !t.subnetsKnown {
		res = maybe
	}
	for _, s := range t.epSubnets {
		res = or(res, holds(p, s))
	}
	return res
}

// prefixListHolds answers whether a prefix list holds a target: the S3
// gateway endpoint's own list holds S3's addresses and nothing else.
func (n *network) prefixListHolds(pl model.Ref, t sgTarget) tri {
	if e, ok := model.Resolve[*model.VPCEndpoint](n.cfg, pl); ok {
		if t.kind == toS3 && e.Addr == t.ep.Addr {
			return yes
		}
		if _, svc, ok := serviceOf(e); ok && svc == "s3" {
			return no
		}
	}
	return maybe // a managed or literal prefix list may hold anything
}

// memberOf answers whether a referenced group is one of a set.
func memberOf(cfg *model.Config, r model.Ref, gs groupSet) tri {
	g, ok := model.Resolve[*model.SecurityGroup](cfg, r)
	switch {
	case !ok:
		return maybe
	case gs.has(g.Addr):
		return yes
	case !gs.known:
		return maybe
	}
	return no
}

// selfIn answers whether a group that admits itself is one of a set.
func selfIn(owner *model.SecurityGroup, gs groupSet) tri {
	switch {
	case gs.has(owner.Addr):
		return yes
	case !gs.known:
		return maybe
	}
	return no
}

// ingressAllows answers whether an endpoint's groups allow inbound TCP 443
// from a task in a subnet with the task's groups.
func (n *network) ingressAllows(eg groupSet, subnet *model.Subnet, tasks groupSet) tri {
	res := no
	if !eg.known {
		res = maybe
	}
	for _, g := range eg.groups {
		if !g.RulesKnown {
			res = or(res, maybe)
		}
		for _, r := range g.Ingress {
			if res = or(res, and(port443(r), n.ingressFrom(r, g, subnet, tasks))); res == yes {
				return yes
			}
		}
	}
	return res
}

// ingressFrom answers whether a rule's sources hold the task.
func (n *network) ingressFrom(r *model.SGRule, owner *model.SecurityGroup, subnet *model.Subnet, tasks groupSet) tri {
	res := no
	if !r.CIDRs.Known {
		res = maybe
	}
	for _, c := range r.CIDRs.V {
		p, ok := parseV4(c)
		switch {
		case !ok:
		case p.Bits() == 0:
			return yes
		case !subnet.CIDR.Known:
			res = or(res, maybe)
		default:
			if s, ok := parseV4(subnet.CIDR.V); ok {
				res = or(res, holds(p, s))
			} else {
				res = or(res, maybe)
			}
		}
	}
	if !r.PrefixLists.Known || len(r.PrefixLists.Items) > 0 {
		res = or(res, maybe)
	}
	if !r.Groups.Known {
		res = or(res, maybe)
	}
	for _, gr := range r.Groups.Items {
		res = or(res, memberOf(n.cfg, gr, tasks))
	}
	if r.Self {
		res = or(res, selfIn(owner, tasks))
	}
	return res
}

// port443 answers whether a rule covers TCP port 443.
func port443(r *model.SGRule) tri {
	if !r.Protocol.Known {
		return maybe
	}
	switch strings.ToLower(r.Protocol.V) {
	case "-1", "all":
		return yes
	case "tcp", "6":
	default:
		return no
	}
	if !r.FromPort.Known || !r.ToPort.Known || r.FromPort.V < 0 || r.ToPort.V < 0 {
		return maybe
	}
	if r.FromPort.V <= 443 && 443 <= r.ToPort.V {
		return yes
	}
	return no
}
