package rules

import (
	"fmt"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/model"
)

var ImageTagMutable = register(&lint.Rule{
	ID:        "CP304",
	Name:      "image-tag-mutable",
	Severity:  lint.Warning,
	Precision: "high",
	Tags:      []string{"image-tag"},
	Summary:   "A container's image has no tag or the tag latest, and no digest: the pull fails where latest was never pushed, and tasks of one service can run different images.",
	Run:       runImageTagMutable,
})

func runImageTagMutable(pass *lint.Pass) {
	for _, td := range pass.Config.TaskDefinitions {
		for _, c := range td.Containers {
			ref := tagOf(c)
			if !ref.known || ref.digest != "" || (ref.tag != "" && ref.tag != "latest") {
				continue
			}
			headline := fmt.Sprintf("container %s pulls %s by the tag latest", containerLabel(td, c), shortImage(ref.shown))
			if ref.tag == "" {
				headline = fmt.Sprintf("container %s pulls %s without a tag, so by latest", containerLabel(td, c), shortImage(ref.shown))
			}
			pass.Report(lint.Finding{
				Range:   c.Image.Range,
				Key:     td.Addr + "/" + c.Name.V,
				Message: headline,
				Detail:  mutableTagDetail(td, c, ref),
				Fix:     "pin the image to a version tag that your build pushes (`app:1.4.2`, `app:git-3f2a9c1`), or to a digest (`app@sha256:…`)",
			})
		}
	}
}

func mutableTagDetail(td *model.TaskDefinition, c *model.Container, ref imageRef) string {
	what := fmt.Sprintf("Container %s of %s pulls %s", containerLabel(td, c), name(td), ref.shown)
	if ref.tag == "" {
		what += ", which has no tag, so the runtime asks for :latest"
	} else {
		what += " by the tag latest"
	}
	return what + ". Registries such as ECR never create latest by themselves: if your pipeline pushes only version tags, the pull fails with " +
		"`CannotPullContainerError: ... manifest for ...:latest not found: manifest unknown`.\n" +
		"If it does push latest, the tag moves, and tasks started before and after a push run different images."
}
