package terraform

import (
	"testing"

	"github.com/canpull/canpull/lint/model"
)

// Adapter tests for network ACLs, DHCP options and the IPv6 facts of
// subnets: source in, model out, with line numbers.

func TestNetworkACLs(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf": `
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_subnet" "b" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.2.0/24"
}

resource "aws_subnet" "c" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.3.0/24"
}

resource "aws_network_acl" "private" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = [aws_subnet.a.id]

  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "0.0.0.0/0"
    from_port  = 443
    to_port    = 443
  }
}

resource "aws_network_acl_rule" "in" {
  network_acl_id = aws_network_acl.private.id
  rule_number    = 200
  rule_action    = "allow"
  protocol       = "6"
  cidr_block     = "0.0.0.0/0"
  from_port      = 1024
  to_port        = 65535
}

resource "aws_network_acl_association" "b" {
  network_acl_id = aws_network_acl.private.id
  subnet_id      = aws_subnet.b.id
}

resource "aws_network_acl_rule" "default_deny" {
  network_acl_id = aws_vpc.main.default_network_acl_id
  egress         = true
  rule_number    = 50
  rule_action    = "deny"
  protocol       = "-1"
  cidr_block     = "192.0.2.0/24"
}
`}, Options{})
	acl := lookup[*model.NetworkACL](t, cfg, "aws_network_acl.private")
	// Inline rules and a separate rule overwrite each other: unknown, but
	// both are read.
	if acl.RulesKnown || len(acl.Egress) != 1 || len(acl.Ingress) != 1 {
		t.Fatalf("rules: known %v, %d egress, %d ingress", acl.RulesKnown, len(acl.Egress), len(acl.Ingress))
	}
	e := acl.Egress[0]
	if e.Number.V != 100 || e.Action.V != "allow" || e.Protocol.V != "tcp" || e.CIDR.V != "0.0.0.0/0" ||
		e.FromPort.V != 443 || e.ToPort.V != 443 || e.Range.Start.Line != 25 {
		t.Errorf("inline egress rule: %+v", e)
	}
	in := acl.Ingress[0]
	if in.Number.V != 200 || in.Protocol.V != "6" || in.FromPort.V != 1024 || in.ToPort.V != 65535 || in.Range.Start.Line != 35 {
		t.Errorf("aws_network_acl_rule (egress left out: inbound): %+v", in)
	}
	for _, tc := range []struct{ subnet, acl string }{
		{"aws_subnet.a", "aws_network_acl.private"}, {"aws_subnet.b", "aws_network_acl.private"}, {"aws_subnet.c", ""},
	} {
		s := lookup[*model.Subnet](t, cfg, tc.subnet)
		if s.NetworkACL.Addr != tc.acl || (tc.acl == "") != s.NetworkACL.IsZero() {
			t.Errorf("%s: network ACL %+v, want %q", tc.subnet, s.NetworkACL, tc.acl)
		}
	}
	vpc := lookup[*model.VPC](t, cfg, "aws_vpc.main")
	def := lookup[*model.NetworkACL](t, cfg, vpc.DefaultNetworkACL.Addr)
	if !def.Implicit || !def.IsDefault || len(def.Ingress) != 2 || len(def.Egress) != 3 {
		t.Fatalf("implicit default ACL: %+v", def)
	}
	if r := def.Egress[2]; r.Number.V != 50 || r.Action.V != "deny" || r.Range.Start.Line != 50 {
		t.Errorf("rule added to the VPC's default ACL: %+v", r)
	}
}

func TestNetworkACLUnknowns(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf": `
variable "acl" {}
variable "subnet" {}

resource "aws_default_vpc" "default" {}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_default_network_acl" "main" {
  default_network_acl_id = aws_vpc.main.default_network_acl_id
  subnet_ids             = [aws_subnet.a.id]

  ingress {
    protocol   = -1
    rule_no    = 100
    action     = "allow"
    cidr_block = aws_vpc.main.cidr_block
    from_port  = 0
    to_port    = 0
  }
}

resource "aws_network_acl_rule" "any" {
  network_acl_id = var.acl
  rule_number    = 10
  rule_action    = "deny"
  protocol       = "-1"
  cidr_block     = "0.0.0.0/0"
}

resource "aws_network_acl_association" "any" {
  network_acl_id = aws_default_network_acl.main.id
  subnet_id      = var.subnet
}
`}, Options{})
	acl := lookup[*model.NetworkACL](t, cfg, "aws_default_network_acl.main")
	if acl.RulesKnown {
		t.Errorf("a rule of an unknown ACL may be this one's: rules known")
	}
	if !acl.IsDefault || acl.Implicit || len(acl.Egress) != 0 || len(acl.Ingress) != 1 {
		t.Errorf("managed default ACL: %+v", acl)
	}
	if r := acl.Ingress[0]; r.Protocol.V != "-1" || !r.CIDR.Known || r.CIDR.V != "10.0.0.0/16" {
		t.Errorf("ingress rule: %+v", r)
	}
	vpc := lookup[*model.VPC](t, cfg, "aws_vpc.main")
	if vpc.DefaultNetworkACL.Addr != "aws_default_network_acl.main" {
		t.Errorf("default ACL of the VPC: %+v", vpc.DefaultNetworkACL)
	}
	if s := lookup[*model.Subnet](t, cfg, "aws_subnet.a"); s.NetworkACL.Addr != "aws_default_network_acl.main" {
		t.Errorf("subnet a: %+v", s.NetworkACL)
	}
	dv := lookup[*model.VPC](t, cfg, "aws_default_vpc.default")
	if dv.DefaultNetworkACL.IsZero() || dv.DefaultNetworkACL.Known {
		t.Errorf("the default VPC's default ACL is unknown: %+v", dv.DefaultNetworkACL)
	}
	if dv.DHCPOptions.IsZero() || dv.DHCPOptions.Known {
		t.Errorf("the default VPC's DHCP options are unknown: %+v", dv.DHCPOptions)
	}
}

func TestUnknownACLAssociation(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf": `
variable "subnet" {}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_network_acl" "x" {
  vpc_id = aws_vpc.main.id
}

resource "aws_network_acl_association" "x" {
  network_acl_id = aws_network_acl.x.id
  subnet_id      = var.subnet
}
`}, Options{})
	s := lookup[*model.Subnet](t, cfg, "aws_subnet.a")
	if s.NetworkACL.IsZero() || s.NetworkACL.Known {
		t.Errorf("an association with an unknown subnet may be a's: %+v", s.NetworkACL)
	}
	acl := lookup[*model.NetworkACL](t, cfg, "aws_network_acl.x")
	if !acl.RulesKnown || len(acl.Ingress)+len(acl.Egress) != 0 {
		t.Errorf("an ACL without rules denies all: %+v", acl)
	}
}

func TestDHCPOptionsAndIPv6(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf": `
resource "aws_vpc" "main" {
  cidr_block                       = "10.0.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_vpc_dhcp_options" "corp" {
  domain_name_servers = ["10.20.0.10", "10.20.0.11"]
}

resource "aws_vpc_dhcp_options_association" "main" {
  vpc_id          = aws_vpc.main.id
  dhcp_options_id = aws_vpc_dhcp_options.corp.id
}

resource "aws_subnet" "v6" {
  vpc_id                          = aws_vpc.main.id
  ipv6_native                     = true
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
  assign_ipv6_address_on_creation = true
  enable_dns64                    = true
}

resource "aws_subnet" "dual" {
  vpc_id          = aws_vpc.main.id
  cidr_block      = "10.0.1.0/24"
  ipv6_cidr_block = "2600:1f18:1:2::/64"
}

resource "aws_vpc_endpoint" "ecr" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.eu-west-1.ecr.dkr"
  vpc_endpoint_type = "Interface"
  ip_address_type   = "dualstack"
}
`}, Options{})
	vpc := lookup[*model.VPC](t, cfg, "aws_vpc.main")
	if vpc.DHCPOptions.Addr != "aws_vpc_dhcp_options.corp" || vpc.DHCPOptions.Range.Start.Line != 11 {
		t.Errorf("DHCP options: %+v", vpc.DHCPOptions)
	}
	d := lookup[*model.DHCPOptions](t, cfg, "aws_vpc_dhcp_options.corp")
	if !d.DomainNameServers.Known || len(d.DomainNameServers.V) != 2 || d.DomainNameServers.Range.Start.Line != 8 {
		t.Errorf("name servers: %+v", d.DomainNameServers)
	}
	v6 := lookup[*model.Subnet](t, cfg, "aws_subnet.v6")
	if !v6.IPv6Native.V || !v6.EnableDNS64.V || !v6.AssignIPv6OnCreation.V || v6.CIDR.Set ||
		!v6.IPv6CIDR.Set || v6.IPv6CIDR.Known {
		t.Errorf("IPv6-only subnet: native %+v, dns64 %+v, cidr %+v, ipv6 %+v", v6.IPv6Native, v6.EnableDNS64, v6.CIDR, v6.IPv6CIDR)
	}
	dual := lookup[*model.Subnet](t, cfg, "aws_subnet.dual")
	if dual.IPv6Native.V || dual.IPv6Native.Set || dual.IPv6CIDR.V != "2600:1f18:1:2::/64" || dual.EnableDNS64.V {
		t.Errorf("dual-stack subnet: %+v %+v", dual.IPv6Native, dual.IPv6CIDR)
	}
	if e := lookup[*model.VPCEndpoint](t, cfg, "aws_vpc_endpoint.ecr"); e.IPAddressType.V != "dualstack" {
		t.Errorf("ip_address_type: %+v", e.IPAddressType)
	}
}

func TestNetworkACLRuleConflicts(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf": `
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_network_acl" "inline" {
  vpc_id = aws_vpc.main.id

  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
}

resource "aws_network_acl" "separate" {
  vpc_id = aws_vpc.main.id
}

resource "aws_network_acl_rule" "inline" {
  network_acl_id = aws_network_acl.inline.id
  rule_number    = 200
  rule_action    = "deny"
  protocol       = "-1"
  cidr_block     = "0.0.0.0/0"
}

resource "aws_network_acl_rule" "separate" {
  network_acl_id = aws_network_acl.separate.id
  rule_number    = 200
  rule_action    = "deny"
  protocol       = "-1"
  cidr_block     = "0.0.0.0/0"
}
`}, Options{})
	if acl := lookup[*model.NetworkACL](t, cfg, "aws_network_acl.inline"); acl.RulesKnown {
		t.Errorf("inline rules and a separate rule overwrite each other: rules known")
	}
	if acl := lookup[*model.NetworkACL](t, cfg, "aws_network_acl.separate"); !acl.RulesKnown || len(acl.Ingress) != 1 {
		t.Errorf("separate rules only: %+v", acl)
	}
}
