// Command canpull reads Terraform, OpenTofu, CloudFormation templates (CDK
// output among them) and ECS JSON before anything is deployed, and says
// which ECS tasks will fail to pull their container images, why, and how to
// fix it.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/agext/levenshtein"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/hashicorp/hcl/v2"

	// First, for its side effect: the collector's setting, before the
	// libraries' initialisation allocates.
	_ "github.com/canpull/canpull/internal/gcstart"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/cloudformation"
	"github.com/canpull/canpull/lint/config"
	"github.com/canpull/canpull/lint/driver"
	"github.com/canpull/canpull/lint/input"
	"github.com/canpull/canpull/lint/inputs"
	"github.com/canpull/canpull/lint/registry"
	"github.com/canpull/canpull/lint/repo"
	"github.com/canpull/canpull/lint/report"
	"github.com/canpull/canpull/lint/terraform"
	"github.com/canpull/canpull/rules"
)

// Exit codes.
const (
	exitClean    = 0 // nothing at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on
	exitTrouble  = 2 // a usage error, input that could not be read, or a run out of time
	exitInternal = 3 // a failure of canpull itself: please report it
)

// defaultTimeout bounds a whole run: long enough for the largest
// repositories we know (a few hundred root modules take seconds), short
// enough that a hostile pull request cannot hold a CI runner for long.
const defaultTimeout = 5 * time.Minute

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// usageError is a mistake on the command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

type options struct {
	format, output, failOn, color string
	vars                          []terraform.VarArg     // --var and --var-file, in order
	params                        []cloudformation.Param // --param and --param-file, in order
	accountID                     string
	enable, disable, only         []string
	reports                       []string // --report FORMAT:FILE
	config                        string
	baseDir                       string
	quiet, help, showUnverified   bool
	versionFlag                   bool
	// The registry check: off unless --check-images (or check_images).
	checkImages, noImageCache bool
	imageTimeout              time.Duration
	// timeout bounds the run, from its start (--timeout, or timeout).
	timeout                 time.Duration
	start                   time.Time
	fix, dryRun             bool
	baseline, writeBaseline string
	// changed tells the flags given on the command line, which win over
	// the configuration file.
	changed func(name string) bool
}

func run(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		// A panic here is canpull's own failure: say so in one line, with
		// the stack after it, since no report holds it.
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "canpull: internal error, please report: %v\n%s", p, debug.Stack())
			code = exitInternal
		}
	}()
	o := options{start: time.Now()}
	fs := pflag.NewFlagSet("canpull", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	fs.StringVarP(&o.format, "format", "f", "text", "output `FORMAT`: "+strings.Join(report.Formats, ", "))
	fs.StringVarP(&o.output, "output", "o", "", "write the report to `FILE` instead of standard output")
	fs.StringArrayVar(&o.reports, "report", nil, "also write the report as `FORMAT:FILE` (repeatable), e.g. sarif:canpull.sarif")
	fs.StringVar(&o.failOn, "fail-on", "warning", "exit 1 on findings at or above this `SEVERITY`: error, warning, note, never")
	fs.Var(&varFlag{args: &o.vars, file: true}, "var-file", "Terraform variables `FILE` (repeatable; later wins)")
	fs.Var(&varFlag{args: &o.vars}, "var", "Terraform variable `NAME=VALUE` (repeatable; later wins)")
	fs.Var(&paramFlag{args: &o.params, file: true}, "param-file", "CloudFormation parameter `FILE`, [{\"ParameterKey\":…}] or {\"Parameters\":{…}} (repeatable; later wins)")
	fs.Var(&paramFlag{args: &o.params}, "param", "CloudFormation parameter `NAME=VALUE`, or AWS::Region=…, AWS::AccountId=… (repeatable; later wins)")
	fs.StringVar(&o.accountID, "account-id", "", "the AWS account `ID` the tasks run in")
	fs.StringSliceVar(&o.enable, "enable", nil, "run these rules too (`IDs` or names, comma-separated)")
	fs.StringSliceVar(&o.disable, "disable", nil, "do not run these rules (`IDs` or names)")
	fs.StringSliceVar(&o.only, "only", nil, "run only these rules (`IDs` or names)")
	fs.BoolVar(&o.showUnverified, "show-unverified", false, "report, as notes, each place where a check stopped on an unknown fact")
	fs.BoolVar(&o.checkImages, "check-images", false, "ask each image's registry whether it exists, for the task's platform, and fits its storage (opens the network)")
	fs.DurationVar(&o.imageTimeout, "image-timeout", registry.DefaultTimeout, "with --check-images, give up on a registry request after `DURATION`")
	fs.BoolVar(&o.noImageCache, "no-image-cache", false, "with --check-images, neither read nor write the cache of registry answers")
	fs.StringVar(&o.config, "config", "", "read the configuration from `FILE` for every path (default: the nearest "+config.FileName+" above each path, up to its repository's root)")
	fs.StringVar(&o.baseDir, "base-dir", "", "make paths in every report but text, the baseline and the --dry-run diff relative to `DIR` (default: the git work tree's root, else the working folder)")
	fs.StringVar(&o.color, "color", "auto", "colour the text output: `WHEN` is auto (on a terminal, unless NO_COLOR is set), always, never")
	fs.BoolVar(&o.fix, "fix", false, "apply the safe fixes that rules offer, then lint again and report what is left")
	fs.BoolVar(&o.dryRun, "dry-run", false, "with --fix: print the fixes as a unified diff instead of writing them")
	fs.StringVar(&o.baseline, "baseline", "", "report only the findings that are not in the baseline `FILE`")
	fs.StringVar(&o.writeBaseline, "write-baseline", "", "record the current findings in the baseline `FILE`; the run then exits 0")
	fs.BoolVarP(&o.quiet, "quiet", "q", false, "one line per finding and input error: no headers, source lines or summary")
	fs.DurationVar(&o.timeout, "timeout", defaultTimeout, "stop after `DURATION` (90s, 10m; default 5m): what is finished is reported, what is not is an error")
	fs.BoolVar(&o.versionFlag, "version", false, "print the version and exit")
	fs.BoolVarP(&o.help, "help", "h", false, "show this help")

	o.changed = func(name string) bool { return fs.Changed(name) }
	err := fs.Parse(args)
	if err == nil {
		err = dispatch(fs, &o, stdout, stderr)
	}
	var ec exitCode
	switch {
	case err == nil:
		return exitClean
	case errors.As(err, &ec):
		return int(ec)
	case errors.Is(err, pflag.ErrHelp):
		printUsage(stdout, fs)
		return exitClean
	default:
		msg := err.Error()
		if flag, hint, ok := explainAsFlag(msg, args); ok {
			msg = "unknown flag: " + flag + hint
		} else if name, ok := strings.CutPrefix(msg, "unknown flag: --"); ok {
			var names []string
			fs.VisitAll(func(f *pflag.Flag) { names = append(names, "--"+f.Name) })
			msg += suggest("--"+name, names)
		}
		fmt.Fprintf(stderr, "canpull: %s\n", msg)
		var ue *usageError
		if errors.As(err, &ue) || strings.Contains(err.Error(), "flag") {
			fmt.Fprintln(stderr, "Run 'canpull --help' for usage.")
		}
		return exitTrouble
	}
}

// exitCode ends a run with a code after output was written.
type exitCode int

func (c exitCode) Error() string { return fmt.Sprintf("exit %d", int(c)) }

func dispatch(fs *pflag.FlagSet, o *options, stdout, stderr io.Writer) error {
	if o.help {
		printUsage(stdout, fs)
		return nil
	}
	if o.versionFlag {
		fmt.Fprintln(stdout, currentVersion())
		return nil
	}
	args := fs.Args()
	if len(args) > 0 {
		switch args[0] {
		case "rules":
			if len(args) > 1 {
				return usagef("'canpull rules' takes no arguments")
			}
			return listRules(stdout)
		case "explain":
			if len(args) != 2 {
				return usagef("usage: canpull explain ID|NAME")
			}
			return explain(stdout, args[1])
		case "version":
			if len(args) > 1 {
				return usagef("'canpull version' takes no arguments")
			}
			fmt.Fprintln(stdout, currentVersion())
			return nil
		case "init":
			if len(args) > 1 {
				return usagef("'canpull init' takes no arguments; use --config FILE to choose where it writes")
			}
			return initConfig(o, stdout)
		case "help":
			printUsage(stdout, fs)
			return nil
		case "completion":
			if len(args) != 2 {
				return usagef("usage: canpull completion bash|zsh|fish")
			}
			return completion(stdout, fs, args[1])
		}
	}
	return lintPaths(o, args, stdout, stderr)
}

func lintPaths(o *options, paths []string, stdout, stderr io.Writer) error {
	if err := checkChoice("--format", o.format, report.Formats); err != nil {
		return err
	}
	if err := checkChoice("--color", o.color, []string{"auto", "always", "never"}); err != nil {
		return err
	}
	if o.dryRun && !o.fix {
		return usagef("--dry-run goes with --fix: canpull --fix --dry-run")
	}
	extra, err := parseReports(o.reports)
	if err != nil {
		return err
	}
	if o.baseDir != "" {
		if st, err := os.Stat(o.baseDir); err != nil {
			return usagef("--base-dir: %v", err)
		} else if !st.IsDir() {
			return usagef("--base-dir %s is not a folder", o.baseDir)
		}
	}
	groups, err := groupPaths(o, paths)
	if err != nil {
		return err
	}
	// One run per configuration file; each applies its own settings.
	var results []*driver.Result
	var severity map[string]lint.Severity
	failing := false
	for i, g := range groups {
		og := *o
		res, failOn, sev, err := lintGroup(&og, g, stdout, stderr)
		if err != nil {
			return err
		}
		results = append(results, res)
		if i == 0 {
			severity = sev
		}
		for _, f := range res.Findings {
			failing = failing || failOn != 0 && f.Severity >= failOn
		}
	}
	res := results[0]
	if len(results) > 1 {
		res = driver.Merge(results...)
	}

	base := repo.BaseDir(paths)
	if o.baseDir != "" {
		base = o.baseDir
	}
	if o.writeBaseline != "" {
		if err := writeBaseline(o, res, base, stderr); err != nil {
			return err
		}
		failing = false
	}
	ropts := report.Options{
		Format:  o.format,
		Quiet:   o.quiet,
		BaseDir: base,
		Version: currentVersion().Version,
		Rules:   withSeverities(catalog(), severity),
		HelpURI: helpURI,
	}
	reports := extra
	if !o.dryRun || o.output != "" {
		// --fix --dry-run prints the diff instead of the report.
		reports = append([]reportFile{{format: o.format, path: o.output}}, extra...)
	}
	for _, r := range reports {
		if err := writeReport(r, res, ropts, o.color, stdout); err != nil {
			return err
		}
	}
	sayUnsynthesized(res.Unsynthesized, stderr)
	return outcome(res, failing, o.format != "text" || o.output != "", stderr)
}

// sayUnsynthesized tells of each CDK or CDKTF app among the paths whose
// synthesized output was not there to read: "no problems" would otherwise
// be said of an app canpull never saw. It fails nothing: a pre-commit hook
// in a repository that does not commit cdk.out must still pass.
func sayUnsynthesized(apps []driver.Unsynthesized, stderr io.Writer) {
	for _, u := range apps {
		kind := "an AWS CDK app"
		if u.Command == "cdktf synth" {
			kind = "a CDK for Terraform app"
		}
		fmt.Fprintf(stderr, "canpull: %s is %s, whose code canpull does not run: it reads what `%s` writes to %s, and found nothing there to read; synthesize the app, then lint again\n",
			u.Config, kind, u.Command, u.Output)
	}
}

// outcome is the exit code of a run whose reports are written: 3 when
// canpull itself failed (one line on standard error asks for a report), 2
// when inputs could not be read or evaluated, or the run's time was up, 1
// when failing (findings at or above --fail-on). elsewhere says that the
// report did not go to the terminal as text.
func outcome(res *driver.Result, failing, elsewhere bool, stderr io.Writer) error {
	var internal []*hcl.Diagnostic
	for _, d := range res.Errors {
		if d != nil && input.IsInternal(d) {
			internal = append(internal, d)
		}
	}
	if len(internal) > 0 {
		msg := internal[0].Summary
		if detail, _, _ := strings.Cut(internal[0].Detail, "\n"); detail != "" {
			msg = strings.TrimPrefix(detail, "canpull ")
		}
		if len(internal) > 1 {
			msg += fmt.Sprintf(" (and %d more in the report)", len(internal)-1)
		}
		fmt.Fprintf(stderr, "canpull: internal error, please report: %s\n", msg)
		return exitCode(exitInternal)
	}
	// Input warnings (a plan that Terraform could not finish) are reported
	// but fail nothing: what was read was checked.
	if n := countErrors(res.Errors); n > 0 {
		if elsewhere {
			// The report holds the errors; say so where a person looks.
			fmt.Fprintf(stderr, "canpull: %d %s could not be read or evaluated; see the report\n", n, plural(n, "input", "inputs"))
		}
		return exitCode(exitTrouble)
	}
	if failing {
		return exitCode(exitFindings)
	}
	return nil
}

// lintGroup lints the paths of one configuration file, with the settings
// of o that it does not override. It returns the result, the severity
// that fails the run (0: never) and the configuration's severity overrides.
func lintGroup(o *options, g runGroup, stdout, stderr io.Writer) (*driver.Result, lint.Severity, map[string]lint.Severity, error) {
	cfg, err := loadConfig(g.config, stderr)
	if err != nil {
		return nil, 0, nil, err
	}
	applyConfig(o, cfg)
	failOn, err := parseFailOn(o.failOn)
	if err != nil {
		return nil, 0, nil, err
	}
	if o.timeout <= 0 {
		return nil, 0, nil, usagef("--timeout %v: want a duration above zero, such as 90s or 10m", o.timeout)
	}
	if o.accountID != "" && !accountPattern.MatchString(o.accountID) {
		return nil, 0, nil, usagef("--account-id %q is not an AWS account ID (12 digits)", o.accountID)
	}
	for _, v := range o.vars {
		if v.File != "" {
			if _, err := os.Stat(v.File); err != nil {
				return nil, 0, nil, usagef("--var-file: %v", err)
			}
		} else if name, _, ok := strings.Cut(v.Assignment, "="); !ok || strings.TrimSpace(name) == "" {
			return nil, 0, nil, usagef("--var %q: want NAME=VALUE", v.Assignment)
		}
	}
	for _, p := range o.params {
		if p.File != "" {
			if _, err := os.Stat(p.File); err != nil {
				return nil, 0, nil, usagef("--param-file: %v", err)
			}
		} else if name, _, ok := strings.Cut(p.Assignment, "="); !ok || strings.TrimSpace(name) == "" {
			return nil, 0, nil, usagef("--param %q: want NAME=VALUE", p.Assignment)
		}
	}
	selected, err := selectRules(o, cfg)
	if err != nil {
		return nil, 0, nil, err
	}

	runOpts := driver.Options{
		Paths: varFilesAsRoots(g.paths, cfg),
		Inputs: inputs.All(inputs.Options{
			Terraform: terraform.Options{
				Vars:      o.vars,
				Env:       os.Environ(),
				AccountID: o.accountID,
			},
			CloudFormation: cloudformation.Options{Params: o.params, AccountID: o.accountID},
		}),
		Rules:          selected,
		Catalog:        catalog(),
		AccountID:      o.accountID,
		ShowUnverified: o.showUnverified,
	}
	if cfg != nil {
		runOpts.Severity = cfg.severities()
		runOpts.Exclude = cfg.Excluded
		runOpts.Ignores = cfg.Ignores
	}
	if o.checkImages {
		if o.imageTimeout <= 0 {
			return nil, 0, nil, usagef("--image-timeout %s: want a positive duration, such as 10s", o.imageTimeout)
		}
		checker, err := imageChecker(o, selected)
		if err != nil {
			return nil, 0, nil, err
		}
		runOpts.ImageChecker = checker
	}
	base := repo.BaseDir(g.paths)
	if o.baseDir != "" {
		base = o.baseDir
	}
	if runOpts.Baseline, err = readBaseline(o); err != nil {
		return nil, 0, nil, err
	}
	runOpts.BaseDir = base
	// The time counts from the command's start, for all its groups.
	ctx, cancel := context.WithDeadlineCause(context.Background(), o.start.Add(o.timeout),
		fmt.Errorf("the run took longer than its timeout, %v (--timeout)", o.timeout))
	defer cancel()
	res := driver.Run(ctx, runOpts)
	if o.fix {
		if res, err = fixFindings(ctx, o, runOpts, res, base, stdout, stderr); err != nil {
			return nil, 0, nil, err
		}
	}
	tellStale(o, res, stderr)
	return res, failOn, runOpts.Severity, nil
}

// reportFile is one report to write: the main one (to standard output when
// path is "") or one of --report.
type reportFile struct{ format, path string }

// parseReports reads the --report FORMAT:FILE arguments.
func parseReports(args []string) ([]reportFile, error) {
	var out []reportFile
	for _, a := range args {
		format, path, ok := strings.Cut(a, ":")
		if !ok || path == "" {
			return nil, usagef("--report %q: want FORMAT:FILE, e.g. sarif:canpull.sarif", a)
		}
		if err := checkChoice("--report", format, report.Formats); err != nil {
			return nil, err
		}
		out = append(out, reportFile{format: format, path: path})
	}
	return out, nil
}

func writeReport(r reportFile, res *driver.Result, opts report.Options, color string, stdout io.Writer) error {
	opts.Format = r.format
	out := stdout
	var file *os.File
	if r.path != "" {
		var err error
		if file, err = os.Create(r.path); err != nil {
			return fmt.Errorf("cannot write the report: %w", err)
		}
		out = file
	}
	opts.Color = r.format == "text" && useColor(color, out)
	err := report.Write(out, res, opts)
	if file != nil {
		if cerr := file.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("cannot write the report: %w", err)
	}
	return nil
}

// varFlag collects --var and --var-file into one list, keeping their order.
type varFlag struct {
	args *[]terraform.VarArg
	file bool
}

func (f *varFlag) String() string { return "" }
func (f *varFlag) Type() string {
	if f.file {
		return "FILE"
	}
	return "NAME=VALUE"
}

func (f *varFlag) Set(s string) error {
	if f.file {
		*f.args = append(*f.args, terraform.VarArg{File: s})
	} else {
		*f.args = append(*f.args, terraform.VarArg{Assignment: s})
	}
	return nil
}

// paramFlag collects --param and --param-file into one list, keeping their
// order.
type paramFlag struct {
	args *[]cloudformation.Param
	file bool
}

func (f *paramFlag) String() string { return "" }
func (f *paramFlag) Type() string {
	if f.file {
		return "FILE"
	}
	return "NAME=VALUE"
}

func (f *paramFlag) Set(s string) error {
	if f.file {
		*f.args = append(*f.args, cloudformation.Param{File: s})
	} else {
		*f.args = append(*f.args, cloudformation.Param{Assignment: s})
	}
	return nil
}

var accountPattern = regexp.MustCompile(`^[0-9]{12}$`)

// parseFailOn reads --fail-on; "never" is 0.
func parseFailOn(s string) (lint.Severity, error) {
	if s == "never" {
		return 0, nil
	}
	sev, err := lint.ParseSeverity(s)
	if err != nil {
		return 0, usagef("--fail-on %q is not one of error, warning, note, never%s", s, config.SuggestFailOn(s))
	}
	return sev, nil
}

// selectRules applies the configuration's rule blocks, then --only,
// --enable and --disable. The engine's own rules (CP0xx) are on unless
// turned off by name: --only chooses among the checks.
func selectRules(o *options, cfg *cliConfig) ([]*lint.Rule, error) {
	all := catalog()
	on := map[string]bool{}
	for _, r := range all {
		on[r.ID] = true
	}
	if cfg != nil {
		for id, set := range cfg.Rules {
			if set.Enabled != nil {
				on[id] = *set.Enabled
			}
		}
	}
	resolve := func(flag string, names []string) ([]*lint.Rule, error) {
		var out []*lint.Rule
		for _, n := range names {
			n = strings.TrimSpace(n)
			if n == "" {
				continue
			}
			r := lookupRule(n)
			if r == nil {
				var known []string
				for _, r := range all {
					known = append(known, r.ID, r.Name)
				}
				return nil, usagef("%s: unknown rule %q%s (see 'canpull rules')", flag, n, suggest(n, known))
			}
			out = append(out, r)
		}
		return out, nil
	}
	only, err := resolve("--only", o.only)
	if err != nil {
		return nil, err
	}
	if len(only) > 0 {
		for _, r := range rules.All() {
			on[r.ID] = false
		}
		for _, r := range only {
			on[r.ID] = true
		}
	}
	enable, err := resolve("--enable", o.enable)
	if err != nil {
		return nil, err
	}
	for _, r := range enable {
		on[r.ID] = true
	}
	disable, err := resolve("--disable", o.disable)
	if err != nil {
		return nil, err
	}
	for _, r := range disable {
		on[r.ID] = false
	}
	var out []*lint.Rule
	for _, r := range all {
		if on[r.ID] {
			out = append(out, r)
		}
	}
	return out, nil
}

// catalog is every rule: the checks of the registry, then the engine's own.
func catalog() []*lint.Rule { return append(rules.All(), lint.Builtins()...) }

// lookupRule finds a rule of the catalog by ID (any case) or name.
func lookupRule(n string) *lint.Rule {
	if r := rules.Lookup(n); r != nil {
		return r
	}
	for _, r := range lint.Builtins() {
		if strings.EqualFold(r.ID, n) || r.Name == n {
			return r
		}
	}
	return nil
}

// helpURI links a rule to its page; the engine's own rules are described
// in the README.
func helpURI(r *lint.Rule) string {
	if strings.HasPrefix(r.ID, "CP0") {
		return report.InformationURI + "#the-engines-own-notes"
	}
	return rules.HelpURI(r)
}

// withSeverities copies the rules with the configuration's severities, so
// that SARIF's default levels say what the findings say.
func withSeverities(rs []*lint.Rule, sev map[string]lint.Severity) []*lint.Rule {
	out := make([]*lint.Rule, len(rs))
	for i, r := range rs {
		out[i] = r
		if s, ok := sev[r.ID]; ok {
			c := *r
			c.Severity = s
			out[i] = &c
		}
	}
	return out
}

func checkChoice(flag, v string, choices []string) error {
	for _, c := range choices {
		if v == c {
			return nil
		}
	}
	return usagef("%s %q is not one of %s%s", flag, v, strings.Join(choices, ", "), suggest(v, choices))
}

// suggest returns "; did you mean X?" for the closest choice, if close: a
// choice that starts with s, or one a few edits away (fewer for short words).
// explainAsFlag recognises the explain subcommand typed as a flag, as
// staticcheck spells it (-explain CP201) or in GNU style (--explain
// CP201, --explain=CP201), when it is the flag pflag refused (msg): it
// returns the flag as written and a suggestion of the subcommand.
func explainAsFlag(msg string, args []string) (flag, hint string, ok bool) {
	for i, a := range args {
		if a == "--" {
			break
		}
		written, id, hasID := strings.Cut(a, "=")
		if written != "-explain" && written != "--explain" {
			continue
		}
		refused := msg == "unknown flag: --explain" && written == "--explain" ||
			msg == "unknown shorthand flag: 'e' in "+a && written == "-explain"
		if !refused {
			return "", "", false
		}
		if !hasID && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
			id, hasID = args[i+1], true
		}
		if !hasID || id == "" {
			id = "ID"
		}
		return written, fmt.Sprintf("; did you mean 'canpull explain %s'?", id), true
	}
	return "", "", false
}

func suggest(s string, choices []string) string {
	ls := strings.ToLower(s)
	for _, c := range choices {
		if ls != "" && strings.HasPrefix(strings.ToLower(c), ls) {
			return fmt.Sprintf("; did you mean %q?", c)
		}
	}
	best, bestDist := "", 1+min(3, (len(s)+2)/3)
	for _, c := range choices {
		d := levenshtein.Distance(ls, strings.ToLower(c), nil)
		if d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

func useColor(mode string, w io.Writer) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func listRules(w io.Writer) error {
	all := catalog()
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	for _, r := range all {
		fmt.Fprintf(w, "%s  %-26s %-8s %s\n", r.ID, r.Name, r.Severity, r.Summary)
	}
	return nil
}

func explain(w io.Writer, idOrName string) error {
	r := lookupRule(idOrName)
	if r == nil {
		var known []string
		for _, r := range catalog() {
			known = append(known, r.ID, r.Name)
		}
		return usagef("unknown rule %q%s (see 'canpull rules')", idOrName, suggest(idOrName, known))
	}
	fmt.Fprint(w, r.Doc)
	if !strings.HasSuffix(r.Doc, "\n") {
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "\n%s\n", helpURI(r))
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func printUsage(w io.Writer, fs *pflag.FlagSet) {
	fmt.Fprintf(w, `canpull finds the ECS tasks that will fail to pull their container images.

Usage:
  canpull [flags] [PATH ...]   lint Terraform, OpenTofu, CloudFormation and ECS JSON under each PATH (default: .)
  canpull rules                list the rules
  canpull explain ID|NAME      print a rule's documentation
  canpull init                 write a commented .canpull.hcl to start from
  canpull completion SHELL     print a completion script for bash, zsh or fish
  canpull version              print the version

Flags:
%s
Exit codes:
  0  nothing at or above --fail-on
  1  findings at or above --fail-on
  2  a usage error, a mistake in the configuration file, an input that could
     not be read or evaluated, or a run past --timeout (the findings for the
     rest are still printed)
  3  an internal error of canpull: a line on standard error asks you to
     report it (the findings produced are still printed)
Documentation: https://github.com/canpull/canpull
`, flagUsages(fs))
}

// flagUsages lists the flags, one a line, with their argument and default.
func flagUsages(fs *pflag.FlagSet) string {
	type row struct{ left, help string }
	var rows []row
	width := 0
	fs.VisitAll(func(f *pflag.Flag) {
		left := "      --" + f.Name
		if f.Shorthand != "" {
			left = "  -" + f.Shorthand + ", --" + f.Name
		}
		arg, help := pflag.UnquoteUsage(f)
		if f.Value.Type() != "bool" && arg != "" {
			left += " " + arg
		}
		if f.DefValue != "" && f.Value.Type() == "string" {
			help += fmt.Sprintf(" (default %q)", f.DefValue)
		}
		rows = append(rows, row{left, help})
		width = max(width, len(left))
	})
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%-*s   %s\n", width, r.left, r.help)
	}
	return b.String()
}

// countErrors counts the diagnostics that are errors, not warnings.
func countErrors(ds hcl.Diagnostics) int {
	n := 0
	for _, d := range ds {
		if d != nil && d.Severity == hcl.DiagError {
			n++
		}
	}
	return n
}
