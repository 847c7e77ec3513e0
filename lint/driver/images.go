package driver

import (
	"context"

	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/model"
)

// checkImages is the opt-in registry step (--check-images): it asks the
// checker about every container image that the configurations fully know,
// with its task's platform, and attaches each answer to its container,
// where rules CP308–CP310 read it. An image that is not fully known is not
// asked about: it stays unknown. The engine never opens the network
// itself: the checker does, and only the command constructs one.
func checkImages(ctx context.Context, configs []*model.Config, checker model.ImageChecker) {
	var qs []model.ImageQuery
	var containers []*model.Container
	for _, cfg := range configs {
		for _, td := range cfg.TaskDefinitions {
			platform, _ := model.TaskPlatform(td)
			for _, c := range td.Containers {
				if !c.Image.Known {
					continue
				}
				if _, err := image.Parse(c.Image.V); err != nil {
					continue // CP303's
				}
				qs = append(qs, model.ImageQuery{Image: c.Image.V, Platform: platform})
				containers = append(containers, c)
			}
		}
	}
	if len(qs) == 0 {
		return
	}
	answers := checker.CheckImages(ctx, qs)
	for i := range min(len(answers), len(containers)) {
		containers[i].ImageCheck = &answers[i]
	}
}
