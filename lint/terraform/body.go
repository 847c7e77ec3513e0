package terraform

import (
	"cmp"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// evalBlock is a block with its arguments evaluated: what the model builder
// reads, with the range of every argument.
type evalBlock struct {
	typ      string
	defRange hcl.Range // the header: `resource "aws_subnet" "a"`, `route`
	rng      hcl.Range // the whole block
	attrs    map[string]*evalAttr
	blocks   []*evalBlock
	// unknownBlocks holds the nested block types that a dynamic block with
	// an unknown for_each generates: their number is unknown.
	unknownBlocks map[string]bool
}

type evalAttr struct {
	name string
	// val is the value without marks; marked keeps them (where the parts
	// of the value were written, see origin.go).
	val, marked cty.Value
	expr        hcl.Expression
	rng         hcl.Range // the value expression
	sc          *scope    // where it was evaluated, to follow references back
	// encoded is what the argument's jsonencode(…) call encoded, marks
	// included, when the argument is one such call and it ran: the
	// container definitions' tree is built from it (containerTree) without
	// evaluating the call's argument again. cty.NilVal otherwise.
	encoded cty.Value
}

// inst is the module instance the argument is written in, or nil.
func (a *evalAttr) inst() *modInst {
	if a.sc == nil {
		return nil
	}
	return a.sc.inst
}

// evalAttr evaluates an argument.
func (ev *evaluator) evalAttr(name string, expr hcl.Expression, sc *scope) *evalAttr {
	// An argument evaluated while this one is (a resource it refers to)
	// captures for itself, or not at all.
	outer := ev.capture
	defer func() { ev.capture = outer }()
	var capture *jsonCapture
	if isJSONEncodeCall(expr) {
		capture = &jsonCapture{}
	}
	ev.capture = capture
	marked := ev.eval(expr, sc)
	var encoded cty.Value
	// The call ran, and its result is the argument's value, only if the
	// last jsonencode that ran returned that value: an error in the
	// argument leaves the call unrun and the value unknown of no type.
	if capture != nil && capture.out != cty.NilVal && marked.RawEquals(capture.out) {
		encoded = capture.arg
	}
	val := marked
	if marked.ContainsMarked() { // UnmarkDeep copies even a value with no marks
		val, _ = marked.UnmarkDeep()
	}
	if !val.IsWhollyKnown() && len(ev.unknownAttrs) < maxUnknownAttrs {
		ev.unknownAttrs = append(ev.unknownAttrs, unknownAttr{expr: expr, sc: sc, marked: marked})
	}
	return &evalAttr{name: name, val: val, marked: marked, expr: expr, rng: expr.Range(), sc: sc, encoded: encoded}
}

// isJSONEncodeCall reports whether expr is jsonencode(…) of one argument.
func isJSONEncodeCall(expr hcl.Expression) bool {
	call, ok := expr.(*hclsyntax.FunctionCallExpr)
	return ok && call.Name == "jsonencode" && len(call.Args) == 1 && !call.ExpandFinal
}

// metaArgs are arguments of resource blocks that are not the resource's own.
var metaArgs = map[string]bool{"count": true, "for_each": true, "provider": true, "depends_on": true}

var metaBlocks = map[string]bool{"lifecycle": true, "connection": true, "provisioner": true}

// evalBody evaluates a body. path names the block for the nested-block
// table that JSON bodies need ("resource.aws_ecs_service").
func (ev *evaluator) evalBody(body hcl.Body, path string, defRange hcl.Range, sc *scope) *evalBlock {
	eb := &evalBlock{defRange: defRange, attrs: map[string]*evalAttr{}}
	if sb, ok := isSyntaxBody(body); ok {
		eb.rng = sb.Range()
		// In source order, so that what evaluation reports first (the
		// member that closes a cycle) does not depend on map order. The
		// syntax tree's own attributes: converting each to an
		// hcl.Attribute, for every instance of every resource, was a
		// percent of a run's allocations.
		attrs := make([]*hclsyntax.Attribute, 0, len(sb.Attributes))
		for _, a := range sb.Attributes {
			attrs = append(attrs, a)
		}
		slices.SortFunc(attrs, func(a, b *hclsyntax.Attribute) int {
			return cmp.Compare(a.SrcRange.Start.Byte, b.SrcRange.Start.Byte)
		})
		for _, a := range attrs {
			if metaArgs[a.Name] {
				continue
			}
			eb.attrs[a.Name] = ev.evalAttr(a.Name, a.Expr, sc)
		}
		for _, b := range sb.Blocks {
			if metaBlocks[b.Type] {
				continue
			}
			if b.Type == "dynamic" && len(b.Labels) == 1 {
				ev.expandDynamic(eb, b.AsHCLBlock(), path, sc)
				continue
			}
			child := ev.evalBody(b.Body, path+"."+b.Type, b.DefRange(), sc)
			child.typ = b.Type
			child.rng = b.Range()
			eb.blocks = append(eb.blocks, child)
		}
		return eb
	}
	// JSON: which keys are blocks is only known from the table.
	schema := &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "dynamic", LabelNames: []string{"type"}}}}
	for _, t := range nestedBlocks[path] {
		schema.Blocks = append(schema.Blocks, hcl.BlockHeaderSchema{Type: t})
	}
	for t := range metaBlocks {
		schema.Blocks = append(schema.Blocks, hcl.BlockHeaderSchema{Type: t})
	}
	content, rest, _ := body.PartialContent(schema)
	eb.rng = body.MissingItemRange()
	attrs, _ := rest.JustAttributes()
	for _, a := range sortedAttributes(attrs) {
		if metaArgs[a.Name] {
			continue
		}
		eb.attrs[a.Name] = ev.evalAttr(a.Name, a.Expr, sc)
	}
	for _, b := range content.Blocks {
		if metaBlocks[b.Type] {
			continue
		}
		if b.Type == "dynamic" {
			ev.expandDynamic(eb, b, path, sc)
			continue
		}
		child := ev.evalBody(b.Body, path+"."+b.Type, b.DefRange, sc)
		child.typ = b.Type
		eb.blocks = append(eb.blocks, child)
	}
	return eb
}

var dynamicSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "for_each", Required: true}, {Name: "iterator"}, {Name: "labels"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "content"}},
}

// expandDynamic turns a dynamic block into one block per element.
func (ev *evaluator) expandDynamic(eb *evalBlock, b *hcl.Block, path string, sc *scope) {
	typ := b.Labels[0]
	content, _ := b.Body.Content(dynamicSchema)
	if content == nil || len(content.Blocks) == 0 || content.Attributes["for_each"] == nil {
		return
	}
	iterName := typ
	if a := content.Attributes["iterator"]; a != nil {
		if k := hcl.ExprAsKeyword(a.Expr); k != "" {
			iterName = k
		}
	}
	coll := ev.eval(content.Attributes["for_each"].Expr, sc)
	if hasMaybeKey(coll) {
		coll = cty.DynamicVal // its elements are a guess
	}
	coll, _ = coll.Unmark()
	if !coll.IsKnown() || coll.IsNull() || !coll.CanIterateElements() {
		if eb.unknownBlocks == nil {
			eb.unknownBlocks = map[string]bool{}
		}
		eb.unknownBlocks[typ] = true
		return
	}
	if coll.LengthInt() > maxInstances {
		ev.tooMany("dynamic \""+typ+"\" for_each", coll.LengthInt(), content.Attributes["for_each"].Expr.Range())
		if eb.unknownBlocks == nil {
			eb.unknownBlocks = map[string]bool{}
		}
		eb.unknownBlocks[typ] = true
		return
	}
	contentBlock := content.Blocks[0]
	for it := coll.ElementIterator(); it.Next(); {
		k, v := it.Element()
		inner := &scope{inst: sc.inst, each: sc.each, iters: map[string]cty.Value{}, iterFrom: map[string]iterSource{}}
		for name, val := range sc.iters {
			inner.iters[name] = val
		}
		for name, src := range sc.iterFrom {
			inner.iterFrom[name] = src
		}
		inner.iters[iterName] = cty.ObjectVal(map[string]cty.Value{"key": k, "value": v})
		inner.iterFrom[iterName] = iterSource{expr: content.Attributes["for_each"].Expr, sc: sc}
		child := ev.evalBody(contentBlock.Body, path+"."+typ, b.DefRange, inner)
		child.typ = typ
		eb.blocks = append(eb.blocks, child)
	}
}

// value is the block as an object, the way references see it: arguments,
// and nested blocks as lists of objects.
func (eb *evalBlock) value() map[string]cty.Value {
	m := make(map[string]cty.Value, len(eb.attrs)+len(eb.blocks))
	for name, a := range eb.attrs {
		m[name] = a.val
	}
	byType := map[string][]cty.Value{}
	var order []string
	for _, b := range eb.blocks {
		if _, seen := byType[b.typ]; !seen {
			order = append(order, b.typ)
		}
		byType[b.typ] = append(byType[b.typ], cty.ObjectVal(b.value()))
	}
	for _, t := range order {
		if _, clash := m[t]; clash {
			continue
		}
		m[t] = cty.TupleVal(byType[t])
	}
	for t := range eb.unknownBlocks {
		m[t] = cty.DynamicVal
	}
	return m
}

// block returns the nested blocks of a type, including the list-of-objects
// attribute form ("attributes as blocks", e.g. route = [{…}]) as blocks
// whose ranges are the attribute's.
func (eb *evalBlock) nested(typ string) (blocks []*evalBlock, known bool) {
	known = !eb.unknownBlocks[typ]
	for _, b := range eb.blocks {
		if b.typ == typ {
			blocks = append(blocks, b)
		}
	}
	a := eb.attrs[typ]
	if a == nil {
		return blocks, known
	}
	v := a.val
	if !v.IsKnown() {
		return blocks, false
	}
	if v.IsNull() || !v.CanIterateElements() {
		return blocks, known
	}
	for it := v.ElementIterator(); it.Next(); {
		_, el := it.Element()
		if !el.IsKnown() || el.IsNull() || !el.Type().IsObjectType() && !el.Type().IsMapType() {
			known = false
			continue
		}
		child := &evalBlock{typ: typ, defRange: a.rng, rng: a.rng, attrs: map[string]*evalAttr{}}
		for name, av := range el.AsValueMap() {
			child.attrs[name] = &evalAttr{name: name, val: av, rng: a.rng}
		}
		blocks = append(blocks, child)
	}
	return blocks, known
}

// attrNames lists every attribute name an expression reads with a dot, so
// that resource values can carry tokens for attributes read after a splat
// or an index.
func attrNames(expr hcl.Expression) []string {
	se, ok := expr.(hclsyntax.Expression)
	if !ok {
		return nil
	}
	var names []string
	seen := map[string]bool{}
	add := func(tr hcl.Traversal) {
		for _, step := range tr {
			if a, ok := step.(hcl.TraverseAttr); ok && !seen[a.Name] {
				seen[a.Name] = true
				names = append(names, a.Name)
			}
		}
	}
	_ = hclsyntax.VisitAll(se, func(n hclsyntax.Node) hcl.Diagnostics {
		switch n := n.(type) {
		case *hclsyntax.ScopeTraversalExpr:
			add(n.Traversal)
		case *hclsyntax.RelativeTraversalExpr:
			add(n.Traversal)
		}
		return nil
	})
	return names
}

// blockPath is the key of a resource type in nestedBlocks.
func blockPath(mode, typ string) string { return mode + "." + typ }

// nestedBlocks lists, for JSON bodies, which keys of a block are nested
// blocks rather than arguments. Native syntax needs no table.
var nestedBlocks = map[string][]string{
	"resource.aws_ecs_service": {"network_configuration", "capacity_provider_strategy", "load_balancer",
		"deployment_circuit_breaker", "deployment_controller", "ordered_placement_strategy", "placement_constraints",
		"service_registries", "service_connect_configuration", "alarms", "volume_configuration", "timeouts"},
	"resource.aws_ecs_task_definition":                               {"runtime_platform", "ephemeral_storage", "volume", "placement_constraints", "proxy_configuration", "inference_accelerator"},
	"resource.aws_ecs_cluster":                                       {"setting", "configuration", "service_connect_defaults", "default_capacity_provider_strategy"},
	"resource.aws_ecs_cluster_capacity_providers":                    {"default_capacity_provider_strategy"},
	"resource.aws_route_table":                                       {"route", "timeouts"},
	"resource.aws_default_route_table":                               {"route", "timeouts"},
	"resource.aws_security_group":                                    {"ingress", "egress", "timeouts"},
	"resource.aws_default_security_group":                            {"ingress", "egress"},
	"resource.aws_iam_role":                                          {"inline_policy"},
	"resource.aws_vpc_endpoint":                                      {"dns_options", "subnet_configuration", "timeouts"},
	"resource.aws_ecr_repository":                                    {"image_scanning_configuration", "encryption_configuration", "timeouts"},
	"data.aws_iam_policy_document":                                   {"statement"},
	"data.aws_vpc_endpoint_service":                                  {"filter"},
	"data.aws_iam_policy_document.statement":                         {"principals", "not_principals", "condition"},
	"resource.aws_secretsmanager_secret":                             {"replica"},
	"provider.aws":                                                   {"assume_role", "default_tags", "endpoints", "assume_role_with_web_identity"},
	"resource.aws_ecs_capacity_provider":                             {"auto_scaling_group_provider"},
	"resource.aws_ecs_capacity_provider.auto_scaling_group_provider": {"managed_scaling"},
	"resource.aws_autoscaling_group": {"launch_template", "mixed_instances_policy", "tag", "initial_lifecycle_hook",
		"instance_refresh", "warm_pool", "instance_maintenance_policy", "traffic_source", "availability_zone_distribution", "timeouts"},
	"resource.aws_autoscaling_group.mixed_instances_policy":                          {"instances_distribution", "launch_template"},
	"resource.aws_autoscaling_group.mixed_instances_policy.launch_template":          {"launch_template_specification", "override"},
	"resource.aws_autoscaling_group.mixed_instances_policy.launch_template.override": {"launch_template_specification", "instance_requirements"},
	"resource.aws_launch_template": {"iam_instance_profile", "network_interfaces", "block_device_mappings", "metadata_options",
		"monitoring", "placement", "tag_specifications", "credit_specification", "cpu_options", "instance_market_options",
		"private_dns_name_options", "maintenance_options", "enclave_options", "hibernation_options", "capacity_reservation_specification",
		"instance_requirements", "license_specification", "elastic_gpu_specifications", "elastic_inference_accelerator"},
	"resource.aws_launch_configuration":             {"ebs_block_device", "root_block_device", "ephemeral_block_device", "metadata_options"},
	"resource.aws_guardduty_detector_feature":       {"additional_configuration"},
	"resource.aws_ecr_repository_creation_template": {"encryption_configuration"},
}
