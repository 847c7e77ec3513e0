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
	fs, _ := findingsAndNotes(t, fixture, id)
	return fs
}

// findingsAndNotes runs one rule over a fixture, with its registry-images file if
// it has one, and returns its findings and its could-not-verify notes.
func findingsAndNotes(t *testing.T, fixture, id string) (findings, notes []lint.Finding) {
	t.Helper()
	rule := Lookup(id)
	opts := driver.Options{Paths: []string{filepath.Join(fixturesDir, fixture)}, Rules: []*lint.Rule{rule, lint.UnverifiedInput}, ShowUnverified: true}
	serveRegistry(t, opts.Paths[0], &opts)
	res := runDriver(opts, inputs.Options{})
	for _, f := range res.Findings {
		switch {
		case f.Unverified && f.StoppedRule == id:
			notes = append(notes, f)
		case f.RuleID == id && !f.Unverified:
			findings = append(findings, f)
		}
	}
	return findings, notes
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

func TestCP308Words(t *testing.T) {
	fs, _ := findingsAndNotes(t, "CP308/fires-missing", "CP308")
	if len(fs) != 3 {
		t.Fatalf("%d findings, want 3", len(fs))
	}
	byName := map[string]lint.Finding{}
	for _, f := range fs {
		byName[f.Key[strings.LastIndexByte(f.Key, '/')+1:]] = f
	}
	app := byName["app"]
	if !strings.Contains(app.Message, "has no tag 1.4.3") || !strings.Contains(app.Detail, "MANIFEST_UNKNOWN") ||
		!strings.Contains(app.Detail, "1.4.1, 1.4.2") || !strings.Contains(app.Fix, "1.4.1, 1.4.2") {
		t.Errorf("missing tag: %q\n%s\nfix %q", app.Message, app.Detail, app.Fix)
	}
	if jobs := byName["jobs"]; !strings.Contains(jobs.Message, "repository does not exist") || !strings.Contains(jobs.Detail, "NAME_UNKNOWN") {
		t.Errorf("missing repository: %q\n%s", jobs.Message, jobs.Detail)
	}
	if pinned := byName["pinned"]; !strings.Contains(pinned.Message, "no manifest with that digest") {
		t.Errorf("missing digest: %q", pinned.Message)
	}
	for _, f := range fs {
		if len(f.Message) >= 160 {
			t.Errorf("headline of %d characters: %s", len(f.Message), f.Message)
		}
	}
}

func TestCP308Notes(t *testing.T) {
	fs, notes := findingsAndNotes(t, "CP308/quiet-unknown", "CP308")
	if len(fs) != 0 {
		t.Fatalf("findings on what the check cannot settle: %v", fs)
	}
	want := map[string]string{
		"quay":    "cannot reach quay.io",
		"private": "repositoryCredentials",
		"cached":  "pull through cache",
	}
	got := map[string]string{}
	for _, n := range notes {
		got[n.Key[strings.LastIndexByte(n.Key, '/')+1:]] = n.Message + "\n" + n.Detail
	}
	for c, w := range want {
		if !strings.Contains(got[c], w) {
			t.Errorf("container %s: note %q, want it to say %q", c, got[c], w)
		}
	}
	if _, ok := got["app"]; ok {
		t.Errorf("an image not fully known was asked about: %q", got["app"])
	}
}

// CP304 tells the user what to do with an image by who publishes it: the
// configuration's own ECR (the pipeline must push a version tag), an
// official image (pin a tag or digest its publisher publishes), or an
// image it cannot place (both).
func TestCP304WordsFitThePublisher(t *testing.T) {
	fs := findingsOf(t, "CP304/fires-own-and-vendor", "CP304")
	byLine := map[int]lint.Finding{}
	for _, f := range fs {
		byLine[f.Range.Start.Line] = f
	}
	for _, tc := range []struct {
		line                int
		detail, fix, absent string
	}{
		{19, "if your pipeline pushes only version tags", "that your build pushes", "publisher"},
		{23, "its publisher moves to each new release", "`public.ecr.aws/docker/library/httpd:VERSION`", "your pipeline"},
		{27, "its publisher moves to each new release", "`postgres@sha256:…`", "your pipeline"},
		{31, "If your pipeline builds it", "one its publisher publishes", "ECR never creates"},
		{35, "if someone else publishes it", "one your build pushes", "ECR never creates"},
	} {
		f, ok := byLine[tc.line]
		switch {
		case !ok:
			t.Errorf("line %d: no finding", tc.line)
		case !strings.Contains(f.Detail, tc.detail) || !strings.Contains(f.Fix, tc.fix) || strings.Contains(f.Detail+f.Fix, tc.absent):
			t.Errorf("line %d: want %q in the body and %q in the fix, and no %q:\n%s\nfix: %s", tc.line, tc.detail, tc.fix, tc.absent, f.Detail, f.Fix)
		}
	}
	if len(fs) != 5 {
		t.Errorf("%d findings, want 5", len(fs))
	}
}
