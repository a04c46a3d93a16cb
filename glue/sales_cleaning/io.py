"""File-system access through Hadoop's FileSystem API, so file:// and s3:// work alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pyspark.sql import SparkSession


@dataclass(frozen=True)
class ObjectStatus:
    uri: str
    size: int
    modified_at: dt.datetime


class HadoopFiles:
    def __init__(self, spark: SparkSession):
        self._jvm = spark._jvm
        self._conf = spark._jsc.hadoopConfiguration()

    def _path(self, uri: str):
        path = self._jvm.org.apache.hadoop.fs.Path(uri)
        return path, path.getFileSystem(self._conf)

    def status(self, uri: str) -> ObjectStatus:
        path, fs = self._path(uri)
        status = fs.getFileStatus(path)
        modified = dt.datetime.fromtimestamp(status.getModificationTime() / 1000, tz=dt.UTC)
        return ObjectStatus(uri=uri, size=status.getLen(), modified_at=modified)

    def exists(self, uri: str) -> bool:
        path, fs = self._path(uri)
        return bool(fs.exists(path))

    def read_head(self, uri: str, limit: int) -> bytes:
        path, fs = self._path(uri)
        stream = fs.open(path)
        try:
            # readNBytes returns a Java byte[], which py4j hands over as Python bytes.
            return bytes(stream.readNBytes(limit))
        finally:
            stream.close()

    def write_text(self, uri: str, text: str) -> None:
        path, fs = self._path(uri)
        stream = fs.create(path, True)
        try:
            stream.write(bytearray(text.encode("utf-8")))
        finally:
            stream.close()

    def copy_to_local(self, uri: str, local_path: str) -> None:
        path, fs = self._path(uri)
        # The raw local file system: no checksum file beside the copy.
        fs.copyToLocalFile(False, path, self._local(local_path), True)

    def write_from_local(self, uri: str, local_path: str) -> None:
        path, fs = self._path(uri)
        fs.copyFromLocalFile(False, True, self._local(local_path), path)

    def _local(self, local_path: str):
        # Explicitly file:, whatever the cluster's default file system is.
        return self._jvm.org.apache.hadoop.fs.Path(f"file://{local_path}")

    def list_data_files(self, uri: str) -> list[ObjectStatus]:
        """Data files under a folder written by Spark (markers and checksums left out)."""
        path, fs = self._path(uri)
        if not fs.exists(path):
            return []
        found, files = [], fs.listFiles(path, True)
        while files.hasNext():
            status = files.next()
            name = status.getPath().getName()
            if name.startswith(("_", ".")):
                continue
            modified = dt.datetime.fromtimestamp(status.getModificationTime() / 1000, tz=dt.UTC)
            found.append(ObjectStatus(uri=status.getPath().toString(), size=status.getLen(), modified_at=modified))
        return sorted(found, key=lambda item: item.uri)

    def delete(self, uri: str) -> None:
        path, fs = self._path(uri)
        fs.delete(path, True)
