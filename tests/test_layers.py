"""The layers the layout promises: only articles/services writes rows, and articles/nlp never imports Django."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "articles"
# Calls that write rows through the ORM, on a manager, a queryset or an instance.
WRITES = {
    "save",
    "delete",
    "create",
    "bulk_create",
    "bulk_update",
    "update",
    "get_or_create",
    "update_or_create",
}
# Django's own machinery that is allowed to write: migrations, and the task worker's bookkeeping.
EXEMPT = {"migrations"}


def _writes(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES:
            receiver = ast.unparse(node.func.value)
            # dict.update, set.update and the like take an argument that is not a model's queryset
            if node.func.attr == "update" and not (".objects" in receiver or receiver.endswith(")")):
                continue
            # Pillow's Image.save(file, format) writes bytes to a file object; a model's save() takes no file
            if node.func.attr == "save" and len(node.args) >= 2:
                continue
            found.append(f"{path.relative_to(APP.parent)}:{node.lineno} {ast.unparse(node.func)}")
    return found


def test_only_the_services_write_rows():
    offenders = []
    for path in APP.rglob("*.py"):
        parts = path.relative_to(APP).parts
        if parts[0] == "services" or parts[0] in EXEMPT:
            continue
        offenders += _writes(path)
    assert offenders == []


def test_the_services_are_seen_writing_so_the_check_above_can_fail():
    assert any("bulk_create" in line for line in _writes(APP / "services" / "articles.py"))


def test_the_nlp_package_imports_no_django():
    for path in (APP / "nlp").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(name.split(".")[0] == "django" for name in names), path
