package driver

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/input"
	"github.com/canpull/canpull/lint/model"
)

// fakeInput claims the files whose names end in suffix and, when mark is
// set, whose heads hold it. Its load makes one configuration per file.
type fakeInput struct {
	name, suffix, mark string
	// onHead runs after each call of head, with the file.
	onHead func(path string)

	mu      sync.Mutex
	files   []input.File
	leftOut []input.File
	asked   []string // the names LoadMentioning was asked for
}

func (f *fakeInput) Name() string { return f.name }

func (f *fakeInput) Claim(path string, head func() []byte) bool {
	if !strings.HasSuffix(path, f.suffix) {
		return false
	}
	if f.mark == "" {
		return true
	}
	h := head()
	if f.onHead != nil {
		f.onHead(path)
	}
	return bytes.Contains(h, []byte(f.mark))
}

func (f *fakeInput) Load(ctx context.Context, files []input.File, env input.Env) input.Loaded {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files, f.leftOut = files, env.LeftOut
	out := input.Loaded{Sources: map[string][]byte{}}
	for _, file := range files {
		if ctx.Err() != nil {
			break
		}
		src, _ := file.Read(1 << 20)
		out.Sources[file.Path] = src
		out.Configs = append(out.Configs, &model.Config{Dir: file.Path})
	}
	out.LoadMentioning = func(_ context.Context, names []string) input.Loaded {
		f.asked = names
		return input.Loaded{Configs: []*model.Config{{Dir: "a-folder-loaded-later"}}}
	}
	return out
}

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func paths(files []input.File, dir string) string {
	var out []string
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f.Path)
		out = append(out, filepath.ToSlash(rel))
	}
	return strings.Join(out, " ")
}

// Discovery offers each file to the inputs in order, reads a file only
// when an input asks for its content, and then once; it reads nothing the
// user left out.
func TestDiscover(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"a/main.tf":          "",
		"a/plan.json":        `{"PLAN": 1, "ECS": 1}`,
		"a/task.json":        `{"ECS": 1}`,
		"a/package.json":     `{}`,
		"b/big.json":         `{"ECS": 1, "pad": "` + strings.Repeat("x", input.HeadSize) + `"}`,
		"examples/task.json": `{"ECS": 1}`,
		"examples/main.tf":   "",
		"node_modules/x.tf":  "",
		".git/y.json":        `{"ECS": 1}`,
	})
	if err := os.Symlink("nowhere.json", filepath.Join(dir, "a", "dangling.json")); err != nil {
		t.Fatal(err)
	}
	// After the plan input read a file's head, the file changes: the ECS
	// input must still see what was read, not read it again.
	changed := filepath.Join(dir, "a", "task.json")
	tf := &fakeInput{name: "tf", suffix: ".tf"}
	plan := &fakeInput{name: "plan", suffix: ".json", mark: "PLAN", onHead: func(p string) {
		if p == changed {
			if err := os.WriteFile(p, []byte(`{"changed": 1}`), 0o644); err != nil {
				t.Error(err)
			}
		}
	}}
	ecs := &fakeInput{name: "ecs", suffix: ".json", mark: "ECS"}
	ins := []input.Input{tf, plan, ecs}
	excluded := func(p string) bool { return strings.Contains(filepath.ToSlash(p), "/examples") }
	d := discover([]string{dir}, ins, excluded)

	for i, want := range []struct{ files, leftOut string }{
		{"a/main.tf", "examples/main.tf"},
		{"a/plan.json", ""},
		{"a/task.json b/big.json", ""},
	} {
		if got := paths(d.files[i], dir); got != want.files {
			t.Errorf("%s claimed %q, want %q", ins[i].Name(), got, want.files)
		}
		if got := paths(d.leftOut[i], dir); got != want.leftOut {
			t.Errorf("%s left out %q, want %q", ins[i].Name(), got, want.leftOut)
		}
	}
	if len(d.errors) != 1 || d.errors[0].Summary != "Cannot read file" || !strings.HasSuffix(d.errors[0].Subject.Filename, "dangling.json") {
		t.Errorf("errors: %v", d.errors)
	}
	// What was read whole is handed on; a head cut short is not.
	for _, f := range d.files[2] {
		switch filepath.Base(f.Path) {
		case "task.json":
			if string(f.Src) != `{"ECS": 1}` {
				t.Errorf("task.json handed on as %q", f.Src)
			}
		case "big.json":
			if f.Src != nil {
				t.Errorf("a head cut short was handed on as the file")
			}
		}
		if f.Root != dir {
			t.Errorf("%s: root %q", f.Path, f.Root)
		}
	}
}

// Run hands each input its files, asks for what mentions the roles the
// configurations name, and checks every configuration.
func TestRunAsksForRoles(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"x.fake": "", "y.fake": ""})
	in := &fakeInput{name: "fake", suffix: ".fake"}
	seen := 0
	rule := &lint.Rule{ID: "CP999", Name: "count", Severity: lint.Note, Run: func(p *lint.Pass) { seen++ }}
	// The fake input's configurations name no role: nothing is asked for.
	res := Run(context.Background(), Options{Paths: []string{dir}, Inputs: []input.Input{in}, Rules: []*lint.Rule{rule}})
	if seen != 2 || res.Stats.Files != 2 || len(in.files) != 2 || in.asked != nil {
		t.Errorf("rule ran %d times, %d files, input got %d, asked %v", seen, res.Stats.Files, len(in.files), in.asked)
	}

	roles := &roleInput{}
	seen = 0
	Run(context.Background(), Options{Paths: []string{dir}, Inputs: []input.Input{roles}, Rules: []*lint.Rule{rule}})
	if strings.Join(roles.asked, " ") != "missing defined" || seen != 2 {
		t.Errorf("asked for %v, rule ran %d times", roles.asked, seen)
	}
}

// roleInput loads one configuration whose task definition names a role by
// ARN that it does not define, and defines another.
type roleInput struct{ asked []string }

func (*roleInput) Name() string                         { return "roles" }
func (*roleInput) Claim(p string, _ func() []byte) bool { return strings.HasSuffix(p, "x.fake") }
func (r *roleInput) Load(context.Context, []input.File, input.Env) input.Loaded {
	cfg := &model.Config{
		TaskDefinitions: []*model.TaskDefinition{{ExecutionRole: model.Ref{Value: "arn:aws:iam::111122223333:role/team/missing"}}},
		Roles:           []*model.Role{{Name: model.Fact[string]{V: "defined", Known: true}}},
	}
	return input.Loaded{Configs: []*model.Config{cfg}, LoadMentioning: func(_ context.Context, names []string) input.Loaded {
		r.asked = names
		return input.Loaded{Configs: []*model.Config{{Dir: "later"}}}
	}}
}

// A run whose context is done says so: what was not read was not checked.
func TestRunStopped(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"x.fake": ""})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	in := &fakeInput{name: "fake", suffix: ".fake"}
	res := Run(ctx, Options{Paths: []string{dir}, Inputs: []input.Input{in}})
	if len(res.Errors) != 1 || res.Errors[0].Summary != "Run stopped" || res.Stats.Files != 0 {
		t.Errorf("errors %v, files %d", res.Errors, res.Stats.Files)
	}
}

// A panic in an input's load or in a rule is an internal error, told apart
// from bad input; the other inputs are still loaded and the other rules
// still run.
func TestRunPanics(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"x.fake": "", "y.boom": ""})
	good := &fakeInput{name: "fake", suffix: ".fake"}
	ran := 0
	rules := []*lint.Rule{
		{ID: "CP998", Name: "boom", Severity: lint.Error, Run: func(*lint.Pass) { panic("rule boom") }},
		{ID: "CP999", Name: "count", Severity: lint.Note, Run: func(*lint.Pass) { ran++ }},
	}
	res := Run(context.Background(), Options{Paths: []string{dir}, Inputs: []input.Input{boomInput{}, good}, Rules: rules})
	if ran != 1 {
		t.Errorf("the rule after the one that panicked ran %d times", ran)
	}
	var internal []string
	for _, d := range res.Errors {
		if input.IsInternal(d) {
			first, _, _ := strings.Cut(d.Detail, "\n")
			internal = append(internal, first)
		}
	}
	want := "canpull failed while loading the boom input: input boom|canpull failed while running rule CP998: rule boom"
	if strings.Join(internal, "|") != want {
		t.Errorf("internal errors %q, want %q (all: %v)", internal, want, res.Errors)
	}
}

// A panic in the registry check is an internal error too, and the rules
// still run.
func TestRunCheckerPanics(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"x.task": ""})
	ran := 0
	rule := &lint.Rule{ID: "CP999", Name: "count", Severity: lint.Note, Run: func(*lint.Pass) { ran++ }}
	res := Run(context.Background(), Options{Paths: []string{dir}, Inputs: []input.Input{taskInput{}}, Rules: []*lint.Rule{rule},
		ImageChecker: boomChecker{}})
	if ran != 1 {
		t.Errorf("the rule ran %d times, want once", ran)
	}
	if len(res.Errors) != 1 || !input.IsInternal(res.Errors[0]) ||
		!strings.HasPrefix(res.Errors[0].Detail, "canpull failed while checking the images in their registries: checker boom") {
		t.Errorf("errors: %v", res.Errors)
	}
}

// taskInput loads one task definition with one image from each file.
type taskInput struct{}

func (taskInput) Name() string                         { return "task" }
func (taskInput) Claim(p string, _ func() []byte) bool { return strings.HasSuffix(p, ".task") }
func (taskInput) Load(_ context.Context, files []input.File, _ input.Env) input.Loaded {
	var out input.Loaded
	for _, f := range files {
		td := &model.TaskDefinition{Meta: model.Meta{Addr: f.Path}, ContainersKnown: true,
			Containers: []*model.Container{{Image: model.KnownFact("nginx:1.27", hcl.Range{Filename: f.Path})}}}
		cfg := &model.Config{Dir: f.Path}
		cfg.Add(td)
		out.Configs = append(out.Configs, cfg)
	}
	return out
}

type boomChecker struct{}

func (boomChecker) CheckImages(context.Context, []model.ImageQuery) []model.ImageCheck {
	panic("checker boom")
}

type boomInput struct{}

func (boomInput) Name() string                         { return "boom" }
func (boomInput) Claim(p string, _ func() []byte) bool { return strings.HasSuffix(p, ".boom") }
func (boomInput) Load(context.Context, []input.File, input.Env) input.Loaded {
	panic("input boom")
}

// A run whose time runs out while an input is loading checks what the input
// had loaded, and the input lists what it did not finish.
func TestRunOutOfTime(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"a.slow": "", "b.slow": ""})
	ctx, cancel := context.WithTimeoutCause(context.Background(), 50*time.Millisecond, errors.New("out of time"))
	defer cancel()
	ran := 0
	rule := &lint.Rule{ID: "CP999", Name: "count", Severity: lint.Note, Run: func(*lint.Pass) { ran++ }}
	res := Run(ctx, Options{Paths: []string{dir}, Inputs: []input.Input{slowInput{}}, Rules: []*lint.Rule{rule}})
	if ran != 1 {
		t.Errorf("the rule ran over %d configurations, want the one loaded", ran)
	}
	var got []string
	for _, d := range res.Errors {
		got = append(got, d.Summary)
	}
	if strings.Join(got, ", ") != "Not finished, Run stopped" || !strings.Contains(res.Errors[1].Detail, "out of time") {
		t.Errorf("errors: %v", res.Errors)
	}
}

// slowInput loads its first file, then takes until the run's time is up
// over the next.
type slowInput struct{}

func (slowInput) Name() string                         { return "slow" }
func (slowInput) Claim(p string, _ func() []byte) bool { return strings.HasSuffix(p, ".slow") }
func (slowInput) Load(ctx context.Context, files []input.File, _ input.Env) input.Loaded {
	out := input.Loaded{Configs: []*model.Config{{Dir: files[0].Path}}}
	<-ctx.Done()
	for _, f := range files[1:] {
		out.Diags = append(out.Diags, input.NotFinished(ctx, f.Path))
	}
	return out
}

// Could-not-verify notes from the inputs become notes of CP001, when it
// runs.
func TestMissingNotes(t *testing.T) {
	m := input.Missing{What: "module \"x\"", Hint: "run terraform init", Range: hcl.Range{Filename: "main.tf", Start: hcl.Pos{Line: 3, Column: 1}}}
	if fs := missingNotes([]input.Missing{m}, Options{}); len(fs) != 0 {
		t.Errorf("notes without CP001: %v", fs)
	}
	fs := missingNotes([]input.Missing{m}, Options{Rules: []*lint.Rule{lint.UnverifiedInput}})
	if len(fs) != 1 || fs[0].RuleID != "CP001" || !fs[0].Unverified || fs[0].Fix != m.Hint || fs[0].Range != m.Range {
		t.Errorf("notes: %+v", fs)
	}
}
