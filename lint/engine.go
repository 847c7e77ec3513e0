package lint

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"sync"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/model"
	"github.com/canpull/canpull/lint/taskdef"
	"github.com/canpull/canpull/lint/terraform"
)

// Options configure a run.
type Options struct {
	// Paths are the files and folders to lint; "." when empty.
	Paths []string
	// Rules are the rules to run.
	Rules []*Rule
	// Terraform holds variable values and the account ID for Terraform.
	Terraform terraform.Options
	// AccountID is the account the tasks run in (--account-id).
	AccountID string
	// ShowUnverified keeps the notes that say where a rule had to stop.
	ShowUnverified bool
	// Catalog is every rule that exists, run or not, so that an ignore
	// comment may name a rule this run leaves out; Rules when empty. The
	// engine's own rules (Builtins) are always in it.
	Catalog []*Rule
	// Severity overrides the severity of rules' findings, by rule ID; the
	// notes that say a rule could not verify something stay notes.
	Severity map[string]Severity
	// Exclude reports whether a file or folder is left out: it is not read,
	// and no finding in it is reported. nil leaves out nothing.
	Exclude func(path string) bool
	// Ignores suppress findings by rule and file (the configuration file).
	Ignores []Ignore
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

// maxJSONSize bounds the ECS JSON documents canpull reads.
const maxJSONSize = 16 << 20

// Run lints the paths and returns what it found.
func Run(opts Options) *Result {
	paths := opts.Paths
	if len(paths) == 0 {
		paths = []string{"."}
	}
	in := discover(paths)
	if opts.Exclude != nil {
		in = excludeInputs(in, opts.Exclude)
	}
	res := &Result{Sources: map[string][]byte{}, Errors: in.errors}

	configs := make([]*model.Config, len(in.modules))
	diags := make([]hcl.Diagnostics, len(in.modules))
	sources := make([]map[string][]byte, len(in.modules))
	missing := make([][]terraform.Missing, len(in.modules))
	// Decide up front which root modules to load: the scanner's memo is not
	// shared between goroutines.
	matters := make([]bool, len(in.modules))
	for i, m := range in.modules {
		matters[i] = in.scans.mayMatter(m.dir)
	}
	load := func(idx []int) {
		var wg sync.WaitGroup
		work := make(chan int)
		for range runtime.GOMAXPROCS(0) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range work {
					m := in.modules[i]
					tfOpts := opts.Terraform
					tfOpts.Root = m.root
					if tfOpts.AccountID == "" {
						tfOpts.AccountID = opts.AccountID
					}
					r, ds := terraform.Load(m.dir, tfOpts)
					configs[i], diags[i], sources[i], missing[i] = r.Config, ds, r.Sources, r.Missing
				}
			}()
		}
		for _, i := range idx {
			work <- i
		}
		close(work)
		wg.Wait()
	}
	var first []int
	for i := range in.modules {
		if matters[i] {
			first = append(first, i)
		}
	}
	load(first)
	jsonCfg := loadJSON(in.jsonFiles, res)

	// Roles that task definitions name by ARN and no loaded configuration
	// defines may be defined in a folder the prefilter skipped, and roles
	// that are defined may be given policies there: load the folders whose
	// text names them.
	loaded := append(slices.Clone(configs), jsonCfg)
	if names := append(unresolvedRoles(loaded), definedRoleNames(loaded)...); len(names) > 0 {
		var more []int
		for i, m := range in.modules {
			if !matters[i] && in.scans.mentions(m.dir, names) {
				more = append(more, i)
			}
		}
		load(more)
	}

	var found []Finding
	for i := range in.modules {
		found = append(found, missingNotes(missing[i], opts)...)
		res.Errors = append(res.Errors, diags[i]...)
		for name, src := range sources[i] {
			res.Sources[name] = src
		}
		if configs[i] != nil {
			res.Stats.Modules++
		}
	}

	if jsonCfg != nil {
		configs = append(configs, jsonCfg)
	}
	var scanned []*model.Config
	for _, cfg := range configs {
		if cfg != nil {
			scanned = append(scanned, cfg)
		}
	}
	markForeignGrants(scanned)
	for i, cfg := range scanned {
		res.Stats.TaskDefinitions += len(cfg.TaskDefinitions)
		res.Stats.Services += len(cfg.Services)
		fs := check(cfg, scanned, opts, res)
		attribute(fs, i, cfg)
		found = append(found, fs...)
	}
	res.Stats.Files = len(res.Sources)
	finish(found, opts, res)
	res.Errors = dedupeDiags(res.Errors)
	return res
}

// loadJSON reads the ECS JSON documents among the JSON files into one
// configuration, so that a service finds its task definition.
func loadJSON(names []string, res *Result) *model.Config {
	var files []taskdef.File
	for _, name := range names {
		st, err := os.Stat(name)
		if err != nil {
			res.Errors = append(res.Errors, fileError(name, "Cannot read file", err.Error()))
			continue
		}
		if st.Size() > maxJSONSize {
			head, _ := readHead(name, 64<<10)
			if taskdef.Detect(head) != taskdef.None {
				res.Errors = append(res.Errors, fileError(name, "File too large",
					fmt.Sprintf("%s is %d bytes; canpull reads ECS JSON documents of up to %d bytes.", name, st.Size(), maxJSONSize)))
			}
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			res.Errors = append(res.Errors, fileError(name, "Cannot read file", err.Error()))
			continue
		}
		if taskdef.Detect(src) == taskdef.None {
			continue
		}
		res.Sources[name] = src
		files = append(files, taskdef.File{Name: name, Src: src})
	}
	if len(files) == 0 {
		return nil
	}
	cfg, diags := taskdef.Load(files)
	res.Errors = append(res.Errors, diags...)
	return cfg
}

func fileError(name, summary, detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail,
		Subject: &hcl.Range{Filename: name, Start: hcl.InitialPos, End: hcl.InitialPos}}
}

// check runs every rule over one configuration.
func check(cfg *model.Config, scanned []*model.Config, opts Options, res *Result) []Finding {
	var out []Finding
	for _, r := range opts.Rules {
		if r.Run == nil {
			continue // the engine's own rules
		}
		pass := &Pass{Rule: r, Config: cfg, Scanned: scanned, AccountID: opts.AccountID, report: func(f Finding) { out = append(out, f) }}
		func() {
			defer func() {
				if p := recover(); p != nil {
					res.Errors = append(res.Errors, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Internal error",
						Detail: fmt.Sprintf("rule %s failed: %v. Please report this with the configuration that caused it.\n%s", r.ID, p, debug.Stack())})
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

func ioLimit(r io.Reader, n int64) io.Reader { return io.LimitReader(r, n) }
