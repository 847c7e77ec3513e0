// Package input is the seam between canpull's driver and the packages that
// read one input format each (lint/terraform, lint/taskdef, …): the
// interface every input implements, what a load returns, and the helpers
// they share for reading files that an untrusted pull request wrote.
//
// The driver walks the path arguments and offers each file to the inputs in
// turn; the first to claim it gets it. It then hands each input the files it
// claimed, all at once, so that an input can see how its files relate (the
// folders of a Terraform root module, the templates of a nested stack).
// Inputs know nothing of rules, and the driver knows nothing of formats:
// both meet at the model.
package input

import (
	"context"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/model"
)

// Input reads one format into the model.
//
// An Input value holds only the settings given when it was made (variable
// values, parameters): everything a load learns goes into its Loaded, so
// that one value serves any number of runs, one after another or at once.
type Input interface {
	// Name names the format in messages: "terraform", "ecs-json".
	Name() string
	// Claim reports whether the file is this input's. It decides from the
	// name alone when it can (".tf" yes, ".png" no) and calls head only when
	// the name cannot settle it (".json", ".yaml"): head returns the first
	// HeadSize bytes of the file (all of it when smaller), read once however
	// many inputs ask, or nil when the file must not be read (the user left
	// it out, or it cannot be opened).
	Claim(path string, head func() []byte) bool
	// Load reads the files this input claimed, in the order discovery found
	// them. It stops early, reporting what it left unread, when ctx is done.
	Load(ctx context.Context, files []File, env Env) Loaded
}

// File is one file an input claimed.
type File struct {
	Path string
	// Root is the path argument the file was found under: file functions
	// may read below it.
	Root string
	// Src is the whole file when discovery already read all of it to decide
	// who claims it (non-nil, even when empty); nil when the input must read
	// the file itself (use Read).
	Src []byte
}

// Read returns the file's content: what discovery read, or the file read
// now under limit.
func (f File) Read(limit int64) ([]byte, error) {
	if f.Src != nil {
		if int64(len(f.Src)) > limit {
			return nil, tooLarge(f.Path, int64(len(f.Src)), limit)
		}
		return f.Src, nil
	}
	return ReadFile(f.Path, limit)
}

// Env is what every input of a run shares.
type Env struct {
	// AccountID is the account the tasks run in (--account-id), or "".
	AccountID string
	// LeftOut are files of this input that the user's configuration leaves
	// out (exclude). They are never loaded or reported on, but they may say
	// how the others are used: a folder left out that calls another as a
	// local module still makes that one a module rather than a root. Their
	// Src is nil, and an input that reads them breaks the user's promise.
	// Only files claimed by name are here: a left-out file is not read, so
	// an input that decides by content never claims it.
	LeftOut []File
}

// Loaded is what one input made of its files.
type Loaded struct {
	// Configs are the configurations loaded. The driver checks them in a
	// stable order: by input, then by Dir (configurations of one Dir keep
	// the order given).
	Configs []*model.Config
	// Diags are the files that could not be read, parsed or evaluated,
	// each with its file and line.
	Diags hcl.Diagnostics
	// Sources holds the text of every file read, by the name used in
	// ranges, for output that quotes source lines.
	Sources map[string][]byte
	// Missing are the facts the input could not establish (a module not on
	// disk); the driver turns them into notes of lint.UnverifiedInput.
	Missing []Missing
	// UnusedValues are values the files give that nothing takes (a
	// variables file that assigns a variable no root module declares); the
	// driver turns them into notes of lint.UndeclaredVariable.
	UnusedValues []Missing
	// Ignores are the requests to silence findings written in the files
	// (canpull:ignore comments, a template's Metadata), each file's once;
	// see Ignore.
	Ignores []Ignore
	// Modules counts the Terraform root modules (or the like) loaded, for
	// the summary.
	Modules int
	// LoadMentioning, when set, loads on demand the parts of the input that
	// Load skipped as irrelevant and whose text mentions one of names (as a
	// string literal): roles that a task definition names by ARN, or that a
	// policy elsewhere may be attached to. It returns only what it adds.
	//
	// It is a field of the result rather than a method of the Input
	// because what it needs (what was skipped, the quick look that judged
	// it) belongs to one run: the Input value stays free of state.
	LoadMentioning func(ctx context.Context, names []string) Loaded
}

// Missing is a fact that an input could not establish, where it is needed,
// and how to supply it.
type Missing struct {
	// What names the fact, as a clause for a headline: `module "vpc"
	// (source "…") is not on disk`.
	What string
	// Why is more about it, for the note's body; "" when What says all.
	Why   string
	Hint  string
	Range hcl.Range
}

// Merge adds b to a: configurations, diagnostics, sources, missing facts,
// ignores and counts. a's LoadMentioning is kept.
func (a *Loaded) Merge(b Loaded) {
	a.Configs = append(a.Configs, b.Configs...)
	a.Diags = append(a.Diags, b.Diags...)
	if a.Sources == nil {
		a.Sources = map[string][]byte{}
	}
	for name, src := range b.Sources {
		a.Sources[name] = src
	}
	a.Missing = append(a.Missing, b.Missing...)
	a.UnusedValues = append(a.UnusedValues, b.UnusedValues...)
	a.Ignores = append(a.Ignores, b.Ignores...)
	a.Modules += b.Modules
}
