package lint_test

import (
	"bytes"
	"context"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
	"github.com/canpull/canpull/lint/inputs"
	"github.com/canpull/canpull/lint/report"
	"github.com/canpull/canpull/rules"
)

// canpull reads files that an untrusted pull request may have written. These
// tests hold it to its promises: it runs nothing, opens no connection, and
// prints no secret value that it read.

// networkPackage is the one package, with its subpackages, that may open
// connections: the opt-in registry check (--check-images).
const networkPackage = "lint/registry"

// TestNoProcessesNoNetwork fails when any of canpull's own packages imports
// a package that starts processes, or, outside lint/registry, one that
// opens connections.
func TestNoProcessesNoNetwork(t *testing.T) {
	forbidden := map[string]bool{"os/exec": true, "net": true, "net/http": true, "plugin": true, "syscall/js": true}
	network := map[string]bool{"net": true, "net/http": true}
	root := ".."
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "fixtures" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		mayConnect := strings.HasPrefix(filepath.ToSlash(rel), networkPackage+"/")
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if forbidden[p] && !(mayConnect && network[p]) {
				t.Errorf("%s imports %s", path, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestOnlyRegistryReachesTheNetwork follows imports through the
// dependencies: no package of canpull but the command and lint/registry
// reaches package net, however indirectly. (The command reaches it through
// pflag's IP flags, and constructs the registry check only with
// --check-images; TestNoConnectionWithoutCheckImages holds it to that.)
func TestOnlyRegistryReachesTheNetwork(t *testing.T) {
	listing, err := listPackages()
	if err != nil {
		t.Skip(err)
	}
	imports := map[string][]string{}
	for _, p := range listing {
		// What the command is built from, not a test's copy or main.
		if p.testBinary == "" && !strings.HasSuffix(p.path, ".test") {
			imports[p.path] = p.imports
		}
	}
	const module = "github.com/canpull/canpull"
	reaches := map[string]bool{}
	var visit func(p string) bool
	visit = func(p string) bool {
		if r, ok := reaches[p]; ok {
			return r
		}
		reaches[p] = false
		r := p == "net"
		for _, q := range imports[p] {
			r = visit(q) || r
		}
		reaches[p] = r
		return r
	}
	checked := 0
	for p := range imports {
		if p != module && !strings.HasPrefix(p, module+"/") {
			continue
		}
		if p == module || p == module+"/"+networkPackage || strings.HasPrefix(p, module+"/"+networkPackage+"/") {
			continue
		}
		checked++
		if visit(p) {
			t.Errorf("%s reaches package net through its imports; only %s may", p, networkPackage)
		}
	}
	if checked < 10 {
		t.Fatalf("only %d packages checked: the listing is not what this test expects", checked)
	}
	if !visit(module + "/" + networkPackage) {
		t.Errorf("%s does not reach package net: this test checks nothing", networkPackage)
	}
}

// TestSecretsStayOut lints a configuration whose secrets are read from
// files and variables, and checks that no output format prints them.
func TestSecretsStayOut(t *testing.T) {
	const secret = "s3cr3t-SENTINEL-4242"
	dir := t.TempDir()
	files := map[string]string{
		"secret.txt":       secret,
		"secret.json":      `{"password": "` + secret + `"}`,
		"terraform.tfvars": `db_password = "` + secret + `"` + "\n",
		"main.tf": `
variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  container_definitions = jsonencode([{
    name  = "app"
    image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1"
    environment = [
      { name = "A", value = file("${path.module}/secret.txt") },
      { name = "B", value = var.db_password },
      { name = "C", value = jsondecode(file("${path.module}/secret.json")).password },
    ]
  }])
}

locals {
  n = tonumber(file("${path.module}/secret.txt"))
  # Function errors are reported as input errors: none may quote the secret.
  errs = [
    cidrhost(file("${path.module}/secret.txt"), 1),
    base64decode(var.db_password),
    regex("(${file("${path.module}/secret.txt")}", "x"),
    format(file("${path.module}/secret.txt"), 1),
    jsondecode(file("${path.module}/secret.txt")),
    yamldecode("a: [${var.db_password}"),
    parseint(var.db_password, 10),
  ]
}

resource "aws_ecs_cluster" "c" {
  name = "c-${local.n}"
  tags = { for i, e in local.errs : i => e }
}

resource "aws_ecs_task_definition" "broken" {
  family                = "broken"
  container_definitions = file("${path.module}/secret.txt")
}
`,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := driver.Run(context.Background(), driver.Options{Paths: []string{dir}, Rules: rules.All(), Inputs: inputs.All(inputs.Options{})})
	if len(res.Findings) == 0 || len(res.Errors) == 0 {
		t.Fatalf("the configuration should give findings (CP101) and an input error (broken JSON): %d findings, %v errors", len(res.Findings), res.Errors)
	}
	for _, format := range report.Formats {
		var out bytes.Buffer
		err := report.Write(&out, res, report.Options{Format: format, BaseDir: dir, Rules: rules.All(), HelpURI: rules.HelpURI})
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(out.Bytes(), []byte(secret)) {
			t.Errorf("--format %s prints the secret:\n%s", format, out.String())
		}
	}
}

// TestLayers holds the packages to their places: rules see only the rule
// API and the model (and leaf helpers), never an input or the driver; the
// driver and the rule API know no input format; inputs know no rule (they
// may share decoders: Terraform reads container definitions as ECS JSON).
func TestLayers(t *testing.T) {
	const mod = "github.com/canpull/canpull/"
	imports := map[string][]string{} // package → the module's packages it imports, non-test files
	err := filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "fixtures" || strings.HasPrefix(d.Name(), ".")) && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(filepath.Dir(path))
		pkg = strings.TrimPrefix(strings.TrimPrefix(pkg, ".."), "/")
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); strings.HasPrefix(p, mod) {
				imports[pkg] = append(imports[pkg], strings.TrimPrefix(p, mod))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// deps is every package of the module that pkg depends on.
	var deps func(pkg string, seen map[string]bool) map[string]bool
	deps = func(pkg string, seen map[string]bool) map[string]bool {
		for _, p := range imports[pkg] {
			if !seen[p] {
				seen[p] = true
				deps(p, seen)
			}
		}
		return seen
	}
	inputPkgs := []string{"lint/terraform", "lint/taskdef", "lint/cloudformation", "lint/tfplan", "lint/inputs"}
	for _, tc := range []struct {
		pkg       string
		forbidden []string
	}{
		{"rules", append(inputPkgs, "lint/driver", "lint/input", "lint/report", "lint/config", networkPackage, "lint/fix", "lint/baseline")},
		// Rules make edits; only the command applies them.
		{"lint/edit", append(inputPkgs, "lint/driver", "lint/fix", "rules", networkPackage)},
		{"lint/fix", append(inputPkgs, "lint/driver", "rules", networkPackage)},
		{"lint/baseline", append(inputPkgs, "lint/driver", "rules", networkPackage)},
		{"lint", append(inputPkgs, "lint/driver", "lint/input", networkPackage)},
		{"lint/input", append(inputPkgs, "lint/driver", "lint", "rules", networkPackage)},
		// The driver asks an ImageChecker (lint/model) that only the
		// command constructs from lint/registry.
		{"lint/driver", append(inputPkgs, "rules", networkPackage)},
		{"lint/inputs", []string{networkPackage}},
		{"lint/terraform", []string{"lint/driver", "lint", "rules"}},
		{"lint/taskdef", []string{"lint/driver", "lint", "rules", "lint/terraform"}},
		{"lint/tfplan", []string{"lint/driver", "lint", "rules"}},
	} {
		if imports[tc.pkg] == nil {
			t.Errorf("package %s not found, or imports nothing of the module", tc.pkg)
		}
		got := deps(tc.pkg, map[string]bool{})
		for _, f := range tc.forbidden {
			if got[f] {
				t.Errorf("%s depends on %s", tc.pkg, f)
			}
		}
	}
}

// TestPlanSensitiveValuesStayOut lints a plan whose container definitions
// Terraform marks sensitive (and prints anyway), with every note shown, and
// checks that no output format repeats them: canpull takes them for
// unknown, and points its note at the mark, not at the value.
func TestPlanSensitiveValuesStayOut(t *testing.T) {
	const dir = "../fixtures/CP301/plan-quiet-sensitive-image"
	src, err := os.ReadFile(filepath.Join(dir, "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	const sensitive = `nginx:latest`
	if !bytes.Contains(src, []byte(sensitive)) {
		t.Fatalf("the plan no longer shows %s: the test has nothing to check", sensitive)
	}
	all := append(rules.All(), lint.Builtins()...)
	res := driver.Run(context.Background(), driver.Options{Paths: []string{dir}, Rules: all, ShowUnverified: true,
		Inputs: inputs.All(inputs.Options{})})
	if len(res.Findings) == 0 {
		t.Fatal("the plan should give a note that its container definitions are unknown")
	}
	for _, format := range report.Formats {
		var out bytes.Buffer
		if err := report.Write(&out, res, report.Options{Format: format, BaseDir: dir, Rules: rules.All(), HelpURI: rules.HelpURI}); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(out.Bytes(), []byte(sensitive)) {
			t.Errorf("--format %s prints the sensitive value:\n%s", format, out.String())
		}
	}
}
