"""Generates docs/api.md and client/js's generated types from the code's own declarations.

``python -m scripts.api_docs`` rewrites the files; ``--check`` exits 1 when they drift.
"""

import sys
from pathlib import Path

# functions/ is the deployed code's import root (flowchat lives there), as in Cloud Functions.
FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
if str(FUNCTIONS) not in sys.path:
    sys.path.insert(0, str(FUNCTIONS))
