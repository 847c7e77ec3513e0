package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/cloudformation"
	"github.com/canpull/canpull/lint/config"
	"github.com/canpull/canpull/lint/repo"
	"github.com/canpull/canpull/lint/terraform"
)

// The configuration file and the flags meet here: a flag given on the
// command line wins over the same setting in .canpull.hcl; var files and
// parameters of the configuration come before --var-file, --var,
// --param-file and --param, so those win.

// cliConfig is the configuration file as the command applies it.
type cliConfig struct{ *config.Config }

// runGroup is the paths that one configuration file covers ("" for none).
type runGroup struct {
	config string
	paths  []string
}

// groupPaths says which configuration applies to each path: the file that
// --config names, for all; else, for each path, the nearest .canpull.hcl
// from it up to its repository's root (see configFor). Paths that share a
// configuration are linted in one run, in the order given.
func groupPaths(o *options, paths []string) ([]runGroup, error) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	if o.config != "" {
		if _, err := os.Stat(o.config); err != nil {
			return nil, usagef("--config: %v", err)
		}
		return []runGroup{{config: o.config, paths: paths}}, nil
	}
	var groups []runGroup
	index := map[string]int{}
	for _, p := range paths {
		c, err := configFor(p)
		if err != nil {
			return nil, err
		}
		i, ok := index[c]
		if !ok {
			i = len(groups)
			index[c] = i
			groups = append(groups, runGroup{config: c})
		}
		groups[i].paths = append(groups[i].paths, p)
	}
	return groups, nil
}

// configFor finds the configuration file for a path, as ruff and tflint
// users expect: the nearest .canpull.hcl walking up from the path (its
// folder, for a file) to the root of the repository that holds it, never
// above; outside a repository, as far up as there are folders. "" when
// there is none.
func configFor(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", nil
	}
	dir := abs
	if st, err := os.Stat(abs); err == nil && !st.IsDir() {
		dir = filepath.Dir(abs)
	}
	stop := ""
	if root, ok := repo.Root(dir); ok {
		stop = root
	}
	for d := dir; ; d = filepath.Dir(d) {
		name := filepath.Join(d, config.FileName)
		switch _, err := os.Stat(name); {
		case err == nil:
			return shortPath(name), nil
		case !errors.Is(err, fs.ErrNotExist):
			return "", fmt.Errorf("cannot read %s: %w", shortPath(name), err)
		}
		if d == stop || filepath.Dir(d) == d {
			return "", nil
		}
	}
}

// isWithin reports whether p is dir or under it.
func isWithin(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// shortPath names a file relative to the working folder when it is under
// it, for messages: ".canpull.hcl", "infra/.canpull.hcl".
func shortPath(p string) string {
	if wd, err := os.Getwd(); err == nil && isWithin(wd, p) {
		if rel, err := filepath.Rel(wd, p); err == nil {
			return rel
		}
	}
	return p
}

// varFilesAsRoots replaces each path that names a variables file of the
// configuration (var_files) with the configuration's folder: the hook of
// pre-commit passes a changed envs/prod.tfvars alone, and what it changes is
// every root module the configuration covers, not the file's own folder.
func varFilesAsRoots(paths []string, cfg *cliConfig) []string {
	if cfg == nil || len(cfg.VarFiles) == 0 {
		return paths
	}
	named := map[string]bool{}
	for _, f := range cfg.VarFiles {
		if abs, err := filepath.Abs(f); err == nil {
			named[abs] = true
		}
	}
	out := make([]string, 0, len(paths))
	replaced := false
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err == nil && named[abs] {
			if !replaced {
				out = append(out, shortPath(cfg.Dir))
				replaced = true
			}
			continue
		}
		out = append(out, p)
	}
	return out
}

// loadConfig reads a configuration file ("": none). A configuration with
// errors ends the run: canpull cannot know what the user wanted checked.
func loadConfig(path string, stderr io.Writer) (*cliConfig, error) {
	if path == "" {
		return nil, nil
	}
	cfg, diags := config.Load(path, catalog())
	if diags.HasErrors() {
		for _, d := range diags {
			fmt.Fprintf(stderr, "canpull: %s\n", diagLine(d))
		}
		return nil, exitCode(exitTrouble)
	}
	return &cliConfig{cfg}, nil
}

// diagLine is "file:line:col: summary: detail".
func diagLine(d *hcl.Diagnostic) string {
	s := d.Summary
	if d.Detail != "" {
		s += ": " + d.Detail
	}
	if d.Subject != nil {
		s = fmt.Sprintf("%s:%d:%d: %s", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column, s)
	}
	return s
}

// applyConfig fills in the settings that no flag gave.
func applyConfig(o *options, cfg *cliConfig) {
	if cfg == nil {
		return
	}
	if !o.changed("fail-on") && cfg.FailOn != "" {
		o.failOn = cfg.FailOn
	}
	if !o.changed("account-id") && cfg.AccountID != "" {
		o.accountID = cfg.AccountID
	}
	if !o.changed("baseline") && cfg.Baseline != "" {
		o.baseline = cfg.Baseline
	}
	if !o.changed("show-unverified") && cfg.ShowUnverified != nil {
		o.showUnverified = *cfg.ShowUnverified
	}
	if !o.changed("check-images") && cfg.CheckImages != nil {
		o.checkImages = *cfg.CheckImages
	}
	if !o.changed("timeout") && cfg.Timeout > 0 {
		o.timeout = cfg.Timeout
	}
	var vars []terraform.VarArg
	for _, f := range cfg.VarFiles {
		vars = append(vars, terraform.VarArg{File: f})
	}
	o.vars = append(vars, o.vars...)
	var params []cloudformation.Param
	for _, name := range sortedKeys(cfg.Params) {
		params = append(params, cloudformation.Param{Assignment: name + "=" + cfg.Params[name]})
	}
	for _, f := range cfg.ParamFiles {
		params = append(params, cloudformation.Param{File: f})
	}
	o.params = append(params, o.params...)
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// severities are the configuration's severity overrides, by rule ID.
func (c *cliConfig) severities() map[string]lint.Severity {
	out := map[string]lint.Severity{}
	for id, set := range c.Rules {
		if set.Severity != 0 {
			out[id] = set.Severity
		}
	}
	return out
}

// initConfig writes the starter configuration, never over an existing file.
func initConfig(o *options, stdout io.Writer) error {
	path := o.config
	if path == "" {
		path = config.FileName
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return usagef("%s exists already; 'canpull init' does not overwrite it", path)
	}
	if err != nil {
		return fmt.Errorf("cannot write the configuration: %w", err)
	}
	_, err = io.WriteString(f, config.Starter(catalog()))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("cannot write the configuration: %w", err)
	}
	fmt.Fprintf(stdout, "canpull: wrote %s; every setting in it is commented out: uncomment what you need\n", path)
	return nil
}
