package cloudformation

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/input"
)

// MaxSize bounds the templates canpull reads. CloudFormation itself takes
// templates of up to 1 MB from S3; CDK output of many stacks stays far
// below this.
const MaxSize = 16 << 20

// NewInput returns the input that reads CloudFormation templates and CDK
// output.
func NewInput(opts Options) input.Input { return cfnInput{opts: opts} }

type cfnInput struct{ opts Options }

func (cfnInput) Name() string { return "cloudformation" }

// Claim takes the .yaml, .yml, .json, .template and .cfn files whose head
// holds a template's marks, and CDK manifests.
func (cfnInput) Claim(path string, head func() []byte) bool {
	if !hasTemplateExt(path) {
		return false
	}
	src := head()
	return src != nil && Claim(path, src)
}

// Load reads the claimed files: all of them at once, so that nested stacks
// and Fn::ImportValue find the templates they name.
func (in cfnInput) Load(ctx context.Context, files []input.File, env input.Env) input.Loaded {
	out := input.Loaded{Sources: map[string][]byte{}}
	sorted := append([]input.File(nil), files...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	var read []File
	for _, f := range sorted {
		if ctx.Err() != nil {
			out.Diags = append(out.Diags, input.NotFinished(ctx, f.Path))
			continue
		}
		src, err := f.Read(MaxSize)
		var big *input.TooLargeError
		if errors.As(err, &big) {
			if head, _ := input.ReadHead(f.Path, input.HeadSize); looksLikeTemplate(head) {
				out.Diags = append(out.Diags, input.FileError(f.Path, "File too large",
					fmt.Sprintf("%s is %d bytes; canpull reads templates of up to %d bytes.", f.Path, big.Size, MaxSize)))
			}
			continue
		}
		if err != nil {
			out.Diags = append(out.Diags, input.FileError(f.Path, "Cannot read file", err.Error()))
			continue
		}
		read = append(read, File{Name: f.Path, Src: src})
	}
	opts := in.opts
	if opts.AccountID == "" {
		opts.AccountID = env.AccountID
	}
	res, diags := LoadContext(ctx, read, opts)
	out.Configs = res.Configs
	out.Diags = append(out.Diags, diags...)
	for name, src := range res.Sources {
		out.Sources[name] = src
	}
	for _, m := range res.Missing {
		out.Missing = append(out.Missing, input.Missing{What: m.What, Hint: m.Hint, Range: m.Range})
	}
	for _, ig := range res.Ignores {
		out.Ignores = append(out.Ignores, input.Ignore{
			Range: ig.Range, Form: "Metadata canpull ignore", Rules: []string{ig.Rule}, Reason: ig.Reason,
			Covers: []hcl.Range{ig.Covers},
			Where:  "in the resource whose Metadata holds it",
			Fix:    "delete the entry, or move it to the Metadata of the resource the finding is in",
		})
	}
	names := make([]string, 0, len(res.YAML))
	for name := range res.YAML {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		igs, ds := commentIgnores(name, res.Sources[name], res.YAML[name])
		out.Ignores = append(out.Ignores, igs...)
		out.Diags = append(out.Diags, ds...)
	}
	return out
}

func hasTemplateExt(path string) bool {
	ext := filepath.Ext(path)
	for _, e := range extensions {
		if ext == e {
			return true
		}
	}
	return false
}

// commentIgnores reads the canpull comments of a YAML template. As in
// HCL, a canpull:ignore applies to its own line when a value shares it,
// otherwise to the line right below it (other comment lines may stand
// between, blank lines may not); it covers that line and the mapping entry
// or list item that starts on it: above a resource's logical ID, the whole
// resource.
func commentIgnores(name string, src []byte, y *YAMLFile) ([]input.Ignore, hcl.Diagnostics) {
	var out []input.Ignore
	var diags hcl.Diagnostics
	comment := commentLines(src, y.Code)
	for _, c := range y.Comments {
		ig, err := input.ParseComment(c.Text, c.Range)
		if err != nil {
			diags = append(diags, err)
			continue
		}
		if ig == nil {
			continue
		}
		if !ig.File {
			if target := targetLine(c.Range.Start.Line, y.Code, comment); target > 0 {
				ig.Covers = []hcl.Range{input.LineRange(name, target)}
				for _, sp := range y.Spans {
					if sp.Line == target {
						ig.Covers = append(ig.Covers, sp.Range)
					}
				}
			}
		}
		out = append(out, *ig)
	}
	return out, diags
}

// commentLines marks the lines that hold only a comment.
func commentLines(src []byte, code map[int]bool) map[int]bool {
	out := map[int]bool{}
	for i, line := range bytes.Split(src, []byte("\n")) {
		if t := bytes.TrimSpace(line); len(t) > 0 && t[0] == '#' && !code[i+1] {
			out[i+1] = true
		}
	}
	return out
}

func targetLine(line int, code, comment map[int]bool) int {
	if code[line] {
		return line
	}
	l := line + 1
	for comment[l] && !code[l] {
		l++
	}
	if code[l] {
		return l
	}
	return 0
}
