"""Runs moto's server with the fixes the emulated pipeline needs.

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

5. Answers that Terraform reads back match AWS's (SQS redrive policy and encryption, Redshift cluster
fields, Glue tags, execution class and job run queuing, security group rule descriptions), so a second
`terraform apply` of stage local plans no change, and the updates Terraform makes exist (Glue UpdateJob,
Redshift ModifyClusterIamRoles). Each patch below says what AWS does. The first apply's remaining minutes
are the AWS provider's own fixed waits (e.g. six equal reads five seconds apart after every SQS queue
create), which no answer shortens.

6. S3 event notifications carry the object's versionId (on a versioned bucket) and a sequencer, as
AWS's do; moto sends only key, size and eTag, so two uploads of the same bytes looked like one. Their
keys keep "/" unescaped, as AWS's do (moto escapes it as %2F).

7. An aws-chunked upload (what the AWS SDKs and CLI send for a streamed body with a checksum) is
decoded in linear time: moto appended each chunk to an immutable bytes object, copying the whole body
per chunk, so a 190 MB file took 138 s to upload (1.5 s sent unchunked).
"""

import io
import json
import re
import sys
from urllib.parse import quote_plus

from moto.core.responses import ActionResult
from moto.core.utils import camelcase_to_underscores, utcnow
from moto.ec2.models import security_groups as ec2_security_groups
from moto.glue import models as glue_models
from moto.glue import responses as glue_responses
from moto.iam.access_control import IAMPolicy, PermissionResult
from moto.redshift import models as redshift_models
from moto.redshift import responses as redshift_responses
from moto.s3 import models as s3_models
from moto.s3 import notifications as s3_notifications
from moto.s3 import responses as s3_responses
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


def _attributes_as_aws_returns_them(self):
    result = _queue_attributes(self)
    if result.get("RedriveAllowPolicy") is None:
        result.pop("RedriveAllowPolicy", None)
    # AWS returns the redrive policy as compact JSON, {"deadLetterTargetArn":"arn:...","maxReceiveCount":5};
    # moto's spaced json.dumps made Terraform plan a whitespace-only update on every apply.
    if self.redrive_policy:
        result["RedrivePolicy"] = json.dumps(self.redrive_policy, separators=(",", ":"))
    # A queue has one kind of server-side encryption: with a KMS key, SQS-managed SSE reads "false" on AWS.
    if self.kms_master_key_id:
        result["SqsManagedSseEnabled"] = "false"
    return result


sqs_models.Queue.attributes = property(_attributes_as_aws_returns_them)


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
        {
            "ParameterName": key,
            "ParameterValue": value,
            "Source": "user",
            "DataType": "string",
            "ApplyType": "static",
            "IsModifiable": True,
        }
        for key, value in getattr(self.redshift_backend.parameter_groups[name], "user_parameters", {}).items()
    ]
    overridden = {parameter["ParameterName"] for parameter in user}
    parameters = user + [parameter for parameter in defaults if parameter["ParameterName"] not in overridden]
    return ActionResult(
        {"Parameters": [parameter for parameter in parameters if not source or parameter["Source"] == source]}
    )


redshift_models.Cluster.cluster_availability_status = property(
    lambda self: {"available": "Available", "paused": "Paused"}.get(self.status, "Modifying")
)
redshift_models.Cluster.availability_zone_relocation_status = "disabled"
redshift_models.Cluster.multi_az = "Disabled"
_create_cluster = redshift_responses.RedshiftResponse.create_cluster
_modify_cluster = redshift_responses.RedshiftResponse.modify_cluster


def _cluster_as_aws_describes_it(response, cluster, created: bool) -> None:
    """The DescribeClusters fields moto leaves out or formats its own way, as AWS returns them."""
    parameters = {
        "default_iam_role_arn": response._get_param("DefaultIamRoleArn"),
        "maintenance_track_name": response._get_param("MaintenanceTrackName"),
        "manual_snapshot_retention_period": response._get_int_param("ManualSnapshotRetentionPeriod"),
    }
    for name, value in parameters.items():
        if value is not None:
            setattr(cluster, name, value)
    if created and str(response._get_param("ManageMasterPassword")).lower() == "true":
        cluster.master_password_secret_kms_key_id = response._get_param("MasterPasswordSecretKmsKeyId")
    # AWS answers the window in lower case ("mon:03:00-mon:03:30") whatever case it was given in.
    cluster.preferred_maintenance_window = cluster.preferred_maintenance_window.lower()


def _create_cluster_as_aws(self):
    result = _create_cluster(self)
    identifier = self._get_param("ClusterIdentifier")
    cluster = self.redshift_backend.clusters[identifier]
    _cluster_as_aws_describes_it(self, cluster, created=True)
    if str(self._get_param("ManageMasterPassword")).lower() == "true":
        secret = json.loads(
            secretsmanager_backends[self.current_account][self.region].create_secret(
                name=f"redshift!{identifier}-admin",
                secret_string=json.dumps(
                    {"username": self._get_param("MasterUsername"), "password": "emulated-admin-password"}
                ),
                secret_binary=None,
                description=f"Admin password of Redshift cluster {identifier}",
                tags=None,
                kms_key_id=self._get_param("MasterPasswordSecretKmsKeyId"),
                client_request_token=None,
                replica_regions=[],
                force_overwrite=False,
            )
        )
        cluster.master_password_secret_arn = secret["ARN"]
    return result


def _modify_cluster_as_aws(self):
    result = _modify_cluster(self)
    identifier = self._get_param("NewClusterIdentifier") or self._get_param("ClusterIdentifier")
    _cluster_as_aws_describes_it(self, self.redshift_backend.clusters[identifier], created=False)
    return result


def _modify_cluster_iam_roles(self):
    """Adds and removes the cluster's IAM roles and sets its default role; moto answers "not implemented"."""
    cluster = self.redshift_backend.describe_clusters(self._get_param("ClusterIdentifier"))[0]  # raises ClusterNotFound
    removed = set(self._get_param("RemoveIamRoles", []))
    kept = [arn for arn in cluster.iam_roles_arn if arn not in removed]
    cluster.iam_roles_arn = kept + [arn for arn in self._get_param("AddIamRoles", []) if arn not in kept]
    default = self._get_param("DefaultIamRoleArn")
    if default is not None:
        cluster.default_iam_role_arn = default
    elif cluster.default_iam_role_arn in removed:
        cluster.default_iam_role_arn = None
    return ActionResult({"Cluster": cluster})


# What AWS reports for a cluster created without these settings.
redshift_models.Cluster.default_iam_role_arn = None
redshift_models.Cluster.maintenance_track_name = "current"
redshift_models.Cluster.manual_snapshot_retention_period = -1
redshift_models.Cluster.master_password_secret_kms_key_id = None
redshift_models.Cluster.master_password_secret_arn = None
redshift_responses.RedshiftResponse.create_cluster = _create_cluster_as_aws
redshift_responses.RedshiftResponse.modify_cluster = _modify_cluster_as_aws
redshift_responses.RedshiftResponse.modify_cluster_iam_roles = _modify_cluster_iam_roles
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

_GLUE_ARN_WITHOUT_ACCOUNT = re.compile(r"^(arn:[^:]+:glue:[^:]*:):")


def _with_account(method):
    """
    Glue ARNs that Terraform builds without an account id mean this account.

    The provider forms a Glue resource's ARN from the account id it knows, which stays empty on stage
    local (the override sets skip_requesting_account_id); AWS itself never sees such an ARN. moto keys
    tags by ARN, so without this GetTags answered {} for every database, crawler and job.
    """

    def call(self, resource_arn, *args):
        return method(self, _GLUE_ARN_WITHOUT_ACCOUNT.sub(rf"\g<1>{self.account_id}:", resource_arn or ""), *args)

    return call


for _name in ("get_tags", "tag_resource", "untag_resource"):
    setattr(glue_models.GlueBackend, _name, _with_account(getattr(glue_models.GlueBackend, _name)))

_create_job = glue_responses.GlueResponse.create_job


def _create_job_as_aws(self):
    result = _create_job(self)
    # AWS returns ExecutionClass only when the job was given one; moto's "STANDARD" default made
    # Terraform plan to clear it on every apply.
    job = self.glue_backend.get_job(self._get_param("Name"))
    job.execution_class = self._get_param("ExecutionClass")
    job.job_run_queuing_enabled = self._get_param("JobRunQueuingEnabled")
    return result


_job_as_dict = glue_models.FakeJob.as_dict


def _job_as_dict_with_queuing(self):
    """GetJob returns JobRunQueuingEnabled when the job has it set; moto drops the field."""
    job = _job_as_dict(self)
    queuing = getattr(self, "job_run_queuing_enabled", None)
    if queuing is not None:
        job["JobRunQueuingEnabled"] = queuing
    return job


glue_models.FakeJob.as_dict = _job_as_dict_with_queuing


# The fields of a job definition that UpdateJob's JobUpdate carries (everything but the name and tags).
_JOB_UPDATE_FIELDS = (
    "Description",
    "LogUri",
    "Role",
    "ExecutionProperty",
    "Command",
    "DefaultArguments",
    "NonOverridableArguments",
    "Connections",
    "MaxRetries",
    "AllocatedCapacity",
    "Timeout",
    "MaxCapacity",
    "WorkerType",
    "NumberOfWorkers",
    "SecurityConfiguration",
    "NotificationProperty",
    "GlueVersion",
    "CodeGenConfigurationNodes",
    "ExecutionClass",
    "SourceControlDetails",
    "JobRunQueuingEnabled",
)


def _update_job(self):
    """UpdateJob, which moto lacks: AWS overwrites the whole job definition with JobUpdate."""
    name = self._get_param("JobName")
    job = self.glue_backend.get_job(name)  # raises EntityNotFoundException
    update = self._get_param("JobUpdate") or {}
    for field in _JOB_UPDATE_FIELDS:
        setattr(job, camelcase_to_underscores(field), update.get(field))
    job.execution_property = job.execution_property or {}
    job.default_arguments = job.default_arguments or {}
    job.last_modified_on = utcnow()
    return ActionResult({"JobName": name})


glue_responses.GlueResponse.create_job = _create_job_as_aws
glue_responses.GlueResponse.update_job = _update_job

_security_group_rule_init = ec2_security_groups.SecurityGroupRule.__init__


def _security_group_rule_init_keeping_description(
    self,
    ec2_backend,
    ip_protocol,
    group_id,
    from_port,
    to_port,
    ip_range,
    source_group=None,
    prefix_list_id=None,
    **kwargs,
):
    _security_group_rule_init(
        self, ec2_backend, ip_protocol, group_id, from_port, to_port, ip_range, source_group, prefix_list_id, **kwargs
    )
    self.prefix_list_description = (prefix_list_id or {}).get("Description")


# A rule's Description is the one given with its target, whichever kind: moto only kept it for CIDR
# targets, so a rule to a prefix list (the S3 gateway endpoint) lost its description.
ec2_security_groups.SecurityGroupRule.__init__ = _security_group_rule_init_keeping_description
ec2_security_groups.SecurityGroupRule.description = property(
    lambda self: (
        self.ip_range.get("Description")
        or self.source_group.get("Description")
        or getattr(self, "prefix_list_description", None)
    )
)


def _decode_aws_chunked(self, body):
    """The payload of an aws-chunked body ("<hex size>\\r\\n<data>\\r\\n" ... "0\\r\\n" trailers), joined once."""
    if not body:
        return b""
    stream = io.BytesIO(body) if isinstance(body, bytes) else body
    chunks = []
    size = int(stream.readline().strip(), 16)
    while size > 0:
        chunks.append(stream.read(size))
        stream.readline()  # the CRLF after the data
        size = int(stream.readline().strip(), 16)
    return b"".join(chunks)


s3_responses.S3Response._handle_encoded_body = _decode_aws_chunked

from moto.server import main  # noqa: E402  (the patch must come first)

main(sys.argv[1:])
