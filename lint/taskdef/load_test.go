package taskdef

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/model"
)

func readFile(t *testing.T, name string) File {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return File{Name: name, Src: src}
}

// load runs Load and fails the test on any diagnostic.
func load(t *testing.T, files ...File) *model.Config {
	t.Helper()
	cfg, diags := Load(files)
	if len(diags) > 0 {
		t.Fatalf("Load: %v", diags)
	}
	if cfg.Source != model.SourceJSON {
		t.Errorf("Source = %v", cfg.Source)
	}
	return cfg
}

// text trims the indentation of a raw string literal's first and last lines.
func text(s string) string {
	return strings.TrimLeft(s, "\n")
}

func checkDump(t *testing.T, cfg *model.Config, want string) {
	t.Helper()
	if diff := cmp.Diff(text(want), dumpConfig(cfg)); diff != "" {
		t.Errorf("model (-want +got):\n%s", diff)
	}
}

func TestRegisterTaskDefinition(t *testing.T) {
	cfg := load(t, readFile(t, "register.json"))
	checkDump(t, cfg, `
task definition register.json @1:1-1:2
  family "web" @2:13-2:18
  requiresCompatibilities ["FARGATE"] @3:30-3:41
  networkMode "awsvpc" @4:18-4:26
  executionRole "arn:aws:iam::123456789012:role/ecsTaskExecutionRole" @7:23-7:76
  taskRole "arn:aws:iam::123456789012:role/web-task" @8:18-8:59
  cpuArchitecture "ARM64" @9:42-9:49
  osFamily "LINUX" @9:76-9:83
  ephemeralStorage true @10:23-10:40
  containers known=true @11:3-11:25
  container @12:5-28:6
    name "app" @13:15-13:20
    image "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/my-app:v1.0.0" @14:16-14:81
    secrets [{"DB_PASSWORD" @17:18-17:31 valueFrom "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:db-AbCdEf:password::" @17:46-17:126}]
    log driver "awslogs" @20:22-20:31 @19:27-27:8
      option awslogs-group = "/ecs/web" @22:28-22:38
      option awslogs-region = "ap-northeast-1" @23:29-23:45
      option awslogs-stream-prefix = "app" @24:36-24:41
      secretOptions [{"token" @26:36-26:43 valueFrom "/web/log-token" @26:58-26:74}]
  container @29:5-35:6
    name "sidecar" @30:15-30:24
    image "myuser/my-image:latest" @31:16-31:40
    credentials "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:dockerhub-credentials" @33:33-33:114
    secrets []
`)
	if got := cfg.Files; !cmp.Equal(got, []string{"register.json"}) {
		t.Errorf("Files = %v", got)
	}
	td := cfg.TaskDefinitions[0]
	if cfg.Lookup("register.json") != td {
		t.Error("task definition not indexed by its address")
	}
	if td.Range.Filename != "register.json" || td.Family.Range.Filename != "register.json" {
		t.Errorf("ranges lack the file name: %q", td.Range.Filename)
	}
	wantKeys := "{family requiresCompatibilities networkMode cpu memory executionRoleArn taskRoleArn " +
		"runtimePlatform{cpuArchitecture operatingSystemFamily} ephemeralStorage{sizeInGiB} " +
		"containerDefinitions[{name image essential secrets[{name valueFrom}] " +
		"logConfiguration{logDriver options{awslogs-group awslogs-region awslogs-stream-prefix} secretOptions[{name valueFrom}]}}]" +
		"[{name image repositoryCredentials{credentialsParameter}}]}"
	if got := keys(td.Fields); got != wantKeys {
		t.Errorf("Fields =\n%s\nwant\n%s", got, wantKeys)
	}
	if got := keys(td.Containers[1].Fields); got != "{name image repositoryCredentials{credentialsParameter}}" {
		t.Errorf("container Fields = %s", got)
	}
	if f := td.Fields.Get("taskRoleArn"); f == nil || rng(f.KeyRange) != "8:3-8:16" {
		t.Errorf("taskRoleArn key range: %+v", f)
	}
}

func TestDescribeTaskDefinition(t *testing.T) {
	cfg := load(t, readFile(t, "describe-td.json"))
	checkDump(t, cfg, `
task definition describe-td.json @2:23-2:24
  account "123456789012" @3:30-3:93 region "ap-northeast-1" @3:30-3:93
  family "web" @12:19-12:24
  requiresCompatibilities default [] @2:23-18:6
  networkMode "bridge" @13:24-13:32
  executionRole -
  taskRole -
  cpuArchitecture default "" @2:23-18:6
  osFamily default "" @2:23-18:6
  ephemeralStorage default false @2:23-18:6
  containers known=true @4:9-4:31
  container @5:13-10:14
    name "app" @6:25-6:30
    image "nginx:1.27" @7:26-7:38
    secrets []
`)
	// The wrapper's keys are not the task definition's.
	if f := cfg.TaskDefinitions[0].Fields; f.Get("tags") != nil || f.Get("taskDefinitionArn") == nil {
		t.Errorf("Fields = %s", keys(f))
	}
}

func TestCreateService(t *testing.T) {
	cfg := load(t, readFile(t, "create-service.json"))
	checkDump(t, cfg, `
service create-service.json @1:1-1:2
  account "123456789012" @2:16-2:70 region "ap-northeast-1" @2:16-2:70
  name "web" @3:20-3:25
  cluster "arn:aws:ecs:ap-northeast-1:123456789012:cluster/prod" @2:16-2:70
  taskDefinition "web" @4:23-4:28
  launchType default "" @1:1-18:2
  strategy known=true set=true @6:33-9:6
    "FARGATE_SPOT" @7:30-7:44 weight 3 @7:56-7:57 base default 0 @7:9-7:58
    "FARGATE" @8:30-8:39 weight 1 @8:51-8:52 base 1 @8:62-8:63
  platformVersion "1.4.0" @10:24-10:31
  network @12:32-16:10
    subnets ["subnet-xxx" @13:25-13:37, "subnet-yyy" @13:39-13:51] @13:24-13:52
    securityGroups ["sg-xxx" @14:32-14:40] @14:31-14:41
    assignPublicIp true @15:31-15:40
`)
	s := cfg.Services[0]
	if got := keys(s.Fields); !strings.HasPrefix(got, "{cluster serviceName taskDefinition desiredCount capacityProviderStrategy[{capacityProvider weight}]") {
		t.Errorf("service Fields = %s", got)
	}
}

func TestDescribeServices(t *testing.T) {
	cfg := load(t, readFile(t, "describe-services.json"))
	checkDump(t, cfg, `
service describe-services.json:services[0] @3:9-3:10
  account "111122223333" @4:27-4:80 region "us-east-1" @4:27-4:80
  name "web" @5:28-5:33
  cluster "arn:aws:ecs:us-east-1:111122223333:cluster/prod" @6:27-6:76
  taskDefinition "arn:aws:ecs:us-east-1:111122223333:task-definition/web:3" @7:31-7:89
  launchType "FARGATE" @8:27-8:36
  strategy known=true set=false @3:9-18:10
  platformVersion "LATEST" @9:32-9:40
  network @11:40-15:18
    subnets ["subnet-0abc" @12:33-12:46] @12:32-12:47
    securityGroups [] @13:39-13:41
    assignPublicIp false @14:39-14:49
service describe-services.json:services[1] @19:9-19:10
  account "111122223333" @20:27-20:83 region "us-east-1" @20:27-20:83
  name "worker" @21:28-21:36
  cluster "arn:aws:ecs:us-east-1:111122223333:cluster/prod" @22:27-22:76
  taskDefinition "arn:aws:ecs:us-east-1:111122223333:task-definition/worker:12" @23:31-23:93
  launchType "EC2" @24:27-24:32
  strategy known=true set=false @19:9-25:10
  platformVersion default "LATEST" @19:9-25:10
  network nil
`)
	// One service alone takes the file's name as its address.
	one := `{"services": [{"serviceName": "a", "taskDefinition": "x"}], "failures": []}`
	cfg = load(t, File{Name: "one.json", Src: []byte(one)})
	if len(cfg.Services) != 1 || cfg.Services[0].Addr != "one.json" {
		t.Errorf("services = %+v", cfg.Services)
	}
}

// A service is linked to the loaded task definition it names, whichever way
// it names it.
func TestLinkServiceToTaskDefinition(t *testing.T) {
	register := File{Name: "td.json", Src: []byte(`{"family": "web", "containerDefinitions": []}`)}
	describe7 := readFile(t, "describe-td.json") // web:7 in 123456789012, ap-northeast-1
	describe6 := File{Name: "td6.json", Src: []byte(`{"taskDefinition": {"family": "web", "revision": 6, "containerDefinitions": []}}`)}
	service := func(td string) File {
		return File{Name: "svc.json", Src: []byte(`{"serviceName": "web", "taskDefinition": "` + td + `"}`)}
	}
	tests := []struct {
		name  string
		td    string
		files []File
		want  string // the linked address, or ""
	}{
		{"family", "web", []File{register}, "td.json"},
		{"family:rev of a register input", "web:3", []File{register}, "td.json"},
		{"family:rev", "web:7", []File{describe7}, "describe-td.json"},
		{"family:rev among revisions", "web:6", []File{describe7, describe6}, "td6.json"},
		{"family alone takes the latest revision", "web", []File{describe6, describe7}, "describe-td.json"},
		{"the input about to be registered is the latest", "web", []File{describe7, register}, "td.json"},
		{"ARN", "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/web:7", []File{describe7}, "describe-td.json"},
		{"ARN of a register input", "arn:aws:ecs:us-east-1:111122223333:task-definition/web:1", []File{register}, "td.json"},
		{"ARN without revision", "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/web", []File{describe7}, "describe-td.json"},
		{"ARN of another account", "arn:aws:ecs:ap-northeast-1:999999999999:task-definition/web:7", []File{describe7}, ""},
		{"ARN of another region", "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7", []File{describe7}, ""},
		{"revision not loaded", "web:8", []File{describe7}, ""},
		{"other family", "api", []File{register}, ""},
		{"not loaded at all", "web", nil, ""},
		{"ambiguous", "web", []File{register, {Name: "td2.json", Src: register.Src}}, ""},
		{"not a task definition ARN", "arn:aws:ecs:us-east-1:111122223333:service/web", []File{register}, ""},
		{"bad revision", "web:x", []File{register}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := load(t, append(tt.files, service(tt.td))...)
			r := cfg.Services[0].TaskDefinition
			if r.Addr != tt.want || r.Value != tt.td || !r.Known {
				t.Errorf("taskDefinition = %+v, want Addr %q", r, tt.want)
			}
			if tt.want != "" {
				if _, ok := model.Resolve[*model.TaskDefinition](cfg, r); !ok {
					t.Error("Resolve failed")
				}
			}
		})
	}
}

func TestWrongTypes(t *testing.T) {
	src := `{
  "family": 7,
  "requiresCompatibilities": ["FARGATE", 1],
  "executionRoleArn": {"arn": "x"},
  "runtimePlatform": "ARM64",
  "containerDefinitions": [
    {"name": "a", "image": ["nginx"], "secrets": {"name": "x"},
     "repositoryCredentials": "arn:aws:secretsmanager:us-east-1:1:secret:x",
     "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-create-group": true}}},
    "not an object"
  ]
}`
	cfg, diags := Load([]File{{Name: "bad.json", Src: []byte(src)}})
	var got []string
	for _, d := range diags {
		if d.Severity != hcl.DiagError || d.Subject == nil || d.Detail == "" {
			t.Errorf("bad diagnostic %+v", d)
			continue
		}
		got = append(got, rng(*d.Subject)+" "+d.Summary)
	}
	want := []string{
		"2:13-2:14 Wrong type for family",
		"3:42-3:43 Wrong type for requiresCompatibilities[1]",
		"4:23-4:35 Wrong type for executionRoleArn",
		"5:22-5:29 Wrong type for runtimePlatform",
		"7:28-7:37 Wrong type for containerDefinitions[0].image",
		"7:50-7:63 Wrong type for containerDefinitions[0].secrets",
		"8:31-8:76 Wrong type for containerDefinitions[0].repositoryCredentials",
		"9:87-9:91 Wrong type for containerDefinitions[0].logConfiguration.options.awslogs-create-group",
		"10:5-10:20 Wrong type for containerDefinitions[1]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	checkDump(t, cfg, `
task definition bad.json @1:1-1:2
  family unknown @2:13-2:14
  requiresCompatibilities unknown @3:30-3:44
  networkMode default "" @1:1-12:2
  executionRole unknown @4:23-4:35
  taskRole -
  cpuArchitecture unknown @5:22-5:29
  osFamily unknown @5:22-5:29
  ephemeralStorage default false @1:1-12:2
  containers known=true @6:3-6:25
  container @7:5-9:94
    name "a" @7:14-7:17
    image unknown @7:28-7:37
    credentials unknown @8:31-8:76
    secrets unknown
    log driver "awslogs" @9:40-9:49 @9:26-9:93
      option awslogs-create-group = unknown @9:87-9:91
      secretOptions []
  container @10:5-10:20
    name unknown @10:5-10:20
    image unknown @10:5-10:20
    credentials unknown @10:5-10:20
    secrets unknown
    log driver unknown @10:5-10:20 @10:5-10:20
      options unknown
      secretOptions unknown
`)
}

func TestServiceWrongTypes(t *testing.T) {
	src := `{"serviceName": "web", "taskDefinition": "web",
 "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1.5, "base": "1"}, 3],
 "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a", 5], "securityGroups": "sg-1", "assignPublicIp": "yes"}}}`
	cfg, diags := Load([]File{{Name: "svc.json", Src: []byte(src)}})
	var got []string
	for _, d := range diags {
		got = append(got, rng(*d.Subject)+" "+d.Summary)
	}
	want := []string{
		"2:73-2:76 Wrong type for capacityProviderStrategy[0].weight",
		"2:86-2:89 Wrong type for capacityProviderStrategy[0].base",
		"2:92-2:93 Wrong type for capacityProviderStrategy[1]",
		"3:75-3:76 Wrong type for networkConfiguration.awsvpcConfiguration.subnets[1]",
		"3:97-3:103 Wrong type for networkConfiguration.awsvpcConfiguration.securityGroups",
		"3:123-3:128 Invalid value for networkConfiguration.awsvpcConfiguration.assignPublicIp",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	checkDump(t, cfg, `
service svc.json @1:1-1:2
  name "web" @1:17-1:22
  cluster -
  taskDefinition "web" @1:42-1:47
  launchType default "" @1:1-3:131
  strategy known=true set=true @2:30-2:94
    "FARGATE" @2:52-2:61 weight unknown @2:73-2:76 base unknown @2:86-2:89
    unknown @2:92-2:93 weight unknown @2:92-2:93 base unknown @2:92-2:93
  platformVersion default "LATEST" @1:1-3:131
  network @3:50-3:129
    subnets ["subnet-a" @3:63-3:73, unknown @3:75-3:76] @3:62-3:77
    securityGroups unknown[] @3:97-3:103
    assignPublicIp unknown @3:123-3:128
`)
}

func TestInvalidJSON(t *testing.T) {
	files := []File{
		// Looks like a task definition: reported, with its line.
		{Name: "td.json", Src: []byte("{\n  \"family\": \"web\",\n  \"containerDefinitions\": [\n    {\"name\": \"app\",}\n  ]\n}")},
		// Not an ECS document: ignored, broken or not.
		{Name: "package.json", Src: []byte(`{"name": "x", "scripts": {`)},
		{Name: "tsconfig.json", Src: []byte("{\n  // comment\n  \"compilerOptions\": {}\n}")},
	}
	cfg, diags := Load(files)
	if len(diags) != 1 {
		t.Fatalf("diags = %v", diags)
	}
	d := diags[0]
	if d.Summary != "Trailing comma" || d.Subject.Filename != "td.json" || d.Subject.Start.Line != 4 || d.Subject.Start.Column != 19 {
		t.Errorf("diagnostic = %s at %v", d.Summary, d.Subject)
	}
	if len(cfg.TaskDefinitions) != 0 || !cmp.Equal(cfg.Files, []string{"td.json"}) {
		t.Errorf("cfg = %+v", cfg)
	}
}

func TestNotECS(t *testing.T) {
	cfg := load(t, readFile(t, "package.json"), readFile(t, "main.tf.json"), readFile(t, "plan.json"),
		File{Name: "font.json", Src: []byte(`{"family": "Noto Sans", "weight": 400}`)},
		File{Name: "compose.json", Src: []byte(`{"services": {"web": {"image": "nginx"}}}`)},
		File{Name: "list.json", Src: []byte(`[{"family": "web", "containerDefinitions": []}]`)},
		File{Name: "empty.json", Src: nil},
	)
	if len(cfg.TaskDefinitions)+len(cfg.Services)+len(cfg.Files) != 0 {
		t.Errorf("loaded from non-ECS files: %s, files %v", dumpConfig(cfg), cfg.Files)
	}
}

// The reference article's snippets, each as a user would save it.
func TestArticleSnippets(t *testing.T) {
	// The article writes "taskExecutionRoleArn": ECS has no such key, so
	// the task definition has no execution role. The key stays in Fields
	// for the spelling rule.
	misspelt := `{
  "family": "my-app",
  "taskExecutionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
  "containerDefinitions": [
    {"name": "my-app", "image": "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/my-app:v1.0.0"}
  ]
}`
	// Verbatim from the article.
	credentials := `{
"containerDefinitions": [
{
"name": "my-container",
"image": "myuser/my-image:latest",
"repositoryCredentials": {
"credentialsParameter": "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:dockerhub-credentials"
}
}
]
}`
	// The article's networkConfiguration, in a create-service input.
	network := `{
"serviceName": "my-service",
"taskDefinition": "my-app:1",
"launchType": "FARGATE",
"networkConfiguration": {
"awsvpcConfiguration": {
"subnets": ["subnet-xxx"],
"securityGroups": ["sg-xxx"],
"assignPublicIp": "ENABLED"
}
}
}`
	cfg := load(t, File{Name: "a-misspelt.json", Src: []byte(misspelt)}, File{Name: "b-credentials.json", Src: []byte(credentials)}, File{Name: "c-service.json", Src: []byte(network)})
	checkDump(t, cfg, `
task definition a-misspelt.json @1:1-1:2
  family "my-app" @2:13-2:21
  requiresCompatibilities default [] @1:1-7:2
  networkMode default "" @1:1-7:2
  executionRole -
  taskRole -
  cpuArchitecture default "" @1:1-7:2
  osFamily default "" @1:1-7:2
  ephemeralStorage default false @1:1-7:2
  containers known=true @4:3-4:25
  container @5:5-5:99
    name "my-app" @5:14-5:22
    image "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/my-app:v1.0.0" @5:33-5:98
    secrets []
task definition b-credentials.json @1:1-1:2
  family default "" @1:1-11:2
  requiresCompatibilities default [] @1:1-11:2
  networkMode default "" @1:1-11:2
  executionRole -
  taskRole -
  cpuArchitecture default "" @1:1-11:2
  osFamily default "" @1:1-11:2
  ephemeralStorage default false @1:1-11:2
  containers known=true @2:1-2:23
  container @3:1-9:2
    name "my-container" @4:9-4:23
    image "myuser/my-image:latest" @5:10-5:34
    credentials "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:dockerhub-credentials" @7:25-7:106
    secrets []
service c-service.json @1:1-1:2
  name "my-service" @2:16-2:28
  cluster -
  taskDefinition "my-app:1" @3:19-3:29 -> a-misspelt.json
  launchType "FARGATE" @4:15-4:24
  strategy known=true set=false @1:1-12:2
  platformVersion default "LATEST" @1:1-12:2
  network @6:24-10:2
    subnets ["subnet-xxx" @7:13-7:25] @7:12-7:26
    securityGroups ["sg-xxx" @8:20-8:28] @8:19-8:29
    assignPublicIp true @9:19-9:28
`)
	f := cfg.TaskDefinitions[0].Fields.Get("taskExecutionRoleArn")
	if f == nil || rng(f.KeyRange) != "3:3-3:25" {
		t.Errorf("taskExecutionRoleArn key: %+v", f)
	}

	// Alone, the misspelt snippet has a role key but no family or
	// containers: it is a fragment, not a document canpull can load.
	if k := Detect([]byte(`{"taskExecutionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"}`)); k != None {
		t.Errorf("Detect(fragment) = %v", k)
	}
}

func TestBOM(t *testing.T) {
	src := "\ufeff{\"family\": \"web\", \"containerDefinitions\": []}"
	cfg := load(t, File{Name: "bom.json", Src: []byte(src)})
	td := cfg.TaskDefinitions[0]
	if rng(td.Family.Range) != "1:12-1:17" || td.Family.Range.Start.Byte != 14 {
		t.Errorf("family range %#v", td.Family.Range)
	}
}

func TestDeepNesting(t *testing.T) {
	src := `{"family": "web", "containerDefinitions": ` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + "}"
	cfg, diags := Load([]File{{Name: "deep.json", Src: []byte(src)}})
	if len(diags) != 1 || diags[0].Summary != "JSON nested more than 512 levels deep" || diags[0].Subject.Filename != "deep.json" {
		t.Fatalf("diags = %v", diags)
	}
	if len(cfg.TaskDefinitions) != 0 {
		t.Error("loaded a document that did not parse")
	}
}

func TestDuplicateFileIgnored(t *testing.T) {
	f := readFile(t, "register.json")
	cfg := load(t, f, f)
	if len(cfg.TaskDefinitions) != 1 || len(cfg.Files) != 1 {
		t.Errorf("%d task definitions, files %v", len(cfg.TaskDefinitions), cfg.Files)
	}
}

func TestSorted(t *testing.T) {
	b := File{Name: "b.json", Src: []byte(`{"family": "b", "containerDefinitions": []}`)}
	a := File{Name: "a.json", Src: []byte(`{"family": "a", "containerDefinitions": []}`)}
	cfg := load(t, b, a)
	if cfg.TaskDefinitions[0].Addr != "a.json" || !cmp.Equal(cfg.Files, []string{"b.json", "a.json"}) {
		t.Errorf("order: %s %s, files %v", cfg.TaskDefinitions[0].Addr, cfg.TaskDefinitions[1].Addr, cfg.Files)
	}
}
