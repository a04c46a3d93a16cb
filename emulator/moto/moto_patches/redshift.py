"""Redshift as AWS answers it.

- ModifyClusterParameterGroup exists and DescribeClusterParameters returns the user's parameters (moto
  answers "not implemented", which Terraform retries forever).
- Clusters report ClusterAvailabilityStatus, AvailabilityZoneRelocationStatus and MultiAZ, which
  Terraform waits for, and a cluster created with ManageMasterPassword gets its admin secret in Secrets
  Manager (MasterPasswordSecretArn), as on AWS.
- DescribeClusters fields read back as AWS formats them and ModifyClusterIamRoles exists, so a second
  `terraform apply` plans no change.
"""

import json

from moto.core.responses import ActionResult
from moto.redshift import models as redshift_models
from moto.redshift import responses as redshift_responses
from moto.secretsmanager.models import secretsmanager_backends


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
