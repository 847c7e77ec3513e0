package terraform

import (
	"github.com/canpull/canpull/lint/model"
)

var (
	clusterTypes = []string{"aws_ecs_cluster"}
	taskdefTypes = []string{"aws_ecs_task_definition"}
)

func (b *builder) ecs() {
	clusters := map[string]*model.Cluster{}
	for _, ri := range b.byType["aws_ecs_cluster"] {
		c := &model.Cluster{Meta: b.meta(ri), Name: ri.block.str("name", ""), Tags: ri.block.tags("tags"),
			CapacityProviders: model.DefaultFact[[]string](nil, ri.block.defRange)}
		// Older provider versions set the default strategy on the cluster.
		if blocks, known := ri.block.nested("default_capacity_provider_strategy"); len(blocks) > 0 || !known {
			c.DefaultStrategy = b.strategy(ri.block, "default_capacity_provider_strategy")
		} else {
			c.DefaultStrategy = model.Strategy{Known: true, Range: ri.block.defRange}
		}
		clusters[ri.addr] = c
		b.cfg.Add(c)
	}
	unknownDefaults := b.unknownTypes["aws_ecs_cluster_capacity_providers"]
	for _, ri := range b.byType["aws_ecs_cluster_capacity_providers"] {
		cr := b.ref(ri.block.attrs["cluster_name"], clusterTypes...)
		c := clusters[cr.Addr]
		if c == nil {
			unknownDefaults = unknownDefaults || !cr.Known
			continue
		}
		c.DefaultStrategy = b.strategy(ri.block, "default_capacity_provider_strategy")
		c.CapacityProviders = ri.block.strings("capacity_providers")
	}
	if unknownDefaults {
		for _, c := range clusters {
			c.DefaultStrategy.Known = false
			c.CapacityProviders = model.UnknownFact[[]string](c.CapacityProviders.Range)
		}
	}

	for _, ri := range b.byType["aws_ecs_task_definition"] {
		eb := ri.block
		td := &model.TaskDefinition{
			Meta:                    b.meta(ri),
			Family:                  eb.str("family", ""),
			RequiresCompatibilities: eb.strings("requires_compatibilities"),
			NetworkMode:             eb.str("network_mode", ""),
			ExecutionRole:           b.ref(eb.attrs["execution_role_arn"], roleTypes...),
			TaskRole:                b.ref(eb.attrs["task_role_arn"], roleTypes...),
			CPUArchitecture:         model.DefaultFact("X86_64", eb.defRange),
			OSFamily:                model.DefaultFact("LINUX", eb.defRange),
			EphemeralStorage:        model.DefaultFact(false, eb.defRange),
			EphemeralStorageGiB:     model.DefaultFact(0, eb.defRange),
			Tags:                    eb.tags("tags"),
		}
		if rp := eb.first("runtime_platform"); rp != nil {
			td.CPUArchitecture = rp.str("cpu_architecture", "X86_64")
			td.OSFamily = rp.str("operating_system_family", "LINUX")
		}
		if es := eb.first("ephemeral_storage"); es != nil {
			td.EphemeralStorage = model.KnownFact(true, es.defRange)
			td.EphemeralStorageGiB = es.integer("size_in_gib", 0)
		}
		b.containers(td, eb.attrs["container_definitions"])
		b.cfg.Add(td)
	}

	for _, ri := range b.byType["aws_ecs_service"] {
		eb := ri.block
		s := &model.Service{
			Meta:             b.meta(ri),
			Name:             eb.str("name", ""),
			Cluster:          b.ref(eb.attrs["cluster"], clusterTypes...),
			TaskDefinition:   b.ref(eb.attrs["task_definition"], taskdefTypes...),
			LaunchType:       eb.str("launch_type", ""),
			CapacityStrategy: b.strategy(eb, "capacity_provider_strategy"),
			PlatformVersion:  eb.str("platform_version", "LATEST"),
			Tags:             eb.tags("tags"),
			PropagateTags:    eb.str("propagate_tags", "NONE"),
		}
		if nc := eb.first("network_configuration"); nc != nil {
			s.Network = &model.NetworkConfig{
				Subnets:        b.refs(nc, "subnets", subnetTypes...),
				SecurityGroups: b.groupRefs(nc, "security_groups"),
				AssignPublicIP: nc.boolean("assign_public_ip", false),
				Range:          nc.defRange,
			}
		} else if _, known := eb.nested("network_configuration"); !known {
			s.Network = &model.NetworkConfig{Subnets: model.Refs{Range: eb.defRange}, SecurityGroups: model.Refs{Range: eb.defRange},
				AssignPublicIP: model.UnknownFact[bool](eb.defRange), Range: eb.defRange}
		}
		b.cfg.Add(s)
	}
}

// strategy reads capacity provider strategy blocks.
func (b *builder) strategy(eb *evalBlock, typ string) model.Strategy {
	blocks, known := eb.nested(typ)
	st := model.Strategy{Known: known, Set: len(blocks) > 0 || !known, Range: eb.defRange}
	if len(blocks) > 0 {
		st.Range = blocks[0].defRange
	}
	for _, sb := range blocks {
		st.Items = append(st.Items, model.StrategyItem{
			Provider: sb.str("capacity_provider", ""),
			Weight:   sb.integer("weight", 0),
			Base:     sb.integer("base", 0),
		})
	}
	return st
}
