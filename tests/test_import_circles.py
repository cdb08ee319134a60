"""No import circles among the `articles` modules: module-level imports only (an import inside a function runs
when it is called, after every module has loaded). A circle that remains is listed below, by its files, as a
known exception; a new circle, or a module joining a known one, fails."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "articles"

# A circle that must stay for a while is listed here by its files; it may shrink (or go), never grow.
KNOWN_CIRCLES: list[frozenset[str]] = []


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """The imports of a module's own level: in its body, or in a try or if there (`if TYPE_CHECKING:` too),
    never inside a function or class."""
    found, pending = [], list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        elif isinstance(
            node, ast.If
        ):  # `if TYPE_CHECKING:` too: types shared both ways are a circle of design
            pending += node.body + node.orelse
        elif isinstance(node, ast.Try):
            pending += node.body + node.orelse + node.finalbody
            for handler in node.handlers:
                pending += handler.body
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    """Each module of the package at `root` (migrations aside) and the modules of it that it imports at
    module level. A package's __init__ counts when it is named (`from . import x`, `from .search import y`),
    not as the parent that Python runs first: a submodule loads fine inside a package still loading."""
    paths = {_module_name(path, root): path for path in root.rglob("*.py") if "migrations" not in path.parts}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in _top_level_imports(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
                continue
            base = package.split(".")
            if node.level:
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:  # `from . import views` imports the module views, not the package
                submodule = f"{module}.{alias.name}"
                targets.add(submodule if submodule in paths else module)
        graph[name] = {t for t in targets if t in paths and t != name}
    return graph


def circles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_circle_among_the_articles_modules_beyond_the_known_ones():
    new = [
        sorted(circle) for circle in circles(import_graph(APP)) if not any(circle <= k for k in KNOWN_CIRCLES)
    ]
    assert new == []


def test_tasks_and_services_do_not_import_each_other():
    graph = import_graph(APP)
    assert {m for m in graph["articles.tasks"] if m.startswith("articles.services.")}  # tasks call services
    assert not any("articles.tasks" in graph[m] for m in graph if m.startswith("articles.services"))
    assert not {m for m in graph["articles.queues"] if m.startswith(("articles.services", "articles.tasks"))}


def test_the_finder_sees_circles_through_relative_try_and_type_checking_imports_but_not_function_ones(
    tmp_path,
):
    package = tmp_path / "shop"
    (package / "orders").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "orders" / "__init__.py").write_text("from .basket import Basket\n")
    (package / "orders" / "basket.py").write_text("from ..billing import invoice\n")
    (package / "billing.py").write_text(
        "import typing\nfrom . import notes\nif typing.TYPE_CHECKING:\n    from .late import Late\n"
        "try:\n    from .orders import basket\nexcept ImportError:\n    basket = None\n"
    )
    (package / "late.py").write_text("from .billing import invoice\n")
    (package / "notes.py").write_text("def later():\n    from . import billing\n")  # runs when called
    found = circles(import_graph(package))
    assert found == [frozenset({"shop.billing", "shop.late", "shop.orders.basket"})]
