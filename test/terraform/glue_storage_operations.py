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
    # The nearest read or write decides: `spark.read.csv(a).write.parquet(b)` writes with parquet.
    side = next((name for name in reversed(before) if name in ("read", "write")), None)
    if side == "read" and final in READ_FORMATS:
        return {"operation": f"DataFrameReader.{final}"}
    if side == "write" and final in WRITE_FORMATS:
        return {"operation": f"DataFrameWriter.{final}"}
    return None


def is_called_elsewhere(function: ast.AST, trees: list[ast.Module]) -> bool:
    """Whether any call outside the function's own body names it (a method of an unused helper does not count)."""
    inside = {id(node) for node in ast.walk(function)}
    return any(
        isinstance(node, ast.Call) and id(node) not in inside and callee_name(node) == function.name
        for tree in trees
        for node in ast.walk(tree)
    )


def assigned_value(scope: ast.AST, name: str) -> ast.AST | None:
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            return node.value
    return None


def uri_base(expr: ast.AST) -> str | None:
    """The job argument a path starts from: `config.output_uri` gives output_uri."""
    for node in ast.walk(expr):
        if isinstance(node, ast.Attribute) and node.attr.endswith("_uri"):
            return node.attr
    return None


def locate(expr: ast.AST | None, scope: ast.AST) -> dict | None:
    """Where a path argument points: a job argument (input_uri, output_uri) and the constant folders joined to it."""
    if expr is None:
        return None
    if isinstance(expr, ast.Attribute) and expr.attr.endswith("_uri"):
        return {"base": expr.attr, "prefix": ""}
    if isinstance(expr, ast.Call) and expr.args and uri_base(expr.args[0]):
        folders = []
        for argument in expr.args[1:]:
            if not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
                break
            folders.append(argument.value)
        return {"base": uri_base(expr.args[0]), "prefix": "/".join(folders)}
    if isinstance(expr, ast.Name):
        return locate(assigned_value(scope, expr.id), scope)
    if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Name) and isinstance(expr.slice, ast.Constant):
        mapping = assigned_value(scope, expr.value.id)
        if isinstance(mapping, ast.Dict):
            for key, value in zip(mapping.keys, mapping.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == expr.slice.value:
                    return locate(value, scope)
    return None


def calls_with_scope(tree: ast.Module) -> list[tuple[ast.Call, ast.AST]]:
    """Every call of a module with its innermost enclosing function (the module itself at top level)."""
    calls: list[tuple[ast.Call, ast.AST]] = []

    def visit(node: ast.AST, scope: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else scope
            if isinstance(child, ast.Call):
                calls.append((child, scope))
            visit(child, inner)

    visit(tree, tree)
    return calls


def analyse(paths: list[str]) -> dict:
    """Each operation with the code line that performs it and the path it reaches.

    A function that calls FileSystem methods is treated as a wrapper around its first argument:
    its operations are counted at each call site, on the path that call site passes.
    """
    trees = [ast.parse(open(path, encoding="utf-8").read(), filename=path) for path in paths]
    returners = file_system_returners(trees)
    wrappers: dict[str, list[tuple[str, int]]] = {}
    operations: list[dict] = []
    unsupported: list[dict] = []

    for path, tree in zip(paths, trees, strict=True):
        for node in ast.walk(tree):
            modules = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            for module in modules:
                if module.split(".")[0] in UNSUPPORTED_MODULES:
                    unsupported.append({"file": path, "line": node.lineno, "what": f"import {module}"})

    used = [
        node
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and is_called_elsewhere(node, trees)
    ]
    for function in used:
        file_systems = file_system_names(function, returners)
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in file_systems
            ):
                wrappers.setdefault(function.name, []).append((f"FileSystem.{node.func.attr}", node.lineno))

    # Every call, in the module body or in a function some code calls, seen from its innermost scope.
    used_ids = {id(function) for function in used}
    for path, tree in zip(paths, trees, strict=True):
        for node, scope in calls_with_scope(tree):
            if scope is not tree and id(scope) not in used_ids:
                continue
            name = callee_name(node)
            on_file_system = (
                isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in file_system_names(scope, returners)
            )
            if name in wrappers and name != getattr(scope, "name", None) and not on_file_system:
                target = locate(node.args[0] if node.args else None, scope)
                for operation, line in wrappers[name]:
                    operations.append(
                        {
                            "operation": operation,
                            "file": path,
                            "line": node.lineno,
                            "column": node.col_offset,
                            "via": f"{name} (line {line})",
                            "target": target,
                        }
                    )
                continue
            io = spark_io(node)
            if io:
                operations.append(
                    {
                        **io,
                        "file": path,
                        "line": node.lineno,
                        "column": node.col_offset,
                        "target": locate(node.args[0] if node.args else None, scope),
                    }
                )
    ordered = sorted(operations, key=lambda item: (item["file"], item["line"], item["column"], item["operation"]))
    return {"operations": ordered, "unsupported": unsupported}


if __name__ == "__main__":
    json.dump(analyse(sys.argv[1:]), sys.stdout, indent=1)
