package terraform

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"

	"github.com/canpull/canpull/lint/input"
	"github.com/canpull/canpull/lint/terraform/budget"
)

// Parsing is done once per folder and run: a module that many root modules
// call (a service module that every example and test of a library calls)
// is read and parsed once, and every load shares the result. What a parse
// makes is never changed after it: evaluation only reads the syntax trees
// and the declarations, and each load takes its own copy of the
// diagnostics.

// parsed is a module folder as parsed.
type parsed struct {
	mod   *module // nil when the folder cannot be read
	diags hcl.Diagnostics
	// broken is set when some file could not be read or parsed.
	broken bool
	// sources holds the text of each file read, by name.
	sources map[string][]byte
	// stopped is set when the budget of the declarations stopped.
	stopped bool
}

// shared is what the loads of one run share.
type shared struct {
	scans *scanner // the prefilter's scans, whose text the parser takes
	trees *trees   // the syntax trees parsed, by text
	mu    sync.Mutex
	// modules holds the folders that more than one load uses, parsed once;
	// uses counts the loads still to come that use each, so that a folder
	// is let go once the last of them is over. The quick scan's local
	// calls say who uses what.
	modules map[string]*parseOnce
	uses    map[string]int
	cached  map[string]bool
}

type parseOnce struct {
	once sync.Once
	p    *parsed
}

func newShared(scans *scanner) *shared {
	return &shared{scans: scans, trees: newTrees(), modules: map[string]*parseOnce{}, uses: map[string]int{}, cached: map[string]bool{}}
}

// A parse is kept by folder and repository: which files a load may read
// depends on the repository it is in (see input.LinksOutside).
func cacheKey(dir, repo string) string { return dir + "\x00" + repo }

// expect says that a load in repository repo will use the module folders
// dirs: those that more than one load uses are kept once parsed until the
// last is over.
func (s *shared) expect(dirs []string, repo string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range dirs {
		d = cacheKey(d, repo)
		s.uses[d]++
		if s.uses[d] > 1 {
			s.cached[d] = true
		}
	}
}

// done says that a load in repo that used dirs is over.
func (s *shared) done(dirs []string, repo string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range dirs {
		d = cacheKey(d, repo)
		if s.uses[d]--; s.uses[d] <= 0 {
			delete(s.uses, d)
			delete(s.modules, d)
		}
	}
}

// module parses a folder for the load l, or returns the parse another load
// made of it. A parse kept for others evaluates what declarations hold
// (variables' defaults and types) under a budget of its own, with l's
// limits; one that its budget stopped is not kept, so that each load meets
// the same limit.
func (s *shared) module(dir string, l *loader) *parsed {
	key := cacheKey(dir, l.opts.Repository)
	s.mu.Lock()
	if !s.cached[key] {
		s.mu.Unlock()
		return parseModule(dir, s, l)
	}
	po := s.modules[key]
	if po == nil {
		po = &parseOnce{}
		s.modules[key] = po
	}
	s.mu.Unlock()
	po.once.Do(func() {
		pl := &loader{opts: l.opts, root: l.root, budget: budget.New(context.Background(), l.opts.Limits)}
		po.p = parseModule(dir, s, pl)
	})
	if po.p.stopped {
		s.mu.Lock()
		if s.modules[key] == po {
			delete(s.modules, key)
		}
		s.mu.Unlock()
		return parseModule(dir, s, l)
	}
	return po.p
}

// parses counts the module folders parsed, for tests.
var parses atomic.Int64

// exprMeta is what an expression refers to: worked out once per parse, for
// every instance that evaluates it.
type exprMeta struct {
	vars  []hcl.Traversal // expr.Variables()
	attrs []string        // attrNames(expr)
}

// meta returns what expr, an expression of module m, refers to.
func (m *module) meta(expr hcl.Expression) *exprMeta {
	if v, ok := m.metas.Load(expr); ok {
		return v.(*exprMeta)
	}
	v, _ := m.metas.LoadOrStore(expr, &exprMeta{vars: expr.Variables(), attrs: attrNames(expr)})
	return v.(*exprMeta)
}

// parseModule has the loader use a module folder: parsed now, or shared
// with the other loads of the run.
func (l *loader) parseModule(dir string) (*module, hcl.Diagnostics) {
	var p *parsed
	if l.opts.shared != nil {
		p = l.opts.shared.module(dir, l)
	} else {
		p = parseModule(dir, nil, l)
	}
	for name, src := range p.sources {
		l.sources[name] = src
	}
	if p.broken {
		l.broken = true
	}
	return p.mod, copyDiags(p.diags)
}

// loadModule uses a module folder once per load.
func (l *loader) loadModule(dir string) *module {
	if m, ok := l.modules[dir]; ok {
		return m
	}
	m, ds := l.parseModule(dir)
	l.diags = append(l.diags, ds...)
	l.modules[dir] = m
	return m
}

// copyDiags copies diagnostics, so that whoever gets them may change them.
func copyDiags(ds hcl.Diagnostics) hcl.Diagnostics {
	if len(ds) == 0 {
		return nil
	}
	out := make(hcl.Diagnostics, len(ds))
	for i, d := range ds {
		c := *d
		out[i] = &c
	}
	return out
}

// parseModule reads every configuration file of dir; s, when not nil, is
// what the run shares: the text the prefilter read and the syntax trees
// parsed so far. decl declares the
// blocks: its budget evaluates what declarations hold, and the parse takes
// the errors it reports and whether it found the module broken (a name
// declared twice). A file that cannot be
// read or parsed is reported and contributes nothing: what hcl recovers of
// a broken file (a block cut short, an attribute missing) would look like
// configuration that is wrong. The rest of the module is still used, and
// the loader marks the configuration incomplete, so that no rule concludes
// anything from what is absent.
func parseModule(dir string, s *shared, decl *loader) *parsed {
	parses.Add(1)
	diags, broken := decl.diags, decl.broken
	decl.diags, decl.broken = nil, false
	defer func() { decl.diags, decl.broken = diags, broken || decl.broken }()
	files, err := moduleFiles(dir)
	if err != nil {
		return &parsed{diags: hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read module folder",
			Detail:   fmt.Sprintf("%s: %v", dir, err),
		}}}
	}
	p := &parsed{sources: map[string][]byte{}}
	m := &module{
		dir:          dir,
		variables:    map[string]*variable{},
		locals:       map[string]*hcl.Attribute{},
		outputs:      map[string]*hcl.Attribute{},
		outputBlocks: map[string]*hcl.Block{},
		calls:        map[string]*moduleCall{},
		byAddr:       map[string]*resource{},
	}
	for _, name := range files {
		var src []byte
		var t *trees
		if s != nil {
			src, t = s.scans.text(name), s.trees
		}
		// What the scan read is inside the folder's own repository, and so
		// inside decl's; anything else is checked before it is read.
		if src == nil && input.LinksOutside(decl.opts.Repository, name) {
			p.diags = append(p.diags, input.FileError(name, "Cannot read file", input.OutsideError(name).Error()))
			p.broken = true
			continue
		}
		f, src, ds := t.parse(name, src)
		if src != nil {
			p.sources[name] = src
		}
		p.diags = append(p.diags, ds...)
		if f == nil || ds.HasErrors() {
			p.broken = true
			continue
		}
		content, ds := f.Body.Content(fileSchema)
		p.diags = append(p.diags, ds...)
		for _, b := range content.Blocks {
			p.diags = append(p.diags, decl.declare(m, b)...)
		}
	}
	// Declaring may report the budget's overrun, and find names declared
	// twice.
	p.diags = append(p.diags, decl.diags...)
	p.broken = p.broken || decl.broken
	p.stopped = decl.budget.Stopped()
	p.mod = m
	return p
}

// parseFile parses one configuration or variable definition file (.tf,
// .tf.json, .tfvars, …), or reports why it cannot. src is its text when
// already read, else nil; it returns the text it parsed, or nil if it
// could not read the file.
func parseFile(name string, src []byte) (*hcl.File, []byte, hcl.Diagnostics) {
	if src == nil {
		var ds hcl.Diagnostics
		if src, ds = readFile(name); ds != nil {
			return nil, nil, ds
		}
	}
	if bytes.IndexByte(src, 0) >= 0 || !utf8.Valid(src) {
		return nil, src, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Not a text file",
			Detail:  fmt.Sprintf("%s is not valid UTF-8 text (binary content?), so it cannot be Terraform configuration.", name),
			Subject: &hcl.Range{Filename: name, Start: hcl.InitialPos, End: hcl.InitialPos}}}
	}
	if d := nestingError(name, src); d != nil {
		return nil, src, hcl.Diagnostics{d}
	}
	var f *hcl.File
	var diags hcl.Diagnostics
	if strings.HasSuffix(name, ".json") {
		f, diags = hcljson.Parse(src, name)
	} else {
		f, diags = hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	}
	if len(diags) > maxDiagsPerFile {
		diags = diags[:maxDiagsPerFile]
	}
	return f, src, diags
}

// readFile reads a configuration file, or reports why it cannot.
func readFile(name string) ([]byte, hcl.Diagnostics) {
	src, err := readLimited(name, maxFileSize)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read file", Detail: err.Error(),
			Subject: &hcl.Range{Filename: name, Start: hcl.InitialPos, End: hcl.InitialPos}}}
	}
	return src, nil
}
