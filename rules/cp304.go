package rules

import (
	"fmt"
	"strings"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/image"
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
			who := publisherOf(pass, td, c)
			pass.Report(lint.Finding{
				Range:   c.Image.Range,
				Key:     td.Addr + "/" + c.Name.V,
				Message: headline,
				Detail:  mutableTagDetail(td, c, ref, who),
				Fix:     mutableTagFix(who, pass.Config, c),
			})
		}
	}
}

// publisher is who pushes an image's tags, as far as the configuration
// shows: it decides what the finding can tell the user to do.
type publisher int

const (
	// publisherUnknown: the user's own build or someone else's.
	publisherUnknown publisher = iota
	// publisherUser: the ECR of the configuration, which the user's
	// pipeline pushes to (a repository it declares, or the task's own
	// account).
	publisherUser
	// publisherVendor: an official image of Docker Hub, or its copy on
	// ECR Public (public.ecr.aws/docker/library/…), which someone else
	// publishes.
	publisherVendor
)

func publisherOf(pass *lint.Pass, td *model.TaskDefinition, c *model.Container) publisher {
	p := imageOf(pass.Config, c)
	if !p.known {
		return publisherUnknown
	}
	info := p.info
	switch info.Kind {
	case image.DockerHub:
		if strings.HasPrefix(info.Repository, "library/") {
			return publisherVendor
		}
	case image.PublicECR:
		if strings.HasPrefix(info.Repository, "docker/library/") {
			return publisherVendor
		}
	case image.PrivateECR:
		if rule, _ := cacheRuleFor(pass.Scanned, info); rule != nil {
			return publisherUnknown // a copy of an upstream image
		}
		if p.repo != nil || (info.Account != "" && info.Account == taskAccount(pass, td)) {
			return publisherUser
		}
	}
	return publisherUnknown
}

func mutableTagDetail(td *model.TaskDefinition, c *model.Container, ref imageRef, who publisher) string {
	what := fmt.Sprintf("Container %s of %s pulls %s", containerLabel(td, c), name(td), ref.shown)
	if ref.tag == "" {
		what += ", which has no tag, so the runtime asks for :latest"
	} else {
		what += " by the tag latest"
	}
	const notFound = "`CannotPullContainerError: ... manifest for ...:latest not found: manifest unknown`"
	switch who {
	case publisherUser:
		return what + ". ECR never creates latest by itself: if your pipeline pushes only version tags, the pull fails with " + notFound + ".\n" +
			"If it does push latest, the tag moves, and tasks started before and after a push run different images."
	case publisherVendor:
		return what + ", which its publisher moves to each new release: tasks started before and after a release run different images, " +
			"and a release can change or break the container with no change to the task definition (rolling the task definition back does not roll the image back).\n" +
			"Not every image has a latest tag; where it has none, the pull fails with " + notFound + "."
	}
	return what + ". Whoever publishes the image decides whether latest exists and where it points. " +
		"If your pipeline builds it and pushes only version tags, no registry creates latest, and the pull fails with " + notFound + "; " +
		"if someone else publishes it, latest moves with each of their releases.\n" +
		"Either way the tag moves, and tasks started before and after a push run different images."
}

func mutableTagFix(who publisher, cfg *model.Config, c *model.Container) string {
	switch who {
	case publisherUser:
		return "pin the image to a version tag that your build pushes (`app:1.4.2`, `app:git-3f2a9c1`), or to a digest (`app@sha256:…`)"
	case publisherVendor:
		n := imageOf(cfg, c).info.Name()
		return "pin the image to a version tag that its publisher publishes (`" + n + ":VERSION`), or to the digest of one (`" + n + "@sha256:…`)"
	}
	return "pin the image to a version tag, one your build pushes (`app:git-3f2a9c1`) or one its publisher publishes (`app:1.4.2`), or to a digest (`app@sha256:…`)"
}
