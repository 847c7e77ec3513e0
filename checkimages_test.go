package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/canpull/canpull/lint/model"
	"github.com/canpull/canpull/lint/registry"
	"github.com/canpull/canpull/lint/registry/registrytest"
)

// spyChecker records whether the command constructed a registry checker,
// with which options, and answers nothing: it connects nowhere.
type spyChecker struct {
	built   int
	opts    registry.Options
	queries []model.ImageQuery
}

func (s *spyChecker) install(t *testing.T) {
	t.Helper()
	old := newRegistryChecker
	newRegistryChecker = func(opts registry.Options) (model.ImageChecker, error) {
		s.built++
		s.opts = opts
		return s, nil
	}
	t.Cleanup(func() { newRegistryChecker = old })
}

func (s *spyChecker) CheckImages(_ context.Context, qs []model.ImageQuery) []model.ImageCheck {
	s.queries = append(s.queries, qs...)
	out := make([]model.ImageCheck, len(qs))
	for i := range out {
		out[i] = model.ImageCheck{Query: qs[i], Outcome: model.ImageFound, CompressedSize: -1}
	}
	return out
}

// TestNoConnectionWithoutCheckImages: without --check-images (or
// check_images in the configuration) the command never constructs the
// registry check, the only code of canpull that can open a connection;
// with it, it does, once, with the options the selected rules need.
func TestNoConnectionWithoutCheckImages(t *testing.T) {
	dir := filepath.Join("fixtures", "CP308", "fires-missing")
	for _, tc := range []struct {
		name  string
		args  []string
		built bool
	}{
		{"no flag", []string{dir}, false},
		{"flag, but the registry rules are off", []string{"--check-images", "--disable", "CP308,CP309,CP310", dir}, false},
		{"flag", []string{"--check-images", dir}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var spy spyChecker
			spy.install(t)
			var out, errOut bytes.Buffer
			run(append([]string{"--format", "json"}, tc.args...), &out, &errOut)
			if got := spy.built > 0; got != tc.built {
				t.Fatalf("checker constructed: %v, want %v", got, tc.built)
			}
			if tc.built && (spy.built != 1 || len(spy.queries) != 3 || !spy.opts.Platforms || !spy.opts.Sizes || spy.opts.Timeout != registry.DefaultTimeout) {
				t.Errorf("built %d times, %d queries, options %+v", spy.built, len(spy.queries), spy.opts)
			}
		})
	}

	t.Run("configuration file", func(t *testing.T) {
		var spy spyChecker
		spy.install(t)
		cfg := filepath.Join(t.TempDir(), "canpull.hcl")
		if err := os.WriteFile(cfg, []byte("check_images = true\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		var out, errOut bytes.Buffer
		run([]string{"--config", cfg, "--only", "CP308", "--image-timeout", "3s", "--no-image-cache", dir}, &out, &errOut)
		if spy.built != 1 || spy.opts.Platforms || spy.opts.Sizes || spy.opts.Timeout.String() != "3s" || spy.opts.CacheDir != "" {
			t.Errorf("built %d, options %+v: want existence only, 3s, no cache", spy.built, spy.opts)
		}
	})
}

// TestCheckImagesEndToEnd runs the command with --check-images against an
// in-process registry: the real checker, the real protocol.
func TestCheckImagesEndToEnd(t *testing.T) {
	t.Setenv("DOCKER_CONFIG", t.TempDir()) // no credentials of the machine's
	s := registrytest.NewServer(t)
	s.Push(t, "acme/app:1.4.2", registrytest.Image{Platform: v1.Platform{OS: "linux", Architecture: "amd64"}})
	dir := t.TempDir()
	tf := `
resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "ARM64"
  }

  container_definitions = jsonencode([
    { name = "app", image = "HOST/acme/app:1.4.2" },
    { name = "next", image = "HOST/acme/app:1.4.3" },
  ])
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(strings.ReplaceAll(tf, "HOST", s.Host)), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := run([]string{"--check-images", "--no-image-cache", "--color", "never", dir}, &out, &errOut)
	text := out.String()
	if code != exitFindings || !strings.Contains(text, "CP309") || !strings.Contains(text, "has no linux/arm64 image") ||
		!strings.Contains(text, "CP308") || !strings.Contains(text, "has no tag 1.4.3") {
		t.Errorf("exit %d\n%s\n%s", code, text, errOut.String())
	}

	// The same without the flag: nothing about the registry.
	out.Reset()
	if code := run([]string{"--color", "never", dir}, &out, &errOut); code != exitClean || strings.Contains(out.String(), "CP30") {
		t.Errorf("without --check-images: exit %d\n%s", code, out.String())
	}
}
