"""Maps a CSV header to the contract's column names (pure Python, runs in the driver)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .contract import ALIASES, INPUT_COLUMNS, LINE_KEY_FROM, REQUIRED_COLUMNS
from .manifest import FileRejectedError
from .profile import CONTRACT_FORMAT, SourceProfile
from .records import first_record, split_header
from .values import WHITESPACE


def normalise_name(name: str) -> str:
    """Trimmed, lower-case, runs of whitespace, `_` and `-` as one `_`: `Order ID` → `order_id`."""
    return re.sub(r"[\s_\-]+", "_", name.strip(WHITESPACE).lower())


@dataclass(frozen=True)
class HeaderMapping:
    """Which field index holds each contract column (one field may feed several), what was left over,
    and the line key rule (a profile's `line_key`; None for the contract's own rule)."""

    positions: dict[str, int]
    field_count: int
    ignored_columns: list[str] = field(default_factory=list)
    line_key: str | None = None

    @property
    def missing_required(self) -> list[str]:
        return [column for column in REQUIRED_COLUMNS if column not in self.positions]

    @property
    def has_line_id(self) -> bool:
        return "line_id" in self.positions

    @property
    def line_key_source(self) -> str:
        """The column line_key takes its value from: the profile's rule, else the first of the contract's
        `line_key_from` the file has."""
        if self.line_key is not None:
            return "line_id" if self.line_key == "line_id" else "product_id"
        return next(column for column in LINE_KEY_FROM if column in self.positions)

    @property
    def numbers_product_occurrences(self) -> bool:
        return self.line_key == "product_occurrence"


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


def _header_key(name: str) -> str:
    return name.strip(WHITESPACE).lower()


def map_profile_header(names: list[str], profile: SourceProfile) -> HeaderMapping:
    """The header mapped by a profile's `columns` (headers matched trimmed, case-insensitively; the first
    of equal headers wins). A mapped header the file lacks rejects the file: the first one in the
    contract's column order, as the profile writes it."""
    assert profile.columns is not None
    index_of: dict[str, int] = {}
    for index, name in enumerate(names):
        index_of.setdefault(_header_key(name), index)
    positions: dict[str, int] = {}
    for column in INPUT_COLUMNS:
        header = profile.columns.get(column)
        if header is None:
            continue
        if _header_key(header) not in index_of:
            raise FileRejectedError(f"profile_column_not_found:{header}")
        positions[column] = index_of[_header_key(header)]
    used = set(positions.values())
    ignored = [name for index, name in enumerate(names) if index not in used]
    return HeaderMapping(
        positions=positions, field_count=len(names), ignored_columns=ignored, line_key=profile.line_key
    )


def read_header(head: bytes, profile: SourceProfile = CONTRACT_FORMAT) -> HeaderMapping:
    """Checks the file's opening bytes (as UTF-8) and maps its header, or raises FileRejectedError."""
    if not head:
        raise FileRejectedError("empty_file")
    if b"\x00" in head:
        raise FileRejectedError("not_text")
    text = head.decode("utf-8", errors="replace").removeprefix("\ufeff")
    header_text = first_record(text)
    if header_text.strip() == "":
        raise FileRejectedError("empty_file")
    names = split_header(header_text, profile.delimiter)
    if names is None:
        raise FileRejectedError("malformed_header")
    if profile.columns is not None:
        return map_profile_header(names, profile)
    mapping = map_header(names)
    if mapping.missing_required:
        raise FileRejectedError("missing_required_columns:" + ",".join(mapping.missing_required))
    if profile.line_key is not None:
        mapping = HeaderMapping(mapping.positions, mapping.field_count, mapping.ignored_columns, profile.line_key)
        if mapping.line_key_source not in mapping.positions:
            # A profile's line_key "line_id" without columns: the file must have the contract's line id column.
            raise FileRejectedError(f"missing_required_columns:{mapping.line_key_source}")
    return mapping
