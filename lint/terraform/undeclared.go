package terraform

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"

	"github.com/canpull/canpull/lint/input"
)

// Values for variables that nothing declares. Terraform refuses a --var for
// a variable the root module does not declare ("Value for undeclared
// variable") and warns about one in a variables file; canpull, which lints
// many root modules at once, says so when no root module it scanned
// declares the name: a --var is an input error (exit 2) with the closest
// declared name, and a variables file's assignment is a note (CP003) at its
// line. A misspelt name otherwise passes in silence, and the variable it
// was meant for keeps its default.

// declared returns the variables that the files of a module folder
// declare, from the scan's texts; ok is false when a file could not be
// read or understood, so that the scan cannot tell.
func (s *scanner) declared(dir string) (names map[string]bool, ok bool) {
	ds := s.get(dir)
	if ds.partial {
		return nil, false
	}
	names = map[string]bool{}
	for name, src := range ds.texts {
		if !strings.HasSuffix(name, ".json") {
			for _, v := range nativeVariables(src) {
				names[v] = true
			}
			continue
		}
		var doc struct {
			Variable json.RawMessage `json:"variable"`
		}
		if json.Unmarshal(src, &doc) != nil {
			return nil, false
		}
		if len(doc.Variable) == 0 {
			continue
		}
		var vars map[string]json.RawMessage
		if json.Unmarshal(doc.Variable, &vars) != nil {
			return nil, false
		}
		for n := range vars {
			names[n] = true
		}
	}
	return names, true
}

// assignment is one value a variables file gives.
type assignment struct {
	name string
	rng  hcl.Range // the name's
}

// assignments reads the names a variables file assigns, or nil when it
// cannot be read: the load that reads it says why.
func assignments(path string) []assignment {
	src, err := input.ReadFile(path, maxFileSize)
	if err != nil {
		return nil
	}
	var f *hcl.File
	var diags hcl.Diagnostics
	if strings.HasSuffix(path, ".json") {
		f, diags = hcljson.Parse(src, path)
	} else {
		f, diags = hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	}
	if diags.HasErrors() || f == nil {
		return nil
	}
	attrs, diags := f.Body.JustAttributes()
	if diags.HasErrors() {
		return nil
	}
	var out []assignment
	for name, a := range attrs {
		out = append(out, assignment{name: name, rng: a.NameRange})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].rng.Start.Byte < out[j].rng.Start.Byte })
	return out
}

// undeclared checks the values given for variables against what the root
// modules declare: --var (an error), --var-file (a note, when no root
// declares the name) and each root's own terraform.tfvars and
// *.auto.tfvars (a note, when that root does not). Nothing is said when a
// root's files could not all be read.
func undeclared(vars []VarArg, scans *scanner, roots []string) (errs hcl.Diagnostics, notes []input.Missing) {
	if len(roots) == 0 {
		return nil, nil
	}
	// What the roots declare is read only where a value is given: for all
	// of them with --var or --var-file, else for the roots with variables
	// files of their own.
	// A root whose files could not all be read may declare anything.
	byRoot := map[string]map[string]bool{}
	for _, dir := range roots {
		if len(vars) == 0 && len(scans.get(dir).varFiles) == 0 {
			continue
		}
		names, ok := scans.declared(dir)
		if !ok {
			return nil, nil
		}
		byRoot[dir] = names
	}
	all := map[string]bool{}
	for _, names := range byRoot {
		for n := range names {
			all[n] = true
		}
	}
	for _, v := range vars {
		if v.File != "" {
			for _, a := range assignments(v.File) {
				if !all[a.name] {
					notes = append(notes, undeclaredNote(a, v.File, all, "no root module canpull scanned declares"))
				}
			}
			continue
		}
		name, _, ok := strings.Cut(v.Assignment, "=")
		name = strings.TrimSpace(name)
		if !ok || all[name] {
			continue
		}
		errs = append(errs, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Value for undeclared variable",
			Detail: fmt.Sprintf("--var %q: no root module that canpull scanned declares a variable %q, and Terraform refuses such a value.%s",
				name+"=…", name, strings.Replace(didYouMean(name, all), "; did", " Did", 1)),
		})
	}
	for _, dir := range roots {
		for _, f := range scans.get(dir).varFiles {
			for _, a := range assignments(f) {
				if !byRoot[dir][a.name] {
					notes = append(notes, undeclaredNote(a, f, byRoot[dir], "the root module in "+dir+" does not declare"))
				}
			}
		}
	}
	return errs, notes
}

func undeclaredNote(a assignment, file string, declared map[string]bool, why string) input.Missing {
	return input.Missing{
		What: fmt.Sprintf("%s assigns variable %q, which %s", filepath.Base(file), a.name, why),
		Why: "Terraform ignores the value, with a warning (\"Value for undeclared variable\"), and the variable it was meant for keeps its default." +
			strings.Replace(didYouMean(a.name, declared), "; did", " Did", 1),
		Hint:  fmt.Sprintf("declare variable %q, or correct the name", a.name),
		Range: a.rng,
	}
}

// didYouMean is "; did you mean \"image\"?" for the closest declared name,
// when one is close.
func didYouMean(name string, declared map[string]bool) string {
	best, bestDist := "", 1+min(3, (len(name)+2)/3)
	for d := range declared {
		if dist := levenshtein.Distance(strings.ToLower(name), strings.ToLower(d), nil); dist < bestDist || dist == bestDist && d < best {
			best, bestDist = d, dist
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}
