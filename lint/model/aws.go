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
