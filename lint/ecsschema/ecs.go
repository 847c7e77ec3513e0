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
		f("logDriver"), f("options"), list("secretOptions", secret))

	repositoryCredentials = obj("RepositoryCredentials",
		pull(f("credentialsParameter")))

	linuxParameters = obj("LinuxParameters",
		one("capabilities", obj("KernelCapabilities", scalars("add", "drop")...)),
		list("devices", obj("Device", scalars("hostPath", "containerPath", "permissions")...)),
		f("initProcessEnabled"), f("sharedMemorySize"),
		list("tmpfs", obj("Tmpfs", scalars("containerPath", "size", "mountOptions")...)),
		f("maxSwap"), f("swappiness"))

	// ContainerDefinition is one element of containerDefinitions.
	ContainerDefinition = obj("ContainerDefinition", join(
		[]*Field{
			f("name"),
			pull(f("image")),
			pull(one("repositoryCredentials", repositoryCredentials)),
		},
		scalars("cpu", "memory", "memoryReservation", "links"),
		[]*Field{
			list("portMappings", obj("PortMapping",
				scalars("containerPort", "hostPort", "protocol", "name", "appProtocol", "containerPortRange")...)),
			f("essential"),
			one("restartPolicy", obj("ContainerRestartPolicy",
				scalars("enabled", "ignoredExitCodes", "restartAttemptPeriod")...)),
			f("entryPoint"), f("command"),
			list("environment", keyValuePair),
			list("environmentFiles", obj("EnvironmentFile", scalars("value", "type")...)),
			list("mountPoints", obj("MountPoint", scalars("sourceVolume", "containerPath", "readOnly")...)),
			list("volumesFrom", obj("VolumeFrom", scalars("sourceContainer", "readOnly")...)),
			one("linuxParameters", linuxParameters),
			list("secrets", secret),
			list("dependsOn", obj("ContainerDependency", scalars("containerName", "condition")...)),
		},
		scalars("startTimeout", "stopTimeout", "versionConsistency", "hostname", "user", "workingDirectory",
			"disableNetworking", "privileged", "readonlyRootFilesystem", "dnsServers", "dnsSearchDomains"),
		[]*Field{
			list("extraHosts", obj("HostEntry", scalars("hostname", "ipAddress")...)),
			f("dockerSecurityOptions"), f("interactive"), f("pseudoTerminal"), f("dockerLabels"),
			list("ulimits", obj("Ulimit", scalars("name", "softLimit", "hardLimit")...)),
			one("logConfiguration", logConfiguration),
			one("healthCheck", obj("HealthCheck", scalars("command", "interval", "timeout", "retries", "startPeriod")...)),
			list("systemControls", obj("SystemControl", scalars("namespace", "value")...)),
			list("resourceRequirements", obj("ResourceRequirement", scalars("value", "type")...)),
			one("firelensConfiguration", obj("FirelensConfiguration", scalars("type", "options")...)),
			f("credentialSpecs"),
		},
	)...)

	volume = obj("Volume",
		f("name"),
		one("host", obj("HostVolumeProperties", f("sourcePath"))),
		one("dockerVolumeConfiguration", obj("DockerVolumeConfiguration",
			scalars("scope", "autoprovision", "driver", "driverOpts", "labels")...)),
		one("efsVolumeConfiguration", obj("EFSVolumeConfiguration",
			f("fileSystemId"), f("rootDirectory"), f("transitEncryption"), f("transitEncryptionPort"),
			one("authorizationConfig", obj("EFSAuthorizationConfig", scalars("accessPointId", "iam")...)))),
		one("s3filesVolumeConfiguration", obj("S3FilesVolumeConfiguration",
			scalars("fileSystemArn", "rootDirectory", "transitEncryptionPort", "accessPointArn")...)),
		one("fsxWindowsFileServerVolumeConfiguration", obj("FSxWindowsFileServerVolumeConfiguration",
			f("fileSystemId"), f("rootDirectory"),
			one("authorizationConfig", obj("FSxWindowsFileServerAuthorizationConfig",
				scalars("credentialsParameter", "domain")...)))),
		f("configuredAtLaunch"))

	// TaskDefinition is a register-task-definition input, or the
	// taskDefinition of a describe-task-definition output.
	TaskDefinition = obj("TaskDefinition",
		// RegisterTaskDefinition's request.
		f("family"), f("taskRoleArn"), pull(f("executionRoleArn")), f("networkMode"),
		pull(list("containerDefinitions", ContainerDefinition)),
		list("volumes", volume),
		list("placementConstraints", obj("TaskDefinitionPlacementConstraint", scalars("type", "expression")...)),
		f("requiresCompatibilities"), f("cpu"), f("memory"),
		list("tags", tag),
		f("pidMode"), f("ipcMode"),
		one("proxyConfiguration", obj("ProxyConfiguration", f("type"), f("containerName"), list("properties", keyValuePair))),
		list("inferenceAccelerators", obj("InferenceAccelerator", scalars("deviceName", "deviceType")...)),
		one("ephemeralStorage", obj("EphemeralStorage", f("sizeInGiB"))),
		pull(one("runtimePlatform", obj("RuntimePlatform",
			pull(f("cpuArchitecture")), pull(f("operatingSystemFamily"))))),
		f("enableFaultInjection"),
		// What DescribeTaskDefinition adds.
		f("taskDefinitionArn"), f("revision"), f("status"),
		list("requiresAttributes", obj("Attribute", scalars("name", "value", "targetType", "targetId")...)),
		f("compatibilities"), f("registeredAt"), f("deregisteredAt"), f("deleteRequestedAt"), f("registeredBy"))

	capacityProviderStrategyItem = obj("CapacityProviderStrategyItem",
		f("capacityProvider"), f("weight"), f("base"))

	networkConfiguration = obj("NetworkConfiguration",
		pull(one("awsvpcConfiguration", obj("AwsVpcConfiguration",
			pull(f("subnets")), pull(f("securityGroups")), pull(f("assignPublicIp"))))))

	loadBalancer = obj("LoadBalancer",
		f("targetGroupArn"), f("loadBalancerName"), f("containerName"), f("containerPort"),
		one("advancedConfiguration", obj("AdvancedConfiguration",
			scalars("alternateTargetGroupArn", "productionListenerRule", "testListenerRule", "roleArn")...)))

	deploymentConfiguration = obj("DeploymentConfiguration",
		one("deploymentCircuitBreaker", obj("DeploymentCircuitBreaker", scalars("enable", "rollback")...)),
		f("maximumPercent"), f("minimumHealthyPercent"),
		one("alarms", obj("DeploymentAlarms", scalars("alarmNames", "rollback", "enable")...)),
		f("strategy"), f("bakeTimeInMinutes"),
		list("lifecycleHooks", obj("DeploymentLifecycleHook",
			f("targetType"), f("hookTargetArn"), f("roleArn"), f("lifecycleStages"), f("hookDetails"),
			one("timeoutConfiguration", obj("DeploymentLifecycleHookTimeoutConfiguration",
				scalars("timeoutInMinutes", "action")...)))),
		one("linearConfiguration", obj("LinearConfiguration", scalars("stepPercent", "stepBakeTimeInMinutes")...)),
		one("canaryConfiguration", obj("CanaryConfiguration", scalars("canaryPercent", "canaryBakeTimeInMinutes")...)))

	// Service is a create-service input, or one service of a
	// describe-services output.
	Service = obj("Service",
		// CreateService's request.
		f("cluster"), f("serviceName"), f("taskDefinition"), f("availabilityZoneRebalancing"),
		list("loadBalancers", loadBalancer),
		list("serviceRegistries", obj("ServiceRegistry", scalars("registryArn", "port", "containerName", "containerPort")...)),
		f("desiredCount"), f("clientToken"), f("launchType"),
		list("capacityProviderStrategy", capacityProviderStrategyItem),
		f("platformVersion"), f("role"),
		one("deploymentConfiguration", deploymentConfiguration),
		list("placementConstraints", obj("PlacementConstraint", scalars("type", "expression")...)),
		list("placementStrategy", obj("PlacementStrategy", scalars("type", "field")...)),
		pull(one("networkConfiguration", networkConfiguration)),
		f("healthCheckGracePeriodSeconds"), f("schedulingStrategy"),
		one("deploymentController", obj("DeploymentController", f("type"))),
		list("tags", tag),
		f("enableECSManagedTags"), f("propagateTags"), f("enableExecuteCommand"),
		// Large, fast-moving structures that do not bear on pulling: their
		// keys are not checked.
		f("serviceConnectConfiguration"), f("volumeConfigurations"), f("vpcLatticeConfigurations"),
		// What DescribeServices adds; written by AWS, not by hand.
		f("serviceArn"), f("clusterArn"), f("status"), f("runningCount"), f("pendingCount"),
		f("platformFamily"), f("taskSets"), f("deployments"), f("roleArn"), f("events"), f("createdAt"),
		f("currentServiceDeployment"), f("currentServiceRevisions"), f("createdBy"), f("resourceManagementType"))
)
