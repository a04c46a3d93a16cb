"""Lists the storage operations the Glue job's code performs, found in its source, as JSON on stdout.

Usage: python glue_storage_operations.py FILE.py...

Two kinds are found, with the standard library's ast only (no Spark needed):
  - Hadoop FileSystem calls: `<fs>.<method>(...)` where <fs> came from `Path.getFileSystem(...)`,
    directly or through a function that returns it (alone or in a tuple);
  - Spark DataFrame I/O: `....read....<format>(...)` and `....write....<format>(...)`.
Only functions that some other code calls count, so an unused helper grants nothing.
Code that reaches storage another way (boto3, botocore) is reported as unsupported, so the caller
fails instead of missing its calls.
"""
from __future__ import annotations

import ast
import json
import sys

READ_FORMATS = {"text", "textFile", "csv", "json", "parquet", "orc", "load", "table"}
WRITE_FORMATS = {"text", "csv", "json", "parquet", "orc", "save", "saveAsTable", "insertInto"}
UNSUPPORTED_MODULES = {"boto3", "botocore", "s3fs", "fsspec"}


def is_get_file_system(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "getFileSystem"


def callee_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def file_system_returners(trees: list[ast.Module]) -> dict[str, int | None]:
    """Functions returning a FileSystem: name -> tuple index (None when returned alone)."""
    found: dict[str, int | None] = {}
    for tree in trees:
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if not isinstance(node, ast.Return) or node.value is None:
                    continue
                if is_get_file_system(node.value):
                    found[function.name] = None
                elif isinstance(node.value, ast.Tuple):
                    for index, element in enumerate(node.value.elts):
                        if is_get_file_system(element):
                            found[function.name] = index
    return found


def file_system_names(function: ast.AST, returners: dict[str, int | None]) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(function):
        if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Call):
            continue
        for target in node.targets:
            if is_get_file_system(node.value) and isinstance(target, ast.Name):
                names.add(target.id)
            name = callee_name(node.value)
            if name in returners:
                index = returners[name]
                if index is None and isinstance(target, ast.Name):
                    names.add(target.id)
                elif index is not None and isinstance(target, ast.Tuple) and isinstance(target.elts[index], ast.Name):
                    names.add(target.elts[index].id)
    return names


def chain_attributes(call: ast.Call) -> list[str]:
    """The attribute names of a method chain, from the root outwards: `spark.read.text(...)` gives read, text."""
    names: list[str] = []
    node: ast.AST = call
    while isinstance(node, (ast.Call, ast.Attribute)):
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
        node = node.func if isinstance(node, ast.Call) else node.value
    return list(reversed(names))


def spark_io(call: ast.Call) -> dict | None:
    if not isinstance(call.func, ast.Attribute):
        return None
    attributes = chain_attributes(call)
    final, before = attributes[-1], attributes[:-1]
    if "read" in before and final in READ_FORMATS:
        return {"operation": f"DataFrameReader.{final}"}
    if "write" in before and final in WRITE_FORMATS:
        return {"operation": f"DataFrameWriter.{final}"}
    return None


def is_called_elsewhere(function: ast.AST, trees: list[ast.Module]) -> bool:
    """Whether any call outside the function's own body names it (a method of an unused helper does not count)."""
    inside = {id(node) for node in ast.walk(function)}
    return any(
        isinstance(node, ast.Call) and id(node) not in inside and callee_name(node) == function.name
        for tree in trees for node in ast.walk(tree)
    )


def analyse(paths: list[str]) -> dict:
    trees = [ast.parse(open(path, encoding="utf-8").read(), filename=path) for path in paths]
    returners = file_system_returners(trees)
    operations: list[dict] = []
    unsupported: list[dict] = []
    for path, tree in zip(paths, trees):
        for node in ast.walk(tree):
            modules = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            for module in modules:
                if module.split(".")[0] in UNSUPPORTED_MODULES:
                    unsupported.append({"file": path, "line": node.lineno, "what": f"import {module}"})
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or not is_called_elsewhere(function, trees):
                continue
            file_systems = file_system_names(function, returners)
            for node in ast.walk(function):
                if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                    continue
                receiver = node.func.value
                if isinstance(receiver, ast.Name) and receiver.id in file_systems:
                    operations.append({"operation": f"FileSystem.{node.func.attr}", "file": path, "line": node.lineno})
                    continue
                io = spark_io(node)
                if io:
                    operations.append({**io, "file": path, "line": node.lineno})
    # A call inside a nested function is seen from both functions: keep one of each.
    unique = {(item["operation"], item["file"], item["line"]): item for item in operations}
    return {"operations": sorted(unique.values(), key=lambda item: (item["file"], item["line"])), "unsupported": unsupported}


if __name__ == "__main__":
    json.dump(analyse(sys.argv[1:]), sys.stdout, indent=1)
