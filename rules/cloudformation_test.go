package rules

import (
	"path/filepath"
	"regexp"
	"testing"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
	"github.com/canpull/canpull/lint/inputs"
)

// terraformWords are what a finding about a CloudFormation template must
// not say: a Terraform argument (snake_case), HCL, or a Terraform flag.
// Addresses that canpull makes up (VPC.default_security_group) are fine.
var terraformWords = regexp.MustCompile(`\b(?:[a-z0-9]+_[a-z0-9_]+)\b|jsonencode|resource "|--var|terraform init| = true|a module (?:not|that)`)

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
			}
		}
	}
}
