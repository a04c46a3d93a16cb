"""S3 as AWS answers it.

- Bucket policy statements with a Condition are left out of moto's evaluation. moto cannot evaluate
  conditions and applies such statements unconditionally, so the usual "deny unless aws:SecureTransport"
  statement denied every request.
- S3 event notifications carry the object's versionId (on a versioned bucket) and a sequencer, as AWS's
  do; moto sends only key, size and eTag, so two uploads of the same bytes looked like one. Their keys
  keep "/" unescaped, as AWS's do (moto escapes it as %2F).
- An aws-chunked upload (what the AWS SDKs and CLI send for a streamed body with a checksum) is decoded
  in linear time: moto appended each chunk to an immutable bytes object, copying the whole body per
  chunk, so a 190 MB file took 138 s to upload (1.5 s sent unchunked).
"""

import io
import json
from urllib.parse import quote_plus

from moto.iam.access_control import IAMPolicy, PermissionResult
from moto.s3 import models as s3_models
from moto.s3 import notifications as s3_notifications
from moto.s3 import responses as s3_responses


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
