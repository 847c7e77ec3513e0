package taskdef

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/ecsschema"
	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
)

// shapes checks that each field of obj, an object of kind o written at
// path, has the shape ECS expects: an array where the API takes a list
// (portMappings), one object where it takes a structure (logConfiguration).
// A value of the wrong shape is one error at that field, and becomes
// unknown: AWS would refuse the document (the Terraform provider cannot
// decode it, the AWS CLI and CloudFormation refuse it), so canpull must not
// read its inner keys as fields.
func (d *decoder) shapes(obj *jsontree.Value, o *ecsschema.Object, path string) {
	if obj == nil || obj.Kind != jsontree.Object || o == nil {
		return
	}
	for i := range obj.Members {
		m := &obj.Members[i]
		fd := o.Field(m.Key)
		if fd == nil {
			continue
		}
		v, p := m.Value, join(path, m.Key)
		switch {
		case v.Kind == jsontree.Null || v.Kind == jsontree.Unknown || fd.Shape == ecsschema.AnyShape:
		case isToken(v):
			// A value canpull does not know, standing in for anything.
		case fd.Shape == ecsschema.ListShape && v.Kind != jsontree.Array,
			fd.Shape == ecsschema.ObjectShape && v.Kind != jsontree.Object:
			d.wrongShape(v, p, fd)
		case v.Kind == jsontree.Array && fd.Object != nil:
			for j, it := range v.Items {
				d.shapes(it, fd.Object, fmt.Sprintf("%s[%d]", p, j))
			}
		case v.Kind == jsontree.Object:
			d.shapes(v, fd.Object, p)
		}
	}
}

func isToken(v *jsontree.Value) bool {
	return v.Kind == jsontree.String && model.HasToken(v.Str)
}

func (d *decoder) wrongShape(v *jsontree.Value, path string, fd *ecsschema.Field) {
	example := "[{…}]"
	if fd.Shape == ecsschema.ObjectShape {
		example = "{…}"
	} else if fd.Object == nil {
		example = "[…]"
	}
	d.diags = append(d.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Wrong type for " + path,
		Detail: fmt.Sprintf("ECS expects %s to be %s (%s), not %s. AWS refuses such a task definition: the ECS API and CloudFormation reject it, and Terraform's AWS provider cannot read it.",
			path, fd.Describe(), example, article(v.Kind)),
		Subject: v.Range.Ptr(),
	})
	*v = jsontree.Value{Kind: jsontree.Unknown, Range: v.Range}
}
