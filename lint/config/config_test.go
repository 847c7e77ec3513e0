package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/canpull/canpull/lint"
)

var testRules = []*lint.Rule{
	{ID: "CP203", Name: "public-ip-disabled", Severity: lint.Error},
	{ID: "CP301", Name: "dockerhub-anonymous", Severity: lint.Warning},
}

func TestParseSettings(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "prod.tfvars"), []byte("a = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "prod.json"), []byte(`{"Parameters": {}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	src := `
fail_on         = "error"
account_id      = "123456789012"
var_files       = ["prod.tfvars"]
params          = { Env = "prod", "AWS::Region" = "eu-west-1" }
param_files     = ["prod.json"]
exclude         = ["examples", "**/testdata"]
show_unverified = true
check_images    = true
timeout         = "2m"

rule "dockerhub-anonymous" {
  severity = "error"
}
rule "CP203" {
  enabled = false
}
ignore {
  rules  = ["CP301"]
  paths  = ["ecs/legacy-*.json"]
  reason = "moves to ECR"
}
`
	c, diags := Parse([]byte(src), filepath.Join(dir, FileName), testRules)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if c.FailOn != "error" || c.AccountID != "123456789012" || c.ShowUnverified == nil || !*c.ShowUnverified || c.CheckImages == nil || !*c.CheckImages || c.Timeout != 2*time.Minute {
		t.Errorf("settings: %+v", c)
	}
	if len(c.VarFiles) != 1 || c.VarFiles[0] != filepath.Join(dir, "prod.tfvars") {
		t.Errorf("var files: %v", c.VarFiles)
	}
	if c.Params["AWS::Region"] != "eu-west-1" || c.Params["Env"] != "prod" || len(c.ParamFiles) != 1 || c.ParamFiles[0] != filepath.Join(dir, "prod.json") {
		t.Errorf("params: %v, param files: %v", c.Params, c.ParamFiles)
	}
	if c.Rules["CP301"].Severity != lint.Error {
		t.Errorf("CP301 severity: %v", c.Rules["CP301"].Severity)
	}
	if e := c.Rules["CP203"].Enabled; e == nil || *e {
		t.Errorf("CP203 enabled: %v", e)
	}
	if len(c.Ignores) != 1 || c.Ignores[0].Reason != "moves to ECR" || c.Ignores[0].Rules[0] != "CP301" {
		t.Fatalf("ignores: %+v", c.Ignores)
	}
	if !c.Ignores[0].Files(filepath.Join(dir, "ecs", "legacy-web.json")) || c.Ignores[0].Files(filepath.Join(dir, "ecs", "web.json")) {
		t.Error("ignore paths match the wrong files")
	}
	if !c.Excluded(filepath.Join(dir, "examples", "a", "main.tf")) || !c.Excluded(filepath.Join(dir, "x", "y", "testdata")) || c.Excluded(filepath.Join(dir, "infra", "main.tf")) {
		t.Error("exclude matches the wrong paths")
	}
}

// Each mistake is an error on its line, with a suggestion where one is close.
func TestParseErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{`fial_on = "error"`, `An argument named "fial_on" is not expected here. Did you mean "fail_on"?`},
		{`fail_on = "none"`, `"none" is not one of error, warning, note, never; did you mean "never"?`},
		{`fail_on = "errors"`, `did you mean "error"?`},
		{`account_id = "12345"`, `"12345" is not an AWS account ID`},
		{`account_id = 123456789012`, ``}, // a number converts to a string
		{`show_unverified = "maybe"`, `a bool is required`},
		{`check_images = "yes"`, `a bool is required`},
		{`timeout = "forever"`, `"forever" is not a duration above zero, such as "90s" or "10m"`},
		{`timeout = "-1s"`, `"-1s" is not a duration above zero`},
		{`timeout = 30`, `"30" is not a duration above zero`},
		{`rule "dockerhub-anonymus" {}`, `rule block: "dockerhub-anonymus" is not a rule; did you mean "dockerhub-anonymous"?`},
		{`rule "CP203" { severty = "error" }`, `Did you mean "severity"?`},
		{`rule "CP203" { severity = "fatal" }`, `"fatal" is not one of error, warning, note`},
		{"rule \"CP203\" {}\nrule \"public-ip-disabled\" {}", `Duplicate rule block`},
		{"ignore {\n rules = [\"CP999\"]\n paths = [\"x\"]\n}", `ignore block: "CP999" is not a rule`},
		{`ignore { rules = ["CP301"] }`, `The argument "paths" is required`},
		{"ignore {\n rules = [\"CP301\"]\n paths = []\n}", `No paths to ignore`},
		{"ignore {\n rules = [\"CP301\"]\n paths = [\"../x\"]\n}", `".." cannot leave`},
		{`exclude = ["/abs"]`, `relative to the configuration file's folder`},
		{`exclude = ["[a-"]`, `malformed pattern`},
		{`var_files = ["nope.tfvars"]`, `var_files names "nope.tfvars", which cannot be read`},
		{`param_files = ["nope.json"]`, `param_files names "nope.json", which cannot be read`},
		{`rules { }`, `Did you mean "rule"?`},
		{`fail_on = `, `Missing expression`},
	}
	for _, tt := range tests {
		_, diags := Parse([]byte(tt.src), filepath.Join(t.TempDir(), FileName), testRules)
		if tt.want == "" {
			if diags.HasErrors() {
				t.Errorf("%s: %v", tt.src, diags)
			}
			continue
		}
		if !diags.HasErrors() || !strings.Contains(diags.Error(), tt.want) {
			t.Errorf("%s:\n got %v\nwant %q", tt.src, diags, tt.want)
			continue
		}
		for _, d := range diags {
			if d.Subject == nil || d.Subject.Start.Line < 1 {
				t.Errorf("%s: %q has no line", tt.src, d.Summary)
			}
		}
	}
}

// The file that canpull init writes is a valid configuration that sets
// nothing, and names every rule.
func TestStarter(t *testing.T) {
	s := Starter(testRules)
	c, diags := Parse([]byte(s), filepath.Join(t.TempDir(), FileName), testRules)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if c.FailOn != "" || len(c.Rules) != 0 || len(c.Ignores) != 0 || len(c.Exclude) != 0 {
		t.Errorf("the starter sets something: %+v", c)
	}
	for _, r := range testRules {
		if !strings.Contains(s, `rule "`+r.ID+`"`) {
			t.Errorf("the starter does not name %s", r.ID)
		}
	}
	// Uncommenting the example lines gives a valid configuration too.
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if l, ok := strings.CutPrefix(line, "# "); ok && (strings.Contains(l, " = ") || strings.HasPrefix(l, "rule \"") || strings.HasPrefix(l, "ignore") || l == "}") {
			if strings.HasPrefix(l, "var_files") || strings.HasPrefix(l, "param_files") {
				continue // names a file that does not exist here
			}
			b.WriteString(l + "\n")
		}
	}
	uncommented := strings.Replace(b.String(), "rule \"dockerhub-anonymous\" {\n  enabled = false\n}\n", "", 1)
	if _, diags := Parse([]byte(uncommented), filepath.Join(t.TempDir(), FileName), testRules); diags.HasErrors() {
		t.Errorf("the starter's examples do not parse:\n%s\n%v", uncommented, diags)
	}
}

func TestMatchParts(t *testing.T) {
	tests := []struct {
		pat, path string
		want      bool
	}{
		{"examples", "examples", true},
		{"examples", "examples/a/main.tf", true},
		{"examples", "infra/examples", false},
		{"**/examples", "infra/examples/main.tf", true},
		{"**/examples", "examples", true},
		{"ecs/*.json", "ecs/web.json", true},
		{"ecs/*.json", "ecs/sub/web.json", false},
		{"ecs/**/*.json", "ecs/sub/web.json", true},
		{"./ecs/", "ecs/x", true},
		{"a/**/b/**/c", "a/x/b/y/z/c", true},
		{"a/**/b/**/c", "a/x/c", false},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		if got := matchAny(dir, []string{tt.pat}, filepath.Join(dir, tt.path)); got != tt.want {
			t.Errorf("%q on %q: got %v", tt.pat, tt.path, got)
		}
	}
	// Outside the folder: never.
	if matchAny(dir, []string{"**"}, filepath.Join(dir, "..", "x")) {
		t.Error("a pattern matched outside its folder")
	}
	// Many ** over a deep path stay fast.
	deep := strings.Repeat("d/", 60) + "x"
	if matchAny(dir, []string{strings.Repeat("**/a/", 8) + "y"}, filepath.Join(dir, deep)) {
		t.Error("matched")
	}
}
