package model

import "testing"

func TestSecretSelectsPart(t *testing.T) {
	arn := "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf"
	tok := Token("aws_secretsmanager_secret.db", "arn")
	for s, want := range map[string]bool{
		arn:                   false,
		arn + ":password::":   true,
		arn + "::AWSCURRENT:": true,
		arn + "::::":          false,
		arn + ":::0b1c2d3e":   true,
		"arn:aws:ssm:eu-west-1:111122223333:parameter/app/token": false,
		"app/token":         false,
		tok:                 false,
		tok + ":password::": true,
		tok + ":::":         false,
		tok + "-suffix":     false,
	} {
		if got := SecretSelectsPart(s); got != want {
			t.Errorf("SecretSelectsPart(%q) = %v, want %v", Display(s), got, want)
		}
	}
}
