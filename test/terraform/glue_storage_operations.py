"""Lists the storage operations the Glue job's code performs, found in its source, as JSON on stdout.

Usage: python glue_storage_operations.py FILE.py...

Three kinds are found, with the standard library's ast only (no Spark needed):
  - Hadoop FileSystem calls: `<fs>.<method>(...)` where <fs> came from `Path.getFileSystem(...)`,
    directly or through a function that returns it (alone or in a tuple);
  - S3 API calls: `<client>.<operation>(...)` where <client> was assigned from an expression that
    builds `boto3.client("s3")` (`s3 or boto3.client("s3")` included), as `S3.<Operation>`;
  - Spark DataFrame I/O: `....read....<format>(...)` and `....write....<format>(...)`.
Only functions that some other code calls count, so an unused helper grants nothing. A path that
arrives as a parameter is followed to what each caller passes.
Code that reaches storage another way (s3fs, fsspec, botocore clients, boto3 resources or clients
of other services) is reported as unsupported, so the caller fails instead of missing its calls.
"""

from __future__ import annotations

import ast
import json
import sys

READ_FORMATS = {"text", "textFile", "csv", "json", "parquet", "orc", "load", "table"}
WRITE_FORMATS = {"text", "csv", "json", "parquet", "orc", "save", "saveAsTable", "insertInto"}
UNSUPPORTED_MODULES = {"botocore", "s3fs", "fsspec"}
# botocore's exception classes reach nothing.
HARMLESS_MODULES = {"botocore.exceptions"}
MAX_CALL_DEPTH = 8


def is_get_file_system(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "getFileSystem"


def is_boto3_s3_client(node: ast.AST) -> bool:
    """`boto3.client("s3", ...)`."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "client"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "boto3"
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
        and node.args[0].value == "s3"
    )


def s3_client_names(function: ast.AST) -> set[str]:
    """Names assigned from an expression that builds an S3 client."""
    return {
        target.id
        for node in ast.walk(function)
        if isinstance(node, ast.Assign) and any(is_boto3_s3_client(inner) for inner in ast.walk(node.value))
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def s3_operation(method: str) -> str:
    """boto3's method name as the S3 API operation: get_object gives S3.GetObject."""
    return "S3." + "".join(part.capitalize() for part in method.split("_"))


def s3_call_operation(call: ast.Call) -> str:
    """The S3 operation of a client call; a GetObject that may name a version (a `VersionId` argument, or
    `**` arguments that could hold one) is `S3.GetObject(VersionId)`, which IAM authorizes differently."""
    operation = s3_operation(call.func.attr)
    may_name_version = any(keyword.arg in (None, "VersionId") for keyword in call.keywords)
    return f"{operation}(VersionId)" if operation == "S3.GetObject" and may_name_version else operation


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


def argument_for(call: ast.Call, function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> ast.AST | None:
    """The expression a call passes for one of the function's parameters (a method's `self` is not passed)."""
    positional = [argument.arg for argument in [*function.args.posonlyargs, *function.args.args]]
    if positional and positional[0] == "self":
        positional = positional[1:]
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    if name in positional and positional.index(name) < len(call.args):
        return call.args[positional.index(name)]
    return None


def locate(expr: ast.AST | None, scope: ast.AST, callers: dict, depth: int = 0) -> list[dict | None]:
    """Where a path argument points: a job argument (input_uri, output_uri) and the constant folders joined
    to it; a parameter points wherever its callers' arguments do (one entry per caller)."""
    if expr is None or depth > MAX_CALL_DEPTH:
        return [None]
    if isinstance(expr, ast.Attribute) and expr.attr.endswith("_uri"):
        return [{"base": expr.attr, "prefix": ""}]
    if isinstance(expr, ast.Call) and expr.args and uri_base(expr.args[0]):
        folders = []
        for argument in expr.args[1:]:
            if not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
                break
            folders.append(argument.value)
        return [{"base": uri_base(expr.args[0]), "prefix": "/".join(folders)}]
    if isinstance(expr, ast.Name):
        value = assigned_value(scope, expr.id)
        if value is not None or not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return locate(value, scope, callers, depth + 1)
        sites = callers.get(scope.name, [])
        found = [
            target
            for call, caller in sites
            for target in locate(argument_for(call, scope, expr.id), caller, callers, depth + 1)
        ]
        return found or [None]
    if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Name) and isinstance(expr.slice, ast.Constant):
        mapping = assigned_value(scope, expr.value.id)
        if isinstance(mapping, ast.Dict):
            for key, value in zip(mapping.keys, mapping.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == expr.slice.value:
                    return locate(value, scope, callers, depth + 1)
    return [None]


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

    A function that calls FileSystem methods or S3 client methods is treated as a wrapper around its
    first argument: its operations are counted at each call site, on the path that call site passes.
    """
    trees = [ast.parse(open(path, encoding="utf-8").read(), filename=path) for path in paths]
    returners = file_system_returners(trees)
    wrappers: dict[str, list[tuple[str, int]]] = {}
    operations: list[dict] = []
    unsupported: list[dict] = []

    for path, tree in zip(paths, trees, strict=True):
        s3_client_factories = {id(call.func) for call in ast.walk(tree) if is_boto3_s3_client(call)}
        for node in ast.walk(tree):
            modules = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            for module in modules:
                if module.split(".")[0] in UNSUPPORTED_MODULES and module not in HARMLESS_MODULES:
                    unsupported.append({"file": path, "line": node.lineno, "what": f"import {module}"})
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "boto3"
                and id(node) not in s3_client_factories
            ):
                unsupported.append(
                    {"file": path, "line": node.lineno, "what": f"boto3.{node.attr} other than client('s3')"}
                )

    used = [
        node
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and is_called_elsewhere(node, trees)
    ]
    for function in used:
        file_systems = file_system_names(function, returners)
        s3_clients = s3_client_names(function)
        for node in ast.walk(function):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
            ):
                continue
            if node.func.value.id in file_systems:
                wrappers.setdefault(function.name, []).append((f"FileSystem.{node.func.attr}", node.lineno))
            elif node.func.value.id in s3_clients:
                wrappers.setdefault(function.name, []).append((s3_call_operation(node), node.lineno))

    # Every call, in the module body or in a function some code calls, seen from its innermost scope.
    used_ids = {id(function) for function in used}
    scoped_calls = [
        (path, node, scope)
        for path, tree in zip(paths, trees, strict=True)
        for node, scope in calls_with_scope(tree)
        if scope is tree or id(scope) in used_ids
    ]
    callers: dict[str, list[tuple[ast.Call, ast.AST]]] = {}
    for _, node, scope in scoped_calls:
        callers.setdefault(callee_name(node) or "", []).append((node, scope))
    for path, node, scope in scoped_calls:
        name = callee_name(node)
        on_file_system = (
            isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in file_system_names(scope, returners)
        )
        if name in wrappers and name != getattr(scope, "name", None) and not on_file_system:
            for target in locate(node.args[0] if node.args else None, scope, callers):
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
            for target in locate(node.args[0] if node.args else None, scope, callers):
                operations.append(
                    {**io, "file": path, "line": node.lineno, "column": node.col_offset, "target": target}
                )
    ordered = sorted(operations, key=lambda item: (item["file"], item["line"], item["column"], item["operation"]))
    return {"operations": ordered, "unsupported": unsupported}


if __name__ == "__main__":
    json.dump(analyse(sys.argv[1:]), sys.stdout, indent=1)
