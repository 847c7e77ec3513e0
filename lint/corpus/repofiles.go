package corpus

import (
	"fmt"
	"path/filepath"
	"strings"
)

// What real repositories hold besides Terraform, for the walk and the
// inputs that look into a file to decide whether it is theirs: a third of
// the files of the public corpus are not .tf (a README per module,
// GitHub workflows and other YAML, Makefiles, helm values).

// repoFiles writes the files at the top of a repository.
func (w *writer) repoFiles(repo string) {
	name := filepath.Base(repo)
	w.file(repo+"/README.md", fmt.Sprintf(repoReadme, name, name))
	w.file(repo+"/.gitignore", ".terraform/\n*.tfstate\n*.tfstate.*\ncrash.log\n*.tfplan\n.terraform.lock.hcl\n")
	w.file(repo+"/Makefile", repoMakefile)
	w.file(repo+"/.pre-commit-config.yaml", preCommitConfig)
	w.file(repo+"/.github/workflows/ci.yml", fmt.Sprintf(ciWorkflow, name))
	w.file(repo+"/.github/workflows/release.yml", releaseWorkflow)
	w.file(repo+"/.github/dependabot.yml", dependabotConfig)
}

// moduleReadme writes the README.md that terraform-docs keeps in a module
// folder or a root module.
func (w *writer) moduleReadme(dir string) {
	w.file(dir+"/README.md", fmt.Sprintf(moduleReadmeText, filepath.Base(dir)))
}

const repoReadme = `# %s

Terraform for %s. Each folder under this one with a versions.tf is a root
module: run terraform init and terraform plan in it. Shared modules live in
modules/. Pull requests run terraform fmt, validate, plan and canpull.

## Usage

    make init ENV=dev
    make plan ENV=dev

## Contributing

Open a pull request; the owners in CODEOWNERS review it.
`

const moduleReadmeText = `# %s

<!-- BEGIN_TF_DOCS -->
## Requirements

| Name | Version |
|------|---------|
| terraform | >= 1.5 |
| aws | ~> 5.40 |

## Inputs

| Name | Description | Type | Default | Required |
|------|-------------|------|---------|:--------:|
| environment | Environment name: dev, staging or prod | ` + "`string`" + ` | n/a | yes |
| region | AWS region | ` + "`string`" + ` | ` + "`\"eu-west-1\"`" + ` | no |
| tags | Tags for every resource | ` + "`map(string)`" + ` | ` + "`{}`" + ` | no |

## Outputs

| Name | Description |
|------|-------------|
| id | The identifier of what this module creates |
<!-- END_TF_DOCS -->
`

const repoMakefile = `ENV ?= dev
DIR ?= terraform/$(ENV)

.PHONY: init plan fmt lint
init:
	terraform -chdir=$(DIR) init
plan:
	terraform -chdir=$(DIR) plan -out=plan.out
fmt:
	terraform fmt -recursive
lint:
	canpull .
`

const preCommitConfig = `repos:
  - repo: https://github.com/antonbabenko/pre-commit-terraform
    rev: v1.96.1
    hooks:
      - id: terraform_fmt
      - id: terraform_docs
      - id: terraform_tflint
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v5.0.0
    hooks:
      - id: end-of-file-fixer
      - id: trailing-whitespace
`

const ciWorkflow = `name: ci
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  terraform:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: hashicorp/setup-terraform@v3
        with:
          terraform_version: 1.11.4
      - run: terraform fmt -check -recursive
      - name: lint %s
        run: canpull --format github .
`

const releaseWorkflow = `name: release
on:
  push:
    tags: ["v*"]
permissions:
  contents: write
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: softprops/action-gh-release@v2
        with:
          generate_release_notes: true
`

const dependabotConfig = `version: 2
updates:
  - package-ecosystem: terraform
    directory: /
    schedule:
      interval: weekly
  - package-ecosystem: github-actions
    directory: /
    schedule:
      interval: weekly
`

// helmValues is the values.yaml of a chart that some platform components
// deploy beside their AWS resources.
const helmValues = `replicaCount: 2
image:
  repository: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/%s
  tag: "1.%d.0"
  pullPolicy: IfNotPresent
service:
  type: ClusterIP
  port: 8080
resources:
  limits:
    cpu: 500m
    memory: 512Mi
  requests:
    cpu: 100m
    memory: 128Mi
ingress:
  enabled: false
`

const lambdaHandler = `import json
import os

TABLE = os.environ.get("TABLE", "component-%d")


def handler(event, context):
    records = event.get("Records", [])
    for record in records:
        body = json.loads(record["body"])
        print(json.dumps({"table": TABLE, "id": body.get("id")}))
    return {"processed": len(records)}
`

// terratestFile is the Go test a library runs its examples with.
const terratestFile = `package test

import (
	"testing"

	"github.com/gruntwork-io/terratest/modules/terraform"
)

// TestExamples plans every example of %s.
func TestExamples(t *testing.T) {
	for _, dir := range []string{"../examples/complete", "../examples/fargate"} {
		opts := &terraform.Options{TerraformDir: dir}
		terraform.InitAndPlan(t, opts)
	}
}
`

// architecturePNG stands for the diagram in a library's docs: a PNG
// header and some bytes, which no input reads.
var architecturePNG = "\x89PNG\r\n\x1a\n" + strings.Repeat("\x00IDAT", 512)
