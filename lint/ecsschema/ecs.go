package ecsschema

// The documents, as the ECS API reference (API version 2014-11-13) defines
// them. Output-only keys (taskDefinitionArn, revision, serviceArn, events,
// …) are included, because canpull also reads describe-task-definition and
// describe-services output, and the usual way to keep a task definition in
// a repository is to save that output.

var (
	keyValuePair = obj("KeyValuePair", scalars("name", "value")...)
	tag          = obj("Tag", scalars("key", "value")...)
	secret       = obj("Secret", scalars("name", "valueFrom")...)

	logConfiguration = obj("LogConfiguration",
		f("logDriver"), f("options"), n("secretOptions", secret))

	repositoryCredentials = obj("RepositoryCredentials",
		pull(f("credentialsParameter")))

	linuxParameters = obj("LinuxParameters",
		n("capabilities", obj("KernelCapabilities", scalars("add", "drop")...)),
		n("devices", obj("Device", scalars("hostPath", "containerPath", "permissions")...)),
		f("initProcessEnabled"), f("sharedMemorySize"),
		n("tmpfs", obj("Tmpfs", scalars("containerPath", "size", "mountOptions")...)),
		f("maxSwap"), f("swappiness"))

	// ContainerDefinition is one element of containerDefinitions.
	ContainerDefinition = obj("ContainerDefinition", join(
		[]*Field{
			f("name"),
			pull(f("image")),
			pull(n("repositoryCredentials", repositoryCredentials)),
		},
		scalars("cpu", "memory", "memoryReservation", "links"),
		[]*Field{
			n("portMappings", obj("PortMapping",
				scalars("containerPort", "hostPort", "protocol", "name", "appProtocol", "containerPortRange")...)),
			f("essential"),
			n("restartPolicy", obj("ContainerRestartPolicy",
				scalars("enabled", "ignoredExitCodes", "restartAttemptPeriod")...)),
			f("entryPoint"), f("command"),
			n("environment", keyValuePair),
			n("environmentFiles", obj("EnvironmentFile", scalars("value", "type")...)),
			n("mountPoints", obj("MountPoint", scalars("sourceVolume", "containerPath", "readOnly")...)),
			n("volumesFrom", obj("VolumeFrom", scalars("sourceContainer", "readOnly")...)),
			n("linuxParameters", linuxParameters),
			n("secrets", secret),
			n("dependsOn", obj("ContainerDependency", scalars("containerName", "condition")...)),
		},
		scalars("startTimeout", "stopTimeout", "versionConsistency", "hostname", "user", "workingDirectory",
			"disableNetworking", "privileged", "readonlyRootFilesystem", "dnsServers", "dnsSearchDomains"),
		[]*Field{
			n("extraHosts", obj("HostEntry", scalars("hostname", "ipAddress")...)),
			f("dockerSecurityOptions"), f("interactive"), f("pseudoTerminal"), f("dockerLabels"),
			n("ulimits", obj("Ulimit", scalars("name", "softLimit", "hardLimit")...)),
			n("logConfiguration", logConfiguration),
			n("healthCheck", obj("HealthCheck", scalars("command", "interval", "timeout", "retries", "startPeriod")...)),
			n("systemControls", obj("SystemControl", scalars("namespace", "value")...)),
			n("resourceRequirements", obj("ResourceRequirement", scalars("value", "type")...)),
			n("firelensConfiguration", obj("FirelensConfiguration", scalars("type", "options")...)),
			f("credentialSpecs"),
		},
	)...)

	volume = obj("Volume",
		f("name"),
		n("host", obj("HostVolumeProperties", f("sourcePath"))),
		n("dockerVolumeConfiguration", obj("DockerVolumeConfiguration",
			scalars("scope", "autoprovision", "driver", "driverOpts", "labels")...)),
		n("efsVolumeConfiguration", obj("EFSVolumeConfiguration",
			f("fileSystemId"), f("rootDirectory"), f("transitEncryption"), f("transitEncryptionPort"),
			n("authorizationConfig", obj("EFSAuthorizationConfig", scalars("accessPointId", "iam")...)))),
		n("s3filesVolumeConfiguration", obj("S3FilesVolumeConfiguration",
			scalars("fileSystemArn", "rootDirectory", "transitEncryptionPort", "accessPointArn")...)),
		n("fsxWindowsFileServerVolumeConfiguration", obj("FSxWindowsFileServerVolumeConfiguration",
			f("fileSystemId"), f("rootDirectory"),
			n("authorizationConfig", obj("FSxWindowsFileServerAuthorizationConfig",
				scalars("credentialsParameter", "domain")...)))),
		f("configuredAtLaunch"))

	// TaskDefinition is a register-task-definition input, or the
	// taskDefinition of a describe-task-definition output.
	TaskDefinition = obj("TaskDefinition",
		// RegisterTaskDefinition's request.
		f("family"), f("taskRoleArn"), pull(f("executionRoleArn")), f("networkMode"),
		pull(n("containerDefinitions", ContainerDefinition)),
		n("volumes", volume),
		n("placementConstraints", obj("TaskDefinitionPlacementConstraint", scalars("type", "expression")...)),
		f("requiresCompatibilities"), f("cpu"), f("memory"),
		n("tags", tag),
		f("pidMode"), f("ipcMode"),
		n("proxyConfiguration", obj("ProxyConfiguration", f("type"), f("containerName"), n("properties", keyValuePair))),
		n("inferenceAccelerators", obj("InferenceAccelerator", scalars("deviceName", "deviceType")...)),
		n("ephemeralStorage", obj("EphemeralStorage", f("sizeInGiB"))),
		pull(n("runtimePlatform", obj("RuntimePlatform",
			pull(f("cpuArchitecture")), pull(f("operatingSystemFamily"))))),
		f("enableFaultInjection"),
		// What DescribeTaskDefinition adds.
		f("taskDefinitionArn"), f("revision"), f("status"),
		n("requiresAttributes", obj("Attribute", scalars("name", "value", "targetType", "targetId")...)),
		f("compatibilities"), f("registeredAt"), f("deregisteredAt"), f("deleteRequestedAt"), f("registeredBy"))

	capacityProviderStrategyItem = obj("CapacityProviderStrategyItem",
		f("capacityProvider"), f("weight"), f("base"))

	networkConfiguration = obj("NetworkConfiguration",
		pull(n("awsvpcConfiguration", obj("AwsVpcConfiguration",
			pull(f("subnets")), pull(f("securityGroups")), pull(f("assignPublicIp"))))))

	loadBalancer = obj("LoadBalancer",
		f("targetGroupArn"), f("loadBalancerName"), f("containerName"), f("containerPort"),
		n("advancedConfiguration", obj("AdvancedConfiguration",
			scalars("alternateTargetGroupArn", "productionListenerRule", "testListenerRule", "roleArn")...)))

	deploymentConfiguration = obj("DeploymentConfiguration",
		n("deploymentCircuitBreaker", obj("DeploymentCircuitBreaker", scalars("enable", "rollback")...)),
		f("maximumPercent"), f("minimumHealthyPercent"),
		n("alarms", obj("DeploymentAlarms", scalars("alarmNames", "rollback", "enable")...)),
		f("strategy"), f("bakeTimeInMinutes"),
		n("lifecycleHooks", obj("DeploymentLifecycleHook",
			f("targetType"), f("hookTargetArn"), f("roleArn"), f("lifecycleStages"), f("hookDetails"),
			n("timeoutConfiguration", obj("DeploymentLifecycleHookTimeoutConfiguration",
				scalars("timeoutInMinutes", "action")...)))),
		n("linearConfiguration", obj("LinearConfiguration", scalars("stepPercent", "stepBakeTimeInMinutes")...)),
		n("canaryConfiguration", obj("CanaryConfiguration", scalars("canaryPercent", "canaryBakeTimeInMinutes")...)))

	// Service is a create-service input, or one service of a
	// describe-services output.
	Service = obj("Service",
		// CreateService's request.
		f("cluster"), f("serviceName"), f("taskDefinition"), f("availabilityZoneRebalancing"),
		n("loadBalancers", loadBalancer),
		n("serviceRegistries", obj("ServiceRegistry", scalars("registryArn", "port", "containerName", "containerPort")...)),
		f("desiredCount"), f("clientToken"), f("launchType"),
		n("capacityProviderStrategy", capacityProviderStrategyItem),
		f("platformVersion"), f("role"),
		n("deploymentConfiguration", deploymentConfiguration),
		n("placementConstraints", obj("PlacementConstraint", scalars("type", "expression")...)),
		n("placementStrategy", obj("PlacementStrategy", scalars("type", "field")...)),
		pull(n("networkConfiguration", networkConfiguration)),
		f("healthCheckGracePeriodSeconds"), f("schedulingStrategy"),
		n("deploymentController", obj("DeploymentController", f("type"))),
		n("tags", tag),
		f("enableECSManagedTags"), f("propagateTags"), f("enableExecuteCommand"),
		// Large, fast-moving structures that do not bear on pulling: their
		// keys are not checked.
		f("serviceConnectConfiguration"), f("volumeConfigurations"), f("vpcLatticeConfigurations"),
		// What DescribeServices adds; written by AWS, not by hand.
		f("serviceArn"), f("clusterArn"), f("status"), f("runningCount"), f("pendingCount"),
		f("platformFamily"), f("taskSets"), f("deployments"), f("roleArn"), f("events"), f("createdAt"),
		f("currentServiceDeployment"), f("currentServiceRevisions"), f("createdBy"), f("resourceManagementType"))
)
