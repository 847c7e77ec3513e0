package terraform

import (
	"context"
	"path/filepath"
	"runtime"
	"sort"
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
// it was found under.
type rootModule struct {
	dir  string
	root string
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
	called := map[string]bool{}
	for dir := range dirs {
		for _, c := range scans.get(dir).localCalls {
			if c != dir {
				called[c] = true
			}
		}
	}
	var roots []rootModule
	for dir, root := range dirs {
		if !called[dir] && !leftOut[dir] {
			roots = append(roots, rootModule{dir: dir, root: root})
		}
	}
	sort.Slice(roots, func(i, j int) bool { return roots[i].dir < roots[j].dir })

	// Decide up front which root modules to load: the scanner's memo is not
	// shared between goroutines.
	var now, later []rootModule
	for _, m := range roots {
		if scans.mayMatter(m.dir) {
			now = append(now, m)
		} else {
			later = append(later, m)
		}
	}
	read := map[string]bool{}
	out := in.loadRoots(ctx, now, env, read)
	if len(later) > 0 {
		out.LoadMentioning = func(ctx context.Context, names []string) input.Loaded {
			needles := make([][]byte, len(names))
			for i, n := range names {
				needles[i] = []byte(`"` + n + `"`)
			}
			var more []rootModule
			for _, m := range later {
				if scans.mentions(m.dir, needles) {
					more = append(more, m)
				}
			}
			return in.loadRoots(ctx, more, env, read)
		}
	}
	return out
}

// loadRoots loads root modules in parallel; it starts no new one once ctx
// is done. It reads the ignore comments of the files that no earlier load
// read, and adds them to read.
func (in tfInput) loadRoots(ctx context.Context, roots []rootModule, env input.Env, read map[string]bool) input.Loaded {
	results := make([]*Result, len(roots))
	diags := make([]hcl.Diagnostics, len(roots))
	var wg sync.WaitGroup
	work := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				if ctx.Err() != nil {
					continue
				}
				opts := in.opts
				opts.Root = roots[i].root
				if opts.AccountID == "" {
					opts.AccountID = env.AccountID
				}
				results[i], diags[i] = Load(roots[i].dir, opts)
			}
		}()
	}
	for i := range roots {
		work <- i
	}
	close(work)
	wg.Wait()

	out := input.Loaded{Sources: map[string][]byte{}}
	for i, r := range results {
		out.Diags = append(out.Diags, diags[i]...)
		if r == nil {
			continue
		}
		for _, m := range r.Missing {
			out.Missing = append(out.Missing, input.Missing{What: m.What, Why: m.Why, Hint: m.Hint, Range: m.Range})
		}
		for name, src := range r.Sources {
			out.Sources[name] = src
		}
		if r.Config != nil {
			out.Configs = append(out.Configs, r.Config)
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
