package config

import (
	"errors"
	"path"
	"path/filepath"
	"strings"
)

// Patterns are slash-separated and relative to the configuration file's
// folder. Each part is matched as path.Match does (*, ?, [a-z]); "**" stands
// for any number of folders. A pattern that matches a folder covers
// everything under it: "examples" leaves out examples/ and all it holds,
// "**/testdata" every testdata folder.

func checkPattern(pat string) error {
	p := cleanPattern(pat)
	if p == "" {
		return errors.New("an empty pattern matches nothing")
	}
	if path.IsAbs(p) || filepath.IsAbs(pat) {
		return errors.New("patterns are relative to the configuration file's folder")
	}
	for _, part := range strings.Split(p, "/") {
		if part == ".." {
			return errors.New(`".." cannot leave the configuration file's folder`)
		}
		if _, err := path.Match(part, ""); err != nil {
			return errors.New("malformed pattern")
		}
	}
	return nil
}

func cleanPattern(pat string) string {
	p := strings.TrimSpace(filepath.ToSlash(pat))
	p = strings.TrimPrefix(p, "./")
	return strings.TrimSuffix(p, "/")
}

// matchAny reports whether name (a path relative to the working folder, or
// absolute) is, or is under, a path that one of the patterns matches.
func matchAny(dir string, patterns []string, name string) bool {
	if len(patterns) == 0 || name == "" {
		return false
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(dir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	if rel == "." {
		parts = nil
	}
	for _, pat := range patterns {
		p := cleanPattern(pat)
		if p == "" {
			continue
		}
		pp := strings.Split(p, "/")
		// The path or any folder above it.
		for n := 1; n <= len(parts); n++ {
			if matchParts(pp, parts[:n]) {
				return true
			}
		}
	}
	return false
}

// matchParts matches pattern parts against path parts; "**" takes any
// number of parts, none included. It works through a table of which
// pattern suffixes match which path suffixes, so no pattern is slow.
func matchParts(pat, parts []string) bool {
	// ok[j] is whether pat[i:] matches parts[j:], for the current i.
	ok := make([]bool, len(parts)+1)
	ok[len(parts)] = true
	for i := len(pat) - 1; i >= 0; i-- {
		next := make([]bool, len(parts)+1)
		for j := len(parts); j >= 0; j-- {
			switch {
			case pat[i] == "**":
				next[j] = ok[j] || (j < len(parts) && next[j+1])
			case j < len(parts):
				m, err := path.Match(pat[i], parts[j])
				next[j] = err == nil && m && ok[j+1]
			}
		}
		ok = next
	}
	return ok[0]
}
