package rules

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/cloudformation"
	"github.com/canpull/canpull/lint/driver"
	"github.com/canpull/canpull/lint/inputs"
	imagecheck "github.com/canpull/canpull/lint/registry"
	"github.com/canpull/canpull/lint/registry/registrytest"
	"github.com/canpull/canpull/lint/terraform"
)

// The fixture harness. Each folder fixtures/<ID>/<case>/ is linted with
// every rule, as the command lints it (every input). Terraform and OpenTofu
// files mark the line a finding must point at with a comment "# want
// CP203" (several IDs may share a line; "CP302:warning" also checks the
// severity; "error" stands for an input error); JSON cases list
// "FILE:LINE CP101" lines in a file named want. A finding that nothing wants fails the test, and so does a want
// that nothing matched. A comment "# related CP304" names a line that some
// finding of the rule must list among its related locations. An optional
// file named flags holds command-line
// settings for the case: "--account-id 123456789012", "--var name=value",
// "--show-unverified CP210" (match the could-not-verify notes of the rules
// named against the wants too, so that "# want CP210:note" can assert where
// a rule had to stop; CP001 names the notes of the loaders, such as a
// module that terraform init must install again).
// An optional file named registry-images turns on the registry check
// (--check-images) against in-process registries that hold the images it
// lists (see registrytest.Contents): the fixture names images as users do,
// and no request leaves the machine.

const fixturesDir = "../fixtures"

var wantComment = regexp.MustCompile(`(?:#|//)\s*want\s+((?:(?:CP\d{3}(?::(?:error|warning|note))?|error)\s*)+)`)

// relatedComment marks a line that a finding of the rule must name among
// its related locations: "# related CP304" (the way a value went from
// where it is written to where the rule met it).
var relatedComment = regexp.MustCompile(`(?:#|//)\s*related\s+((?:CP\d{3}\s*)+)`)

func TestFixtures(t *testing.T) {
	t.Parallel()
	cases, err := filepath.Glob(filepath.Join(fixturesDir, "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	perRule := map[string]int{}
	for _, dir := range cases {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			continue
		}
		rel, _ := filepath.Rel(fixturesDir, dir)
		perRule[filepath.Dir(rel)]++
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			t.Parallel()
			runFixture(t, dir)
		})
	}
	// Every rule has fixtures.
	for _, r := range All() {
		if perRule[r.ID] == 0 {
			t.Errorf("rule %s has no fixtures under %s/%s", r.ID, fixturesDir, r.ID)
		}
	}
}

// runDriver runs the driver as the command does, with every input.
func runDriver(opts driver.Options, in inputs.Options) *driver.Result {
	opts.Inputs = inputs.All(in)
	return driver.Run(context.Background(), opts)
}

func runFixture(t *testing.T, dir string) {
	// With the could-not-verify notes, whose texts are checked too; they
	// are not matched against the wants.
	opts := driver.Options{Paths: []string{dir}, Rules: append(All(), lint.UnverifiedInput), ShowUnverified: true}
	var in inputs.Options
	notes := readFlags(t, dir, &opts, &in)
	serveRegistry(t, dir, &opts)
	res := runDriver(opts, in)

	want, wantRelated := map[string]int{}, map[string]int{}
	collectWants(t, dir, want, wantRelated)
	gotRelated := map[string]bool{}

	got := map[string]int{}
	var gotText []string
	for _, f := range res.Findings {
		checkTexts(t, f)
		id := f.RuleID
		if f.Unverified {
			// A rule's note counts as the rule's; the loaders' own
			// notes (no rule stopped) as CP001's.
			if f.StoppedRule != "" {
				id = f.StoppedRule
			}
			if !notes[id] {
				continue
			}
		}
		k := key(dir, f.Range.Filename, f.Range.Start.Line, id)
		got[k]++
		if ks := k + ":" + f.Severity.String(); want[ks] > 0 {
			got[ks]++
		}
		gotText = append(gotText, fmt.Sprintf("%s: %s %s", k, f.Severity, f.Message))
		for _, r := range f.Related {
			rk := key(dir, r.Range.Filename, r.Range.Start.Line, f.RuleID)
			gotRelated[rk] = true
			gotText = append(gotText, fmt.Sprintf("  related %s: %s", rk, r.Message))
		}
	}
	for _, d := range res.Errors {
		file, line := "", 0
		if d.Subject != nil {
			file, line = d.Subject.Filename, d.Subject.Start.Line
		}
		k := key(dir, file, line, "error")
		got[k]++
		gotText = append(gotText, fmt.Sprintf("%s: %s: %s", k, d.Summary, d.Detail))
	}
	for k, n := range got {
		if want[k] < n {
			t.Errorf("unexpected: %s", k)
		}
	}
	for k, n := range want {
		if got[k] < n {
			t.Errorf("wanted but not reported: %s", k)
		}
	}
	for k := range wantRelated {
		if !gotRelated[k] {
			t.Errorf("wanted as a related location but not named: %s", k)
		}
	}
	if t.Failed() {
		sort.Strings(gotText)
		t.Logf("reported:\n  %s", strings.Join(gotText, "\n  "))
	}
}

func key(dir, file string, line int, id string) string {
	rel, err := filepath.Rel(dir, file)
	if err != nil {
		rel = file
	}
	return fmt.Sprintf("%s:%d %s", filepath.ToSlash(rel), line, id)
}

// collectWants reads the want comments of every Terraform file and the
// want file of the case.
func collectWants(t *testing.T, dir string, want, related map[string]int) {
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := d.Name()
		if name == "want" {
			return readWantFile(dir, path, want)
		}
		if !hasWantComments(name) {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			if m := relatedComment.FindStringSubmatch(sc.Text()); m != nil {
				for _, id := range strings.Fields(m[1]) {
					related[key(dir, path, line, id)]++
				}
			}
			m := wantComment.FindStringSubmatch(sc.Text())
			if m == nil {
				continue
			}
			for _, id := range strings.Fields(m[1]) {
				addWant(want, dir, path, line, id)
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}

func readWantFile(dir, path string, want map[string]int) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	for _, line := range strings.Split(string(src), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		loc, ids, ok := strings.Cut(line, " ")
		file, lineNo, ok2 := strings.Cut(loc, ":")
		if !ok || !ok2 {
			return fmt.Errorf("%s: bad line %q: want FILE:LINE ID", path, line)
		}
		var n int
		if _, err := fmt.Sscanf(lineNo, "%d", &n); err != nil {
			return fmt.Errorf("%s: bad line number in %q", path, line)
		}
		for _, id := range strings.Fields(ids) {
			addWant(want, dir, filepath.Join(dir, file), n, id)
		}
	}
	return nil
}

// hasWantComments reports the files whose comments may say what they
// want: Terraform's and YAML templates.
func hasWantComments(name string) bool {
	for _, ext := range []string{".tf", ".tofu", ".tfvars", ".tftpl", ".yaml", ".yml"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// addWant records a wanted finding; "CP302:warning" wants the finding and
// its severity.
func addWant(want map[string]int, dir, file string, line int, id string) {
	plain, _, _ := strings.Cut(id, ":")
	want[key(dir, file, line, plain)]++
	if plain != id {
		want[key(dir, file, line, id)]++
	}
}

// readFlags applies the case's flags file. It returns the rules whose
// notes the case asserts.
func readFlags(t *testing.T, dir string, opts *driver.Options, in *inputs.Options) map[string]bool {
	notes := map[string]bool{}
	src, err := os.ReadFile(filepath.Join(dir, "flags"))
	if os.IsNotExist(err) {
		return notes
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(src), "\n") {
		flag, val, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch flag {
		case "":
		case "--account-id":
			opts.AccountID = val
			in.Terraform.AccountID = val
		case "--var":
			in.Terraform.Vars = append(in.Terraform.Vars, terraform.VarArg{Assignment: val})
		case "--var-file":
			in.Terraform.Vars = append(in.Terraform.Vars, terraform.VarArg{File: filepath.Join(dir, val)})
		case "--param":
			in.CloudFormation.Params = append(in.CloudFormation.Params, cloudformation.Param{Assignment: val})
		case "--param-file":
			in.CloudFormation.Params = append(in.CloudFormation.Params, cloudformation.Param{File: filepath.Join(dir, val)})
		case "--show-unverified":
			for _, id := range strings.Fields(val) {
				notes[id] = true
			}
		default:
			t.Fatalf("flags: unsupported flag %q", flag)
		}
	}
	return notes
}

// serveRegistry starts the registries of the case's registry-images file, if it
// has one, and gives the run a checker that asks them.
func serveRegistry(t *testing.T, dir string, opts *driver.Options) {
	path := filepath.Join(dir, "registry-images")
	if _, err := os.Stat(path); os.IsNotExist(err) {
		return
	}
	contents, err := registrytest.ReadContents(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := imagecheck.New(imagecheck.Options{
		Transport: contents.Serve(t),
		Keychain:  imagecheck.NewKeychain("", nil),
		Platforms: true,
		Sizes:     true,
		Timeout:   5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	opts.ImageChecker = c
}
