// Package rules holds canpull's rules: one file per rule, each a lint.Rule
// value (data) with one Run function, and each with its page under docs/.
package rules

import (
	"embed"
	"sort"
	"strings"

	"github.com/canpull/canpull/lint"
)

//go:embed docs/*.md
var docs embed.FS

// DocsURL is where each rule's page is published.
const DocsURL = "https://github.com/canpull/canpull/blob/main/rules/docs/"

var registry []*lint.Rule

// register adds a rule and attaches its page, docs/ID.md (a test checks
// that every rule has one). On CloudFormation its findings speak
// CloudFormation (inCloudFormation).
func register(r *lint.Rule) *lint.Rule {
	r.Run = inPlan(inCloudFormation(r.Run))
	if page, err := docs.ReadFile("docs/" + r.ID + ".md"); err == nil {
		r.Doc = string(page)
	}
	registry = append(registry, r)
	return r
}

// All returns every rule, ordered by ID.
func All() []*lint.Rule {
	out := append([]*lint.Rule(nil), registry...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Lookup finds a rule by ID ("CP203", any case) or name ("public-ip-disabled").
func Lookup(idOrName string) *lint.Rule {
	for _, r := range registry {
		if strings.EqualFold(r.ID, idOrName) || r.Name == idOrName {
			return r
		}
	}
	return nil
}

// HelpURI is the address of a rule's page.
func HelpURI(r *lint.Rule) string { return DocsURL + r.ID + ".md" }
