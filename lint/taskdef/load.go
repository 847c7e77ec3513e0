package taskdef

import (
	"fmt"
	"strconv"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
)

// File is one input file.
type File struct {
	Name string
	Src  []byte
	// Root is the path argument the file was found under, or "": outside
	// a git work tree it bounds where the workflows that deploy the file
	// are looked for.
	Root string
}

// Load reads the ECS documents among files into one configuration. Files
// that are not ECS documents are skipped; files that look like one but do
// not parse, or hold values of the wrong type, give diagnostics. A
// service's taskDefinition is linked (Ref.Addr) to the task definition of
// that family and revision when one was loaded.
func Load(files []File) (*model.Config, hcl.Diagnostics) { return loadFilled(files, nil) }

// loadFilled is Load with, by file name, the workflow steps that fill in the
// images of its containers (workflow.go).
func loadFilled(files []File, fills map[string]func(container string) string) (*model.Config, hcl.Diagnostics) {
	l := &loader{cfg: &model.Config{Source: model.SourceJSON}}
	seen := map[string]bool{}
	for _, f := range files {
		if seen[f.Name] {
			continue
		}
		seen[f.Name] = true
		kind := detect(f.Src)
		if kind == None {
			continue
		}
		l.cfg.Files = append(l.cfg.Files, f.Name)
		v, diags := jsontree.Parse(f.Name, f.Src, hcl.InitialPos)
		l.diags = append(l.diags, diags...)
		if diags.HasErrors() {
			continue
		}
		l.load(f.Name, fills[f.Name], kind, v)
	}
	l.link()
	l.cfg.SortObjects()
	return l.cfg, l.diags
}

type loader struct {
	cfg   *model.Config
	diags hcl.Diagnostics
	tds   []loadedTD
}

// loadedTD is a task definition with the revision its document gives, if
// any, for linking services to it.
type loadedTD struct {
	td  *model.TaskDefinition
	rev int
	arn arn
}

func (l *loader) load(name string, fills func(string) string, kind Kind, v *jsontree.Value) {
	d := &decoder{fills: fills}
	defer func() {
		l.diags = append(l.diags, d.sorted()...)
		for rng, by := range d.filledBy {
			if l.cfg.Unknowns == nil {
				l.cfg.Unknowns = map[hcl.Range]model.Unknown{}
			}
			l.cfg.Unknowns[rng] = model.Unknown{
				Why:  "the workflow step at " + by + " (" + renderAction + ") writes the image it builds into this container before it registers the task definition",
				Hint: "nothing to supply: the image in the file is a placeholder; lint the rendered task definition to check the image that runs",
			}
		}
	}()
	switch kind {
	case RegisterTaskDefinition:
		l.addTD(d.taskDefinition(v, name, ""), v)
	case DescribeTaskDefinition:
		inner := v.Get("taskDefinition").Value
		l.addTD(d.taskDefinition(inner, name, "taskDefinition"), inner)
	case CreateService:
		l.cfg.Add(d.service(v, name, ""))
	case DescribeServices:
		items := v.Get("services").Value.Items
		for i, it := range items {
			path := fmt.Sprintf("services[%d]", i)
			if d.item(it, path, jsontree.Object, false) != present {
				continue
			}
			addr := name
			if len(items) > 1 {
				addr = name + ":" + path
			}
			l.cfg.Add(d.service(it, addr, path))
		}
	}
}

func (l *loader) addTD(td *model.TaskDefinition, v *jsontree.Value) {
	l.cfg.Add(td)
	t := loadedTD{td: td}
	if m := v.Get("taskDefinitionArn"); m != nil && m.Value.Kind == jsontree.String {
		if a, ok := parseARN(m.Value.Str); ok {
			t.arn = a
		}
		if r, ok := parseTDRef(m.Value.Str); ok {
			t.rev = r.rev
		}
	}
	if m := v.Get("revision"); m != nil && m.Value.Kind == jsontree.Number {
		if n, err := strconv.Atoi(m.Value.Str); err == nil && n > 0 {
			t.rev = n
		}
	}
	l.tds = append(l.tds, t)
}
