package terraform

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestDuplicateDeclarations: what Terraform refuses to load, canpull reports
// with Terraform's words, instead of silently taking the first block.
func TestDuplicateDeclarations(t *testing.T) {
	_, diags := load(t, map[string]string{
		"main.tf": `variable "v" {
  default = "a"
}
variable "v" {
  default = "b"
}
variable "self" {
  default = var.self
}
locals {
  a = 1
}
resource "aws_ecs_cluster" "c" {
  name = "x"
}
data "aws_region" "r" {}
output "o" { value = 1 }
module "m" { source = "./m" }
`,
		"more.tf": `locals {
  a = 2
}
resource "aws_ecs_cluster" "c" {
  name = "y"
}
data "aws_region" "r" {}
output "o" { value = 2 }
module "m" { source = "./m" }
`,
		"m/main.tf": `variable "x" { default = 1 }`,
	}, Options{})
	want := []string{
		`main.tf:4: Duplicate variable declaration: A variable named "v" was already declared at main.tf:1,1-13. Variable names must be unique within a module.`,
		`main.tf:8: Variables not allowed: Variables may not be used here.`,
		`more.tf:2: Duplicate local value definition: A local value named "a" was already defined at main.tf:11,3-8. Local value names must be unique within a module.`,
		`more.tf:4: Duplicate resource "aws_ecs_cluster" configuration: A aws_ecs_cluster resource named "c" was already declared at main.tf:13,1-31. Resource names must be unique per type in each module.`,
		`more.tf:7: Duplicate data "aws_region" configuration: A aws_region data resource named "r" was already declared at main.tf:16,1-22. Resource names must be unique per type in each module.`,
		`more.tf:8: Duplicate output definition: An output named "o" was already defined at main.tf:17,1-11. Output names must be unique within a module.`,
		`more.tf:9: Duplicate module call: A module call named "m" was already defined at main.tf:18,1-11. Module calls must have unique names within a module.`,
	}
	var got []string
	for _, d := range diags {
		got = append(got, fmt.Sprintf("%s:%d: %s: %s", filepath.Base(d.Subject.Filename), d.Subject.Start.Line, d.Summary, d.Detail))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
