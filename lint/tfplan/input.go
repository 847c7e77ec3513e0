package tfplan

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/canpull/canpull/lint/input"
)

// MaxSize bounds the plans canpull reads. A plan of a large monorepo runs
// to tens of megabytes, and loading one takes about ten times its size in
// memory (BenchmarkLoad).
const MaxSize = 128 << 20

// NewInput returns the input that reads Terraform plans in JSON.
func NewInput() input.Input { return planInput{} }

type planInput struct{}

func (planInput) Name() string { return "terraform-plan" }

// Claim takes the .json files whose head is a plan's (see Detect), whatever
// their name: plan.json, tfplan.json, plan.out.json.
func (planInput) Claim(path string, head func() []byte) bool {
	if !strings.HasSuffix(path, ".json") || strings.HasSuffix(path, ".tf.json") || strings.HasSuffix(path, ".tfvars.json") ||
		strings.HasSuffix(path, ".tofu.json") {
		return false
	}
	src := head()
	return src != nil && Detect(src)
}

// Load reads each plan into a configuration of its own: a plan is one root
// module's deployment.
func (planInput) Load(ctx context.Context, files []input.File, env input.Env) input.Loaded {
	out := input.Loaded{Sources: map[string][]byte{}}
	files = append([]input.File(nil), files...)
	sort.SliceStable(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	for _, f := range files {
		if ctx.Err() != nil {
			break
		}
		src, err := f.Read(MaxSize)
		var big *input.TooLargeError
		switch {
		case errors.As(err, &big):
			out.Diags = append(out.Diags, input.FileError(f.Path, "File too large",
				fmt.Sprintf("%s is %d bytes; canpull reads plans of up to %d bytes.", f.Path, big.Size, int64(MaxSize))))
			continue
		case err != nil:
			out.Diags = append(out.Diags, input.FileError(f.Path, "Cannot read file", err.Error()))
			continue
		}
		res := Load(f.Path, src, Options{AccountID: env.AccountID})
		out.Diags = append(out.Diags, res.Diags...)
		if res.Config == nil {
			continue
		}
		out.Sources[f.Path] = src
		out.Configs = append(out.Configs, res.Config)
		out.Modules++
		for _, m := range res.Missing {
			out.Missing = append(out.Missing, input.Missing{What: m.What, Why: m.Why, Hint: m.Hint, Range: m.Range})
		}
	}
	return out
}
