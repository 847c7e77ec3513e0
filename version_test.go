package main

import (
	"runtime/debug"
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
