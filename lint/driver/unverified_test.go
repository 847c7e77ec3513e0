package driver_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
	"github.com/canpull/canpull/lint/inputs"
	"github.com/canpull/canpull/rules"
)

// What cannot be checked must say so, not pass as checked.
func TestUnseenInputsLeaveNotes(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"registry ECS module without terraform init", `
module "svc" {
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "~> 5.0"
}
`, `module "svc"`},
		{"container definitions from data.template_file", `
data "template_file" "app" {
  template = "$${timestamp()}"
}
resource "aws_ecs_task_definition" "app" {
  family                = "app"
  container_definitions = data.template_file.app.rendered
}
`, "container definitions of aws_ecs_task_definition.app"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tc.src), 0o644); err != nil {
				t.Fatal(err)
			}
			res := driver.Run(context.Background(), driver.Options{Paths: []string{dir}, Inputs: inputs.All(inputs.Options{}),
				Rules: append(rules.All(), lint.Builtins()...), ShowUnverified: true})
			if res.Stats.Modules != 1 {
				t.Errorf("root modules loaded: %d, want 1", res.Stats.Modules)
			}
			for _, f := range res.Findings {
				if f.Unverified && strings.Contains(f.Message, tc.want) {
					return
				}
			}
			t.Errorf("no note mentions %q: %+v", tc.want, res.Findings)
		})
	}
}
