package corpus

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/internal/parsefloor"
	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
	"github.com/canpull/canpull/lint/inputs"
	"github.com/canpull/canpull/lint/terraform"
	"github.com/canpull/canpull/rules"
)

// go test ./lint/corpus -run TestWriteCorpus -corpus.dir /tmp/corpus -corpus.files 2800
// writes a corpus to measure the command itself with /usr/bin/time -v.
var (
	corpusDir   = flag.String("corpus.dir", "", "write a corpus to this folder (TestWriteCorpus)")
	corpusFiles = flag.Int("corpus.files", 2800, ".tf files in the corpus TestWriteCorpus writes")
)

func TestWriteCorpus(t *testing.T) {
	if *corpusDir == "" {
		t.Skip("give -corpus.dir to write a corpus")
	}
	st, err := Write(*corpusDir, Spec{Files: *corpusFiles})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", st)
}

// golden is the corpus that TestCorpusLints and TestCorpusGolden share,
// written and linted once (every shape, 1,000 .tf files).
var golden = sync.OnceValues(func() (goldenRun, error) {
	dir, err := os.MkdirTemp(memoryTemp(), "canpull-corpus-")
	if err != nil {
		return goldenRun{}, err
	}
	defer os.RemoveAll(dir)
	st, err := Write(dir, Spec{Files: 1000})
	if err != nil {
		return goldenRun{}, err
	}
	res := run(dir, true)
	return goldenRun{st, res, dump(dir, res)}, nil
})

// memoryTemp is a folder in memory to write the corpus in, where the
// system has one (Linux's /dev/shm), else "" (the usual temporary folder).
// Creating its 1,300 files and folders on a disk-backed /tmp took 1.2–1.9 s
// of system CPU on a virtual machine, and 0.15 s in memory; the files are
// the same either way.
func memoryTemp() string {
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		if f, err := os.CreateTemp("/dev/shm", "canpull-probe-"); err == nil {
			f.Close()
			os.Remove(f.Name())
			return "/dev/shm"
		}
	}
	return ""
}

type goldenRun struct {
	stats Stats
	res   *driver.Result
	dump  string
}

// TestCorpusLints checks that a generated corpus loads without errors,
// that canpull loads the root modules that hold or call what the rules
// read and only those, and that the rules run over every service in them.
func TestCorpusLints(t *testing.T) {
	t.Parallel()
	g, err := golden()
	if err != nil {
		t.Fatal(err)
	}
	st, res := g.stats, g.res
	if len(res.Errors) > 0 {
		t.Fatalf("input errors: %v", res.Errors)
	}
	if st.Plans == 0 {
		t.Error("the corpus has no plan")
	}
	if res.Stats.Modules != st.ECSRootModules+st.Plans {
		t.Errorf("root modules loaded: got %d, want %d and %d plans", res.Stats.Modules, st.ECSRootModules, st.Plans)
	}
	if res.Stats.Services != st.Services {
		t.Errorf("services: got %d, want %d", res.Stats.Services, st.Services)
	}
	// The corpus plants a few mistakes, and no others; what canpull could
	// not verify (CP001, shown because the golden run asks for it) is no
	// finding.
	for _, f := range res.Findings {
		switch f.RuleID {
		case "CP203", "CP301", "CP304", lint.UnverifiedInput.ID:
		default:
			t.Errorf("a finding the corpus does not plant: %s:%d %s %s", f.Range.Filename, f.Range.Start.Line, f.RuleID, f.Message)
		}
	}
}

var updateGolden = flag.Bool("update", false, "rewrite testdata/corpus.golden")

// TestCorpusGolden keeps canpull's output on a corpus of every shape the
// same while the code that produces it changes (made faster, say): the
// findings, the notes that --show-unverified shows, the input errors and
// the counts. A change in what canpull finds shows here first; when the
// change is meant (a rule's words changed), run
//
//	go test ./lint/corpus -run TestCorpusGolden -update
//
// and read the diff of testdata/corpus.golden.
func TestCorpusGolden(t *testing.T) {
	t.Parallel()
	g, err := golden()
	if err != nil {
		t.Fatal(err)
	}
	got := g.dump
	const golden = "testdata/corpus.golden"
	if *updateGolden {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("the output on the corpus changed (-want +got); if that is meant, run with -update:\n%s", diff)
	}
}

// run lints dir as the command does, every rule on.
func run(dir string, showUnverified bool) *driver.Result {
	all := append(rules.All(), lint.Builtins()...)
	return driver.Run(context.Background(), driver.Options{Paths: []string{dir}, Rules: all, Catalog: all,
		Inputs: inputs.All(inputs.Options{}), ShowUnverified: showUnverified})
}

// dump writes a result as stable text, with paths relative to dir.
func dump(dir string, res *driver.Result) string {
	rel := func(r hcl.Range) string {
		name, err := filepath.Rel(dir, r.Filename)
		if err != nil {
			name = r.Filename
		}
		return fmt.Sprintf("%s:%d:%d-%d:%d", filepath.ToSlash(name), r.Start.Line, r.Start.Column, r.End.Line, r.End.Column)
	}
	var b strings.Builder
	for _, f := range res.Findings {
		fmt.Fprintf(&b, "%s %s %s: %s\n", rel(f.Range), f.Severity, f.RuleID, f.Message)
		for _, r := range f.Related {
			fmt.Fprintf(&b, "  related %s %s\n", rel(r.Range), r.Message)
		}
	}
	for _, d := range res.Errors {
		where := "-"
		if d.Subject != nil {
			where = rel(*d.Subject)
		}
		fmt.Fprintf(&b, "%s error: %s: %s\n", where, d.Summary, strings.ReplaceAll(d.Detail, dir, "DIR"))
	}
	st := res.Stats // by name, so that a new count does not change the file
	fmt.Fprintf(&b, "files %d, root modules %d, task definitions %d, services %d, unverified %d (%d task definitions, %d services), unknown facts %d, suppressed %d\n",
		st.Files, st.Modules, st.TaskDefinitions, st.Services, st.Unverified, st.UnverifiedTaskDefinitions, st.UnverifiedServices, st.UnknownFacts, st.Suppressed)
	return b.String()
}

// sizes are the corpora BenchmarkRun lints: the public corpus's size
// (2,800 .tf files) and twice that, to see that time grows no faster than
// the input, and two smaller ones.
var sizes = []int{300, 1400, 2800, 5600}

// benchDirEnv names a folder of real repositories that BenchmarkRun and
// BenchmarkParseAll measure instead of the generated corpora, so that
// canpull and the parse-only floor can be compared on any set of
// repositories:
//
//	CANPULL_BENCH_DIR=/tmp/repos go test ./lint/corpus -run '^$' -bench 'Run|ParseAll'
const benchDirEnv = "CANPULL_BENCH_DIR"

// benchDir is the folder benchDirEnv names, or "" to use generated corpora.
func benchDir(b *testing.B) string {
	dir := os.Getenv(benchDirEnv)
	if dir == "" {
		return ""
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		b.Fatalf("%s=%s: not a folder", benchDirEnv, dir)
	}
	return dir
}

// reportCPU reports the CPU time per operation (cpu-ns/op) from when it is
// called to the end of the benchmark: on a busy machine it varies less than
// the wall time, which another process's work lengthens.
func reportCPU(b *testing.B) {
	start, ok := processCPU()
	if !ok {
		return
	}
	b.Cleanup(func() {
		if end, _ := processCPU(); b.N > 0 {
			b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
		}
	})
}

// BenchmarkRun lints whole corpora: discovery, loading, evaluation and
// checking, as the command does. .ci/bench measures the command itself
// (wall time, CPU, peak memory).
func BenchmarkRun(b *testing.B) {
	if dir := benchDir(b); dir != "" {
		b.Run("dir", func(b *testing.B) {
			b.ReportAllocs()
			reportCPU(b)
			for b.Loop() {
				run(dir, false) // real repositories may hold input errors
			}
		})
		return
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("tf=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			st, err := Write(dir, Spec{Files: n})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(st.Lines), "lines")
			b.ReportAllocs()
			reportCPU(b)
			for b.Loop() { // the time to write the corpus is left out
				if res := run(dir, false); len(res.Errors) > 0 {
					b.Fatal(res.Errors)
				}
			}
		})
	}
}

// BenchmarkParseAll is the floor BenchmarkRun is compared with: walk the
// corpus and parse every .tf file with hclsyntax on GOMAXPROCS goroutines,
// evaluating nothing. canpull skips what cannot matter, so it should take
// less. With CANPULL_BENCH_DIR it parses that folder's .tf files instead
// (and does not fail on a file with syntax errors: real repositories hold
// test cases that are meant to be wrong).
func BenchmarkParseAll(b *testing.B) {
	if dir := benchDir(b); dir != "" {
		b.Run("dir", func(b *testing.B) {
			b.ReportAllocs()
			reportCPU(b)
			for b.Loop() {
				if got := parseAll(b, dir, false); got == 0 {
					b.Fatal("no .tf file parsed")
				}
			}
		})
		return
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("tf=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			if _, err := Write(dir, Spec{Files: n}); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			reportCPU(b)
			for b.Loop() {
				if got := parseAll(b, dir, true); got == 0 {
					b.Fatal("no .tf file parsed")
				}
			}
		})
	}
}

// parseAll parses every .tf file under dir but those of .terraform and
// .git (parsefloor.Parse), and returns how many; strict fails the
// benchmark on a syntax error.
func parseAll(b *testing.B, dir string, strict bool) int {
	c, err := parsefloor.Parse(dir, runtime.GOMAXPROCS(0))
	if err != nil {
		b.Fatal(err)
	}
	if strict && c.Broken > 0 {
		b.Fatalf("%d .tf files of the corpus do not parse", c.Broken)
	}
	return c.Files
}

// BenchmarkLoad loads and evaluates one ECS root module with its modules.
func BenchmarkLoad(b *testing.B) {
	dir := b.TempDir()
	if _, err := Write(dir, Spec{Files: 30, ServicesPerRoot: 8, ECSEvery: 2}); err != nil {
		b.Fatal(err)
	}
	root := ecsRootOf(b, dir)
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := terraform.Load(root, terraform.Options{}); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
}

// BenchmarkCheck runs the rules over an already loaded configuration.
func BenchmarkCheck(b *testing.B) {
	dir := b.TempDir()
	if _, err := Write(dir, Spec{Files: 30, ServicesPerRoot: 8, ECSEvery: 2}); err != nil {
		b.Fatal(err)
	}
	res, diags := terraform.Load(ecsRootOf(b, dir), terraform.Options{})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	all := rules.All()
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range all {
			lint.RunRule(r, res.Config)
		}
	}
}

// ecsRootOf finds an ECS root module of the platform.
func ecsRootOf(b *testing.B, dir string) string {
	matches, _ := filepath.Glob(filepath.Join(dir, "platform", "components", "*", "*", "terraform.tfvars"))
	if len(matches) == 0 {
		b.Fatal("no ECS root module in the corpus")
	}
	return filepath.Dir(matches[0])
}
