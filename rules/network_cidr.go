package rules

import "net/netip"

// IPv4 ranges, for routes and security group rules. Registries and AWS's
// public endpoints live on public addresses; VPCs, peered networks and
// on-premises registries on private ones.

// tri is a three-valued answer: no, yes, or cannot tell.
type tri int

const (
	no tri = iota
	yes
	maybe
)

// or is the answer to "does any of them": yes wins, then maybe.
func or(a, b tri) tri {
	if a == yes || b == yes {
		return yes
	}
	if a == maybe || b == maybe {
		return maybe
	}
	return no
}

// and is the answer to "do both": no wins, then maybe.
func and(a, b tri) tri {
	if a == no || b == no {
		return no
	}
	if a == maybe || b == maybe {
		return maybe
	}
	return yes
}

// privateV4 are the ranges that never hold a public registry or AWS's
// public endpoints: RFC 1918, shared address space, link-local, loopback.
var privateV4 = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("127.0.0.0/8"),
}

// parseV4 reads an IPv4 CIDR block; false for anything else.
func parseV4(s string) (netip.Prefix, bool) {
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is4() {
		return netip.Prefix{}, false
	}
	return p.Masked(), true
}

// isPrivate reports whether a block lies wholly in private address space.
func isPrivate(p netip.Prefix) bool {
	for _, q := range privateV4 {
		if covers(q, p) {
			return true
		}
	}
	return false
}

// isPublicOnly reports whether a block shares no address with private
// space.
func isPublicOnly(p netip.Prefix) bool {
	for _, q := range privateV4 {
		if p.Overlaps(q) {
			return false
		}
	}
	return true
}

// covers reports whether outer contains all of inner.
func covers(outer, inner netip.Prefix) bool {
	return outer.Bits() <= inner.Bits() && outer.Contains(inner.Addr())
}

// reachesPublic answers whether a block holds a given public address:
// 0.0.0.0/0 holds them all, a private block none, anything else may.
func reachesPublic(p netip.Prefix) tri {
	switch {
	case p.Bits() == 0:
		return yes
	case isPrivate(p):
		return no
	}
	return maybe
}

// holds answers whether block p holds the addresses of target: yes when
// it covers the whole of target, maybe when they overlap.
func holds(p, target netip.Prefix) tri {
	switch {
	case covers(p, target):
		return yes
	case p.Overlaps(target):
		return maybe
	}
	return no
}
