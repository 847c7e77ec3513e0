package driver_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
	"github.com/canpull/canpull/lint/inputs"
	"github.com/canpull/canpull/rules"
)

// A run parses a text under .terraform once and copies its syntax tree for
// every other file that holds it (each root's .terraform/modules holds the
// same downloaded modules). Each finding, related range and input error must still name
// the file it is in, down to the line and column.
func TestSameTextInManyFilesNamesEachFile(t *testing.T) {
	const task = `resource "aws_ecs_task_definition" "app" {
  family = "app"
  container_definitions = jsonencode([
    {
      name  = "app"
      image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/MyOrg/App:1.4.2"
    },
  ])
}
`
	// Not a syntax error (a file with one is parsed again for each copy):
	// an error found in the tree, after the parse.
	const vars = `variable "x" {
  type  = string
  color = "blue"
}
`
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Roots a and b call the same registry module, which terraform init
	// downloaded into each; a calls it twice.
	for root, calls := range map[string][]string{"a": {"svc", "svc2"}, "b": {"svc"}} {
		modules := []map[string]string{{"Key": "", "Source": "", "Dir": "."}}
		main := ""
		for _, c := range calls {
			write(root+"/.terraform/modules/"+c+"/main.tf", task)
			write(root+"/.terraform/modules/"+c+"/variables.tf", vars)
			modules = append(modules, map[string]string{"Key": c, "Source": "registry.terraform.io/acme/svc/aws",
				"Version": "1.0.0", "Dir": ".terraform/modules/" + c})
			main += fmt.Sprintf("module %q {\n  source  = \"acme/svc/aws\"\n  version = \"1.0.0\"\n}\n", c)
		}
		write(root+"/main.tf", main)
		b, _ := json.Marshal(map[string]any{"Modules": modules})
		write(root+"/.terraform/modules/modules.json", string(b))
	}
	// Roots c and d hold the same text, outside .terraform: parsed each.
	write("c/main.tf", task)
	write("d/main.tf", task)
	write("c/variables.tf", vars)
	write("d/variables.tf", vars)

	res := driver.Run(context.Background(), driver.Options{Paths: []string{dir}, Inputs: inputs.All(inputs.Options{}),
		Rules: append(rules.All(), lint.Builtins()...)})
	at := func(r hcl.Range) string {
		rel, _ := filepath.Rel(dir, r.Filename)
		return fmt.Sprintf("%s:%d:%d-%d:%d", filepath.ToSlash(rel), r.Start.Line, r.Start.Column, r.End.Line, r.End.Column)
	}
	var got []string
	for _, f := range res.Findings {
		s := f.RuleID + " " + at(f.Range)
		for _, r := range f.Related {
			s += " related " + at(r.Range)
		}
		got = append(got, s)
	}
	for _, d := range res.Errors {
		if d.Subject == nil {
			t.Errorf("input error without a place: %s: %s", d.Summary, d.Detail)
			continue
		}
		got = append(got, d.Summary+" "+at(*d.Subject))
	}
	slices.Sort(got)
	image := "6:15-6:77"
	want := []string{
		"CP303 a/main.tf:1:1-1:13 related a/.terraform/modules/svc/main.tf:" + image,
		"CP303 a/main.tf:5:1-5:14 related a/.terraform/modules/svc2/main.tf:" + image,
		"CP303 b/main.tf:1:1-1:13 related b/.terraform/modules/svc/main.tf:" + image,
		"CP303 c/main.tf:" + image,
		"CP303 d/main.tf:" + image,
		"Unsupported argument a/.terraform/modules/svc/variables.tf:3:3-3:8",
		"Unsupported argument a/.terraform/modules/svc2/variables.tf:3:3-3:8",
		"Unsupported argument b/.terraform/modules/svc/variables.tf:3:3-3:8",
		"Unsupported argument c/variables.tf:3:3-3:8",
		"Unsupported argument d/variables.tf:3:3-3:8",
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings and errors:\n got %q\nwant %q", got, want)
	}
}
