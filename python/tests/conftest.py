"""Makes the package importable from the source tree (no install needed) and shares test helpers."""
import os
import sys

PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(PYTHON_DIR)
EXAMPLES = os.path.join(REPO, "examples", "pytorch")
sys.path.insert(0, PYTHON_DIR)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
