"""The import contract holds on the tree, and breaks on each kind of import it forbids.

The rules are in tests/import_contract.py; each "breaks" test adds one forbidden import to a
copy of the tree and reads the complaint, so a reader that missed it would fail here.
"""

import shutil
from pathlib import Path

import pytest

from tests.import_contract import product_modules, violations

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def tree(tmp_path):
    """A copy of the product's modules, to break on purpose."""
    for path in product_modules(ROOT).values():
        target = tmp_path / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    return tmp_path


def add(tree: Path, module: str, text: str) -> None:
    path = tree / (module.replace(".", "/") + ".py")
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + text + "\n", encoding="utf-8")


def test_the_tree_keeps_every_rule_of_the_contract():
    assert violations(ROOT) == []


def test_the_reader_sees_every_layer():
    names = set(product_modules(ROOT))
    for module in ("app", "cli", "permissions", "models.dossier", "vietnam.text"):
        assert module in names
    assert "services.dossiers.workflow" in names and "views.admin.core.base" in names
    assert not any(n.startswith(("tests", "migrations", "benchmarks")) for n in names)


def test_an_upward_import_inside_a_function_breaks_it(tree):
    add(tree, "models.base", "def admin():\n    from views.admin import core\n\n    return core")
    problems = violations(tree)
    assert len(problems) == 1
    assert problems[0].startswith("upward: models.base:")
    assert problems[0].endswith("imports views.admin.core (inside a function)")


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("vietnam.text", "import extensions"),
        ("services.errors", "from views import urls"),
        ("permissions", "from services import audit"),
        ("services.audit", "import i18n"),
        ("models.user", "import permissions"),
    ],
)
def test_each_floor_refuses_what_is_above_it(tree, module, line):
    add(tree, module, line)
    problems = violations(tree)
    assert problems[0].startswith(f"upward: {module}:")  # (and a cycle where the way back exists)


def test_the_api_does_not_import_the_panel(tree):
    add(tree, "views.api.errors", "from views.admin.core import params")
    assert violations(tree) == [
        "across wings: views.api.errors:"
        f"{len((tree / 'views/api/errors.py').read_text().splitlines())} "
        "imports views.admin.core.params"
    ]


def test_yesterdays_circle_between_two_modules_breaks_it(tree):
    """services/printing: the forms and the control slip imported each other in functions."""
    add(
        tree,
        "services.printing.common",
        "def f():\n    from services.printing import dossier_forms",
    )
    problems = violations(tree)
    assert any(p.startswith("cycle: ") and "services.printing.common" in p for p in problems)


def test_a_circle_between_sibling_packages_breaks_it(tree):
    """services.handovers uses services.dossiers; the way back closes a package circle."""
    add(tree, "services.dossiers.codes", "from services.handovers import queries")
    problems = violations(tree)
    assert "cycle between packages: services.dossiers <-> services.handovers" in problems
