package model

import "strings"

// Facts of AWS's naming that every part of canpull reads the same way.

// ARNAccount returns the account of an ARN ("arn:aws:iam::111122223333:role/x"
// gives "111122223333"), or "" when the ARN has no twelve-digit account: a
// placeholder such as <account-id> names no account.
func ARNAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" || len(parts[4]) != 12 {
		return ""
	}
	for _, c := range parts[4] {
		if c < '0' || c > '9' {
			return ""
		}
	}
	return parts[4]
}

// Partition is the AWS partition of a region: "aws-cn" for China,
// "aws-us-gov" for GovCloud, "aws" otherwise.
func Partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// PlaceTokensOnly reports whether the only tokens of an ARN stand for its
// partition, region or account, each a whole segment, as the Terraform
// adapter writes them when the configuration does not fix them:
// "arn:aws:ssm:eu-west-1:${data.aws_caller_identity.current.account_id}:parameter/db".
// Such an ARN still names one resource in an unknown place.
func PlaceTokensOnly(arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" || HasToken(parts[2]) || HasToken(parts[5]) {
		return false
	}
	for i, attr := range map[int]string{1: "partition", 3: "region", 4: "account_id"} {
		if !HasToken(parts[i]) {
			continue
		}
		if t, ok := ParseToken(parts[i]); !ok || t.Attr != attr {
			return false
		}
	}
	return true
}
