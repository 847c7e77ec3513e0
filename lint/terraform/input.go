package terraform

import (
	"context"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/input"
)

// NewInput returns the input that reads Terraform and OpenTofu root
// modules, with the settings of every load (variable values, the account).
// Options.Root is set per module, to the path argument it was found under.
func NewInput(opts Options) input.Input { return tfInput{opts: opts} }

type tfInput struct{ opts Options }

func (tfInput) Name() string { return "terraform" }

// Claim takes configuration files and variable definition files, by name:
// the latter are read only through their module or a flag, but no other
// input should take them for its own.
func (tfInput) Claim(path string, _ func() []byte) bool {
	name := filepath.Base(path)
	return isConfigFile(name) || isVarsFile(name)
}

// rootModule is a folder to load as a root module, with the path argument
// it was found under and the repository it belongs to.
type rootModule struct {
	dir  string
	root string
	repo string
}

// Load loads the root modules among the folders of files: each folder
// with a configuration file that no other folder calls as a local module
// (such a folder is evaluated with its caller's inputs). It skips, unread
// past a quick look, the root modules that cannot hold anything the rules
// read (see prefilter.go); LoadMentioning loads them on demand.
func (in tfInput) Load(ctx context.Context, files []input.File, env input.Env) input.Loaded {
	// Discovery walks each folder once, so each has one path argument.
	dirs := map[string]string{} // folder → the path argument it was found under
	leftOut := map[string]bool{}
	for _, f := range env.LeftOut {
		if isConfigFile(filepath.Base(f.Path)) {
			dirs[filepath.Dir(f.Path)] = f.Root
			leftOut[filepath.Dir(f.Path)] = true
		}
	}
	for _, f := range files {
		if isConfigFile(filepath.Base(f.Path)) {
			dirs[filepath.Dir(f.Path)] = f.Root
			leftOut[filepath.Dir(f.Path)] = false
		}
	}
	// A folder left out still calls its modules: it makes them modules,
	// not roots, though it is not loaded itself.
	scans := newScanner()
	scans.scanAll(dirs)
	graph := newCallGraph(scans, dirs, leftOut)
	rootDirs, cycles := graph.roots()

	run := &loadRun{in: in, env: env, scans: scans, shared: newShared(scans), read: map[string]bool{}, readDirs: map[string]bool{}}
	var now, later []rootModule
	var skippedCycles hcl.Diagnostics
	for _, dir := range rootDirs {
		m := run.rootModule(dir, dirs[dir])
		if scans.mayMatter(m.dir, m.repo) {
			now = append(now, m)
		} else {
			later = append(later, m)
			if d := cycles[dir]; d != nil {
				skippedCycles = append(skippedCycles, d) // loaded, the loader says so
			}
		}
	}
	for _, m := range now {
		run.shared.expect(scans.localModules(m.dir), m.repo)
	}
	out := run.loadRoots(ctx, now)
	out.Diags = append(out.Diags, skippedCycles...)
	errs, unused := undeclared(in.opts.Vars, scans, rootDirs)
	out.Diags = append(out.Diags, errs...)
	out.UnusedValues = append(out.UnusedValues, unused...)

	// A folder that the quick scan takes for a called module, yet no load
	// read, is linted on its own: never neither.
	loaded := make([]string, len(now))
	for i, m := range now {
		loaded[i] = m.dir
	}
	for range len(dirs) {
		orphans := graph.orphans(loaded, run.readDirs)
		if len(orphans) == 0 {
			break
		}
		if ctx.Err() != nil {
			for _, dir := range orphans {
				out.Diags = append(out.Diags, input.NotFinished(ctx, dir))
			}
			break
		}
		var more []rootModule
		for _, dir := range orphans {
			m := run.rootModule(dir, dirs[dir])
			if scans.mayMatter(m.dir, m.repo) {
				more = append(more, m)
				loaded = append(loaded, dir)
			} else {
				later = append(later, m)
			}
			run.readDirs[dir] = true // not an orphan again, loaded now or on demand
		}
		out.Merge(run.loadRoots(ctx, more))
	}
	if len(later) > 0 {
		out.LoadMentioning = func(ctx context.Context, names []string) input.Loaded {
			set := map[string]bool{}
			for _, n := range names {
				set[n] = true
			}
			var more []rootModule
			for _, m := range later {
				if scans.mentions(m.dir, set) {
					more = append(more, m)
				}
			}
			return run.loadRoots(ctx, more)
		}
	}
	return out
}

// loadRun is what the loads of one Load share.
type loadRun struct {
	in     tfInput
	env    input.Env
	scans  *scanner
	shared *shared
	// read are the files whose ignore comments were read; readDirs the
	// module folders that some load read (or could not, with an error).
	read, readDirs map[string]bool
}

// rootModule makes a root module of a folder, in its repository: the
// git work tree, or the folders of the root and its local modules.
func (r *loadRun) rootModule(dir, root string) rootModule {
	return rootModule{dir: dir, root: root, repo: input.Repository(r.scans.localModules(dir)...)}
}

// MaxParallelLoads bounds the root modules evaluated at once. Each has its
// own budget (budget.DefaultLimits: 64 MiB of values), so that one folder
// cannot starve the others and no result depends on the machine or on the
// order of the folders; the run's total is this many budgets, 512 MiB of
// values, whatever the number of cores.
const MaxParallelLoads = 8

// loadRoots loads root modules in parallel; it starts no new one once ctx
// is done, and reports each it did not finish. It reads the ignore
// comments of the files that no earlier load read, and adds them to r.read,
// and the folders read to r.readDirs.
func (r *loadRun) loadRoots(ctx context.Context, roots []rootModule) input.Loaded {
	in, env, read := r.in, r.env, r.read
	results := make([]*Result, len(roots))
	diags := make([]hcl.Diagnostics, len(roots))
	var wg sync.WaitGroup
	work := make(chan int)
	for range min(runtime.GOMAXPROCS(0), MaxParallelLoads) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				if ctx.Err() != nil {
					diags[i] = hcl.Diagnostics{input.NotFinished(ctx, roots[i].dir)}
					continue
				}
				opts := in.opts
				// file() and templatefile() read inside the repository,
				// never the whole disk: where the repository would be the
				// file system's root, inside the path argument.
				opts.Root = roots[i].repo
				if opts.Root == "" || filepath.Dir(opts.Root) == opts.Root {
					opts.Root = roots[i].root
				}
				opts.Repository = roots[i].repo
				opts.shared = r.shared
				if opts.AccountID == "" {
					opts.AccountID = env.AccountID
				}
				results[i], diags[i] = loadSafely(ctx, roots[i].dir, opts)
				r.shared.done(r.scans.localModules(roots[i].dir), roots[i].repo)
			}
		}()
	}
	for i := range roots {
		work <- i
	}
	close(work)
	wg.Wait()

	out := input.Loaded{Sources: map[string][]byte{}}
	for i, res := range results {
		out.Diags = append(out.Diags, diags[i]...)
		if res == nil {
			continue
		}
		for _, d := range res.ModuleDirs {
			r.readDirs[d] = true
		}
		if res.TimedOut {
			// Its modules were linted through it, up to the error that says
			// it took too long.
			for _, d := range r.scans.localModules(roots[i].dir) {
				r.readDirs[d] = true
			}
		}
		for _, m := range res.Missing {
			out.Missing = append(out.Missing, input.Missing{What: m.What, Why: m.Why, Hint: m.Hint, Range: m.Range})
		}
		for name, src := range res.Sources {
			out.Sources[name] = src
		}
		if res.Config != nil {
			out.Configs = append(out.Configs, res.Config)
			out.Modules++
		}
	}
	fresh := map[string][]byte{}
	for name, src := range out.Sources {
		if !read[name] {
			read[name] = true
			fresh[name] = src
		}
	}
	ignores, ds := Ignores(fresh)
	out.Ignores = ignores
	out.Diags = append(out.Diags, ds...)
	return out
}

// loadSafely is LoadContext in a goroutine of its own: a panic outside the
// evaluation (which recovers its own) must not end the process.
func loadSafely(ctx context.Context, dir string, opts Options) (res *Result, diags hcl.Diagnostics) {
	defer func() {
		if p := recover(); p != nil {
			res, diags = nil, hcl.Diagnostics{input.Panic("loading "+dir, p)}
		}
	}()
	return LoadContext(ctx, dir, opts)
}
