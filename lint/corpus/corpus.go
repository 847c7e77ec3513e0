// Package corpus writes synthetic but realistic Terraform monorepos with
// ECS JSON documents and CloudFormation templates beside them, for
// benchmarks and load tests. The shape follows real
// repositories: many root modules, most of them with no ECS resource at all
// (buckets, functions, databases, alarms), a few that run services on
// Fargate through local modules with for_each and count, container
// definitions written with jsonencode and templatefile, VPCs with
// endpoints, and IAM policy documents.
package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Spec says how large a corpus to write.
type Spec struct {
	// Files is the number of files to write, roughly (10 to 5,000).
	Files int
	// ECSEvery makes one root module in ECSEvery an ECS one (default 10).
	ECSEvery int
	// ServicesPerRoot is the number of services in each ECS root module
	// (default 4).
	ServicesPerRoot int
}

// Stats is what was written.
type Stats struct {
	Files, Lines, RootModules, ECSRootModules, Services, JSONDocuments, Templates int
}

// Write lays out a corpus under dir.
func Write(dir string, spec Spec) (Stats, error) {
	if spec.ECSEvery <= 0 {
		spec.ECSEvery = 10
	}
	if spec.ServicesPerRoot <= 0 {
		spec.ServicesPerRoot = 4
	}
	w := &writer{dir: dir}
	// Shared local modules, as a monorepo keeps them under modules/.
	w.file("modules/network/main.tf", networkModule)
	w.file("modules/network/variables.tf", networkVariables)
	w.file("modules/network/outputs.tf", networkOutputs)
	w.file("modules/service/main.tf", serviceModule)
	w.file("modules/service/variables.tf", serviceVariables)
	w.file("modules/service/containers.json.tftpl", containersTemplate)
	w.file("modules/bucket/main.tf", bucketModule)
	for i := 0; w.stats.Files < spec.Files; i++ {
		w.stats.RootModules++
		root := fmt.Sprintf("envs/%s/%s-%03d", []string{"dev", "staging", "prod"}[i%3], teams[i%len(teams)], i)
		if i%spec.ECSEvery == spec.ECSEvery/2 {
			w.stats.ECSRootModules++
			w.ecsRoot(root, i, spec.ServicesPerRoot)
			if i%3 == 0 {
				w.stats.JSONDocuments++
				w.file(filepath.Join(root, "taskdef.json"), fmt.Sprintf(taskDefinitionJSON, i, i))
			}
			if i%3 == 1 {
				// Teams that deploy with CloudFormation keep a stack
				// beside the Terraform.
				w.stats.Templates++
				w.stats.Services++
				w.file(filepath.Join(root, "cloudformation", "service.yaml"), serviceTemplate)
			}
			continue
		}
		w.plainRoot(root, i)
		if i%5 == 0 {
			w.stats.Templates++
			w.file(filepath.Join(root, "cloudformation", "bucket.yaml"), fmt.Sprintf(bucketTemplate, i))
		}
	}
	return w.stats, w.err
}

var teams = []string{"payments", "search", "identity", "data", "ml", "web", "mobile", "platform"}

type writer struct {
	dir   string
	stats Stats
	err   error
}

func (w *writer) file(name, content string) {
	if w.err != nil {
		return
	}
	if strings.HasSuffix(name, ".tf") {
		content = fileHeader + content
	}
	p := filepath.Join(w.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		w.err = err
		return
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		w.err = err
		return
	}
	w.stats.Files++
	w.stats.Lines += strings.Count(content, "\n")
}

// modulesPath is the relative path from a root module to modules/.
func modulesPath(root string) string {
	return strings.Repeat("../", strings.Count(root, "/")+1) + "modules"
}

func (w *writer) ecsRoot(root string, i, services int) {
	var svc strings.Builder
	for s := 0; s < services; s++ {
		fmt.Fprintf(&svc, "    svc%d = { cpu = %d, image_tag = \"1.%d.%d\", public = %t }\n", s, 256<<(s%3), i, s, s%4 == 3)
	}
	w.file(root+"/main.tf", fmt.Sprintf(ecsRootMain, i, i%250, modulesPath(root), svc.String(), modulesPath(root)))
	w.file(root+"/variables.tf", ecsRootVariables)
	w.file(root+"/terraform.tfvars", fmt.Sprintf("environment = %q\nregion      = \"eu-west-1\"\n", []string{"dev", "staging", "prod"}[i%3]))
	w.file(root+"/iam.tf", ecsRootIAM)
	w.stats.Services += services
}

func (w *writer) plainRoot(root string, i int) {
	w.file(root+"/main.tf", fmt.Sprintf(plainMain, i, i, i)+"\n"+plainVariables+"\n"+plainOutputs)
	w.file(root+"/storage.tf", fmt.Sprintf(plainStorage, modulesPath(root), i))
	w.file(root+"/alarms.tf", plainAlarms)
	w.file(root+"/iam.tf", plainIAM)
}
