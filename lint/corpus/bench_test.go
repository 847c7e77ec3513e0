package corpus

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
	"github.com/canpull/canpull/lint/inputs"
	"github.com/canpull/canpull/lint/terraform"
	"github.com/canpull/canpull/rules"
)

// go test ./lint/corpus -run TestWriteCorpus -corpus.dir /tmp/corpus -corpus.files 3000
// writes a corpus to measure the command itself with /usr/bin/time -v.
var (
	corpusDir   = flag.String("corpus.dir", "", "write a corpus to this folder (TestWriteCorpus)")
	corpusFiles = flag.Int("corpus.files", 3000, "files in the corpus TestWriteCorpus writes")
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

// TestCorpusLints checks that a generated corpus loads without errors and
// that the rules run over every ECS root module in it.
func TestCorpusLints(t *testing.T) {
	dir := t.TempDir()
	st, err := Write(dir, Spec{Files: 120})
	if err != nil {
		t.Fatal(err)
	}
	res := driver.Run(context.Background(), driver.Options{Paths: []string{dir}, Rules: rules.All(), Inputs: inputs.All(inputs.Options{})})
	if len(res.Errors) > 0 {
		t.Fatalf("input errors: %v", res.Errors)
	}
	// Every ECS root module is loaded, and only those: the others hold
	// nothing the rules read.
	if res.Stats.Modules != st.ECSRootModules {
		t.Errorf("root modules loaded: got %d, want %d", res.Stats.Modules, st.ECSRootModules)
	}
	if res.Stats.Services != st.Services {
		t.Errorf("services: got %d, want %d", res.Stats.Services, st.Services)
	}
	for _, f := range res.Findings {
		t.Errorf("the corpus is a clean deployment, yet: %s:%d %s %s", f.Range.Filename, f.Range.Start.Line, f.RuleID, f.Message)
	}
}

var sizes = []int{10, 100, 1000, 3000, 5000}

// BenchmarkRun lints whole corpora: discovery, loading, evaluation and
// checking, as the command does.
func BenchmarkRun(b *testing.B) {
	for _, n := range sizes {
		dir := b.TempDir()
		st, err := Write(dir, Spec{Files: n})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("files=%d/lines=%d", st.Files, st.Lines), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res := driver.Run(context.Background(), driver.Options{Paths: []string{dir}, Rules: rules.All(), Inputs: inputs.All(inputs.Options{})})
				if len(res.Errors) > 0 {
					b.Fatal(res.Errors)
				}
			}
		})
	}
}

// BenchmarkLoad loads and evaluates one ECS root module with its modules.
func BenchmarkLoad(b *testing.B) {
	dir := b.TempDir()
	if _, err := Write(dir, Spec{Files: 30, ServicesPerRoot: 8}); err != nil {
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
	if _, err := Write(dir, Spec{Files: 30, ServicesPerRoot: 8}); err != nil {
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

func ecsRootOf(b *testing.B, dir string) string {
	matches, _ := filepath.Glob(filepath.Join(dir, "envs", "*", "*", "iam.tf"))
	if len(matches) == 0 {
		b.Fatal("no ECS root module in the corpus")
	}
	return filepath.Dir(matches[0])
}
