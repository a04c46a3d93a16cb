"""Glue as AWS answers it: tags of ARNs without an account, ExecutionClass and job run queuing as given,
and UpdateJob, so a second `terraform apply` plans no change and the updates Terraform makes exist."""

import re

from moto.core.responses import ActionResult
from moto.core.utils import camelcase_to_underscores, utcnow
from moto.glue import models as glue_models
from moto.glue import responses as glue_responses

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
