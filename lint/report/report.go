// Package report writes a driver.Result in the formats that canpull offers:
//
//   - text: for a terminal (see [Options.Color] and [Options.Quiet]);
//   - json: a stable document, described by [JSONReport] and JSON.md;
//   - sarif: SARIF 2.1.0 for GitHub code scanning and other viewers;
//   - github: GitHub Actions workflow commands that become annotations;
//   - markdown: a job summary with tables and pull-path diagrams;
//   - junit: JUnit XML for GitLab and Jenkins, a test case per task
//     definition and service;
//   - gitlab: a GitLab Code Quality report;
//   - checkstyle: Checkstyle XML for reviewdog and Jenkins.
//
// Every format is written in one piece: Write renders into memory and then
// makes a single call to the writer.
package report

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/agext/levenshtein"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
)

// Formats are the names that Options.Format accepts, in the order that help
// text lists them.
var Formats = []string{"text", "json", "sarif", "github", "markdown", "junit", "gitlab", "checkstyle"}

// Options say how to write a result.
type Options struct {
	// Format is one of Formats; empty means "text".
	Format string
	// Color turns on ANSI colour in the text format. No other format is
	// ever coloured.
	Color bool
	// Quiet makes the text format print one line per finding and per input
	// error, with no source lines, fix, related ranges or summary.
	Quiet bool
	// BaseDir is the absolute folder that relative paths in json, sarif,
	// github and markdown output are relative to (SARIF's %SRCROOT%): the
	// command gives the repository root (see package lint/repo). Empty
	// means the current folder. Finding filenames may be absolute or relative to the
	// current folder; the text format prints them as they are.
	BaseDir string
	// Version is canpull's version, for json and SARIF.
	Version string
	// Rules are every rule of the registry. SARIF lists them all, in this
	// order, and a result's ruleIndex refers to it.
	Rules []*lint.Rule
	// HelpURI gives the link to a rule's page; nil or "" leaves it out.
	HelpURI func(r *lint.Rule) string
}

// Write writes res to w in opts.Format. An unknown format is an error that
// lists the valid ones; nothing is written then.
func Write(w io.Writer, res *driver.Result, opts Options) error {
	format := opts.Format
	if format == "" {
		format = "text"
	}
	var render func(*bytes.Buffer, *env) error
	switch format {
	case "text":
		render = writeText
	case "json":
		render = writeJSON
	case "sarif":
		render = writeSARIF
	case "github":
		render = writeGitHub
	case "markdown":
		render = writeMarkdown
	case "junit":
		render = writeJUnit
	case "gitlab":
		render = writeGitLab
	case "checkstyle":
		render = writeCheckstyle
	default:
		return unknownFormat(format)
	}
	if res == nil {
		res = &driver.Result{}
	}
	var b bytes.Buffer
	if err := render(&b, newEnv(res, opts)); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

func unknownFormat(name string) error {
	valid := strings.Join(Formats, ", ")
	best, bestDist := "", 3
	for _, f := range Formats {
		if d := levenshtein.Distance(strings.ToLower(name), f, nil); d < bestDist {
			best, bestDist = f, d
		}
	}
	if best != "" {
		return fmt.Errorf("unknown format %q (did you mean %q?); valid formats: %s", name, best, valid)
	}
	return fmt.Errorf("unknown format %q; valid formats: %s", name, valid)
}

// getwd is os.Getwd; tests replace it to make paths reproducible.
var getwd = os.Getwd

// env is what every format needs: the result, the options, resolved paths,
// indexed sources and the findings' fingerprints.
type env struct {
	res     *driver.Result
	opts    Options
	cwd     string // absolute
	base    string // absolute, cleaned
	sources map[string]*source
	// fingerprints[i] belongs to res.Findings[i].
	fingerprints []string
}

func newEnv(res *driver.Result, opts Options) *env {
	cwd, err := getwd()
	if err != nil || !filepath.IsAbs(cwd) {
		cwd = string(filepath.Separator)
	}
	base := opts.BaseDir
	if base == "" {
		base = cwd
	}
	if !filepath.IsAbs(base) {
		base = filepath.Join(cwd, base)
	}
	e := &env{
		res:     res,
		opts:    opts,
		cwd:     filepath.Clean(cwd),
		base:    filepath.Clean(base),
		sources: map[string]*source{},
	}
	e.fingerprints = e.computeFingerprints()
	return e
}

// path gives a filename relative to the base folder with forward slashes,
// and whether it is inside it. A file outside the base folder comes back
// absolute, still with forward slashes.
func (e *env) path(name string) (p string, inside bool) {
	if name == "" {
		return "", false
	}
	abs := name
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(e.cwd, abs)
	}
	abs = filepath.Clean(abs)
	rel, err := filepath.Rel(e.base, abs)
	if err == nil && !filepath.IsAbs(rel) && rel != ".." &&
		!strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(rel), true
	}
	return filepath.ToSlash(abs), false
}

// source returns the indexed text of a file, or nil when the result does
// not hold it.
func (e *env) source(name string) *source {
	if s, ok := e.sources[name]; ok {
		return s
	}
	var s *source
	if text, ok := e.res.Sources[name]; ok {
		s = newSource(text)
	}
	e.sources[name] = s
	return s
}

// computeFingerprints gives each finding its fingerprint (see
// lint.Fingerprints). The findings come first, then the suppressed ones: a
// finding keeps its fingerprint when it is suppressed, so that code
// scanning can tie the two.
func (e *env) computeFingerprints() []string {
	all := append(append([]lint.Finding(nil), e.res.Findings...), e.res.Suppressed...)
	return lint.Fingerprints(all, func(name string) string {
		p, _ := e.path(name)
		return p
	})
}

// counts tallies findings by severity.
func counts(fs []lint.Finding) (errors, warnings, notes int) {
	for _, f := range fs {
		switch f.Severity {
		case lint.Error:
			errors++
		case lint.Warning:
			warnings++
		case lint.Note:
			notes++
		}
	}
	return
}

// checkedCounts names what a run checked, for the summaries: "1 root
// module", "3 task definitions", "2 services"; counts of zero are left out.
func checkedCounts(s driver.Stats) []string {
	var out []string
	for _, c := range []struct {
		n          int
		one, other string
	}{
		{s.Modules, "root module", "root modules"},
		{s.TaskDefinitions, "task definition", "task definitions"},
		{s.Services, "service", "services"},
	} {
		if c.n > 0 {
			out = append(out, plural(c.n, c.one, c.other))
		}
	}
	return out
}
