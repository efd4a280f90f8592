"""The house rules of the package layout, read from the source itself.

Data flows one way (docs/architecture.md): every module belongs to a stage, and a module
may import only its own package and the stages below it. The graph counts every import
statement, including those inside functions and under ``TYPE_CHECKING``: a lazy import that
reaches up is still a module that knows about a higher layer.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "cramplog"

# stage -> rank; a module may import stages of lower rank and its own package.
# Packages of equal rank are independent of each other.
# The modules directly in cramplog/ (model, errors, thresholds, csvsafe) form the base stage.
BASE = {"model", "errors", "thresholds", "csvsafe"}
RANKS = {
    "base": 0,
    "ingest": 1,
    "journal": 1,
    "features": 2,
    "store": 3,
    "importer": 4,
    "metrics": 5,
    "rules": 6,
    "analysis": 7,
    "render": 8,
    "api": 9,
    "cli": 9,
}
# A separate tool: the sample generator imports nothing from the rest of cramplog.
ISOLATED = {"samplegen"}
TOP_LEVEL_LIMIT = 6  # modules directly in cramplog/, __init__ and __main__ included
LINE_LIMIT = 450


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The cramplog modules ``path`` imports (the most specific known module of each)."""
    is_pkg = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            # "from pkg import sub" imports the submodule when there is one
            targets = [f"{mod}.{a.name}" for a in node.names if f"{mod}.{a.name}" in known]
            targets = targets or [mod]
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t.startswith("cramplog") and t != name:
                out.add(t)
    return out


def stage(name: str) -> str:
    parts = name.split(".")
    if len(parts) == 1:
        return "cramplog"
    return "base" if parts[1] in BASE else parts[1]


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(name, path, known) for name, path in mods.items()}


def test_every_module_has_a_stage() -> None:
    unknown = sorted(
        {stage(m) for m in modules()} - set(RANKS) - ISOLATED - {"cramplog", "__main__"}
    )
    assert unknown == [], f"modules outside any stage (add them to RANKS): {unknown}"


def test_nothing_imports_a_higher_or_sibling_stage() -> None:
    bad = []
    for mod, deps in graph().items():
        s = stage(mod)
        for dep in deps:
            d = stage(dep)
            if d == s or dep == "cramplog":
                continue  # own package; the root only holds the version
            if s in ISOLATED or d in ISOLATED:
                bad.append(f"{mod} -> {dep} (the sample generator stands apart)")
            elif s == "__main__":
                continue
            elif RANKS.get(d, 99) >= RANKS.get(s, -1):
                bad.append(f"{mod} -> {dep}")
    assert bad == [], "imports that reach up or sideways:\n" + "\n".join(sorted(bad))


def find_cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in g.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles() -> None:
    assert find_cycles(graph()) == []


def test_the_cycle_finder_sees_a_cycle() -> None:
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_over_the_line_limit() -> None:
    long = {
        str(p.relative_to(ROOT.parent)): n
        for p in ROOT.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > LINE_LIMIT
    }
    assert long == {}, f"modules over {LINE_LIMIT} lines: {long}"


def test_top_level_holds_few_modules() -> None:
    top = sorted(p.name for p in ROOT.glob("*.py"))
    assert len(top) <= TOP_LEVEL_LIMIT, top


@pytest.mark.parametrize("pkg", sorted(p.parent.name for p in ROOT.glob("*/__init__.py")))
def test_every_package_says_its_job_and_what_it_may_import(pkg: str) -> None:
    doc = ast.get_docstring(ast.parse((ROOT / pkg / "__init__.py").read_text(encoding="utf-8")))
    assert doc, f"cramplog/{pkg}/__init__.py has no docstring"
    if pkg not in ISOLATED:
        assert "May import" in doc, f"cramplog/{pkg}/__init__.py does not say what it may import"


def test_only_the_cli_talks_to_the_terminal() -> None:
    """Nothing below the CLI imports typer, prints or exits."""
    offenders = defaultdict(list)
    for name, path in modules().items():
        if stage(name) in {"cli", "__main__"} | ISOLATED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                mods = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                mods.append(getattr(node, "module", None) or "")
                if any(m == "typer" or m.startswith("typer.") for m in mods):
                    offenders[name].append("imports typer")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id in {"print", "exit", "quit"}:
                    offenders[name].append(f"calls {node.func.id}()")
            elif (
                isinstance(node, ast.Attribute)
                and node.attr == "exit"
                and isinstance(node.value, ast.Name)
                and node.value.id == "sys"
            ):
                offenders[name].append("calls sys.exit")
    assert dict(offenders) == {}
