package rules

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/canpull/canpull/lint"
)

// The rule pages under docs/ feed `canpull explain`, SARIF help.markdown
// and the published page, so they share one shape. These tests hold every
// page to it, and to the AWS error texts that RULES.md promises each page
// quotes (so that a user who searches for the error finds the rule).

// pageSections are the second-level headings every rule page has, in order.
var pageSections = []string{"What it checks", "Why it fails", "How to fix", "Example", "Related"}

// rulesCatalogue is the rule catalogue, relative to this package's folder.
const rulesCatalogue = "../../shared/RULES.md"

func TestRulePages(t *testing.T) {
	rules := All()
	if len(rules) == 0 {
		t.Fatal("no rules are registered")
	}
	catalogue, catalogueErr := os.ReadFile(rulesCatalogue)
	for _, r := range rules {
		t.Run(r.ID, func(t *testing.T) {
			src, err := docs.ReadFile("docs/" + r.ID + ".md")
			if err != nil {
				t.Fatalf("rule %s has no page docs/%s.md: %v", r.ID, r.ID, err)
			}
			page := string(src)
			if r.Doc != page {
				t.Errorf("rule %s: Doc is not the text of docs/%s.md", r.ID, r.ID)
			}
			for _, p := range pageProblems(r.ID, r.Name, page) {
				t.Error(p)
			}
			if catalogueErr != nil {
				t.Skipf("AWS error texts not checked: cannot read the rule catalogue %s: %v", rulesCatalogue, catalogueErr)
			}
			for _, p := range missingErrorTexts(page, preventedErrors(string(catalogue), r.ID)) {
				t.Errorf("docs/%s.md: %s", r.ID, p)
			}
		})
	}
}

// docsIndex is the folder's own index page, the one file under docs/ that
// is not a rule's page.
const docsIndex = "README.md"

// TestNoOrphanPages checks that every file under docs/ is the page of a
// registered rule (or the index): a page whose rule was renamed or never
// registered would silently never be shown.
func TestNoOrphanPages(t *testing.T) {
	entries, err := os.ReadDir("docs")
	if err != nil {
		t.Fatalf("cannot read docs/: %v", err)
	}
	ids := map[string]bool{}
	for _, r := range All() {
		ids[r.ID] = true
	}
	for _, e := range entries {
		name := e.Name()
		id, isPage := strings.CutSuffix(name, ".md")
		switch {
		case name == docsIndex && !e.IsDir():
		case e.IsDir():
			t.Errorf("docs/%s: unexpected folder; docs/ holds only the rules' pages, docs/ID.md", name)
		case !isPage:
			t.Errorf("docs/%s: unexpected file; docs/ holds only the rules' pages, docs/ID.md", name)
		case !ids[id]:
			t.Errorf("docs/%s: no registered rule has the ID %q", name, id)
		}
	}
}

// pageProblems checks a page's shape: the title line "# ID name", the
// sections of pageSections in order (and no others), and at least one
// Terraform example.
func pageProblems(id, name, page string) []string {
	var out []string
	bad := func(format string, args ...any) {
		out = append(out, "docs/"+id+".md: "+fmt.Sprintf(format, args...))
	}
	lines := strings.Split(strings.ReplaceAll(page, "\r\n", "\n"), "\n")
	if want := "# " + id + " " + name; lines[0] != want {
		bad("the first line is %q, want %q", lines[0], want)
	}
	var headings []string
	hcl := false
	inFence := false
	for _, l := range lines {
		if fence, info, ok := fenceLine(l); ok {
			switch {
			case !inFence:
				inFence = true
				if info == "hcl" {
					hcl = true
				}
			case fence && info == "":
				inFence = false
			}
			continue
		}
		if !inFence && strings.HasPrefix(l, "## ") {
			headings = append(headings, strings.TrimSpace(strings.TrimPrefix(l, "## ")))
		}
	}
	if inFence {
		bad("a code block is not closed")
	}
	if strings.Join(headings, "|") != strings.Join(pageSections, "|") {
		bad("the sections are %q, want %q in this order", headings, pageSections)
	}
	if !hcl {
		bad("no Terraform example: want at least one ```hcl code block")
	}
	return out
}

// fenceLine reports whether a line opens or closes a fenced code block, and
// the info string after the fence ("hcl", "json", or "").
func fenceLine(l string) (fence bool, info string, ok bool) {
	t := strings.TrimLeft(l, " ")
	if len(l)-len(t) > 3 || !strings.HasPrefix(t, "```") {
		return false, "", false
	}
	return true, strings.TrimSpace(strings.TrimLeft(t, "`")), true
}

// preventedErrors returns the backquoted error texts of the "Prevents:"
// sentence in the catalogue row of rule id; nil when the row has none.
func preventedErrors(catalogue, id string) []string {
	for _, line := range strings.Split(catalogue, "\n") {
		cells := strings.Split(strings.TrimSpace(line), "|")
		if len(cells) < 3 || strings.TrimSpace(cells[1]) != id {
			continue
		}
		_, rest, ok := strings.Cut(line, "Prevents:")
		if !ok {
			return nil
		}
		return backquoted(sentence(rest))
	}
	return nil
}

// sentence cuts text at the end of its first sentence: a full stop
// followed by a space, or the end of the table cell, outside backquotes.
func sentence(text string) string {
	inCode := false
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '`':
			inCode = !inCode
		case inCode:
		case c == '|':
			return text[:i]
		case c == '.' && (i+1 == len(text) || text[i+1] == ' '):
			return text[:i]
		}
	}
	return text
}

var backquotedRE = regexp.MustCompile("`([^`]+)`")

func backquoted(s string) []string {
	var out []string
	for _, m := range backquotedRE.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// ellipsis matches the "..." (or "…") that the catalogue writes for the
// variable middle of an error text.
var ellipsis = regexp.MustCompile(`\.\.\.|…`)

// missingErrorTexts lists the error texts of which the page does not quote
// every fixed part. Each part between ellipses must appear verbatim.
func missingErrorTexts(page string, texts []string) []string {
	var out []string
	for _, text := range texts {
		for _, frag := range ellipsis.Split(text, -1) {
			frag = strings.TrimSpace(frag)
			if frag != "" && !strings.Contains(page, frag) {
				out = append(out, fmt.Sprintf("does not quote the AWS error text %q (missing %q), which RULES.md lists for this rule", text, frag))
				break
			}
		}
	}
	return out
}

// TestPageChecks checks the checks on small inputs, so that a page that
// passes does so for the right reason.
func TestPageChecks(t *testing.T) {
	const catalogue = "| ID | name | sev | fires when |\n|---|---|---|---|\n" +
		"| CP900 | demo-rule | error | It fires. Prevents: `Err: a ... b`, `c d`. Fix: `e f`. |\n" +
		"| CP901 | quiet-rule | error | Never. |\n" +
		"| CP902 | last-rule | warning | Prevents: `x. y` |\n"
	if got := preventedErrors(catalogue, "CP900"); strings.Join(got, "|") != "Err: a ... b|c d" {
		t.Errorf("preventedErrors(CP900) = %q", got)
	}
	if got := preventedErrors(catalogue, "CP901"); got != nil {
		t.Errorf("preventedErrors(CP901) = %q, want none", got)
	}
	if got := preventedErrors(catalogue, "CP902"); strings.Join(got, "|") != "x. y" {
		t.Errorf("preventedErrors(CP902) = %q", got)
	}
	if got := missingErrorTexts("Err: a long middle b; c d", []string{"Err: a ... b", "c d"}); got != nil {
		t.Errorf("missingErrorTexts: %q, want none", got)
	}
	if got := missingErrorTexts("Err: a", []string{"Err: a ... b"}); len(got) != 1 {
		t.Errorf("missingErrorTexts: %q, want one", got)
	}

	good := "# CP900 demo-rule\n\nSummary.\n\n## What it checks\n\n```hcl\n## not a heading\n```\n\n" +
		"## Why it fails\n\n## How to fix\n\n## Example\n\n## Related\n"
	if got := pageProblems("CP900", "demo-rule", good); got != nil {
		t.Errorf("pageProblems(good) = %q", got)
	}
	for name, page := range map[string]string{
		"title":     strings.Replace(good, "# CP900 demo-rule", "# CP900", 1),
		"order":     strings.Replace(strings.Replace(good, "## Example", "## X", 1), "## Related", "## Example\n\n## Related", 1),
		"no hcl":    strings.Replace(good, "```hcl", "```json", 1),
		"unclosed":  good + "```text\n",
		"missing":   strings.Replace(good, "## Related\n", "", 1),
		"front":     "---\ntitle: x\n---\n" + good,
		"extra":     good + "\n## See also\n",
		"in fence":  strings.Replace(good, "## Why it fails", "```\n## Why it fails\n```", 1),
		"h3 not h2": strings.Replace(good, "## How to fix", "### How to fix", 1),
	} {
		if got := pageProblems("CP900", "demo-rule", page); got == nil {
			t.Errorf("pageProblems(%s) found nothing", name)
		}
	}
}

// TestPrecisionAndTags: every rule says how often it is right, in GitHub
// code scanning's words, and what it is about; SARIF carries both.
func TestPrecisionAndTags(t *testing.T) {
	valid := map[string]bool{"very-high": true, "high": true, "medium": true, "low": true}
	for _, r := range append(All(), lint.Builtins()...) {
		if !valid[r.Precision] {
			t.Errorf("%s: precision %q, want very-high, high, medium or low", r.ID, r.Precision)
		}
		if len(r.Tags) == 0 {
			t.Errorf("%s: no tags", r.ID)
		}
		for _, tag := range r.Tags {
			if tag != strings.ToLower(tag) || strings.ContainsAny(tag, " _") {
				t.Errorf("%s: tag %q: tags are lower-case words joined by hyphens", r.ID, tag)
			}
		}
	}
}
