package rules

import (
	"strconv"

	"github.com/canpull/canpull/lint/model"
)

// The network ACLs on each way a need goes out.

// wayKind is how a met need leaves its subnet.
type wayKind int

const (
	wayInternet  wayKind = iota // over 0.0.0.0/0: an internet gateway, or a NAT gateway
	wayInternet6                // over ::/0: an internet gateway or an egress-only one
	wayNAT64                    // to 64:ff9b::/96, through a NAT gateway
	wayEndpoint                 // to an interface endpoint's network interfaces
	wayGateway                  // to S3, through a gateway endpoint
)

// way is the way a met need goes.
type way struct {
	kind wayKind
	nat  *model.NATGateway  // the NAT gateway on the way, if any
	ep   *model.VPCEndpoint // the endpoint, for wayEndpoint and wayGateway
}

// natOf is the NAT gateway an IPv4 default route goes to, if any.
func natOf(w internetWay) *model.NATGateway {
	nat, _ := w.target.(*model.NATGateway)
	return nat
}

// aclLeg is one path through network ACLs: every check must allow. An
// interface endpoint has one leg per network interface, and DNS gives the
// task any of them.
type aclLeg struct {
	checks []aclCheck
	// unknown says why canpull cannot check the leg.
	unknown string
}

// legResult is what the network ACLs do to one leg.
type legResult struct {
	res aclResult
	// check is the check that denies (for aclDenies) or that canpull
	// cannot decide (for aclUnknown, aclPartly); rule is the rule that
	// denies, nil for the catch-all rule.
	check aclCheck
	rule  *model.ACLRule
	// allowed counts the few ports the ACL allows, when it denies almost
	// all of them.
	allowed int
	what    string
	why     string
}

// throughACLs checks the network ACLs on the way a met need goes.
func (n *network) throughACLs(p *subnetPath, nd need, w way) (outcome, verdict) {
	legs := n.aclLegs(p, w)
	var results []legResult
	for _, l := range legs {
		results = append(results, n.runLeg(p, l))
	}
	v := verdict{need: nd}
	allow, deny := true, true
	var first *legResult
	for i := range results {
		r := &results[i]
		switch r.res {
		case aclAllows:
			deny = false
		case aclDenies:
			allow = false
			if first == nil {
				first = r
			}
		default:
			allow, deny = false, false
			if first == nil || first.res == aclDenies {
				first = r
			}
		}
	}
	switch {
	case allow:
		return met, v
	case !deny || first == nil:
		v.rule, v.what, v.why = "CP210", first.what, first.why
		switch {
		case first.res == aclPartly:
			v.how = "check by hand which ports the ACL's rules leave open"
		case first.check.acl == nil:
			// No ACL to check: one may come from a module not on disk, or
			// from a folder not scanned.
			v.how = "give the variables it depends on values (--var-file, --var), run terraform init, or scan the folder that defines the network ACLs too"
		default:
			v.how = "give the variables they depend on values with --var-file or --var"
		}
		return unverified, v
	}
	if w.kind == wayInternet && p.fam.v6 != no && familyOfNeed(nd) != nameV4Only && nd.kind != needAPI && p.inet6.state != inetNone {
		v.rule, v.what = "CP210", "whether "+nd.what+" goes over IPv6, which "+aclName(first.check.acl)+" may let through"
		return unverified, v
	}
	c := first.check
	v.rule, v.objs, v.at = "CP210", []model.Object{c.acl}, c.acl.Range
	if first.rule != nil {
		v.at = first.rule.Range
	}
	if w.ep != nil {
		v.objs = append(v.objs, w.ep)
	}
	v.reason = "network ACL " + aclName(c.acl) + " denies " + c.describe()
	if first.allowed > 0 {
		v.reason += " but for " + strconv.Itoa(first.allowed) + plural(first.allowed, " port", " ports")
	}
	v.head = v.reason
	if c.subnet != p.subnet {
		v.reason = "network ACL " + aclName(c.acl) + " of " + relayName(c.subnet, w) + " denies " + c.describe()
		v.objs = append(v.objs, c.subnet)
	}
	if c.ports != httpsPort {
		v.reason += ", the replies"
	}
	if first.rule != nil {
		v.reason += " (rule " + strconv.Itoa(first.rule.Number.V) + ")"
	}
	v.fix = aclFix(c, first.rule)
	return broken, v
}

// aclFix says which rule to add for a denied check.
func aclFix(c aclCheck, by *model.ACLRule) string {
	dir, ports := "inbound", "TCP 1024–65535 (the replies)"
	if c.egress {
		dir = "outbound"
	}
	if c.ports == httpsPort {
		ports = "TCP 443"
	}
	cidr := c.peer.prefix.String()
	switch {
	case c.peer.task:
		cidr = "the range of each of the tasks' subnets"
	case c.peer.unknown:
		cidr = "the range of " + c.peer.name
	case !c.peer.prefix.IsValid() && c.peer.v6:
		cidr = "::/0"
	case !c.peer.prefix.IsValid():
		cidr = "0.0.0.0/0"
	}
	to := " to "
	if !c.egress {
		to = " from "
	}
	fix := "add a rule to " + aclName(c.acl) + " that allows " + dir + " " + ports + to + cidr
	if by != nil {
		fix += ", numbered below " + strconv.Itoa(by.Number.V)
	}
	return fix
}

// aclLegs lists the network ACL checks on a way.
func (n *network) aclLegs(p *subnetPath, w way) []aclLeg {
	task := n.aclOf(p.subnet)
	noACL := func(sn *model.Subnet) aclLeg {
		return aclLeg{unknown: "the network ACL of " + sn.Addr}
	}
	// out checks a request from the task to a peer and its replies.
	out := func(acl *model.NetworkACL, to peer) []aclCheck {
		return []aclCheck{{acl: acl, subnet: p.subnet, egress: true, peer: to, ports: httpsPort},
			{acl: acl, subnet: p.subnet, egress: false, peer: to, ports: replyPorts}}
	}
	// relay checks a subnet that traffic crosses: in from the task, out to
	// the peer, the peer's replies in to relayPorts, and out to the task.
	relay := func(sn *model.Subnet, acl *model.NetworkACL, from, to peer, relayPorts portRange) []aclCheck {
		return []aclCheck{
			{acl: acl, subnet: sn, egress: false, peer: from, ports: httpsPort},
			{acl: acl, subnet: sn, egress: true, peer: to, ports: httpsPort},
			{acl: acl, subnet: sn, egress: false, peer: to, ports: relayPorts},
			{acl: acl, subnet: sn, egress: true, peer: from, ports: replyPorts},
		}
	}
	switch w.kind {
	case wayEndpoint:
		var legs []aclLeg
		if !w.ep.Subnets.AllKnown() {
			return []aclLeg{{unknown: "the subnets of " + w.ep.Addr}}
		}
		for _, r := range w.ep.Subnets.Items {
			es, ok := model.Resolve[*model.Subnet](n.cfg, r)
			switch {
			case !ok:
				legs = append(legs, aclLeg{unknown: "a subnet of " + w.ep.Addr})
				continue
			case es == p.subnet:
				legs = append(legs, aclLeg{}) // a network ACL does not filter traffic within its subnet
				continue
			}
			eacl := n.aclOf(es)
			if task == nil {
				legs = append(legs, noACL(p.subnet))
				continue
			}
			if eacl == nil {
				legs = append(legs, noACL(es))
				continue
			}
			checks := out(task, subnetPeer(es, false))
			checks = append(checks,
				aclCheck{acl: eacl, subnet: es, egress: false, peer: taskPeer(p.subnet, false), ports: httpsPort},
				aclCheck{acl: eacl, subnet: es, egress: true, peer: taskPeer(p.subnet, false), ports: replyPorts})
			legs = append(legs, aclLeg{checks: checks})
		}
		return legs
	}
	if task == nil {
		return []aclLeg{noACL(p.subnet)}
	}
	var leg aclLeg
	switch w.kind {
	case wayInternet, wayGateway:
		leg.checks = out(task, internetPeer(false))
	case wayInternet6:
		leg.checks = out(task, internetPeer(true))
	case wayNAT64:
		leg.checks = out(task, peer{v6: true, prefix: nat64Prefix, name: "64:ff9b::/96 (NAT64)"})
	}
	if w.nat != nil && (w.kind == wayInternet || w.kind == wayNAT64) {
		ns, ok := model.Resolve[*model.Subnet](n.cfg, w.nat.Subnet)
		switch {
		case !ok:
			return []aclLeg{{unknown: "the subnet of " + w.nat.Addr}}
		case ns != p.subnet:
			nacl := n.aclOf(ns)
			if nacl == nil {
				return []aclLeg{noACL(ns)}
			}
			leg.checks = append(leg.checks, relay(ns, nacl, taskPeer(p.subnet, w.kind == wayNAT64), internetPeer(false), natPorts)...)
		}
	}
	return []aclLeg{leg}
}

// replyPorts marks a check of replies to the origin: its ports are the
// origin's ephemeral ports, which runLeg fills in.
var replyPorts = portRange{-1, -1}

// runLeg runs the checks of one leg.
func (n *network) runLeg(p *subnetPath, l aclLeg) legResult {
	if l.unknown != "" {
		return legResult{res: aclUnknown, what: l.unknown}
	}
	var undecided *legResult
	for _, c := range l.checks {
		var d aclDecision
		if c.ports == replyPorts {
			d, c = n.decideReplies(p, c)
		} else {
			d = n.decide(c)
		}
		switch res := d.res; res {
		case aclDenies:
			return legResult{res: aclDenies, check: c, rule: d.rule, allowed: d.allowed}
		case aclUnknown, aclPartly:
			if undecided == nil {
				lr := legResult{res: res, check: c, what: "whether network ACL " + aclName(c.acl) + " allows " + c.describe()}
				if res == aclPartly {
					lr.what = "which ports of " + c.ports.String() + " the connections use: network ACL " + aclName(c.acl) + " allows only some"
					lr.why = "Network ACL " + aclName(c.acl) + " allows " + c.describe() + " on some ports and denies it on others. " +
						"A connection whose ephemeral port is denied times out; which ports a task's connections use is not something canpull knows."
				}
				undecided = &lr
			}
		}
	}
	if undecided != nil {
		return *undecided
	}
	return legResult{res: aclAllows}
}

// decide runs a check once per analysis.
func (n *network) decide(c aclCheck) aclDecision {
	if d, ok := n.acls[c]; ok {
		return d
	}
	d := c.decide()
	n.acls[c] = d
	return d
}

// decideReplies decides a check of replies for each ephemeral port range
// the origin may use: denied only when denied for every one.
func (n *network) decideReplies(p *subnetPath, c aclCheck) (aclDecision, aclCheck) {
	var first aclDecision
	shown := c
	for i, pr := range p.o.clientPorts {
		cc := c
		cc.ports = pr
		d := n.decide(cc)
		if i == 0 {
			first, shown = d, cc
			continue
		}
		if d.res != first.res {
			return aclDecision{res: aclUnknown}, shown
		}
	}
	if len(p.o.clientPorts) == 0 {
		return aclDecision{res: aclUnknown}, c
	}
	return first, shown
}

// relayName names a subnet that a way crosses, for messages.
func relayName(sn *model.Subnet, w way) string {
	if w.kind == wayEndpoint {
		return "endpoint subnet " + sn.Addr
	}
	return "NAT gateway subnet " + sn.Addr
}
