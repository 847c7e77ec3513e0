package registry_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/canpull/canpull/lint/model"
	"github.com/canpull/canpull/lint/registry"
	"github.com/canpull/canpull/lint/registry/registrytest"
)

// BenchmarkCheckImages asks an in-process registry about 40 multi-platform
// images (80 queries: each for two platforms), with platforms and sizes,
// cold and from a warm cache.
func BenchmarkCheckImages(b *testing.B) {
	s := registrytest.NewServer(b)
	var qs []model.ImageQuery
	for i := range 40 {
		ref := fmt.Sprintf("app%d:1", i)
		s.Push(b, ref, registrytest.Image{Platform: linuxAMD64}, registrytest.Image{Platform: linuxARM64})
		qs = append(qs, model.ImageQuery{Image: s.Host + "/" + ref, Platform: taskAMD64}, model.ImageQuery{Image: s.Host + "/" + ref, Platform: taskARM64})
	}
	run := func(b *testing.B, opts registry.Options) {
		opts.Platforms, opts.Sizes = true, true
		opts.Keychain = registry.NewKeychain("", nil)
		for b.Loop() {
			c, err := registry.New(opts)
			if err != nil {
				b.Fatal(err)
			}
			for _, got := range c.CheckImages(context.Background(), qs) {
				if got.Outcome != model.ImageFound || got.CompressedSize <= 0 {
					b.Fatalf("%+v", got)
				}
			}
		}
	}
	b.Run("cold", func(b *testing.B) { run(b, registry.Options{}) })
	b.Run("cached", func(b *testing.B) { run(b, registry.Options{CacheDir: b.TempDir()}) })
}
