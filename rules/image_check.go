package rules

import (
	"fmt"
	"math"
	"strings"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/model"
)

// What the CP308–CP310 rules share: they read the registry's answers that
// --check-images attached to containers (model.ImageCheck), and report
// nothing where there is none.

// checkedImage is one container whose image the registry was asked about.
type checkedImage struct {
	td    *model.TaskDefinition
	c     *model.Container
	check *model.ImageCheck
	info  image.Info
}

func (ci checkedImage) key() string { return ci.td.Addr + "/" + ci.c.Name.V }

// checkedImages lists the containers of the configuration with an answer.
func checkedImages(cfg *model.Config) []checkedImage {
	var out []checkedImage
	for _, td := range cfg.TaskDefinitions {
		for _, c := range td.Containers {
			if c.ImageCheck == nil || !c.Image.Known {
				continue
			}
			info, err := image.Parse(c.Image.V)
			if err != nil {
				continue
			}
			out = append(out, checkedImage{td: td, c: c, check: c.ImageCheck, info: info})
		}
	}
	return out
}

// platformFact is the runtime platform fact to point at as related.
func platformRelated(td *model.TaskDefinition) []lint.Related {
	var rel []lint.Related
	if td.CPUArchitecture.Set && td.CPUArchitecture.Known {
		rel = append(rel, lint.Related{Range: td.CPUArchitecture.Range, Message: "cpu architecture " + td.CPUArchitecture.V})
	}
	if td.OSFamily.Set && td.OSFamily.Known {
		rel = append(rel, lint.Related{Range: td.OSFamily.Range, Message: "operating system family " + td.OSFamily.V})
	}
	return rel
}

// gib renders bytes as GiB with one decimal: "23.4 GiB".
func gib(n int64) string {
	return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
}

func ceilGiB(n int64) int { return int(math.Ceil(float64(n) / (1 << 30))) }

func platformList(ps []model.Platform) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.String())
	}
	if len(s) == 0 {
		return "no platform"
	}
	return strings.Join(s, ", ")
}

// shown is the image for a headline: its digest, if any, cut short.
func (ci checkedImage) shown() string {
	if ci.info.Digest == "" {
		return ci.c.Image.V
	}
	s := ci.info.Name()
	if ci.info.Tag != "" {
		s += ":" + ci.info.Tag
	}
	return s + "@" + shortDigest(ci.info.Digest)
}

// clipWords cuts a registry's words for a headline; the body has them whole.
func clipWords(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
