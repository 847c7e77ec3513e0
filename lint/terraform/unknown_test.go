package terraform

import (
	"path/filepath"
	"strings"
	"testing"
)

// An unknown value's explanation names the reference that is unknown at
// its source, through locals, module inputs and outputs, and answered data
// sources; never a guess.
func TestWhyUnknown(t *testing.T) {
	files := map[string]string{
		"main.tf": `
variable "image" {
  type = string
}
variable "known" {
  default = "x"
}
locals {
  image = var.image
}
module "net" {
  source = "./net"
  subnet = var.subnet
}
module "gone" {
  source = "git::https://example.com/gone.git"
}
data "template_file" "c" {
  template = "$${timestamp()}"
}
data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["ecr:*"]
    resources = [var.repo]
  }
}
variable "subnet" {
  type = string
}
variable "repo" {
  type = string
}
resource "aws_ecs_task_definition" "a" {
  family                = "a-${local.image}"
  container_definitions = data.template_file.c.rendered
  cpu                   = var.known
}
resource "aws_ecs_service" "a" {
  name = module.net.subnet_id
  network_configuration {
    subnets = module.gone.private_subnets
  }
}
resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.p.json
}
`,
		"net/main.tf": `
variable "subnet" {
  type = string
}
output "subnet_id" {
  value = var.subnet
}
`,
	}
	cfg := mustLoad(t, files, Options{})
	want := map[string]string{
		`"a-${local.image}"`:                  "var.image has no value",
		"data.template_file.c.rendered":       "canpull cannot render the template of data.template_file.c",
		"module.net.subnet_id":                "var.subnet has no value",
		"module.gone.private_subnets":         `module "gone" (source "git::https://example.com/gone.git") is not on disk`,
		"data.aws_iam_policy_document.p.json": "var.repo has no value",
	}
	got := map[string]string{}
	hints := map[string]string{}
	for rng, u := range cfg.Unknowns {
		src := files[rng.Filename[strings.LastIndex(rng.Filename, "/")+1:]]
		if strings.HasSuffix(rng.Filename, "net/main.tf") {
			src = files["net/main.tf"]
		}
		text := src[rng.Start.Byte:rng.End.Byte]
		got[text] = u.Why
		hints[text] = u.Hint
	}
	for expr, why := range want {
		if got[expr] != why {
			t.Errorf("%s: why %q, want %q", expr, got[expr], why)
		}
	}
	if _, ok := got["var.known"]; ok {
		t.Errorf("a known value has an explanation")
	}
	if h := hints["data.template_file.c.rendered"]; !strings.Contains(h, "templatefile()") {
		t.Errorf("template_file hint %q", h)
	}
	if h := hints[`"a-${local.image}"`]; h != "give var.image a value with --var-file or --var (or TF_VAR_image)" {
		t.Errorf("variable hint %q", h)
	}
}

// A value written through a dynamic block's iterator is traced through the
// block's for_each (terraform-aws-modules/ecs writes a service's subnets
// as network_configuration.value.subnets): the note names the data source
// the user passed, not "give the variables values".
func TestWhyUnknownThroughDynamicBlock(t *testing.T) {
	files := map[string]string{
		"main.tf": `
data "aws_subnets" "private" {}
module "svc" {
  source  = "./svc"
  subnets = data.aws_subnets.private.ids
}
`,
		"svc/main.tf": `
variable "subnets" {
  type = list(string)
}
locals {
  network = { subnets = var.subnets, assign_public_ip = false }
}
resource "aws_ecs_service" "this" {
  name = "svc"
  dynamic "network_configuration" {
    for_each = [local.network]
    content {
      subnets = network_configuration.value.subnets
    }
  }
}
`,
	}
	cfg := mustLoad(t, files, Options{})
	found := false
	for rng, u := range cfg.Unknowns {
		if strings.HasSuffix(rng.Filename, "svc/main.tf") && files["svc/main.tf"][rng.Start.Byte:rng.End.Byte] == "network_configuration.value.subnets" {
			found = true
			if u.Why != "data.aws_subnets.private is read only when Terraform runs" {
				t.Errorf("why %q", u.Why)
			}
		}
	}
	if !found {
		t.Errorf("no explanation for the subnets written through the iterator")
	}
}

// A note that a count or for_each is unknown says what made it so, and a
// note about a module that terraform init downloaded points at the module
// block in the user's files.
func TestUnknownCountNotes(t *testing.T) {
	files := map[string]string{
		"main.tf": `
data "aws_availability_zones" "available" {}
resource "aws_subnet" "private" {
  count  = length(data.aws_availability_zones.available.names)
  vpc_id = "vpc-1"
}
variable "n" {
  type = number
}
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
  n       = var.n
}
`,
		".terraform/modules/modules.json": `{"Modules": [{"Key": "vpc", "Source": "registry.terraform.io/terraform-aws-modules/vpc/aws", "Version": "5.0.0", "Dir": ".terraform/modules/vpc"}]}`,
		".terraform/modules/vpc/main.tf": `
variable "n" {
  type = number
}
resource "aws_ecs_cluster" "this" {
  count = var.n
  name  = "c"
}
`,
	}
	dir := writeFiles(t, files)
	res, diags := Load(dir, Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	got := map[string]Missing{}
	for _, m := range res.Missing {
		got[m.What] = m
	}
	az := got["how many instances of aws_subnet.private there are (count or for_each is unknown)"]
	if !strings.Contains(az.Why, "data.aws_availability_zones.available is read only when Terraform runs") ||
		!strings.Contains(az.Hint, "aws_availability_zones data sources") {
		t.Errorf("the subnets' note: %+v", az)
	}
	mod := got["how many instances of module.vpc.aws_ecs_cluster.this there are (count or for_each is unknown)"]
	if filepath.Base(mod.Range.Filename) != "main.tf" || mod.Range.Start.Line != 10 || strings.Contains(mod.Range.Filename, ".terraform") {
		t.Errorf("the module's note is at %s, want the module block at main.tf:10", mod.Range)
	}
	if !strings.Contains(mod.Why, "In module.vpc, which terraform init downloaded (main.tf:5).") || !strings.Contains(mod.Why, "var.n has no value") {
		t.Errorf("the module's note: %q", mod.Why)
	}
}
