package taskdef

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/canpull/canpull/lint/input"
)

// MaxSize bounds the ECS JSON documents canpull reads.
const MaxSize = 16 << 20

// NewInput returns the input that reads ECS JSON documents.
func NewInput() input.Input { return jsonInput{} }

type jsonInput struct{}

func (jsonInput) Name() string { return "ecs-json" }

// Claim takes the .json files whose head is an ECS document. A head cut
// short of the whole file is taken on the key names alone, and Load
// decides on the whole document.
func (jsonInput) Claim(path string, head func() []byte) bool {
	if !strings.HasSuffix(path, ".json") || strings.HasSuffix(path, ".tf.json") || strings.HasSuffix(path, ".tfvars.json") {
		return false
	}
	src := head()
	if src == nil {
		return false
	}
	if Detect(src) != None {
		return true
	}
	return len(src) >= input.HeadSize && startsWithObject(src) && containsAny(src, ecsKeys)
}

// Load reads the ECS documents among files into one configuration, so
// that a service finds its task definition.
func (jsonInput) Load(ctx context.Context, files []input.File, _ input.Env) input.Loaded {
	out := input.Loaded{Sources: map[string][]byte{}}
	files = sortedByPath(files)
	var docs []File
	for _, f := range files {
		if ctx.Err() != nil {
			out.Diags = append(out.Diags, input.NotFinished(ctx, f.Path))
			continue
		}
		src, err := f.Read(MaxSize)
		var big *input.TooLargeError
		if errors.As(err, &big) {
			// Say so only of what looks like an ECS document.
			if head, _ := input.ReadHead(f.Path, input.HeadSize); Detect(head) != None {
				out.Diags = append(out.Diags, input.FileError(f.Path, "File too large",
					fmt.Sprintf("%s is %d bytes; canpull reads ECS JSON documents of up to %d bytes.", f.Path, big.Size, MaxSize)))
			}
			continue
		}
		if err != nil {
			out.Diags = append(out.Diags, input.FileError(f.Path, "Cannot read file", err.Error()))
			continue
		}
		if Detect(src) == None {
			continue
		}
		out.Sources[f.Path] = src
		docs = append(docs, File{Name: f.Path, Src: src, Root: f.Root})
	}
	if len(docs) == 0 {
		return out
	}
	cfg, diags := loadFilled(docs, filledIn(docs))
	out.Configs = append(out.Configs, cfg)
	out.Diags = append(out.Diags, diags...)
	return out
}

func sortedByPath(files []input.File) []input.File {
	out := append([]input.File(nil), files...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}
