package rules

import (
	"fmt"
	"strings"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/model"
)

var ImageNotFound = register(&lint.Rule{
	ID:       "CP308",
	Name:     "image-not-found",
	Severity: lint.Error,
	Summary:  "With --check-images: the registry says the image's repository, tag or digest does not exist.",
	// The registry's own answer; a pull through cache rule outside the
	// scanned configuration could still create the image on pull.
	Precision: "high",
	Tags:      []string{"registry-check", "image-tag"},
	Run:       runImageNotFound,
})

func runImageNotFound(pass *lint.Pass) {
	for _, ci := range checkedImages(pass.Config) {
		ck := ci.check
		switch ck.Outcome {
		case model.ImageUnverified:
			noteUnknown(pass, ci.c.Image.Range, ci.key(), fmt.Sprintf("whether %s exists: %s", shortImage(ci.c.Image.V), clipWords(ck.Words, 60)),
				fmt.Sprintf("canpull asked %s about %s and got no answer it could use: %s.", ck.Host, ci.c.Image.V, ck.Words),
				"see the registry check's credentials in canpull's README, or run canpull where the registry answers")
		case model.ImageNotFound:
			if why := notFoundDoubt(pass, ci); why != "" {
				noteUnknown(pass, ci.c.Image.Range, ci.key(), fmt.Sprintf("whether %s exists", shortImage(ci.c.Image.V)),
					fmt.Sprintf("%s says %s, but %s.", ck.Host, ck.Words, why),
					"check the image with the credentials ECS uses")
				continue
			}
			reportNotFound(pass, ci)
		}
	}
}

// notFoundDoubt says why a registry's "not found" may not be what ECS
// will see, or "".
func notFoundDoubt(pass *lint.Pass, ci checkedImage) string {
	if ci.check.Anonymous && ci.c.HasCredentials {
		return "canpull asked without credentials, and the container pulls with its repositoryCredentials, which may see more"
	}
	if ci.info.Kind == image.PrivateECR {
		if rule, unknown := cacheRuleFor(pass.Scanned, ci.info); rule != nil || unknown {
			return "a pull through cache rule may serve the repository, and ECR creates what it lacks on the first pull"
		}
	}
	return ""
}

func reportNotFound(pass *lint.Pass, ci checkedImage) {
	ck := ci.check
	ref := ci.info
	var what, fix string
	switch ck.Missing {
	case model.MissingRepository:
		what = "its repository does not exist"
		fix = "push the image, or correct the repository's name"
	case model.MissingDigest:
		what = "the registry has no manifest with that digest"
		fix = "pin the digest that your build pushed (`docker buildx imagetools inspect IMAGE` shows it)"
	default:
		what = "the registry has no tag " + ref.Tag
		fix = "push the tag, or use one that exists"
		if len(ck.ClosestTags) > 0 {
			fix = fmt.Sprintf("push the tag, or use one that exists: %s", strings.Join(ck.ClosestTags, ", "))
		}
	}
	msg := fit(fmt.Sprintf("container %s pulls %s, but %s", containerLabel(ci.td, ci.c), ci.shown(), what),
		fmt.Sprintf("container %s pulls %s, but %s", containerLabel(ci.td, ci.c), shortImage(ci.shown()), what))
	var d strings.Builder
	fmt.Fprintf(&d, "%s answered the check for %s (repository %s) with `%s`.\n", ck.Host, ci.c.Image.V, ref.Repository, ck.Words)
	if ck.Missing == model.MissingDigest {
		fmt.Fprintf(&d, "No manifest in the repository has the digest %s.\n", shortDigest(ref.Digest))
	}
	if len(ck.ClosestTags) > 0 {
		fmt.Fprintf(&d, "The repository has these tags close to %s: %s.\n", ref.Tag, strings.Join(ck.ClosestTags, ", "))
	}
	fmt.Fprintf(&d, "Every task of %s that starts this container fails to pull it: ", name(ci.td))
	switch {
	case ck.Missing == model.MissingRepository:
		d.WriteString("`CannotPullContainerError: ... repository does not exist or may require 'docker login'`.")
	default:
		fmt.Fprintf(&d, "`CannotPullContainerError: ... manifest for %s not found: manifest unknown`.", ref.String())
	}
	pass.Report(lint.Finding{
		Range:   ci.c.Image.Range,
		Key:     ci.key(),
		Message: msg,
		Detail:  d.String(),
		Fix:     fix,
	})
}

func shortDigest(d string) string {
	if len(d) > len("sha256:")+12 {
		return d[:len("sha256:")+12] + "…"
	}
	return d
}
