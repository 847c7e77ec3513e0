package taskdef

import (
	"github.com/canpull/canpull/lint/ecsschema"
	"github.com/canpull/canpull/lint/jsontree"
)

// foldKeys renames the keys of container definitions that match an ECS
// field only when case is ignored ("Image", "RepositoryCredentials") to
// the field's own name. The Terraform provider decodes container_definitions
// with Go's encoding/json, which matches keys that way, so such keys work
// there; the AWS CLI and the SDKs, which canpull's JSON documents are
// written for, would refuse or drop them, so only the Terraform adapter
// folds. Keys that fold to nothing (snake_case, misspellings) are kept
// for the spelling rule.
func foldKeys(v *jsontree.Value, o *ecsschema.Object) {
	switch {
	case v == nil || o == nil:
	case v.Kind == jsontree.Array:
		for _, it := range v.Items {
			foldKeys(it, o)
		}
	case v.Kind == jsontree.Object:
		for i := range v.Members {
			m := &v.Members[i]
			fd := o.Fold(m.Key)
			if fd == nil {
				continue
			}
			m.Key = fd.Name
			foldKeys(m.Value, fd.Object)
		}
	}
}
