package rules

import "testing"

// An image too long for a headline keeps its end, cut where a name
// begins: the reader sees whole names.
func TestShortImage(t *testing.T) {
	for in, want := range map[string]string{
		"public.ecr.aws/docker/library/httpd:2.4":                                          "public.ecr.aws/docker/library/httpd:2.4",
		"111122223333.dkr.ecr.eu-west-1.amazonaws.com/platform/team/application:1.4.2-rc1": "…/platform/team/application:1.4.2-rc1",
		"module.container_image_ecr.aws_ecr_repository.this[0].repository_url":             "…aws_ecr_repository.this[0].repository_url",
	} {
		if got := shortImage(in); got != want {
			t.Errorf("shortImage(%q) = %q, want %q", in, got, want)
		}
	}
}
