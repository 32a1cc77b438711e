"""The layers of `src/attain/` as data: what each package does and which packages it may import.

One table serves two readers: `tests/test_layers.py` checks every module's imports against it, and
the table in `docs/architecture.md` (between the `layers:begin` and `layers:end` markers) is
rendered from it, so the picture and the code cannot drift. After changing the table run
`python tests/layers.py --write` to rewrite the document's table.

A package may import itself and the packages listed beside it, nothing else of attain. The
allowed sets only grow upwards: a package never lists one drawn above it, so the package graph
has no cycle (also checked directly).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "attain"
DOCUMENT = ROOT / "docs" / "architecture.md"
BEGIN = "<!-- layers:begin (rendered from tests/layers.py by `python tests/layers.py --write`) -->"
END = "<!-- layers:end -->"


@dataclass(frozen=True)
class Layer:
    """One package (or top-level module) of attain, what it does, and what it may import."""

    name: str
    job: str
    imports: tuple[str, ...] = ()


CORE = ("errors", "model", "engine")

LAYERS: tuple[Layer, ...] = (
    Layer("errors", "the error tree (drawn in its docstring) and `Problem`, a located description of bad input"),
    Layer(
        "settings",
        "where data lives, how the server logs and how notifications go out, read from an environment mapping",
        ("errors",),
    ),
    Layer("actor", "who makes the changes the store records: a context variable the edges set, the audit trail reads"),
    Layer("model", "the domain as frozen, strictly validated pydantic types; exact quantities", ("errors",)),
    Layer(
        "engine",
        "pure computation over integers and numpy arrays: windows, budgets, burn rates, credits",
        ("errors", "model"),
    ),
    Layer("stored_version", "a stored agreement version, the one record of `ports` the read commands need alone"),
    Layer(
        "ports", "the `Store` Protocol and the records it exchanges", ("errors", "model", "engine", "stored_version")
    ),
    Layer(
        "formats",
        "text ⇄ model: `attain/v1` YAML with located errors, OpenSLO, Sloth specs and windows, results as JSON",
        CORE,
    ),
    Layer(
        "rules",
        "Prometheus recording and alert rules from objectives (pure: documents in, rules out)",
        (*CORE, "formats"),
    ),
    Layer(
        "reports",
        "the contract document and the periodic report: HTML, PDF, Markdown, charts; en and zh-CN",
        (*CORE, "formats"),
    ),
    Layer("demo", "seeded synthetic measurements for the templates", (*CORE, "formats")),
    Layer(
        "lifecycle",
        "agreement versions: loading, ordering, the version in force and the effective-date rule",
        (*CORE, "formats", "ports", "stored_version"),
    ),
    Layer(
        "storage",
        "`SqlStore` on SQLAlchemy Core (SQLite, PostgreSQL), Alembic migrations, the hash-chained audit trail",
        (*CORE, "actor", "ports", "stored_version"),
    ),
    Layer(
        "ingestion",
        "measurement files into per-version minute counts exactly once; the fast Parquet path",
        (*CORE, "formats", "ports", "stored_version", "lifecycle"),
    ),
    Layer(
        "sources",
        "measurements in: files, Prometheus, SQL engines",
        (*CORE, "formats", "ports", "stored_version", "ingestion"),
    ),
    Layer(
        "testing",
        "public fakes for tests and plug-in authors: an in-memory Store, agreement builders",
        (*CORE, "formats", "ports", "stored_version", "lifecycle"),
    ),
    Layer(
        "notify",
        "notices out: Alertmanager, signed webhooks, e-mail over SMTP; the SSRF guard on every address",
        (*CORE, "settings"),
    ),
    Layer(
        "services",
        "the imperative shell: load → read → evaluate → store; the runtime that API and dashboard share",
        (
            *CORE,
            "settings",
            "actor",
            "ports",
            "stored_version",
            "formats",
            "rules",
            "reports",
            "demo",
            "lifecycle",
            "storage",
            "ingestion",
            "sources",
            "notify",
        ),
    ),
    Layer(
        "http",
        "what API and dashboard share at the HTTP edge: the caller, roles, FastAPI dependencies",
        ("errors", "model", "engine", "ports", "stored_version", "settings", "actor", "services", "storage"),
    ),
    Layer(
        "api",
        "FastAPI JSON API under /api/v1, one router per resource",
        (
            "errors",
            "model",
            "engine",
            "ports",
            "stored_version",
            "settings",
            "formats",
            "reports",
            "services",
            "storage",
            "http",
        ),
    ),
    Layer(
        "web",
        "the dashboard: server-rendered pages over the services' runtime, en and zh-CN",
        ("errors", "model", "engine", "ports", "stored_version", "settings", "formats", "reports", "services", "http"),
    ),
    Layer(
        "server",
        "assembles the API and the dashboard into one ASGI app",
        ("settings", "services", "http", "api", "web"),
    ),
    Layer(
        "cli",
        "typer commands, each a thin shell over one service call; a token prints as the API shows it",
        (
            *CORE,
            "settings",
            "actor",
            "ports",
            "stored_version",
            "formats",
            "rules",
            "reports",
            "storage",
            "ingestion",
            "sources",
            "services",
            "http",
            "api",
            "server",
        ),
    ),
    Layer("__main__", "`python -m attain`", ("cli",)),
)

PURE = ("model", "engine")
"""Packages that never touch a file, a socket or the clock."""

PURE_THIRD_PARTY = frozenset({"pydantic", "pydantic_core", "annotated_types", "numpy", "dateutil", "holidays"})
"""Libraries the pure core may use: validation, arithmetic, calendars; none of them does I/O on our behalf."""

IMPURE_STANDARD = frozenset(
    {
        "asyncio", "atexit", "concurrent", "csv", "ctypes", "dbm", "fcntl", "fileinput", "ftplib", "getpass",
        "glob", "gzip", "http", "imaplib", "io", "logging", "lzma", "mmap", "multiprocessing", "os", "pathlib",
        "pickle", "platform", "poplib", "pty", "random", "resource", "secrets", "select", "selectors", "shelve",
        "shutil", "signal", "smtplib", "socket", "socketserver", "sqlite3", "ssl", "subprocess", "sys", "tarfile",
        "tempfile", "threading", "time", "tty", "urllib", "uuid", "webbrowser", "zipfile",
    }
)  # fmt: skip
"""Standard modules the pure core may not import: files, sockets, processes, the clock, randomness."""


def package_of(module: str) -> str:
    """The layer a dotted module name belongs to: `attain.engine.budget` → `engine`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "attain"


def module_name(path: Path) -> str:
    """The dotted name of a source file under src/."""
    parts = list(path.relative_to(SOURCE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path) -> set[str]:
    """Every module a source file imports, at any depth (lazy imports inside functions count)."""
    module = module_name(path)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join([*base, node.module] if node.module else base)
            found.add(target)
            # `from attain import web` names a module; `from x import name` may name one too
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def source_modules() -> dict[str, set[str]]:
    """Every module of src/attain (migrations excluded: Alembic loads them) and what it imports."""
    return {
        module_name(path): imported_names(path)
        for path in sorted(SOURCE.rglob("*.py"))
        if "migrations" not in path.relative_to(SOURCE).parts
    }


def violations(imports: Mapping[str, Iterable[str]], layers: Iterable[Layer] = LAYERS) -> list[str]:
    """Each import of an attain package that the table does not allow, as `module imports target`."""
    allowed = {layer.name: {layer.name, *layer.imports} for layer in layers}
    found = []
    for module, names in sorted(imports.items()):
        own = package_of(module)
        if own == "attain":
            continue
        if own not in allowed:
            found.append(f"{module}: package {own!r} is not in the layer table")
            continue
        reported: set[str] = set()
        for name in sorted(names, key=len):
            target = package_of(name)
            if not name.startswith("attain.") or _root_attribute(name) or target in allowed[own] | reported:
                continue
            reported.add(target)
            found.append(f"{module} imports {name} ({own} may import: {', '.join(sorted(allowed[own] - {own}))})")
    return found


def _root_attribute(name: str) -> bool:
    """`from attain import __version__` names the root package's attribute, which anyone may read."""
    return name == "attain.__version__"


def package_cycles(imports: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Cycles in the package graph drawn from actual imports (each as the packages around the loop)."""
    graph: dict[str, set[str]] = {}
    for module, names in imports.items():
        own = package_of(module)
        for name in names:
            if name.startswith("attain.") and not _root_attribute(name) and package_of(name) != own:
                graph.setdefault(own, set()).add(package_of(name))
    cycles: list[list[str]] = []
    for start in sorted(graph):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in sorted(graph.get(node, ())):
                if nxt == start:
                    cycles.append(path)
                elif nxt > start and nxt not in path:
                    stack.append((nxt, [*path, nxt]))
    return cycles


def impure_imports(imports: Mapping[str, Iterable[str]]) -> list[str]:
    """Imports of the pure packages that reach beyond the allow-list, as `module imports name`."""
    standard = set(sys.stdlib_module_names) - IMPURE_STANDARD
    found = []
    for module, names in sorted(imports.items()):
        if package_of(module) not in PURE:
            continue
        for name in sorted(names):
            top = name.split(".")[0]
            if top in {"attain", "__future__"} or top in PURE_THIRD_PARTY or top in standard:
                continue
            found.append(f"{module} imports {name}")
    return found


CLOCK_CALLS = frozenset({"now", "utcnow", "today", "fromtimestamp", "utcfromtimestamp"})
"""Methods of `datetime` and `date` that read the clock (or the local zone): the pure core takes time as an argument."""


def clock_reads(paths: Iterable[Path]) -> list[str]:
    """Calls like `datetime.now()` or `date.today()` in the given files, as `file:line: call`."""
    found = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            owner = node.func.value
            owner_name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
            if node.func.attr in CLOCK_CALLS and owner_name in {"datetime", "date"}:
                shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                found.append(f"{shown}:{node.lineno}: {owner_name}.{node.func.attr}()")
    return found


def pure_files() -> list[Path]:
    """The source files of the pure packages."""
    return sorted(path for name in PURE for path in (SOURCE / name).rglob("*.py"))


def render_table(layers: Iterable[Layer] = LAYERS) -> str:
    """The layer table as Markdown, lowest layer first."""
    rows = ["| package | job | may import |", "|---|---|---|"]
    for layer in layers:
        name = f"`{layer.name}/`" if (SOURCE / layer.name).is_dir() else f"`{layer.name}.py`"
        allowed = ", ".join(f"`{name}`" for name in layer.imports) or "–"
        rows.append(f"| {name} | {layer.job} | {allowed} |")
    return "\n".join(rows)


def document_table(text: str) -> str:
    """The table currently written between the markers of docs/architecture.md."""
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[start:end].strip()


def write_document() -> None:
    """Rewrite the table between the markers of docs/architecture.md from `LAYERS`."""
    text = DOCUMENT.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    DOCUMENT.write_text(f"{text[:start]}\n{render_table()}\n{text[end:]}", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write_document()
    else:
        for problem in violations(source_modules()) + impure_imports(source_modules()):
            sys.stdout.write(f"{problem}\n")
