"""Who may import whom (docs/architecture.md §2): each app imports only apps below it."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Lower number = lower layer. An app may import its own layer's neighbours only where listed as equal.
LAYERS = {
    "core": 0,
    "accounts": 1,
    "dossiers": 2,
    "councils": 3,
    "documents": 3,
    # above councils and documents (it resolves a council's members), below the procedure that calls it
    "notifications": 3.5,
    "workflows": 4,
    "reports": 5,
    "api": 5,
    "web": 6,
    "demo": 6,
    "config": 7,
    "bench": 8,  # make bench: the workload and its measurements, above everything it drives
}


def project_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names if name.split(".")[0] in LAYERS)
    return found


@pytest.mark.parametrize("app", [a for a in LAYERS if (ROOT / a).is_dir()])
def test_app_imports_only_downward(app):
    offenders = []
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for imported in project_imports(path):
            if imported != app and LAYERS[imported] >= LAYERS[app]:
                offenders.append(f"{path.relative_to(ROOT)} imports {imported}")
    assert offenders == []
