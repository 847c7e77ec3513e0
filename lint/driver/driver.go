// Package driver runs canpull: it discovers the inputs under the paths it
// is given, has the input packages load them into the model, runs the rules
// over every configuration and finishes their findings (duplicates,
// severity overrides, ignores, the count of what could not be verified).
// It knows no input format: the inputs it is given claim their files and
// load them (see package lint/input).
package driver

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/baseline"
	"github.com/canpull/canpull/lint/input"
	"github.com/canpull/canpull/lint/model"
)

// Options configure a run.
type Options struct {
	// Paths are the files and folders to lint; "." when empty.
	Paths []string
	// Inputs read the formats, each made with its own settings (variable
	// values, parameters). A file goes to the first input that claims it,
	// so their order matters: see package lint/inputs.
	Inputs []input.Input
	// Rules are the rules to run.
	Rules []*lint.Rule
	// AccountID is the account the tasks run in (--account-id).
	AccountID string
	// ShowUnverified keeps the notes that say where a rule had to stop.
	ShowUnverified bool
	// Catalog is every rule that exists, run or not, so that an ignore
	// comment may name a rule this run leaves out; Rules when empty. The
	// engine's own rules (lint.Builtins) are always in it.
	Catalog []*lint.Rule
	// Severity overrides the severity of rules' findings, by rule ID; the
	// notes that say a rule could not verify something stay notes.
	Severity map[string]lint.Severity
	// Exclude reports whether a file or folder is left out: it is not read,
	// and no finding in it is reported. nil leaves out nothing.
	Exclude func(path string) bool
	// Ignores suppress findings by rule and file (the configuration file).
	Ignores []Ignore
	// ImageChecker, when set (--check-images), is asked about every fully
	// known image before the rules run; nil makes no connection at all.
	ImageChecker model.ImageChecker
	// Baseline, when set, holds the findings accepted already: they are
	// not reported (Result.Baselined), and its entries that no finding
	// matches are Result.StaleBaseline.
	Baseline *baseline.File
	// BaseDir is the repository root: the baseline's paths are relative
	// to it. "" is the working folder.
	BaseDir string
}

// Ignore suppresses the findings of some rules in some files.
type Ignore struct {
	// Rules are rule IDs; empty means every rule.
	Rules []string
	// Files reports whether a finding's file is covered.
	Files func(name string) bool
	// Reason is the justification SARIF shows.
	Reason string
	// Range is where the configuration says so.
	Range hcl.Range
}

// Run lints the paths and returns what it found. When ctx is done, the
// inputs stop loading, the rules run over what was loaded, and the result
// says that the run was cut short.
func Run(ctx context.Context, opts Options) *Result {
	paths := opts.Paths
	if len(paths) == 0 {
		paths = []string{"."}
	}
	found := discover(paths, opts.Inputs, opts.Exclude)
	res := &Result{Sources: map[string][]byte{}, Errors: found.errors, Unsynthesized: unsynthesized(found.apps, found)}

	loads := load(ctx, opts, found)

	var scanned []*model.Config
	var missing, unused []input.Missing
	ignores := map[string][]input.Ignore{} // by file, from the first load that read it
	for _, l := range loads {
		for _, cfg := range l.Configs {
			if cfg != nil {
				scanned = append(scanned, cfg)
			}
		}
		res.Errors = append(res.Errors, l.Diags...)
		for name, src := range l.Sources {
			res.Sources[name] = src
		}
		missing = append(missing, l.Missing...)
		unused = append(unused, l.UnusedValues...)
		res.Stats.Modules += l.Modules
		byFile := map[string][]input.Ignore{}
		for _, ig := range l.Ignores {
			byFile[ig.Range.Filename] = append(byFile[ig.Range.Filename], ig)
		}
		for name, igs := range byFile {
			if _, ok := ignores[name]; !ok {
				ignores[name] = igs
			}
		}
	}
	if ctx.Err() != nil {
		res.Errors = append(res.Errors, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Run stopped",
			Detail: fmt.Sprintf("canpull's time for this run was up (%v): it checked what it had read, and lists what it had not finished as errors.", context.Cause(ctx))})
	}

	findings := missingNotes(missing, opts)
	findings = append(findings, unusedNotes(unused, opts)...)
	markForeignGrants(scanned)
	if opts.ImageChecker != nil {
		checkImagesSafely(ctx, scanned, opts.ImageChecker, res)
	}
	objects := map[string]string{}
	for i, cfg := range scanned {
		res.Stats.TaskDefinitions += len(cfg.TaskDefinitions)
		res.Stats.Services += len(cfg.Services)
		fs := check(cfg, scanned, opts, res)
		if cfg.Dir != "" {
			for j := range fs {
				fs[j].Roots = []string{cfg.Dir}
			}
		}
		attribute(fs, i, cfg, objects)
		recordChecked(res, cfg, fs)
		findings = append(findings, fs...)
	}
	res.Stats.Files = len(res.Sources)
	var all []input.Ignore
	for _, igs := range ignores {
		all = append(all, igs...)
	}
	finish(findings, objects, all, opts, res)
	applyBaseline(opts, paths, res)
	res.Errors = dedupeDiags(res.Errors)
	return res
}

// load has each input load the files it claimed, then asks those that
// skipped parts they judged irrelevant to load the parts that mention the
// roles the loaded configurations name: a role that a task definition
// names by ARN may be defined, and a role that is defined may be given
// policies, in a folder that holds nothing else the rules read.
func load(ctx context.Context, opts Options, found *discovered) []input.Loaded {
	loads := make([]input.Loaded, len(opts.Inputs))
	for i, in := range opts.Inputs {
		if len(found.files[i]) == 0 {
			continue
		}
		loads[i] = loadSafely(in.Name(), func() input.Loaded {
			return in.Load(ctx, found.files[i], input.Env{AccountID: opts.AccountID, LeftOut: found.leftOut[i]})
		})
	}
	var loaded []*model.Config
	for _, l := range loads {
		loaded = append(loaded, l.Configs...)
	}
	if names := roleNamesToFind(loaded); len(names) > 0 {
		for i := range loads {
			if more := loads[i].LoadMentioning; more != nil && ctx.Err() == nil {
				loads[i].Merge(loadSafely(opts.Inputs[i].Name(), func() input.Loaded { return more(ctx, names) }))
			}
		}
	}
	// Check in a stable order whatever was loaded when: by input, then by
	// folder. Findings that tie in the final order keep this one.
	for _, l := range loads {
		slices.SortStableFunc(l.Configs, func(a, b *model.Config) int { return cmp.Compare(a.Dir, b.Dir) })
	}
	return loads
}

// loadSafely runs one input's load: a panic in it is an internal error,
// and the other inputs are still loaded and checked.
func loadSafely(name string, load func() input.Loaded) (out input.Loaded) {
	defer func() {
		if p := recover(); p != nil {
			out = input.Loaded{Diags: hcl.Diagnostics{input.Panic("loading the "+name+" input", p)}}
		}
	}()
	return load()
}

// checkImagesSafely runs the registry check: a panic in it is an internal
// error, and the rules still run (CP308–CP310 then find no answers).
func checkImagesSafely(ctx context.Context, configs []*model.Config, checker model.ImageChecker, res *Result) {
	defer func() {
		if p := recover(); p != nil {
			res.Errors = append(res.Errors, input.Panic("checking the images in their registries", p))
		}
	}()
	checkImages(ctx, configs, checker)
}

// check runs every rule over one configuration.
func check(cfg *model.Config, scanned []*model.Config, opts Options, res *Result) []lint.Finding {
	var out []lint.Finding
	for _, r := range opts.Rules {
		if r.Run == nil {
			continue // the engine's own rules
		}
		pass := lint.NewPass(r, cfg, scanned, opts.AccountID, func(f lint.Finding) { out = append(out, f) })
		pass.Sources = res.Sources
		func() {
			defer func() {
				if p := recover(); p != nil {
					res.Errors = append(res.Errors, input.Panic("running rule "+r.ID, p))
				}
			}()
			r.Run(pass)
		}()
	}
	return out
}

// dedupeDiags sorts input errors by place and drops repeats: an expression
// of a module called with for_each is evaluated once per instance.
func dedupeDiags(ds hcl.Diagnostics) hcl.Diagnostics {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i].Subject, ds[j].Subject
		if a == nil || b == nil {
			return a != nil && b == nil
		}
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		return a.Start.Line < b.Start.Line
	})
	var out hcl.Diagnostics
	seen := map[string]bool{}
	for _, d := range ds {
		k := d.Summary + "\x00" + d.Detail
		if d.Subject != nil {
			k += fmt.Sprintf("\x00%s:%d:%d", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column)
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, d)
		}
	}
	return out
}
