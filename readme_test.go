package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/canpull/canpull/rules"
)

var updateREADME = flag.Bool("update-readme", false, "rewrite the README's rules table from the registry")

// TestREADMERules keeps the README's rules table in step with the registry.
func TestREADMERules(t *testing.T) {
	src, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- rules:begin", "<!-- rules:end -->"
	text := string(src)
	i, j := strings.Index(text, begin), strings.Index(text, end)
	if i < 0 || j < i {
		t.Fatalf("README.md has no %q … %q section", begin, end)
	}
	i += strings.Index(text[i:], "\n") + 1
	var b strings.Builder
	b.WriteString("| ID | name | severity | what it catches |\n| --- | --- | --- | --- |\n")
	for _, r := range rules.All() {
		fmt.Fprintf(&b, "| [%s](rules/docs/%s.md) | `%s` | %s | %s |\n", r.ID, r.ID, r.Name, r.Severity, r.Summary)
	}
	want := b.String()
	if text[i:j] == want {
		return
	}
	if *updateREADME {
		if err := os.WriteFile("README.md", []byte(text[:i]+want+text[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the README's rules table differs from the registry; run go test -run TestREADMERules . -update-readme\nwant:\n%s", want)
}

// TestREADMEInstall keeps the install steps true on a fresh machine. Nothing
// is published at github.com/canpull/canpull yet, so `go install …@latest`
// (or at any other version) may appear only in a paragraph that says it
// works once published; and the refs that the pre-commit, Actions and
// GitLab CI snippets name must exist: the branch main, a full commit SHA,
// or a tag that this clone has.
func TestREADMEInstall(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	hooks, err := os.ReadFile(".pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// go install of the module at any version (@latest, a commit, a tag)
	// needs it published; a snippet builds from a clone instead.
	for _, para := range strings.Split(string(readme), "\n\n") {
		if strings.Contains(para, "github.com/canpull/canpull@") && !strings.Contains(strings.ToLower(para), "once published") {
			t.Errorf("README.md offers `go install github.com/canpull/canpull@…`, which cannot work before canpull is published:\n%s", para)
		}
	}
	refs := regexp.MustCompile(`(?m)(?:uses:\s*canpull/canpull@|^\s*#?\s*rev:\s*|CANPULL_REF:\s*)([^\s#"]+)`)
	var named []string
	for _, src := range [][]byte{readme, hooks} {
		for _, m := range refs.FindAllSubmatch(src, -1) {
			named = append(named, string(m[1]))
		}
	}
	if len(named) < 4 {
		t.Fatalf("found %d refs in the snippets (%q); the test expects the pre-commit, Actions and GitLab CI snippets", len(named), named)
	}
	sha := regexp.MustCompile(`^[0-9a-f]{40}$`)
	for _, ref := range named {
		if ref == "main" || sha.MatchString(ref) {
			continue
		}
		out, err := exec.Command("git", "tag", "--list", ref).Output()
		if err != nil {
			t.Errorf("a snippet names %q, which is neither main nor a commit SHA, and git cannot list tags: %v", ref, err)
			continue
		}
		if strings.TrimSpace(string(out)) != ref {
			t.Errorf("a snippet names %q, which is not a tag of this repository: name main or a commit SHA", ref)
		}
	}
}
