package rules

import (
	"strings"

	"github.com/canpull/canpull/lint/image"
)

// What a task calls for each need, and the error AWS prints when the call
// cannot get through, in the words of a stopped task's reason ("..." for
// the parts that vary).

// serviceCalls describes each endpoint service: what the task asks of it,
// and how the task stops when the request cannot get through.
var serviceCalls = map[string]struct{ call, err string }{
	"ecr.api": {
		"the request for an ECR login token (api.ecr.REGION.amazonaws.com)",
		"`ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed caused by: Post \"https://api.ecr.REGION.amazonaws.com/\": dial tcp ...:443: i/o timeout`",
	},
	"ecr.dkr": {
		"the request for the image manifest (HOST)",
		"`CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ...: failed to do request: Head \"https://HOST/v2/...\": dial tcp ...:443: i/o timeout`",
	},
	"s3": {
		"the download of the image layers from S3 (prod-REGION-starport-layer-bucket, where ECR keeps them)",
		"`CannotPullContainerError: ... failed to copy: httpReadSeeker: failed open: failed to do request: Get \"https://prod-REGION-starport-layer-bucket.s3.REGION.amazonaws.com/...\": dial tcp ...:443: i/o timeout`",
	},
	"logs": {
		"the awslogs driver's first call to CloudWatch Logs (logs.REGION.amazonaws.com)",
		"`ResourceInitializationError: failed to validate logger args: ... signal: killed`",
	},
	"secretsmanager": {
		"the request for the secret (secretsmanager.REGION.amazonaws.com)",
		"`ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): ...`",
	},
	"ssm": {
		"the request for the parameter (ssm.REGION.amazonaws.com)",
		"`ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 5 time(s): RequestCanceled: request context canceled caused by: context deadline exceeded`",
	},
}

// callOf says what the task asks for a need.
func callOf(nd need) string {
	switch {
	case nd.kind == needRegistry:
		return "the pull of " + nd.what
	case nd.kind == needUnknown && nd.pulled:
		return "the image pull"
	case nd.kind == needUnknown:
		return "the request for " + nd.what
	}
	return fill(serviceCalls[nd.service].call, nd)
}

// errorOf is the error a task stops with when a need cannot be reached.
func errorOf(nd need) string {
	switch nd.kind {
	case needUnknown:
		return "`CannotPullContainerError: ... dial tcp ...:443: i/o timeout`"
	case needRegistry:
		in := nd.image
		host := in.Host
		if host == "docker.io" {
			host = "registry-1.docker.io"
		}
		ref := in.Host + "/" + in.Repository
		return "`CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref " + ref +
			"...: failed to do request: Head \"https://" + host + "/v2/" + in.Repository + "/manifests/...\": dial tcp ...:443: i/o timeout`"
	}
	return fill(serviceCalls[nd.service].err, nd)
}

// fill puts a need's region and registry host into a text.
func fill(s string, nd need) string {
	region := nd.region
	if region == "" {
		region = "REGION"
	}
	host := nd.image.Host
	if nd.image.Kind != image.PrivateECR || host == "" {
		host = "ACCOUNT.dkr.ecr." + region + ".amazonaws.com"
	}
	return strings.NewReplacer("REGION", region, "HOST", host).Replace(s)
}

// serviceTitle names an AWS service for messages.
func serviceTitle(service string) string {
	switch service {
	case "logs":
		return "CloudWatch Logs"
	case "secretsmanager":
		return "Secrets Manager"
	case "ssm":
		return "SSM Parameter Store"
	case "s3":
		return "S3"
	}
	return "ECR"
}

// clause turns a short reason into a clause: "no logs endpoint" becomes
// "there is no logs endpoint".
func clause(reason string) string {
	if strings.HasPrefix(reason, "no ") {
		return "there is " + reason
	}
	return reason
}
