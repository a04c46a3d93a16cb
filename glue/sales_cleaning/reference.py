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


class AmbiguousCountryKeyError(ValueError):
    """Two countries claim one lookup key: the job could not tell which one a raw value means."""


def _package_json(name: str) -> dict:
    # Read through importlib so the file is found inside the zip that Glue receives as --extra-py-files.
    return json.loads(resources.files(__package__).joinpath(name).read_text("utf-8"))


@lru_cache(maxsize=1)
def reference_data() -> dict:
    return _package_json("reference_data.json")


@lru_cache(maxsize=1)
def countries() -> list[dict]:
    """ISO 3166-1 countries with their names and aliases (countries.json, generated: npm run countries:generate)."""
    return _package_json("countries.json")["countries"]


def null_tokens() -> list[str]:
    return list(reference_data()["null_tokens"])


def category_lookup() -> dict[str, str]:
    return {category_key(name): name for name in reference_data()["categories"]}


def country_forms(country: dict) -> list[str]:
    """Every spelling that names the country: its codes, its ISO names and its aliases."""
    names = [country.get(field) for field in ("name", "common_name", "official_name")]
    return [country["alpha2"], country["alpha3"], *[name for name in names if name], *country["aliases"]]


def build_country_lookup(entries: list[dict]) -> dict[str, str]:
    """Lookup key → alpha-2; raises when two countries claim one key, which would make a value ambiguous."""
    lookup: dict[str, str] = {}
    for country in entries:
        for form in country_forms(country):
            key = country_key(form)
            claimed = lookup.setdefault(key, country["alpha2"])
            if claimed != country["alpha2"]:
                raise AmbiguousCountryKeyError(
                    f"countries {claimed} and {country['alpha2']} both claim the lookup key {key!r} (from {form!r}): "
                    "drop the alias from one of them in glue/tools/country_aliases.json"
                )
    return lookup


def country_lookup() -> dict[str, str]:
    return build_country_lookup(countries())


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
