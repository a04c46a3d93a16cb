"""Writes sales_cleaning/countries.json: every ISO 3166-1 country from pycountry, with the aliases of
country_aliases.json and accent-free forms of every name. Build time only: the job reads the JSON, never
pycountry. Run with `npm run countries:generate`; glue/tests/test_countries.py fails when the committed
file differs from what this writes."""

from __future__ import annotations

import json
import sys
import unicodedata
from importlib import metadata
from pathlib import Path

from sales_cleaning.reference import build_country_lookup

GLUE = Path(__file__).resolve().parents[1]
ALIASES_PATH = GLUE / "tools" / "country_aliases.json"
COUNTRIES_PATH = GLUE / "sales_cleaning" / "countries.json"


def accent_free(text: str) -> str:
    """`Côte d'Ivoire` → `Cote d'Ivoire`: how a keyboard without accents writes the name."""
    return "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))


def country_entries(iso_countries: list, aliases: dict[str, list[str]]) -> list[dict]:
    """One entry per ISO country, sorted by alpha-2; raises when an alias names no ISO country or a key is ambiguous."""
    codes = {country.alpha_2 for country in iso_countries}
    unknown = sorted(set(aliases) - codes)
    if unknown:
        raise ValueError(
            f"{ALIASES_PATH.name} has aliases for {', '.join(unknown)}, which are not ISO 3166-1 alpha-2 codes"
        )
    entries = []
    for country in sorted(iso_countries, key=lambda country: country.alpha_2):
        names = [getattr(country, field, None) for field in ("name", "common_name", "official_name")]
        own = aliases.get(country.alpha_2, [])
        folded = [accent_free(form) for form in [*names, *own] if form and accent_free(form) != form]
        entries.append(
            {
                "alpha2": country.alpha_2,
                "alpha3": country.alpha_3,
                "name": names[0],
                "common_name": names[1],
                "official_name": names[2],
                "aliases": list(dict.fromkeys([*own, *folded])),
            }
        )
    build_country_lookup(entries)
    return entries


def render(entries: list[dict], source: str) -> str:
    """The file's text: one country per line, so a dataset update reads as a short diff."""
    comment = (
        f"Generated from {source} (ISO 3166-1) and tools/country_aliases.json by tools/generate_countries.py: "
        "do not edit, run `npm run countries:generate`. Lookup forms: alpha2, alpha3, name, common_name, "
        "official_name, aliases (the hand-kept ones, then accent-free forms of the names)."
    )
    rows = ",\n".join(f"    {json.dumps(entry, ensure_ascii=False)}" for entry in entries)
    return f'{{\n  "_comment": {json.dumps(comment)},\n  "countries": [\n{rows}\n  ]\n}}\n'


def generate() -> tuple[list[dict], str]:
    """The entries and the text of countries.json, from the installed pycountry (pinned in requirements-dev.txt)."""
    import pycountry  # imported here: the tests that need no dataset import this module without it

    aliases = json.loads(ALIASES_PATH.read_text("utf-8"))["aliases"]
    entries = country_entries(list(pycountry.countries), aliases)
    return entries, render(entries, f"pycountry {metadata.version('pycountry')}")


def main() -> int:
    entries, text = generate()
    COUNTRIES_PATH.write_text(text, "utf-8")
    print(f"wrote {len(entries)} countries to {COUNTRIES_PATH.relative_to(GLUE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
