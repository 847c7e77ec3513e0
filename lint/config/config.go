// Package config reads canpull's configuration file, .canpull.hcl:
//
//	fail_on         = "warning"            # error, warning, note or never
//	account_id      = "123456789012"
//	var_files       = ["env/prod.tfvars"]
//	params          = { Env = "prod", "AWS::Region" = "eu-west-1" }
//	param_files     = ["params/prod.json"]
//	exclude         = ["examples", "**/testdata"]
//	show_unverified = false
//	check_images    = false                # ask the registries (opens the network)
//	timeout         = "5m"
//	baseline        = "canpull-baseline.json" # report only findings not in it
//
//	rule "CP301" {                         # an ID or a name
//	  enabled  = true
//	  severity = "error"
//	}
//
//	ignore {
//	  rules  = ["CP301"]                   # IDs, names, or "all"
//	  paths  = ["ecs/legacy-*.json"]
//	  reason = "moves to ECR in Q3"
//	}
//
// Paths and patterns are relative to the file's folder. Every mistake —
// an unknown key, a value of the wrong type, an unknown rule — is an error
// with the file, the line and, where one is close, a suggestion.
package config

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
)

// FileName is the configuration file that canpull looks for in the folder
// it runs in.
const FileName = ".canpull.hcl"

// maxSize bounds the configuration file.
const maxSize = 1 << 20

// Config is a configuration file's settings. A zero value field was not set.
type Config struct {
	// Path is the file as given; Dir is its folder, absolute.
	Path, Dir string

	FailOn    string   // "error", "warning", "note", "never" or ""
	AccountID string   // 12 digits, or ""
	VarFiles  []string // resolved against Dir, in order
	// Params are CloudFormation parameter values, by name; ParamFiles are
	// parameter files, resolved against Dir, in order.
	Params         map[string]string
	ParamFiles     []string
	Exclude        []string // patterns, relative to Dir
	ShowUnverified *bool
	// CheckImages turns on the registry check, as --check-images does.
	CheckImages *bool
	// Timeout bounds the run, as --timeout does; 0: not set.
	Timeout time.Duration
	// Baseline is the baseline file, resolved against Dir, as --baseline
	// gives it; "" when not set.
	Baseline string

	// Rules holds the rule blocks, by rule ID.
	Rules map[string]RuleSetting
	// Ignores are the ignore blocks, ready for driver.Options.
	Ignores []driver.Ignore
}

// RuleSetting is one rule block.
type RuleSetting struct {
	Enabled  *bool
	Severity lint.Severity // 0 keeps the rule's own
}

var schema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "fail_on"},
		{Name: "account_id"},
		{Name: "var_files"},
		{Name: "params"},
		{Name: "param_files"},
		{Name: "exclude"},
		{Name: "show_unverified"},
		{Name: "check_images"},
		{Name: "timeout"},
		{Name: "baseline"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "rule", LabelNames: []string{"id"}},
		{Type: "ignore"},
	},
}

var ruleSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "enabled"}, {Name: "severity"}}}

var ignoreSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "rules", Required: true},
	{Name: "paths", Required: true},
	{Name: "reason"},
}}

var accountID = regexp.MustCompile(`^[0-9]{12}$`)

// Load reads a configuration file. rules is every rule that exists, for
// the names that rule and ignore blocks use. The Config is nil only when
// the file could not be read or parsed at all.
func Load(path string, rules []*lint.Rule) (*Config, hcl.Diagnostics) {
	src, err := readLimited(path)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read the configuration file", Detail: err.Error(),
			Subject: &hcl.Range{Filename: path, Start: hcl.InitialPos, End: hcl.InitialPos}}}
	}
	return Parse(src, path, rules)
}

func readLimited(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s is a folder, not a file", path)
	}
	if st.Size() > maxSize {
		return nil, fmt.Errorf("%s is %d bytes; a configuration file may have at most %d", path, st.Size(), maxSize)
	}
	return os.ReadFile(path)
}

// Parse reads a configuration from its text; path names it in messages and
// anchors its relative paths.
func Parse(src []byte, path string, rules []*lint.Rule) (*Config, hcl.Diagnostics) {
	f, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		dir = filepath.Dir(path)
	}
	c := &Config{Path: path, Dir: dir, Rules: map[string]RuleSetting{}}
	p := &parser{cfg: c, rules: rules}
	content, ds := f.Body.Content(schema)
	p.diags = append(p.diags, ds...)
	p.attributes(content.Attributes)
	for _, b := range content.Blocks {
		switch b.Type {
		case "rule":
			p.rule(b)
		case "ignore":
			p.ignore(b)
		}
	}
	return c, p.diags
}

type parser struct {
	cfg   *Config
	rules []*lint.Rule
	diags hcl.Diagnostics
}

func (p *parser) errorf(r hcl.Range, summary, format string, args ...any) {
	p.diags = append(p.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary,
		Detail: fmt.Sprintf(format, args...), Subject: r.Ptr()})
}

// decode reads an expression into a Go value; false after an error.
func (p *parser) decode(attr *hcl.Attribute, v any) bool {
	ds := gohcl.DecodeExpression(attr.Expr, nil, v)
	p.diags = append(p.diags, ds...)
	return !ds.HasErrors()
}

func (p *parser) attributes(attrs hcl.Attributes) {
	c := p.cfg
	if a := attrs["fail_on"]; a != nil {
		var s string
		if p.decode(a, &s) {
			if err := checkFailOn(s); err != "" {
				p.errorf(a.Expr.Range(), "Invalid fail_on", "%s", err)
			} else {
				c.FailOn = s
			}
		}
	}
	if a := attrs["account_id"]; a != nil {
		var s string
		if p.decode(a, &s) {
			if !accountID.MatchString(s) {
				p.errorf(a.Expr.Range(), "Invalid account_id", "%q is not an AWS account ID (12 digits).", s)
			} else {
				c.AccountID = s
			}
		}
	}
	if a := attrs["var_files"]; a != nil {
		var files []string
		if p.decode(a, &files) {
			for _, f := range files {
				path := f
				if !filepath.IsAbs(path) {
					path = filepath.Join(c.Dir, path)
				}
				if _, err := os.Stat(path); err != nil {
					p.errorf(a.Expr.Range(), "Missing variables file", "var_files names %q, which cannot be read: %v.", f, err)
					continue
				}
				c.VarFiles = append(c.VarFiles, path)
			}
		}
	}
	if a := attrs["params"]; a != nil {
		var params map[string]string
		if p.decode(a, &params) {
			c.Params = params
		}
	}
	if a := attrs["param_files"]; a != nil {
		var files []string
		if p.decode(a, &files) {
			for _, f := range files {
				path := f
				if !filepath.IsAbs(path) {
					path = filepath.Join(c.Dir, path)
				}
				if _, err := os.Stat(path); err != nil {
					p.errorf(a.Expr.Range(), "Missing parameter file", "param_files names %q, which cannot be read: %v.", f, err)
					continue
				}
				c.ParamFiles = append(c.ParamFiles, path)
			}
		}
	}
	if a := attrs["exclude"]; a != nil {
		var pats []string
		if p.decode(a, &pats) {
			for _, pat := range pats {
				if err := checkPattern(pat); err != nil {
					p.errorf(a.Expr.Range(), "Invalid pattern", "exclude: %q: %v.", pat, err)
					continue
				}
				c.Exclude = append(c.Exclude, pat)
			}
		}
	}
	if a := attrs["show_unverified"]; a != nil {
		var b bool
		if p.decode(a, &b) {
			c.ShowUnverified = &b
		}
	}
	if a := attrs["check_images"]; a != nil {
		var b bool
		if p.decode(a, &b) {
			c.CheckImages = &b
		}
	}
	if a := attrs["timeout"]; a != nil {
		var s string
		if p.decode(a, &s) {
			if d, err := time.ParseDuration(s); err != nil || d <= 0 {
				p.errorf(a.Expr.Range(), "Invalid timeout", "%q is not a duration above zero, such as \"90s\" or \"10m\".", s)
			} else {
				c.Timeout = d
			}
		}
	}
	if a := attrs["baseline"]; a != nil {
		var f string
		if p.decode(a, &f) {
			if f == "" {
				p.errorf(a.Expr.Range(), "Invalid baseline", "baseline names no file; write one with canpull --write-baseline FILE.")
			} else if filepath.IsAbs(f) {
				c.Baseline = f
			} else {
				c.Baseline = filepath.Join(c.Dir, f)
			}
		}
	}
}

// checkFailOn returns "" for a valid fail_on, else the error.
func checkFailOn(s string) string {
	valid := []string{"error", "warning", "note", "never"}
	for _, v := range valid {
		if s == v {
			return ""
		}
	}
	return fmt.Sprintf("%q is not one of error, warning, note, never%s.", s, SuggestFailOn(s))
}

// SuggestFailOn is "; did you mean X?" for a mistyped fail-on value: the
// words people use for "never" (none, off, false) suggest it.
func SuggestFailOn(s string) string {
	switch strings.ToLower(s) {
	case "none", "off", "no", "false", "0", "nothing":
		return `; did you mean "never"?`
	}
	return suggest(s, []string{"error", "warning", "note", "never"})
}

func (p *parser) rule(b *hcl.Block) {
	r := p.lookup(b.Labels[0], b.LabelRanges[0], "rule block")
	content, ds := b.Body.Content(ruleSchema)
	p.diags = append(p.diags, ds...)
	if r == nil {
		return
	}
	if _, dup := p.cfg.Rules[r.ID]; dup {
		p.errorf(b.DefRange, "Duplicate rule block", "%s (%s) has a rule block already; merge them.", r.ID, r.Name)
		return
	}
	var set RuleSetting
	if a := content.Attributes["enabled"]; a != nil {
		var on bool
		if p.decode(a, &on) {
			set.Enabled = &on
		}
	}
	if a := content.Attributes["severity"]; a != nil {
		var s string
		if p.decode(a, &s) {
			sev, err := lint.ParseSeverity(s)
			if err != nil {
				p.errorf(a.Expr.Range(), "Invalid severity", "%q is not one of error, warning, note%s.", s, suggest(s, []string{"error", "warning", "note"}))
			} else {
				set.Severity = sev
			}
		}
	}
	p.cfg.Rules[r.ID] = set
}

func (p *parser) ignore(b *hcl.Block) {
	content, ds := b.Body.Content(ignoreSchema)
	p.diags = append(p.diags, ds...)
	if ds.HasErrors() {
		return
	}
	ig := driver.Ignore{Range: b.DefRange}
	var names []string
	a := content.Attributes["rules"]
	if !p.decode(a, &names) {
		return
	}
	if len(names) == 0 {
		p.errorf(a.Expr.Range(), "No rules to ignore", `Name the rules to ignore (IDs or names), or "all".`)
		return
	}
	all := false
	for _, n := range names {
		if strings.EqualFold(n, "all") {
			all = true
			continue
		}
		r := p.lookup(n, a.Expr.Range(), "ignore block")
		if r == nil {
			return
		}
		ig.Rules = append(ig.Rules, r.ID)
	}
	if all {
		ig.Rules = nil
	}
	var pats []string
	pa := content.Attributes["paths"]
	if !p.decode(pa, &pats) {
		return
	}
	if len(pats) == 0 {
		p.errorf(pa.Expr.Range(), "No paths to ignore", `Name the files or folders whose findings to ignore; to turn a rule off everywhere, write rule "ID" { enabled = false }.`)
		return
	}
	for _, pat := range pats {
		if err := checkPattern(pat); err != nil {
			p.errorf(pa.Expr.Range(), "Invalid pattern", "paths: %q: %v.", pat, err)
			return
		}
	}
	if r := content.Attributes["reason"]; r != nil && !p.decode(r, &ig.Reason) {
		return
	}
	dir := p.cfg.Dir
	ig.Files = func(name string) bool { return matchAny(dir, pats, name) }
	p.cfg.Ignores = append(p.cfg.Ignores, ig)
}

// lookup resolves a rule ID or name, or reports it unknown at r.
func (p *parser) lookup(n string, r hcl.Range, where string) *lint.Rule {
	var known []string
	for _, rule := range p.rules {
		if strings.EqualFold(rule.ID, n) || rule.Name == n {
			return rule
		}
		known = append(known, rule.ID, rule.Name)
	}
	p.errorf(r, "Unknown rule", "%s: %q is not a rule%s (see 'canpull rules').", where, n, suggest(n, known))
	return nil
}

// Excluded reports whether a file or folder matches an exclude pattern.
func (c *Config) Excluded(name string) bool {
	return matchAny(c.Dir, c.Exclude, name)
}

// suggest returns "; did you mean X?" for the closest choice, if close.
func suggest(s string, choices []string) string {
	best, bestDist := "", 1+min(3, len(s)/3)
	for _, c := range choices {
		if d := levenshtein.Distance(strings.ToLower(s), strings.ToLower(c), nil); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}
