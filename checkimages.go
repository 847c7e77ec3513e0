package main

import (
	"os"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/model"
	"github.com/canpull/canpull/lint/registry"
	"github.com/canpull/canpull/rules"
)

// The registry check is the one part of canpull that opens the network,
// and only here, with --check-images, is it constructed.

// noCacheEnv turns the cache of registry answers off, as --no-image-cache
// does, when set to anything.
const noCacheEnv = "CANPULL_NO_IMAGE_CACHE"

// newRegistryChecker constructs the checker; tests replace it to see
// whether, and how, the command asks for one.
var newRegistryChecker = func(opts registry.Options) (model.ImageChecker, error) {
	return registry.New(opts)
}

// imageChecker returns the checker for --check-images, or nil when none of
// the registry rules runs: then nothing is asked.
func imageChecker(o *options, selected []*lint.Rule) (model.ImageChecker, error) {
	on := map[string]bool{}
	for _, r := range selected {
		on[r.ID] = true
	}
	if !on[rules.ImageNotFound.ID] && !on[rules.ImagePlatformMissing.ID] && !on[rules.ImageExceedsStorage.ID] {
		return nil, nil
	}
	opts := registry.Options{
		Timeout:   o.imageTimeout,
		Platforms: on[rules.ImagePlatformMissing.ID] || on[rules.ImageExceedsStorage.ID],
		Sizes:     on[rules.ImageExceedsStorage.ID],
		UserAgent: "canpull/" + currentVersion().Version,
	}
	if !o.noImageCache && os.Getenv(noCacheEnv) == "" {
		opts.CacheDir = registry.CacheDir()
	}
	return newRegistryChecker(opts)
}
