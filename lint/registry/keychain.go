package registry

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"

	"github.com/canpull/canpull/lint/image"
)

// Credentials, per registry:
//
//   - public registries (Docker Hub, ECR Public, ghcr.io, quay.io,
//     registry.k8s.io): none. ECS pulls them anonymously unless a
//     container has repositoryCredentials, so that is what to ask as.
//   - private ECR: a token from ecr:GetAuthorizationToken with the AWS
//     credential chain, in-process (see ecr.go).
//   - any other registry: the user's Docker configuration
//     ($DOCKER_CONFIG/config.json, else ~/.docker/config.json), its
//     "auths" entries only. A credsStore or credHelpers entry names a
//     program to run; canpull runs none, and says so.

// publicHosts are asked anonymously.
var publicHosts = map[string]bool{
	"docker.io": true, "index.docker.io": true, "registry-1.docker.io": true,
	"public.ecr.aws": true, "ecr-public.aws.com": true,
	"ghcr.io": true, "quay.io": true, "registry.k8s.io": true,
}

// credentialsError says why canpull has no credentials for a registry
// that needs them.
type credentialsError struct{ msg string }

func (e *credentialsError) Error() string { return e.msg }

type keychain struct {
	dockerConfig string // the file, "" for none
	ecr          *ecrAuth

	once   sync.Once
	auths  map[string]authn.AuthConfig
	helper map[string]string // host → the helper canpull did not run
	err    error
}

// DefaultKeychain reads the Docker configuration that the docker command
// would ($DOCKER_CONFIG or ~/.docker) and the AWS credential chain.
func DefaultKeychain() Keychain {
	return NewKeychain(dockerConfigPath(), newECRAuth(nil))
}

// NewKeychain reads Docker credentials from dockerConfig ("" for none)
// and asks ECR with ecr (nil: private ECR is asked anonymously).
func NewKeychain(dockerConfig string, ecr *ecrAuth) Keychain {
	return &keychain{dockerConfig: dockerConfig, ecr: ecr}
}

func dockerConfigPath() string {
	if dir := os.Getenv("DOCKER_CONFIG"); dir != "" {
		return filepath.Join(dir, "config.json")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".docker", "config.json")
}

func (k *keychain) Resolve(r authn.Resource) (authn.Authenticator, error) {
	return k.ResolveContext(context.Background(), r)
}

func (k *keychain) ResolveContext(ctx context.Context, r authn.Resource) (authn.Authenticator, error) {
	host := canonicalHost(r.RegistryStr())
	switch {
	case publicHosts[host]:
		return authn.Anonymous, nil
	case isPrivateECR(host):
		if k.ecr == nil {
			return authn.Anonymous, nil
		}
		return k.ecr.authenticator(ctx, host)
	}
	k.once.Do(k.load)
	if k.err != nil {
		return nil, k.err
	}
	if cfg, ok := k.auths[host]; ok {
		return authn.FromConfig(cfg), nil
	}
	if h := k.helper[host]; h != "" {
		return nil, &credentialsError{fmt.Sprintf("the Docker configuration keeps the credentials for %s in the helper docker-credential-%s, which canpull does not run; "+
			"put them in %s under \"auths\", or leave them out to ask anonymously", host, h, k.dockerConfig)}
	}
	return authn.Anonymous, nil
}

// Anonymous reports whether Resolve gives no credentials for host.
func (k *keychain) Anonymous(host string) bool {
	host = canonicalHost(host)
	switch {
	case publicHosts[host]:
		return true
	case isPrivateECR(host):
		return k.ecr == nil
	}
	k.once.Do(k.load)
	_, ok := k.auths[host]
	return !ok
}

func canonicalHost(h string) string {
	h = strings.ToLower(h)
	if h == name.DefaultRegistry {
		return "docker.io"
	}
	return h
}

func isPrivateECR(host string) bool {
	_, _, ok := image.ParseECRHost(host)
	return ok
}

// dockerConfigFile is the part of ~/.docker/config.json canpull reads.
type dockerConfigFile struct {
	Auths map[string]struct {
		Auth          string `json:"auth"`
		Username      string `json:"username"`
		Password      string `json:"password"`
		IdentityToken string `json:"identitytoken"`
		RegistryToken string `json:"registrytoken"`
	} `json:"auths"`
	CredsStore  string            `json:"credsStore"`
	CredHelpers map[string]string `json:"credHelpers"`
}

const maxDockerConfig = 1 << 20

func (k *keychain) load() {
	k.auths, k.helper = map[string]authn.AuthConfig{}, map[string]string{}
	if k.dockerConfig == "" {
		return
	}
	raw, err := os.ReadFile(k.dockerConfig)
	if os.IsNotExist(err) {
		return
	}
	if err == nil && len(raw) > maxDockerConfig {
		err = fmt.Errorf("it is over %d bytes", maxDockerConfig)
	}
	var f dockerConfigFile
	if err == nil {
		err = json.Unmarshal(raw, &f)
	}
	if err != nil {
		k.err = &credentialsError{fmt.Sprintf("cannot read the Docker configuration %s: %v", k.dockerConfig, err)}
		return
	}
	for key, a := range f.Auths {
		host := canonicalHost(hostOfKey(key))
		cfg := authn.AuthConfig{Username: a.Username, Password: a.Password, IdentityToken: a.IdentityToken, RegistryToken: a.RegistryToken}
		if a.Auth != "" {
			dec, err := base64.StdEncoding.DecodeString(a.Auth)
			user, pass, ok := strings.Cut(string(dec), ":")
			if err != nil || !ok {
				k.err = &credentialsError{fmt.Sprintf("the Docker configuration %s has an \"auth\" for %s that is not base64 of USER:PASSWORD", k.dockerConfig, key)}
				return
			}
			cfg.Username, cfg.Password = user, pass
		}
		if cfg == (authn.AuthConfig{}) {
			continue // an empty entry: the credentials are in credsStore
		}
		k.auths[host] = cfg
	}
	for key, h := range f.CredHelpers {
		host := canonicalHost(hostOfKey(key))
		if _, ok := k.auths[host]; !ok {
			k.helper[host] = h
		}
	}
	if f.CredsStore != "" {
		for key, a := range f.Auths {
			host := canonicalHost(hostOfKey(key))
			if _, ok := k.auths[host]; !ok && a.Auth == "" && k.helper[host] == "" {
				k.helper[host] = f.CredsStore
			}
		}
	}
}

// hostOfKey reads the host of an "auths" key, which may be a URL
// ("https://index.docker.io/v1/") or a bare host.
func hostOfKey(key string) string {
	key = strings.TrimPrefix(strings.TrimPrefix(key, "https://"), "http://")
	host, _, _ := strings.Cut(key, "/")
	return host
}
