package lint

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// inputs is what discovery found under the path arguments.
type inputs struct {
	// modules are candidate Terraform root modules, with the scanned folder
	// each was found under.
	modules []rootModule
	// jsonFiles are .json files that are not Terraform's own.
	jsonFiles []string
	errors    hcl.Diagnostics
	// scans holds what a quick read of each module folder found.
	scans *scanner
}

type rootModule struct {
	dir  string
	root string // the path argument it was found under
}

// skipDirs are never descended into.
var skipDirs = map[string]bool{".terraform": true, ".git": true, "node_modules": true}

// maxWalkDepth bounds folder nesting, which also ends symlink loops.
const maxWalkDepth = 64

// discover walks the path arguments. A file argument means its folder.
func discover(paths []string) *inputs {
	in := &inputs{}
	seenDir := map[string]bool{}
	seenJSON := map[string]bool{}
	tfDirs := map[string]string{}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			in.errors = append(in.errors, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read path",
				Detail: err.Error(), Subject: &hcl.Range{Filename: p}})
			continue
		}
		root := p
		if !st.IsDir() {
			root = filepath.Dir(p)
		}
		root = filepath.Clean(root)
		_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				in.errors = append(in.errors, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read path",
					Detail: err.Error(), Subject: &hcl.Range{Filename: path}})
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if path != root && skipDirs[d.Name()] {
					return fs.SkipDir
				}
				if strings.Count(path, string(filepath.Separator))-strings.Count(root, string(filepath.Separator)) > maxWalkDepth {
					in.errors = append(in.errors, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Folders nested too deeply",
						Detail: fmt.Sprintf("%s is more than %d folders below %s; canpull does not go deeper.", path, maxWalkDepth, root), Subject: &hcl.Range{Filename: path}})
					return fs.SkipDir
				}
				if seenDir[path] {
					return fs.SkipDir
				}
				seenDir[path] = true
				return nil
			}
			name := d.Name()
			switch {
			case strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tf.json"):
				dir := filepath.Dir(path)
				if _, ok := tfDirs[dir]; !ok {
					tfDirs[dir] = root
				}
			case strings.HasSuffix(name, ".json") && !strings.HasSuffix(name, ".tfvars.json"):
				if !seenJSON[path] {
					seenJSON[path] = true
					in.jsonFiles = append(in.jsonFiles, path)
				}
			}
			return nil
		})
	}
	// A folder that another folder calls as a local module is not a root
	// module: it is evaluated with its caller's inputs.
	in.scans = newScanner()
	in.scans.scanAll(tfDirs)
	called := map[string]bool{}
	for dir := range tfDirs {
		for _, c := range in.scans.get(dir).localCalls {
			if c != dir {
				called[c] = true
			}
		}
	}
	for dir, root := range tfDirs {
		if !called[dir] {
			in.modules = append(in.modules, rootModule{dir: dir, root: root})
		}
	}
	sort.Slice(in.modules, func(i, j int) bool { return in.modules[i].dir < in.modules[j].dir })
	sort.Strings(in.jsonFiles)
	return in
}

// readHead reads at most limit bytes of a file.
func readHead(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := bytes.Buffer{}
	_, err = buf.ReadFrom(ioLimit(f, limit))
	return buf.Bytes(), err
}
