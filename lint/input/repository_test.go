package input

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRepository(t *testing.T) {
	top := t.TempDir()
	mkdir := func(p string) string {
		t.Helper()
		d := filepath.Join(top, filepath.FromSlash(p))
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	// Outside a git work tree: the deepest folder that holds them all.
	envs, mods := mkdir("plain/envs/prod"), mkdir("plain/modules/svc")
	if got, want := Repository(envs, mods), filepath.Join(top, "plain"); got != want {
		t.Errorf("Repository(envs, modules) = %s, want %s", got, want)
	}
	if got := Repository(envs); got != envs {
		t.Errorf("Repository(envs) = %s, want the folder itself", got)
	}
	// In a git work tree (.git a folder, or a file in a linked work tree),
	// the work tree, whatever the modules.
	mkdir("repo/.git")
	app := mkdir("repo/apps/web")
	if got, want := Repository(app, mods), filepath.Join(top, "repo"); got != want {
		t.Errorf("Repository in a work tree = %s, want %s", got, want)
	}
	linked := mkdir("linked/app")
	if err := os.WriteFile(filepath.Join(top, "linked", ".git"), []byte("gitdir: elsewhere\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, want := Repository(linked), filepath.Join(top, "linked"); got != want {
		t.Errorf("Repository in a linked work tree = %s, want %s", got, want)
	}
	if Repository() != "" {
		t.Errorf("Repository() is not empty")
	}
}

func TestInside(t *testing.T) {
	top := t.TempDir()
	repo := filepath.Join(top, "repo")
	for _, d := range []string{"repo/mods/a", "elsewhere/b"} {
		if err := os.MkdirAll(filepath.Join(top, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(top, "elsewhere"), filepath.Join(repo, "out")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if err := os.Symlink(filepath.Join(repo, "mods"), filepath.Join(repo, "in")); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{
		"repo":                 true,
		"repo/mods/a":          true,
		"repo/missing":         true, // whoever reads it says it is missing
		"repo/in/a":            true,
		"repo/out/b":           false, // a link that leads out
		"repo/../elsewhere/b":  false,
		"elsewhere/b":          false,
		"repo-sibling/missing": false,
	} {
		if got := Inside(repo, filepath.Join(top, filepath.FromSlash(p))); got != want {
			t.Errorf("Inside(repo, %s) = %v, want %v", p, got, want)
		}
	}
}

// Only a link that leads out of the repository is refused: a file, a link
// that stays inside, a link to nothing (reading it says so) are not.
func TestLinksOutside(t *testing.T) {
	top := t.TempDir()
	repo := filepath.Join(top, "repo")
	if err := os.MkdirAll(repo, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{"repo/main.tf": "", "secret.tf": "x"} {
		if err := os.WriteFile(filepath.Join(top, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{"out.tf": "../secret.tf", "in.tf": "main.tf", "dangling.tf": "nowhere.tf"}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(repo, name)); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	for name, want := range map[string]bool{"main.tf": false, "out.tf": true, "in.tf": false, "dangling.tf": false, "missing.tf": false} {
		if got := LinksOutside(repo, filepath.Join(repo, name)); got != want {
			t.Errorf("LinksOutside(repo, %s) = %v, want %v", name, got, want)
		}
	}
}
