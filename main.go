// Command canpull reads Terraform and ECS JSON before anything is deployed
// and says which ECS tasks will fail to pull their container images, why,
// and how to fix it.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/agext/levenshtein"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/report"
	"github.com/canpull/canpull/lint/terraform"
	"github.com/canpull/canpull/rules"
)

// Exit codes.
const (
	exitClean    = 0 // nothing at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on
	exitTrouble  = 2 // a usage error, or input that could not be read
)

// version is set at build time with -ldflags "-X main.version=…"; otherwise
// it comes from the module's build information.
var version = ""

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// usageError is a mistake on the command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

type options struct {
	format, output, failOn, color string
	vars                          []terraform.VarArg // --var and --var-file, in order
	accountID                     string
	enable, disable, only         []string
	quiet, help                   bool
	versionFlag                   bool
}

func run(args []string, stdout, stderr io.Writer) int {
	var o options
	fs := pflag.NewFlagSet("canpull", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	fs.StringVarP(&o.format, "format", "f", "text", "output format: "+strings.Join(report.Formats, ", "))
	fs.StringVarP(&o.output, "output", "o", "", "write the report to `FILE` instead of standard output")
	fs.StringVar(&o.failOn, "fail-on", "warning", "exit 1 on findings at or above this severity: error, warning, note, never")
	fs.Var(&varFlag{args: &o.vars, file: true}, "var-file", "Terraform variables `FILE` (repeatable; later wins)")
	fs.Var(&varFlag{args: &o.vars}, "var", "Terraform variable `NAME=VALUE` (repeatable; later wins)")
	fs.StringVar(&o.accountID, "account-id", "", "the AWS account `ID` the tasks run in")
	fs.StringSliceVar(&o.enable, "enable", nil, "run these rules too (`IDs` or names, comma-separated)")
	fs.StringSliceVar(&o.disable, "disable", nil, "do not run these rules (`IDs` or names)")
	fs.StringSliceVar(&o.only, "only", nil, "run only these rules (`IDs` or names)")
	fs.StringVar(&o.color, "color", "auto", "colour the text output: auto, always, never")
	fs.BoolVarP(&o.quiet, "quiet", "q", false, "print findings only: no source lines, no summary")
	fs.BoolVar(&o.versionFlag, "version", false, "print the version and exit")
	fs.BoolVarP(&o.help, "help", "h", false, "show this help")

	err := fs.Parse(args)
	if err == nil {
		err = dispatch(fs, &o, stdout, stderr)
	}
	var code exitCode
	switch {
	case err == nil:
		return exitClean
	case errors.As(err, &code):
		return int(code)
	case errors.Is(err, pflag.ErrHelp):
		printUsage(stdout, fs)
		return exitClean
	default:
		msg := err.Error()
		if name, ok := strings.CutPrefix(msg, "unknown flag: --"); ok {
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
		fmt.Fprintln(stdout, "canpull", getVersion())
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
			fmt.Fprintln(stdout, "canpull", getVersion())
			return nil
		case "help":
			printUsage(stdout, fs)
			return nil
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
	failOn, err := parseFailOn(o.failOn)
	if err != nil {
		return err
	}
	if o.accountID != "" && !accountPattern.MatchString(o.accountID) {
		return usagef("--account-id %q is not an AWS account ID (12 digits)", o.accountID)
	}
	for _, v := range o.vars {
		if v.File != "" {
			if _, err := os.Stat(v.File); err != nil {
				return usagef("--var-file: %v", err)
			}
		} else if name, _, ok := strings.Cut(v.Assignment, "="); !ok || strings.TrimSpace(name) == "" {
			return usagef("--var %q: want NAME=VALUE", v.Assignment)
		}
	}
	selected, err := selectRules(o)
	if err != nil {
		return err
	}

	res := lint.Run(lint.Options{
		Paths:     paths,
		Rules:     selected,
		AccountID: o.accountID,
		Terraform: terraform.Options{
			Vars:      o.vars,
			Env:       os.Environ(),
			AccountID: o.accountID,
		},
	})

	out := stdout
	var file *os.File
	if o.output != "" {
		file, err = os.Create(o.output)
		if err != nil {
			return fmt.Errorf("cannot write the report: %w", err)
		}
		out = file
	}
	base, _ := os.Getwd()
	err = report.Write(out, res, report.Options{
		Format:  o.format,
		Color:   useColor(o.color, out),
		Quiet:   o.quiet,
		BaseDir: base,
		Version: getVersion(),
		Rules:   rules.All(),
		HelpURI: rules.HelpURI,
	})
	if file != nil {
		if cerr := file.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("cannot write the report: %w", err)
	}
	if len(res.Errors) > 0 {
		if o.format != "text" || o.output != "" {
			// The report holds the errors; say so where a person looks.
			fmt.Fprintf(stderr, "canpull: %d %s could not be read or evaluated; see the report\n", len(res.Errors), plural(len(res.Errors), "input", "inputs"))
		}
		return exitCode(exitTrouble)
	}
	for _, f := range res.Findings {
		if failOn != 0 && f.Severity >= failOn {
			return exitCode(exitFindings)
		}
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

var accountPattern = regexp.MustCompile(`^[0-9]{12}$`)

// parseFailOn reads --fail-on; "never" is 0.
func parseFailOn(s string) (lint.Severity, error) {
	if s == "never" {
		return 0, nil
	}
	sev, err := lint.ParseSeverity(s)
	if err != nil {
		return 0, usagef("--fail-on %q is not one of error, warning, note, never%s", s, suggest(s, []string{"error", "warning", "note", "never"}))
	}
	return sev, nil
}

// selectRules applies --only, --enable and --disable.
func selectRules(o *options) ([]*lint.Rule, error) {
	all := rules.All()
	on := map[string]bool{}
	for _, r := range all {
		on[r.ID] = true
	}
	resolve := func(flag string, names []string) ([]*lint.Rule, error) {
		var out []*lint.Rule
		for _, n := range names {
			n = strings.TrimSpace(n)
			if n == "" {
				continue
			}
			r := rules.Lookup(n)
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
		on = map[string]bool{}
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
func suggest(s string, choices []string) string {
	ls := strings.ToLower(s)
	for _, c := range choices {
		if ls != "" && strings.HasPrefix(strings.ToLower(c), ls) {
			return fmt.Sprintf("; did you mean %q?", c)
		}
	}
	best, bestDist := "", 1+min(3, len(s)/3)
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
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func listRules(w io.Writer) error {
	all := rules.All()
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	for _, r := range all {
		fmt.Fprintf(w, "%s  %-26s %-8s %s\n", r.ID, r.Name, r.Severity, r.Summary)
	}
	return nil
}

func explain(w io.Writer, idOrName string) error {
	r := rules.Lookup(idOrName)
	if r == nil {
		var known []string
		for _, r := range rules.All() {
			known = append(known, r.ID, r.Name)
		}
		return usagef("unknown rule %q%s (see 'canpull rules')", idOrName, suggest(idOrName, known))
	}
	fmt.Fprint(w, r.Doc)
	if !strings.HasSuffix(r.Doc, "\n") {
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "\n%s\n", rules.HelpURI(r))
	return nil
}

func getVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
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
  canpull [flags] [PATH ...]   lint Terraform and ECS JSON under each PATH (default: .)
  canpull rules                list the rules
  canpull explain ID|NAME      print a rule's documentation
  canpull version              print the version

Flags:
%s
Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,
2 a usage error or input that could not be read (findings are still printed).
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
