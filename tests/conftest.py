import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(autouse=True, scope="session")
def _isolated_progress(tmp_path_factory):
    """Scenario progress written by widgets during tests goes to a temporary folder, never ~/."""
    os.environ["PEERSUPPORT_PROGRESS_DIR"] = str(tmp_path_factory.mktemp("progress"))
