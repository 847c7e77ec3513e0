package rules

import (
	"errors"
	"fmt"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/model"
)

var ImageReferenceInvalid = register(&lint.Rule{
	ID:        "CP303",
	Name:      "image-reference-invalid",
	Severity:  lint.Error,
	Precision: "very-high",
	Tags:      []string{"image-reference"},
	Summary:   "A container's image is not a valid image reference: the container runtime refuses it before it asks any registry.",
	Run:       runImageReferenceInvalid,
})

func runImageReferenceInvalid(pass *lint.Pass) {
	for _, td := range pass.Config.TaskDefinitions {
		for _, c := range td.Containers {
			// A left-out or empty image is the register call's problem
			// (`Container.image should not be null or empty`), and
			// pipelines fill an empty one in before they register; a
			// misspelt "image" key is CP401's. An unknown one proves
			// nothing.
			if !c.Image.Known && c.Image.Set && !model.HasToken(c.Image.V) && c.ImageRepository.Addr == "" {
				unverifiedImage(pass, td, c)
			}
			if !c.Image.Known || !c.Image.Set || c.Image.V == "" {
				continue
			}
			_, err := image.Parse(c.Image.V)
			var bad *image.Error
			if !errors.As(err, &bad) {
				continue
			}
			pass.Report(lint.Finding{
				Range:   c.Image.Range,
				Key:     td.Addr + "/" + c.Name.V,
				Message: fmt.Sprintf("the image of container %s is not a valid image reference: %s", c.Name.V, bad.Reason),
				Detail:  invalidImageDetail(td, c, bad),
				Fix:     "write the image as `[REGISTRY/]REPOSITORY[:TAG][@sha256:DIGEST]`, with a lower-case repository and nothing around it",
			})
		}
	}
}

func invalidImageDetail(td *model.TaskDefinition, c *model.Container, bad *image.Error) string {
	return fmt.Sprintf("Container %s of %s has the image %q, which is not a valid image reference: %s. "+
		"The task stops before any registry is asked.\nIt stops with `CannotPullContainerError: ... invalid reference format`.",
		c.Name.V, name(td), bad.Raw, bad.Reason)
}
