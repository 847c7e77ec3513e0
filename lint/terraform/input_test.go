package terraform

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/input"
	"github.com/canpull/canpull/lint/terraform/budget"
)

// OpenTofu reads foo.tofu instead of foo.tf, and foo.tofu.json instead of
// foo.tf.json; a twin of the other syntax is not a twin.
func TestModuleFilesOpenTofu(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"main.tf": "", "main.tofu": "",
		"vars.tf.json": "{}", "vars.tofu.json": "{}",
		"net.tf": "", "only.tofu.json": "{}",
		"mixed.tf.json": "{}", "mixed.tofu": "",
		"override.tofu": "", "a_override.tf": "", "b_override.tofu.json": "{}",
		".hidden.tofu": "", "notes.tofu.md": "", "terraform.tfvars": "",
	})
	got, err := moduleFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		got[i] = filepath.Base(got[i])
	}
	want := []string{"main.tofu", "mixed.tf.json", "mixed.tofu", "net.tf", "only.tofu.json", "vars.tofu.json"}
	if !slices.Equal(got, want) {
		t.Errorf("module files:\n got %v\nwant %v", got, want)
	}
}

func TestInputClaim(t *testing.T) {
	in := NewInput(Options{})
	noHead := func() []byte { t.Error("Terraform files are claimed by name: the head was read"); return nil }
	for name, want := range map[string]bool{
		"a/main.tf": true, "main.tf.json": true, "main.tofu": true, "x.tofu.json": true,
		"terraform.tfvars": true, "prod.auto.tfvars.json": true,
		"task.json": false, "main.tftpl": false, "README.md": false, "main.tf.bak": false,
	} {
		if got := in.Claim(name, noHead); got != want {
			t.Errorf("Claim(%q) = %v, want %v", name, got, want)
		}
	}
}

// filesUnder lists the files under dir as discovery gives them: paths
// with the folder as the path argument.
func filesUnder(t *testing.T, dir string, leftOut func(string) bool) (files, out []input.File) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f := input.File{Path: p, Root: dir}
		if rel, _ := filepath.Rel(dir, p); leftOut != nil && leftOut(filepath.ToSlash(rel)) {
			out = append(out, f)
		} else {
			files = append(files, f)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files, out
}

const ecsTask = `
resource "aws_ecs_task_definition" "t" {
  family                = "t"
  execution_role_arn    = "arn:aws:iam::111122223333:role/exec-role"
  container_definitions = jsonencode([{ name = "a", image = "nginx" }])
}
`

func TestInputLoad(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		// A root module that calls a local module: one root, not two.
		"app/main.tf":         "module \"svc\" {\n  source = \"../modules/svc\"\n}\n",
		"modules/svc/main.tf": "# canpull:ignore CP301 a mirror" + ecsTask,
		// A module that only a left-out folder calls is still a module.
		"examples/x/main.tf": "module \"s\" {\n  source = \"../../shared\"\n}\n",
		"shared/main.tf":     ecsTask,
		// Nothing the rules read: skipped unless a role name calls for it.
		"iam/main.tf":     "resource \"aws_iam_role\" \"r\" {\n  name = \"exec-role\"\n}\n",
		"buckets/main.tf": "resource \"aws_s3_bucket\" \"b\" {}\n",
	})
	files, out := filesUnder(t, dir, func(rel string) bool { return strings.HasPrefix(rel, "examples/") })
	l := NewInput(Options{}).Load(context.Background(), files, input.Env{LeftOut: out})
	if len(l.Diags) > 0 {
		t.Fatal(l.Diags)
	}
	if l.Modules != 1 || len(l.Configs) != 1 || l.Configs[0].Dir != filepath.Join(dir, "app") {
		t.Fatalf("loaded %d root modules: %v", l.Modules, l.Configs)
	}
	if _, ok := l.Sources[filepath.Join(dir, "modules/svc/main.tf")]; !ok {
		t.Errorf("the called module's file is not among the sources")
	}
	if len(l.Ignores) != 1 || l.Ignores[0].Rules[0] != "CP301" || len(l.Ignores[0].Covers) == 0 {
		t.Errorf("ignores: %+v", l.Ignores)
	}
	if l.LoadMentioning == nil {
		t.Fatal("skipped root modules, yet no way to load them")
	}
	more := l.LoadMentioning(context.Background(), []string{"exec-role"})
	if more.Modules != 1 || more.Configs[0].Dir != filepath.Join(dir, "iam") || len(more.Configs[0].Roles) != 1 {
		t.Errorf("loaded on demand: %d modules %v", more.Modules, more.Configs)
	}
	if len(more.Ignores) != 0 {
		t.Errorf("ignores read twice: %+v", more.Ignores)
	}

	// A run that is cancelled loads nothing more, and says what it did not
	// finish: never a folder skipped in silence.
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errors.New("the run took longer than its timeout"))
	l = NewInput(Options{}).Load(ctx, files, input.Env{})
	if len(l.Configs) != 0 {
		t.Errorf("cancelled, yet loaded %d root modules", len(l.Configs))
	}
	var unfinished []string
	for _, d := range l.Diags {
		if d.Summary != "Not finished" || !strings.Contains(d.Detail, "the run took longer than its timeout") {
			t.Errorf("cancelled: %s: %s", d.Summary, d.Detail)
		}
		rel, _ := filepath.Rel(dir, d.Subject.Filename)
		unfinished = append(unfinished, filepath.ToSlash(rel))
	}
	sort.Strings(unfinished)
	if got := strings.Join(unfinished, " "); got != "app modules/svc shared" {
		t.Errorf("not finished: %s, want app modules/svc shared", got)
	}
}

// A folder that the quick scan takes for a called module is linted
// through its caller or on its own, never neither: here the call sits in a
// module that has no instances, so no load reads the module it calls.
func TestInputLoadsWhatNoCallerRead(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"app/main.tf":    "module \"off\" {\n  source = \"../off\"\n  count  = 0\n}\n",
		"off/main.tf":    "module \"svc\" {\n  source = \"../svc\"\n}\n",
		"svc/main.tf":    ecsTask,
		"quiet/main.tf":  "module \"m\" {\n  source = \"../m\"\n}\n",
		"m/main.tf":      "resource \"aws_s3_bucket\" \"b\" {}\n",
		"loop/a/main.tf": "module \"b\" {\n  source = \"../b\"\n}\n",
		"loop/b/main.tf": "module \"a\" {\n  source = \"../a\"\n}\n" + ecsTask,
	})
	files, _ := filesUnder(t, dir, nil)
	l := NewInput(Options{}).Load(context.Background(), files, input.Env{})
	var got []string
	for _, c := range l.Configs {
		rel, _ := filepath.Rel(dir, c.Dir)
		got = append(got, filepath.ToSlash(rel))
	}
	slices.Sort(got)
	if want := []string{"app", "loop/a", "svc"}; !slices.Equal(got, want) {
		t.Errorf("root modules loaded: %v, want %v", got, want)
	}
	cycles := 0
	for _, d := range l.Diags {
		if d.Summary == "Module call cycle" {
			cycles++
		}
	}
	if cycles != 1 || len(l.Diags) != 1 {
		t.Errorf("errors: %v", l.Diags)
	}
}

// A module that several root modules call is parsed once per run, and each
// root gets its own copy of its errors.
func TestInputParsesEachModuleOnce(t *testing.T) {
	files := map[string]string{
		"mod/main.tf":    ecsTask,
		"broken/main.tf": "resource \"aws_s3_bucket\" \"b\" {\n  bucket = [\n}\n",
	}
	for _, r := range []string{"a", "b", "c"} {
		files[r+"/main.tf"] = "module \"m\" {\n  source = \"../mod\"\n}\nmodule \"x\" {\n  source = \"../broken\"\n}\n"
	}
	dir := writeFiles(t, files)
	found, _ := filesUnder(t, dir, nil)
	before := parses.Load()
	l := NewInput(Options{}).Load(context.Background(), found, input.Env{})
	if got := parses.Load() - before; got != 5 {
		t.Errorf("%d module folders parsed, want 5: three roots, mod and broken once each", got)
	}
	if l.Modules != 3 {
		t.Fatalf("%d root modules loaded", l.Modules)
	}
	var errs []*hcl.Diagnostic
	for _, d := range l.Diags {
		if d.Subject != nil && strings.HasSuffix(d.Subject.Filename, filepath.Join("broken", "main.tf")) {
			errs = append(errs, d)
		}
	}
	if len(errs) != 3 || errs[0] == errs[1] || errs[1] == errs[2] {
		t.Errorf("want the parse error once per root, each its own: %v", errs)
	}
	if len(l.Configs[0].TaskDefinitions) != 1 || len(l.Configs[2].TaskDefinitions) != 1 {
		t.Errorf("the shared module's task definition is not in every root")
	}
}

// A parse kept for several loads evaluates declarations under a budget of
// its own: one that goes over it is not kept, and each load reports the
// overrun as it would without sharing.
func TestInputSharedParseOverBudget(t *testing.T) {
	big := "variable \"v\" {\n  default = [" + strings.Repeat("\"xxxxxxxxxxxxxxxxxxxx\", ", 500) + "]\n}\n" + ecsTask
	files := map[string]string{"mod/main.tf": big}
	for _, r := range []string{"a", "b"} {
		files[r+"/main.tf"] = "module \"m\" {\n  source = \"../mod\"\n}\n"
	}
	dir := writeFiles(t, files)
	found, _ := filesUnder(t, dir, nil)
	l := NewInput(Options{Limits: budget.Limits{Memory: 4000}}).Load(context.Background(), found, input.Env{})
	over := 0
	for _, d := range l.Diags {
		if d.Subject != nil && strings.HasSuffix(d.Subject.Filename, filepath.Join("mod", "main.tf")) {
			over++
		}
	}
	if over != 2 {
		t.Errorf("want the overrun once per root: %v", l.Diags)
	}
}
