package rules

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
	"github.com/canpull/canpull/lint/inputs"
)

// What the fixtures cannot check: the words of a finding.

func findingsOf(t *testing.T, fixture, id string) []lint.Finding {
	t.Helper()
	rule := Lookup(id)
	res := runDriver(driver.Options{Paths: []string{filepath.Join(fixturesDir, fixture)}, Rules: []*lint.Rule{rule}}, inputs.Options{})
	var out []lint.Finding
	for _, f := range res.Findings {
		if f.RuleID == id {
			out = append(out, f)
		}
	}
	return out
}

func TestCP301NamesTheCachedImage(t *testing.T) {
	fs := findingsOf(t, "CP301/fires-cache-rule-unused", "CP301")
	if len(fs) != 1 {
		t.Fatalf("%d findings", len(fs))
	}
	want := "111122223333.dkr.ecr.eu-west-1.amazonaws.com/docker-hub/library/redis:7.2"
	if !strings.Contains(fs[0].Fix, want) || len(fs[0].Related) != 1 {
		t.Errorf("fix %q, related %v: want the cached image %s and the rule", fs[0].Fix, fs[0].Related, want)
	}
}

func TestCP305NamesTheClosestRepository(t *testing.T) {
	fs := findingsOf(t, "CP305/fires-typo", "CP305")
	if len(fs) != 1 {
		t.Fatalf("%d findings", len(fs))
	}
	if !strings.Contains(fs[0].Message, `did you mean "my-app"?`) || !strings.Contains(fs[0].Detail, `the closest it declares is "my-app"`) || len(fs[0].Related) != 1 {
		t.Errorf("message %q, related %v", fs[0].Message, fs[0].Related)
	}
}

func TestCP401Severities(t *testing.T) {
	got := map[string]lint.Severity{}
	for _, f := range findingsOf(t, "CP401/fires-snake-case", "CP401") {
		got[f.Key[strings.LastIndexByte(f.Key, '.')+1:]] = f.Severity
		text := f.Message + " " + f.Detail
		if !strings.Contains(text, "did you mean") && !strings.Contains(text, "Did you mean") && !strings.Contains(text, "is a field of") {
			t.Errorf("no suggestion: %s", text)
		}
	}
	want := map[string]lint.Severity{"execution_role_arn": lint.Error, "port_mappings": lint.Warning, "repository_credentials": lint.Error}
	for k, sev := range want {
		if got[k] != sev {
			t.Errorf("%s: severity %v, want %v (all: %v)", k, got[k], sev, got)
		}
	}
}
