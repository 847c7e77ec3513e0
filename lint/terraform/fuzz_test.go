package terraform

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/input"
)

// Fuzz targets for the parsers of user input on the Terraform side: the
// loader and evaluator (any .tf text), and the variables files. They must
// never panic (a panic becomes an "Internal error" diagnostic, which fails
// the target) and never hang.

// seedConfigs adds the fixtures' Terraform files as seeds: all of them for
// the fuzzer to start from; when go test only runs the seeds, every eighth,
// since TestFixtures (in package rules) loads every one of them already and
// the seeds would only repeat it, slowly.
func seedConfigs(f *testing.F, pattern string) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "fixtures", "*", "*", pattern))
	step := 1
	if !fuzzing() {
		step = 8
	}
	for i := 0; i < len(files); i += step {
		if src, err := os.ReadFile(files[i]); err == nil && len(src) < 16<<10 {
			f.Add(string(src))
		}
	}
}

// fuzzing reports whether go test was asked to fuzz (-fuzz), not only to
// run the seeds.
func fuzzing() bool {
	fl := flag.Lookup("test.fuzz")
	return fl != nil && fl.Value.String() != ""
}

func checkNoInternalError(t *testing.T, res *Result, diags hcl.Diagnostics) {
	t.Helper()
	if res == nil || res.Config == nil {
		t.Fatal("Load returned no configuration")
	}
	for _, d := range diags {
		if input.IsInternal(d) {
			t.Fatalf("internal error: %s: %s", d.Summary, d.Detail)
		}
	}
}

func FuzzLoad(f *testing.F) {
	seedConfigs(f, "*.tf")
	f.Add(`locals { a = local.b
b = local.a }`)
	f.Add(`resource "aws_ecs_service" "s" { dynamic "network_configuration" { for_each = [1] content { subnets = ["x"] } } }`)
	// Text with unknown parts, null filters, and values that carry where
	// they were written (partial.go, templatetree.go, origin.go).
	f.Add("variable \"v\" {}\nresource \"aws_ecs_task_definition\" \"t\" {\n  container_definitions = <<-EOF\n    [{\"name\": \"${var.v}\", \"cpu\": ${var.v}, \"${var.v}\": 1}]\n  EOF\n}\n")
	f.Add(`variable "v" {}
locals {
  d = { image = "x", user = var.v, cpu = null, (var.v) = 1 }
  f = { for k, v in local.d : k => v if v != null }
  j = jsondecode("[${jsonencode(local.f)}]")
}
resource "aws_ecs_cluster" "c" {
  for_each = local.f
  name     = try(local.j[0].user, "n")
}
resource "aws_ecs_task_definition" "t" { container_definitions = jsonencode([local.f, try(var.v, {})]) }`)
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 8<<10 {
			return
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		res, diags := Load(dir, Options{Timeout: 5 * time.Second})
		checkNoInternalError(t, res, diags)
		if d := time.Since(start); d > 6*time.Second {
			t.Fatalf("Load took %v", d)
		}
	})
}

func FuzzVarFile(f *testing.F) {
	seedConfigs(f, "*.tfvars")
	f.Add("public = false\nsubnets = [\"a\", \"b\"]\n")
	f.Add(`{"public": true, "tags": {"a": 1}}`)
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 4<<10 {
			return
		}
		dir := t.TempDir()
		main := `
variable "public" { type = bool }
variable "subnets" { type = list(string) }
variable "tags" { type = map(string) }
resource "aws_ecs_cluster" "c" { name = "${var.public}-${join(",", var.subnets)}" }
`
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(main), 0o644); err != nil {
			t.Fatal(err)
		}
		name := "terraform.tfvars"
		if strings.HasPrefix(strings.TrimSpace(src), "{") {
			name = "terraform.tfvars.json"
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		res, diags := Load(dir, Options{Timeout: 5 * time.Second})
		checkNoInternalError(t, res, diags)
	})
}
