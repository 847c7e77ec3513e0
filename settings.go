package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/cloudformation"
	"github.com/canpull/canpull/lint/config"
	"github.com/canpull/canpull/lint/terraform"
)

// The configuration file and the flags meet here: a flag given on the
// command line wins over the same setting in .canpull.hcl; var files and
// parameters of the configuration come before --var-file, --var,
// --param-file and --param, so those win.

// cliConfig is the configuration file as the command applies it.
type cliConfig struct{ *config.Config }

// loadConfig reads --config, or .canpull.hcl in the working folder when
// there is one. A configuration with errors ends the run: canpull cannot
// know what the user wanted checked.
func loadConfig(o *options, stderr io.Writer) (*cliConfig, error) {
	path := o.config
	if path == "" {
		if _, err := os.Stat(config.FileName); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, nil
			}
			return nil, fmt.Errorf("cannot read %s: %w", config.FileName, err)
		}
		path = config.FileName
	} else if _, err := os.Stat(path); err != nil {
		return nil, usagef("--config: %v", err)
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
	if !o.changed("show-unverified") && cfg.ShowUnverified != nil {
		o.showUnverified = *cfg.ShowUnverified
	}
	if !o.changed("check-images") && cfg.CheckImages != nil {
		o.checkImages = *cfg.CheckImages
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
