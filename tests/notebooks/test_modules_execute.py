"""Every teaching notebook in modules/ executes headless in a real Jupyter kernel without error."""

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO / "modules").glob("*.ipynb"))


def test_there_are_modules():
    assert NOTEBOOKS, "modules/ has no notebooks"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path, tmp_path, monkeypatch):
    monkeypatch.setenv("PEERSUPPORT_PROGRESS_DIR", str(tmp_path))
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    client.execute(env={**os.environ})
    shown = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.output_type != "error", f"{path.name}: {out.get('ename')}: {out.get('evalue')}"
            text = out.get("data", {}).get("text/plain", "") if out.output_type != "stream" else out.get("text", "")
            assert "ERROR: This activity cannot open" not in text, f"{path.name}: {text}"
            assert "Traceback" not in text, f"{path.name}: {text}"
            shown.append(out.get("data", {}))
    widgets = [d for d in shown if "application/vnd.jupyter.widget-view+json" in d]
    plays = sum(1 for c in nb.cells if c.cell_type == "code" and "play(" in c.source)
    assert len(widgets) >= plays, "every play() cell should display a widget"
