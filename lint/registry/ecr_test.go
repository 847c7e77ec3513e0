package registry_test

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/canpull/canpull/lint/model"
	"github.com/canpull/canpull/lint/registry"
	"github.com/canpull/canpull/lint/registry/registrytest"
)

const ecrHost = "111122223333.dkr.ecr.eu-west-1.amazonaws.com"

// awsEnv isolates the AWS SDK from the machine: no shared files, no
// instance metadata, and the given variables.
func awsEnv(t *testing.T, dir string, vars map[string]string) {
	t.Helper()
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
		"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_REGION", "AWS_DEFAULT_REGION"} {
		t.Setenv(k, "")
	}
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "aws-config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "aws-credentials"))
	for k, v := range vars {
		t.Setenv(k, v)
	}
}

// fakeECRAPI answers ecr:GetAuthorizationToken with AWS:password.
func fakeECRAPI(t *testing.T, password string) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if !strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".GetAuthorizationToken") || !strings.Contains(r.Header.Get("Authorization"), "AKIAEXAMPLE") {
			t.Errorf("unexpected ECR request %s %q: %s", r.Header.Get("X-Amz-Target"), r.Header.Get("Authorization"), body)
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		calls.Add(1)
		token := base64.StdEncoding.EncodeToString([]byte("AWS:" + password))
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = io.WriteString(w, `{"authorizationData":[{"authorizationToken":"`+token+`","expiresAt":4102444800,"proxyEndpoint":"https://`+ecrHost+`"}]}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestPrivateECR(t *testing.T) {
	dir := t.TempDir()
	awsEnv(t, dir, map[string]string{"AWS_ACCESS_KEY_ID": "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"})
	api, calls := fakeECRAPI(t, "ecr-password")

	reg := registrytest.NewServer(t, registrytest.WithBasicAuth("AWS", "ecr-password"))
	reg.Push(t, "app:1", registrytest.Image{Platform: linuxAMD64})
	reg.Push(t, "worker:1", registrytest.Image{Platform: linuxAMD64})
	router := registrytest.NewRouter()
	router.Route(ecrHost, reg)

	c := checker(t, registry.Options{Transport: router, Keychain: registry.NewECRKeychain("", registry.ECROptions{Endpoint: api.URL})})
	got := c.CheckImages(t.Context(), []model.ImageQuery{{Image: ecrHost + "/app:1"}, {Image: ecrHost + "/worker:1"}, {Image: ecrHost + "/app:2"}})
	if got[0].Outcome != model.ImageFound || got[1].Outcome != model.ImageFound || got[0].Anonymous {
		t.Errorf("with a token: %+v, %+v", got[0], got[1])
	}
	if got[2].Outcome != model.ImageNotFound || got[2].Missing != model.MissingTag {
		t.Errorf("a missing tag, asked with a token: %+v", got[2])
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d calls to GetAuthorizationToken for one region, want 1", n)
	}
}

// TestCredentialProcessNotRun: a profile whose credentials come from
// credential_process, directly or through source_profile, is declined
// with a note; the program never runs.
func TestCredentialProcessNotRun(t *testing.T) {
	for _, tc := range []struct{ name, profile, config string }{
		{"default profile", "", "[default]\ncredential_process = /bin/sh -c 'touch MARKER'\n"},
		{"source profile", "ci", "[profile ci]\nrole_arn = arn:aws:iam::111122223333:role/ci\nsource_profile = base\n\n[profile base]\ncredential_process = /bin/sh -c 'touch MARKER'\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			marker := filepath.Join(dir, "ran")
			awsEnv(t, dir, map[string]string{"AWS_PROFILE": tc.profile})
			writeFile(t, filepath.Join(dir, "aws-config"), strings.ReplaceAll(tc.config, "MARKER", marker))
			api, calls := fakeECRAPI(t, "unused")
			reg := registrytest.NewServer(t)
			router := registrytest.NewRouter()
			router.Route(ecrHost, reg)

			c := checker(t, registry.Options{Transport: router, Keychain: registry.NewECRKeychain("", registry.ECROptions{Endpoint: api.URL})})
			got := check1(t, c, ecrHost+"/app:1", model.Platform{})
			if got.Outcome != model.ImageUnverified || !strings.Contains(got.Words, "credential_process, which canpull does not run") {
				t.Errorf("got %+v: want a note that credential_process was declined", got)
			}
			if _, err := os.Stat(marker); err == nil {
				t.Fatal("credential_process ran")
			}
			if calls.Load() != 0 {
				t.Error("ECR was asked without credentials")
			}
		})
	}
}
