"""The dependency rules of STYLE.md, read from the source with `ast` (nothing is imported)."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICE_NAMES = ("plans", "tasks", "reporting", "notify")
FORBIDDEN_MODULE_NAMES = {"utils", "common", "helpers", "manager", "misc"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules_under(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def imports_in(source: str, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, absolute module name) for every import in `source`, relative imports resolved."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            if node.level or node.module is None:
                # `from . import x` may name a submodule: count `package.x` as imported too.
                found.extend((node.lineno, f"{target}.{alias.name}") for alias in node.names)
            found.append((node.lineno, target))
    return found


def imported_modules(path: Path) -> list[tuple[int, str]]:
    source = path.read_text(encoding="utf-8")
    return imports_in(source, module_name(path), is_package=path.name == "__init__.py")


def is_within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def violations(paths: list[Path], allowed) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in paths
        for line, module in imported_modules(path)
        if not allowed(path, module)
    ]


def is_standard_library(module: str) -> bool:
    return module.split(".")[0] in sys.stdlib_module_names


def test_domain_modules_import_only_schemas_the_standard_library_and_their_own_domain():
    def allowed(path: Path, module: str) -> bool:
        own_domain = module_name(path).split(".domain")[0] + ".domain"
        return is_standard_library(module) or is_within(module, "schemas") or is_within(module, own_domain)

    domain_files = [p for name in SERVICE_NAMES for p in modules_under(f"services/{name}/domain")]
    assert not violations(domain_files, allowed)


def test_the_runtime_never_imports_a_service():
    def allowed(path: Path, module: str) -> bool:
        return not any(is_within(module, f"services.{name}") for name in SERVICE_NAMES)

    assert not violations(modules_under("services/runtime"), allowed)


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_no_service_imports_another_service(service):
    others = [name for name in SERVICE_NAMES if name != service]

    def allowed(path: Path, module: str) -> bool:
        return not any(is_within(module, f"services.{other}") for other in others)

    assert not violations(modules_under(f"services/{service}"), allowed)


def test_schemas_import_nothing_from_services():
    assert not violations(modules_under("schemas"), lambda path, module: not is_within(module, "services"))


def test_the_importer_imports_neither_a_service_nor_the_runtime():
    assert not violations(modules_under("importer"), lambda path, module: not is_within(module, "services"))


def test_no_module_or_package_is_a_grab_bag_name():
    grab_bags = [
        str(path.relative_to(ROOT))
        for path in modules_under("services", "schemas")
        if FORBIDDEN_MODULE_NAMES & set(module_name(path).split("."))
    ]
    assert not grab_bags


def test_the_import_reader_resolves_relative_imports():
    # Guards the checker itself: a relative import out of a domain package must be seen as such.
    source = "from ..handlers import assign\nfrom . import timing\nimport json\n"
    modules = {module for _, module in imports_in(source, "services.tasks.domain.task")}
    assert {"services.tasks.handlers", "services.tasks.handlers.assign", "services.tasks.domain.timing", "json"} <= modules


def test_the_import_reader_resolves_relative_imports_inside_a_package_init():
    modules = {module for _, module in imports_in("from .task import decide\n", "services.tasks.domain", is_package=True)}
    assert "services.tasks.domain.task" in modules


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_handlers_import_neither_adapters_nor_other_handlers(service):
    """A handler is a use case: it reaches adapters through ports, and never calls another use case."""

    handlers_package = f"services.{service}.handlers"

    def use_case(module: str) -> str:
        """The handler a module belongs to: `handlers.dispatch` for `handlers.dispatch.notices` (a use case split in parts)."""
        return ".".join(module.split(".")[: len(handlers_package.split(".")) + 1])

    def allowed(path: Path, module: str) -> bool:
        own = module_name(path)
        if is_within(module, f"services.{service}.adapters"):
            return False
        sibling = is_within(module, handlers_package) and module != handlers_package
        return (not sibling or use_case(module) == use_case(own) or module.endswith(".repository")
                or is_within(module, f"{handlers_package}.repository"))

    handlers = [p for p in modules_under(f"services/{service}/handlers") if p.name != "__init__.py"]
    assert not violations(handlers, allowed)
