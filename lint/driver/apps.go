package driver

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"

	"github.com/canpull/canpull/lint/input"
)

// An AWS CDK or CDK for Terraform app is code that canpull does not run: it
// reads what the app synthesizes (CloudFormation templates in cdk.out,
// Terraform JSON in cdktf.out). Linting an app whose output is not there
// would otherwise say "no problems" about files it never saw.

// Unsynthesized is an app whose synthesized output the run did not read.
type Unsynthesized struct {
	// Config is the app's cdk.json or cdktf.json; Output the folder its
	// synth command writes (the config's "output", or the default).
	Config, Output string
	// Command synthesizes it: "cdk synth" or "cdktf synth".
	Command string
}

// appTools are the config files of the apps, with their synth command and
// default output folder.
var appTools = map[string]struct{ command, output string }{
	"cdk.json":   {"cdk synth", "cdk.out"},
	"cdktf.json": {"cdktf synth", "cdktf.out"},
}

// unsynthesized lists the apps among configs whose output folder holds
// none of the files the walk found.
func unsynthesized(configs []string, found *discovered) []Unsynthesized {
	var out []Unsynthesized
	for _, cfg := range configs {
		tool := appTools[filepath.Base(cfg)]
		dir := tool.output
		if src, err := input.ReadFile(cfg, 1<<20); err == nil {
			var settings struct {
				Output string `json:"output"`
			}
			if json.Unmarshal(src, &settings) == nil && settings.Output != "" {
				dir = settings.Output
			}
		}
		outDir := filepath.Join(filepath.Dir(cfg), filepath.FromSlash(dir))
		if !found.holdsUnder(outDir) {
			out = append(out, Unsynthesized{Config: cfg, Output: outDir, Command: tool.command})
		}
	}
	return out
}

// holdsUnder reports whether an input claimed a file under dir.
func (d *discovered) holdsUnder(dir string) bool {
	prefix := filepath.Clean(dir) + string(filepath.Separator)
	for _, fs := range slices.Concat(d.files, d.leftOut) {
		for _, f := range fs {
			if strings.HasPrefix(filepath.Clean(f.Path), prefix) {
				return true
			}
		}
	}
	return false
}
