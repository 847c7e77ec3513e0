package jsontree

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// bigDoc is about 50 MB of task definitions, indented as the AWS CLI
// prints them, with some escapes and non-ASCII text.
var bigDoc = sync.OnceValue(func() []byte {
	var b strings.Builder
	b.WriteString("[\n")
	for i := 0; b.Len() < 50<<20; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `  {
    "family": "app-%d",
    "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
    "networkMode": "awsvpc",
    "requiresCompatibilities": ["FARGATE"],
    "cpu": "256", "memory": "512",
    "containerDefinitions": [
      {
        "name": "web", "image": "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/my-app:v1.0.%d",
        "essential": true, "cpu": 0, "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
        "environment": [{"name": "GREETING", "value": "こんにちは \"world\"\n"}],
        "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/app", "awslogs-region": "ap-northeast-1"}}
      }
    ]
  }`, i, i)
	}
	b.WriteString("\n]\n")
	return []byte(b.String())
})

func BenchmarkParse50MB(b *testing.B) {
	src := bigDoc()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := Parse("big.json", src, hcl.InitialPos); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
}

func BenchmarkParseShallow50MB(b *testing.B) {
	src := bigDoc()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := ParseShallow("big.json", src, hcl.InitialPos, 1); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
}
