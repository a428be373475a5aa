"""How screens/ is put together (issue 16 items 2 and 3), read from the source: screens never
import each other — they post messages and the app opens the next one — and only
screens/compat.py touches Textual's or plotext's private names."""

from __future__ import annotations

import ast
from pathlib import Path

SCREENS = Path(__file__).resolve().parent.parent / "screens"
# What every screen may use; the app (screens/app.py) imports the screens themselves.
SHARED = ("screens.messages", "screens.compat", "screens.bindings", "screens.labels")
FOLDERS = ("main", "drill", "snapshots", "forms", "widgets")


def _modules() -> list[Path]:
    return sorted(SCREENS.rglob("*.py"))


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module imported anywhere in the file (in functions too), with its line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
            # ``from screens import messages`` imports the module screens.messages
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def test_screens_never_import_each_other() -> None:
    wrong = []
    for path in _modules():
        folder = path.relative_to(SCREENS).parts[0]
        if folder not in FOLDERS:
            continue
        allowed = (*SHARED, "screens.widgets", f"screens.{folder}")
        for line, name in _imports(path):
            if name in ("screens", "screens.__init__"):
                continue
            if name.startswith("screens.") and not name.startswith(allowed):
                wrong.append(f"{path.relative_to(SCREENS.parent)}:{line} imports {name}")
    assert not wrong, "\n".join(wrong)


def test_widgets_import_no_screen() -> None:
    wrong = [
        f"{path.name}:{line} imports {name}"
        for path in (SCREENS / "widgets").glob("*.py")
        for line, name in _imports(path)
        if name.startswith("screens.") and not name.startswith((*SHARED, "screens.widgets"))
    ]
    assert not wrong, "\n".join(wrong)


def test_only_compat_touches_private_names() -> None:
    wrong = []
    for path in _modules():
        if path.name == "compat.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, name in _imports(path):
            if name == "workbench.i18n._":
                continue  # gettext's name for "translate", not a private one
            if any(part.startswith("_") and not part.startswith("__") for part in name.split(".")):
                wrong.append(f"{path.name}:{line} imports {name}")
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute) or not node.attr.startswith("_"):
                continue
            if node.attr.startswith("__") and node.attr.endswith("__"):
                continue
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                continue  # the object's own fields
            wrong.append(f"{path.name}:{node.lineno} uses .{node.attr}")
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "getattr"
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
                and str(node.args[1].value).startswith("_")
            ):
                wrong.append(f"{path.name}:{node.lineno} getattr {node.args[1].value}")
    assert not wrong, "\n".join(wrong)


def test_the_app_finds_the_drill_source_as_a_declared_field() -> None:
    for path in _modules():
        assert '"drill_source"' not in path.read_text(encoding="utf-8"), path
