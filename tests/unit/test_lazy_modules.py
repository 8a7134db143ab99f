"""main.py's handlers are imported on first use, not at cold start."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from flowchat.lazy_modules import LazyModule, lazy_modules

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"


def test_a_lazy_module_imports_on_first_attribute_read() -> None:
    (json_module,) = lazy_modules("email", "quoprimime")
    assert isinstance(json_module, LazyModule)
    assert json_module.body_length(b"a") == 1


def test_an_unknown_attribute_raises_attribute_error() -> None:
    (module,) = lazy_modules("email", "quoprimime")
    try:
        module.no_such_function  # noqa: B018
    except AttributeError:
        return
    raise AssertionError("expected AttributeError")


def test_importing_main_loads_no_database_or_hashing_library() -> None:
    probe = (
        "import sys, main; "
        "heavy = [m for m in ('sqlalchemy', 'argon2', 'pg8000') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=FUNCTIONS, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == ""
