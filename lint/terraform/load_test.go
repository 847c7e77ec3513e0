package terraform

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/model"
)

// writeFiles lays out a module tree: name → content.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func load(t *testing.T, files map[string]string, opts Options) (*model.Config, hcl.Diagnostics) {
	t.Helper()
	dir := writeFiles(t, files)
	res, diags := Load(dir, opts)
	return res.Config, diags
}

func mustLoad(t *testing.T, files map[string]string, opts Options) *model.Config {
	t.Helper()
	cfg, diags := load(t, files, opts)
	if diags.HasErrors() {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	return cfg
}

const network = `
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  for_each   = { a = "10.0.1.0/24", b = "10.0.2.0/24" }
  vpc_id     = aws_vpc.main.id
  cidr_block = each.value
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.gw.id
  }
}

resource "aws_route_table_association" "public" {
  for_each       = aws_subnet.public
  subnet_id      = each.value.id
  route_table_id = aws_route_table.public.id
}
`

func TestNetworkReferences(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf": network + `
resource "aws_ecs_service" "app" {
  name = "app"
  network_configuration {
    subnets = values(aws_subnet.public)[*].id
  }
}
`}, Options{})
	if len(cfg.Subnets) != 2 {
		t.Fatalf("subnets: got %d, want 2", len(cfg.Subnets))
	}
	sn := cfg.Subnets[0]
	if sn.Addr != `aws_subnet.public["a"]` || sn.VPC.Addr != "aws_vpc.main" || sn.CIDR.V != "10.0.1.0/24" {
		t.Errorf("subnet a: %+v", sn)
	}
	if sn.RouteTable.Addr != "aws_route_table.public" {
		t.Errorf("subnet a's route table: %+v", sn.RouteTable)
	}
	rt := cfg.RouteTables[0]
	if len(rt.Routes) != 1 || rt.Routes[0].TargetKind != model.TargetInternetGateway ||
		rt.Routes[0].Target.Addr != "aws_internet_gateway.gw" || rt.Routes[0].Destination.V != "0.0.0.0/0" {
		t.Errorf("route: %+v", rt.Routes[0])
	}
	if got := rt.Routes[0].Range.Start.Line; got != 18 {
		t.Errorf("route range line: got %d, want 18", got)
	}
	svc := cfg.Services[0]
	if svc.Network == nil || len(svc.Network.Subnets.Items) != 2 {
		t.Fatalf("service network: %+v", svc.Network)
	}
	if got := svc.Network.Subnets.Items[1].Addr; got != `aws_subnet.public["b"]` {
		t.Errorf("second subnet: got %q", got)
	}
	if got := svc.Network.Subnets.Range.Start.Line; got != 33 {
		t.Errorf("subnets range line: got %d, want 33", got)
	}
	ip := svc.Network.AssignPublicIP
	if !ip.Known || ip.Set || ip.V || ip.Range.Start.Line != 32 {
		t.Errorf("assign_public_ip default: %+v", ip)
	}
}

func TestVariablePrecedence(t *testing.T) {
	files := map[string]string{
		"main.tf": `
variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
variable "d" { default = "default" }
variable "e" { default = "default" }
variable "f" { type = number }
resource "aws_ecs_cluster" "x" {
  name = join(",", [var.a, var.b, var.c, var.d, var.e])
}
resource "aws_ecs_cluster" "y" {
  name = "n${var.f}"
}
`,
		"terraform.tfvars":     "b = \"tfvars\"\nc = \"tfvars\"\nd = \"tfvars\"\ne = \"tfvars\"\n",
		"x.auto.tfvars":        "c = \"auto\"\nd = \"auto\"\ne = \"auto\"\n",
		"extra.tfvars":         "d = \"file\"\ne = \"file\"\n",
		"unrelated/notvars.tf": "",
	}
	dir := writeFiles(t, files)
	res, diags := Load(dir, Options{
		Vars: []VarArg{{File: filepath.Join(dir, "extra.tfvars")}, {Assignment: "e=flag"}},
		Env:  []string{"TF_VAR_a=env", "TF_VAR_b=env", "TF_VAR_f=7"},
	})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	cfg := res.Config
	if got := cfg.Clusters[0].Name.V; got != "env,tfvars,auto,file,flag" {
		t.Errorf("precedence: got %q", got)
	}
	if got := cfg.Clusters[1].Name.V; got != "n7" {
		t.Errorf("number from the environment: got %q", got)
	}
}

func TestUnknownStaysUnknown(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf": `
variable "public" { type = bool }
variable "subnets" { type = list(string) }
data "aws_subnets" "private" {}
resource "aws_ecs_service" "a" {
  network_configuration {
    subnets          = var.subnets
    assign_public_ip = var.public
  }
}
resource "aws_ecs_service" "b" {
  network_configuration {
    subnets = data.aws_subnets.private.ids
  }
}
`}, Options{})
	a, b := cfg.Services[0], cfg.Services[1]
	if a.Network.AssignPublicIP.Known || a.Network.Subnets.Known {
		t.Errorf("variables without values must be unknown: %+v", a.Network)
	}
	if b.Network.Subnets.Known {
		t.Errorf("data sources must be unknown: %+v", b.Network.Subnets)
	}
}

func TestContainerDefinitionRanges(t *testing.T) {
	cfg := mustLoad(t, map[string]string{
		"main.tf": `
resource "aws_ecr_repository" "app" {
  name = "app"
}
locals {
  containers = [{
    name  = "web"
    image = "${aws_ecr_repository.app.repository_url}:1.0"
  }]
}
resource "aws_ecs_task_definition" "enc" {
  family                = "enc"
  container_definitions = jsonencode(local.containers)
}
resource "aws_ecs_task_definition" "file" {
  family                = "file"
  container_definitions = file("${path.module}/defs.json")
}
resource "aws_ecs_task_definition" "heredoc" {
  family                = "heredoc"
  container_definitions = <<EOF
[
  {"name": "h", "image": "nginx:1"}
]
EOF
}
`,
		"defs.json": "[\n  {\n    \"name\": \"f\",\n    \"image\": \"redis:7\"\n  }\n]\n",
	}, Options{})
	byFamily := map[string]*model.TaskDefinition{}
	for _, td := range cfg.TaskDefinitions {
		byFamily[td.Family.V] = td
	}
	enc := byFamily["enc"].Containers[0]
	if enc.Image.Range.Start.Line != 8 || enc.ImageRepository.Addr != "aws_ecr_repository.app" {
		t.Errorf("jsonencode through a local: image %+v, repository %+v", enc.Image, enc.ImageRepository)
	}
	f := byFamily["file"].Containers[0]
	if filepath.Base(f.Image.Range.Filename) != "defs.json" || f.Image.Range.Start.Line != 4 {
		t.Errorf("file(): image range %+v", f.Image.Range)
	}
	h := byFamily["heredoc"].Containers[0]
	if h.Image.V != "nginx:1" || h.Image.Range.Start.Line != 23 {
		t.Errorf("heredoc: image %+v", h.Image)
	}
}

func TestModules(t *testing.T) {
	modulesJSON, _ := json.Marshal(map[string]any{"Modules": []map[string]string{
		{"Key": "net", "Source": "registry.terraform.io/x/net/aws", "Dir": ".terraform/modules/net"},
	}})
	cfg, diags := load(t, map[string]string{
		"main.tf": `
module "net" {
  source = "x/net/aws"
  cidr   = "10.1.0.0/16"
}
module "svc" {
  source   = "./svc"
  for_each = toset(["api", "web"])
  name     = each.key
  subnets  = module.net.subnet_ids
}
module "missing" {
  source = "x/missing/aws"
}
`,
		".terraform/modules/modules.json": string(modulesJSON),
		".terraform/modules/net/main.tf": `
variable "cidr" {}
resource "aws_vpc" "this" { cidr_block = var.cidr }
resource "aws_subnet" "a" {
  count      = 2
  vpc_id     = aws_vpc.this.id
  cidr_block = cidrsubnet(var.cidr, 8, count.index)
}
output "subnet_ids" { value = aws_subnet.a[*].id }
`,
		"svc/main.tf": `
variable "name" {}
variable "subnets" {}
resource "aws_ecs_service" "this" {
  name = var.name
  network_configuration {
    subnets = var.subnets
  }
}
`,
	}, Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if len(cfg.Services) != 2 {
		t.Fatalf("services: got %d, want 2", len(cfg.Services))
	}
	s := cfg.Services[0]
	if s.Addr != `module.svc["api"].aws_ecs_service.this` || s.Name.V != "api" {
		t.Errorf("service: %s %q", s.Addr, s.Name.V)
	}
	if got := s.Network.Subnets.Items[1].Addr; got != "module.net.aws_subnet.a[1]" {
		t.Errorf("subnet through module output: %q", got)
	}
	if got := cfg.Subnets[1].CIDR.V; got != "10.1.1.0/24" {
		t.Errorf("cidrsubnet: %q", got)
	}
	if !cfg.MayLack(model.KindEndpoint) {
		t.Errorf("a module that is not on disk must make the configuration incomplete")
	}
}

func TestBadInputIsReported(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"locals cycle", "locals {\n  a = local.b\n  b = local.a\n}\nresource \"aws_ecs_cluster\" \"x\" { name = local.a }\n", "Cycle"},
		{"huge count", "resource \"aws_ecs_cluster\" \"x\" {\n  count = 100000000\n}\n", "Too many instances"},
		{"file outside", "resource \"aws_ecs_task_definition\" \"x\" {\n  container_definitions = file(\"/etc/passwd\")\n}\n", "outside"},
		{"self call", "module \"me\" {\n  source = \"./\"\n}\n", "Module call cycle"},
		{"deep nesting", "locals {\n  x = " + strings.Repeat("[", 100000) + "\n}\n", "Nested too deeply"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := load(t, map[string]string{"main.tf": tc.src}, Options{})
			if !diags.HasErrors() {
				t.Fatalf("no error reported")
			}
			found := false
			for _, d := range diags {
				if strings.Contains(d.Summary+d.Detail, tc.want) && d.Subject != nil && filepath.Base(d.Subject.Filename) == "main.tf" {
					found = true
				}
			}
			if !found {
				t.Errorf("no error mentioning %q with a range in main.tf: %v", tc.want, diags)
			}
		})
	}
}

func TestPolicyDocument(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf": `
provider "aws" {
  region = "eu-west-1"
  assume_role {
    role_arn = "arn:aws:iam::111122223333:role/deploy"
  }
}
data "aws_caller_identity" "me" {}
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}
resource "aws_iam_role" "exec" {
  name               = "exec-${data.aws_caller_identity.me.account_id}"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
`}, Options{})
	r := cfg.Roles[0]
	if r.Name.V != "exec-111122223333" {
		t.Errorf("account from assume_role: %q", r.Name.V)
	}
	if !strings.Contains(r.AssumeRolePolicy.V, `"Principal":{"Service":["ecs-tasks.amazonaws.com"]}`) {
		t.Errorf("rendered policy: %s", r.AssumeRolePolicy.V)
	}
	if r.ARN.V != "arn:aws:iam::111122223333:role/exec-111122223333" {
		t.Errorf("role ARN: %q", r.ARN.V)
	}
}

func TestJSONConfiguration(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf.json": `{
  "resource": {
    "aws_route_table": {
      "rt": {
        "vpc_id": "vpc-1",
        "route": [{"cidr_block": "0.0.0.0/0", "nat_gateway_id": "${aws_nat_gateway.n.id}"}]
      }
    },
    "aws_nat_gateway": {"n": {"subnet_id": "subnet-1"}}
  }
}`}, Options{})
	rt := cfg.RouteTables[0]
	if len(rt.Routes) != 1 || rt.Routes[0].TargetKind != model.TargetNATGateway {
		t.Fatalf("routes from .tf.json: %+v", rt.Routes)
	}
}

// A function that fails on a root variable's empty default fails on a
// stand-in that CI replaces (consul-ecs's acceptance tests: regex on the
// image's tag, default = ""): no input error, the result is unknown. The
// same call on a value the user wrote is still Terraform's error.
func TestPlaceholderDefaultFailureIsUnknown(t *testing.T) {
	const mod = `
variable "image" { type = string }
locals {
  parts = regex(":.*(\\d+)[.](\\d+)[.](\\d+)", var.image)
}
resource "aws_ecs_cluster" "x" { name = local.parts[0] }
`
	for _, tc := range []struct {
		name, root string
		wantErr    bool
	}{
		{"placeholder default", `
variable "image" {
  type    = string
  default = ""
}
module "m" {
  source = "./m"
  image  = var.image
}`, false},
		{"written value", `
module "m" {
  source = "./m"
  image  = "hashicorp/consul"
}`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := load(t, map[string]string{"main.tf": tc.root, "m/main.tf": mod}, Options{})
			if diags.HasErrors() != tc.wantErr {
				t.Errorf("errors: %v, want errors: %v", diags, tc.wantErr)
			}
		})
	}
}

// A value of the wrong type for a variable is reported where it was
// written, as Terraform reports it: the module argument (the declaration
// may be under .terraform, where the user cannot act), or the tfvars line.
func TestInvalidVariableValueAtTheValue(t *testing.T) {
	files := map[string]string{
		"main.tf": `
variable "groups" {
  type = map(string)
}
module "alb" {
  source        = "./alb"
  target_groups = [{ name = "a" }]
}
resource "aws_ecs_cluster" "x" { name = keys(var.groups)[0] }
`,
		"alb/main.tf": `
variable "target_groups" {
  type = map(object({ name = string }))
}
resource "aws_ecs_cluster" "x" { name = keys(var.target_groups)[0] }
`,
		"terraform.tfvars": "groups = [\"a\"]\n",
	}
	_, diags := load(t, files, Options{})
	at := map[string]int{}
	for _, d := range diags {
		if d.Summary == "Invalid value for variable" && d.Subject != nil {
			at[filepath.Base(d.Subject.Filename)] = d.Subject.Start.Line
		}
	}
	if at["main.tf"] != 7 || at["terraform.tfvars"] != 1 || len(at) != 2 {
		t.Errorf("invalid values reported at %v, want main.tf:7 and terraform.tfvars:1: %v", at, diags)
	}
}
