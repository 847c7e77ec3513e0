package lint

import (
	"path/filepath"
	"strings"

	"github.com/canpull/canpull/lint/model"
)

// place puts a finding where the user can act on it. A finding at a value
// that the configuration says was written elsewhere and passed along (see
// model.Passage) shows the way it went as related locations. A finding
// inside a module that terraform init downloaded moves to the module block
// in the user's files that leads to it, with its place in the module as a
// related location.
func place(cfg *model.Config, f *Finding) {
	if cfg == nil {
		return
	}
	for _, p := range cfg.Passages(f.Range, f.Key) {
		f.Related = append(f.Related, Related{Range: p.Range, Message: p.Message})
	}
	if d := downloadedAt(cfg, f.Range.Filename); d != nil {
		f.Related = append([]Related{{Range: f.Range, Message: "in " + d.Addr + ", which terraform init downloaded"}}, f.Related...)
		f.Range = d.Call
	}
}

// downloadedAt returns the downloaded module that holds a file, the
// innermost when modules nest.
func downloadedAt(cfg *model.Config, filename string) *model.Downloaded {
	if filename == "" || len(cfg.Downloaded) == 0 {
		return nil
	}
	var best *model.Downloaded
	for i := range cfg.Downloaded {
		d := &cfg.Downloaded[i]
		if strings.HasPrefix(filename, d.Dir+string(filepath.Separator)) && (best == nil || len(d.Dir) > len(best.Dir)) {
			best = d
		}
	}
	return best
}
