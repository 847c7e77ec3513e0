package tfplan

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// regenerated is the plan fixture TestPlansAreTerraformOutput makes again.
const regenerated = "CP203/plan-fires-false"

// TestPlansAreTerraformOutput regenerates one plan fixture with
// scripts/gen-plans and checks that the committed file is still what
// Terraform writes, but for the time it was made. It needs Terraform (the
// version that made the fixtures), python3 and the AWS provider in a local
// plugin folder, and skips without them. It runs Terraform for half a
// minute, so it runs only when asked: CANPULL_TERRAFORM_TESTS=1 (go test
// ./... stays fast; see README).
func TestPlansAreTerraformOutput(t *testing.T) {
	if os.Getenv("CANPULL_TERRAFORM_TESTS") == "" {
		t.Skip("regenerating a plan runs Terraform for half a minute: set CANPULL_TERRAFORM_TESTS=1 to run it")
	}
	if testing.Short() {
		t.Skip("regenerating a plan runs Terraform for half a minute; -short skips it")
	}
	for _, tool := range []string{"terraform", "python3", "sh"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("cannot regenerate plans without %s: %v", tool, err)
		}
	}
	plugins := os.Getenv("TF_PLUGIN_DIR")
	if plugins == "" {
		plugins = "/opt/tf-plugins"
	}
	if _, err := os.Stat(filepath.Join(plugins, "registry.terraform.io", "hashicorp", "aws")); err != nil {
		t.Skipf("cannot regenerate plans without the AWS provider in %s (set TF_PLUGIN_DIR): %v", plugins, err)
	}
	committed := readPlan(t, filepath.Join("../../fixtures", regenerated, "plan.json"))
	if v := terraformVersion(t); v != committed["terraform_version"] {
		t.Skipf("the fixtures come from Terraform %v; this is %s", committed["terraform_version"], v)
	}

	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "../../scripts/gen-plans", "-o", out, regenerated)
	cmd.Env = append(os.Environ(), "TF_PLUGIN_DIR="+plugins)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("scripts/gen-plans: %v\n%s", err, b)
	}
	fresh := readPlan(t, filepath.Join(out, regenerated, "plan.json"))
	// The time it was made; and relevant_attributes, a set that Terraform
	// writes in no particular order.
	for _, doc := range []map[string]any{committed, fresh} {
		delete(doc, "timestamp")
		if ra, ok := doc["relevant_attributes"].([]any); ok {
			sort.Slice(ra, func(i, j int) bool { return fmt.Sprint(ra[i]) < fmt.Sprint(ra[j]) })
		}
	}
	if diff := cmp.Diff(committed, fresh); diff != "" {
		t.Errorf("fixtures/%s/plan.json is not what Terraform writes today (-committed +fresh); run scripts/gen-plans and check the want files:\n%s", regenerated, diff)
	}
}

func readPlan(t *testing.T, name string) map[string]any {
	t.Helper()
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(src, &doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return doc
}

var versionLine = regexp.MustCompile(`Terraform v(\S+)`)

func terraformVersion(t *testing.T) string {
	t.Helper()
	b, err := exec.Command("terraform", "version").Output()
	if err != nil {
		t.Skipf("terraform version: %v", err)
	}
	m := versionLine.FindSubmatch(b)
	if m == nil {
		t.Skipf("terraform version printed no version: %s", b)
	}
	return string(m[1])
}
