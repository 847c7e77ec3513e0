// Package repo finds the repository that a path is in: the enclosing git
// work tree, found by walking up to a folder that holds .git (a folder in a
// clone, a file in a worktree or a submodule). It never runs git: canpull
// reads what a pull request wrote and runs nothing.
package repo

import (
	"os"
	"path/filepath"
)

// Root returns the root of the git work tree that holds path (a file or
// a folder), as an absolute, cleaned path, and false when path is in none.
func Root(path string) (string, bool) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", false
	}
	dir := abs
	if st, err := os.Stat(abs); err == nil && !st.IsDir() {
		dir = filepath.Dir(abs)
	}
	for {
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// BaseDir is the folder that reports make paths relative to: the root of
// the git work tree that holds the first of paths that is in one (or the
// working folder when paths is empty), else the working folder, absolute.
func BaseDir(paths []string) string {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	for _, p := range paths {
		if root, ok := Root(p); ok {
			return root
		}
	}
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	return wd
}
