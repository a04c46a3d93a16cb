"""Reference values shared with the generator, and the key normalisation used to look them up."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

_RUNS_OF_SPACE_DASH_UNDERSCORE = re.compile(r"[\s_\-]+")


def variant_key(value: str) -> str:
    """Payment methods, channels: lower-case, runs of spaces/dashes/underscores as one space."""
    return _RUNS_OF_SPACE_DASH_UNDERSCORE.sub(" ", value.strip().lower()).strip()


def category_key(value: str) -> str:
    return re.sub(r"\band\b", "&", variant_key(value))


def country_key(value: str) -> str:
    return re.sub(r"\s+", " ", value.strip().lower().replace(".", "")).strip()


@lru_cache(maxsize=1)
def reference_data() -> dict:
    # Read through importlib so the file is found inside the zip that Glue receives as --extra-py-files.
    return json.loads(resources.files(__package__).joinpath("reference_data.json").read_text("utf-8"))


def null_tokens() -> list[str]:
    return list(reference_data()["null_tokens"])


def category_lookup() -> dict[str, str]:
    return {category_key(name): name for name in reference_data()["categories"]}


def country_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for country in reference_data()["countries"]:
        for form in [country["alpha2"], country["alpha3"], country["name"], *country["aliases"]]:
            lookup.setdefault(country_key(form), country["alpha2"])
    return lookup


def _variant_lookup(section: str) -> dict[str, str]:
    return {
        variant_key(variant): canonical
        for canonical, variants in reference_data()[section].items()
        for variant in [canonical, *variants]
    }


def payment_method_lookup() -> dict[str, str]:
    return _variant_lookup("payment_methods")


def sales_channel_lookup() -> dict[str, str]:
    return _variant_lookup("sales_channels")
