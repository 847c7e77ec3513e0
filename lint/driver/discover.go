package driver

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/input"
)

// discovered is what the walk over the path arguments found, per input.
type discovered struct {
	// files are the files each input claimed, in the order the walk found
	// them; leftOut are those the user's configuration leaves out.
	files, leftOut [][]input.File
	errors         hcl.Diagnostics
	// apps are the cdk.json and cdktf.json files the walk passed.
	apps []string
}

// skipDirs are never descended into.
var skipDirs = map[string]bool{".terraform": true, ".git": true, "node_modules": true}

// maxWalkDepth bounds folder nesting, which also ends symlink loops.
const maxWalkDepth = 64

// discover walks the path arguments (a file argument means its folder) and
// offers each file to the inputs in turn: the first to claim it gets it. A
// file is read only when an input needs its content to decide, and then
// once, however many inputs ask.
func discover(paths []string, ins []input.Input, exclude func(string) bool) *discovered {
	d := &discovered{files: make([][]input.File, len(ins)), leftOut: make([][]input.File, len(ins))}
	seenDir := map[string]bool{}
	seenFile := map[string]bool{}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			d.errors = append(d.errors, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read path",
				Detail: err.Error(), Subject: &hcl.Range{Filename: p}})
			continue
		}
		root := p
		if !st.IsDir() {
			root = filepath.Dir(p)
		}
		root = filepath.Clean(root)
		repo := input.Repository(root)
		_ = filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
			if err != nil {
				d.errors = append(d.errors, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read path",
					Detail: err.Error(), Subject: &hcl.Range{Filename: path}})
				if e != nil && e.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if e.IsDir() {
				if path != root && skipDirs[e.Name()] {
					return fs.SkipDir
				}
				if strings.Count(path, string(filepath.Separator))-strings.Count(root, string(filepath.Separator)) > maxWalkDepth {
					d.errors = append(d.errors, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Folders nested too deeply",
						Detail: fmt.Sprintf("%s is more than %d folders below %s; canpull does not go deeper.", path, maxWalkDepth, root), Subject: &hcl.Range{Filename: path}})
					return fs.SkipDir
				}
				if seenDir[path] {
					return fs.SkipDir
				}
				seenDir[path] = true
				return nil
			}
			if seenFile[path] {
				return nil
			}
			seenFile[path] = true
			if _, ok := appTools[e.Name()]; ok {
				d.apps = append(d.apps, path)
			}
			if e.Type()&fs.ModeSymlink != 0 && input.LinksOutside(repo, path) {
				d.errors = append(d.errors, input.FileError(path, "Cannot read file", input.OutsideError(path).Error()))
				return nil
			}
			d.offer(path, root, ins, exclude != nil && exclude(path))
			return nil
		})
	}
	return d
}

// offer gives one file to the first input that claims it.
func (d *discovered) offer(path, root string, ins []input.Input, leftOut bool) {
	var head []byte
	read := false
	headOf := func() []byte {
		if leftOut {
			return nil // not read: the user left it out
		}
		if !read {
			read = true
			var err error
			if head, err = input.ReadHead(path, input.HeadSize); err != nil {
				d.errors = append(d.errors, input.FileError(path, "Cannot read file", err.Error()))
				head = nil
			}
		}
		return head
	}
	for i, in := range ins {
		if !in.Claim(path, headOf) {
			continue
		}
		f := input.File{Path: path, Root: root}
		if leftOut {
			d.leftOut[i] = append(d.leftOut[i], f)
			return
		}
		if head != nil && len(head) < input.HeadSize {
			f.Src = head // the whole file: the input need not read it again
		}
		d.files[i] = append(d.files[i], f)
		return
	}
}
