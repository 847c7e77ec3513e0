// Package corpus writes synthetic but realistic Terraform repositories,
// with ECS JSON documents and CloudFormation templates beside them, for
// benchmarks, load tests and the test that keeps canpull's output the same
// while it is made faster.
//
// The shape follows the public repositories canpull is measured on (the
// README's performance section gives the numbers): a platform monorepo of
// hundreds of small root modules with nothing ECS in them, that call a
// shared local module about once each and registry modules that are not
// downloaded; module libraries whose examples and tests call the same ECS
// modules again and again; and application repositories whose root
// modules use a registry module that terraform init downloaded, heredoc
// and jsonencode task definitions, ECS JSON and CloudFormation stacks;
// and Terraform plans in JSON beside some root modules, as CI writes them.
package corpus

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Spec says how large a corpus to write.
type Spec struct {
	// Files is the number of .tf files to write, roughly (10 to 20,000):
	// 2,800 is the size of the public corpus. Every part of the corpus
	// grows with it.
	Files int
	// ECSEvery makes one platform root module in ECSEvery an ECS one
	// (default 50).
	ECSEvery int
	// ServicesPerRoot is the number of services in each ECS root module of
	// the platform (default 4).
	ServicesPerRoot int
}

// Stats is what was written.
type Stats struct {
	// Files counts every file written but those under .terraform; TFFiles
	// the .tf files among them, Lines their lines.
	Files, TFFiles, Lines int
	// RootModules are the folders with no caller; ECSRootModules those
	// that hold or call what the rules read (the ones canpull loads).
	RootModules, ECSRootModules int
	// LocalCalls counts the module blocks with a local source in root
	// modules; ECSFiles the .tf files that name an ECS or ECR type.
	LocalCalls, ECSFiles                                  int
	Services, JSONDocuments, Templates, DownloadedModules int
	// Plans counts the plans in JSON (each one root module to canpull).
	Plans int
}

// The parts of a corpus of 2,800 .tf files; each grows with Spec.Files.
const (
	publicFiles      = 2800
	librariesAtScale = 6 // module libraries
	appsAtScale      = 8 // application repositories
	examplesPerLib   = 5
	testsPerLib      = 6
	envsPerApp       = 3
)

// Write lays out a corpus under dir.
func Write(dir string, spec Spec) (Stats, error) {
	if spec.ECSEvery <= 0 {
		spec.ECSEvery = 50
	}
	if spec.ServicesPerRoot <= 0 {
		spec.ServicesPerRoot = 4
	}
	if spec.Files <= 0 {
		spec.Files = publicFiles
	}
	w := &writer{dir: dir}
	scale := func(n int) int { return max(1, (n*spec.Files+publicFiles/2)/publicFiles) }
	for l := range scale(librariesAtScale) {
		w.library(fmt.Sprintf("libraries/terraform-aws-ecs-%s", libNames[l%len(libNames)]+suffix(l, len(libNames))), l)
	}
	for a := range scale(appsAtScale) {
		w.app(fmt.Sprintf("apps/%s%s", appNames[a%len(appNames)], suffix(a, len(appNames))), a)
	}
	w.platform("platform", spec)
	return w.stats, w.err
}

// suffix tells apart the repositories of one name in a large corpus.
func suffix(i, n int) string {
	if i < n {
		return ""
	}
	return fmt.Sprintf("-%d", i/n)
}

var (
	libNames = []string{"service", "fargate", "consul", "app-mesh", "batch", "worker"}
	appNames = []string{"checkout", "catalog", "billing", "notifications", "search-api", "ledger", "profile", "gateway"}
)

// library writes a module library: modules/, examples/ and test/.
func (w *writer) library(repo string, l int) {
	name := filepath.Base(repo)
	w.repoFiles(repo)
	for _, m := range []string{"cluster", "container-definition", "service", "network"} {
		w.moduleReadme(repo + "/modules/" + m)
	}
	w.file(repo+"/modules/cluster/main.tf", libClusterMain)
	w.file(repo+"/modules/cluster/variables.tf", libClusterVariables)
	w.file(repo+"/modules/cluster/outputs.tf", libClusterOutputs)
	w.file(repo+"/modules/cluster/versions.tf", libVersions)
	w.file(repo+"/modules/container-definition/main.tf", libContainerMain)
	w.file(repo+"/modules/container-definition/variables.tf", libContainerVariables)
	w.file(repo+"/modules/container-definition/outputs.tf", libContainerOutputs)
	w.file(repo+"/modules/container-definition/versions.tf", libVersions)
	w.file(repo+"/modules/service/main.tf", libServiceMain)
	w.file(repo+"/modules/service/iam.tf", libServiceIAM)
	w.file(repo+"/modules/service/autoscaling.tf", libServiceAutoscaling)
	w.file(repo+"/modules/service/variables.tf", libServiceVariables)
	w.file(repo+"/modules/service/outputs.tf", libServiceOutputs)
	w.file(repo+"/modules/service/versions.tf", libVersions)
	w.file(repo+"/modules/service/features.tf", serviceFeatures)
	w.file(repo+"/modules/service/features_variables.tf", serviceFeatureVariables)
	w.file(repo+"/modules/cluster/features.tf", clusterFeatures)
	w.file(repo+"/modules/cluster/features_variables.tf", clusterFeatureVariables)
	w.file(repo+"/modules/network/main.tf", networkModule)
	w.file(repo+"/modules/network/variables.tf", networkVariables)
	w.file(repo+"/modules/network/outputs.tf", networkOutputs)
	image := fmt.Sprintf("111122223333.dkr.ecr.eu-west-1.amazonaws.com/%s:v%d", name, l)
	for e := range examplesPerLib {
		image := image
		if l%2 == 1 && e == examplesPerLib-1 {
			image = "nginx:1.27" // a mistake: Docker Hub, anonymously (CP301)
		}
		root := fmt.Sprintf("%s/examples/%s", repo, exampleNames[e%len(exampleNames)])
		services := []string{"api", "web", "worker"}[:1+e%3]
		w.root(root, true)
		w.stats.LocalCalls += 2
		w.stats.Services += len(services)
		w.file(root+"/main.tf", fmt.Sprintf(libExampleMain, name, filepath.Base(root), 10+e, image, hclList(services)))
		w.file(root+"/outputs.tf", libExampleOutputs)
		w.file(root+"/versions.tf", libVersions)
	}
	w.file(repo+"/test/examples_test.go", fmt.Sprintf(terratestFile, name))
	w.file(repo+"/docs/architecture.png", architecturePNG)
	for t := range testsPerLib {
		root := fmt.Sprintf("%s/test/acceptance/t%02d", repo, t)
		w.root(root, true)
		w.stats.LocalCalls += 2
		w.stats.Services++
		tier := "private"
		if t == testsPerLib-1 {
			tier = "public" // a mistake: public subnets, no public IP (CP203)
		}
		w.file(root+"/main.tf", fmt.Sprintf(libTestMain, name, t, 100+t, image, "../../../modules", "../../../modules", tier))
		w.file(root+"/variables.tf", libTestVariables)
	}
}

// The optional features of the library's modules: off, as examples
// and tests mostly leave them.
var (
	serviceFeatures, serviceFeatureVariables = features("service", 48)
	clusterFeatures, clusterFeatureVariables = features("cluster", 24)
)

var exampleNames = []string{"complete", "fargate", "spot", "multiple-services", "execute-command"}

// hclList writes strings as an HCL list.
func hclList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// app writes an application repository: one root module per environment,
// with the registry module terraform init downloaded.
func (w *writer) app(repo string, a int) {
	name := filepath.Base(repo)
	w.repoFiles(repo)
	for e, env := range []string{"dev", "staging", "prod"}[:envsPerApp] {
		root := fmt.Sprintf("%s/terraform/%s", repo, env)
		w.root(root, true)
		w.stats.Services++ // the worker
		w.file(root+"/versions.tf", fmt.Sprintf(appVersions, name, env))
		w.file(root+"/main.tf", fmt.Sprintf(appMain, name, env))
		w.file(root+"/worker.tf", fmt.Sprintf(appWorker, name, env))
		w.file(root+"/variables.tf", appVariables)
		w.file(root+"/outputs.tf", appOutputs)
		w.file(root+"/terraform.tfvars", fmt.Sprintf("image_tag = \"1.%d.%d\"\nlog_level = %q\n", a, e, []string{"debug", "info", "warn"}[e]))
		if env == "dev" {
			continue // not initialised here: the module is not on disk
		}
		// What terraform init downloaded: not in the repository's files,
		// but read through modules.json.
		w.stats.Services++ // the module's
		mods := root + "/.terraform/modules"
		w.file(mods+"/modules.json", appModulesJSON)
		w.file(mods+"/ecs_service/modules/service/main.tf", libServiceMain)
		w.file(mods+"/ecs_service/modules/service/iam.tf", libServiceIAM)
		w.file(mods+"/ecs_service/modules/service/autoscaling.tf", libServiceAutoscaling)
		w.file(mods+"/ecs_service/modules/service/variables.tf", libServiceVariables)
		w.file(mods+"/ecs_service/modules/service/outputs.tf", libServiceOutputs)
		w.file(mods+"/ecs_service/modules/service/features.tf", serviceFeatures)
		w.file(mods+"/ecs_service/modules/service/features_variables.tf", serviceFeatureVariables)
		w.file(mods+"/ecs_service/modules/container-definition/main.tf", libContainerMain)
		w.file(mods+"/ecs_service/modules/container-definition/variables.tf", libContainerVariables)
		w.file(mods+"/ecs_service/modules/container-definition/outputs.tf", libContainerOutputs)
		w.stats.DownloadedModules += 2
		if env == "prod" {
			// What CI's terraform show -json wrote, on one line.
			w.plan(root+"/tfplan.json", "library", true)
		}
	}
	w.stats.JSONDocuments++
	tag := "prod"
	if a%3 == 2 {
		tag = "latest" // a mistake: a mutable tag (CP304)
	}
	w.file(repo+"/deploy/migrate-task.json", fmt.Sprintf(appTaskDefinitionJSON, name, tag))
	w.stats.Templates++
	w.stats.Services++
	w.file(repo+"/deploy/cloudformation/service.yaml", serviceTemplate)
}

// platform writes the monorepo with what is left of spec.Files.
func (w *writer) platform(repo string, spec Spec) {
	w.repoFiles(repo)
	for _, m := range []string{"network", "service", "bucket"} {
		w.moduleReadme(repo + "/modules/" + m)
	}
	// Shared local modules, as a monorepo keeps them under modules/.
	w.file(repo+"/modules/network/main.tf", networkModule)
	w.file(repo+"/modules/network/variables.tf", networkVariables)
	w.file(repo+"/modules/network/outputs.tf", networkOutputs)
	w.file(repo+"/modules/service/main.tf", serviceModule)
	w.file(repo+"/modules/service/variables.tf", serviceVariables)
	w.file(repo+"/modules/service/containers.json.tftpl", containersTemplate)
	w.file(repo+"/modules/bucket/main.tf", bucketModule)
	for i := 0; w.stats.TFFiles < spec.Files; i++ {
		root := fmt.Sprintf("%s/components/%s/%s-%03d", repo, teams[i%len(teams)], componentNames[i%len(componentNames)], i)
		switch {
		case i%spec.ECSEvery == spec.ECSEvery/2:
			w.root(root, true)
			w.stats.LocalCalls += 2
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
			if i%3 == 2 {
				// A plan kept beside the configuration, pretty-printed
				// for review (jq .).
				w.plan(filepath.Join(root, "plan.json"), "platform", false)
			}
		case i%spec.ECSEvery == spec.ECSEvery-1:
			// A registry module named for ECS, not downloaded: loaded, so
			// that canpull can say what it could not see.
			w.root(root, true)
			w.stats.LocalCalls++
			w.plainRoot(root, i)
			w.file(root+"/ecs.tf", fmt.Sprintf(componentECSService, i))
		default:
			w.root(root, false)
			w.stats.LocalCalls++
			w.plainRoot(root, i)
			if i%2 == 0 {
				// The source of the component's functions.
				w.file(filepath.Join(root, "lambda", "handler.py"), fmt.Sprintf(lambdaHandler, i))
			}
			if i%3 == 0 {
				// A chart deployed beside the component's AWS resources.
				w.file(filepath.Join(root, "chart", "values.yaml"), fmt.Sprintf(helmValues, componentNames[i%len(componentNames)], i))
			}
			if i%5 == 0 {
				w.stats.Templates++
				w.file(filepath.Join(root, "cloudformation", "bucket.yaml"), fmt.Sprintf(bucketTemplate, i))
			}
		}
	}
}

// planFiles are plans that terraform show -json wrote, pretty-printed,
// of configurations like the corpus's own (an ECS root module of the
// platform; an example of a library with its VPC module), made with the
// real Terraform CLI and AWS provider as scripts/gen-plans makes the plan
// fixtures. Each is ~150 kB: the size of a plan of a few services, their
// network and roles.
//
//go:embed plans/*.json
var planFiles embed.FS

// plan writes the plan plans/NAME.json, on one line when compact.
func (w *writer) plan(path, name string, compact bool) {
	if w.err != nil {
		return
	}
	src, err := planFiles.ReadFile("plans/" + name + ".json")
	if err != nil {
		w.err = err
		return
	}
	var doc struct {
		ResourceChanges []struct{ Type string } `json:"resource_changes"`
	}
	if err := json.Unmarshal(src, &doc); err != nil {
		w.err = fmt.Errorf("plans/%s.json: %w", name, err)
		return
	}
	for _, rc := range doc.ResourceChanges {
		if rc.Type == "aws_ecs_service" {
			w.stats.Services++
		}
	}
	if compact {
		var b bytes.Buffer
		if err := json.Compact(&b, src); err != nil {
			w.err = err
			return
		}
		src = b.Bytes()
	}
	w.stats.Plans++
	w.file(path, string(src))
}

var componentNames = []string{"ingest", "reports", "exports", "audit", "notifications", "archive", "etl", "webhooks", "backups"}

// root counts a root module, and writes its README; ecs says canpull
// loads it.
func (w *writer) root(dir string, ecs bool) {
	w.moduleReadme(dir)
	w.stats.RootModules++
	if ecs {
		w.stats.ECSRootModules++
	}
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
	if strings.Contains(name, "/.terraform/") {
		return
	}
	w.stats.Files++
	if strings.HasSuffix(name, ".tf") {
		w.stats.TFFiles++
		w.stats.Lines += strings.Count(content, "\n")
		if strings.Contains(content, "aws_ecs_") || strings.Contains(content, "aws_ecr_") {
			w.stats.ECSFiles++
		}
	}
}

// modulesPath is the relative path from a root module to the modules/
// folder of its repository, the folder repo.
func modulesPath(root, repo string) string {
	return strings.Repeat("../", strings.Count(root, "/")-strings.Count(repo, "/")) + "modules"
}

func (w *writer) ecsRoot(root string, i, services int) {
	var svc strings.Builder
	for s := 0; s < services; s++ {
		tag := fmt.Sprintf("1.%d.%d", i, s)
		if i%2 == 1 && s == services-1 {
			tag = "latest" // a mistake: a mutable tag (CP304)
		}
		fmt.Fprintf(&svc, "    svc%d = { cpu = %d, image_tag = %q, public = %t }\n", s, 256<<(s%3), tag, s%4 == 3)
	}
	w.file(root+"/main.tf", fmt.Sprintf(ecsRootMain, i, i%250, modulesPath(root, "platform"), svc.String(), modulesPath(root, "platform")))
	w.file(root+"/variables.tf", ecsRootVariables)
	w.file(root+"/terraform.tfvars", fmt.Sprintf("environment = %q\nregion      = \"eu-west-1\"\n", []string{"dev", "staging", "prod"}[i%3]))
	w.file(root+"/iam.tf", ecsRootIAM)
	w.stats.Services += services
}

func (w *writer) plainRoot(root string, i int) {
	w.file(root+"/main.tf", fmt.Sprintf(plainMain, i, i, i)+componentRemoteState)
	w.file(root+"/variables.tf", plainVariables+"\n"+componentVariables)
	w.file(root+"/outputs.tf", plainOutputs+"\n"+componentOutputs)
	w.file(root+"/storage.tf", fmt.Sprintf(plainStorage, modulesPath(root, "platform"), i))
	w.file(root+"/alarms.tf", plainAlarms)
	w.file(root+"/iam.tf", plainIAM)
	w.file(root+"/context.tf", componentContext)
}
