"""The run's copy of its input as UTF-8 text (docs/data-contract.md, Source profiles): gzip decompressed
(known by its first two bytes, 1F 8B, whatever the name), then the bytes decoded by their byte order
mark, else by the profile's encoding, and written as UTF-8. Streamed in chunks: a file never has to fit
in memory.

UTF-8 input is copied as it is, so that invalid bytes reach the job as they do without a profile (they
become U+FFFD there and are counted).
"""

from __future__ import annotations

import codecs
import gzip
import shutil
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from .manifest import FileRejectedError

CHUNK_BYTES = 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"
UTF8_BOM = codecs.BOM_UTF8
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _windows_1252_table() -> str:
    # Python's cp1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined; as in browsers, they stay the
    # control characters of the same number, so no byte is lost.
    def character(byte: int) -> str:
        try:
            return bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            return chr(byte)

    return "".join(character(byte) for byte in range(256))


WINDOWS_1252 = _windows_1252_table()


def _chunks(stream: BinaryIO, first: bytes) -> Iterator[bytes]:
    if first:
        yield first
    while chunk := stream.read(CHUNK_BYTES):
        yield chunk


def _decoded(chunks: Iterator[bytes], encoding: str) -> Iterator[bytes]:
    """The chunks as UTF-8; `encoding` is Python's name of a single-byte table or of utf-16."""
    if encoding == "windows-1252":
        for chunk in chunks:
            yield chunk.decode("latin-1").translate(WINDOWS_1252).encode("utf-8")
        return
    if encoding == "iso-8859-1":
        for chunk in chunks:
            yield chunk.decode("latin-1").encode("utf-8")
        return
    # UTF-16: the incremental decoder keeps a character split between two chunks, and drops the BOM.
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    for chunk in chunks:
        yield decoder.decode(chunk).encode("utf-8")
    yield decoder.decode(b"", final=True).encode("utf-8")


def text_encoding(head: bytes, declared: str | None) -> str:
    """The encoding the file is read with: its byte order mark, else the declared one (`utf-8`
    without a profile, where a BOM of UTF-16 changes nothing, as before profiles existed)."""
    if declared is None:
        return "utf-8"
    if head.startswith(UTF8_BOM):
        return "utf-8"
    if head.startswith(UTF16_BOMS):
        return "utf-16"
    return declared


def decode_input(source: str, target: str, encoding: str | None) -> tuple[str, bool]:
    """The local file that holds `source` as UTF-8 text (`source` itself when it already does, else
    `target`, written here), and whether the input was gzip. `encoding` is the profile's, None without
    a profile. A gzip that cannot be read whole raises FileRejectedError `corrupt_gzip`."""
    with open(source, "rb") as raw:
        compressed = raw.read(2) == GZIP_MAGIC
        raw.seek(0)
        if not compressed and text_encoding(raw.read(4), encoding) == "utf-8":
            return source, False
        raw.seek(0)
        stream: BinaryIO = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
        try:
            first = stream.read(CHUNK_BYTES)
            chosen = text_encoding(first, encoding)
            with open(target, "wb") as out:
                if chosen == "utf-8":
                    out.write(first)
                    shutil.copyfileobj(stream, out, CHUNK_BYTES)
                else:
                    for piece in _decoded(_chunks(stream, first), chosen):
                        out.write(piece)
        except (gzip.BadGzipFile, EOFError, zlib.error) as error:
            if not compressed:
                raise
            raise FileRejectedError("corrupt_gzip", detail=f"the gzip stream cannot be read: {error}") from error
    return target, compressed
