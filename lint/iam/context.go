package iam

import "strings"

// Context holds the request's condition keys that the configuration
// determines. Keys are case-insensitive. A key that is not in the map may
// or may not be in the request, with any value: conditions on it are
// undecided. A key set with no values is known to be absent.
type Context map[string][]string

// Set records a key's values; with none, the key is known to be absent.
func (c Context) Set(key string, values ...string) Context {
	if values == nil {
		values = []string{}
	}
	c[strings.ToLower(key)] = values
	return c
}

// lookup returns a key's values: known is false when the request may hold
// anything under the key; present is false when it is known to be absent.
func (c Context) lookup(key string) (values []string, present, known bool) {
	v, ok := c[strings.ToLower(key)]
	if !ok {
		return nil, false, false
	}
	return v, len(v) > 0, true
}

// single returns a key's one known value, for policy variables.
func (c Context) single(key string) (string, bool) {
	v, present, known := c.lookup(key)
	if !known || !present || len(v) != 1 || IsUnknown(v[0]) {
		return "", false
	}
	return v[0], true
}

// Context keys that canpull fills in for the requests it models.
const (
	KeyPrincipalAccount = "aws:PrincipalAccount"
	KeyPrincipalArn     = "aws:PrincipalArn"
	KeyPrincipalType    = "aws:PrincipalType"
	KeyPrincipalService = "aws:PrincipalServiceName"
	KeyIsAWSService     = "aws:PrincipalIsAWSService"
	KeySecureTransport  = "aws:SecureTransport"
	KeyRequestedRegion  = "aws:RequestedRegion"
	KeyResourceAccount  = "aws:ResourceAccount"
	KeySourceAccount    = "aws:SourceAccount"
	KeySourceArn        = "aws:SourceArn"
	KeyViaService       = "kms:ViaService"
	KeyCallerAccount    = "kms:CallerAccount"
)

// RoleSessionContext is the part of the request context that a role's
// session determines: its account and ARN (when known), that it is an
// assumed role and not a service, and that the call is made over TLS (the
// ECS agent calls every AWS API over HTTPS).
func RoleSessionContext(p Principal) Context {
	c := Context{}
	if p.Account != "" {
		c.Set(KeyPrincipalAccount, p.Account)
		c.Set(KeyCallerAccount, p.Account)
	}
	if p.ARN != "" {
		c.Set(KeyPrincipalArn, p.ARN)
	}
	c.Set(KeyPrincipalType, "AssumedRole")
	c.Set(KeyIsAWSService, "false")
	c.Set(KeyPrincipalService) // only service principals have it
	c.Set(KeySecureTransport, "true")
	return c
}
