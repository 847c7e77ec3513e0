package terraform

import (
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
  template = "[]"
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
		"data.template_file.c.rendered":       "data.template_file.c is read only when Terraform runs",
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
