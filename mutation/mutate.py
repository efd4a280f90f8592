"""A small mutation runner (issue 19): one operator mutation at a time, the chosen tests run
against it, killed when they fail. Not part of CI; docs/testing.md has the command and the
figures.

    python mutation/mutate.py                      # every target
    python mutation/mutate.py exit_status dup      # some targets
    python mutation/mutate.py --list               # the mutants, without running anything

Operators (as mutmut's): a comparison swapped (< <=, > >=, == !=, in / not in, is / is not),
``and`` <-> ``or``, ``+`` <-> ``-``, ``*`` <-> ``/``, ``not x`` -> ``x``, a number n -> n + 1;
plus the named mutants the issue asks for, as text replacements. Each mutant is written over
the module (from ``ast.unparse``: comments and layout go, the code does not change, which the
baseline run checks), the tests run in a fresh interpreter without bytecode caches, and the
original bytes are put back afterwards (also on Ctrl-C).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Target:
    key: str
    module: str
    functions: tuple[str, ...]  # only mutate inside these (empty: the whole module)
    tests: tuple[str, ...]
    compare_only: bool = False
    named: tuple[tuple[str, str, str], ...] = ()  # (name, old text, new text)
    lines: dict[int, str] = field(default_factory=dict)


TARGETS = [
    Target(
        "exit_status",
        "cramplog/cli/exit_status.py",
        ("exit_status",),
        (
            "tests/test_cli_exit_status.py",
            "tests/test_cli_analyze.py",
            "tests/test_team.py",
            "tests/test_junit.py",
        ),
        named=(
            (
                "--fail-on compared with >= 0",
                "SEVERITIES.index(s) >= threshold",
                "SEVERITIES.index(s) >= 0",
            ),
        ),
    ),
    Target(
        "dup",
        "cramplog/store/activities.py",
        ("_find_twin", "_close"),
        ("tests/test_store.py", "tests/test_importer.py", "tests/test_import_features.py"),
        named=(
            (
                'duplicate "or" -> "and"',
                'if _close(row["distance_m"], act.distance_m) or _close(',
                'if _close(row["distance_m"], act.distance_m) and _close(',
            ),
        ),
    ),
    Target(
        "band",
        "cramplog/rules/base.py",
        ("band",),
        (
            "tests/test_rules_band.py",
            "tests/test_rules_common.py",
            "tests/test_rules_load.py",
            "tests/test_rules_pace.py",
            "tests/test_rules_lookups.py",
        ),
    ),
    Target(
        "load_cmp",
        "cramplog/rules/load.py",
        (),
        (
            "tests/test_rules_load.py",
            "tests/test_rules_load_details.py",
            "tests/test_rules_lookups.py",
            "tests/test_rules_common.py",
        ),
        compare_only=True,
    ),
    Target(
        "heat_cmp",
        "cramplog/rules/heat.py",
        (),
        (
            "tests/test_rules_heat.py",
            "tests/test_rules_heat_details.py",
            "tests/test_rules_lookups.py",
            "tests/test_rules_common.py",
        ),
        compare_only=True,
    ),
    Target(
        "stats",
        "cramplog/metrics/stats.py",
        (),
        ("tests/test_stats.py", "tests/test_stats_edges.py", "tests/test_personal.py"),
    ),
    Target(
        "personal",
        "cramplog/analysis/personal.py",
        ("personal_associations", "to_dict"),
        ("tests/test_personal.py", "tests/test_personal_edges.py", "tests/test_stats.py"),
    ),
]

_CMP = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
_BIN = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult}
_SYM = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.And: "and",
    ast.Or: "or",
}


def _inside(tree: ast.Module, functions: tuple[str, ...]) -> set[int]:
    """Ids of the nodes inside the named functions (every node when none are named)."""
    roots: list[ast.AST] = (
        [tree]
        if not functions
        else [
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name in functions
        ]
    )
    return {id(x) for r in roots for x in ast.walk(r)}


def _is_docstring_or_annotation(node: ast.AST, parents: dict[int, ast.AST]) -> bool:
    p = parents.get(id(node))
    while p is not None:
        if isinstance(p, ast.arg) or (isinstance(p, ast.AnnAssign) and node is p.annotation):
            return True
        if isinstance(p, ast.FunctionDef) and node is p.returns:
            return True
        p = parents.get(id(p))
    return False


def sites(source: str, t: Target) -> list[tuple[ast.AST, int, str, str]]:
    """(node, sub-index, description, kind) of every mutation, in a fixed order."""
    tree = ast.parse(source)
    return _sites(tree, t)


def _sites(tree: ast.Module, t: Target) -> list[tuple[ast.AST, int, str, str]]:
    keep = _inside(tree, t.functions)
    parents = {id(c): p for p in ast.walk(tree) for c in ast.iter_child_nodes(p)}
    out: list[tuple[ast.AST, int, str, str]] = []
    for node in ast.walk(tree):
        if id(node) not in keep:
            continue
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                new = _CMP.get(type(op))
                if new is not None:
                    out.append((node, i, f"L{line}: {_SYM[type(op)]} -> {_SYM[new]}", "cmp"))
        if t.compare_only:
            continue
        if isinstance(node, ast.BoolOp):
            new_b = ast.Or if isinstance(node.op, ast.And) else ast.And
            out.append((node, 0, f"L{line}: {_SYM[type(node.op)]} -> {_SYM[new_b]}", "bool"))
        elif isinstance(node, ast.BinOp) and type(node.op) in _BIN:
            new_o = _BIN[type(node.op)]
            out.append((node, 0, f"L{line}: {_SYM[type(node.op)]} -> {_SYM[new_o]}", "bin"))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            out.append((node, 0, f"L{line}: not x -> x", "not"))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, int | float)
            and not isinstance(node.value, bool)
            and not _is_docstring_or_annotation(node, parents)
        ):
            out.append((node, 0, f"L{line}: {node.value!r} -> {node.value + 1!r}", "num"))
    return out


def mutant(source: str, t: Target, k: int) -> str:
    tree = ast.parse(source)
    node, i, _, kind = _sites(tree, t)[k]
    if kind == "cmp":
        assert isinstance(node, ast.Compare)
        node.ops[i] = _CMP[type(node.ops[i])]()
    elif kind == "bool":
        assert isinstance(node, ast.BoolOp)
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif kind == "bin":
        assert isinstance(node, ast.BinOp)
        node.op = _BIN[type(node.op)]()
    elif kind == "num":
        assert isinstance(node, ast.Constant)
        node.value = node.value + 1
    elif kind == "not":
        assert isinstance(node, ast.UnaryOp)
        parent = next(p for p in ast.walk(tree) for c in ast.iter_child_nodes(p) if c is node)
        for name, value in ast.iter_fields(parent):
            if value is node:
                setattr(parent, name, node.operand)
            elif isinstance(value, list):
                setattr(parent, name, [node.operand if v is node else v for v in value])
    return ast.unparse(tree) + "\n"


def run_tests(t: Target, timeout: float) -> tuple[str, float]:
    # CI=1: hypothesis derandomized (the conftest's "ci" profile), so a run is repeatable
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(REPO), "CI": "1"}
    cmd = [sys.executable, "-B", "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
    cmd += ["-p", "no:randomly", *t.tests]
    t0 = time.perf_counter()
    try:
        res = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", time.perf_counter() - t0
    status = "survived" if res.returncode == 0 else "killed"
    if res.returncode not in (0, 1):  # a collection error or crash also kills, but say so
        status = f"killed (pytest exit {res.returncode})"
    return status, time.perf_counter() - t0


def _drop_pyc(path: Path) -> None:
    for pyc in (path.parent / "__pycache__").glob(f"{path.stem}.*.pyc"):
        pyc.unlink(missing_ok=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("targets", nargs="*", help="target keys (default: all)")
    ap.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("--timeout", type=float, default=300.0)
    a = ap.parse_args()
    chosen = [t for t in TARGETS if not a.targets or t.key in a.targets]
    results: list[dict[str, object]] = []
    for t in chosen:
        path = REPO / t.module
        original = path.read_bytes()
        source = original.decode()
        found = sites(source, t)
        named = [(name, source.replace(old, new, 1)) for name, old, new in t.named]
        assert all(m != source for _, m in named), "a named mutant's text is not in the module"
        print(f"== {t.key}: {t.module}, {len(found)} mutants + {len(named)} named", flush=True)
        if a.list:
            for _, _, desc, _ in found:
                print("   ", desc)
            continue
        todo = [
            (desc, lambda k=k, src=source, tg=t: mutant(src, tg, k))
            for k, (_, _, desc, _) in enumerate(found)
        ]
        todo += [(f"named: {name}", lambda m=m: m) for name, m in named]
        try:
            path.write_text(ast.unparse(ast.parse(source)) + "\n")
            _drop_pyc(path)
            base, secs = run_tests(t, a.timeout)
            if base != "survived":
                print(f"   baseline fails ({base}): fix the tests first", flush=True)
                return 1
            print(f"   baseline green in {secs:.0f} s", flush=True)
            for desc, make in todo:
                path.write_text(make())
                _drop_pyc(path)
                status, secs = run_tests(t, a.timeout)
                print(f"   {status:9} {desc}  ({secs:.0f} s)", flush=True)
                results.append({"target": t.key, "mutant": desc, "status": status})
        finally:
            path.write_bytes(original)
            _drop_pyc(path)
    if a.json:
        a.json.write_text(json.dumps(results, indent=1) + "\n")
    killed = sum(str(r["status"]).startswith("killed") for r in results)
    print(f"{len(results)} mutants: {killed} killed, {len(results) - killed} not killed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
