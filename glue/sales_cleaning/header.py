"""Maps a CSV header to the contract's column names (pure Python, runs in the driver)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .contract import ALIASES, INPUT_COLUMNS, LINE_KEY_FROM, REQUIRED_COLUMNS
from .manifest import FileRejectedError
from .records import first_record, split_header
from .values import WHITESPACE


def normalise_name(name: str) -> str:
    """Trimmed, lower-case, runs of whitespace, `_` and `-` as one `_`: `Order ID` → `order_id`."""
    return re.sub(r"[\s_\-]+", "_", name.strip(WHITESPACE).lower())


@dataclass(frozen=True)
class HeaderMapping:
    """Which field index holds each contract column, and what was left over."""

    positions: dict[str, int]
    field_count: int
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def missing_required(self) -> list[str]:
        return [column for column in REQUIRED_COLUMNS if column not in self.positions]

    @property
    def has_line_id(self) -> bool:
        return "line_id" in self.positions

    @property
    def line_key_source(self) -> str:
        """The column line_key takes its value from: the first of the contract's `line_key_from` the file has."""
        return next(column for column in LINE_KEY_FROM if column in self.positions)


def map_header(names: list[str]) -> HeaderMapping:
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, name in enumerate(names):
        normalised = normalise_name(name)
        column = ALIASES.get(normalised, normalised)
        if column in INPUT_COLUMNS and column not in positions:
            positions[column] = index
        else:
            ignored.append(name)
    return HeaderMapping(positions=positions, field_count=len(names), ignored_columns=ignored)


def read_header(head: bytes) -> HeaderMapping:
    """Checks the file's opening bytes and maps its header, or raises FileRejectedError."""
    if not head:
        raise FileRejectedError("empty_file")
    if b"\x00" in head:
        raise FileRejectedError("not_text")
    text = head.decode("utf-8", errors="replace").removeprefix("\ufeff")
    header_text = first_record(text)
    if header_text.strip() == "":
        raise FileRejectedError("empty_file")
    names = split_header(header_text)
    if names is None:
        raise FileRejectedError("malformed_header")
    mapping = map_header(names)
    if mapping.missing_required:
        raise FileRejectedError("missing_required_columns:" + ",".join(mapping.missing_required))
    return mapping
