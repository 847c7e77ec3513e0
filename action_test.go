package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	ctyyaml "github.com/zclconf/go-cty-yaml"
	"github.com/zclconf/go-cty/cty"
)

// The GitHub Action's shell steps, run as the runner runs them: bash with
// -eo pipefail, the step's env with its ${{ }} expressions filled in, and the
// files and variables GitHub gives a step (GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY, GITHUB_PATH, RUNNER_TEMP, GITHUB_ACTION_PATH). The
// install step really builds canpull from this checkout.

var actionSummary = flag.String("action-summary", "", "copy the job summary that TestActionSteps writes for a failing run to `FILE`, to read it")

// actionStep is one step of action.yml that runs a script.
type actionStep struct {
	name, run, dir string
	env            map[string]string
}

func loadAction(t *testing.T) (steps []actionStep, defaults map[string]string) {
	t.Helper()
	src, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	v, err := ctyyaml.Standard.Unmarshal(src, cty.DynamicPseudoType)
	if err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	defaults = map[string]string{}
	for name, in := range v.GetAttr("inputs").AsValueMap() {
		def := ""
		if in.Type().HasAttribute("default") {
			def = in.GetAttr("default").AsString()
		}
		defaults[name] = def
	}
	runs := v.GetAttr("runs")
	if got := runs.GetAttr("using").AsString(); got != "composite" {
		t.Fatalf("runs.using = %q, want composite", got)
	}
	for _, s := range runs.GetAttr("steps").AsValueSlice() {
		if !s.Type().HasAttribute("run") {
			continue
		}
		if sh := s.GetAttr("shell").AsString(); sh != "bash" {
			t.Fatalf("step %q runs in %q; the test knows bash", s.GetAttr("name").AsString(), sh)
		}
		st := actionStep{name: s.GetAttr("name").AsString(), run: s.GetAttr("run").AsString(), env: map[string]string{}}
		if s.Type().HasAttribute("env") {
			for k, v := range s.GetAttr("env").AsValueMap() {
				st.env[k] = v.AsString()
			}
		}
		if s.Type().HasAttribute("working-directory") {
			st.dir = s.GetAttr("working-directory").AsString()
		}
		steps = append(steps, st)
	}
	if len(steps) != 2 {
		t.Fatalf("action.yml has %d shell steps; the test knows two (install, run)", len(steps))
	}
	return steps, defaults
}

// expression fills in the ${{ }} expressions the action's steps use; any
// other is a test failure, so that a new one is not silently left empty.
var expression = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

func expand(t *testing.T, s string, inputs map[string]string, actionPath string) string {
	return expression.ReplaceAllStringFunc(s, func(m string) string {
		e := expression.FindStringSubmatch(m)[1]
		if name, ok := strings.CutPrefix(e, "inputs."); ok {
			v, known := inputs[name]
			if !known {
				t.Fatalf("action.yml uses ${{ %s }}, which is not an input", e)
			}
			return v
		}
		switch e {
		case "github.action_path":
			return actionPath
		case "github.action_ref":
			return "v0.0.0-test"
		}
		t.Fatalf("the test does not know the expression ${{ %s }}", e)
		return ""
	})
}

// runner is the environment of one job: its temp folder, workspace and the
// files GitHub collects.
type runner struct {
	temp, workspace                   string
	output, summary, path, actionPath string
}

func newRunner(t *testing.T) *runner {
	root := t.TempDir()
	r := &runner{temp: filepath.Join(root, "temp"), workspace: filepath.Join(root, "workspace")}
	for _, d := range []string{r.temp, r.workspace} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	r.output = filepath.Join(r.temp, "github_output")
	r.summary = filepath.Join(r.temp, "step_summary.md")
	r.path = filepath.Join(r.temp, "github_path")
	var err error
	if r.actionPath, err = filepath.Abs("."); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{r.output, r.path} {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Another step wrote to the summary first: the action must append.
	if err := os.WriteFile(r.summary, []byte("# Earlier step\n\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return r
}

// step runs one shell step and returns its standard output and exit code.
func (r *runner) step(t *testing.T, st actionStep, inputs map[string]string) (string, int) {
	t.Helper()
	script := filepath.Join(r.temp, "step.sh")
	if err := os.WriteFile(script, []byte(st.run), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
	cmd.Dir = r.workspace
	if st.dir != "" {
		cmd.Dir = filepath.Join(r.workspace, expand(t, st.dir, inputs, r.actionPath))
	}
	path := os.Getenv("PATH")
	if added, err := os.ReadFile(r.path); err == nil {
		for _, p := range strings.Fields(string(added)) {
			path = p + string(os.PathListSeparator) + path
		}
	}
	env := []string{"PATH=" + path}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k != "PATH" && !strings.HasPrefix(k, "GITHUB_") && !strings.HasPrefix(k, "INPUT_") && !strings.HasPrefix(k, "RUNNER_") {
			env = append(env, kv)
		}
	}
	env = append(env,
		"GITHUB_ACTIONS=true",
		"GITHUB_OUTPUT="+r.output,
		"GITHUB_STEP_SUMMARY="+r.summary,
		"GITHUB_PATH="+r.path,
		"GITHUB_WORKSPACE="+r.workspace,
		"GITHUB_ACTION_PATH="+r.actionPath,
		"RUNNER_TEMP="+r.temp,
	)
	for k, v := range st.env {
		env = append(env, k+"="+expand(t, v, inputs, r.actionPath))
	}
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("step %q: %v", st.name, err)
		}
		code = ee.ExitCode()
	}
	if stderr.Len() > 0 {
		t.Logf("step %q stderr:\n%s", st.name, stderr.String())
	}
	return stdout.String(), code
}

// outputs reads GITHUB_OUTPUT's name=value lines, then empties it.
func (r *runner) outputs(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile(r.output)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if k, v, ok := strings.Cut(l, "="); ok {
			out[k] = v
		}
	}
	if err := os.WriteFile(r.output, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

func (r *runner) write(t *testing.T, name, text string) {
	p := filepath.Join(r.workspace, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestActionSteps(t *testing.T) {
	t.Parallel() // its go build overlaps the scripts
	if runtime.GOOS == "windows" {
		t.Skip("the action's steps are tested with bash on Linux and macOS")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	steps, defaults := loadAction(t)
	install, run := steps[0], steps[1]
	r := newRunner(t)

	// The install step builds canpull at the action's ref and puts it on
	// the PATH of later steps.
	if out, code := r.step(t, install, defaults); code != 0 {
		t.Fatalf("install step exited %d:\n%s", code, out)
	}
	bin := filepath.Join(r.temp, "canpull-bin", "canpull")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("the install step did not build %s: %v", bin, err)
	}
	if added, _ := os.ReadFile(r.path); strings.TrimSpace(string(added)) != filepath.Dir(bin) {
		t.Errorf("GITHUB_PATH = %q, want %q", added, filepath.Dir(bin))
	}
	// The binary says the version the action stamped (-ldflags -X) and,
	// built from a git clone, the commit that the go command recorded
	// (runtime/debug.ReadBuildInfo): one build tests both.
	v, err := exec.Command(bin, "version").Output()
	if err != nil || !strings.HasPrefix(string(v), "canpull v0.0.0-test") {
		t.Errorf("canpull version = %q, %v; want the action's ref", v, err)
	}
	if head, err := exec.Command("git", "rev-parse", "HEAD").Output(); err != nil {
		t.Logf("no git: the commit is not checked")
	} else if st, err := os.Stat(".git"); err != nil || !st.IsDir() || buildVCSOff() {
		t.Logf("not a git clone, or GOFLAGS turns -buildvcs off: the commit is not checked")
	} else if want := "canpull v0.0.0-test (commit " + strings.TrimSpace(string(head))[:12]; !strings.HasPrefix(string(v), want) || !strings.HasSuffix(string(v), "Z)\n") {
		t.Errorf("canpull version = %q, want %q…, then the commit's time", v, want)
	}

	// The collector's setting comes before the libraries' initialisation
	// allocates (internal/gcstart): no collection until main runs, for a
	// third less CPU per start. GODEBUG=gctrace=1 prints each collection,
	// inittrace=1 each package's initialisation, in order.
	cmd := exec.Command(bin, "version")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1,gctrace=1", "GOGC=", "GOMEMLIMIT=")
	if trace, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("canpull version: %v", err)
	} else if gc, lastInit := strings.Index(string(trace), "\ngc 1 @"), strings.LastIndex(string(trace), "\ninit "); gc >= 0 && gc < lastInit {
		t.Errorf("the collector ran while the packages initialised:\n%s", trace)
	}

	// The workspace is a checkout, as actions/checkout leaves it.
	if err := os.Mkdir(filepath.Join(r.workspace, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	r.write(t, "infra/main.tf", actionTF)
	r.write(t, "infra/public.tfvars", "public = true\n")
	r.write(t, "clean/main.tf", "resource \"aws_ecs_task_definition\" \"app\" {\n  family = \"app\"\n}\n")
	with := func(over map[string]string) map[string]string {
		in := map[string]string{}
		for k, v := range defaults {
			in[k] = v
		}
		for k, v := range over {
			in[k] = v
		}
		return in
	}

	t.Run("failing", func(t *testing.T) {
		stdout, code := r.step(t, run, with(map[string]string{"path": "infra"}))
		if code != 1 {
			t.Fatalf("exit %d, want 1 (findings at or above warning):\n%s", code, stdout)
		}
		annotations := regexp.MustCompile(`(?m)^::(error|warning|notice) file=[^:]*title=CP\d+ `).FindAllString(stdout, -1)
		if !strings.Contains(stdout, "::error file=infra/main.tf,line=51,col=24,") || len(annotations) == 0 {
			t.Errorf("no CP203 annotation:\n%s", stdout)
		}
		out := r.outputs(t)
		if want := strconv.Itoa(len(annotations)); out["findings"] != want {
			t.Errorf("findings = %q, want %s (one per annotation)", out["findings"], want)
		}
		if want := filepath.Join(r.workspace, "canpull.sarif"); out["sarif-file"] != want {
			t.Errorf("sarif-file = %q, want %q", out["sarif-file"], want)
		}
		if out["exit-code"] != "1" {
			t.Errorf("exit-code = %q", out["exit-code"])
		}
		var sarif struct {
			Runs []struct{ Results []struct{ RuleID string } }
		}
		data, err := os.ReadFile(out["sarif-file"])
		if err != nil || json.Unmarshal(data, &sarif) != nil || len(sarif.Runs) != 1 || len(sarif.Runs[0].Results) != len(annotations) {
			t.Errorf("SARIF file: %v, %d bytes", err, len(data))
		}
		summary, _ := os.ReadFile(r.summary)
		for _, want := range []string{
			"# Earlier step\n\n<!-- canpull findings=" + out["findings"] + " ",
			"## ❌ canpull: ",
			"| 🔴 error | [CP203](https://github.com/canpull/canpull/blob/main/rules/docs/CP203.md) `public-ip-disabled` | `infra/main.tf:51` |",
			"```mermaid\nflowchart LR\n",
			`n0(["tasks of aws_ecs_service.app"])`,
			`{{"aws_internet_gateway.this"}}`,
			`-. "✗ no public IP" .->`,
			"linkStyle ",
		} {
			if !strings.Contains(string(summary), want) {
				t.Errorf("the job summary lacks %q:\n%s", want, summary)
			}
		}
		if *actionSummary != "" {
			if err := os.WriteFile(*actionSummary, summary, 0o644); err != nil {
				t.Error(err)
			}
		}
	})

	t.Run("inputs", func(t *testing.T) {
		if err := os.WriteFile(r.summary, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		// working-directory, a nested SARIF path, two paths, quoted args, and
		// fail-on never: the same service with a public IP.
		stdout, code := r.step(t, run, with(map[string]string{
			"working-directory": "infra",
			"path":              ". ../clean",
			"args":              `--var-file "public.tfvars" --disable 'CP301'`,
			"fail-on":           "never",
			"sarif-file":        "reports/canpull.sarif",
		}))
		if code != 0 {
			t.Fatalf("exit %d, want 0:\n%s", code, stdout)
		}
		if strings.Contains(stdout, "CP203") || strings.Contains(stdout, "CP301") {
			t.Errorf("args were not applied:\n%s", stdout)
		}
		out := r.outputs(t)
		if want := filepath.Join(r.workspace, "infra", "reports", "canpull.sarif"); out["sarif-file"] != want {
			t.Errorf("sarif-file = %q, want %q", out["sarif-file"], want)
		}
		if _, err := os.Stat(out["sarif-file"]); err != nil {
			t.Error(err)
		}
		if out["exit-code"] != "0" {
			t.Errorf("exit-code = %q", out["exit-code"])
		}
	})

	// With working-directory, the SARIF and the annotations still name
	// files from the repository's root, so that code scanning can place
	// them.
	t.Run("working-directory", func(t *testing.T) {
		if err := os.WriteFile(r.summary, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		stdout, code := r.step(t, run, with(map[string]string{"working-directory": "infra", "path": "."}))
		if code != 1 {
			t.Fatalf("exit %d, want 1:\n%s", code, stdout)
		}
		if !strings.Contains(stdout, "::error file=infra/main.tf,line=51,col=24,") {
			t.Errorf("the annotation does not name infra/main.tf:\n%s", stdout)
		}
		out := r.outputs(t)
		var sarif struct {
			Runs []struct {
				Results []struct {
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct{ URI, URIBaseID string } `json:"artifactLocation"`
						}
					}
				}
			}
		}
		data, err := os.ReadFile(out["sarif-file"])
		if err != nil || json.Unmarshal(data, &sarif) != nil || len(sarif.Runs) != 1 || len(sarif.Runs[0].Results) == 0 {
			t.Fatalf("SARIF file %q: %v", out["sarif-file"], err)
		}
		for _, res := range sarif.Runs[0].Results {
			if al := res.Locations[0].PhysicalLocation.ArtifactLocation; al.URI != "infra/main.tf" || al.URIBaseID != "%SRCROOT%" {
				t.Errorf("SARIF location %+v, want infra/main.tf under %%SRCROOT%%", al)
			}
		}
		if summary, _ := os.ReadFile(r.summary); !strings.Contains(string(summary), "`infra/main.tf:51`") {
			t.Errorf("the job summary does not name infra/main.tf:\n%s", summary)
		}
	})

	t.Run("clean", func(t *testing.T) {
		if err := os.WriteFile(r.summary, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		stdout, code := r.step(t, run, with(map[string]string{"path": "clean"}))
		if code != 0 || strings.Contains(stdout, "::error") {
			t.Fatalf("exit %d:\n%s", code, stdout)
		}
		if out := r.outputs(t); out["findings"] != "0" || out["exit-code"] != "0" {
			t.Errorf("outputs %v", out)
		}
		if summary, _ := os.ReadFile(r.summary); !strings.Contains(string(summary), "## ✅ canpull: no problems") {
			t.Errorf("summary:\n%s", summary)
		}
	})

	t.Run("no summary", func(t *testing.T) {
		if err := os.WriteFile(r.summary, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		_, code := r.step(t, run, with(map[string]string{"path": "infra", "job-summary": "false", "fail-on": "error"}))
		if code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
		if summary, _ := os.ReadFile(r.summary); len(summary) != 0 {
			t.Errorf("job-summary false wrote:\n%s", summary)
		}
		if out := r.outputs(t); out["findings"] == "0" || out["findings"] == "" {
			t.Errorf("findings = %q without a summary", out["findings"])
		}
	})

	t.Run("bad input", func(t *testing.T) {
		stdout, code := r.step(t, run, with(map[string]string{"args": `--var "a=b`}))
		if code != 2 || !strings.Contains(stdout, "::error title=canpull::the args input has an unbalanced quote") {
			t.Errorf("exit %d:\n%s", code, stdout)
		}
		// A usage error writes no SARIF: sarif-file is empty, though an
		// earlier run left a canpull.sarif where this one would write it.
		stale := filepath.Join(r.workspace, "canpull.sarif")
		if err := os.WriteFile(stale, []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
		stdout, code = r.step(t, run, with(map[string]string{"fail-on": "none"}))
		if code != 2 {
			t.Errorf("fail-on none: exit %d:\n%s", code, stdout)
		}
		if out := r.outputs(t); out["exit-code"] != "2" || out["findings"] != "0" || out["sarif-file"] != "" {
			t.Errorf("outputs after a usage error: %v; want exit-code 2, findings 0, no sarif-file", out)
		}
		if _, err := os.Stat(stale); err == nil {
			t.Errorf("the stale %s is still there", stale)
		}
	})
}

// actionTF is a Fargate service in a public subnet: its assign_public_ip
// comes from var.public (default false: CP203), and its image is an
// anonymous Docker Hub pull (CP301).
const actionTF = `variable "public" {
  type    = bool
  default = false
}

resource "aws_vpc" "this" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.this.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.this.id
  }
}

resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.public.id
}

resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = "arn:aws:iam::123456789012:role/app-exec"
  container_definitions = jsonencode([{
    name  = "app"
    image = "nginx:1.27"
  }])
}

resource "aws_ecs_service" "app" {
  name            = "app"
  task_definition = aws_ecs_task_definition.app.arn
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = [aws_subnet.a.id]
    assign_public_ip = var.public
  }
}
`

// buildVCSOff reports whether the go command is told not to record VCS
// information (GOFLAGS=-buildvcs=false, in the environment or go env).
func buildVCSOff() bool {
	out, err := exec.Command("go", "env", "GOFLAGS").Output()
	return err != nil || strings.Contains(string(out), "-buildvcs=false")
}
