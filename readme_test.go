package main

import (
	"flag"
	"fmt"
	"os"
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
