package input

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/canpull/canpull/lint/repo"
)

// Repository returns the folder that bounds what canpull reads for a
// configuration whose folders are dirs (the first is its own folder, the
// others those it draws on: the local modules a Terraform root module
// calls): the git work tree that holds the first folder, or, outside any,
// the deepest folder that holds them all. Nothing a configuration names
// (a file for file(), a folder in .terraform/modules/modules.json) is read
// outside it: the repository is what a pull request can write.
//
// The folders are made absolute and cleaned; "" when dirs is empty or a
// folder cannot be made absolute.
func Repository(dirs ...string) string {
	if len(dirs) == 0 {
		return ""
	}
	abs := make([]string, len(dirs))
	for i, d := range dirs {
		a, err := filepath.Abs(d)
		if err != nil {
			return ""
		}
		abs[i] = a
	}
	if top := gitWorkTree(abs[0]); top != "" {
		return top
	}
	common := abs[0]
	for _, d := range abs[1:] {
		for !Within(common, d) {
			parent := filepath.Dir(common)
			if parent == common {
				break
			}
			common = parent
		}
	}
	return common
}

// gitWorkTree returns the nearest folder at or above dir that holds .git
// (a folder, or the file a linked work tree or a submodule has), or "".
func gitWorkTree(dir string) string {
	root, _ := repo.Root(dir)
	return root
}

// Within reports whether path is base or lies below it, comparing cleaned
// absolute paths as written (symbolic links are not followed: see Inside).
func Within(base, path string) bool {
	rel, err := filepath.Rel(base, path)
	if err != nil || filepath.IsAbs(rel) {
		return false
	}
	return rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// Inside reports whether path lies within the repository repo (see
// Repository) once symbolic links are followed: a link inside the
// repository that leads out of it is outside. A path that does not exist
// is judged as written, so that whoever reads it can say it is missing.
// Relative paths are taken from the working folder.
func Inside(repo, path string) bool {
	repo, err1 := filepath.Abs(repo)
	path, err2 := filepath.Abs(path)
	if err1 != nil || err2 != nil || !Within(repo, path) {
		return false
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return true
	}
	repoReal, err := filepath.EvalSymlinks(repo)
	if err != nil {
		repoReal = repo
	}
	return Within(repoReal, real)
}

// LinksOutside reports whether path is a symbolic link that leads out of
// the repository repo (or to nothing that can be resolved). A link is the
// one way a file found inside the repository can make canpull read one
// outside it: a pull request can add main.tf -> ~/.aws/credentials, and the
// error for a file that does not parse quotes its lines. Only links are
// checked: a regular file found under repo is inside it.
func LinksOutside(repo, path string) bool {
	st, err := os.Lstat(path)
	if err != nil || st.Mode()&os.ModeSymlink == 0 {
		return false
	}
	if _, err := filepath.EvalSymlinks(path); err != nil {
		return false // dangling, or a loop: reading it fails and says so
	}
	return !Inside(repo, path)
}

// OutsideError is the error for a file that links out of the repository:
// it is not read.
func OutsideError(path string) error {
	return fmt.Errorf("%s is a symbolic link that leads out of the repository; canpull reads nothing outside it", path)
}
