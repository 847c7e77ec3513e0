package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionOf(t *testing.T) {
	checkout := &debug.BuildInfo{
		Main: debug.Module{Path: "github.com/canpull/canpull", Version: "v0.0.0-20261206205012-6263ff85d157+dirty"},
		Settings: []debug.BuildSetting{
			{Key: "-trimpath", Value: "true"},
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: "6263ff85d15786e0ad7ebd66b368bd7119258ed9"},
			{Key: "vcs.time", Value: "2026-12-06T20:50:12Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	for _, tc := range []struct {
		name                  string
		bi                    *debug.BuildInfo
		version, commit, date string
		want                  string
	}{
		{"go run: no version, no VCS", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "", "", "",
			"canpull dev"},
		{"no build information", nil, "", "", "", "canpull dev"},
		{"go install …@v1.2.0", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, "", "", "",
			"canpull v1.2.0"},
		{"go build in a modified checkout", checkout, "", "", "",
			"canpull v0.0.0-20261206205012-6263ff85d157+dirty (commit 6263ff85d157 with local changes, 2026-12-06T20:50:12Z)"},
		{"a clean checkout", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "6263ff85d15786e0ad7ebd66b368bd7119258ed9"},
			{Key: "vcs.time", Value: "2026-12-06T20:50:12Z"},
			{Key: "vcs.modified", Value: "false"},
		}}, "", "", "",
			"canpull dev (commit 6263ff85d157, 2026-12-06T20:50:12Z)"},
		{"-ldflags -X wins over the build information", checkout, "v1.3.0", "0123456789abcdef0123", "2027-01-02T03:04:05Z",
			"canpull v1.3.0 (commit 0123456789ab, 2027-01-02T03:04:05Z)"},
		{"-X main.version alone keeps the commit", checkout, "v1.3.0", "", "",
			"canpull v1.3.0 (commit 6263ff85d157 with local changes, 2026-12-06T20:50:12Z)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := versionOf(tc.bi, tc.version, tc.commit, tc.date).String(); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestVersionOfBuild builds canpull from this checkout as a user does, with
// a version stamped the way release builds stamp it: the binary must say
// it, and, built from a git clone, the commit that git says it is at.
func TestVersionOfBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds canpull: not with -short")
	}
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "canpull")
	// -buildvcs=true overrides a GOFLAGS=-buildvcs=false of the machine.
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, "-ldflags", "-X main.version=v9.8.7-test", ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(out), "canpull v9.8.7-test") {
		t.Errorf("canpull version = %q, want the version that -ldflags -X stamped", out)
	}
	// The go command records the commit in a git clone; not in a git
	// worktree, whose .git is a file.
	if st, err := os.Stat(".git"); err != nil || !st.IsDir() {
		t.Logf("not a git clone (.git is not a folder): the commit is not checked")
		return
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("git: %v", err)
	}
	want := "canpull v9.8.7-test (commit " + strings.TrimSpace(string(head))[:12]
	if !strings.HasPrefix(string(out), want) || !strings.HasSuffix(string(out), "Z)\n") {
		t.Errorf("canpull version = %q, want %q…, then the commit's time", out, want)
	}
}
