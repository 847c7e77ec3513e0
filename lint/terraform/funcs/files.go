package funcs

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

const (
	// maxFilesetEntries bounds how many folder entries fileset visits.
	maxFilesetEntries = 100_000
	// maxGlobAlternatives bounds the brace expansion of a fileset pattern.
	maxGlobAlternatives = 256
	// maxPatternLen bounds the length of a fileset pattern.
	maxPatternLen = 4096
)

func (e *env) fileFuncs() map[string]def {
	pathParam := []function.Parameter{{Name: "path", Type: cty.String}}
	fileTo := func(name, desc string, ty cty.Type, conv func(name, p string, data []byte) (cty.Value, error)) def {
		return def{f: function.New(&function.Spec{
			Description: desc,
			Params:      pathParam,
			Type:        function.StaticReturnType(ty),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				p := args[0].AsString()
				if inHome(p) {
					return cty.UnknownVal(ty), nil
				}
				data, err := e.readFile(name, p)
				if errors.Is(err, fs.ErrNotExist) && e.foundAbove(p) {
					return cty.UnknownVal(ty), nil
				}
				if err != nil {
					return cty.NilVal, function.NewArgError(0, err)
				}
				return conv(name, p, data)
			},
		})}
	}
	out := map[string]def{
		"file": fileTo("file", "Reads the UTF-8 text of a file.", cty.String, func(_, p string, data []byte) (cty.Value, error) {
			if !utf8.Valid(data) {
				return cty.NilVal, function.NewArgErrorf(0, "the content of %s is not valid UTF-8; use filebase64 for binary files", p)
			}
			return cty.StringVal(string(data)), nil
		}),
		"filebase64": fileTo("filebase64", "Reads a file and encodes its content with Base64.", cty.String, func(_, _ string, data []byte) (cty.Value, error) {
			return cty.StringVal(base64.StdEncoding.EncodeToString(data)), nil
		}),
		"fileexists": {f: function.New(&function.Spec{
			Description: "Reports whether a file exists at the given path.",
			Params:      pathParam,
			Type:        function.StaticReturnType(cty.Bool),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				if inHome(args[0].AsString()) {
					return cty.UnknownVal(cty.Bool), nil
				}
				ok, err := e.fileExists(args[0].AsString())
				if err == nil && !ok && e.foundAbove(args[0].AsString()) {
					return cty.UnknownVal(cty.Bool), nil
				}
				if err != nil {
					return cty.NilVal, function.NewArgError(0, err)
				}
				return cty.BoolVal(ok), nil
			},
		})},
		"fileset": {f: function.New(&function.Spec{
			Description: "Returns the set of the files under a folder whose paths match a pattern.",
			Params: []function.Parameter{
				{Name: "path", Type: cty.String},
				{Name: "pattern", Type: cty.String},
			},
			Type: function.StaticReturnType(cty.Set(cty.String)),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				return e.fileset(args[0].AsString(), args[1].AsString())
			},
		})},
		"abspath": {f: stringFunc("abspath", "Returns the absolute form of a path (relative paths are taken from the module folder).", func(p string) (string, error) {
			if !filepath.IsAbs(p) {
				if e.baseDir == "" {
					return "", errors.New("no module folder is configured")
				}
				p = filepath.Join(e.baseDir, p)
			}
			return filepath.ToSlash(filepath.Clean(p)), nil
		})},
		"dirname":  {f: stringFunc("dirname", "Returns all but the last element of a path.", func(p string) (string, error) { return filepath.Dir(p), nil })},
		"basename": {f: stringFunc("basename", "Returns the last element of a path.", func(p string) (string, error) { return filepath.Base(p), nil })},
		"pathexpand": {f: function.New(&function.Spec{
			Description: "Expands a leading ~ in a path to the home folder (unknown to canpull).",
			Params:      pathParam,
			Type:        function.StaticReturnType(cty.String),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				p := args[0].AsString()
				if !strings.HasPrefix(p, "~") {
					return args[0], nil
				}
				if len(p) > 1 && p[1] != '/' && p[1] != '\\' {
					return cty.NilVal, function.NewArgErrorf(0, "cannot expand the home folder of another user in %q", p)
				}
				// The home folder is that of whoever runs terraform, not of
				// whoever runs canpull (a CI runner): reading $HOME would
				// give a wrong answer that looks right. It is unknown.
				return cty.UnknownVal(cty.String), nil
			},
		})},
	}
	for _, h := range hashes {
		out["file"+h.name] = fileTo("file"+h.name, "Computes the "+h.name+" hash of a file's content.", cty.String, func(_, _ string, data []byte) (cty.Value, error) {
			return cty.StringVal(digest(h.new, h.base64, data)), nil
		})
	}
	return out
}

// inHome reports a path in the home folder (~/…). Terraform's file
// functions expand it to the home folder of whoever runs terraform (an SSH
// public key read with file("~/.ssh/id_rsa.pub")); canpull does not read
// the home folder of whoever runs it (see pathexpand), so what such a file
// holds is unknown, not missing.
func inHome(p string) bool {
	return p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`)
}

// foundAbove reports a relative path that names a regular file from a
// folder above the module folder, inside the repository. Terraform reads
// relative paths from the folder it runs in, which canpull takes to be
// the root module's; a path missing from there but found above it says
// the folder is a module run from above, whose caller canpull does not
// see (mozilla-it/ecs-terraform's modules/codepipeline reads
// "./iam/codebuild-role.txt", a file at the repository's top). What the
// file holds for that run is unknown, not missing.
func (e *env) foundAbove(p string) bool {
	if e.rootErr != nil || p == "" || filepath.IsAbs(p) || strings.IndexByte(p, 0) >= 0 {
		return false
	}
	for dir := filepath.Dir(e.baseDir); within(e.root, dir) || within(e.rootReal, dir); dir = filepath.Dir(dir) {
		abs := filepath.Clean(filepath.Join(dir, p))
		if e.lexicallyInside(abs) {
			if real, err := filepath.EvalSymlinks(abs); err == nil && within(e.rootReal, real) {
				if fi, err := os.Stat(real); err == nil && fi.Mode().IsRegular() {
					return true
				}
			}
		}
		if dir == filepath.Dir(dir) {
			break
		}
	}
	return false
}

// notExistError says that no file exists at a path; it matches
// fs.ErrNotExist.
type notExistError string

func (e notExistError) Error() string {
	return "no file exists at " + string(e) + "; file functions read only files that are part of the configuration, not files created while it is applied"
}

func (e notExistError) Unwrap() error { return fs.ErrNotExist }

// within reports whether p is root or under it (both clean and absolute).
func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	if err != nil || filepath.IsAbs(rel) {
		return false
	}
	return rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// lexicallyInside reports whether a cleaned absolute path is under the
// scanned folder as named or as resolved (the module folder may be given
// either way).
func (e *env) lexicallyInside(p string) bool {
	return within(e.root, p) || within(e.rootReal, p)
}

func (e *env) outside(call string) error {
	return fmt.Errorf("%s reads outside the repository %s; canpull reads files only inside the repository it lints (the git work tree, or the folder that holds the root module and every local module it calls)", call, e.root)
}

// lexical returns the cleaned absolute form of p (relative to the module
// folder), refusing it when it lies outside the scanned folder. call is
// the function call for messages, like file("x").
func (e *env) lexical(call, p string) (string, error) {
	if e.rootErr != nil {
		return "", fmt.Errorf("%s: %w", call, e.rootErr)
	}
	if strings.IndexByte(p, 0) >= 0 {
		return "", fmt.Errorf("%s: the path contains a NUL character", call)
	}
	abs := p
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(e.baseDir, abs)
	}
	abs = filepath.Clean(abs)
	if !e.lexicallyInside(abs) {
		return "", e.outside(call)
	}
	return abs, nil
}

// resolve is lexical, then follows symlinks and checks the result again.
// A path that does not exist gives an error that satisfies
// errors.Is(err, fs.ErrNotExist).
func (e *env) resolve(call, p string) (string, error) {
	abs, err := e.lexical(call, p)
	if err != nil {
		return "", err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return "", notExistError(p)
		}
		if errors.Is(err, syscall.ELOOP) || strings.Contains(err.Error(), "too many links") {
			return "", fmt.Errorf("%s: the path has a symbolic link loop", call)
		}
		return "", fmt.Errorf("%s: %w", call, err)
	}
	if !within(e.rootReal, real) {
		return "", e.outside(call)
	}
	return real, nil
}

func (e *env) readFile(name, p string) ([]byte, error) {
	call := fmt.Sprintf("%s(%q)", name, p)
	real, err := e.resolve(call, p)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(real)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", call, err)
	}
	switch {
	case fi.IsDir():
		return nil, fmt.Errorf("%s is a folder, not a file", p)
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("%s is not a regular file", p)
	case fi.Size() > e.maxFile:
		return nil, fmt.Errorf("%s is larger than %d bytes, more than canpull reads", p, e.maxFile)
	}
	f, err := os.Open(real)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", call, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, e.maxFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", call, err)
	}
	if int64(len(data)) > e.maxFile {
		return nil, fmt.Errorf("%s is larger than %d bytes, more than canpull reads", p, e.maxFile)
	}
	return data, nil
}

func (e *env) fileExists(p string) (bool, error) {
	real, err := e.resolve(fmt.Sprintf("fileexists(%q)", p), p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	fi, err := os.Stat(real)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		return false, fmt.Errorf("cannot inspect %s: %w", p, err)
	}
	switch {
	case fi.Mode().IsRegular():
		return true, nil
	case fi.IsDir():
		return false, fmt.Errorf("%s is a folder, not a file", p)
	}
	return false, fmt.Errorf("%s is not a regular file", p)
}

// fileset is Terraform's fileset(path, pattern): the files (not folders)
// under path whose path relative to it matches the pattern, with
// doublestar semantics (** matches any number of folders).
func (e *env) fileset(base, pattern string) (cty.Value, error) {
	call := fmt.Sprintf("fileset(%q, %q)", base, pattern)
	baseAbs, err := e.lexical(call, base)
	if err != nil {
		return cty.NilVal, err
	}
	if len(pattern) > maxPatternLen || strings.Count(pattern, "{") > 64 {
		return cty.NilVal, function.NewArgErrorf(1, "the pattern is longer or has more alternatives than canpull allows")
	}
	alts, err := expandBraces(filepath.ToSlash(pattern))
	if err != nil {
		return cty.NilVal, function.NewArgErrorf(1, "invalid pattern %q: %s", pattern, err)
	}
	found := map[string]bool{}
	visited := 0
	for _, alt := range alts {
		segs := strings.Split(alt, "/")
		// The leading segments without glob characters name a folder.
		n := 0
		for n < len(segs)-1 && !hasGlobMeta(segs[n]) {
			n++
		}
		for _, s := range segs[n:] {
			if s == "**" {
				continue
			}
			if _, err := path.Match(s, ""); err != nil {
				return cty.NilVal, function.NewArgErrorf(1, "invalid pattern %q: %s", pattern, err)
			}
		}
		dirLex := filepath.Join(append([]string{baseAbs}, segs[:n]...)...)
		if !e.lexicallyInside(dirLex) {
			return cty.NilVal, e.outside(call)
		}
		dirReal, err := filepath.EvalSymlinks(dirLex)
		if err != nil {
			continue // no such folder: no match
		}
		if !within(e.rootReal, dirReal) {
			return cty.NilVal, e.outside(call)
		}
		rest := segs[n:]
		maxDepth := -1
		if !containsStr(rest, "**") {
			maxDepth = len(rest)
		}
		err = filepath.WalkDir(dirReal, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == dirReal {
					return fs.SkipAll
				}
				return nil // unreadable entries are skipped, like a glob would
			}
			visited++
			if visited > maxFilesetEntries {
				return fmt.Errorf("%s visits more than %d folder entries, more than canpull allows", call, maxFilesetEntries)
			}
			rel, err := filepath.Rel(dirReal, p)
			if err != nil || rel == "." {
				return nil
			}
			parts := strings.Split(filepath.ToSlash(rel), "/")
			if d.IsDir() {
				if maxDepth >= 0 && len(parts) >= maxDepth {
					return fs.SkipDir
				}
				return nil
			}
			if !matchSegments(rest, parts) {
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				target, err := filepath.EvalSymlinks(p)
				if err != nil {
					return nil
				}
				if !within(e.rootReal, target) {
					return fmt.Errorf("%s: %s is a symbolic link to %s, outside the repository %s; canpull reads files only inside the repository it lints", call, filepath.Join(dirLex, rel), target, e.root)
				}
				fi, err := os.Stat(target)
				if err != nil || !fi.Mode().IsRegular() {
					return nil
				}
			} else if !d.Type().IsRegular() {
				return nil
			}
			out, err := filepath.Rel(baseAbs, filepath.Join(dirLex, rel))
			if err != nil {
				return nil
			}
			found[filepath.ToSlash(out)] = true
			return nil
		})
		if err != nil {
			return cty.NilVal, err
		}
	}
	if len(found) == 0 {
		return cty.SetValEmpty(cty.String), nil
	}
	vals := make([]cty.Value, 0, len(found))
	for f := range found {
		vals = append(vals, cty.StringVal(f))
	}
	return cty.SetVal(vals), nil
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func hasGlobMeta(s string) bool {
	return strings.ContainsAny(s, `*?[{\`)
}

// matchSegments matches path segments against pattern segments, where a
// "**" segment matches any number of path segments (dynamic programming,
// so many "**" cost no more than one).
func matchSegments(pat, name []string) bool {
	// ok[j] reports whether pat[i:] matches name[j:], for the current i.
	ok := make([]bool, len(name)+1)
	ok[len(name)] = true
	for i := len(pat) - 1; i >= 0; i-- {
		next := make([]bool, len(name)+1)
		if pat[i] == "**" {
			// next[j] = ok[j] || next[j+1]
			for j := len(name); j >= 0; j-- {
				next[j] = ok[j] || (j < len(name) && next[j+1])
			}
		} else {
			for j := 0; j < len(name); j++ {
				if ok[j+1] {
					m, _ := path.Match(pat[i], name[j])
					next[j] = m
				}
			}
		}
		ok = next
	}
	return ok[0]
}

// expandBraces expands {a,b} alternatives (nested too) of a glob pattern.
func expandBraces(p string) ([]string, error) {
	out := []string{}
	var expand func(string) error
	expand = func(s string) error {
		open := -1
		for i := 0; i < len(s); i++ {
			if s[i] == '\\' {
				i++
				continue
			}
			if s[i] == '{' {
				open = i
				break
			}
		}
		if open < 0 {
			if len(out) >= maxGlobAlternatives {
				return fmt.Errorf("more than %d alternatives", maxGlobAlternatives)
			}
			out = append(out, s)
			return nil
		}
		depth, start := 0, open+1
		var parts []string
		for i := open; i < len(s); i++ {
			switch s[i] {
			case '\\':
				i++
			case '{':
				depth++
			case '}':
				depth--
				if depth == 0 {
					parts = append(parts, s[start:i])
					for _, alt := range parts {
						if err := expand(s[:open] + alt + s[i+1:]); err != nil {
							return err
						}
					}
					return nil
				}
			case ',':
				if depth == 1 {
					parts = append(parts, s[start:i])
					start = i + 1
				}
			}
		}
		return errors.New("unclosed {")
	}
	if err := expand(p); err != nil {
		return nil, err
	}
	return out, nil
}
