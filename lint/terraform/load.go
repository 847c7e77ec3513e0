// Package terraform loads a Terraform root module, the modules it calls and
// its variable values, evaluates it without running Terraform, and turns what
// matters for pulling images into the model.
//
// Values that Terraform would only know after apply (a subnet's id, a role's
// arn) evaluate to tokens (model.Token) that name the resource instance, so
// that references can be followed; anything else that cannot be known stays
// unknown.
package terraform

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/canpull/canpull/lint/input"
	"github.com/canpull/canpull/lint/model"
	"github.com/canpull/canpull/lint/terraform/budget"
)

// Options are the inputs of a load besides the folder.
type Options struct {
	// Vars are the --var "name=value" assignments and --var-file paths in
	// the order given: as in Terraform, a later one wins.
	Vars []VarArg
	// Env is the environment to read TF_VAR_* from (os.Environ() form).
	Env []string
	// AccountID is the account the tasks run in, when the user said.
	AccountID string
	// Root is the repository that file functions may read under (the
	// input sets it: see boundary in input.go); the module folder when
	// empty.
	Root string
	// Repository bounds the folders of downloaded modules (see
	// input.Repository); when empty, the repository of the root module.
	Repository string
	// Timeout bounds the evaluation of one root module (default 30s); past
	// it the module is reported and left out.
	Timeout time.Duration
	// Limits bound the memory and work of one root module's evaluation
	// (budget.DefaultLimits where zero); past them the expression that went
	// over is reported and what is left is unknown.
	Limits budget.Limits

	// shared, when set, is what the loads of one run share: the text the
	// prefilter read, the module folders parsed.
	shared *shared
}

// DefaultTimeout is the evaluation time allowed to one root module.
const DefaultTimeout = 30 * time.Second

// VarArg is one --var or --var-file argument.
type VarArg struct {
	File       string // a --var-file path
	Assignment string // a --var "name=value"
}

// Limits that keep hostile input from exhausting time or memory.
const (
	maxFileSize        = 10 << 20 // bytes per configuration file
	maxInstances       = 10000    // count or for_each instances per resource or module call
	maxModuleDepth     = 32
	maxDiagsPerFile    = 5
	maxModuleInstances = 2000 // module instances per root module
)

// Result is a loaded root module.
type Result struct {
	Config *model.Config
	// Sources is the text of every file read, by file name.
	Sources map[string][]byte
	// Unverified lists facts the loader could not establish, such as modules
	// that are not downloaded; rules turn them into notes on request.
	Missing []Missing
	// ResourceCount is the number of resource instances evaluated.
	ResourceCount int
	// ModuleDirs are the module folders read, the root's included.
	ModuleDirs []string
	// TimedOut is set when the evaluation took too long (see Timeout), or
	// the run's time was up before it finished.
	TimedOut bool
	// Spent is what the evaluation charged to its budget.
	Spent budget.Limits
}

// Missing is a fact the loader could not establish, and how to supply it.
type Missing struct {
	What  string // a clause for a headline
	Why   string // more about it, or ""
	Hint  string
	Range hcl.Range
}

type loader struct {
	opts    Options
	root    string // absolute root module folder
	sources map[string][]byte
	modules map[string]*module // parsed module folders by path
	// registry maps module keys ("vpc", "vpc.subnets") to what terraform
	// init downloaded for them.
	registry map[string]installed
	diags    hcl.Diagnostics
	missing  []Missing
	// missingModules is set when some module instance could not be loaded.
	missingModules bool
	// broken is set when some configuration file could not be read or parsed.
	broken bool
	// budget bounds the evaluation's memory, work and time: once it stops,
	// every expression not yet evaluated is unknown.
	budget *budget.Budget
	// overReported is set once the budget's overrun is among diags.
	overReported bool
	// guards holds the guarded copy of each expression evaluated.
	guards map[hclsyntax.Expression]hcl.Expression
}

// Load reads and evaluates the root module in dir.
func Load(dir string, opts Options) (*Result, hcl.Diagnostics) {
	return LoadContext(context.Background(), dir, opts)
}

// LoadContext is Load that also stops when ctx is done (the run's deadline):
// the module is then reported as not finished and left out. The evaluation
// checks its budget at every step, so LoadContext returns soon after its
// timeout or ctx ends, with nothing left running.
func LoadContext(ctx context.Context, dir string, opts Options) (*Result, hcl.Diagnostics) {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	evalCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	res, diags := evaluate(evalCtx, dir, opts)
	if evalCtx.Err() == nil {
		return res, diags
	}
	left := &Result{Config: &model.Config{Source: model.SourceTerraform, Dir: dir}, Sources: map[string][]byte{}, TimedOut: true}
	if ctx.Err() != nil {
		return left, hcl.Diagnostics{input.NotFinished(ctx, dir)}
	}
	return left, hcl.Diagnostics{input.FileError(dir, "Evaluation took too long",
		fmt.Sprintf("evaluating the root module %s took longer than %v, so canpull left it out. Look for for expressions nested over large collections.", dir, timeout))}
}

func evaluate(ctx context.Context, dir string, opts Options) (res *Result, diags hcl.Diagnostics) {
	b := budget.New(ctx, opts.Limits)
	l := &loader{
		budget:  b,
		opts:    opts,
		root:    dir,
		sources: map[string][]byte{},
		modules: map[string]*module{},
	}
	if opts.Root == "" {
		l.opts.Root = dir
	}
	if opts.Repository == "" {
		l.opts.Repository = input.Repository(dir)
	}
	defer func() {
		// A panic in the evaluator is a bug, but it must not take the other
		// root modules down with it.
		if p := recover(); p != nil {
			res = &Result{Config: &model.Config{Source: model.SourceTerraform, Dir: dir}, Sources: l.sources}
			d := input.Panic("evaluating "+dir, p)
			d.Subject = &hcl.Range{Filename: dir, Start: hcl.InitialPos, End: hcl.InitialPos}
			l.diags = append(l.diags, d)
			diags = l.diags
		}
	}()
	l.readModulesJSON()
	root, ds := l.parseModule(dir)
	l.diags = append(l.diags, ds...)
	l.modules[dir] = root
	if root == nil {
		return &Result{Config: &model.Config{Source: model.SourceTerraform, Dir: dir}, Sources: l.sources, ModuleDirs: []string{dir}}, l.diags
	}
	ev := newEvaluator(l, root)
	cfg := build(ev)
	cfg.Dir = dir
	ev.explainCounts()
	cfg.Unknowns = ev.explainUnknowns()
	placeNotes(cfg.Downloaded, l.missing)
	for name := range l.sources {
		cfg.Files = append(cfg.Files, name)
	}
	cfg.SortObjects()
	return &Result{Config: cfg, Sources: l.sources, Missing: l.missing, ResourceCount: ev.resourceCount,
		ModuleDirs: sortedKeys(l.modules), Spent: b.Spent()}, l.diags
}

// readLimited reads a regular file of at most limit bytes: a named pipe
// would block the run, a huge file exhaust memory.
func readLimited(name string, limit int64) ([]byte, error) { return input.ReadFile(name, limit) }

// readModulesJSON reads .terraform/modules/modules.json, where terraform init
// records the folders it downloaded each module call to.
func (l *loader) readModulesJSON() {
	name := filepath.Join(l.root, ".terraform", "modules", "modules.json")
	if input.LinksOutside(l.opts.Repository, name) {
		l.diags = append(l.diags, input.FileError(name, "Cannot read file", input.OutsideError(name).Error()))
		return
	}
	src, err := readLimited(name, maxFileSize)
	if err != nil {
		return
	}
	var doc struct {
		Modules []struct {
			Key, Source, Version, Dir string
		}
	}
	if err := json.Unmarshal(src, &doc); err != nil {
		l.diags = append(l.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid modules.json",
			Detail:  fmt.Sprintf("%s: %v. Run terraform init again.", name, err),
			Subject: &hcl.Range{Filename: name, Start: hcl.InitialPos, End: hcl.InitialPos}})
		return
	}
	l.registry = map[string]installed{}
	for _, m := range doc.Modules {
		if m.Key == "" {
			continue
		}
		l.registry[m.Key] = installed{dir: m.Dir, source: m.Source, version: m.Version}
	}
}

// moduleDir finds the folder of a module call: relative to the caller for
// local sources, from modules.json for everything else. key is the call's
// path from the root ("vpc.subnets"). A folder from modules.json outside
// the repository is refused, as file() refuses a file there: a pull
// request may write modules.json as well as the configuration.
func (l *loader) moduleDir(callerDir, key, source string) (string, bool, error) {
	if strings.HasPrefix(source, "./") || strings.HasPrefix(source, "../") {
		return filepath.Join(callerDir, filepath.FromSlash(source)), true, nil
	}
	if inst, ok := l.registry[key]; ok {
		dir := registryDir(l.root, inst.dir)
		if !input.Inside(l.opts.Repository, dir) {
			where := dir
			if real, err := filepath.EvalSymlinks(dir); err == nil && real != dir {
				where = fmt.Sprintf("%s, a link to %s", dir, real)
			}
			return "", false, fmt.Errorf("%s says module %q is in %s, outside the repository %s; canpull reads no module there. Run terraform init again, or remove the file",
				filepath.Join(l.root, ".terraform", "modules", "modules.json"), key, where, l.opts.Repository)
		}
		return dir, true, nil
	}
	return "", false, nil
}
