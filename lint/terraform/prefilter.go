package terraform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/input"
)

// The prefilter decides, from a quick read of the raw text, which root
// modules can hold anything the rules read: ECS resources, or ECR
// repositories that other folders pull from, in the module itself or in
// any module it calls (local, or downloaded by terraform init). Most root
// modules of a monorepo hold neither; skipping them unparsed is most of
// canpull's speed. Whenever the text cannot settle it, the module is loaded.
//
// It reads each configuration file once and keeps its text: the loader
// parses that text rather than reading the file again, and the on-demand
// search for role names (mentions) looks through it.

// relevantMarks, after "aws_", are the resource type prefixes the rules
// read (GuardDuty's detector features, which often live in a security stack
// of their own, put an agent into every Fargate task of the account). A
// role that a task definition elsewhere (another folder, ECS JSON) names by
// its ARN is found on demand: see mentions and Loaded.LoadMentioning.
var relevantMarks = [][]byte{[]byte("ecs_"), []byte("ecr_"), []byte("guardduty_detector_feature")}

// awsPrefix starts every mark of relevantMarks.
var awsPrefix = []byte("aws_")

// mentionsRelevant reports whether src names a type of relevantMarks: one
// pass over the text for "aws_", each occurrence then compared with the
// marks, instead of a pass per mark.
func mentionsRelevant(src []byte) bool {
	for {
		i := bytes.Index(src, awsPrefix)
		if i < 0 {
			return false
		}
		src = src[i+len(awsPrefix):]
		for _, m := range relevantMarks {
			if bytes.HasPrefix(src, m) {
				return true
			}
		}
	}
}

// dirScan is what a quick read of one module folder found.
type dirScan struct {
	// relevant: a file mentions a relevant type, calls a registry or git
	// module named for ECS or ECR, or cannot be read as text (the loader
	// must say why), or is too large to read (wherever its interesting
	// text may be).
	relevant bool
	calls    []localCall // local module calls, in file order
	// texts are the configuration files read, by path.
	texts map[string][]byte
	// partial: a file of the folder could not be read, so texts lack it.
	partial bool
	// varFiles are the variables files Terraform reads by itself in the
	// folder, were it a root module (see ownVarFiles).
	varFiles []string
}

// localCall is a module block with a local source.
type localCall struct {
	dir  string // the folder called, cleaned
	file string
	line int
}

type scanner struct {
	mu    sync.Mutex
	dirs  map[string]*dirScan
	limit int64
}

func newScanner() *scanner {
	return &scanner{dirs: map[string]*dirScan{}, limit: maxFileSize}
}

// scanAll reads every folder in parallel.
func (s *scanner) scanAll(dirs map[string]string) {
	work := make(chan string)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range work {
				s.getSafely(d)
			}
		}()
	}
	for _, d := range sortedKeys(dirs) {
		work <- d
	}
	close(work)
	wg.Wait()
}

// getSafely is get in a goroutine of its own: a panic while scanning must
// not end the process. The folder is then taken as relevant, and its load
// says what is wrong with it.
func (s *scanner) getSafely(dir string) {
	defer func() {
		if recover() != nil {
			s.mu.Lock()
			s.dirs[dir] = &dirScan{relevant: true}
			s.mu.Unlock()
		}
	}()
	s.get(dir)
}

// get returns the scan of a folder, reading it the first time.
func (s *scanner) get(dir string) *dirScan {
	s.mu.Lock()
	ds, ok := s.dirs[dir]
	s.mu.Unlock()
	if ok {
		return ds
	}
	ds = scanDir(dir, s.limit)
	s.mu.Lock()
	if prev, ok := s.dirs[dir]; ok {
		ds = prev // read at the same time by another goroutine
	} else {
		s.dirs[dir] = ds
	}
	s.mu.Unlock()
	return ds
}

// text returns the text the scan read of a configuration file, or nil.
func (s *scanner) text(name string) []byte {
	s.mu.Lock()
	ds := s.dirs[filepath.Dir(name)]
	s.mu.Unlock()
	if ds == nil {
		return nil
	}
	return ds.texts[name]
}

var sourceWord, moduleWord = []byte("source"), []byte("module")

// scanDir reads the configuration files of a folder that the loader would
// read (see moduleFiles).
func scanDir(dir string, limit int64) *dirScan {
	ds := &dirScan{texts: map[string][]byte{}}
	entries, err := os.ReadDir(dir)
	if err != nil {
		ds.relevant, ds.partial = true, true // let the loader report it
		return ds
	}
	files := moduleFilesIn(dir, entries)
	ds.varFiles = ownVarFiles(dir, entries)
	// Only a symbolic link can lead out of the repository (see
	// input.LinksOutside): the listing says which entries are links.
	links, regular := map[string]bool{}, map[string]bool{}
	for _, e := range entries {
		switch {
		case e.Type()&os.ModeSymlink != 0:
			links[filepath.Join(dir, e.Name())] = true
		case e.Type().IsRegular():
			regular[filepath.Join(dir, e.Name())] = true
		}
	}
	repo := ""
	for _, name := range files {
		if links[name] {
			if repo == "" {
				repo = input.Repository(dir)
			}
			if input.LinksOutside(repo, name) {
				ds.relevant = true // not read: let the loader say so
				continue
			}
		}
		read := input.ReadFile
		if regular[name] {
			read = input.ReadListedFile
		}
		src, err := read(name, limit)
		if err != nil || bytes.IndexByte(src, 0) >= 0 || !utf8.Valid(src) {
			ds.relevant, ds.partial = true, true // not readable text: let the loader say so
			continue
		}
		ds.texts[name] = src
		// One file that names a relevant type makes the folder relevant:
		// the others need not be searched for one.
		if !ds.relevant && mentionsRelevant(src) {
			ds.relevant = true
		}
		// A module call is a block named module with a source argument:
		// a file without both words calls none, and need not be scanned.
		if !bytes.Contains(src, sourceWord) || !bytes.Contains(src, moduleWord) {
			continue
		}
		var sources []moduleSource
		if strings.HasSuffix(name, ".json") {
			sources = jsonSources(src)
		} else {
			sources = nativeSources(src)
		}
		for _, m := range sources {
			if strings.HasPrefix(m.value, "./") || strings.HasPrefix(m.value, "../") {
				ds.calls = append(ds.calls, localCall{
					dir: filepath.Clean(filepath.Join(dir, filepath.FromSlash(m.value))), file: name, line: m.line})
				continue
			}
			// A registry or git module named for ECS or ECR holds what the
			// rules read even when terraform init has not downloaded it:
			// load the module, so that the loader says what it could not see.
			source := strings.ToLower(m.value)
			if strings.Contains(source, "ecs") || strings.Contains(source, "ecr") {
				ds.relevant = true
			}
		}
	}
	return ds
}

// reaches reports whether dir, or a local module it calls, is relevant.
func (s *scanner) reaches(dir string, seen map[string]bool) bool {
	if seen[dir] {
		return false
	}
	seen[dir] = true
	ds := s.get(dir)
	if ds.relevant {
		return true
	}
	for _, c := range ds.calls {
		if s.reaches(c.dir, seen) {
			return true
		}
	}
	return false
}

// localModules returns dir and the folders of the local modules it calls,
// directly or not, sorted after dir.
func (s *scanner) localModules(dir string) []string {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(d string) {
		if seen[d] {
			return
		}
		seen[d] = true
		for _, c := range s.get(d).calls {
			walk(c.dir)
		}
	}
	walk(dir)
	delete(seen, dir)
	return append([]string{dir}, sortedKeys(seen)...)
}

// mayMatter reports whether a root module, or a module it calls, can hold
// anything the rules read. repo bounds the folders of downloaded modules.
func (s *scanner) mayMatter(root, repo string) bool {
	if s.reaches(root, map[string]bool{}) {
		return true
	}
	return s.downloadedRelevant(root, repo)
}

// downloadedRelevant reports whether any module terraform init downloaded
// for the root is relevant. A root that calls remote modules but has no
// modules.json has nothing on disk to read: those modules stay unknown. A
// module folder outside the repository is not read: the loader refuses it.
func (s *scanner) downloadedRelevant(root, repo string) bool {
	name := filepath.Join(root, ".terraform", "modules", "modules.json")
	if input.LinksOutside(repo, name) {
		return true // not read: let the loader report it
	}
	src, err := input.ReadFile(name, s.limit)
	if errors.Is(err, os.ErrNotExist) {
		return false
	}
	if err != nil {
		return true // let the loader report it
	}
	var doc struct{ Modules []struct{ Dir string } }
	if json.Unmarshal(src, &doc) != nil {
		return true // let the loader report it
	}
	for _, m := range doc.Modules {
		if m.Dir == "" || m.Dir == "." {
			continue
		}
		dir := registryDir(root, m.Dir)
		if !input.Inside(repo, dir) {
			return true
		}
		if s.reaches(dir, map[string]bool{}) {
			return true
		}
	}
	return false
}

// registryDir is the folder of a module that modules.json names: relative
// to the root module, or absolute.
func registryDir(root, dir string) string {
	dir = filepath.FromSlash(dir)
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(root, dir)
	}
	return filepath.Clean(dir)
}

// mentions reports whether the text of a root module, or of a local module
// it calls, holds any of the names as a string literal: between two double
// quotes, as in "name", anywhere in the text.
func (s *scanner) mentions(root string, names map[string]bool) bool {
	for _, dir := range s.localModules(root) {
		for _, src := range s.get(dir).texts {
			if quotesAny(src, names) {
				return true
			}
		}
	}
	return false
}

// quotesAny reports whether some name of names appears in src between two
// double quotes: one pass over the quotes, a set lookup for each stretch
// between two of them. (IAM names hold no double quote; a name that does
// names no role, and is not found.)
func quotesAny(src []byte, names map[string]bool) bool {
	prev := bytes.IndexByte(src, '"')
	for prev >= 0 {
		next := bytes.IndexByte(src[prev+1:], '"')
		if next < 0 {
			return false
		}
		next += prev + 1
		if names[string(src[prev+1:next])] {
			return true
		}
		prev = next
	}
	return false
}

// callGraph is the local module calls among the folders of a load.
type callGraph struct {
	scans   *scanner
	dirs    map[string]string // folder → the path argument it was found under
	leftOut map[string]bool
	called  map[string]bool // called as a local module by another folder
}

func newCallGraph(scans *scanner, dirs map[string]string, leftOut map[string]bool) *callGraph {
	g := &callGraph{scans: scans, dirs: dirs, leftOut: leftOut, called: map[string]bool{}}
	for dir := range dirs {
		for _, c := range scans.get(dir).calls {
			if c.dir != dir {
				g.called[c.dir] = true
			}
		}
	}
	return g
}

// reachable returns the folders reached through local calls from froms,
// froms included.
func (g *callGraph) reachable(froms []string) map[string]bool {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(d string) {
		if seen[d] {
			return
		}
		seen[d] = true
		for _, c := range g.scans.get(d).calls {
			walk(c.dir)
		}
	}
	for _, f := range froms {
		walk(f)
	}
	return seen
}

// roots returns the folders to load as root modules: those that no other
// folder calls, and, for folders that only call each other in a loop (a
// calls ../b, b calls ../a), one folder of each loop, with the error that
// names the loop. Folders left out are not roots, but their calls count.
func (g *callGraph) roots() (roots []string, cycles map[string]*hcl.Diagnostic) {
	var starts []string
	for dir := range g.dirs {
		if !g.called[dir] {
			starts = append(starts, dir)
			if !g.leftOut[dir] {
				roots = append(roots, dir)
			}
		}
	}
	reached := g.reachable(starts)
	// Every folder not reached is called only from folders not reached:
	// walking back from one never ends, so there is a loop. Take, in order,
	// the first folder that lies on a loop as a root.
	cycles = map[string]*hcl.Diagnostic{}
	for _, dir := range sortedKeys(g.dirs) {
		if reached[dir] || g.leftOut[dir] {
			continue
		}
		loop := g.loopThrough(dir)
		if loop == nil {
			continue // below a loop: reached from it once it is a root
		}
		roots = append(roots, dir)
		cycles[dir] = g.cycleError(loop)
		for d := range g.reachable([]string{dir}) {
			reached[d] = true
		}
	}
	sort.Strings(roots)
	return roots, cycles
}

// loopThrough returns the calls of a loop from dir back to it, or nil.
func (g *callGraph) loopThrough(dir string) []localCall {
	seen := map[string]bool{dir: true}
	var path []localCall
	var walk func(string) bool
	walk = func(d string) bool {
		for _, c := range g.scans.get(d).calls {
			path = append(path, c)
			if c.dir == dir {
				return true
			}
			if !seen[c.dir] {
				seen[c.dir] = true
				if walk(c.dir) {
					return true
				}
			}
			path = path[:len(path)-1]
		}
		return false
	}
	if walk(dir) {
		return path
	}
	return nil
}

// cycleError names a loop of module calls that no folder calls from
// outside, at the call that closes it. The input reports it when it skips
// the loop as holding nothing the rules read; when it loads the loop, the
// loader reports it where the evaluation meets it.
func (g *callGraph) cycleError(loop []localCall) *hcl.Diagnostic {
	names := []string{filepath.Dir(loop[0].file)}
	for _, c := range loop {
		names = append(names, c.dir)
	}
	last := loop[len(loop)-1]
	pos := hcl.Pos{Line: last.line, Column: 1}
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Module call cycle",
		Detail: fmt.Sprintf("these modules call each other in a loop that no other folder calls: %s. Terraform cannot load modules that call each other in a loop either.",
			strings.Join(names, " → ")),
		Subject: &hcl.Range{Filename: last.file, Start: pos, End: pos},
	}
}

// orphans returns the folders that some root in loaded calls (as the
// quick scan reads it) but that no load read, although every folder it
// reached was read: a call that the scan saw and the loader did not (in
// a file that does not parse, in a module with no instances). Each must
// be linted on its own rather than not at all.
func (g *callGraph) orphans(loaded []string, read map[string]bool) []string {
	var out []string
	for dir := range g.reachable(loaded) {
		if _, ok := g.dirs[dir]; ok && g.called[dir] && !g.leftOut[dir] && !read[dir] {
			out = append(out, dir)
		}
	}
	sort.Strings(out)
	// Of orphans that call one another, the callers: loading them reads
	// the others.
	calledByOrphan := map[string]bool{}
	for _, o := range out {
		for d := range g.reachable([]string{o}) {
			if d != o {
				calledByOrphan[d] = true
			}
		}
	}
	var top []string
	for _, o := range out {
		if !calledByOrphan[o] {
			top = append(top, o)
		}
	}
	if len(top) == 0 {
		return out // they call each other in a loop: all of them
	}
	return top
}
