// Package parsefloor is the floor canpull's speed is compared with: read
// and parse every .tf file under a folder with hclsyntax, on several
// goroutines, and do nothing else. canpull parses and evaluates only the
// root modules that matter, so a run should take less than this.
// BenchmarkParseAll (lint/corpus) runs it in process, and the parsefloor
// command (internal/cmd/parsefloor) on its own, for .ci/bench -p.
package parsefloor

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Counts are what Parse did.
type Counts struct {
	// Files are the .tf files parsed; Broken those with a syntax error
	// (real repositories hold test cases that are meant to be wrong) or
	// that could not be read.
	Files, Broken int
}

// Parse parses every .tf file under dir, but those under .terraform and
// .git folders, on workers goroutines (at least one).
func Parse(dir string, workers int) (Counts, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case e.IsDir() && p != dir && (e.Name() == ".terraform" || e.Name() == ".git"):
			return fs.SkipDir
		case !e.IsDir() && strings.HasSuffix(p, ".tf"):
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return Counts{}, err
	}
	next := make(chan string)
	var broken atomic.Int64
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Go(func() {
			for p := range next {
				src, err := os.ReadFile(p)
				if err != nil {
					broken.Add(1)
					continue
				}
				if _, diags := hclsyntax.ParseConfig(src, p, hcl.InitialPos); diags.HasErrors() {
					broken.Add(1)
				}
			}
		})
	}
	for _, p := range paths {
		next <- p
	}
	close(next)
	wg.Wait()
	return Counts{Files: len(paths), Broken: int(broken.Load())}, nil
}
