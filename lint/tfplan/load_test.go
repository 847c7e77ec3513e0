package tfplan

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/model"
)

// Adapter tests: a real plan in (the fixtures scripts/gen-plans made), the
// model out, with the lines of the plan every fact points at. The lines
// are found from the text around them, so that a regenerated plan still
// tests the same thing.

type planFile struct {
	name string
	src  []byte
	res  *Result
}

func loadFixture(t *testing.T, dir string) *planFile {
	t.Helper()
	name := "../../fixtures/" + dir + "/plan.json"
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	res := Load(name, src, Options{})
	if res.Config == nil {
		t.Fatalf("no model: %v", res.Diags)
	}
	return &planFile{name: name, src: src, res: res}
}

// line returns the line of the first occurrence of needle after the first
// occurrence of each of the anchors, in turn.
func (pf *planFile) line(t *testing.T, needle string, anchors ...string) int {
	t.Helper()
	off := 0
	for _, a := range append(anchors, needle) {
		i := bytes.Index(pf.src[off:], []byte(a))
		if i < 0 {
			t.Fatalf("%q not found in %s (after %q)", a, pf.name, anchors)
		}
		off += i
	}
	return bytes.Count(pf.src[:off], []byte("\n")) + 1
}

func wantLine(t *testing.T, what string, r hcl.Range, line int) {
	t.Helper()
	if r.Start.Line != line {
		t.Errorf("%s points at line %d, want %d", what, r.Start.Line, line)
	}
}

func lookup[T model.Object](t *testing.T, cfg *model.Config, addr string) T {
	t.Helper()
	o, ok := cfg.Lookup(addr).(T)
	if !ok {
		t.Fatalf("%s is not in the model (or not a %T)", addr, o)
	}
	return o
}

func addrs(rs model.Refs) string {
	var out []string
	for _, r := range rs.Items {
		out = append(out, r.Addr)
	}
	return strings.Join(out, " ")
}

// TestThroughModules: a service of one module whose subnets are another
// module's output, every ID unknown until apply. The configuration section
// leads from the service through var.subnet_ids and module.vpc's output to
// the subnets, from their associations (element(…, count.index)) to the
// route table, and from the policy attachment, whose arguments are all
// unknown (the role has a name prefix), to the role.
func TestThroughModules(t *testing.T) {
	pf := loadFixture(t, "CP203/plan-fires-through-modules")
	cfg := pf.res.Config
	const svcAddr = "module.ecs_service.aws_ecs_service.this[0]"
	svc := lookup[*model.Service](t, cfg, svcAddr)
	wantLine(t, "the service", svc.Range, pf.line(t, `"address": "`+svcAddr+`"`))
	if svc.Network == nil {
		t.Fatal("the service has no network configuration")
	}
	if got, want := addrs(svc.Network.Subnets), "module.vpc.aws_subnet.public[0] module.vpc.aws_subnet.public[1]"; !svc.Network.Subnets.AllKnown() || got != want {
		t.Errorf("subnets = %q (known %v), want %q", got, svc.Network.Subnets.AllKnown(), want)
	}
	// The subnets point where the configuration names them.
	wantLine(t, "the subnets", svc.Network.Subnets.Items[0].Range,
		pf.line(t, `"subnets": {`, `"configuration"`, `"address": "aws_ecs_service.this"`))
	ip := svc.Network.AssignPublicIP
	if !ip.Known || !ip.Set || ip.V {
		t.Errorf("assign_public_ip = %+v, want a known false that was written", ip)
	}
	wantLine(t, "assign_public_ip", ip.Range, pf.line(t, `"assign_public_ip": false`, `"address": "`+svcAddr+`"`))
	if svc.PlatformVersion.Set || svc.PlatformVersion.V != "LATEST" {
		t.Errorf("platform version = %+v; not written, it is the default, not the plan's unknown", svc.PlatformVersion)
	}

	for i := range 2 {
		addr := fmt.Sprintf("module.vpc.aws_subnet.public[%d]", i)
		s := lookup[*model.Subnet](t, cfg, addr)
		if s.RouteTable.Addr != "module.vpc.aws_route_table.public[0]" {
			t.Errorf("%s: route table %+v", addr, s.RouteTable)
		}
		if s.VPC.Addr != "module.vpc.aws_vpc.this[0]" {
			t.Errorf("%s: VPC %+v", addr, s.VPC)
		}
	}
	rt := lookup[*model.RouteTable](t, cfg, "module.vpc.aws_route_table.public[0]")
	if len(rt.Routes) != 1 || rt.Routes[0].Target.Addr != "module.vpc.aws_internet_gateway.this[0]" ||
		rt.Routes[0].TargetKind != model.TargetInternetGateway || rt.Routes[0].Destination.V != "0.0.0.0/0" {
		t.Errorf("routes = %+v", rt.Routes)
	}

	td := lookup[*model.TaskDefinition](t, cfg, "module.ecs_service.aws_ecs_task_definition.this[0]")
	if td.ExecutionRole.Addr != "module.ecs_service.aws_iam_role.task_exec[0]" {
		t.Errorf("execution role = %+v", td.ExecutionRole)
	}
	if !td.ContainersKnown || len(td.Containers) != 1 || td.Containers[0].Image.V != "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2" {
		t.Errorf("containers = %+v", td.Containers)
	}
	role := lookup[*model.Role](t, cfg, "module.ecs_service.aws_iam_role.task_exec[0]")
	if !role.PoliciesKnown || len(role.Attached.Items) != 1 ||
		role.Attached.Items[0].Value != "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" {
		t.Errorf("role policies = %+v (known %v: %+v)", role.Attached, role.PoliciesKnown, role.PoliciesGap)
	}
	if !cfg.Account.Known || cfg.Account.V != "111122223333" || !cfg.Region.Known || cfg.Region.V != "eu-west-1" {
		t.Errorf("account %+v, region %+v", cfg.Account, cfg.Region)
	}
}

// TestEachValue: route table associations made with for_each over the
// subnets, subnet_id = each.value.id.
func TestEachValue(t *testing.T) {
	pf := loadFixture(t, "CP203/plan-fires-in-module")
	for _, key := range []string{`"a"`, `"b"`} {
		s := lookup[*model.Subnet](t, pf.res.Config, "aws_subnet.public["+key+"]")
		if s.RouteTable.Addr != "aws_route_table.public" {
			t.Errorf("%s: route table %+v", s.Addr, s.RouteTable)
		}
	}
}

// TestErroredPlan: the SSM parameter could not be read, so Terraform did not
// plan the task definition and the service. canpull warns that the plan is
// incomplete, and reads them from the configuration: the service's
// constants are known there, its subnet is a reference to a planned one.
func TestErroredPlan(t *testing.T) {
	pf := loadFixture(t, "CP203/plan-fires-errored")
	if len(pf.res.Diags) != 1 || pf.res.Diags[0].Severity != hcl.DiagWarning || pf.res.Diags[0].Summary != "Incomplete plan" {
		t.Fatalf("diagnostics = %v, want one warning that the plan is incomplete", pf.res.Diags)
	}
	wantLine(t, "the warning", *pf.res.Diags[0].Subject, pf.line(t, `"errored": true`))
	if len(pf.res.Missing) == 0 || !strings.Contains(pf.res.Missing[0].Why, "before it planned 2 of the resources") {
		t.Errorf("missing = %+v", pf.res.Missing)
	}
	cfg := pf.res.Config
	svc := lookup[*model.Service](t, cfg, "aws_ecs_service.app")
	wantLine(t, "the service", svc.Range, pf.line(t, `"address": "aws_ecs_service.app"`, `"configuration"`))
	if ip := svc.Network.AssignPublicIP; !ip.Known || ip.V {
		t.Errorf("assign_public_ip = %+v", ip)
	}
	wantLine(t, "assign_public_ip", svc.Network.AssignPublicIP.Range,
		pf.line(t, `"constant_value": false`, `"address": "aws_ecs_service.app"`, `"assign_public_ip"`))
	if got := addrs(svc.Network.Subnets); got != "aws_subnet.public" {
		t.Errorf("subnets = %q", got)
	}
	if svc.TaskDefinition.Addr != "aws_ecs_task_definition.app" {
		t.Errorf("task definition = %+v", svc.TaskDefinition)
	}
	td := lookup[*model.TaskDefinition](t, cfg, "aws_ecs_task_definition.app")
	if td.ContainersKnown {
		t.Error("the containers need the SSM parameter: they are unknown")
	}
	if !td.Family.Known || td.Family.V != "app" {
		t.Errorf("family = %+v", td.Family)
	}
}

// TestSensitiveContainers: Terraform prints a sensitive
// container_definitions in the plan; canpull takes it for unknown (not for
// empty) and keeps its value out of the model.
func TestSensitiveContainers(t *testing.T) {
	pf := loadFixture(t, "CP301/plan-quiet-sensitive-image")
	if !bytes.Contains(pf.src, []byte("nginx:latest")) {
		t.Fatal("the plan should show the sensitive value, for this test to mean anything")
	}
	td := lookup[*model.TaskDefinition](t, pf.res.Config, "aws_ecs_task_definition.app")
	if td.ContainersKnown || len(td.Containers) != 0 {
		t.Errorf("containers known %v: %+v", td.ContainersKnown, td.Containers)
	}
	wantLine(t, "the containers", td.ContainersRange, pf.line(t, `"container_definitions": true`, `"sensitive_values"`))
	if dump := fmt.Sprintf("%+v %+v", td, pf.res.Missing); strings.Contains(dump, "nginx") {
		t.Errorf("the model holds the sensitive value: %s", dump)
	}
}

// TestExistingNetwork: a plan made against a state in which the network
// exists. The subnets' IDs are known, and the service names its subnet by
// its ID: the ID leads to the aws_subnet, and the associations' IDs to the
// route table.
func TestExistingNetwork(t *testing.T) {
	pf := loadFixture(t, "CP203/plan-fires-existing-network")
	cfg := pf.res.Config
	svc := lookup[*model.Service](t, cfg, "aws_ecs_service.app")
	if got := addrs(svc.Network.Subnets); got != "aws_subnet.public_a" {
		t.Fatalf("subnets = %q", got)
	}
	// The items of a list point at the list, as in source.
	wantLine(t, "the subnet", svc.Network.Subnets.Items[0].Range, pf.line(t, `"subnets": [`, `"address": "aws_ecs_service.app"`))
	for _, addr := range []string{"aws_subnet.public_a", "aws_subnet.public_b"} {
		s := lookup[*model.Subnet](t, cfg, addr)
		if s.RouteTable.Addr != "aws_route_table.public" || s.VPC.Addr != "aws_vpc.main" {
			t.Errorf("%s: route table %+v, VPC %+v", addr, s.RouteTable, s.VPC)
		}
	}
	rt := lookup[*model.RouteTable](t, cfg, "aws_route_table.public")
	if len(rt.Routes) != 1 || rt.Routes[0].Target.Addr != "aws_internet_gateway.main" {
		t.Errorf("routes = %+v", rt.Routes)
	}
}

// TestKnownIDs: a VPC's main route table named by its ID.
func TestKnownIDs(t *testing.T) {
	const src = `{
  "format_version": "1.2",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main",
     "values": {"id": "vpc-0123456789abcdef0", "cidr_block": "10.0.0.0/16", "main_route_table_id": "rtb-0aaaaaaaaaaaaaaaa"}},
    {"address": "aws_subnet.a", "mode": "managed", "type": "aws_subnet", "name": "a",
     "values": {"id": "subnet-0123456789abcdef0", "vpc_id": "vpc-0123456789abcdef0", "cidr_block": "10.0.1.0/24"}},
    {"address": "aws_route_table_association.a", "mode": "managed", "type": "aws_route_table_association", "name": "a",
     "values": {"subnet_id": "subnet-0123456789abcdef0", "route_table_id": "rtb-0aaaaaaaaaaaaaaaa"}}
  ]}},
  "configuration": {"root_module": {"resources": [
    {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main", "expressions": {"cidr_block": {}}},
    {"address": "aws_subnet.a", "mode": "managed", "type": "aws_subnet", "name": "a", "expressions": {"vpc_id": {}, "cidr_block": {}}},
    {"address": "aws_route_table_association.a", "mode": "managed", "type": "aws_route_table_association", "name": "a",
     "expressions": {"subnet_id": {}, "route_table_id": {}}}
  ]}}
}`
	res := Load("plan.json", []byte(src), Options{})
	s := lookup[*model.Subnet](t, res.Config, "aws_subnet.a")
	if s.VPC.Addr != "aws_vpc.main" {
		t.Errorf("VPC = %+v", s.VPC)
	}
	// The association names the VPC's main route table by its ID.
	if s.RouteTable.Addr != "aws_vpc.main.main_route_table" {
		t.Errorf("route table = %+v", s.RouteTable)
	}
}

func TestNotAPlan(t *testing.T) {
	for _, tc := range []struct {
		name, src, diag string
	}{
		{"state", `{"format_version": "1.0", "values": {}}`, ""},
		{"format 2", `{"format_version": "2.0", "planned_values": {}}`, "Unsupported plan format"},
		{"format a number", `{"format_version": 1, "planned_values": {}}`, "Invalid plan format version"},
		{"not JSON", `{"format_version": "1.2",`, "Unexpected end of JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := Load("plan.json", []byte(tc.src), Options{})
			if res.Config != nil {
				t.Errorf("a model from %s", tc.src)
			}
			switch {
			case tc.diag == "" && len(res.Diags) > 0:
				t.Errorf("diagnostics %v", res.Diags)
			case tc.diag != "" && (len(res.Diags) != 1 || !strings.Contains(res.Diags[0].Summary, tc.diag)):
				t.Errorf("diagnostics %v, want %q", res.Diags, tc.diag)
			}
		})
	}
}

// TestEC2CapacityLinks: the IDs and ARNs of a capacity provider's Auto
// Scaling group, its launch template, the template's instance profile and
// security groups are unknown until apply, and some sit in nested blocks
// (launch_template { id }, iam_instance_profile { arn }): the
// configuration section still leads from the service to the instances'
// role, as source evaluation does (CP107 and the network rules on the
// instances need each link).
func TestEC2CapacityLinks(t *testing.T) {
	pf := loadFixture(t, "CP107/plan-fires-role-without-ecr")
	cfg := pf.res.Config
	cp := lookup[*model.CapacityProvider](t, cfg, "aws_ecs_capacity_provider.ec2")
	if cp.AutoScalingGroup.Addr != "aws_autoscaling_group.ecs" {
		t.Errorf("capacity provider's group: %+v", cp.AutoScalingGroup)
	}
	asg := lookup[*model.AutoScalingGroup](t, cfg, "aws_autoscaling_group.ecs")
	if len(asg.LaunchTemplates) != 1 || asg.LaunchTemplates[0].Addr != "aws_launch_template.ecs" {
		t.Errorf("group's launch templates: %+v", asg.LaunchTemplates)
	}
	if got := addrs(asg.Subnets); got != "aws_subnet.private_a" {
		t.Errorf("group's subnets (vpc_zone_identifier): %q", got)
	}
	lt := lookup[*model.LaunchTemplate](t, cfg, "aws_launch_template.ecs")
	if lt.InstanceProfile.Addr != "aws_iam_instance_profile.instance" {
		t.Errorf("launch template's instance profile: %+v", lt.InstanceProfile)
	}
	if got := addrs(lt.SecurityGroups); got != "aws_security_group.instances" {
		t.Errorf("launch template's security groups: %q", got)
	}
}
