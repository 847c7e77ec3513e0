package terraform

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestNormalSource(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"terraform-aws-modules/ecs/aws//modules/service", "terraform-aws-modules/ecs/aws//modules/service", true},
		{"registry.terraform.io/Terraform-AWS-Modules/ecs/aws//modules/service", "terraform-aws-modules/ecs/aws//modules/service", true},
		{"github.com/cloudposse/terraform-aws-ecs-container-definition?ref=0.61.1", "git::https://github.com/cloudposse/terraform-aws-ecs-container-definition.git?ref=0.61.1", true},
		{"github.com/org/repo//modules/x?ref=v1", "git::https://github.com/org/repo.git//modules/x?ref=v1", true},
		{"git::https://github.com/org/repo.git?ref=v1", "git::https://github.com/org/repo.git?ref=v1", true},
		{"s3::https://s3.amazonaws.com/bucket/module.zip", "", false},
		{"app.terraform.io/org/name/aws", "", false},
	} {
		got, ok := normalSource(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("normalSource(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// A module installed from another source, or at a version the call's
// constraint refuses, is not read: Terraform would refuse to plan. The
// note says to run terraform init.
func TestStaleInstall(t *testing.T) {
	modulesJSON, _ := json.Marshal(map[string]any{"Modules": []map[string]string{
		{"Key": "moved", "Source": "registry.terraform.io/acme/old/aws", "Version": "1.0.0", "Dir": ".terraform/modules/moved"},
		{"Key": "old", "Source": "registry.terraform.io/acme/svc/aws", "Version": "1.4.0", "Dir": ".terraform/modules/old"},
		{"Key": "ok", "Source": "registry.terraform.io/acme/svc/aws", "Version": "2.1.0", "Dir": ".terraform/modules/ok"},
		{"Key": "git", "Source": "git::https://github.com/acme/svc.git?ref=v2", "Dir": ".terraform/modules/git"},
	}})
	mod := `resource "aws_ecs_cluster" "this" { name = "x" }`
	res, diags := Load(writeFiles(t, map[string]string{
		"main.tf": `
module "moved" {
  source  = "acme/new/aws"
  version = "1.0.0"
}
module "old" {
  source  = "acme/svc/aws"
  version = "~> 2.0"
}
module "ok" {
  source  = "Acme/Svc/AWS"
  version = "~> 2.0"
}
module "git" {
  source = "github.com/acme/svc?ref=v2"
}
`,
		".terraform/modules/modules.json":  string(modulesJSON),
		".terraform/modules/moved/main.tf": mod,
		".terraform/modules/old/main.tf":   mod,
		".terraform/modules/ok/main.tf":    mod,
		".terraform/modules/git/main.tf":   mod,
	}), Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var clusters []string
	for _, c := range res.Config.Clusters {
		clusters = append(clusters, c.Addr)
	}
	if strings.Join(clusters, " ") != "module.git.aws_ecs_cluster.this module.ok.aws_ecs_cluster.this" {
		t.Errorf("clusters read: %v", clusters)
	}
	var notes []string
	for _, m := range res.Missing {
		notes = append(notes, m.What)
		if !strings.Contains(m.Hint, "terraform init") {
			t.Errorf("hint %q", m.Hint)
		}
	}
	if len(notes) != 2 || !strings.Contains(notes[0]+notes[1], `terraform init installed "registry.terraform.io/acme/old/aws"`) ||
		!strings.Contains(notes[0]+notes[1], `version 1.4.0 is installed, which does not meet the call's constraint "~> 2.0"`) {
		t.Errorf("notes: %q", notes)
	}
}
