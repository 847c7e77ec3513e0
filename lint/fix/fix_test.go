package fix

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
)

// edit replaces the n-th occurrence of old in file's text.
func edit(name, src, old, repl string) lint.Edit {
	i := strings.Index(src, old)
	return lint.Edit{Range: hcl.Range{Filename: name, Start: hcl.Pos{Byte: i, Line: 1 + strings.Count(src[:i], "\n")}, End: hcl.Pos{Byte: i + len(old)}}, NewText: repl}
}

func finding(id string, edits ...lint.Edit) lint.Finding {
	return lint.Finding{RuleID: id, Range: edits[0].Range, Edits: edits}
}

func write(t *testing.T, path, text string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o640); err != nil {
		t.Fatal(err)
	}
	return text
}

func TestPlanRefuses(t *testing.T) {
	root := t.TempDir()
	scanned := filepath.Join(root, "app")
	main := filepath.Join(scanned, "main.tf")
	other := filepath.Join(root, "shared", "c.json")
	module := filepath.Join(scanned, ".terraform", "modules", "svc", "svc.tf")
	conflict := filepath.Join(scanned, "conflict.tf")
	srcs := map[string][]byte{}
	for path, text := range map[string]string{
		main:     "a = false\nb = false\n",
		other:    `{"desiredcount": 1}`,
		module:   "a = false\n",
		conflict: "a = false\n<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> b\n",
	} {
		srcs[path] = []byte(write(t, path, text))
	}
	mainSrc := string(srcs[main])
	fs := []lint.Finding{
		finding("CP203", edit(main, mainSrc, "a = false", "a = true")),
		finding("CP202", edit(main, mainSrc, "false\nb", "true\nb")), // overlaps the first
		finding("CP401", edit(other, string(srcs[other]), `"desiredcount"`, `"desiredCount"`)),
		finding("CP203", edit(module, string(srcs[module]), "false", "true")),
		finding("CP203", edit(conflict, string(srcs[conflict]), "false", "true")),
		finding("CP999", edit(main, mainSrc, "b = false", "b = true"), edit(main, mainSrc, "a = false", "a = maybe")), // one of its edits clashes: none is made
		finding("CP204", edit(main, mainSrc, "a = false", "a = true")),                                                // the same edit as the first: fixed by it
	}
	p := NewPlan(fs, Options{Roots: []string{scanned}, Sources: srcs})
	reasons := map[string]string{}
	for _, l := range p.Left {
		reasons[l.Finding.RuleID+" "+filepath.Base(l.Finding.Range.Filename)] = l.Reason
	}
	for k, want := range map[string]string{
		"CP202 main.tf":     "another fix changes the same text",
		"CP401 c.json":      "outside the folders canpull was asked to scan",
		"CP203 main.tf":     "", // not left
		"CP203 conflict.tf": "unresolved merge conflict (line 2)",
		"CP999 main.tf":     "another fix changes the same text",
	} {
		if got := reasons[k]; !strings.Contains(got, want) || (want == "" && got != "") {
			t.Errorf("%s: left because %q; want %q", k, got, want)
		}
	}
	var inTerraform bool
	for _, l := range p.Left {
		if strings.Contains(l.Reason, ".terraform/") {
			inTerraform = true
		}
	}
	if !inTerraform {
		t.Errorf("the edit in .terraform/ was not refused: %+v", p.Left)
	}
	if len(p.Fixed) != 2 || len(p.Files) != 1 || string(p.Files[0].New) != "a = true\nb = false\n" {
		t.Fatalf("fixed %d findings, files %+v", len(p.Fixed), p.Files)
	}

	// Written: the file, its mode kept; nothing else.
	if err := p.Write(); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(main)
	st, _ := os.Stat(main)
	if string(got) != "a = true\nb = false\n" || st.Mode().Perm() != 0o640 {
		t.Errorf("main.tf: %q, mode %v", got, st.Mode().Perm())
	}
	if got, _ := os.ReadFile(other); string(got) != `{"desiredcount": 1}` {
		t.Errorf("a file outside the scanned folder changed: %s", got)
	}
	entries, _ := os.ReadDir(scanned)
	for _, e := range entries {
		if strings.Contains(e.Name(), "canpull") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// A file that changed since it was linted is not written over.
func TestWriteRefusesChangedFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "main.tf")
	src := write(t, path, "a = false\n")
	p := NewPlan([]lint.Finding{finding("CP203", edit(path, src, "false", "true"))}, Options{Roots: []string{dir}, Sources: map[string][]byte{path: []byte(src)}})
	write(t, path, "a = false # edited meanwhile\n")
	err := p.Write()
	if err == nil || !strings.Contains(err.Error(), "changed since canpull read it") {
		t.Fatalf("err = %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "a = false # edited meanwhile\n" {
		t.Errorf("overwritten: %q", got)
	}
}

// A symbolic link that leads out of the scanned folder is outside it.
func TestPlanRefusesLinkOut(t *testing.T) {
	root := t.TempDir()
	outside := filepath.Join(root, "outside.tf")
	src := write(t, outside, "a = false\n")
	scanned := filepath.Join(root, "app")
	if err := os.MkdirAll(scanned, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(scanned, "main.tf")
	if err := os.Symlink(outside, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	p := NewPlan([]lint.Finding{finding("CP203", edit(link, src, "false", "true"))}, Options{Roots: []string{scanned}, Sources: map[string][]byte{link: []byte(src)}})
	if len(p.Files) != 0 || len(p.Left) != 1 || !strings.Contains(p.Left[0].Reason, "outside") {
		t.Fatalf("files %d, left %+v", len(p.Files), p.Left)
	}
}

func TestDiff(t *testing.T) {
	old := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20"
	edits := []lint.Edit{
		edit("f", old, "2\n", "two\n"),
		edit("f", old, "4\n", "4\nfour and a half\n"),
		edit("f", old, "15\n", ""),
		edit("f", old, "20", "twenty"),
	}
	p := &Plan{Files: []*File{{Name: "f", Old: []byte(old), New: Apply([]byte(old), edits), Edits: sorted(edits)}}}
	want := `--- a/f
+++ b/f
@@ -1,7 +1,8 @@
 1
-2
+two
 3
 4
+four and a half
 5
 6
 7
@@ -12,9 +13,8 @@
 12
 13
 14
-15
 16
 17
 18
 19
-20
\ No newline at end of file
+twenty
\ No newline at end of file
`
	if got := string(p.Diff("")); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
