package repo

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRoot(t *testing.T) {
	tmp := t.TempDir()
	tmp, _ = filepath.EvalSymlinks(tmp)
	mk := func(p string) string {
		p = filepath.Join(tmp, p)
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	clone := mk("clone/.git")
	infra := mk("clone/infra/envs/prod")
	worktree := mk("worktree/infra")
	if err := os.WriteFile(filepath.Join(tmp, "worktree", ".git"), []byte("gitdir: ../clone/.git/worktrees/w\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	plain := mk("plain/infra")
	file := filepath.Join(infra, "main.tf")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, want string
		ok         bool
	}{
		{infra, filepath.Dir(clone), true},
		{file, filepath.Dir(clone), true},
		{filepath.Dir(clone), filepath.Dir(clone), true},
		{worktree, filepath.Join(tmp, "worktree"), true}, // .git is a file
		{plain, "", false},
		{filepath.Join(tmp, "clone/infra/missing"), filepath.Dir(clone), true},
	} {
		got, ok := Root(tc.path)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Root(%s) = %q, %v; want %q, %v", tc.path, got, ok, tc.want, tc.ok)
		}
	}
	if got := BaseDir([]string{plain, infra}); got != filepath.Dir(clone) {
		t.Errorf("BaseDir = %q, want the first path's that is in a repository", got)
	}
}
