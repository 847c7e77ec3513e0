package terraform

import (
	"math/big"
	"testing"

	"github.com/canpull/canpull/lint/model"
)

// An unknown image tag leaves the rest of container_definitions known, and
// the image is still recognised as the repository's.
func TestContainersWithUnknownTag(t *testing.T) {
	cfg := mustLoad(t, map[string]string{
		"main.tf": `
variable "tag" {}
resource "aws_ecr_repository" "app" {
  name = "app"
}
resource "aws_ecs_task_definition" "app" {
  family = "app"
  container_definitions = jsonencode([{
    name      = "web"
    image     = "${aws_ecr_repository.app.repository_url}:${var.tag}"
    Essential = true
    repository_credentials = { credentialsParameter = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:hub" }
    secrets = [{ name = "DB", valueFrom = "${aws_secretsmanager_secret.db.arn}:password::" }]
  }, {
    name  = "plain"
    image = aws_ecr_repository.app.repository_url
  }, {
    name  = "other"
    image = "${aws_ecr_repository.app.repository_url}-cache:${var.tag}"
  }, {
    name  = "by-name"
    image = "${aws_ecr_repository.app.registry_id}.dkr.ecr.eu-west-1.amazonaws.com/${aws_ecr_repository.app.name}:1.0"
  }])
}
resource "aws_secretsmanager_secret" "db" {
  name = "db"
}
`}, Options{})
	td := cfg.TaskDefinitions[0]
	if !td.ContainersKnown || len(td.Containers) != 4 {
		t.Fatalf("containers known=%v, %d of them", td.ContainersKnown, len(td.Containers))
	}
	web, plain, other, byName := td.Containers[0], td.Containers[1], td.Containers[2], td.Containers[3]
	if byName.ImageRepository.Addr != "aws_ecr_repository.app" {
		t.Errorf("by-name: repository %+v", byName.ImageRepository)
	}
	if web.Image.Known || web.Image.Range.Start.Line != 10 || web.ImageRepository.Addr != "aws_ecr_repository.app" {
		t.Errorf("web: image %+v, repository %+v", web.Image, web.ImageRepository)
	}
	if plain.Image.Known || plain.Image.V != model.Token("aws_ecr_repository.app", "repository_url") ||
		plain.ImageRepository.Addr != "aws_ecr_repository.app" {
		t.Errorf("plain: image %+v, repository %+v", plain.Image, plain.ImageRepository)
	}
	if other.ImageRepository.Addr != "" {
		t.Errorf("other names another repository, got %+v", other.ImageRepository)
	}
	// Keys keep their HCL ranges; keys that differ only in case are
	// written as ECS spells them, as the provider reads them.
	keys := map[string]int{}
	for _, f := range web.Fields.Fields {
		keys[f.Key] = f.KeyRange.Start.Line
	}
	if keys["essential"] != 11 || keys["repository_credentials"] != 12 || keys["Essential"] != 0 {
		t.Errorf("keys %v", keys)
	}
	if s := web.Secrets; len(s) != 1 || !s[0].SelectsPart || s[0].ValueFrom.Addr != "aws_secretsmanager_secret.db" {
		t.Errorf("secrets %+v", s)
	}
}

// An image built from a pull through cache rule's registry ID and prefix is
// rendered when the account and region are known.
func TestImageFromCacheRule(t *testing.T) {
	cfg := mustLoad(t, map[string]string{
		"main.tf": `
provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["123456789012"]
}
resource "aws_ecr_pull_through_cache_rule" "hub" {
  ecr_repository_prefix = "docker-hub"
  upstream_registry_url = "registry-1.docker.io"
}
resource "aws_ecs_task_definition" "app" {
  family = "app"
  container_definitions = jsonencode([{
    name  = "web"
    image = "${aws_ecr_pull_through_cache_rule.hub.registry_id}.dkr.ecr.eu-west-1.amazonaws.com/${aws_ecr_pull_through_cache_rule.hub.ecr_repository_prefix}/library/nginx:1.27"
  }])
}
`}, Options{})
	c := cfg.TaskDefinitions[0].Containers[0]
	if want := "123456789012.dkr.ecr.eu-west-1.amazonaws.com/docker-hub/library/nginx:1.27"; !c.Image.Known || c.Image.V != want {
		t.Errorf("image %+v, want %q", c.Image, want)
	}
}

// numberText writes what Text('f', -1) writes, at every precision, for
// whole numbers it writes itself and for those it leaves to math/big.
func TestNumberText(t *testing.T) {
	values := []string{"0", "-0", "1", "-1", "5", "100", "512", "1000000", "123456789",
		"9007199254740991", "9007199254740992", "9007199254740993", "1152921504606846976",
		"-9223372036854775808", "9223372036854775807", "9223372036854775808", "1e20",
		"1.5", "0.1", "-2.25", "1e-7", "3e300"}
	for _, prec := range []uint{2, 10, 24, 53, 64, 512} {
		for _, s := range values {
			f, _, err := big.ParseFloat(s, 10, prec, big.ToNearestEven)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := numberText(f), f.Text('f', -1); got != want {
				t.Errorf("numberText(%s at %d bits) = %q, want %q", s, prec, got, want)
			}
		}
	}
	for i := int64(-3000); i <= 3000; i += 7 {
		for _, prec := range []uint{4, 8, 53, 512} {
			f := new(big.Float).SetPrec(prec).SetInt64(i)
			if got, want := numberText(f), f.Text('f', -1); got != want {
				t.Errorf("numberText(%d at %d bits) = %q, want %q", i, prec, got, want)
			}
		}
	}
}
