package registry

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/google/go-containerregistry/pkg/authn"

	"github.com/canpull/canpull/lint/image"
)

// Private ECR asks for a token from ecr:GetAuthorizationToken, signed with
// the standard AWS credential chain (environment, shared configuration and
// SSO cache, web identity, container and instance roles), in-process with
// aws-sdk-go-v2. One profile setting would make the SDK run a program,
// credential_process; canpull checks the profile first and declines it.

// ecrAuth gets one token per region and run; tokens are never written to
// disk.
type ecrAuth struct {
	// endpoint replaces ECR's API endpoint (tests).
	endpoint string
	timeout  time.Duration

	mu     sync.Mutex
	tokens map[string]ecrToken
}

type ecrToken struct {
	auth authn.Authenticator
	err  error
}

// ECROptions adjust how private ECR is asked, for tests.
type ECROptions struct {
	// Endpoint is ECR's API endpoint ("http://127.0.0.1:PORT").
	Endpoint string
}

func newECRAuth(o *ECROptions) *ecrAuth {
	e := &ecrAuth{timeout: DefaultTimeout, tokens: map[string]ecrToken{}}
	if o != nil {
		e.endpoint = o.Endpoint
	}
	return e
}

// NewECRKeychain is NewKeychain with private ECR asked through an ECR API
// at opts.Endpoint (tests).
func NewECRKeychain(dockerConfig string, opts ECROptions) Keychain {
	return NewKeychain(dockerConfig, newECRAuth(&opts))
}

func (e *ecrAuth) authenticator(ctx context.Context, host string) (authn.Authenticator, error) {
	_, region, _ := image.ParseECRHost(host)
	lower := strings.ToLower(host)
	fips := strings.Contains(lower, "ecr-fips.")
	dual := strings.Contains(lower, ".dkr-ecr")
	key := fmt.Sprintf("%s|%t|%t", region, fips, dual)

	e.mu.Lock()
	defer e.mu.Unlock()
	if t, ok := e.tokens[key]; ok {
		return t.auth, t.err
	}
	a, err := e.token(ctx, region, fips, dual)
	e.tokens[key] = ecrToken{a, err}
	return a, err
}

func (e *ecrAuth) token(ctx context.Context, region string, fips, dual bool) (authn.Authenticator, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*e.timeout)
	defer cancel()
	cfg, err := loadAWSConfig(ctx, region)
	if err != nil {
		return nil, err
	}
	client := ecr.NewFromConfig(cfg, func(o *ecr.Options) {
		if fips {
			o.EndpointOptions.UseFIPSEndpoint = aws.FIPSEndpointStateEnabled
		}
		if dual {
			o.EndpointOptions.UseDualStackEndpoint = aws.DualStackEndpointStateEnabled
		}
		if e.endpoint != "" {
			o.BaseEndpoint = aws.String(e.endpoint)
		}
		o.RetryMaxAttempts = 1
	})
	out, err := client.GetAuthorizationToken(ctx, &ecr.GetAuthorizationTokenInput{})
	if err != nil {
		return nil, &credentialsError{"ecr:GetAuthorizationToken in " + region + " failed: " + clip(shortAWSError(err), maxWords)}
	}
	if len(out.AuthorizationData) == 0 || out.AuthorizationData[0].AuthorizationToken == nil {
		return nil, &credentialsError{"ecr:GetAuthorizationToken in " + region + " returned no token"}
	}
	dec, err := base64.StdEncoding.DecodeString(*out.AuthorizationData[0].AuthorizationToken)
	user, pass, ok := strings.Cut(string(dec), ":")
	if err != nil || !ok {
		return nil, &credentialsError{"ecr:GetAuthorizationToken in " + region + " returned a token canpull cannot read"}
	}
	return authn.FromConfig(authn.AuthConfig{Username: user, Password: pass}), nil
}

// loadAWSConfig loads the AWS configuration for a region, unless its
// credentials would come from credential_process.
func loadAWSConfig(ctx context.Context, region string) (aws.Config, error) {
	env, err := config.NewEnvConfig()
	if err != nil {
		return aws.Config{}, &credentialsError{"cannot read the AWS environment: " + err.Error()}
	}
	if p := credentialProcessProfile(ctx, env); p != "" {
		return aws.Config{}, &credentialsError{fmt.Sprintf("the AWS profile %q gets its credentials from credential_process, which canpull does not run; "+
			"export AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or use a profile with SSO or static keys", p)}
	}
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(region))
	if err != nil {
		return aws.Config{}, &credentialsError{"cannot load the AWS configuration: " + err.Error()}
	}
	return cfg, nil
}

// credentialProcessProfile names the profile whose credential_process the
// SDK would run (the chosen profile or a source_profile it assumes a role
// from), or "". Environment credentials and web identity come first in the
// chain, and then no profile is read.
func credentialProcessProfile(ctx context.Context, env config.EnvConfig) string {
	if env.Credentials.HasKeys() || env.WebIdentityTokenFilePath != "" {
		return ""
	}
	profile := env.SharedConfigProfile
	if profile == "" {
		profile = "default"
	}
	sc, err := config.LoadSharedConfigProfile(ctx, profile, func(o *config.LoadSharedConfigOptions) {
		if env.SharedConfigFile != "" {
			o.ConfigFiles = []string{env.SharedConfigFile}
		}
		if env.SharedCredentialsFile != "" {
			o.CredentialsFiles = []string{env.SharedCredentialsFile}
		}
	})
	if err != nil {
		var missing config.SharedConfigProfileNotExistError
		if errors.As(err, &missing) {
			return ""
		}
		// A profile canpull cannot read: LoadDefaultConfig will say why.
		return ""
	}
	for p, depth := &sc, 0; p != nil && depth < 16; p, depth = p.Source, depth+1 {
		if p.CredentialProcess != "" {
			return p.Profile
		}
		if p.Credentials.HasKeys() {
			return ""
		}
	}
	return ""
}

// shortAWSError keeps the service's message, without the SDK's operation
// preamble.
func shortAWSError(err error) string {
	s := err.Error()
	if i := strings.Index(s, "api error "); i >= 0 {
		return s[i+len("api error "):]
	}
	return s
}
