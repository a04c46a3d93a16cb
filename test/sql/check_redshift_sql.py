"""Checks that SQL statements are Amazon Redshift SQL, not just SQL that Postgres accepts.

Reads a JSON list of {"name", "sql", "parameters"?} from stdin, one Data API statement each, and
writes a JSON list of {"name", "problems"} in the same order; no problems means the statement is
Redshift SQL. Each statement is parsed with sqlfluff's `redshift` dialect. That grammar descends
from sqlfluff's Postgres grammar and still accepts some Postgres-only syntax, so DENYLIST adds a
rule for each such construct that Redshift's documentation leaves out (see test/sql/README.md).
"""

import json
import sys
from collections.abc import Callable, Iterator

from sqlfluff.core import FluffConfig, Linter
from sqlfluff.core.parser import BaseSegment

Rule = Callable[[BaseSegment, tuple[BaseSegment, ...]], bool]

JSON_OPERATORS = {"->", "->>", "#>", "#>>", "#-", "@>", "<@", "?", "?|", "?&"}
QUANTIFIERS = {"ANY", "ALL", "SOME"}


def code_children(segment: BaseSegment) -> list[BaseSegment]:
    return [child for child in segment.segments if child.is_code]


def has_keyword(segment: BaseSegment, *words: str) -> bool:
    return any(child.is_type("keyword") and child.raw.upper() in words for child in segment.segments)


def like_quantified(segment: BaseSegment, _: tuple[BaseSegment, ...]) -> bool:
    children = code_children(segment)
    for word, following in zip(children, children[1:], strict=False):
        if word.is_type("keyword") and word.raw.upper() in ("LIKE", "ILIKE"):
            head = following.raw.split("(")[0].strip().upper()
            if head in QUANTIFIERS:
                return True
    return False


def merge_source_not_table(segment: BaseSegment, _: tuple[BaseSegment, ...]) -> bool:
    if not segment.is_type("merge_statement"):
        return False
    children = code_children(segment)
    using = next(index for index, child in enumerate(children) if child.raw.upper() == "USING")
    return not children[using + 1].is_type("table_reference")


# Each rule: (what Redshift lacks and what to write instead, test on a segment and its ancestors).
DENYLIST: list[tuple[str, Rule]] = [
    (
        "RETURNING clause: Redshift's INSERT, UPDATE and DELETE return no rows",
        lambda segment, _: segment.is_type("keyword") and segment.raw.upper() == "RETURNING",
    ),
    (
        "CREATE INDEX: Redshift has no indexes; use SORTKEY and DISTKEY",
        lambda segment, _: segment.is_type("create_index_statement"),
    ),
    (
        "CREATE EXTENSION: Redshift has no Postgres extensions",
        lambda segment, _: segment.is_type("create_extension_statement"),
    ),
    (
        "array constructor or array type: Redshift has no arrays; use SUPER",
        lambda segment, _: segment.is_type("array_literal", "typed_array_literal"),
    ),
    ("LIKE/ILIKE ANY|ALL|SOME: Postgres-only; combine single-pattern LIKEs with OR", like_quantified),
    (
        "dollar-quoted string: Redshift accepts $$ only around a function or procedure body",
        lambda segment, ancestors: (
            segment.is_type("quoted_literal")
            and segment.raw.startswith("$")
            and not any(ancestor.is_type("function_definition") for ancestor in ancestors)
        ),
    ),
    (
        "SELECT DISTINCT ON: Postgres-only; use ROW_NUMBER() OVER (PARTITION BY ...) = 1",
        lambda segment, _: segment.is_type("select_clause_modifier") and has_keyword(segment, "ON"),
    ),
    (
        "aggregate FILTER (WHERE ...): Postgres-only; put a CASE WHEN inside the aggregate",
        lambda segment, _: segment.is_type("function") and has_keyword(segment, "FILTER"),
    ),
    (
        "JSON, array or range operator: Redshift has no JSON type; use SUPER or JSON_EXTRACT_PATH_TEXT",
        lambda segment, _: segment.is_type("binary_operator") and segment.raw in JSON_OPERATORS,
    ),
    (
        "VALUES list used as a constant table: Redshift allows VALUES only in INSERT;"
        " use SELECT ... UNION ALL SELECT ...",
        lambda segment, ancestors: (
            segment.is_type("values_clause") and not ancestors[-1].is_type("insert_statement", "merge_insert_clause")
        ),
    ),
    (
        "SELECT ... FOR UPDATE/SHARE: Redshift has no row locks; use LOCK TABLE",
        lambda segment, _: segment.is_type("for_clause"),
    ),
    (
        "MERGE ... WHEN [NOT] MATCHED AND <condition>: Redshift's MERGE takes no condition there;"
        " filter the source first",
        lambda segment, _: (
            segment.is_type("merge_when_matched_clause", "merge_when_not_matched_clause")
            and has_keyword(segment, "AND")
        ),
    ),
    (
        "MERGE ... USING <subquery>: Redshift merges from a table; stage the rows in a temporary table",
        merge_source_not_table,
    ),
]


def walk(
    segment: BaseSegment, ancestors: tuple[BaseSegment, ...] = ()
) -> Iterator[tuple[BaseSegment, tuple[BaseSegment, ...]]]:
    yield segment, ancestors
    for child in segment.segments:
        yield from walk(child, (*ancestors, segment))


def linter_for(parameters: dict[str, str]) -> Linter:
    """A linter for the redshift dialect; Data API parameters (:name) become the string literals they stand for."""
    if not parameters:
        return Linter(config=FluffConfig(overrides={"dialect": "redshift"}))
    literals = {name: "'" + value.replace("'", "''") + "'" for name, value in parameters.items()}
    return Linter(
        config=FluffConfig(
            configs={
                "core": {"dialect": "redshift", "templater": "placeholder"},
                "templater": {"placeholder": {"param_style": "colon", **literals}},
            }
        )
    )


def problems_of(sql: str, parameters: dict[str, str]) -> list[str]:
    parsed = linter_for(parameters).parse_string(sql)
    problems = [f"not Redshift SQL: {violation.desc()}" for violation in parsed.violations]
    if parsed.tree is None:
        return problems or ["sqlfluff produced no parse tree"]
    statements = list(parsed.tree.recursive_crawl("statement", recurse_into=False))
    if len(statements) != 1:
        problems.append(f"holds {len(statements)} statements: the Data API takes exactly one per entry")
    for segment, ancestors in walk(parsed.tree):
        for message, rule in DENYLIST:
            if rule(segment, ancestors):
                problems.append(f"{message} (at {segment.raw[:60]!r})")
    return problems


def main() -> None:
    statements = json.load(sys.stdin)
    results = [
        {"name": statement["name"], "problems": problems_of(statement["sql"], statement.get("parameters") or {})}
        for statement in statements
    ]
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
