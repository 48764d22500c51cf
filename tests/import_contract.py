"""The house's import contract (../shared/HOUSE.md), read from the source with ``ast``.

Floors, lowest first: a module imports only its own floor and those below. Imports inside
functions count the same as those at the top. Besides the floors: ``views.api`` and
``views.admin`` do not import each other, no two modules import each other through any
path (no cycle), and the packages side by side under ``services/``, ``views/admin/`` and
``views/`` do not form a cycle either.

import-linter's ``layers`` contract wants packages; our top floor is single modules
(``app.py``, ``permissions.py``...), so this short reader does the same job.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

#: Lowest first. A top-level name not listed here is not ours (a library).
FLOORS = (
    ("vietnam",),
    ("config", "extensions"),
    ("models",),
    ("permission_defaults", "permissions"),
    ("services",),
    ("i18n", "views"),
    ("demo", "cli"),
    ("app",),
)
FLOOR_OF = {name: level for level, names in enumerate(FLOORS) for name in names}
#: Wings of one floor that must not import each other.
APART = (("views.api", "views.admin"),)
#: Packages whose children must not import each other in a circle.
SIBLINGS = ("services", "views", "views.admin", "views.api")
SKIPPED = ("tests", "migrations", "benchmarks", "docs", "static", "templates", "translations")


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int
    in_function: bool

    def __str__(self) -> str:
        where = " (inside a function)" if self.in_function else ""
        return f"{self.importer}:{self.line} imports {self.imported}{where}"


def module_name(rel: Path) -> str:
    parts = list(rel.with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def product_modules(root: Path) -> dict[str, Path]:
    """Every module of ours under ROOT, by dotted name."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if rel.parts[0] in SKIPPED or any(p.startswith(".") for p in rel.parts):
            continue
        if rel.parts[0] not in FLOOR_OF and rel.parts[0].removesuffix(".py") not in FLOOR_OF:
            continue
        found[module_name(rel)] = path
    return found


def _function_lines(tree: ast.AST) -> set[int]:
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    lines.add(inner.lineno)
    return lines


def imports_of(name: str, path: Path, known: set[str]) -> list[Import]:
    """The modules of ours that module NAME imports, each resolved to the deepest known one."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside = _function_lines(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            targets = [f"{base}.{alias.name}" for alias in node.names]
            targets = [t if t in known else base for t in targets]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.append(Import(name, target, node.lineno, node.lineno in inside))
    return found


def graph(root: Path) -> list[Import]:
    modules = product_modules(root)
    known = set(modules)
    return [i for name, path in modules.items() for i in imports_of(name, path, known)]


def _floor(module: str) -> int:
    return FLOOR_OF[module.split(".")[0]]


def upward(imports: list[Import]) -> list[Import]:
    """Imports of a module on a higher floor than the importer's."""
    return [i for i in imports if _floor(i.imported) > _floor(i.importer)]


def across_wings(imports: list[Import]) -> list[Import]:
    def wing(module: str) -> str | None:
        return next((w for pair in APART for w in pair if (module + ".").startswith(w + ".")), None)

    return [
        i
        for i in imports
        if wing(i.importer) and wing(i.imported) and wing(i.importer) != wing(i.imported)
    ]


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan, iterative)."""
    index, low, on, stack, out = {}, {}, set(), [], []
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    out.append(sorted(component))
    return out


def module_cycles(imports: list[Import]) -> list[list[str]]:
    edges: dict[str, set[str]] = {}
    for i in imports:
        edges.setdefault(i.importer, set()).add(i.imported)
    return _cycles(edges)


def sibling_cycles(imports: list[Import]) -> list[list[str]]:
    """Cycles between the children of each package of SIBLINGS (package level)."""
    found = []
    for parent in SIBLINGS:
        depth = parent.count(".") + 1

        def child(module: str, depth=depth, parent=parent) -> str | None:
            inside = module.startswith(parent + ".")
            return ".".join(module.split(".")[: depth + 1]) if inside else None

        edges: dict[str, set[str]] = {}
        for i in imports:
            a, b = child(i.importer), child(i.imported)
            if a and b and a != b:
                edges.setdefault(a, set()).add(b)
        found += _cycles(edges)
    return found


def violations(root: Path) -> list[str]:
    """Every broken rule of the contract under ROOT, one line each (empty: it holds)."""
    imports = graph(root)
    lines = [f"upward: {i}" for i in upward(imports)]
    lines += [f"across wings: {i}" for i in across_wings(imports)]
    lines += [f"cycle: {' <-> '.join(c)}" for c in module_cycles(imports)]
    lines += [f"cycle between packages: {' <-> '.join(c)}" for c in sibling_cycles(imports)]
    return lines
