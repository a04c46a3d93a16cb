"""Runs moto's server with three fixes the emulated pipeline needs.

1. Its in-process SQS -> Lambda dispatch is turned off.

moto receives the messages of a queue that has a Lambda event source mapping as soon as they are sent,
which counts a receive (and so moves them to the dead-letter queue one receive early) and then fails for
want of Docker. The emulator's Lambda runtime polls those queues itself, as AWS Lambda does.

2. Bucket policy statements with a Condition are left out of moto's evaluation. moto cannot evaluate
conditions and applies such statements unconditionally, so the usual "deny unless aws:SecureTransport"
statement denied every request.

3. Redshift's ModifyClusterParameterGroup exists and DescribeClusterParameters returns the user's
parameters (moto answers "not implemented", which Terraform retries forever).

Its clusters also report ClusterAvailabilityStatus, AvailabilityZoneRelocationStatus and MultiAZ, which
Terraform waits for, and a cluster created with ManageMasterPassword gets its admin secret in
Secrets Manager (MasterPasswordSecretArn), as on AWS.

4. SQS keeps and returns the RedriveAllowPolicy attribute (moto drops it, so Terraform waits forever
for aws_sqs_queue_redrive_allow_policy to appear).

5. S3 event notifications carry the object's versionId (on a versioned bucket) and a sequencer, as
AWS's do; moto sends only key, size and eTag, so two uploads of the same bytes looked like one. Their
keys keep "/" unescaped, as AWS's do (moto escapes it as %2F).
"""
import json
import sys
from urllib.parse import quote_plus

from moto.core.responses import ActionResult
from moto.iam.access_control import IAMPolicy, PermissionResult
from moto.redshift import models as redshift_models
from moto.redshift import responses as redshift_responses
from moto.s3 import models as s3_models
from moto.s3 import notifications as s3_notifications
from moto.secretsmanager.models import secretsmanager_backends
from moto.sqs import models as sqs_models

sqs_models.Queue.lambda_event_source_mappings = property(lambda self: {}, lambda self, value: None)


def _permission_without_conditions(self, action, resource):
    if self.policy is None:
        return PermissionResult.NEUTRAL
    policy = json.loads(self.policy)
    statements = policy.get("Statement", [])
    statements = statements if isinstance(statements, list) else [statements]
    unconditioned = [statement for statement in statements if "Condition" not in statement]
    if not unconditioned:
        return PermissionResult.NEUTRAL
    return IAMPolicy(json.dumps({**policy, "Statement": unconditioned})).is_action_permitted(action, resource)


s3_models.FakeBucket.get_permission = _permission_without_conditions

sqs_models.Queue.BASE_ATTRIBUTES = [*sqs_models.Queue.BASE_ATTRIBUTES, "RedriveAllowPolicy"]
sqs_models.Queue.redrive_allow_policy = None
_queue_attributes = sqs_models.Queue.attributes.fget


def _attributes_with_redrive_allow_policy(self):
    result = _queue_attributes(self)
    if result.get("RedriveAllowPolicy") is None:
        result.pop("RedriveAllowPolicy", None)
    return result


sqs_models.Queue.attributes = property(_attributes_with_redrive_allow_policy)

def _modify_cluster_parameter_group(self):
    name = self._get_param("ParameterGroupName")
    self.redshift_backend.describe_cluster_parameters(name)  # raises ClusterParameterGroupNotFound
    group = self.redshift_backend.parameter_groups[name]
    group.user_parameters = {
        **getattr(group, "user_parameters", {}),
        **{parameter["ParameterName"]: parameter["ParameterValue"] for parameter in self._get_param("Parameters", [])},
    }
    return ActionResult({"ParameterGroupName": name, "ParameterGroupStatus": "Your parameter group has been updated."})


def _describe_cluster_parameters(self):
    name = self._get_param("ParameterGroupName")
    source = self._get_param("Source")
    defaults = self.redshift_backend.describe_cluster_parameters(name)
    user = [
        {"ParameterName": key, "ParameterValue": value, "Source": "user", "DataType": "string", "ApplyType": "static", "IsModifiable": True}
        for key, value in getattr(self.redshift_backend.parameter_groups[name], "user_parameters", {}).items()
    ]
    overridden = {parameter["ParameterName"] for parameter in user}
    parameters = user + [parameter for parameter in defaults if parameter["ParameterName"] not in overridden]
    return ActionResult({"Parameters": [parameter for parameter in parameters if not source or parameter["Source"] == source]})


redshift_models.Cluster.cluster_availability_status = property(
    lambda self: {"available": "Available", "paused": "Paused"}.get(self.status, "Modifying")
)
redshift_models.Cluster.availability_zone_relocation_status = "disabled"
redshift_models.Cluster.multi_az = "Disabled"
_create_cluster = redshift_responses.RedshiftResponse.create_cluster


def _create_cluster_with_managed_password(self):
    result = _create_cluster(self)
    if str(self._get_param("ManageMasterPassword")).lower() == "true":
        identifier = self._get_param("ClusterIdentifier")
        secret = json.loads(secretsmanager_backends[self.current_account][self.region].create_secret(
            name=f"redshift!{identifier}-admin",
            secret_string=json.dumps({"username": self._get_param("MasterUsername"), "password": "emulated-admin-password"}),
            secret_binary=None, description=f"Admin password of Redshift cluster {identifier}", tags=None,
            kms_key_id=self._get_param("MasterPasswordSecretKmsKeyId"), client_request_token=None,
            replica_regions=[], force_overwrite=False,
        ))
        self.redshift_backend.clusters[identifier].master_password_secret_arn = secret["ARN"]
    return result


redshift_models.Cluster.master_password_secret_arn = None
redshift_responses.RedshiftResponse.create_cluster = _create_cluster_with_managed_password
redshift_responses.RedshiftResponse.modify_cluster_parameter_group = _modify_cluster_parameter_group
redshift_responses.RedshiftResponse.describe_cluster_parameters = _describe_cluster_parameters

_s3_event = s3_notifications._get_s3_event
_sequence = iter(range(1, 1 << 62))


def _s3_event_with_version(event_name, bucket, key, notification_id):
    event = _s3_event(event_name, bucket, key, notification_id)
    described = event["Records"][0]["s3"]["object"]
    described["key"] = quote_plus(key.name, safe="/")
    if getattr(bucket, "is_versioned", False) and key.version_id not in (None, "null"):
        described["versionId"] = key.version_id
    described["sequencer"] = format(next(_sequence), "016X")
    return event


s3_notifications._get_s3_event = _s3_event_with_version

from moto.server import main  # noqa: E402  (the patch must come first)

main(sys.argv[1:])
