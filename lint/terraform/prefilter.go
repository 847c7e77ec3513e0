package terraform

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sync"
	"unicode/utf8"

	"github.com/canpull/canpull/lint/input"
)

// The prefilter decides, from a quick read of the raw text, which root
// modules can hold anything the rules read: ECS resources, or ECR
// repositories that other folders pull from, in the module itself or in
// any module it calls (local, or downloaded by terraform init). Most root
// modules of a monorepo hold neither; skipping them unparsed is most of
// canpull's speed. Whenever the text cannot settle it, the module is loaded.

// relevantMarks are the resource type prefixes the rules read. A role that
// a task definition elsewhere (another folder, ECS JSON) names by its ARN
// is found on demand: see mentions and Loaded.LoadMentioning.
var relevantMarks = [][]byte{[]byte("aws_ecs_"), []byte("aws_ecr_")}

// localSource finds local module sources in native syntax and JSON.
var localSource = regexp.MustCompile(`"?source"?\s*[=:]\s*"(\.\.?/[^"]*)"`)

// anySource finds module sources of any kind.
var anySource = regexp.MustCompile(`"?source"?\s*[=:]\s*"([^"]+)"`)

// dirScan is what a quick read of one module folder found.
type dirScan struct {
	relevant   bool     // mentions a relevant type, or cannot be read as text
	localCalls []string // folders of local module calls
	remote     bool     // calls modules from elsewhere (registry, git)
}

type scanner struct {
	mu    sync.Mutex
	dirs  map[string]*dirScan
	memo  map[string]bool
	limit int64
}

func newScanner() *scanner {
	return &scanner{dirs: map[string]*dirScan{}, memo: map[string]bool{}, limit: 10 << 20}
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
				s.get(d)
			}
		}()
	}
	for d := range dirs {
		work <- d
	}
	close(work)
	wg.Wait()
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
	s.dirs[dir] = ds
	s.mu.Unlock()
	return ds
}

func scanDir(dir string, limit int64) *dirScan {
	ds := &dirScan{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		ds.relevant = true // let the loader report it
		return ds
	}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !isConfigFile(n) {
			continue
		}
		src, err := input.ReadHead(filepath.Join(dir, n), limit)
		if err != nil || bytes.IndexByte(src, 0) >= 0 || !utf8.Valid(src) {
			ds.relevant = true // not readable text: let the loader say so
			continue
		}
		for _, m := range relevantMarks {
			if bytes.Contains(src, m) {
				ds.relevant = true
			}
		}
		if !bytes.Contains(src, []byte("source")) {
			continue
		}
		local := localSource.FindAllSubmatch(src, -1)
		for _, m := range local {
			ds.localCalls = append(ds.localCalls, filepath.Clean(filepath.Join(dir, filepath.FromSlash(string(m[1])))))
		}
		all := anySource.FindAllSubmatch(src, -1)
		if len(all) > len(local) {
			ds.remote = true
		}
		// A registry or git module named for ECS or ECR holds what the
		// rules read even when terraform init has not downloaded it: load
		// the module, so that the loader says what it could not see.
		for _, m := range all {
			source := bytes.ToLower(m[1])
			if !bytes.HasPrefix(source, []byte(".")) && (bytes.Contains(source, []byte("ecs")) || bytes.Contains(source, []byte("ecr"))) {
				ds.relevant = true
			}
		}
	}
	return ds
}

// mayMatter reports whether a root module, or a module it calls, can hold
// anything the rules read.
func (s *scanner) mayMatter(root string) bool {
	if s.reaches(root, map[string]bool{}) {
		return true
	}
	return s.downloadedRelevant(root)
}

// reaches follows local module calls from dir.
func (s *scanner) reaches(dir string, seen map[string]bool) bool {
	if v, ok := s.memo[dir]; ok {
		return v
	}
	if seen[dir] {
		return false
	}
	seen[dir] = true
	ds := s.get(dir)
	v := ds.relevant
	for _, c := range ds.localCalls {
		if v {
			break
		}
		v = s.reaches(c, seen)
	}
	s.memo[dir] = v
	return v
}

// downloadedRelevant reports whether any module terraform init downloaded
// for the root is relevant. A root that calls remote modules but has no
// modules.json has nothing on disk to read: those modules stay unknown.
func (s *scanner) downloadedRelevant(root string) bool {
	src, err := input.ReadHead(filepath.Join(root, ".terraform", "modules", "modules.json"), s.limit)
	if err != nil {
		return false
	}
	var doc struct{ Modules []struct{ Dir string } }
	if json.Unmarshal(src, &doc) != nil {
		return true // let the loader report it
	}
	for _, m := range doc.Modules {
		if m.Dir == "" || m.Dir == "." {
			continue
		}
		dir := filepath.FromSlash(m.Dir)
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(root, dir)
		}
		if s.reaches(filepath.Clean(dir), map[string]bool{}) {
			return true
		}
	}
	return false
}

// mentions reports whether the text of a root module, or of a local module
// it calls, holds any of the needles.
func (s *scanner) mentions(root string, needles [][]byte) bool {
	seen := map[string]bool{}
	var walk func(dir string) bool
	walk = func(dir string) bool {
		if seen[dir] {
			return false
		}
		seen[dir] = true
		entries, err := os.ReadDir(dir)
		if err != nil {
			return false
		}
		for _, e := range entries {
			n := e.Name()
			if e.IsDir() || !isConfigFile(n) {
				continue
			}
			src, err := input.ReadHead(filepath.Join(dir, n), s.limit)
			if err != nil {
				continue
			}
			for _, nd := range needles {
				if bytes.Contains(src, nd) {
					return true
				}
			}
		}
		for _, c := range s.get(dir).localCalls {
			if walk(c) {
				return true
			}
		}
		return false
	}
	return walk(root)
}
