package rules

import (
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/model"
)

// Network ACL evaluation, checked on tables of rules as AWS documents
// them: in rule number order, the first match decides, the rest is denied.

// aclR builds a known rule: "100 allow tcp 0.0.0.0/0 443-443". A CIDR with
// a colon is an IPv6 rule; "?" makes a field unknown.
func aclR(t testing.TB, spec string) *model.ACLRule {
	t.Helper()
	f := strings.Fields(spec)
	if len(f) != 5 {
		t.Fatalf("bad rule spec %q", spec)
	}
	rng := hcl.Range{Filename: "acl.tf"}
	num := func(s string) model.Fact[int] {
		if s == "?" {
			return model.UnknownFact[int](rng)
		}
		var n int
		for _, c := range s {
			n = n*10 + int(c-'0')
		}
		return model.KnownFact(n, rng)
	}
	str := func(s string) model.Fact[string] {
		if s == "?" {
			return model.UnknownFact[string](rng)
		}
		return model.KnownFact(s, rng)
	}
	r := &model.ACLRule{Number: num(f[0]), Action: str(f[1]), Protocol: str(f[2]), Range: rng,
		CIDR: model.DefaultFact("", rng), IPv6CIDR: model.DefaultFact("", rng)}
	switch {
	case f[3] == "?":
		r.CIDR = model.UnknownFact[string](rng)
	case strings.Contains(f[3], ":"):
		r.IPv6CIDR = str(f[3])
	default:
		r.CIDR = str(f[3])
	}
	from, to, _ := strings.Cut(f[4], "-")
	r.FromPort, r.ToPort = num(from), num(to)
	return r
}

func TestACLDecide(t *testing.T) {
	sub := peer{prefix: netip.MustParsePrefix("10.0.11.0/24"), name: "subnet"}
	for _, tc := range []struct {
		name   string
		rules  []string
		egress bool
		peer   peer
		ports  portRange
		want   aclResult
		by     string // the number of the rule that denies, "" for the catch-all
	}{
		{"allow all", []string{"100 allow -1 0.0.0.0/0 0-0"}, true, internetPeer(false), httpsPort, aclAllows, ""},
		{"no rules: the catch-all denies", nil, true, internetPeer(false), httpsPort, aclDenies, ""},
		{"deny 443 first", []string{"200 allow -1 0.0.0.0/0 0-0", "100 deny tcp 0.0.0.0/0 443-443"}, true, internetPeer(false), httpsPort, aclDenies, "100"},
		{"allow first, deny after", []string{"100 allow tcp 0.0.0.0/0 443-443", "200 deny -1 0.0.0.0/0 0-0"}, true, internetPeer(false), httpsPort, aclAllows, ""},
		{"a narrower public deny first: unknown", []string{"90 deny tcp 52.0.0.0/8 443-443", "100 allow -1 0.0.0.0/0 0-0"}, true, internetPeer(false), httpsPort, aclUnknown, ""},
		{"a private deny first cannot match the internet", []string{"90 deny -1 10.0.0.0/8 0-0", "100 allow -1 0.0.0.0/0 0-0"}, true, internetPeer(false), httpsPort, aclAllows, ""},
		{"a narrower allow before allow all", []string{"90 allow tcp 52.0.0.0/8 443-443", "100 allow -1 0.0.0.0/0 0-0"}, true, internetPeer(false), httpsPort, aclAllows, ""},
		{"a narrower allow before the catch-all: unknown", []string{"90 allow tcp 52.0.0.0/8 443-443"}, true, internetPeer(false), httpsPort, aclUnknown, ""},
		{"a narrower deny before deny all", []string{"90 deny tcp 52.0.0.0/8 443-443", "100 deny -1 0.0.0.0/0 0-0"}, true, internetPeer(false), httpsPort, aclDenies, "100"},
		{"Linux replies, all ephemeral ports allowed", []string{"100 allow tcp 0.0.0.0/0 1024-65535"}, false, internetPeer(false), linuxPorts, aclAllows, ""},
		{"Linux replies, Windows' range only", []string{"100 allow tcp 0.0.0.0/0 49152-65535"}, false, internetPeer(false), linuxPorts, aclPartly, ""},
		{"Linux replies, only 443 in", []string{"100 allow tcp 0.0.0.0/0 443-443"}, false, internetPeer(false), linuxPorts, aclDenies, ""},
		{"Linux replies, a deny in the middle", []string{"90 deny tcp 0.0.0.0/0 40000-40010", "100 allow -1 0.0.0.0/0 0-0"}, false, internetPeer(false), linuxPorts, aclPartly, ""},
		{"NAT replies, a few service ports only", []string{"100 allow tcp 0.0.0.0/0 3389-3389", "110 allow tcp 0.0.0.0/0 8080-8080"}, false, internetPeer(false), natPorts, aclDenies, ""},
		{"Linux replies, 1% of the ports", []string{"100 allow tcp 0.0.0.0/0 32768-33050"}, false, internetPeer(false), linuxPorts, aclPartly, ""},
		{"UDP does not carry TCP", []string{"100 allow udp 0.0.0.0/0 0-65535"}, true, internetPeer(false), httpsPort, aclDenies, ""},
		{"protocol by number", []string{"100 allow 6 0.0.0.0/0 443-443"}, true, internetPeer(false), httpsPort, aclAllows, ""},
		{"protocol all ignores ports", []string{"100 allow all 0.0.0.0/0 0-0"}, false, internetPeer(false), linuxPorts, aclAllows, ""},
		{"unknown protocol", []string{"100 allow ? 0.0.0.0/0 443-443"}, true, internetPeer(false), httpsPort, aclUnknown, ""},
		{"unknown action", []string{"100 ? -1 0.0.0.0/0 0-0"}, true, internetPeer(false), httpsPort, aclUnknown, ""},
		{"unknown rule number", []string{"? deny -1 0.0.0.0/0 0-0", "100 allow -1 0.0.0.0/0 0-0"}, true, internetPeer(false), httpsPort, aclUnknown, ""},
		{"unknown range", []string{"90 deny -1 ? 0-0", "100 allow -1 0.0.0.0/0 0-0"}, true, internetPeer(false), httpsPort, aclUnknown, ""},
		{"IPv6 traffic meets IPv4 rules only", []string{"100 allow -1 0.0.0.0/0 0-0"}, true, internetPeer(true), httpsPort, aclDenies, ""},
		{"IPv6 allow all", []string{"100 allow -1 0.0.0.0/0 0-0", "101 allow -1 ::/0 0-0"}, true, internetPeer(true), httpsPort, aclAllows, ""},
		{"IPv6 unique local deny first", []string{"90 deny -1 fd00::/8 0-0", "101 allow -1 ::/0 0-0"}, true, internetPeer(true), httpsPort, aclAllows, ""},
		{"NAT64 prefix held", []string{"100 allow tcp 64:ff9b::/96 443-443"}, true, peer{v6: true, prefix: nat64Prefix}, httpsPort, aclAllows, ""},
		{"subnet within the VPC range", []string{"100 allow tcp 10.0.0.0/16 443-443"}, false, sub, httpsPort, aclAllows, ""},
		{"half the subnet", []string{"100 allow tcp 10.0.11.128/25 443-443"}, false, sub, httpsPort, aclUnknown, ""},
		{"another subnet's range", []string{"100 allow tcp 10.0.12.0/24 443-443"}, false, sub, httpsPort, aclDenies, ""},
		{"a subnet of unknown range", []string{"100 allow tcp 10.0.12.0/24 443-443"}, false, peer{unknown: true}, httpsPort, aclUnknown, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acl := &model.NetworkACL{RulesKnown: true}
			for _, spec := range tc.rules {
				r := aclR(t, spec)
				if tc.egress {
					acl.Egress = append(acl.Egress, r)
				} else {
					acl.Ingress = append(acl.Ingress, r)
				}
			}
			if !tc.egress {
				// The other direction's rules must not count.
				acl.Egress = append(acl.Egress, aclR(t, "1 deny -1 0.0.0.0/0 0-0"))
			}
			d := aclCheck{acl: acl, egress: tc.egress, peer: tc.peer, ports: tc.ports}.decide()
			got, by := d.res, d.rule
			if got != tc.want {
				t.Errorf("decide = %v, want %v", got, tc.want)
			}
			gotBy := ""
			if by != nil {
				gotBy = strconv.Itoa(by.Number.V)
			}
			if got == aclDenies && gotBy != tc.by {
				t.Errorf("denied by rule %q, want %q", gotBy, tc.by)
			}
		})
	}
	if r := (aclCheck{acl: &model.NetworkACL{}, egress: true, peer: internetPeer(false), ports: httpsPort}).decide().res; r != aclUnknown {
		t.Errorf("rules not known: %v, want unknown", r)
	}
}

// referenceDecide is the per-port evaluation of the VPC User Guide, for a
// peer of one address: sort, first match decides, else deny.
func referenceDecide(rules []*model.ACLRule, addr netip.Addr, ports portRange) aclResult {
	sorted := append([]*model.ACLRule(nil), rules...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Number.V < sorted[j].Number.V })
	var res []aclResult
	for port := ports.lo; port <= ports.hi; port++ {
		r := aclDenies
		for _, rule := range sorted {
			cidr := rule.CIDR.V
			if addr.Is6() {
				cidr = rule.IPv6CIDR.V
			}
			p, err := netip.ParsePrefix(cidr)
			if cidr == "" || err != nil || !p.Contains(addr) {
				continue
			}
			proto := strings.ToLower(rule.Protocol.V)
			all := proto == "-1" || proto == "all"
			if !all && proto != "tcp" && proto != "6" {
				continue
			}
			if !all && (port < rule.FromPort.V || port > rule.ToPort.V) {
				continue
			}
			if rule.Action.V == "allow" {
				r = aclAllows
			}
			break
		}
		res = append(res, r)
	}
	out := combineACL(res)
	if out == aclPartly {
		allowed := 0
		for _, r := range res {
			if r == aclAllows {
				allowed++
			}
		}
		if allowed*sparse < len(res) {
			out = aclDenies
		}
	}
	return out
}

// FuzzACLDecide checks the segment evaluation against the per-port one,
// for rules and a peer that are all known.
func FuzzACLDecide(f *testing.F) {
	f.Add([]byte{100, 1, 0, 10, 0, 0, 0, 8, 1, 187, 1, 187}, uint16(32768), uint16(33000), uint32(0x0a000b05))
	f.Add([]byte{50, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 60, 1, 0, 52, 0, 0, 0, 8, 4, 0, 255, 255}, uint16(1000), uint16(2200), uint32(0x34010203))
	f.Fuzz(func(t *testing.T, data []byte, lo, hi uint16, addr uint32) {
		if hi < lo || int(hi)-int(lo) > 3000 {
			return
		}
		var rules []*model.ACLRule
		rng := hcl.Range{Filename: "acl.tf"}
		for i := 0; i+12 <= len(data) && len(rules) < 8; i += 12 {
			b := data[i : i+12]
			action := "deny"
			if b[1]%2 == 1 {
				action = "allow"
			}
			proto := []string{"-1", "tcp", "udp", "6", "all"}[int(b[2])%5]
			bits := int(b[7]) % 33
			prefix := netip.PrefixFrom(netip.AddrFrom4([4]byte{b[3], b[4], b[5], b[6]}), bits).Masked()
			from := int(b[8])<<8 | int(b[9])
			to := int(b[10])<<8 | int(b[11])
			rules = append(rules, &model.ACLRule{
				Number: model.KnownFact(int(b[0]), rng), Action: model.KnownFact(action, rng),
				Protocol: model.KnownFact(proto, rng), FromPort: model.KnownFact(from, rng), ToPort: model.KnownFact(to, rng),
				CIDR: model.KnownFact(prefix.String(), rng), IPv6CIDR: model.DefaultFact("", rng), Range: rng,
			})
		}
		a := netip.AddrFrom4([4]byte{byte(addr >> 24), byte(addr >> 16), byte(addr >> 8), byte(addr)})
		ports := portRange{int(lo), int(hi)}
		acl := &model.NetworkACL{Egress: rules, RulesKnown: true}
		got := aclCheck{acl: acl, egress: true, peer: peer{prefix: netip.PrefixFrom(a, 32)}, ports: ports}.decide().res
		if want := referenceDecide(rules, a, ports); got != want {
			t.Fatalf("decide = %v, per port %v (rules %d, ports %v, addr %v)", got, want, len(rules), ports, a)
		}
	})
}
