"""The fence around Flask-Admin: every private name and copied template that views/admin/core's
docstring lists is still there, unchanged, in the installed Flask-Admin; an upgrade that
removes or rewrites one fails here, before a screen breaks in use."""

import hashlib
import importlib
import inspect
import re
from pathlib import Path

import flask_admin
import pytest

import views.admin.core

ROOT = Path(__file__).resolve().parents[2]
UPSTREAM = Path(flask_admin.__file__).parent / "templates" / "bootstrap4"
DOC = views.admin.core.__doc__
NAMES = re.findall(r"^- ``(flask_admin\.[\w.]+)``( \(set\))?:", DOC, re.MULTILINE)
COPIES = re.findall(r"^- ``(admin/[\w/]+\.html)`` ([0-9a-f]{12}):", DOC, re.MULTILINE)
BLOCK = re.compile(r"{%-?\s*block\s+(\w+)")
EXTENDS = re.compile(r"{%-?\s*extends\s+['\"]?([\w/.]+)")


def test_the_docstring_lists_what_the_adapter_uses():
    assert len(NAMES) >= 13 and len(COPIES) == 5


@pytest.mark.parametrize(("dotted", "instance"), NAMES, ids=[n for n, _ in NAMES])
def test_each_private_name_is_still_in_flask_admin(dotted, instance):
    module_name, class_name, attribute = dotted.rsplit(".", 2)
    cls = getattr(importlib.import_module(module_name), class_name)
    if instance:  # set on the instances, by the class's own code
        assert re.search(rf"self\.{attribute}\s*(:[^=\n]+)?=", inspect.getsource(cls)), dotted
    else:
        assert attribute in vars(cls), f"{dotted} is gone: look at what uses it"


@pytest.mark.parametrize(("name", "digest"), COPIES, ids=[n for n, _ in COPIES])
def test_each_copied_template_is_the_upstream_we_copied(name, digest):
    upstream = UPSTREAM / name
    assert upstream.is_file(), f"Flask-Admin no longer has {name}"
    assert hashlib.sha256(upstream.read_bytes()).hexdigest()[:12] == digest, (
        f"Flask-Admin changed {name}: merge its change into templates/{name}, then the digest"
    )
    assert (ROOT / "templates" / name).is_file()


def _ours_extending_flask_admin():
    for path in sorted((ROOT / "templates" / "admin").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        parent = EXTENDS.search(text)
        if parent and (
            parent.group(1) == "admin_base_template" or (UPSTREAM / parent.group(1)).is_file()
        ):
            yield path.relative_to(ROOT).as_posix(), text


def test_overridden_blocks_exist_in_flask_admin():
    upstream_blocks = {
        b for t in UPSTREAM.rglob("*.html") for b in BLOCK.findall(t.read_text(encoding="utf-8"))
    }
    ours = dict(_ours_extending_flask_admin())
    assert "templates/admin/model/fast_list.html" in ours
    for name, text in ours.items():
        own = set()
        for block in BLOCK.findall(text):
            assert block in upstream_blocks or block in own, f"{name}: no block {block} upstream"
            own.add(block)
