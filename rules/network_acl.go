package rules

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/model"
)

// Network ACLs on the way out. A network ACL filters what crosses the
// edge of a subnet, each packet on its own: a connection needs the
// outbound request (TCP 443) and the inbound reply (to the client's
// ephemeral port) both allowed, in the subnet of the task and in every
// subnet the traffic crosses (a NAT gateway's, an interface endpoint's).
// Rules are checked in number order and the first that matches decides;
// traffic no rule matches is denied.

// portRange is a range of TCP ports.
type portRange struct{ lo, hi int }

func (r portRange) String() string {
	if r.lo == r.hi {
		return fmt.Sprint(r.lo)
	}
	return fmt.Sprintf("%d–%d", r.lo, r.hi)
}

// Ephemeral ports, as the Amazon VPC User Guide lists them: the ports a
// client's replies come back to.
var (
	linuxPorts   = portRange{32768, 61000} // Linux kernels, Amazon Linux's among them
	windowsPorts = portRange{49152, 65535} // Windows Server 2008 and later
	natPorts     = portRange{1024, 65535}  // a NAT gateway
	httpsPort    = portRange{443, 443}
)

// peer is the other end of traffic that a network ACL judges.
type peer struct {
	v6 bool
	// prefix is the peer's range when known; invalid means any public
	// address of the family (a registry, S3).
	prefix netip.Prefix
	// unknown is true when the peer is a subnet whose range is unknown.
	unknown bool
	// task is true when the peer is the origin's own subnet.
	task bool
	name string // for messages: "the internet", "subnet aws_subnet.b"
}

// aclResult is what a network ACL does to traffic.
type aclResult int

const (
	aclAllows  aclResult = iota
	aclDenies            // every port of the range is denied
	aclPartly            // some ports are allowed, others denied
	aclUnknown           // canpull cannot tell
)

// aclCheck is one direction of traffic through one network ACL.
type aclCheck struct {
	acl    *model.NetworkACL
	subnet *model.Subnet // the subnet whose ACL it is
	egress bool
	peer   peer
	ports  portRange
}

// describe says what the check asks, for messages: "outbound TCP 443 to
// the internet".
func (c aclCheck) describe() string {
	if c.egress {
		return "outbound TCP " + c.ports.String() + " to " + c.peer.name
	}
	return "inbound TCP " + c.ports.String() + " from " + c.peer.name
}

// aclDecision is what a network ACL does to the traffic of a check.
type aclDecision struct {
	res aclResult
	// rule is the rule that denies, when the traffic is denied: nil for
	// the catch-all rule.
	rule *model.ACLRule
	// allowed counts the ports of the range that are allowed, when the
	// result is aclDenies because almost none are (see sparse).
	allowed int
}

// sparse is the share of a port range under which an ACL that allows
// only some of its ports counts as denying it: a connection's ephemeral
// port falls outside the allowed ones, and a pull makes several
// connections, each with its own port (1% allowed leaves less than one
// chance in a million that three connections all get through).
const sparse = 100

// decide runs a check.
func (c aclCheck) decide() aclDecision {
	if !c.acl.RulesKnown {
		return aclDecision{res: aclUnknown}
	}
	rules := c.acl.Ingress
	if c.egress {
		rules = c.acl.Egress
	}
	var mine []*model.ACLRule
	for _, r := range rules {
		if !r.Number.Known {
			return aclDecision{res: aclUnknown}
		}
		if ruleFamily(r, c.peer.v6) != no {
			mine = append(mine, r)
		}
	}
	sort.SliceStable(mine, func(i, j int) bool { return mine[i].Number.V < mine[j].Number.V })
	var res []aclResult
	var by *model.ACLRule
	allowed := 0
	for _, seg := range segments(mine, c.ports) {
		r, rule := c.decideSegment(mine, seg)
		switch {
		case r == aclDenies && by == nil:
			by = rule
		case r == aclAllows:
			allowed += seg.hi - seg.lo + 1
		}
		res = append(res, r)
	}
	d := aclDecision{res: combineACL(res), rule: by}
	if d.res == aclPartly && allowed*sparse < c.ports.hi-c.ports.lo+1 {
		d.res, d.allowed = aclDenies, allowed
	}
	if d.res != aclDenies {
		d.rule = nil
	}
	return d
}

// decideSegment decides a range of ports that every rule covers whole or
// not at all.
func (c aclCheck) decideSegment(rules []*model.ACLRule, seg portRange) (aclResult, *model.ACLRule) {
	allow, deny := false, false
	for _, r := range rules {
		m := and(and(ruleFamily(r, c.peer.v6), protocolTCP(r)), and(rulePorts(r, seg), ruleHolds(r, c.peer)))
		if m == no {
			continue
		}
		isAllow := r.Action.Known && strings.EqualFold(r.Action.V, "allow")
		switch {
		case !r.Action.Known:
			allow, deny = true, true
		case isAllow:
			allow = true
		default:
			deny = true
		}
		if m == yes {
			if isAllow || allow {
				return outcomeOf(allow, deny), nil
			}
			return outcomeOf(allow, deny), r // this rule decides
		}
	}
	return outcomeOf(allow, true), nil // the catch-all rule denies the rest
}

func outcomeOf(allow, deny bool) aclResult {
	switch {
	case allow && deny:
		return aclUnknown
	case allow:
		return aclAllows
	}
	return aclDenies
}

// combineACL puts together the results for parts of a port range.
func combineACL(rs []aclResult) aclResult {
	var allow, deny bool
	for _, r := range rs {
		switch r {
		case aclUnknown:
			return aclUnknown
		case aclAllows:
			allow = true
		case aclDenies:
			deny = true
		case aclPartly:
			allow, deny = true, true
		}
	}
	switch {
	case allow && deny:
		return aclPartly
	case deny:
		return aclDenies
	}
	return aclAllows
}

// segments cuts a port range where some rule's ports begin or end, so that
// each rule covers a segment whole or not at all.
func segments(rules []*model.ACLRule, pr portRange) []portRange {
	cuts := map[int]bool{pr.lo: true, pr.hi + 1: true}
	for _, r := range rules {
		if !r.FromPort.Known || !r.ToPort.Known {
			continue
		}
		for _, p := range []int{r.FromPort.V, r.ToPort.V + 1} {
			if p > pr.lo && p <= pr.hi {
				cuts[p] = true
			}
		}
	}
	var points []int
	for p := range cuts {
		points = append(points, p)
	}
	sort.Ints(points)
	var out []portRange
	for i := 0; i+1 < len(points); i++ {
		out = append(out, portRange{points[i], points[i+1] - 1})
	}
	return out
}

// ruleFamily answers whether a rule is for the peer's address family.
func ruleFamily(r *model.ACLRule, v6 bool) tri {
	f := r.CIDR
	if v6 {
		f = r.IPv6CIDR
	}
	switch {
	case !f.Known:
		return maybe
	case f.V != "":
		return yes
	}
	return no
}

// protocolTCP answers whether a rule's protocol covers TCP.
func protocolTCP(r *model.ACLRule) tri {
	if !r.Protocol.Known {
		return maybe
	}
	switch strings.ToLower(strings.TrimSpace(r.Protocol.V)) {
	case "-1", "all", "tcp", "6":
		return yes
	}
	return no
}

// rulePorts answers whether a rule covers a segment of ports. A rule for
// all protocols covers every port.
func rulePorts(r *model.ACLRule, seg portRange) tri {
	if r.Protocol.Known {
		if p := strings.ToLower(strings.TrimSpace(r.Protocol.V)); p == "-1" || p == "all" {
			return yes
		}
	}
	if !r.FromPort.Known || !r.ToPort.Known {
		return maybe
	}
	if r.FromPort.V <= seg.lo && seg.hi <= r.ToPort.V {
		return yes
	}
	return no
}

// ruleHolds answers whether a rule's range holds the peer.
func ruleHolds(r *model.ACLRule, pe peer) tri {
	f, parse, public := r.CIDR, parseV4, reachesPublic
	if pe.v6 {
		f, parse, public = r.IPv6CIDR, parseV6, reachesPublicV6
	}
	if !f.Known {
		return maybe
	}
	p, ok := parse(f.V)
	switch {
	case !ok:
		return maybe
	case p.Bits() == 0:
		return yes
	case pe.unknown:
		return maybe
	case !pe.prefix.IsValid():
		return public(p)
	}
	return holds(p, pe.prefix)
}

// aclOf returns the network ACL of a subnet: its explicit one, else its
// VPC's default ACL. nil when canpull cannot tell.
func (n *network) aclOf(sn *model.Subnet) *model.NetworkACL {
	ref := sn.NetworkACL
	if ref.IsZero() {
		vpc, ok := model.Resolve[*model.VPC](n.cfg, sn.VPC)
		if !ok {
			return nil
		}
		ref = vpc.DefaultNetworkACL
		if ref.IsZero() && !n.cfg.MayLack(model.KindNetworkACL) {
			return awsDefaultACL // an adapter that does not model it: the ACL AWS made
		}
	}
	acl, ok := model.Resolve[*model.NetworkACL](n.cfg, ref)
	if !ok || n.cfg.MayLack(model.KindNetworkACL) {
		return nil // an ACL, a rule or an association may be where canpull cannot see
	}
	return acl
}

// awsDefaultACL is the default network ACL AWS creates with a VPC: it
// allows all traffic, IPv4 by rule 100 and IPv6 by rule 101, both ways.
var awsDefaultACL = func() *model.NetworkACL {
	var r hcl.Range
	rule := func(n int, v4, v6 string) *model.ACLRule {
		return &model.ACLRule{Number: model.KnownFact(n, r), Action: model.KnownFact("allow", r), Protocol: model.KnownFact("-1", r),
			FromPort: model.KnownFact(0, r), ToPort: model.KnownFact(0, r), CIDR: model.KnownFact(v4, r), IPv6CIDR: model.KnownFact(v6, r)}
	}
	all := []*model.ACLRule{rule(100, "0.0.0.0/0", ""), rule(101, "", "::/0")}
	return &model.NetworkACL{Meta: model.Meta{Addr: "the VPC's default network ACL"}, Ingress: all, Egress: all, RulesKnown: true, IsDefault: true}
}()

// aclName names a network ACL for messages.
func aclName(acl *model.NetworkACL) string {
	if vpc, ok := strings.CutSuffix(acl.Addr, ".default_network_acl"); ok && acl.Implicit {
		return "the default network ACL of " + vpc
	}
	return acl.Addr
}

// subnetPeer is a subnet as the other end of traffic, in a family.
func subnetPeer(sn *model.Subnet, v6 bool) peer {
	pe := peer{v6: v6, name: "subnet " + sn.Addr}
	f, parse := sn.CIDR, parseV4
	if v6 {
		f, parse = sn.IPv6CIDR, parseV6
	}
	if !f.Known {
		pe.unknown = true
		return pe
	}
	p, ok := parse(f.V)
	if !ok {
		pe.unknown = true
		return pe
	}
	pe.prefix = p
	return pe
}

// taskPeer is the origin's subnet as the other end of traffic: named the
// same for every subnet of the origin, so that subnets that fail alike
// share a finding.
func taskPeer(sn *model.Subnet, v6 bool) peer {
	pe := subnetPeer(sn, v6)
	pe.task, pe.name = true, "the tasks' subnet"
	return pe
}

// internetPeer is any public address of a family.
func internetPeer(v6 bool) peer { return peer{v6: v6, name: "the internet"} }
