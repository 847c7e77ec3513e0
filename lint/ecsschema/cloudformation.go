package ecsschema

import (
	"strings"
	"sync"
)

// CloudFormation spells the ECS documents its own way: the properties of
// AWS::ECS::TaskDefinition and AWS::ECS::Service are the API's fields in
// PascalCase (image is Image), with a few names of their own, and without
// the keys that only AWS writes. CloudFormation matches them exactly: it
// refuses a key in any other case at deploy time. The names were checked
// against the CloudFormation resource specification and the AWS::ECS::*
// pages of the CloudFormation template reference.

// CFNTaskDefinition is the Properties of an AWS::ECS::TaskDefinition.
func CFNTaskDefinition() *Object { return cfn().taskDefinition }

// CFNContainerDefinition is one of its ContainerDefinitions.
func CFNContainerDefinition() *Object { return cfn().containerDefinition }

// CFNService is the Properties of an AWS::ECS::Service.
func CFNService() *Object { return cfn().service }

// cfn derives the CloudFormation spellings on first use: about a millisecond
// that every start of canpull paid at package initialisation, and that only
// a run which reads a template needs.
var cfn = sync.OnceValue(func() (s struct{ taskDefinition, containerDefinition, service *Object }) {
	s.taskDefinition = cloudFormation(TaskDefinition, map[string]bool{
		"taskDefinitionArn": true, "revision": true, "status": true, "requiresAttributes": true, "compatibilities": true,
		"registeredAt": true, "deregisteredAt": true, "deleteRequestedAt": true, "registeredBy": true,
	})
	s.containerDefinition = s.taskDefinition.Field("ContainerDefinitions").Object
	s.service = cloudFormation(Service, map[string]bool{
		"clientToken": true, "serviceArn": true, "clusterArn": true, "status": true, "runningCount": true, "pendingCount": true,
		"platformFamily": true, "taskSets": true, "deployments": true, "roleArn": true, "events": true, "createdAt": true,
		"currentServiceDeployment": true, "currentServiceRevisions": true, "createdBy": true, "resourceManagementType": true,
	}, f("ForceNewDeployment"))
	return s
})

// cfnNames are the properties whose CloudFormation name is not the API's
// in PascalCase, by structure and API field.
var cfnNames = map[string]string{
	"Volume.efsVolumeConfiguration":                  "EFSVolumeConfiguration",
	"Volume.fsxWindowsFileServerVolumeConfiguration": "FSxWindowsFileServerVolumeConfiguration",
	"EFSVolumeConfiguration.fileSystemId":            "FilesystemId",
	"EFSAuthorizationConfig.iam":                     "IAM",
	"ProxyConfiguration.properties":                  "ProxyConfigurationProperties",
	"Service.placementStrategy":                      "PlacementStrategies",
}

// cfnUnchecked are structures whose CloudFormation spelling canpull has not
// confirmed: their keys are not checked.
var cfnUnchecked = map[string]bool{"Volume.s3filesVolumeConfiguration": true}

// cloudFormation derives the CloudFormation spelling of an API structure,
// leaving out the fields in drop and adding extra.
func cloudFormation(o *Object, drop map[string]bool, extra ...*Field) *Object {
	seen := map[*Object]*Object{}
	out := cfnObject(o, drop, seen)
	for _, fd := range extra {
		fd.Parent, fd.API = out, fd.Name
		out.Fields = append(out.Fields, fd)
		out.byName[fd.Name] = fd
		out.byFold[strings.ToLower(fd.Name)] = append(out.byFold[strings.ToLower(fd.Name)], fd)
	}
	return out
}

func cfnObject(o *Object, drop map[string]bool, seen map[*Object]*Object) *Object {
	if c := seen[o]; c != nil {
		return c
	}
	c := &Object{Name: o.Name, byName: map[string]*Field{}, byFold: map[string][]*Field{}}
	seen[o] = c
	for _, fd := range o.Fields {
		if drop[fd.Name] {
			continue
		}
		name := cfnNames[o.Name+"."+fd.Name]
		if name == "" {
			name = strings.ToUpper(fd.Name[:1]) + fd.Name[1:]
		}
		nf := &Field{Name: name, Pull: fd.Pull, Parent: c, API: fd.Name, Shape: fd.Shape}
		if fd.Object != nil && !cfnUnchecked[o.Name+"."+fd.Name] {
			nf.Object = cfnObject(fd.Object, nil, seen)
		}
		c.Fields = append(c.Fields, nf)
		c.byName[nf.Name] = nf
		low := strings.ToLower(nf.Name)
		c.byFold[low] = append(c.byFold[low], nf)
	}
	return c
}
