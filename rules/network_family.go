package rules

import (
	"net/netip"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/model"
)

// Address families. A route for ::/0 carries IPv6 only, and a name with
// IPv4 addresses only (ECR's standard ACCOUNT.dkr.ecr.REGION.amazonaws.com)
// cannot be reached over IPv6: only ECR's dual-stack names
// (ACCOUNT.dkr-ecr.REGION.on.aws) have IPv6 addresses, and AWS PrivateLink
// does not serve those. A task in an IPv6-only subnet has no IPv4 address
// at all: it reaches an IPv4-only name only through DNS64 (the VPC resolver
// makes up a 64:ff9b::/96 address) and NAT64 (a NAT gateway route for
// 64:ff9b::/96 translates it).

// family is what addresses an origin's network interface has in a subnet.
type family struct {
	v4, v6 tri
}

// familyOf works out the addresses an origin gets in a subnet: IPv4 unless
// the subnet is IPv6-only (ipv6_native: AWS gives every other subnet an
// IPv4 range, from cidr_block or an IPAM pool); IPv6 when the
// subnet has an IPv6 block and either is IPv6-only or the origin takes
// IPv6 addresses in dual-stack subnets.
func familyOf(o *origin, sn *model.Subnet) family {
	var f family
	native := sn.IPv6Native
	switch {
	case !native.Known:
		f.v4 = maybe
	case native.V:
		f.v4 = no
	default:
		f.v4 = yes // cidr_block, or a range from an IPAM pool (ipv4_ipam_pool_id)
	}
	block := no
	switch {
	case native.Known && native.V:
		block = yes
	case !sn.IPv6CIDR.Known:
		block = maybe
	case sn.IPv6CIDR.V != "":
		block = yes
	}
	switch f.v4 {
	case no:
		f.v6 = yes
	case yes:
		f.v6 = and(block, o.ipv6InDualStack)
	default:
		f.v6 = and(block, maybe)
	}
	return f
}

// nameFamily is what addresses the host a need goes to has.
type nameFamily int

const (
	nameUnknown nameFamily = iota // a registry canpull knows nothing about
	nameV4Only                    // ECR's standard registry host: IPv4 only
	nameDual                      // ECR's dual-stack registry host: IPv4 and IPv6
	nameAWS                       // an AWS API the puller calls by a host canpull does not see
)

// familyOfNeed says what addresses the host of a need has.
func familyOfNeed(nd need) nameFamily {
	switch {
	case nd.kind == needAPI && nd.service == "ecr.dkr":
		return nameV4Only
	case nd.kind == needAPI || nd.kind == needLayers:
		return nameAWS
	case nd.kind == needRegistry && nd.image.Kind == image.PrivateECR && nd.image.DualStack:
		return nameDual
	}
	return nameUnknown
}

// ipv6Way is where a subnet's IPv6 traffic to public addresses goes: its
// ::/0 route (to an internet gateway or an egress-only internet gateway,
// neither of which needs a public address), and its NAT64 route.
type ipv6Way struct {
	state inetState // inetOK, inetNone or inetUnknown
	route *model.Route
	// what says which fact was missing, when the state is unknown.
	what string
}

// nat64Way is the DNS64 + NAT64 path of a subnet: enable_dns64 (on the VPC
// resolver) and a route for 64:ff9b::/96 to a NAT gateway that reaches the
// internet over IPv4.
type nat64Way struct {
	state inetState // inetOK, inetNone, inetNATBroken or inetUnknown
	route *model.Route
	nat   *model.NATGateway
	// why says what is missing, when the state is inetNone; what says
	// which fact was unknown, for inetUnknown.
	why, what string
	// A NAT gateway that cannot reach the internet: why, where, and what
	// canpull followed to find out.
	natReason string
	natAt     hcl.Range
	natObjs   []model.Object
}

// nat64Prefix is the well-known prefix of RFC 6052 that DNS64 on the VPC
// resolver uses.
var nat64Prefix = netip.MustParsePrefix("64:ff9b::/96")

// parseV6 reads an IPv6 CIDR block; false for anything else.
func parseV6(s string) (netip.Prefix, bool) {
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is6() || p.Addr().Is4In6() {
		return netip.Prefix{}, false
	}
	return p.Masked(), true
}

// privateV6 are the ranges that never hold a public registry: unique local
// addresses, link-local, loopback.
var privateV6 = []netip.Prefix{
	netip.MustParsePrefix("fc00::/7"),
	netip.MustParsePrefix("fe80::/10"),
	netip.MustParsePrefix("::1/128"),
}

// reachesPublicV6 answers whether an IPv6 block holds a given public
// address: ::/0 holds them all, a private block none, anything else may.
func reachesPublicV6(p netip.Prefix) tri {
	if p.Bits() == 0 {
		return yes
	}
	for _, q := range privateV6 {
		if covers(q, p) {
			return no
		}
	}
	return maybe
}

// internet6 follows a subnet's ::/0 route.
func (n *network) internet6(p *subnetPath) ipv6Way {
	rt := p.table
	switch {
	case rt == nil:
		return ipv6Way{state: inetUnknown, what: "the route table of " + p.subnet.Addr + " is not in the configuration"}
	case !rt.RoutesKnown:
		return ipv6Way{state: inetUnknown, what: "some routes of " + tableName(rt) + " cannot be determined"}
	}
	rs := scanRoutes(rt)
	if rs.def6 == nil {
		if rs.other6 || n.cfg.MayLack(model.KindRoute) {
			return ipv6Way{state: inetUnknown, what: "whether the IPv6 routes of " + tableName(rt) + " lead out"}
		}
		return ipv6Way{state: inetNone}
	}
	switch rs.def6.TargetKind {
	case model.TargetInternetGateway, model.TargetEgressOnlyInternetGateway:
		return ipv6Way{state: inetOK, route: rs.def6}
	}
	return ipv6Way{state: inetUnknown, route: rs.def6, what: "::/0 of " + tableName(rt) + " goes to " + routeTarget(rs.def6) + ", which canpull does not follow"}
}

// nat64 follows a subnet's DNS64 + NAT64 path.
func (n *network) nat64(p *subnetPath) nat64Way {
	rt := p.table
	switch {
	case rt == nil:
		return nat64Way{state: inetUnknown, what: "the route table of " + p.subnet.Addr + " is not in the configuration"}
	case !rt.RoutesKnown:
		return nat64Way{state: inetUnknown, what: "some routes of " + tableName(rt) + " cannot be determined"}
	}
	rs := scanRoutes(rt)
	var w nat64Way
	switch {
	case rs.nat64 == nil && (rs.other6 || n.cfg.MayLack(model.KindRoute)):
		return nat64Way{state: inetUnknown, what: "whether a route of " + tableName(rt) + " sends 64:ff9b::/96 to a NAT gateway"}
	case rs.nat64 == nil && rs.def6 != nil && rs.def6.TargetKind != model.TargetInternetGateway &&
		rs.def6.TargetKind != model.TargetEgressOnlyInternetGateway:
		// ::/0 to a transit gateway or an appliance: NAT64 may be there.
		return nat64Way{state: inetUnknown, what: "whether ::/0 of " + tableName(rt) + " leads to NAT64"}
	case rs.nat64 == nil:
		return nat64Way{state: inetNone, why: "no route for 64:ff9b::/96 to a NAT gateway (NAT64)"}
	case rs.nat64.TargetKind != model.TargetNATGateway:
		return nat64Way{state: inetUnknown, route: rs.nat64, what: "64:ff9b::/96 of " + tableName(rt) + " goes to " + routeTarget(rs.nat64) + ", which canpull does not follow"}
	}
	w.route = rs.nat64
	inet := internetWay{route: rs.nat64, targetName: orText(rs.nat64.Target.Addr, rs.nat64.Target.Value)}
	inet.target = n.cfg.Lookup(rs.nat64.Target.Addr)
	n.natWay(&inet)
	w.nat, _ = inet.target.(*model.NATGateway)
	switch inet.state {
	case inetUnknown:
		return nat64Way{state: inetUnknown, route: rs.nat64, what: inet.what}
	case inetNATBroken:
		w.state, w.natReason, w.natAt, w.natObjs = inetNATBroken, inet.natReason, inet.natAt, inet.natObjs
		return w
	}
	// The NAT gateway translates; DNS64 makes the addresses it translates.
	dns := n.resolverOf(p.vpc)
	d64 := p.subnet.EnableDNS64
	switch {
	case dns.state == dnsCustom:
		// The custom name servers may do DNS64 themselves.
		return nat64Way{state: inetUnknown, route: rs.nat64, what: "whether the name servers of " + dns.set.Addr + " synthesize 64:ff9b::/96 addresses (DNS64)"}
	case dns.state == dnsUnknown:
		return nat64Way{state: inetUnknown, route: rs.nat64, what: "the name servers of " + orText(p.vpc.Addr, "the VPC")}
	case !d64.Known:
		return nat64Way{state: inetUnknown, route: rs.nat64, what: "enable_dns64 of " + p.subnet.Addr}
	case !d64.V:
		how := "is false"
		if !d64.Set {
			how = "is left out (the default is false)"
		}
		return nat64Way{state: inetNone, route: rs.nat64, nat: w.nat, why: "enable_dns64 of " + p.subnet.Addr + " " + how +
			", so names without IPv6 addresses resolve to IPv4 addresses that the subnet cannot reach"}
	}
	w.state = inetOK
	return w
}

// routeTarget names where a route goes, for messages: "NAT gateway
// aws_nat_gateway.main", "unknown target".
func routeTarget(r *model.Route) string {
	if name := orText(r.Target.Addr, r.Target.Value); name != "" {
		return r.TargetKind.String() + " " + name
	}
	return r.TargetKind.String()
}
