package main

import (
	"runtime/debug"
	"strings"
)

// Release builds stamp these with
//
//	-ldflags "-X main.version=v1.2.0 -X main.commit=… -X main.date=…"
//
// (.ci/release does). Left empty, they come from the build information that
// the go command records: the module's version under `go install
// …@version`, and the commit, its time and whether the work tree had
// changes when built from a checkout.
var (
	version = ""
	commit  = ""
	date    = ""
)

// buildVersion is what `canpull version` prints.
type buildVersion struct {
	Version  string // "v1.2.0", a pseudo-version, or "dev"
	Commit   string // the full commit hash, or ""
	Date     string // the commit's time, RFC 3339, or ""
	Modified bool   // built from a work tree with uncommitted changes
}

// currentVersion reads the stamped values and the build information.
func currentVersion() buildVersion {
	bi, _ := debug.ReadBuildInfo()
	return versionOf(bi, version, commit, date)
}

// versionOf combines the build information (nil when there is none) with
// the values stamped by -ldflags, which win.
func versionOf(bi *debug.BuildInfo, stampedVersion, stampedCommit, stampedDate string) buildVersion {
	var v buildVersion
	if bi != nil {
		if mv := bi.Main.Version; mv != "" && mv != "(devel)" {
			v.Version = mv
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				v.Commit = s.Value
			case "vcs.time":
				v.Date = s.Value
			case "vcs.modified":
				v.Modified = s.Value == "true"
			}
		}
	}
	if stampedVersion != "" {
		v.Version = stampedVersion
	}
	if stampedCommit != "" {
		v.Commit, v.Modified = stampedCommit, false
	}
	if stampedDate != "" {
		v.Date = stampedDate
	}
	if v.Version == "" {
		v.Version = "dev"
	}
	return v
}

// String is one line: "canpull v1.2.0 (commit 3f2a9c1e8b7d, 2026-12-06T20:50:12Z)";
// "with local changes" follows a commit built from a modified work tree.
func (v buildVersion) String() string {
	var extra []string
	if v.Commit != "" {
		c := "commit " + shortCommit(v.Commit)
		if v.Modified {
			c += " with local changes"
		}
		extra = append(extra, c)
	}
	if v.Date != "" {
		extra = append(extra, v.Date)
	}
	s := "canpull " + v.Version
	if len(extra) > 0 {
		s += " (" + strings.Join(extra, ", ") + ")"
	}
	return s
}

func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}
