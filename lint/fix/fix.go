// Package fix applies the edits that rules offer on their findings (see
// lint.Finding.Edits), for --fix: it plans the new text of every file,
// refuses what is not safe, and writes the files or shows the change as a
// unified diff (--fix --dry-run).
//
// A finding's edits are applied all together or not at all. An edit is
// refused when its file is outside the folders that were scanned, inside
// .terraform/ (a module terraform init downloaded: the next init would undo
// the change), in a file with unresolved merge conflicts, or when it
// overlaps an edit of another finding that was taken first. Before a file is
// written, it must still hold the text that was linted.
package fix

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/canpull/canpull/lint"
)

// Options say what the fixes may touch.
type Options struct {
	// Roots are the folders that were scanned (a file argument stands for
	// its folder). No file outside them is changed.
	Roots []string
	// Sources holds the text of every file as it was linted, by the name
	// used in ranges.
	Sources map[string][]byte
}

// Plan is what applying the fixes would change.
type Plan struct {
	// Files are the files that change, by name, in name order.
	Files []*File
	// Fixed are the findings whose edits are all in Files.
	Fixed []lint.Finding
	// Left are the findings with edits that were refused, each with why.
	Left []Refusal
}

// File is one file's change.
type File struct {
	Name     string // as in ranges
	Old, New []byte
	// Edits are the edits that make New of Old, in order.
	Edits []lint.Edit
}

// Refusal is a finding that --fix leaves, and why.
type Refusal struct {
	Finding lint.Finding
	Reason  string
}

// NewPlan plans the edits of the findings, taken in order: a finding's
// edits are refused when they overlap those of a finding taken before.
func NewPlan(findings []lint.Finding, opts Options) *Plan {
	p := &Plan{}
	roots := absRoots(opts.Roots)
	byFile := map[string][]lint.Edit{}
	bad := map[string]string{} // file → why none of its edits can be made
	for _, f := range findings {
		if len(f.Edits) == 0 {
			continue
		}
		reason := ""
		for _, e := range f.Edits {
			name := e.Range.Filename
			if why, seen := bad[name]; seen {
				if why != "" {
					reason = why
					break
				}
			} else if why := refuseFile(name, opts.Sources, roots); why != "" {
				bad[name] = why
				reason = why
				break
			} else {
				bad[name] = ""
			}
			src := opts.Sources[name]
			if e.Range.Start.Byte < 0 || e.Range.Start.Byte > e.Range.End.Byte || e.Range.End.Byte > len(src) {
				reason = "the edit does not fit " + name + " as it was read"
				break
			}
			if clash(byFile[name], e) {
				reason = fmt.Sprintf("another fix changes the same text of %s:%d", name, e.Range.Start.Line)
				break
			}
		}
		if reason == "" && selfOverlap(f.Edits) {
			reason = "its edits overlap one another"
		}
		if reason != "" {
			p.Left = append(p.Left, Refusal{Finding: f, Reason: reason})
			continue
		}
		for _, e := range f.Edits {
			if !slices.Contains(byFile[e.Range.Filename], e) {
				byFile[e.Range.Filename] = append(byFile[e.Range.Filename], e)
			}
		}
		p.Fixed = append(p.Fixed, f)
	}
	names := make([]string, 0, len(byFile))
	for name := range byFile {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		old, edits := opts.Sources[name], sorted(byFile[name])
		p.Files = append(p.Files, &File{Name: name, Old: old, New: Apply(old, edits), Edits: edits})
	}
	return p
}

// Apply returns src with edits made; the edits must not overlap.
func Apply(src []byte, edits []lint.Edit) []byte {
	var out bytes.Buffer
	at := 0
	for _, e := range sorted(edits) {
		out.Write(src[at:e.Range.Start.Byte])
		out.WriteString(e.NewText)
		at = e.Range.End.Byte
	}
	out.Write(src[at:])
	return out.Bytes()
}

// sorted orders edits by where they start; an insertion comes before the
// text replaced at the same place.
func sorted(edits []lint.Edit) []lint.Edit {
	es := slices.Clone(edits)
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i].Range, es[j].Range
		if a.Start.Byte != b.Start.Byte {
			return a.Start.Byte < b.Start.Byte
		}
		return a.End.Byte == a.Start.Byte && b.End.Byte != b.Start.Byte
	})
	return es
}

// clash reports whether e overlaps an edit taken already (the same edit
// twice is no clash: two findings may need one change).
func clash(taken []lint.Edit, e lint.Edit) bool {
	for _, t := range taken {
		if t == e {
			continue
		}
		if overlap(t, e) {
			return true
		}
	}
	return false
}

func selfOverlap(es []lint.Edit) bool {
	for i := range es {
		for j := i + 1; j < len(es); j++ {
			if es[i].Range.Filename == es[j].Range.Filename && overlap(es[i], es[j]) {
				return true
			}
		}
	}
	return false
}

// overlap reports whether two edits of one file touch the same bytes, or
// insert at the same place (whose order would be a guess).
func overlap(a, b lint.Edit) bool {
	as, ae, bs, be := a.Range.Start.Byte, a.Range.End.Byte, b.Range.Start.Byte, b.Range.End.Byte
	if as == ae && bs == be {
		return as == bs
	}
	return as < be && bs < ae || (as == ae && bs < as && as < be) || (bs == be && as < bs && bs < ae)
}

// refuseFile says why no edit may change a file, or "".
func refuseFile(name string, sources map[string][]byte, roots []string) string {
	src, ok := sources[name]
	if !ok {
		return "canpull did not read " + name + " itself"
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return "canpull cannot tell where " + name + " is"
	}
	if resolved, err := filepath.EvalSymlinks(abs); err == nil {
		abs = resolved
	}
	for _, part := range strings.Split(filepath.ToSlash(abs), "/") {
		switch part {
		case ".terraform":
			return name + " is in .terraform/, where terraform init puts downloaded modules: change the module's inputs instead"
		case "cdk.out":
			return name + " is CDK output (cdk.out/), which cdk synth writes again: change the CDK app instead"
		}
	}
	if !inside(abs, roots) {
		return name + " is outside the folders canpull was asked to scan"
	}
	if line := conflictLine(src); line > 0 {
		return fmt.Sprintf("%s has an unresolved merge conflict (line %d): resolve it first", name, line)
	}
	return ""
}

// conflictLine is the line of the first merge conflict marker, or 0.
func conflictLine(src []byte) int {
	for i, line := range bytes.Split(src, []byte("\n")) {
		for _, m := range []string{"<<<<<<<", "=======", ">>>>>>>"} {
			if bytes.HasPrefix(line, []byte(m)) {
				return i + 1
			}
		}
	}
	return 0
}

func absRoots(roots []string) []string {
	var out []string
	for _, r := range roots {
		abs, err := filepath.Abs(r)
		if err != nil {
			continue
		}
		if st, err := os.Stat(abs); err == nil && !st.IsDir() {
			abs = filepath.Dir(abs)
		}
		if resolved, err := filepath.EvalSymlinks(abs); err == nil {
			abs = resolved
		}
		out = append(out, filepath.Clean(abs))
	}
	return out
}

func inside(path string, roots []string) bool {
	for _, r := range roots {
		if path == r || strings.HasPrefix(path, r+string(filepath.Separator)) || r == string(filepath.Separator) {
			return true
		}
	}
	return false
}

// Write writes every file of the plan. A file that no longer holds the
// text that was linted is left as it is, and named in the error; the
// others are still written. Each file is replaced whole (a new file renamed
// over it, with its mode), so that no reader sees it half written.
func (p *Plan) Write() error {
	var errs []string
	for _, f := range p.Files {
		if err := writeFile(f); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

func writeFile(f *File) error {
	path := f.Name
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		path = resolved // a symbolic link stays one
	}
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("cannot fix %s: %w", f.Name, err)
	}
	now, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("cannot fix %s: %w", f.Name, err)
	}
	if !bytes.Equal(now, f.Old) {
		return fmt.Errorf("%s changed since canpull read it; not fixed", f.Name)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".canpull-*")
	if err != nil {
		return fmt.Errorf("cannot fix %s: %w", f.Name, err)
	}
	_, err = tmp.Write(f.New)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), st.Mode().Perm())
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("cannot fix %s: %w", f.Name, err)
	}
	return nil
}
