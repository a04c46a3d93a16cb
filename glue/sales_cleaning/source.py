"""The run's input: the exact object the run was started for, fetched to a local file.

The pipeline copies it to a key of the run's own and Spark reads only that copy. So a later upload of
the same key cannot change what a run cleans (S3 keeps every version, and a queued run may start
after the next upload), and the key itself is never a path pattern: Spark expands `*`, `?`, `[...]`
and `{...}` in the paths it reads, while `raw/*.csv` or `raw/[ab].csv` are ordinary S3 keys.

On S3 the object comes through the S3 API, by version id, or, on an unversioned bucket where the
trigger passes the ETag, under If-Match, so that the read fails when the key now holds other bytes.
Any other input (a local file) is copied through Hadoop's FileSystem.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import PurePosixPath

import boto3
from botocore.exceptions import ClientError

from .io import HadoopFiles, ObjectStatus
from .manifest import FileRejectedError

# An S3 ETag as event notifications carry it: an MD5 in hex, or `<hex>-<parts>` for a multipart upload.
# S3's version ids are never hex alone (moto's are UUIDs), so a version argument of this form is an ETag.
ETAG = re.compile(r"[0-9a-f]{32}(-[0-9]+)?")
# Hadoop picks a decompression codec by the name's extension (`.gz`), so the copy keeps a plain one.
PLAIN_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}")
CHUNK_BYTES = 8 * 1024 * 1024


class SourceUnavailableError(Exception):
    """The object version the run was started for cannot be read."""


class InputNotFoundError(SourceUnavailableError):
    """The run's input object (or version) does not exist: the run fails with a one-line cause and a failed manifest."""

    def __init__(self, uri: str, version: str | None = None):
        which = f"version {version} of {uri}" if version else uri
        super().__init__(
            f"the input {which} does not exist: it was deleted or renamed after the upload,"
            " or --input_uri names another object"
        )


def staged_name(input_uri: str) -> str:
    """The name of the run's copy: `source` and the input's extension, when it is a plain one. The copy is
    never `.gz`: the job decompresses gzip itself (decoding.py), so Hadoop must not try again."""
    suffix = PurePosixPath(input_uri.removesuffix(".gz")).suffix
    return "source" + (suffix if PLAIN_SUFFIX.fullmatch(suffix) else "")


def profile_name(profile_uri: str) -> str:
    """A profile's name: its file name without `.json` (`config/sources/classic-cars.json` → `classic-cars`)."""
    return PurePosixPath(profile_uri).name.removesuffix(".json")


def read_profile_bytes(profile_uri: str, s3=None) -> bytes:
    """The bytes of a source profile, from S3 or a local path; `profile_not_found:<name>` when there is none."""
    missing = FileRejectedError(f"profile_not_found:{profile_name(profile_uri)}")
    if profile_uri.startswith("s3://"):
        client = s3 or boto3.client("s3")
        bucket, _, key = profile_uri.removeprefix("s3://").partition("/")
        try:
            return client.get_object(Bucket=bucket, Key=key)["Body"].read()
        except ClientError as error:
            if error.response.get("Error", {}).get("Code", "") in ("NoSuchKey", "404", "NoSuchBucket"):
                raise missing from error
            raise
    try:
        with open(profile_uri.removeprefix("file://"), "rb") as file:
            return file.read()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as error:
        raise missing from error


def fetch_source(input_uri: str, *, version: str | None, target: str, files: HadoopFiles, s3=None) -> ObjectStatus:
    """Copies the input (the given version on S3) to the local file `target` and describes what was copied."""
    if input_uri.startswith("s3://"):
        return download_object(input_uri, version=version, target=target, s3=s3)
    if not files.exists(input_uri):
        raise InputNotFoundError(input_uri)
    files.copy_to_local(input_uri, target)
    return files.status(input_uri)


def download_object(uri: str, *, version: str | None, target: str, s3=None) -> ObjectStatus:
    """Downloads an S3 object to a local file: the given version id; or, given an ETag, the current
    object if it still has that ETag; or, given nothing, the current object."""
    client = s3 or boto3.client("s3")
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    condition = {}
    if version and ETAG.fullmatch(version):
        condition = {"IfMatch": f'"{version}"'}
    elif version:
        condition = {"VersionId": version}
    try:
        response = client.get_object(Bucket=bucket, Key=key, **condition)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code", "") in ("NoSuchVersion", "NoSuchKey", "404"):
            raise InputNotFoundError(uri, None if condition.get("IfMatch") else version) from error
        raise SourceUnavailableError(_unavailable_message(uri, version, error)) from error
    with open(target, "wb") as file:
        shutil.copyfileobj(response["Body"], file, CHUNK_BYTES)
    modified_at: dt.datetime = response["LastModified"]
    return ObjectStatus(uri=uri, size=int(response["ContentLength"]), modified_at=modified_at.astimezone(dt.UTC))


def _unavailable_message(uri: str, version: str | None, error: ClientError) -> str:
    code = error.response.get("Error", {}).get("Code", "")
    if code in ("PreconditionFailed", "412"):
        return (
            f"{uri} no longer holds the upload this run was started for (ETag {version}): the key was overwritten"
            " on an unversioned bucket, and the newer upload has a run of its own. Enable versioning on the"
            " bucket so that every upload is cleaned, or upload the earlier file again."
        )
    return f"cannot read {uri}" + (f" (version {version})" if version else "") + f": {error}"
