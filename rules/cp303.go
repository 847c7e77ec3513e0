package rules

import (
	"errors"
	"fmt"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/ecsschema"
	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/model"
)

var ImageReferenceInvalid = register(&lint.Rule{
	ID:        "CP303",
	Name:      "image-reference-invalid",
	Severity:  lint.Error,
	Precision: "very-high",
	Tags:      []string{"image-reference"},
	Summary:   "A container has no image, or one that is not a valid image reference: AWS refuses to register it, or the container runtime refuses it before it asks any registry.",
	Run:       runImageReferenceInvalid,
})

func runImageReferenceInvalid(pass *lint.Pass) {
	for _, td := range pass.Config.TaskDefinitions {
		for _, c := range td.Containers {
			// An unknown image proves nothing.
			if !c.Image.Known && c.Image.Set && !model.HasToken(c.Image.V) && c.ImageRepository.Addr == "" {
				unverifiedImage(pass, td, c)
			}
			if c.Image.Known && (!c.Image.Set || c.Image.V == "") {
				checkNoImage(pass, td, c)
				continue
			}
			if !c.Image.Known {
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
				Message: fmt.Sprintf("the image of container %s is not a valid image reference: %s", containerLabel(td, c), bad.Reason),
				Detail:  invalidImageDetail(td, c, bad),
				Fix:     "write the image as `[REGISTRY/]REPOSITORY[:TAG][@sha256:DIGEST]`, with a lower-case repository and nothing around it",
			})
		}
	}
}

func invalidImageDetail(td *model.TaskDefinition, c *model.Container, bad *image.Error) string {
	return fmt.Sprintf("Container %s of %s has the image %q, which is not a valid image reference: %s. "+
		"The task stops before any registry is asked.\nIt stops with `CannotPullContainerError: ... invalid reference format`.",
		containerLabel(td, c), name(td), bad.Raw, bad.Reason)
}

// checkNoImage reports a container that has no image, or an empty one: AWS
// refuses to register the task definition. ECS JSON documents are left out:
// a pipeline often fills the image in before it registers them
// (amazon-ecs-render-task-definition sets a named container's image). A
// misspelt "image" key is CP401's.
func checkNoImage(pass *lint.Pass, td *model.TaskDefinition, c *model.Container) {
	if pass.Config.Source == model.SourceJSON || imageMisspelt(c) {
		return
	}
	at, what := c.Range, "has no image"
	var related []lint.Related
	switch {
	case c.Image.Set:
		at, what = c.Image.Range, "has an empty image"
	case writtenElsewhere(c):
		// A module assembled the container from one the user wrote (a
		// module argument): point there, where the image goes, with the
		// module's line as related.
		at = c.Name.Range
		related = []lint.Related{{Range: c.Range, Message: "the container definitions of " + name(td)}}
	}
	pass.Report(lint.Finding{
		Range:   at,
		Related: related,
		Key:     td.Addr + "/" + c.Name.V + "/image",
		Message: fmt.Sprintf("container %s of %s %s", containerLabel(td, c), name(td), what),
		Detail: fmt.Sprintf("Container %s of %s %s. AWS refuses to register the task definition: "+
			"`ClientException: Container.image should not be null or empty.`", containerLabel(td, c), name(td), what),
		Fix: "set image to the container's image, [REGISTRY/]REPOSITORY[:TAG][@sha256:DIGEST]",
	})
}

// writtenElsewhere reports whether a container's name was written outside
// the range of its definition: in the module argument that a module turned
// into the definition.
func writtenElsewhere(c *model.Container) bool {
	n := c.Name.Range
	if !c.Name.Known || n.Filename == "" {
		return false
	}
	return n.Filename != c.Range.Filename || n.Start.Byte < c.Range.Start.Byte || n.End.Byte > c.Range.End.Byte
}

// imageMisspelt reports whether a container has a key that is a near miss
// of "image", which CP401 reports.
func imageMisspelt(c *model.Container) bool {
	if c.Fields == nil {
		return false
	}
	for _, f := range c.Fields.Fields {
		if ecsschema.ContainerDefinition.Field(f.Key) != nil {
			continue
		}
		if sug, ok := ecsschema.Suggest(f.Key, ecsschema.ContainerDefinition); ok && sug.Field.Name == "image" {
			return true
		}
	}
	return false
}
