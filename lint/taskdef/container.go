package taskdef

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/ecsschema"
	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
)

// DecodeContainers turns a containerDefinitions array into containers. The
// Terraform adapter calls it with trees it builds from HCL, where Unknown
// nodes stand for values it could not evaluate: each gives an unknown
// fact. When v itself is Unknown (or null) the result is nil, and the
// caller must record the list as unknown. Keys are matched as the Terraform
// provider matches them, ignoring case (see foldKeys); v's keys are
// rewritten to ECS's own spelling where they match.
func DecodeContainers(v *jsontree.Value) ([]*model.Container, hcl.Diagnostics) {
	var d decoder
	foldKeys(v, ecsschema.ContainerDefinition)
	if v != nil && v.Kind == jsontree.Array {
		for i, it := range v.Items {
			d.shapes(it, ecsschema.ContainerDefinition, fmt.Sprintf("containerDefinitions[%d]", i))
		}
	}
	cs := d.containers(v, "containerDefinitions")
	return cs, d.sorted()
}

func (d *decoder) containers(v *jsontree.Value, path string) []*model.Container {
	if d.item(v, path, jsontree.Array, true) != present {
		return nil
	}
	cs := make([]*model.Container, 0, len(v.Items))
	for i, it := range v.Items {
		p := fmt.Sprintf("%s[%d]", path, i)
		if d.item(it, p, jsontree.Object, false) == present {
			cs = append(cs, d.container(it, p))
		} else {
			// Keep the place of a container that cannot be read, so that
			// no rule takes the list for complete.
			cs = append(cs, unknownContainer(it.Range))
		}
	}
	return cs
}

func unknownContainer(r hcl.Range) *model.Container {
	return &model.Container{
		Name:           model.UnknownFact[string](r),
		Image:          model.UnknownFact[string](r),
		Credentials:    model.Ref{Range: r},
		HasCredentials: true,
		Log:            &model.LogConfig{Driver: model.UnknownFact[string](r), Range: r},
		Range:          r,
	}
}

func (d *decoder) container(obj *jsontree.Value, path string) *model.Container {
	c := &model.Container{
		Name:   d.str(obj, path, "name", ""),
		Image:  d.str(obj, path, "image", ""),
		Range:  obj.Range,
		Fields: docOf(obj),
	}
	if c.Image.Known && isPlaceholder(c.Image.V) {
		c.Image = model.UnknownFact[string](c.Image.Range)
	}
	if d.fills != nil && c.Name.Known && c.Image.Set {
		if by := d.fills(c.Name.V); by != "" {
			// A workflow writes the image it builds here before it
			// registers the task definition: the file's is a placeholder.
			c.Image = model.UnknownFact[string](c.Image.Range)
			if d.filledBy == nil {
				d.filledBy = map[hcl.Range]string{}
			}
			d.filledBy[c.Image.Range] = by
		}
	}
	switch m, p := d.field(obj, path, "repositoryCredentials", jsontree.Object); p {
	case unknown:
		c.HasCredentials = true
		c.Credentials = model.Ref{Range: m.Value.Range}
	case present:
		c.HasCredentials = true
		c.Credentials = d.ref(m.Value, join(path, "repositoryCredentials"), "credentialsParameter")
		if c.Credentials.IsZero() {
			// repositoryCredentials without a parameter: known to name none.
			c.Credentials = model.Ref{Known: true, Range: m.Value.Range}
		}
	}
	c.Secrets, c.SecretsKnown = d.secrets(obj, path, "secrets")
	switch m, p := d.field(obj, path, "logConfiguration", jsontree.Object); p {
	case unknown:
		r := m.Value.Range
		c.Log = &model.LogConfig{Driver: model.UnknownFact[string](r), Range: r}
	case present:
		c.Log = d.logConfig(m.Value, join(path, "logConfiguration"))
	}
	return c
}

// secrets reads secrets or secretOptions: [{name, valueFrom}]. known is
// false when the list itself cannot be read.
func (d *decoder) secrets(obj *jsontree.Value, path, key string) (uses []model.SecretUse, known bool) {
	m, p := d.field(obj, path, key, jsontree.Array)
	switch p {
	case absent:
		return nil, true
	case unknown:
		return nil, false
	}
	for i, it := range m.Value.Items {
		p := fmt.Sprintf("%s[%d]", join(path, key), i)
		if d.item(it, p, jsontree.Object, false) != present {
			uses = append(uses, model.SecretUse{Name: model.UnknownFact[string](it.Range), ValueFrom: model.Ref{Range: it.Range}})
			continue
		}
		u := model.SecretUse{Name: d.str(it, p, "name", ""), ValueFrom: d.ref(it, p, "valueFrom")}
		u.SelectsPart = u.ValueFrom.Known && model.SecretSelectsPart(u.ValueFrom.Value)
		uses = append(uses, u)
	}
	return uses, true
}

func (d *decoder) logConfig(obj *jsontree.Value, path string) *model.LogConfig {
	lc := &model.LogConfig{
		Driver:       d.str(obj, path, "logDriver", ""),
		Options:      map[string]model.Fact[string]{},
		OptionsKnown: true,
		Range:        obj.Range,
	}
	switch m, p := d.field(obj, path, "options", jsontree.Object); p {
	case unknown:
		lc.OptionsKnown = false
	case present:
		for _, o := range m.Value.Members {
			if d.item(o.Value, join(path, "options")+"."+o.Key, jsontree.String, false) == present {
				lc.Options[o.Key] = model.KnownFact(o.Value.Str, o.Value.Range)
			} else {
				lc.Options[o.Key] = model.UnknownFact[string](o.Value.Range)
			}
		}
	}
	lc.SecretOptions, lc.SecretOptionsKnown = d.secrets(obj, path, "secretOptions")
	return lc
}
