package rules

import (
	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/model"
)

// Needs over IPv6: in an IPv6-only subnet every need; in a dual-stack
// subnet the needs whose IPv4 way out is missing.

// judgeIPv6Only follows a need from an IPv6-only subnet. An interface
// endpoint serves it only over IPv6 addresses (ip_address_type ipv6 or
// dualstack); ECS documents dual-stack image names for IPv6-only tasks,
// so canpull does not judge such an endpoint.
func (n *network) judgeIPv6Only(p *subnetPath, nd need) (outcome, verdict) {
	var d *defect
	if nd.kind == needAPI && p.vpc != nil {
		same, mystery := n.candidates(p.vpc, nd.service)
		if mystery {
			return unverified, verdict{rule: ipv6Rule(nd), need: nd, at: nd.at, what: "VPC endpoints that canpull cannot see may serve " + nd.service,
				how: "give the variables it depends on values (--var-file, --var), run terraform init, or scan the folder that defines the VPC endpoints too"}
		}
		for _, e := range same {
			if r, _, _ := serviceOf(e); nd.region != "" && r != nd.region {
				continue
			}
			if n.endpointIPv6(e) != no {
				return unverified, verdict{rule: ipv6Rule(nd), need: nd, at: nd.at,
					what: "whether ECR's VPC endpoints with IPv6 addresses serve an IPv6-only task",
					why:  "The tasks of " + p.o.label + " in the IPv6-only subnet " + p.subnet.Addr + " pull " + nd.what + " by ECR's standard name, and ECR's VPC endpoints have IPv6 addresses. ECS documents ECR's dual-stack names for IPv6-only tasks, which AWS PrivateLink does not serve; whether the endpoint serves the standard name to them is not something canpull judges."}
			}
			if d == nil {
				d = &defect{reason: e.Addr + " has IPv4 addresses only, which a task in an IPv6-only subnet cannot reach",
					at: e.IPAddressType.Range, obj: e, fix: "give the IPv6-only subnets an endpoint with `ip_address_type = \"ipv6\"`"}
			}
		}
	}
	return n.overIPv6Only(p, nd, d)
}

// ipv6Rule is the rule that reports a need that an IPv6-only subnet
// cannot reach: CP212 for the standard host of private ECR.
func ipv6Rule(nd need) string {
	if nd.image.Kind == image.PrivateECR && !nd.image.DualStack {
		return "CP212"
	}
	return nd.rule
}

// endpointIPv6 answers whether an interface endpoint has IPv6 addresses.
// Left out, AWS gives IPv4 addresses when its subnets have IPv4 blocks.
func (n *network) endpointIPv6(ep *model.VPCEndpoint) tri {
	t := ep.IPAddressType
	switch {
	case !t.Known:
		return maybe
	case t.Set && t.V != "":
		if t.V == "ipv4" {
			return no
		}
		return yes
	case !ep.Subnets.Known:
		return maybe
	}
	for _, r := range ep.Subnets.Items {
		sn, ok := model.Resolve[*model.Subnet](n.cfg, r)
		if !ok || !sn.IPv6Native.Known || sn.IPv6Native.V {
			return maybe
		}
	}
	return no
}

// overIPv6Only follows a need from an IPv6-only subnet over its ::/0
// route or its DNS64 + NAT64 path. d explains why no VPC endpoint serves
// it, when one comes close.
func (n *network) overIPv6Only(p *subnetPath, nd need, d *defect) (outcome, verdict) {
	v := verdict{need: nd}
	fam := familyOfNeed(nd)
	w6, w64 := p.inet6, p.n64
	switch fam {
	case nameV4Only:
		switch w64.state {
		case inetOK:
			return n.sgOut6(p, nd, way{kind: wayNAT64, nat: w64.nat})
		case inetUnknown:
			v.rule, v.what, v.at = "CP212", w64.what, nd.at
			return unverified, v
		case inetNATBroken:
			v.rule, v.reason, v.at, v.objs = "CP209", "64:ff9b::/96 → NAT gateway "+w64.nat.Addr+", "+w64.natReason, w64.natAt, w64.natObjs
			return broken, v
		}
		v.rule, v.reason, v.at = "CP212", w64.why, nd.at
		if d != nil {
			v.alt = d.reason
		}
		if w64.route != nil {
			v.objs = []model.Object{p.subnet}
		}
		return broken, v
	case nameDual:
		switch w6.state {
		case inetOK:
			return n.sgOut6(p, nd, way{kind: wayInternet6})
		case inetUnknown:
			v.rule, v.what = "CP201", w6.what
			return unverified, v
		}
		return n.noIPv6Way(p, nd, d, v)
	}
	// An AWS API, or a registry canpull knows nothing about.
	switch {
	case w6.state == inetOK && (fam == nameAWS || w64.state == inetOK):
		return n.sgOut6(p, nd, way{kind: wayInternet6})
	case w6.state == inetOK:
		v.rule, v.what, v.at = "CP212", "whether "+hostOf(nd)+" has IPv6 addresses", nd.at
		v.why = "The subnet " + p.subnet.Addr + " is IPv6-only and has " + w64.why + ": " + nd.what + " is reached only if its registry has IPv6 addresses."
		return unverified, v
	case w6.state == inetUnknown:
		v.rule, v.what = "CP201", w6.what
		return unverified, v
	case w64.state == inetUnknown:
		v.rule, v.what = "CP201", w64.what
		return unverified, v
	case w64.state == inetOK:
		v.rule, v.what = "CP201", "whether "+hostOf(nd)+" has IPv4 addresses only"
		v.why = "The IPv6-only subnet " + p.subnet.Addr + " reaches IPv4 addresses through DNS64 + NAT64 but has no route (::/0) for IPv6 ones, which DNS64 passes on as they are: " +
			nd.what + " is reached only if its host has no IPv6 address."
		return unverified, v
	case w64.state == inetNATBroken:
		v.rule, v.reason, v.at, v.objs = "CP209", "64:ff9b::/96 → NAT gateway "+w64.nat.Addr+", "+w64.natReason, w64.natAt, w64.natObjs
		return broken, v
	}
	return n.noIPv6Way(p, nd, d, v)
}

// noIPv6Way judges a need from an IPv6-only subnet that has neither a ::/0
// route nor DNS64 + NAT64: only VPC endpoints remain.
func (n *network) noIPv6Way(p *subnetPath, nd need, d *defect, v verdict) (outcome, verdict) {
	if p.inet.privateRoutes {
		v.rule, v.what = nd.rule, "whether "+nd.what+" is reached through a route to another network"
		return unverified, v
	}
	ecr := n.ecrEndpoints(p.vpc)
	if ecr != no {
		v.alt = endpointGap(nd, d, p.region)
	}
	if nd.kind == needUnknown {
		if ecr != no {
			v.rule, v.what = "CP201", nd.unknownClause()
			return unverified, v
		}
		nd.kind = needRegistry
		v.need = nd
	}
	return n.endpointsOnly(p, nd, d, v, ecr, "no ::/0 route, no DNS64 + NAT64 and no ECR endpoint")
}

// sgOut6 checks that the origin's security groups let a need out over
// IPv6, the way w goes.
func (n *network) sgOut6(p *subnetPath, nd need, w way) (outcome, verdict) {
	v := verdict{need: nd}
	t := sgTarget{kind: toInternet, only6: true}
	where := "the internet over IPv6 (::/0)"
	if w.kind == wayNAT64 {
		t.dst6, where = nat64Prefix, "64:ff9b::/96 (NAT64)"
	}
	switch n.egressAllows(p.tasks, t) {
	case maybe:
		return unverified, groupsUnknown(v, p, where)
	case no:
		v.rule, v.reason, v.at = "CP204", blockedReason(p.tasks, where), p.tasks.at
		v.objs = groupObjs(p.tasks)
		return broken, v
	}
	v.via = &w
	return met, v
}

// viaIPv6 judges a need from a dual-stack subnet whose IPv4 way out is
// missing: its IPv6 way may serve it. ok is false when it cannot, and the
// IPv4 verdict stands.
func (n *network) viaIPv6(p *subnetPath, nd need) (o outcome, v verdict, ok bool) {
	if p.fam.v6 == no {
		return met, verdict{}, false
	}
	fam := familyOfNeed(nd)
	if nd.kind == needUnknown {
		fam = nameUnknown
	}
	v = verdict{need: nd, rule: v4Rule(p.inet)}
	if fam == nameV4Only {
		if p.n64.state == inetOK || p.n64.state == inetUnknown {
			v.what = "whether DNS64 + NAT64 in " + p.subnet.Addr + " serve " + hostOf(nd)
			return unverified, v, true
		}
		return met, verdict{}, false // ::/0 carries IPv6 only
	}
	switch p.inet6.state {
	case inetUnknown:
		v.what = p.inet6.what
		return unverified, v, true
	case inetNone:
		if p.n64.state == inetOK && fam != nameDual {
			v.what = "whether DNS64 + NAT64 in " + p.subnet.Addr + " serve " + hostOf(nd)
			return unverified, v, true
		}
		return met, verdict{}, false
	}
	if fam == nameDual && p.fam.v6 == yes {
		if o, v6 := n.sgOut6(p, nd, way{kind: wayInternet6}); o != broken {
			return o, v6, true
		}
		return met, verdict{}, false // the groups block IPv6 too: the IPv4 verdict stands
	}
	switch {
	case p.fam.v6 == maybe:
		v.what = "whether the tasks of " + p.o.label + " get an IPv6 address in " + p.subnet.Addr
		v.why = "The subnet's only way out for " + nd.what + " is its IPv6 route (::/0). Fargate tasks get an IPv6 address in a dual-stack subnet " +
			"when the ECS account setting dualStackIPv6 is on, which only the ECS API, the AWS CLI and the SDKs set."
		v.how = "check the ECS account setting dualStackIPv6 (`aws ecs list-account-settings --effective-settings --name dualStackIPv6`)"
	default:
		v.what = "whether " + hostOf(nd) + " has IPv6 addresses, to be reached over ::/0"
	}
	return unverified, v, true
}

// v4Rule is the rule that explains a missing IPv4 way out.
func v4Rule(w internetWay) string {
	switch w.state {
	case inetNoPublicIP:
		return "CP203"
	case inetNATBroken:
		return "CP209"
	}
	return "CP201"
}

// hostOf names the host a need goes to, for notes: the registry host of an
// image, else what the need is.
func hostOf(nd need) string {
	switch {
	case nd.kind == needRegistry || nd.service == "ecr.dkr":
		return orText(nd.image.Host, nd.what)
	case nd.kind == needAPI || nd.kind == needLayers:
		return serviceHost(nd)
	}
	return nd.what
}
