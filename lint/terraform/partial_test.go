package terraform

import (
	"path/filepath"
	"testing"

	"github.com/canpull/canpull/lint/model"
)

// containersOf returns the containers of the only task definition, by name.
func containersOf(t *testing.T, cfg *model.Config) map[string]*model.Container {
	t.Helper()
	if len(cfg.TaskDefinitions) != 1 {
		t.Fatalf("task definitions: got %d, want 1", len(cfg.TaskDefinitions))
	}
	td := cfg.TaskDefinitions[0]
	if !td.ContainersKnown {
		t.Fatalf("the containers of %s are unknown", td.Addr)
	}
	out := map[string]*model.Container{}
	for _, c := range td.Containers {
		out[c.Name.V] = c
	}
	return out
}

// A data source that reads AWS gives tokens for its string attributes: one
// in a secret keeps the for filter of the common container-definition
// modules known, and with it the image.
func TestDataSourceTokensKeepContainersKnown(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf": `
data "aws_secretsmanager_secret" "db" {
  name = "prod/db"
}
data "aws_ssm_parameter" "user" {
  name = "/app/user"
}
locals {
  definition = {
    name    = "web"
    image   = "nginx:1.27"
    cpu     = null
    user    = data.aws_ssm_parameter.user.value
    secrets = [{ name = "DB", valueFrom = data.aws_secretsmanager_secret.db.arn }]
  }
  trimmed = { for k, v in local.definition : k => v if v != null }
}
resource "aws_ecs_task_definition" "app" {
  family                = "app"
  container_definitions = jsonencode([local.trimmed])
}
output "name" { value = data.aws_secretsmanager_secret.db.name }
`}, Options{})
	web := containersOf(t, cfg)["web"]
	if web == nil || !web.Image.Known || web.Image.V != "nginx:1.27" {
		t.Fatalf("web: %+v", web)
	}
	if len(web.Secrets) != 1 || web.Secrets[0].ValueFrom.Known && web.Secrets[0].ValueFrom.Addr == "" && !model.HasToken(web.Secrets[0].ValueFrom.Value) {
		t.Errorf("the secret's ARN must stay unknown: %+v", web.Secrets)
	}
}

// try keeps a value known at the top whose parts are not.
func TestTryKeepsKnownParts(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf": `
variable "db_arn" { type = string }
locals {
  defs = { web = { image = "nginx:1.27", secrets = [{ name = "DB", valueFrom = var.db_arn }] } }
}
resource "aws_ecs_task_definition" "app" {
  family = "app"
  container_definitions = jsonencode([for k, v in local.defs : {
    name    = k
    image   = try(v.image, null)
    secrets = try(v.secrets, [])
  }])
}
`}, Options{})
	web := containersOf(t, cfg)["web"]
	if !web.Image.Known || web.Image.V != "nginx:1.27" || !web.SecretsKnown || len(web.Secrets) != 1 || web.Secrets[0].ValueFrom.Known {
		t.Errorf("web: image %+v, secrets %+v (known %v)", web.Image, web.Secrets, web.SecretsKnown)
	}
}

// A heredoc with an unknown interpolation keeps its known fields, with
// their lines; an unknown part outside a string is an unknown value.
func TestHeredocWithUnknownPart(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf": `variable "cpu" { type = number }
variable "secret" { type = string }
resource "aws_ecs_task_definition" "app" {
  family                = "app"
  container_definitions = <<-EOF
    [
      {
        "name": "web",
        "image": "nginx:1.27",
        "cpu": ${var.cpu},
        "secrets": [{"name": "DB", "valueFrom": "${var.secret}"}]
      }
    ]
  EOF
}
`}, Options{})
	web := containersOf(t, cfg)["web"]
	if web == nil {
		t.Fatal("no container web")
	}
	if !web.Image.Known || web.Image.V != "nginx:1.27" || web.Image.Range.Start.Line != 9 || web.Image.Range.Start.Column != 18 {
		t.Errorf("image %+v", web.Image)
	}
	if len(web.Secrets) != 1 || web.Secrets[0].ValueFrom.Known || web.Secrets[0].ValueFrom.Range.Start.Line != 11 {
		t.Errorf("secrets %+v", web.Secrets)
	}
}

// templatefile with an unknown variable: ranges point into the template.
func TestTemplatefileWithUnknownVariable(t *testing.T) {
	cfg := mustLoad(t, map[string]string{
		"main.tf": `
variable "tag" { type = string }
resource "aws_ecs_task_definition" "app" {
  family = "app"
  container_definitions = templatefile("${path.module}/defs.json.tftpl", {
    tag   = var.tag
    image = "nginx"
  })
}
`,
		"defs.json.tftpl": `[
  {
    "name": "web",
    "image": "${image}:${tag}",
    "essential": true
  },
  {
    "name": "sidecar",
    "image": "busybox:1.36"
  }
]
`}, Options{})
	cs := containersOf(t, cfg)
	web, side := cs["web"], cs["sidecar"]
	if web == nil || side == nil {
		t.Fatalf("containers %v", cs)
	}
	if web.Image.Known || filepath.Base(web.Image.Range.Filename) != "defs.json.tftpl" || web.Image.Range.Start.Line != 4 {
		t.Errorf("web image %+v", web.Image)
	}
	if !side.Image.Known || side.Image.V != "busybox:1.36" || side.Image.Range.Start.Line != 9 {
		t.Errorf("sidecar image %+v", side.Image)
	}
}

// JSON text made by jsonencode in a module, wrapped in brackets by a
// template and passed out through an output, as cloudposse's
// ecs-container-definition does, keeps its known parts; jsondecode gives
// the unknown parts back as unknown values.
func TestEncodedTextWithUnknownParts(t *testing.T) {
	cfg := mustLoad(t, map[string]string{
		"main.tf": `
variable "db_arn" { type = string }
module "web" {
  source  = "./cd"
  image   = "nginx:1.27"
  secrets = [{ name = "DB", valueFrom = var.db_arn }]
}
locals {
  back = jsondecode(module.web.json_list)
}
resource "aws_ecs_cluster" "known" {
  name = local.back[0].image
}
resource "aws_ecs_cluster" "unknown" {
  name = local.back[0].secrets[0].valueFrom
}
resource "aws_ecs_task_definition" "app" {
  family                = "app"
  container_definitions = module.web.json_list
}
`,
		"cd/main.tf": `
variable "image" {}
variable "secrets" { default = null }
locals {
  def     = { name = "web", image = var.image, secrets = var.secrets, cpu = null }
  trimmed = { for k, v in local.def : k => v if v != null }
  json    = jsonencode(local.trimmed)
}
output "json_list" { value = "[${local.json}]" }
`}, Options{})
	web := containersOf(t, cfg)["web"]
	if web == nil || !web.Image.Known || web.Image.V != "nginx:1.27" {
		t.Fatalf("web: %+v", web)
	}
	if len(web.Secrets) != 1 || web.Secrets[0].ValueFrom.Known {
		t.Errorf("secrets %+v", web.Secrets)
	}
	for _, c := range cfg.Clusters {
		known := c.Addr == "aws_ecs_cluster.known"
		if c.Name.Known != known || known && c.Name.V != "nginx:1.27" {
			t.Errorf("jsondecode: %s name %+v", c.Addr, c.Name)
		}
	}
}

// data "aws_vpc_endpoint_service" gives the service name the provider asks
// for; data "aws_subnet" by the ID of a subnet of the configuration gives
// that subnet's attributes.
func TestEndpointServiceAndSubnetLookups(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf": `
provider "aws" { region = "eu-west-1" }
resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}
data "aws_subnet" "a" { id = aws_subnet.a.id }
data "aws_vpc_endpoint_service" "this" {
  for_each = { ecr_dkr = { service = "ecr.dkr" }, s3 = { service = "s3", service_type = "Gateway" } }
  service  = each.value.service
  filter {
    name   = "service-type"
    values = [try(each.value.service_type, "Interface")]
  }
}
resource "aws_vpc_endpoint" "this" {
  for_each          = data.aws_vpc_endpoint_service.this
  vpc_id            = data.aws_subnet.a.vpc_id
  service_name      = each.value.service_name
  vpc_endpoint_type = each.value.service_type
}
`}, Options{})
	got := map[string]*model.VPCEndpoint{}
	for _, e := range cfg.Endpoints {
		got[e.Addr] = e
	}
	dkr, s3 := got[`aws_vpc_endpoint.this["ecr_dkr"]`], got[`aws_vpc_endpoint.this["s3"]`]
	if dkr == nil || s3 == nil {
		t.Fatalf("endpoints %v", got)
	}
	if dkr.ServiceName.V != "com.amazonaws.eu-west-1.ecr.dkr" || dkr.Type.V != "Interface" || dkr.VPC.Addr != "aws_vpc.main" {
		t.Errorf("ecr.dkr endpoint: %+v %+v %+v", dkr.ServiceName, dkr.Type, dkr.VPC)
	}
	if s3.ServiceName.V != "com.amazonaws.eu-west-1.s3" || s3.Type.V != "Gateway" {
		t.Errorf("s3 endpoint: %+v %+v", s3.ServiceName, s3.Type)
	}
}

// A field of unknown nullness keeps its key, with an unknown value, through
// the null filter of the container-definition modules: the container stays
// known. A for_each over such a filter is unknown: its keys are a guess.
func TestNullFilterKeepsKeys(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf": `
variable "command" {}
locals {
  def     = { name = "web", image = "nginx:1.27", command = var.command, cpu = null }
  trimmed = { for k, v in local.def : k => v if v != null }
}
resource "aws_ecs_task_definition" "app" {
  family                = "app"
  container_definitions = jsonencode([local.trimmed])
}
resource "aws_ecs_cluster" "each" {
  for_each = local.trimmed
  name     = each.key
}
`}, Options{})
	web := containersOf(t, cfg)["web"]
	if web == nil || !web.Image.Known || web.Image.V != "nginx:1.27" {
		t.Fatalf("web: %+v", web)
	}
	if len(cfg.Clusters) != 0 {
		t.Errorf("for_each over a guessed key set made %d clusters", len(cfg.Clusters))
	}
}

// slice of a list that only Terraform reads (the availability zones) keeps
// its length: the subnets made per zone are counted and a service in them
// is followed. Only a known start and end say how many: slice of the whole
// unknown list stays unknown.
func TestSliceOfUnknownListKeepsLength(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf": `
data "aws_availability_zones" "available" {}
locals {
  azs = slice(data.aws_availability_zones.available.names, 0, 3)
}
resource "aws_subnet" "private" {
  count             = length(local.azs)
  vpc_id            = "vpc-1"
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet("10.0.0.0/16", 8, count.index)
}
resource "aws_subnet" "all" {
  count  = length(slice(data.aws_availability_zones.available.names, 0, length(data.aws_availability_zones.available.names)))
  vpc_id = "vpc-1"
}
resource "aws_ecs_service" "app" {
  name = "app"
  network_configuration {
    subnets = aws_subnet.private[*].id
  }
}
`}, Options{})
	if n := len(cfg.Subnets); n != 3 {
		t.Errorf("%d subnets, want the 3 of slice(…, 0, 3) (and none of the unknown count)", n)
	}
	if len(cfg.Services) != 1 || cfg.Services[0].Network == nil || !cfg.Services[0].Network.Subnets.AllKnown() || len(cfg.Services[0].Network.Subnets.Items) != 3 {
		t.Errorf("the service's subnets: %+v", cfg.Services)
	}
}
