package rules

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
	"github.com/canpull/canpull/lint/inputs"
)

// terraformWords are what a finding about a CloudFormation template must
// not say: a Terraform argument (snake_case), HCL, or a Terraform flag.
// Addresses that canpull makes up (VPC.default_security_group) are fine.
var terraformWords = regexp.MustCompile(`\b(?:[a-z0-9]+_[a-z0-9_]+)\b|jsonencode|resource "|--var|terraform init| = true|a module (?:not|that)|\bvariables?\b`)

var madeUpAddresses = regexp.MustCompile(`\.(?:default_security_group|main_route_table)\b`)

func TestCloudFormationWords(t *testing.T) {
	t.Parallel()
	cases, _ := filepath.Glob(filepath.Join(fixturesDir, "*", "cfn-*"))
	if len(cases) == 0 {
		t.Fatal("no CloudFormation fixtures")
	}
	for _, dir := range cases {
		opts := driver.Options{Paths: []string{dir}, Rules: append(All(), lint.UnverifiedInput), ShowUnverified: true}
		var in inputs.Options
		readFlags(t, dir, &opts, &in)
		serveRegistry(t, dir, &opts) // the registry rules' words too
		res := runDriver(opts, in)
		for _, f := range res.Findings {
			texts := []string{f.Message, f.Detail, f.Fix}
			for _, r := range f.Related {
				texts = append(texts, r.Message)
			}
			for _, s := range texts {
				if w := terraformWords.FindString(madeUpAddresses.ReplaceAllString(s, "")); w != "" {
					t.Errorf("%s: %s says %q, Terraform's word: %s", dir, f.RuleID, w, s)
				}
				if w := repeatedWords(s); w != "" {
					t.Errorf("%s: %s says %q twice in a row: %s", dir, f.RuleID, w, s)
				}
			}
		}
	}
}

// repeatedWords finds a word, or a pair of words, said twice in a row ("the
// inline policy inline policy"): what a text pieced together from two
// parts that both name the thing says.
func repeatedWords(s string) string {
	w := strings.Fields(s)
	for i := range w {
		if w[i] == "" || unicode.IsUpper(rune(w[i][0])) {
			continue // a kind and a name that happen to match: Service Service
		}
		if i+1 < len(w) && w[i] == w[i+1] {
			return w[i]
		}
		if i+3 < len(w) && w[i] == w[i+2] && w[i+1] == w[i+3] {
			return w[i] + " " + w[i+1]
		}
	}
	return ""
}
