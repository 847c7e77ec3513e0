package terraform

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// errorsOf returns each error as "line: summary: detail".
func errorsOf(diags hcl.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		line := 0
		if d.Subject != nil {
			line = d.Subject.Start.Line
		}
		out = append(out, fmt.Sprintf("%d: %s: %s", line, d.Summary, d.Detail))
	}
	return out
}

// TestCycleMessageIsStable: a cycle is named the same way whichever of its
// members evaluation reaches first.
func TestCycleMessageIsStable(t *testing.T) {
	files := map[string]string{"main.tf": `locals {
  a = local.b
  b = local.c
  c = local.a
}
resource "aws_ecs_cluster" "c" {
  name = local.c
  tags = { x = local.b }
  setting {
    name  = local.a
    value = local.b
  }
}
`}
	dir := writeFiles(t, files)
	seen := map[string]bool{}
	for range 40 {
		_, diags := Load(dir, Options{})
		seen[strings.Join(errorsOf(diags), "\n")] = true
	}
	if len(seen) != 1 {
		t.Fatalf("%d different messages for one cycle: %v", len(seen), seen)
	}
	for msg := range seen {
		want := "2: Cycle in references: local.a refers to itself: local.a → local.b → local.c → local.a."
		if !strings.HasPrefix(msg, want) {
			t.Errorf("got %q, want it to start with %q", msg, want)
		}
	}
}

// TestModuleLimitMessages: modules nested too deeply, a module that calls
// itself and too many module instances each say so, with the right limit.
func TestModuleLimitMessages(t *testing.T) {
	deep := map[string]string{"main.tf": `module "m0" { source = "./m0" }`}
	path := "m0"
	for i := 0; i < 40; i++ {
		deep[path+"/main.tf"] = fmt.Sprintf(`module "m%d" { source = "./m%d" }`, i+1, i+1)
		path += fmt.Sprintf("/m%d", i+1)
	}
	_, diags := load(t, deep, Options{})
	if msgs := errorsOf(diags); len(msgs) != 1 || !strings.Contains(msgs[0], "Modules nested too deeply") || !strings.Contains(msgs[0], "more than 32") {
		t.Errorf("deep modules: got %v", msgs)
	}

	_, diags = load(t, map[string]string{
		"main.tf":   `module "a" { source = "./a" }`,
		"a/main.tf": `module "again" { source = "../a" }`,
	}, Options{})
	if msgs := errorsOf(diags); len(msgs) != 1 || !strings.Contains(msgs[0], "Module call cycle") {
		t.Errorf("a module that calls itself: got %v", msgs)
	}

	_, diags = load(t, map[string]string{
		"main.tf":   "module \"a\" {\n  source = \"./a\"\n  count = 1500\n}\nmodule \"b\" {\n  source = \"./a\"\n  count = 1500\n}\n",
		"a/main.tf": `variable "x" { default = 1 }`,
	}, Options{})
	if msgs := errorsOf(diags); len(msgs) != 1 || !strings.Contains(msgs[0], "3001 module instances") || !strings.Contains(msgs[0], "at most 2000 module instances") {
		t.Errorf("too many module instances: got %v", msgs)
	}
}

// TestFunctionErrors: a function call that fails on known values is an
// input error at the call that names the function and its error, as in
// Terraform; one that fails on a value canpull stands in for (a resource
// attribute that AWS computes) is unknown, silently.
func TestFunctionErrors(t *testing.T) {
	_, diags := load(t, map[string]string{"main.tf": `resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_ecs_cluster" "c" {
  name = format("%d", "abc")
  tags = {
    a = regex("^x", "abc")
    b = format("%d", aws_vpc.v.id)
    c = regex("^vpc-", aws_vpc.v.id)
    d = cidrsubnet(aws_vpc.v.cidr_block, 8, 300)
  }
}
`}, Options{})
	want := []string{
		`5: Error in function call: Call to function "format" failed: unsupported value for "%d" at 0: a number is required.`,
		`7: Error in function call: Call to function "regex" failed: pattern did not match any part of the given string.`,
		`10: Error in function call: Call to function "cidrsubnet" failed: prefix extension of 8 does not accommodate a subnet numbered 300.`,
	}
	if got := errorsOf(diags); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
