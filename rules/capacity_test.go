package rules

import (
	"encoding/base64"
	"reflect"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/model"
)

// TestReadUserData: what canpull reads in a launch template's user data
// decides whether the instances' way out is known (no proxy) and which
// cluster they register with.
func TestReadUserData(t *testing.T) {
	rng := hcl.Range{Filename: "main.tf"}
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	for _, tc := range []struct {
		name    string
		lt      model.LaunchTemplate
		want    userData
		comment string
	}{
		{"left out", model.LaunchTemplate{}, userData{known: true}, "no user data sets nothing"},
		{"unknown", model.LaunchTemplate{UserData: model.UnknownFact[string](rng), UserDataBase64: true}, userData{}, "a variable without a value"},
		{"cluster", model.LaunchTemplate{UserData: model.KnownFact(b64("#!/bin/bash\necho ECS_CLUSTER=main >> /etc/ecs/ecs.config\n"), rng), UserDataBase64: true},
			userData{known: true, cluster: "main"}, "the cluster is read"},
		{"quoted cluster", model.LaunchTemplate{UserData: model.KnownFact(b64("echo 'ECS_CLUSTER=prod-1' >> /etc/ecs/ecs.config"), rng), UserDataBase64: true},
			userData{known: true, cluster: "prod-1"}, "quotes around the line"},
		{"agent proxy", model.LaunchTemplate{UserData: model.KnownFact(b64("ECS_CLUSTER=main\nHTTP_PROXY=10.0.0.5:3128\n"), rng), UserDataBase64: true},
			userData{known: true, proxy: true, cluster: "main"}, "HTTP_PROXY in ecs.config"},
		{"docker proxy", model.LaunchTemplate{UserData: model.KnownFact(b64("echo 'export https_proxy=http://proxy:3128' >> /etc/sysconfig/docker"), rng), UserDataBase64: true},
			userData{known: true, proxy: true}, "a lower-case proxy for Docker"},
		{"no proxy word", model.LaunchTemplate{UserData: model.KnownFact(b64("NO_PROXY=169.254.169.254\n"), rng), UserDataBase64: true},
			userData{known: true}, "NO_PROXY alone sets no proxy"},
		{"bad base64", model.LaunchTemplate{UserData: model.KnownFact("not base64!", rng), UserDataBase64: true}, userData{}, "cannot be decoded"},
		{"gzip", model.LaunchTemplate{UserData: model.KnownFact(b64("\x1f\x8b\x08\x00rest"), rng), UserDataBase64: true}, userData{}, "compressed"},
		{"plain text", model.LaunchTemplate{UserData: model.KnownFact("#!/bin/bash\necho ECS_CLUSTER=main >> /etc/ecs/ecs.config", rng)},
			userData{known: true, cluster: "main"}, "a launch configuration's user_data is plain text"},
		{"token", model.LaunchTemplate{UserData: model.KnownFact(b64("echo ECS_CLUSTER="+model.Token("Cluster", "name")+" >> /etc/ecs/ecs.config"), rng), UserDataBase64: true},
			userData{known: true, clusterAddr: "Cluster"}, "CloudFormation's Ref to the cluster"},
		{"builds", model.LaunchTemplate{UserData: model.KnownFact("docker build --pull -t app:1 .\ndocker build --tag=web:2 web\ndocker tag app:1 'registry.local/app:1'\n# docker buildx ls", rng)},
			userData{known: true, builds: []string{"app:1", "web:2", "registry.local/app:1"}}, "the images made on the instance"},
		{"pull always", model.LaunchTemplate{UserData: model.KnownFact("echo ECS_IMAGE_PULL_BEHAVIOR=always >> /etc/ecs/ecs.config\ndocker build -t app:1 .", rng)},
			userData{known: true, builds: []string{"app:1"}, pullAlways: true}, "the agent never uses them"},
	} {
		got := readUserData(&tc.lt)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s (%s): readUserData = %+v, want %+v", tc.name, tc.comment, got, tc.want)
		}
	}
}

// TestPrefixMatch: a repository creation template covers the names under
// its prefix; ROOT covers every name, below any other prefix.
func TestPrefixMatch(t *testing.T) {
	for _, tc := range []struct {
		prefix, repo string
		want         int
	}{
		{"ROOT", "docker-hub/library/nginx", 0},
		{"docker-hub", "docker-hub/library/nginx", 10},
		{"docker-hub/", "docker-hub/library/nginx", 10},
		{"docker-hub/library", "docker-hub/library/nginx", 18},
		{"docker", "docker-hub/library/nginx", -1},
		{"docker-hub", "docker-hub", 10},
		{"ecr-public", "docker-hub/library/nginx", -1},
	} {
		if got := prefixMatch(tc.prefix, tc.repo); got != tc.want {
			t.Errorf("prefixMatch(%q, %q) = %d, want %d", tc.prefix, tc.repo, got, tc.want)
		}
	}
}

// TestUpstreamOf: which upstream registries need a secret or a role.
func TestUpstreamOf(t *testing.T) {
	for _, tc := range []struct {
		url     string
		auth    upstreamAuth
		account string
	}{
		{"registry-1.docker.io", authSecret, ""},
		{"https://registry-1.docker.io/", authSecret, ""},
		{"ghcr.io", authSecret, ""},
		{"registry.gitlab.com", authSecret, ""},
		{"myregistry.azurecr.io", authSecret, ""},
		{"cgr.dev", authSecret, ""},
		{"public.ecr.aws", authNone, ""},
		{"registry.k8s.io", authNone, ""},
		{"quay.io", authNone, ""},
		{"444455556666.dkr.ecr.eu-west-1.amazonaws.com", authRole, "444455556666"},
		{"registry.example.com", authOther, ""},
	} {
		auth, _, account := upstreamOf(tc.url)
		if auth != tc.auth || account != tc.account {
			t.Errorf("upstreamOf(%q) = %v, %q; want %v, %q", tc.url, auth, account, tc.auth, tc.account)
		}
	}
}
