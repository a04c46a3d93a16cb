"""Maps a CSV header to the contract's column names (pure Python, runs in the driver)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .values import WHITESPACE

COLUMNS = [
    "order_id", "line_id", "order_date", "customer_id", "customer_name", "customer_email",
    "product_id", "product_name", "category", "quantity", "unit_price", "discount",
    "country", "city", "payment_method", "sales_channel",
]
REQUIRED = ["order_id", "order_date", "customer_id", "product_id", "quantity", "unit_price"]
ALIASES = {
    "line_number": "line_id", "line_no": "line_id", "row_id": "line_id",
    "qty": "quantity", "price": "unit_price",
}


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
        return [column for column in REQUIRED if column not in self.positions]

    @property
    def has_line_id(self) -> bool:
        return "line_id" in self.positions


def map_header(names: list[str]) -> HeaderMapping:
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, name in enumerate(names):
        normalised = normalise_name(name)
        column = ALIASES.get(normalised, normalised)
        if column in COLUMNS and column not in positions:
            positions[column] = index
        else:
            ignored.append(name)
    return HeaderMapping(positions=positions, field_count=len(names), ignored_columns=ignored)
