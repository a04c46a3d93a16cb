"""The data contract (contract.json): columns, header aliases, line key rule and reason order, as the job uses them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

SPARK_TYPES = {
    "varchar": "string",
    "char": "string",
    "integer": "int",
    "bigint": "bigint",
    "date": "date",
    "timestamp": "timestamp",
}


@dataclass(frozen=True)
class ContractColumn:
    """One column of a Parquet output; the input fields are set only on columns read from the CSV."""

    name: str
    type: str
    nullable: bool
    source: str | None = None
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    required: bool = False
    aliases: tuple[str, ...] = ()
    too_long: str | None = None

    @property
    def spark_type(self) -> str:
        """The Spark SQL type the job writes the column as."""
        if self.type == "decimal":
            return f"decimal({self.precision},{self.scale})"
        return SPARK_TYPES[self.type]


def _column(entry: dict) -> ContractColumn:
    return ContractColumn(
        name=entry["name"],
        type=entry["type"],
        nullable=entry["nullable"],
        source=entry.get("from"),
        length=entry.get("length"),
        precision=entry.get("precision"),
        scale=entry.get("scale"),
        required=entry.get("required", False),
        aliases=tuple(entry.get("aliases", [])),
        too_long=entry.get("too_long"),
    )


# Read through importlib so the file is found inside the zip that Glue receives as --extra-py-files.
CONTRACT: dict = json.loads(resources.files(__package__).joinpath("contract.json").read_text("utf-8"))

CLEAN_FILE_COLUMNS = [_column(entry) for entry in CONTRACT["clean_columns"]]
"""Every column of a clean Parquet file, lineage included, in file order."""
REJECTED_FILE_COLUMNS = [_column(entry) for entry in CONTRACT["rejected_columns"]]
COLUMN = {column.name: column for column in CLEAN_FILE_COLUMNS}

CLEAN_COLUMNS = [column.name for column in CLEAN_FILE_COLUMNS if column.source != "lineage"]
"""The cleaned values of a row (lineage excluded): what makes two rows identical."""
INPUT_COLUMNS = [column.name for column in CLEAN_FILE_COLUMNS if column.source == "input"]
REQUIRED_COLUMNS = [column.name for column in CLEAN_FILE_COLUMNS if column.required]
ALIASES = {alias: column.name for column in CLEAN_FILE_COLUMNS for alias in column.aliases}
ID_WIDTHS = {column.name: column.length for column in CLEAN_FILE_COLUMNS if column.too_long == "reject"}
"""Columns whose over-long values reject the row (`invalid_id:<column>`), with their widths."""
TEXT_WIDTHS = {column.name: column.length for column in CLEAN_FILE_COLUMNS if column.too_long == "truncate"}
"""Columns whose over-long values are cut to their widths (counted `truncated_values`)."""

LINE_KEY_COLUMNS: list[str] = CONTRACT["line_key"]["columns"]
LINE_KEY_FROM: list[str] = CONTRACT["line_key"]["line_key_from"]
REASON_ORDER: list[str] = CONTRACT["reasons"]
RAW_RECORD_MAX_BYTES: int = next(entry for entry in CONTRACT["rejected_columns"] if entry["name"] == "raw_record")[
    "max_bytes"
]
"""Redshift's VARCHAR(65535) counts bytes: a longer raw record would fail the whole load."""
REASONS_SEPARATOR: str = CONTRACT["reasons_separator"]
