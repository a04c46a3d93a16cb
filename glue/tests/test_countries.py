"""The job's country list: the full ISO 3166-1 list, generated, unambiguous, and read through the job's parsing."""

import json
import os
from pathlib import Path

import pytest
from pyspark.sql import functions as F

from sales_cleaning import reference, values
from tools import generate_countries

PROJECT = Path(__file__).resolve().parents[2]


def clean_countries(spark, raws: list[str]) -> list[str | None]:
    frame = spark.createDataFrame([(index, raw) for index, raw in enumerate(raws)], "index int, raw string")
    text = values.without_null_tokens(values.trim(F.col("raw")))
    rows = frame.select("index", values.canonical_country(text).alias("value"))
    return [row["value"] for row in rows.orderBy("index").collect()]


def test_the_committed_countries_file_is_what_the_generator_writes():
    try:
        _, text = generate_countries.generate()
    except ModuleNotFoundError as error:
        if error.name != "pycountry":
            raise
        missing = (
            "pycountry is not installed: `.venv/bin/pip install -r glue/requirements-dev.txt` (npm run setup:python)"
        )
        if os.environ.get("CI"):
            pytest.fail(f"the check that countries.json is up to date cannot run under CI: {missing}")
        pytest.skip(f"the check that countries.json is up to date: {missing}")
    committed = generate_countries.COUNTRIES_PATH.read_text("utf-8")
    assert committed == text, "glue/sales_cleaning/countries.json is stale: run `npm run countries:generate`"


def test_the_list_holds_every_iso_3166_1_country_once():
    codes = [country["alpha2"] for country in reference.countries()]
    assert len(codes) == len(set(codes)) == 249
    assert {"SG", "PH", "NA", "VN", "CI"} <= set(codes)


def test_no_two_countries_claim_one_lookup_key():
    claimants: dict[str, set[str]] = {}
    for country in reference.countries():
        for form in reference.country_forms(country):
            claimants.setdefault(reference.country_key(form), set()).add(country["alpha2"])
    assert {key: codes for key, codes in claimants.items() if len(codes) > 1} == {}


def test_an_alias_that_another_country_already_claims_stops_the_lookup():
    entries = [dict(country) for country in reference.countries() if country["alpha2"] in {"GB", "UA"}]
    ukraine = next(entry for entry in entries if entry["alpha2"] == "UA")
    ukraine["aliases"] = ["U.K."]
    with pytest.raises(reference.AmbiguousCountryKeyError, match="GB and UA both claim the lookup key 'uk'"):
        reference.build_country_lookup(entries)


def test_the_generator_refuses_aliases_for_a_code_that_is_not_iso():
    class Iso:
        alpha_2, alpha_3, name = "GB", "GBR", "United Kingdom"

    with pytest.raises(ValueError, match="aliases for XK, which are not ISO 3166-1 alpha-2 codes"):
        generate_countries.country_entries([Iso()], {"XK": ["Kosovo"]})


def test_accent_free_forms_of_names_are_generated():
    class Iso:
        alpha_2, alpha_3, name, official_name = "CI", "CIV", "Côte d'Ivoire", "Republic of Côte d'Ivoire"

    [entry] = generate_countries.country_entries([Iso()], {"CI": ["Ivory Coast"]})
    assert entry["aliases"] == ["Ivory Coast", "Cote d'Ivoire", "Republic of Cote d'Ivoire"]


RAW_TO_ALPHA2 = {
    "Singapore": "SG",
    "Philippines": "PH",
    "PHL": "PH",
    "sgp": "SG",
    "ph": "PH",
    "UK": "GB",
    "USA": "US",
    "U.S.A.": "US",
    "Great Britain": "GB",
    "Holland": "NL",
    "  united   KINGDOM ": "GB",
    " PHILIPPINES": "PH",
    "Viet Nam": "VN",
    "Vietnam": "VN",
    "Côte d'Ivoire": "CI",
    "cote d'ivoire": "CI",
    "Ivory Coast": "CI",
    "Korea, Republic of": "KR",
    "South Korea": "KR",
    "North Korea": "KP",
    "Türkiye": "TR",
    "Turkey": "TR",
    "Russia": "RU",
    "Russian Federation": "RU",
    "Bolivia": "BO",
    "Plurinational State of Bolivia": "BO",
    "Atlantis": None,
    "Europe": None,
    "XX": None,
}


def test_countries_of_the_whole_world_read_as_their_alpha2_through_the_job(spark):
    assert dict(zip(RAW_TO_ALPHA2, clean_countries(spark, list(RAW_TO_ALPHA2)), strict=True)) == RAW_TO_ALPHA2


# What the hand-typed list of 41 countries accepted beyond codes and ISO names: it must still be read.
SPELLINGS_ACCEPTED_BEFORE = {
    "US": ["united states of america", "u.s.", "u.s.a.", "america", "us of a"],
    "MX": ["méxico"],
    "GB": ["uk", "u.k.", "great britain", "britain", "england"],
    "IE": ["republic of ireland"],
    "DE": ["deutschland"],
    "ES": ["españa"],
    "IT": ["italia"],
    "NL": ["the netherlands", "holland"],
    "CZ": ["czech republic"],
    "KR": ["South Korea", "korea, republic of", "republic of korea", "korea"],
    "CN": ["people's republic of china", "prc"],
    "BR": ["brasil"],
    "AE": ["uae", "u.a.e."],
    "TR": ["Turkey", "türkiye", "turkiye"],
    "RU": ["Russia", "russian federation"],
}


def test_every_spelling_the_old_list_accepted_still_reads_as_its_country(spark):
    raws = [raw for spellings in SPELLINGS_ACCEPTED_BEFORE.values() for raw in spellings]
    expected = [alpha2 for alpha2, spellings in SPELLINGS_ACCEPTED_BEFORE.items() for _ in spellings]
    assert clean_countries(spark, raws) == expected


def test_every_spelling_the_generator_writes_reads_as_its_country(spark):
    spellings = json.loads((PROJECT / "generator" / "country-spellings.json").read_text("utf-8"))["countries"]
    cases = [
        (variant, country["alpha2"])
        for country in spellings
        for form in [country["alpha2"], country["alpha3"], country["name"], *country["aliases"]]
        for variant in (form, form.upper(), form.lower(), f"  {form.replace(' ', '  ')} ")
    ]
    assert clean_countries(spark, [raw for raw, _ in cases]) == [alpha2 for _, alpha2 in cases]


def test_namibias_code_na_is_a_null_token_not_a_country(spark):
    # The contract's null tokens win: `NA` is read as missing; the name and alpha-3 still name Namibia.
    assert clean_countries(spark, ["NA", "Namibia", "NAM"]) == [None, "NA", "NA"]
