// Package baseline reads and writes canpull's baseline: the findings a
// team accepted when it turned canpull on in a large repository, so that a
// run reports only the new ones (--write-baseline FILE, then --baseline
// FILE).
//
// An entry is the finding's rule, file (relative to the repository root),
// object (the resource's address) and fingerprint: the one SARIF's
// partialFingerprints carries (lint.Fingerprints), which hashes the rule,
// what the finding is about and the file, never a line number. An edit
// above a finding does not bring it back; a finding that was fixed leaves
// its entry stale, and the run says so, so that the file can shrink.
//
// The file is JSON, its entries sorted, with nothing that depends on the
// machine or the time of the run: written twice, it is the same file.
//
//	{
//	  "version": 1,
//	  "findings": [
//	    {"rule": "CP203", "file": "infra/main.tf", "object": "aws_ecs_service.app", "fingerprint": "3f…"}
//	  ]
//	}
package baseline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/canpull/canpull/lint"
)

// Version is the version of the file format that this package writes.
const Version = 1

// maxSize bounds a baseline file: one of a big repository is some
// hundreds of kilobytes.
const maxSize = 64 << 20

// File is a baseline.
type File struct {
	Version  int     `json:"version"`
	Findings []Entry `json:"findings"`
}

// Entry is one accepted finding.
type Entry struct {
	Rule string `json:"rule"`
	// File is relative to the repository root, with forward slashes.
	File string `json:"file"`
	// Object is the address of what the finding is about
	// (aws_ecs_service.app, a template's logical ID, a document's path in
	// a JSON file), "" when the finding names none.
	Object      string `json:"object,omitempty"`
	Fingerprint string `json:"fingerprint"`
}

// Counts reports whether a finding belongs in a baseline: the notes that
// say a check stopped on an unknown fact never fail a run, and depend on
// --show-unverified, so they stay out.
func Counts(f lint.Finding) bool { return !f.Unverified }

// Make records findings. path gives a file's path relative to the
// repository root, with forward slashes; the fingerprints are those of
// lint.Fingerprints over all, of which fs are the first.
func Make(fs []lint.Finding, path func(string) string) *File {
	b := &File{Version: Version, Findings: []Entry{}}
	for i, fps := range lint.InstanceFingerprints(fs, path) {
		if Counts(fs[i]) {
			b.Findings = append(b.Findings, entries(fs[i], fps, path)...)
		}
	}
	b.sort()
	return b
}

// entries are a finding's entries: one for each module instance it stands
// for (see lint.Finding.Merged), so that the file is the same whether the
// instances' findings were merged or not.
func entries(f lint.Finding, fps []string, path func(string) string) []Entry {
	out := []Entry{entry(f, fps[0], path)}
	for j, m := range f.Merged {
		f.Key = m.Key
		out = append(out, entry(f, fps[j+1], path))
	}
	return out
}

func entry(f lint.Finding, fp string, path func(string) string) Entry {
	rel := path(f.Range.Filename)
	return Entry{Rule: f.RuleID, File: rel, Object: object(f, rel), Fingerprint: fp}
}

// object is the address part of a finding's key: the key up to "|" (a
// reason) and "/" (a part of the object, such as a container). In an ECS
// JSON document, whose address is its file, the object is the document's
// path in the file ("services[0]"), or "" for the file's only document.
func object(f lint.Finding, rel string) string {
	key, _, _ := strings.Cut(lint.StableKey(f, rel), "|")
	if rest, ok := strings.CutPrefix(key, rel); ok && rel != "" {
		rest, _, _ = strings.Cut(strings.TrimPrefix(rest, ":"), "/")
		return rest
	}
	obj, _, _ := strings.Cut(key, "/")
	return obj
}

func (b *File) sort() {
	sort.Slice(b.Findings, func(i, j int) bool {
		x, y := b.Findings[i], b.Findings[j]
		if x.File != y.File {
			return x.File < y.File
		}
		if x.Rule != y.Rule {
			return x.Rule < y.Rule
		}
		if x.Object != y.Object {
			return x.Object < y.Object
		}
		return x.Fingerprint < y.Fingerprint
	})
}

// Bytes is the file's text: indented JSON, one entry a line, ending with a
// newline.
func (b *File) Bytes() []byte {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "{\n  \"version\": %d,\n  \"findings\": [", b.Version)
	for i, e := range b.Findings {
		line, _ := json.Marshal(e) // strings only: never fails
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString("\n    ")
		buf.Write(line)
	}
	if len(b.Findings) > 0 {
		buf.WriteString("\n  ")
	}
	buf.WriteString("]\n}\n")
	return buf.Bytes()
}

// Write writes the file.
func (b *File) Write(path string) error {
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("cannot write the baseline: %w", err)
	}
	return nil
}

// Read reads a baseline file. A file that is not one (a key it does not
// know, a version it cannot read, an entry without its parts) is an error
// that names the file.
func Read(path string) (*File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the baseline: %w", err)
	}
	if st.Size() > maxSize {
		return nil, fmt.Errorf("cannot read the baseline %s: it is %d bytes, more than %d", path, st.Size(), maxSize)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the baseline: %w", err)
	}
	return Parse(path, src)
}

// Parse reads a baseline from its text; name is for messages.
func Parse(name string, src []byte) (*File, error) {
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.DisallowUnknownFields()
	var b File
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("%s is not a canpull baseline: %w (write one with --write-baseline %s)", name, err, name)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s is not a canpull baseline: text after the JSON object", name)
	}
	if b.Version == 0 {
		return nil, fmt.Errorf("%s is not a canpull baseline: it has no \"version\" (write one with --write-baseline %s)", name, name)
	}
	if b.Version != Version {
		return nil, fmt.Errorf("%s is a baseline of version %d; this canpull reads version %d (write it again with --write-baseline)", name, b.Version, Version)
	}
	for i, e := range b.Findings {
		if e.Rule == "" || e.File == "" || e.Fingerprint == "" {
			return nil, fmt.Errorf("%s: entry %d lacks its rule, file or fingerprint", name, i+1)
		}
	}
	return &b, nil
}

// Split sorts a run's findings into those the baseline does not hold
// (fresh: reported) and those it does (known), and returns the entries
// that no finding matched (stale), among those that judged says the run
// could have matched (a file it read, a rule it ran). all are the
// findings whose fingerprints count, of which fs are the first (see
// Make).
func (b *File) Split(fs []lint.Finding, path func(string) string, judged func(Entry) bool) (fresh, known []lint.Finding, stale []Entry) {
	have := map[Entry]int{}
	for _, e := range b.Findings {
		have[e]++
	}
	for i, fps := range lint.InstanceFingerprints(fs, path) {
		f := fs[i]
		if !Counts(f) {
			fresh = append(fresh, f)
			continue
		}
		// A merged finding is known when the baseline holds any of its
		// instances: the problem is one, at one place. Every entry it
		// holds of them is used, none left stale.
		held := false
		for _, e := range entries(f, fps, path) {
			if have[e] > 0 {
				have[e]--
				held = true
			}
		}
		if held {
			known = append(known, f)
			continue
		}
		fresh = append(fresh, f)
	}
	for _, e := range b.Findings {
		if have[e] > 0 && judged(e) {
			have[e]--
			stale = append(stale, e)
		}
	}
	return fresh, known, stale
}
