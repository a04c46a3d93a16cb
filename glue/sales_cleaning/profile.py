"""Source profiles (docs/data-contract.md, Source profiles): parsed and checked from their bytes, in plain
Python, since Glue's runtime has no JSON Schema library. The checks are those of
source-profile.schema.json and the rules it cannot say (profiles/source-profile.ts checks the same).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from .contract import INPUT_COLUMNS, REQUIRED_COLUMNS
from .manifest import FileRejectedError

NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
NAME_MAX_LENGTH = 64
DELIMITERS = (",", ";", "\t", "|")
ENCODINGS = ("utf-8", "utf-16", "windows-1252", "iso-8859-1")
DECIMAL_SEPARATORS = (".", ",")
LINE_KEYS = ("line_id", "product", "product_occurrence")
ORDER_LEVEL_COLUMNS = (
    "order_date",
    "customer_id",
    "customer_name",
    "customer_email",
    "discount",
    "country",
    "city",
    "payment_method",
    "sales_channel",
)
FORMAT_FIELDS = ("delimiter", "encoding", "decimal_separator", "date_formats")
PROFILE_FIELDS = ("name", "format", "line_key", "columns", "order_level")
# Spark 3's datetime parser: these letters parse; E, F, q, Q only format; Y, w, W, u, e, c (week-based) are gone.
PARSING_LETTERS = frozenset("GyDMLdahKkHmsSVzOXxZ")
FORMATTING_ONLY = frozenset("EFqQ")
WEEK_BASED = frozenset("YwWuec")
PATTERN_LETTER_LIMITS = {
    "d": 2, "M": 4, "L": 4, "H": 2, "h": 2, "k": 2, "K": 2, "m": 2, "s": 2, "a": 1,
    "D": 3, "S": 9, "G": 3, "X": 5, "x": 5, "Z": 5, "V": 2, "z": 4, "O": 4,
}  # fmt: skip


@dataclass(frozen=True)
class SourceProfile:
    """How one kind of export is read; the defaults are the contract's own format."""

    name: str | None = None
    delimiter: str = ","
    encoding: str = "utf-8"
    decimal_separator: str = "."
    date_formats: tuple[str, ...] | None = None
    line_key: str | None = None
    columns: dict[str, str] | None = None
    order_level: tuple[str, ...] = field(default_factory=tuple)


CONTRACT_FORMAT = SourceProfile()
"""No profile: the contract's header matching, comma, UTF-8, `.` decimals and date forms."""


class InvalidProfileError(FileRejectedError):
    """The profile cannot be used; `detail` lists every problem."""

    def __init__(self, name: str, problems: list[str]):
        super().__init__(f"invalid_profile:{name}", detail="; ".join(problems))
        self.problems = problems


def profile_digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def pattern_problems(pattern: str) -> list[str]:
    """Why a Spark datetime pattern cannot read a calendar date (empty when it can)."""
    letters: dict[str, int] = {}
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "'":
            close = pattern.find("'", index + 1)
            if close < 0:
                return [f"unterminated quote in {pattern!r}: close the literal with '"]
            index = close + 1
        elif char.isascii() and char.isalpha():
            count = 1
            while index + count < len(pattern) and pattern[index + count] == char:
                count += 1
            letters[char] = max(letters.get(char, 0), count)
            index += count
        elif char in "#{}":
            return [f"{char!r} is reserved in Spark datetime patterns ({pattern!r}): quote it as '{char}'"]
        else:
            index += 1
    problems = []
    for letter, count in letters.items():
        if letter in FORMATTING_ONLY:
            problems.append(f'"{letter}" only formats dates in Spark 3, it cannot parse them')
        elif letter in WEEK_BASED:
            problems.append(
                f'"{letter}" is not supported by Spark 3\'s datetime parser (week-based fields); use y, M and d'
            )
        elif letter not in PARSING_LETTERS:
            problems.append(f"\"{letter}\" is not a Spark datetime pattern letter: quote literal text as '{letter}'")
        elif count > PATTERN_LETTER_LIMITS.get(letter, count):
            problems.append(f'"{letter * count}" has too many letters (at most {PATTERN_LETTER_LIMITS[letter]})')
    missing = [
        what for what, names in [("year", "y"), ("month", "ML"), ("day", "d")] if not set(names) & letters.keys()
    ]
    if missing:
        problems.append(f"{pattern!r} does not name a {', a '.join(missing)}: a date pattern needs y, M and d")
    return problems


def _format_problems(fmt: object) -> list[str]:
    if not isinstance(fmt, dict):
        return ["/format: must be an object"]
    problems = [f'/format: unknown field "{key}"' for key in fmt if key not in FORMAT_FIELDS]
    for key, allowed in [("delimiter", DELIMITERS), ("encoding", ENCODINGS), ("decimal_separator", DECIMAL_SEPARATORS)]:
        if key in fmt and fmt[key] not in allowed:
            problems.append(f"/format/{key}: must be one of {', '.join(json.dumps(value) for value in allowed)}")
    if "date_formats" in fmt:
        patterns = fmt["date_formats"]
        if not isinstance(patterns, list) or not patterns or not all(isinstance(p, str) and p for p in patterns):
            problems.append("/format/date_formats: must be a non-empty list of non-empty Spark datetime patterns")
        elif len(set(patterns)) != len(patterns):
            problems.append("/format/date_formats: lists a pattern twice")
        else:
            problems += [
                f"/format/date_formats/{index}: {problem}"
                for index, pattern in enumerate(patterns)
                for problem in pattern_problems(pattern)
            ]
    return problems


def _columns_problems(columns: object) -> list[str]:
    if not isinstance(columns, dict):
        return ["/columns: must be an object (contract column → header)"]
    problems = [f'/columns: "{key}" is not a contract column' for key in columns if key not in INPUT_COLUMNS]
    problems += [
        f"/columns/{key}: must be the header as written (a non-blank string)"
        for key, header in columns.items()
        if not isinstance(header, str) or header.strip() == ""
    ]
    unmapped = [column for column in REQUIRED_COLUMNS if column not in columns]
    if unmapped:
        problems.append(f"/columns: the required contract column(s) {', '.join(unmapped)} are not mapped to a header")
    return problems


def _problems(document: object, name: str) -> list[str]:
    if not isinstance(document, dict):
        return ["(the profile): must be a JSON object"]
    problems = [f'(the profile): unknown field "{key}"' for key in document if key not in PROFILE_FIELDS]
    declared = document.get("name")
    if not isinstance(declared, str) or not NAME.fullmatch(declared) or len(declared) > NAME_MAX_LENGTH:
        problems.append("/name: must be lower-case letters, digits and '-', at most 64 characters")
    elif declared != name:
        problems.append(f'/name: "{declared}" differs from the file name {name}.json')
    if "format" in document:
        problems += _format_problems(document["format"])
    line_key = document.get("line_key")
    if "line_key" in document and line_key not in LINE_KEYS:
        problems.append(f"/line_key: must be one of {', '.join(json.dumps(value) for value in LINE_KEYS)}")
    columns = document.get("columns")
    if "columns" in document:
        problems += _columns_problems(columns)
    mapped = columns if isinstance(columns, dict) else {}
    if line_key == "line_id" and isinstance(columns, dict) and "line_id" not in columns:
        problems.append('/line_key: "line_id" needs columns.line_id, the header that holds the line id')
    if "order_level" in document:
        order_level = document["order_level"]
        if not isinstance(order_level, list) or not order_level or len(set(map(str, order_level))) != len(order_level):
            problems.append("/order_level: must be a non-empty list of distinct columns")
        else:
            problems += [
                f'/order_level: "{column}" is not an order-level column ({", ".join(ORDER_LEVEL_COLUMNS)})'
                for column in order_level
                if column not in ORDER_LEVEL_COLUMNS
            ]
            if "columns" in document:
                problems += [
                    f'/order_level: "{column}" is not mapped in columns, so no header gives its value'
                    for column in order_level
                    if column in ORDER_LEVEL_COLUMNS and column not in mapped
                ]
    return problems


def parse_profile(data: bytes, name: str) -> SourceProfile:
    """The profile in `data`, read from `<name>.json`; raises InvalidProfileError listing every problem."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidProfileError(name, [f"not a JSON document: {error}"]) from error
    problems = _problems(document, name)
    if problems:
        raise InvalidProfileError(name, problems)
    fmt = document.get("format", {})
    return SourceProfile(
        name=name,
        delimiter=fmt.get("delimiter", ","),
        encoding=fmt.get("encoding", "utf-8"),
        decimal_separator=fmt.get("decimal_separator", "."),
        date_formats=tuple(fmt["date_formats"]) if "date_formats" in fmt else None,
        line_key=document.get("line_key"),
        columns=document.get("columns"),
        order_level=tuple(document.get("order_level", ())),
    )
