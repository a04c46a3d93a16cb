"""S3 as AWS answers it.

- Bucket policy statements with a Condition are left out of moto's evaluation. moto cannot evaluate
  conditions and applies such statements unconditionally, so the usual "deny unless aws:SecureTransport"
  statement denied every request.
- S3 event notifications carry the object's versionId (on a versioned bucket) and a sequencer, as AWS's
  do; moto sends only key, size and eTag, so two uploads of the same bytes looked like one. Their keys
  keep "/" unescaped, as AWS's do (moto escapes it as %2F).
- An object's bytes live in a file past moto's key buffer size (5 MiB), never whole in memory: S3 takes
  and serves objects of any size as streams. moto read every PutObject and UploadPart body whole, decoded
  aws-chunked into a second copy (appending each chunk to an immutable bytes object, so a 190 MB file
  took 138 s), joined multipart uploads in a bytearray and served GetObject from a full read of the
  object: a 2 GB upload held 7.9 GB. Now the body is read from the socket in blocks into the key's file,
  aws-chunked decoded on the way with its MD5 and checksum computed as it passes (a checksum that does
  not match is refused as BadDigest, as S3 refuses it), CompleteMultipartUpload copies the parts into the
  key's file in blocks, and GetObject (ranges too) streams from the file.
"""

import base64
import binascii
import hashlib
import importlib.util
import io
import json
import tempfile
from urllib.parse import parse_qs, quote_plus, urlparse

from moto.core.compat import HAS_CRT
from moto.iam.access_control import IAMPolicy, PermissionResult
from moto.s3 import models as s3_models
from moto.s3 import notifications as s3_notifications
from moto.s3 import responses as s3_responses
from moto.s3.exceptions import S3ClientError
from moto.settings import get_s3_default_key_buffer_size


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


class _SpooledBody:
    """An object's bytes in a SpooledTemporaryFile (on disk past moto's key buffer size), with the MD5 (unless
    the ETag is another's, as a multipart upload's is) and the checksum the client named computed as they were
    written, and the checksums the client sent as trailers. Deliberately not file-like (no read): moto's
    request setup reads anything file-like whole into memory."""

    def __init__(self, checksum_algorithm="", md5=True):
        self.file = tempfile.SpooledTemporaryFile(get_s3_default_key_buffer_size())
        self.size = 0
        self.md5 = hashlib.md5(usedforsecurity=False) if md5 else None
        self.checksum = _Checksum(checksum_algorithm) if checksum_algorithm else None
        self.trailers = {}

    def write(self, block):
        self.file.write(block)
        self.size += len(block)
        if self.md5:
            self.md5.update(block)
        if self.checksum:
            self.checksum.update(block)

    def __len__(self):
        return self.size


class _Checksum:
    """moto's compute_checksum for one algorithm, fed block by block. Without the optional library an
    algorithm needs (crc32c, awscrt for CRC64NVME) it is moto's stand-in, CRC32, and not `exact`."""

    def __init__(self, algorithm):
        self.algorithm = algorithm.upper()
        hash_of = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256}.get(self.algorithm)
        self.hash = hash_of(usedforsecurity=False) if hash_of else None
        self.crc = 0
        self.width = 8 if self.algorithm == "CRC64NVME" and HAS_CRT else 4
        self.exact = True
        if self.algorithm == "CRC64NVME" and HAS_CRT:
            from awscrt import checksums

            self.crc_of = checksums.crc64nvme
        elif self.algorithm == "CRC32C" and importlib.util.find_spec("crc32c"):
            import crc32c

            self.crc_of = crc32c.crc32c
        else:
            self.crc_of = binascii.crc32
            self.exact = self.hash is not None or self.algorithm == "CRC32"

    def update(self, block):
        if self.hash:
            self.hash.update(block)
        else:
            self.crc = self.crc_of(block, self.crc)

    def digest(self):
        return self.hash.digest() if self.hash else self.crc.to_bytes(self.width, "big")

    def base64(self):
        return base64.b64encode(self.digest()).decode()


_block_size = 8 * 1024 * 1024
_streaming_payloads = (
    "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
)
_checksum_headers = [f"x-amz-checksum-{name}" for name in ("crc32", "crc32c", "crc64nvme", "sha1", "sha256")]
_subresources_with_xml_bodies = ("acl", "tagging", "retention", "legal-hold")


def _carries_object_bytes(request):
    """PutObject and UploadPart: a key's PUT whose body is the object's bytes (not an XML document, not a copy)."""
    query = parse_qs(urlparse(request.raw_url).query, keep_blank_values=True)
    return (
        request.method == "PUT"
        and "x-amz-copy-source" not in request.headers
        and request.mimetype not in ("multipart/form-data", "application/x-www-form-urlencoded")
        and not any(name in query for name in _subresources_with_xml_bodies)
    )


def _checksum_algorithm(headers):
    """The checksum the client sends with the bytes: named by the SDK's header, or given as a header or trailer."""
    named = [headers.get("x-amz-sdk-checksum-algorithm", ""), headers.get("x-amz-trailer", "")]
    named += [name for name, _ in headers.items() if name.lower() in _checksum_headers]
    return next((name.lower().removeprefix("x-amz-checksum-").upper() for name in named if name), "")


def _read_exactly(stream, size, body):
    while size > 0:
        block = stream.read(min(size, _block_size))
        if not block:
            raise ValueError("the request body ended inside an aws-chunked chunk")
        body.write(block)
        size -= len(block)


def _spool_request_body(request):
    """The request's payload, read from the socket in blocks into a _SpooledBody; an aws-chunked body
    ("<hex size>[;chunk-signature=...]\\r\\n<data>\\r\\n" ... "0\\r\\n" trailers "\\r\\n") is decoded on the way."""
    stream = request.stream
    if isinstance(stream, io.RawIOBase):
        stream = io.BufferedReader(stream, _block_size)
    body = _SpooledBody(_checksum_algorithm(request.headers))
    if request.headers.get("x-amz-content-sha256") not in _streaming_payloads:
        while block := stream.read(_block_size):
            body.write(block)
        return body
    while size := int(stream.readline().split(b";")[0].strip() or b"0", 16):
        _read_exactly(stream, size, body)
        stream.readline()
    while (line := stream.readline().strip()) and b":" in line:
        name, value = line.decode().split(":", 1)
        body.trailers[name.strip().lower()] = value.strip()
    return body


_key_response = s3_responses.S3Response.key_response


def _key_response_with_spooled_body(self, request, full_url, headers):
    """Puts the object bytes of a PutObject or UploadPart where werkzeug keeps a body it has read, so moto's
    request setup takes them from there (request.data) instead of reading the whole body into memory."""
    if _carries_object_bytes(request):
        request._cached_data = _spool_request_body(request)
        # Not a form (see _carries_object_bytes): what werkzeug's form parser would find, without its reading the body.
        request.__dict__["form"] = request.parameter_storage_class()
        request.__dict__["files"] = request.parameter_storage_class()
    return _key_response(self, request, full_url, headers)


s3_responses.S3Response.key_response = _key_response_with_spooled_body


def _decoded_already(decode):
    """moto's decoders of aws-chunked bodies, passing a body that was decoded while it was spooled through."""

    def decode_unless_spooled(self, body, *args):
        return body if isinstance(body, _SpooledBody) else decode(self, body, *args)

    return decode_unless_spooled


s3_responses.S3Response._handle_encoded_body = _decoded_already(s3_responses.S3Response._handle_encoded_body)
s3_responses.S3Response._handle_v4_chunk_signatures = _decoded_already(
    s3_responses.S3Response._handle_v4_chunk_signatures
)


class BadDigest(S3ClientError):
    code = "BadDigest"


_get_checksum = s3_responses.S3Response._get_checksum


def _checksum_of_spooled_body(self, response_headers):
    """The checksum the client named, as a header or a trailer, checked against the bytes as AWS checks it
    where it can be computed here (moto searched the whole raw body for the trailer and took any value on
    trust)."""
    body = self.raw_body
    if not isinstance(body, _SpooledBody) or not body.checksum:
        return _get_checksum(self, response_headers)
    algorithm = body.checksum.algorithm
    name = f"x-amz-checksum-{algorithm.lower()}"
    computed = body.checksum.base64()
    sent = self.headers.get(name) or body.trailers.get(name)
    if sent and body.checksum.exact and sent != computed:
        raise BadDigest(f"The {algorithm} you specified did not match the calculated checksum.")
    response_headers[name] = sent or computed
    return algorithm, sent or computed


s3_responses.S3Response._get_checksum = _checksum_of_spooled_body

_set_value = s3_models.FakeKey.value.fset


def _adopt_spooled_value(self, new_value):
    """A spooled body becomes the key's buffer as it is, its MD5 the ETag (unless a multipart ETag was given):
    moto wrote the bytes into a new buffer and hashed them again on the first read of the ETag."""
    if not isinstance(new_value, _SpooledBody):
        return _set_value(self, new_value)
    self._value_buffer.close()
    self._value_buffer = new_value.file
    self.contentsize = new_value.size
    if self._etag is None and new_value.md5:
        self._etag = new_value.md5.hexdigest()


s3_models.FakeKey.value = s3_models.FakeKey.value.setter(_adopt_spooled_value)


class _KeyBytes:
    """A byte range of a key's buffer, sliceable like the bytes moto's Range handling expects, served to the
    client in blocks: moto read the whole object into memory (twice) for every GetObject."""

    def __init__(self, key, start, stop):
        self.key, self.start, self.stop = key, start, stop

    def __len__(self):
        return self.stop - self.start

    def __getitem__(self, span):
        start, stop, _ = span.indices(len(self))
        return _KeyBytes(self.key, self.start + start, self.start + max(start, stop))

    def __iter__(self):
        position = self.start
        while position < self.stop:
            with self.key.lock:
                self.key._value_buffer.seek(position)
                block = self.key._value_buffer.read(min(_block_size, self.stop - position))
            if not block:
                return
            position += len(block)
            yield block


class _KeyServedInBlocks:
    """A key whose value is a _KeyBytes over its whole buffer; everything else is the key's own."""

    def __init__(self, key):
        self._key = key
        self.value = _KeyBytes(key, 0, key.size)

    def __getattr__(self, name):
        return getattr(self._key, name)


_get_object = s3_responses.S3Response.get_object


def _get_object_in_blocks(self):
    get_key = self._get_key

    def key_served_in_blocks(*args, **kwargs):
        key, not_modified = get_key(*args, **kwargs)
        return _KeyServedInBlocks(key), not_modified

    self._get_key = key_served_in_blocks
    try:
        return _get_object(self)
    finally:
        del self._get_key


s3_responses.S3Response.get_object = _get_object_in_blocks


def _complete_into_file(self, body):
    """CompleteMultipartUpload copies the parts into one spooled file in blocks, with the full-object checksum
    computed on the way: moto joined them in a bytearray, then copied that twice more (bytes, the checksum's
    own bytearray), so a 2 GB upload held 6 GB."""
    checksums = s3_models.MultipartChecksumBuilder(
        self.metadata.get("x-amz-checksum-algorithm"), self.metadata.get("x-amz-checksum-type")
    )
    whole = checksums.checksum_type != "COMPOSITE"
    value = _SpooledBody(checksums.checksum_algorithm if whole else "", md5=False)
    md5s = bytearray()
    last = None
    for number, etag in body:
        part = self.parts.get(number)
        if part is None or part.etag.strip('"') != etag.strip('"'):
            raise s3_models.InvalidPart()
        if last is not None and last.contentsize < s3_models.S3_UPLOAD_PART_MIN_SIZE:
            raise s3_models.EntityTooSmall()
        md5s.extend(bytes.fromhex(part.etag.strip('"')))
        # A composite checksum is the checksum of the parts' checksums; a full-object one is the whole value's own.
        part_checksum = None if whole else _Checksum(checksums.checksum_algorithm)
        for block in _KeyBytes(part, 0, part.size):
            value.write(block)
            if part_checksum:
                part_checksum.update(block)
        if part_checksum:
            checksums.checksum.extend(part_checksum.digest())
        checksums.part_count += 1
        last = part
    if last is None:
        raise s3_models.MalformedXML()
    if whole:
        details = (checksums.checksum_type, value.checksum.base64(), 1)
    else:
        details = (
            checksums.checksum_type,
            _checksum_of(bytes(checksums.checksum), checksums.checksum_algorithm),
            checksums.part_count,
        )
    return value, f"{hashlib.md5(md5s, usedforsecurity=False).hexdigest()}-{len(md5s) // 16}", details


def _checksum_of(data, algorithm):
    checksum = _Checksum(algorithm)
    checksum.update(data)
    return checksum.base64()


s3_models.FakeMultipart.complete = _complete_into_file
