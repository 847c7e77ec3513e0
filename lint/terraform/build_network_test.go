package terraform

import (
	"testing"

	"github.com/canpull/canpull/lint/model"
)

// Adapter tests for the network: source in, model out, with line numbers.

func lookup[T model.Object](t *testing.T, cfg *model.Config, addr string) T {
	t.Helper()
	o, ok := cfg.Lookup(addr).(T)
	if !ok {
		t.Fatalf("%s: not in the model (got %T)", addr, cfg.Lookup(addr))
	}
	return o
}

func TestEndpointsAndAssociations(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf": `
resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_security_group" "ep" {
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_endpoint" "ecr_dkr" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.eu-west-1.ecr.dkr"
}

resource "aws_vpc_endpoint_subnet_association" "a" {
  vpc_endpoint_id = aws_vpc_endpoint.ecr_dkr.id
  subnet_id       = aws_subnet.a.id
}

resource "aws_vpc_endpoint_security_group_association" "ep" {
  vpc_endpoint_id   = aws_vpc_endpoint.ecr_dkr.id
  security_group_id = aws_security_group.ep.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.main.id
  service_name    = "com.amazonaws.eu-west-1.s3"
  route_table_ids = [aws_vpc.main.main_route_table_id]
}
`}, Options{})
	vpc := lookup[*model.VPC](t, cfg, "aws_vpc.main")
	if !vpc.EnableDNSSupport.Known || !vpc.EnableDNSSupport.V || vpc.EnableDNSSupport.Set {
		t.Errorf("enable_dns_support default: %+v", vpc.EnableDNSSupport)
	}
	if !vpc.EnableDNSHostnames.V || vpc.EnableDNSHostnames.Range.Start.Line != 4 {
		t.Errorf("enable_dns_hostnames: %+v", vpc.EnableDNSHostnames)
	}
	e := lookup[*model.VPCEndpoint](t, cfg, "aws_vpc_endpoint.ecr_dkr")
	if e.Type.V != "Gateway" || e.Type.Set || e.PrivateDNS.V || e.PrivateDNS.Set {
		t.Errorf("defaults: type %+v, private DNS %+v", e.Type, e.PrivateDNS)
	}
	if e.PrivateDNS.Range.Start.Line != 16 {
		t.Errorf("private_dns_enabled left out: range line %d, want the header, 16", e.PrivateDNS.Range.Start.Line)
	}
	if !e.Subnets.Known || len(e.Subnets.Items) != 1 || e.Subnets.Items[0].Addr != "aws_subnet.a" || e.Subnets.Range.Start.Line != 21 {
		t.Errorf("subnets from the association: %+v", e.Subnets)
	}
	if len(e.SecurityGroups.Items) != 1 || e.SecurityGroups.Items[0].Addr != "aws_security_group.ep" {
		t.Errorf("groups from the association: %+v", e.SecurityGroups)
	}
	s3 := lookup[*model.VPCEndpoint](t, cfg, "aws_vpc_endpoint.s3")
	if len(s3.RouteTables.Items) != 1 || s3.RouteTables.Items[0].Addr != "aws_vpc.main.main_route_table" {
		t.Errorf("route table by main_route_table_id: %+v", s3.RouteTables)
	}
	if vpc.MainRouteTable.Addr != "aws_vpc.main.main_route_table" {
		t.Errorf("the VPC's main table: %+v", vpc.MainRouteTable)
	}
}

func TestEndpointAssociationUnknown(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf": `
variable "endpoint" { type = string }

resource "aws_vpc_endpoint" "ecr_api" {
  vpc_id       = "vpc-0123"
  service_name = "com.amazonaws.eu-west-1.ecr.api"
  subnet_ids   = ["subnet-0123"]
}

resource "aws_vpc_endpoint_subnet_association" "x" {
  vpc_endpoint_id = var.endpoint
  subnet_id       = "subnet-0456"
}
`}, Options{})
	e := lookup[*model.VPCEndpoint](t, cfg, "aws_vpc_endpoint.ecr_api")
	if e.Subnets.Known {
		t.Errorf("an association to an unknown endpoint makes every endpoint's subnets unknown: %+v", e.Subnets)
	}
}

func TestSecurityGroups(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf": `
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "app" {
  vpc_id = aws_vpc.main.id
  egress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    prefix_list_ids = [aws_vpc_endpoint.s3.prefix_list_id]
  }
}

resource "aws_security_group" "bare" {
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group_rule" "app_in" {
  type                     = "ingress"
  security_group_id        = aws_security_group.app.id
  protocol                 = "tcp"
  from_port                = 8080
  to_port                  = 8080
  source_security_group_id = aws_vpc.main.default_security_group_id
}

resource "aws_vpc_security_group_egress_rule" "default_out" {
  security_group_id            = aws_vpc.main.default_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.app.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.eu-west-1.s3"
}

resource "aws_ecs_service" "app" {
  name = "app"
  network_configuration {
    subnets         = ["subnet-0123"]
    security_groups = [aws_security_group.app.id, aws_vpc.main.default_security_group_id]
  }
}
`}, Options{})
	app := lookup[*model.SecurityGroup](t, cfg, "aws_security_group.app")
	if len(app.Egress) != 1 || len(app.Ingress) != 1 || !app.RulesKnown {
		t.Fatalf("app rules: %d egress, %d ingress, known %v", len(app.Egress), len(app.Ingress), app.RulesKnown)
	}
	eg := app.Egress[0]
	if eg.Protocol.V != "tcp" || eg.FromPort.V != 443 || eg.ToPort.V != 443 || eg.Range.Start.Line != 8 {
		t.Errorf("inline egress: %+v", eg)
	}
	if len(eg.PrefixLists.Items) != 1 || eg.PrefixLists.Items[0].Addr != "aws_vpc_endpoint.s3" {
		t.Errorf("prefix list of the S3 endpoint: %+v", eg.PrefixLists)
	}
	in := app.Ingress[0]
	if len(in.Groups.Items) != 1 || in.Groups.Items[0].Addr != "aws_vpc.main.default_security_group" || in.Range.Start.Line != 20 {
		t.Errorf("ingress from the default group: %+v", in)
	}
	bare := lookup[*model.SecurityGroup](t, cfg, "aws_security_group.bare")
	if len(bare.Egress) != 0 || !bare.RulesKnown {
		t.Errorf("a managed group without egress has none: %+v", bare.Egress)
	}
	def := lookup[*model.SecurityGroup](t, cfg, "aws_vpc.main.default_security_group")
	if !def.Implicit || !def.IsDefault || def.Range.Start.Line != 2 {
		t.Errorf("implicit default group: %+v", def.Meta)
	}
	if len(def.Ingress) != 1 || !def.Ingress[0].Self || len(def.Egress) != 2 {
		t.Fatalf("AWS's default rules plus the attached one: %d ingress, %d egress", len(def.Ingress), len(def.Egress))
	}
	if got := def.Egress[0].CIDRs.V; len(got) != 1 || got[0] != "0.0.0.0/0" {
		t.Errorf("AWS's default egress: %v", got)
	}
	if def.Egress[1].Groups.Items[0].Addr != "aws_security_group.app" || def.Egress[1].Range.Start.Line != 29 {
		t.Errorf("attached egress rule: %+v", def.Egress[1])
	}
	svc := cfg.Services[0]
	if got := svc.Network.SecurityGroups.Items; len(got) != 2 || got[1].Addr != "aws_vpc.main.default_security_group" {
		t.Errorf("service groups: %+v", got)
	}
}

func TestDefaultSecurityGroupManaged(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf": `
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_default_security_group" "default" {
  vpc_id = aws_vpc.main.id
}

resource "aws_default_vpc" "default" {}
`}, Options{})
	vpc := lookup[*model.VPC](t, cfg, "aws_vpc.main")
	if vpc.DefaultSecurityGroup.Addr != "aws_default_security_group.default" {
		t.Errorf("managed default group: %+v", vpc.DefaultSecurityGroup)
	}
	g := lookup[*model.SecurityGroup](t, cfg, "aws_default_security_group.default")
	if g.Implicit || len(g.Ingress)+len(g.Egress) != 0 {
		t.Errorf("Terraform empties a managed default group: %+v", g)
	}
	dv := lookup[*model.VPC](t, cfg, "aws_default_vpc.default")
	if !dv.Default || !dv.DefaultSecurityGroup.IsZero() {
		t.Errorf("the default VPC's group is unknown: %+v", dv)
	}
	if cfg.Lookup("aws_default_vpc.default.default_security_group") != nil {
		t.Errorf("no implicit group for the default VPC")
	}
}

func TestNATAndRoutes(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf": `
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_nat_gateway" "private" {
  connectivity_type = "private"
  subnet_id         = aws_subnet.a.id
}

resource "aws_nat_gateway" "public" {
  subnet_id = aws_subnet.a.id
}

resource "aws_route" "main_default" {
  route_table_id         = aws_vpc.main.main_route_table_id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.public.id
}

resource "aws_route" "v6" {
  route_table_id              = aws_vpc.main.main_route_table_id
  destination_ipv6_cidr_block = "::/0"
  egress_only_gateway_id      = aws_egress_only_internet_gateway.v6.id
}

resource "aws_egress_only_internet_gateway" "v6" {
  vpc_id = aws_vpc.main.id
}
`}, Options{})
	priv := lookup[*model.NATGateway](t, cfg, "aws_nat_gateway.private")
	if priv.ConnectivityType.V != "private" || priv.ConnectivityType.Range.Start.Line != 12 || priv.Subnet.Addr != "aws_subnet.a" {
		t.Errorf("private NAT: %+v", priv)
	}
	pub := lookup[*model.NATGateway](t, cfg, "aws_nat_gateway.public")
	if pub.ConnectivityType.V != "public" || pub.ConnectivityType.Set {
		t.Errorf("public NAT default: %+v", pub.ConnectivityType)
	}
	main := lookup[*model.RouteTable](t, cfg, "aws_vpc.main.main_route_table")
	if len(main.Routes) != 2 || !main.RoutesKnown {
		t.Fatalf("main table routes: %+v", main.Routes)
	}
	r := main.Routes[0]
	if r.TargetKind != model.TargetNATGateway || r.Target.Addr != "aws_nat_gateway.public" || r.Range.Start.Line != 20 {
		t.Errorf("default route: %+v", r)
	}
	if v6 := main.Routes[1]; !v6.IPv6 || v6.Destination.V != "::/0" || v6.TargetKind != model.TargetEgressOnlyInternetGateway {
		t.Errorf("IPv6 route: %+v", v6)
	}
}

func TestUnknownMainTable(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf": `
variable "vpc" { type = string }

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_main_route_table_association" "x" {
  vpc_id         = var.vpc
  route_table_id = "rtb-0123"
}
`}, Options{})
	vpc := lookup[*model.VPC](t, cfg, "aws_vpc.main")
	if vpc.MainRouteTable.IsZero() || vpc.MainRouteTable.Known {
		t.Errorf("a main table association of an unknown VPC makes every VPC's main table unknown: %+v", vpc.MainRouteTable)
	}
}

func TestRoutePropagation(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf": `
resource "aws_route_table" "static" {
  vpc_id = "vpc-0123"
}

resource "aws_route_table" "vgw" {
  vpc_id           = "vpc-0123"
  propagating_vgws = ["vgw-0123"]
}

resource "aws_route_table" "none" {
  vpc_id           = "vpc-0123"
  propagating_vgws = []
}

resource "aws_vpn_gateway_route_propagation" "static" {
  vpn_gateway_id = "vgw-0123"
  route_table_id = aws_route_table.static.id
}
`}, Options{})
	for addr, want := range map[string]bool{"aws_route_table.static": true, "aws_route_table.vgw": true, "aws_route_table.none": false} {
		if got := lookup[*model.RouteTable](t, cfg, addr).Propagates; got != want {
			t.Errorf("%s: Propagates = %v, want %v", addr, got, want)
		}
	}
}
