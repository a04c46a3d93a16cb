"""SQS as AWS answers it.

- moto's in-process SQS -> Lambda dispatch is turned off: moto receives the messages of a queue that has a
  Lambda event source mapping as soon as they are sent, which counts a receive (and so moves them to the
  dead-letter queue one receive early) and then fails for want of Docker. The emulator's Lambda runtime
  polls those queues itself, as AWS Lambda does.
- SQS keeps and returns the RedriveAllowPolicy attribute (moto drops it, so Terraform waits forever for
  aws_sqs_queue_redrive_allow_policy to appear), and the redrive policy and encryption attributes read
  back as AWS writes them, so a second `terraform apply` plans no change.
- SetQueueAttributes changes only the attributes it names, as on AWS: moto set the queue policy to
  whatever the call carried, so setting a redrive policy (aws_sqs_queue_redrive_policy) or a visibility
  timeout dropped the policy the queue was created with.
"""

import json

from moto.sqs import models as sqs_models

sqs_models.Queue.lambda_event_source_mappings = property(lambda self: {}, lambda self, value: None)

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


_set_attributes = sqs_models.Queue._set_attributes


def _set_only_the_named_attributes(self, attributes, now=None):
    policy = getattr(self, "policy", None)
    _set_attributes(self, attributes, now)
    if "Policy" not in attributes:
        self.policy = policy


sqs_models.Queue._set_attributes = _set_only_the_named_attributes
