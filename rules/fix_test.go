package rules

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
	"github.com/canpull/canpull/lint/fix"
	"github.com/canpull/canpull/lint/inputs"
)

// The fix harness. Each folder fixtures/fix/<case>/ is a fixture like any
// other (TestFixtures checks its want comments: the findings before the
// fix), and more: every file that --fix changes has beside it FILE.golden,
// the file after the fix, byte for byte; a file without one must not
// change. After the fix the case is linted again: no finding that was
// fixed may remain, and no new finding may appear. An optional file named
// left lists the findings that --fix must leave, one a line, "FILE:LINE
// CPnnn words of the reason"; one named new lists the findings that the
// fix brings to light ("FILE:LINE CPnnn": a key spelt right at last makes
// its setting count). The unified diff of --dry-run is checked by
// applying it to the files as they were.

var update = flag.Bool("update", false, "rewrite the .golden files of fixtures/fix from what --fix does")

func TestFixGolden(t *testing.T) {
	t.Parallel()
	cases, err := filepath.Glob(filepath.Join(fixturesDir, "fix", "*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 10 {
		t.Fatalf("%d fix cases under %s/fix; expected the whole set", len(cases), fixturesDir)
	}
	for _, dir := range cases {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			runFixCase(t, dir)
		})
	}
}

func runFixCase(t *testing.T, dir string) {
	work := t.TempDir()
	copyCase(t, dir, work)

	opts := driver.Options{Paths: []string{work}, Rules: All()}
	var in inputs.Options
	readFlags(t, dir, &opts, &in)
	before := runDriver(opts, in)
	if len(before.Errors) > 0 {
		t.Fatalf("input errors: %v", before.Errors)
	}
	plan := fix.NewPlan(before.Findings, fix.Options{Roots: []string{work}, Sources: before.Sources})

	// What --fix leaves, and why.
	leftWant := readLeft(t, dir, "left")
	leftGot := map[string]string{}
	for _, l := range plan.Left {
		leftGot[fixKey(work, l.Finding)] = l.Reason
	}
	for _, f := range before.Findings {
		if len(f.Edits) == 0 && f.NoEdits != "" {
			leftGot[fixKey(work, f)] = f.NoEdits
		}
	}
	for k, words := range leftWant {
		why, ok := leftGot[k]
		switch {
		case !ok:
			t.Errorf("%s: want it left with a reason, got no reason (fixed, or not a finding)", k)
		case !strings.Contains(why, words):
			t.Errorf("%s: left because %q; want the reason to say %q", k, why, words)
		}
	}
	for k, why := range leftGot {
		if _, ok := leftWant[k]; !ok {
			t.Errorf("%s: left unexpectedly: %s", k, why)
		}
	}

	diff := plan.Diff(work)
	if err := plan.Write(); err != nil {
		t.Fatal(err)
	}

	// Every file is its golden after the fix, or as it was.
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".golden") {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		got, err := os.ReadFile(filepath.Join(work, rel))
		if err != nil {
			return err
		}
		golden := path + ".golden"
		want, err := os.ReadFile(golden)
		if os.IsNotExist(err) {
			want, err = os.ReadFile(path)
			if *update && err == nil && !bytes.Equal(got, want) {
				return os.WriteFile(golden, got, 0o644)
			}
		} else if *update {
			return os.WriteFile(golden, got, 0o644)
		}
		if err != nil {
			return err
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s after --fix differs from %s:\n%s", rel, filepath.Base(golden), got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// The diff, applied to the files as they were, gives the same files.
	patched := applyUnifiedDiff(t, dir, string(diff))
	for rel, text := range patched {
		got, _ := os.ReadFile(filepath.Join(work, filepath.FromSlash(rel)))
		if text != string(got) {
			t.Errorf("--dry-run's diff of %s does not give the fixed file:\n%s", rel, diff)
		}
	}
	if len(patched) != len(plan.Files) {
		t.Errorf("the diff names %d files, the plan changes %d:\n%s", len(patched), len(plan.Files), diff)
	}

	// Linted again: what was fixed is gone, and nothing new appears.
	after := runDriver(opts, in)
	if len(after.Errors) > 0 {
		t.Fatalf("input errors after --fix: %v", after.Errors)
	}
	was := map[string]bool{}
	for _, f := range before.Findings {
		was[f.RuleID+"|"+f.Key] = true
	}
	newWant := readLeft(t, dir, "new")
	fixed := map[string]bool{}
	for _, f := range plan.Fixed {
		fixed[f.RuleID+"|"+f.Key] = true
	}
	if len(plan.Fixed) == 0 && len(leftWant) == 0 {
		t.Error("nothing fixed and nothing left: the case tests nothing")
	}
	for _, f := range after.Findings {
		k := f.RuleID + "|" + f.Key
		switch {
		case fixed[k]:
			t.Errorf("fixed, but reported again: %s %s", fixKey(work, f), f.Message)
		case !was[k] && !hasKey(newWant, fixKey(work, f)):
			t.Errorf("new after --fix: %s %s", fixKey(work, f), f.Message)
		}
		delete(newWant, fixKey(work, f))
	}
	for k := range newWant {
		t.Errorf("want %s after --fix, got none", k)
	}
}

// fixKey is "FILE:LINE CPnnn", FILE relative to the case.
func fixKey(dir string, f lint.Finding) string {
	rel, err := filepath.Rel(dir, f.Range.Filename)
	if err != nil {
		rel = f.Range.Filename
	}
	return fmt.Sprintf("%s:%d %s", filepath.ToSlash(rel), f.Range.Start.Line, f.RuleID)
}

// readLeft reads the case's left or new file: "FILE:LINE CPnnn words".
func readLeft(t *testing.T, dir, name string) map[string]string {
	out := map[string]string{}
	f, err := os.Open(filepath.Join(dir, name))
	if os.IsNotExist(err) {
		return out
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.SplitN(strings.TrimSpace(sc.Text()), " ", 3)
		if len(fields) < 2 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		out[fields[0]+" "+fields[1]] = strings.Join(fields[2:], " ")
	}
	return out
}

func copyCase(t *testing.T, from, to string) {
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil || strings.HasSuffix(path, ".golden") {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		target := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, src, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// applyUnifiedDiff applies a unified diff to the files of dir and returns
// the patched texts by name: strictly, so that a hunk whose context or
// counts are wrong fails the test.
func applyUnifiedDiff(t *testing.T, dir, diff string) map[string]string {
	t.Helper()
	out := map[string]string{}
	lines := strings.SplitAfter(diff, "\n")
	for i := 0; i < len(lines); {
		if !strings.HasPrefix(lines[i], "--- a/") {
			if lines[i] != "" {
				t.Fatalf("diff line %d: want a file header, got %q", i+1, lines[i])
			}
			i++
			continue
		}
		name := strings.TrimSuffix(strings.TrimPrefix(lines[i], "--- a/"), "\n")
		if lines[i+1] != "+++ b/"+name+"\n" {
			t.Fatalf("diff line %d: want +++ b/%s, got %q", i+2, name, lines[i+1])
		}
		src, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		old := strings.SplitAfter(string(src), "\n")
		if old[len(old)-1] == "" {
			old = old[:len(old)-1]
		}
		var res []string
		at := 0 // lines of old copied so far
		i += 2
		for i < len(lines) && strings.HasPrefix(lines[i], "@@ ") {
			var a0, an, c0, cn int
			hdr := strings.Fields(lines[i])
			a0, an = hunkNums(t, strings.TrimPrefix(hdr[1], "-"))
			c0, cn = hunkNums(t, strings.TrimPrefix(hdr[2], "+"))
			start := a0 - 1
			if an == 0 {
				start = a0
			}
			if start < at {
				t.Fatalf("%s: hunks out of order at %q", name, lines[i])
			}
			res = append(res, old[at:start]...)
			if got := len(res) + 1; cn > 0 && got != c0 || cn == 0 && got-1 != c0 {
				t.Fatalf("%s: hunk %q starts at new line %d", name, lines[i], got)
			}
			at = start
			i++
			na, nc := 0, 0
			for i < len(lines) && len(lines[i]) > 0 && strings.ContainsRune(" -+\\", rune(lines[i][0])) {
				l := lines[i]
				i++
				if l[0] == '\\' {
					last := &res[len(res)-1]
					*last = strings.TrimSuffix(*last, "\n")
					continue
				}
				body := l[1:]
				if i < len(lines) && strings.HasPrefix(lines[i], "\\") && l[0] != '+' {
					body = strings.TrimSuffix(body, "\n")
				}
				switch l[0] {
				case ' ', '-':
					if at >= len(old) || strings.TrimSuffix(old[at], "\n") != strings.TrimSuffix(body, "\n") {
						t.Fatalf("%s: hunk line %q does not match line %d of the file", name, l, at+1)
					}
					if l[0] == ' ' {
						res = append(res, old[at])
						nc++
					}
					at++
					na++
				case '+':
					res = append(res, body)
					nc++
				}
			}
			if na != an || nc != cn {
				t.Fatalf("%s: hunk counts -%d +%d, lines -%d +%d", name, an, cn, na, nc)
			}
		}
		res = append(res, old[at:]...)
		out[name] = strings.Join(res, "")
	}
	return out
}

func hunkNums(t *testing.T, s string) (start, n int) {
	a, b, ok := strings.Cut(s, ",")
	start, err := strconv.Atoi(a)
	if err != nil {
		t.Fatalf("bad hunk range %q", s)
	}
	n = 1
	if ok {
		if n, err = strconv.Atoi(b); err != nil {
			t.Fatalf("bad hunk range %q", s)
		}
	}
	return start, n
}

func hasKey(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}
