"""benchmarks/index_speed.py at toy size: it runs, and its query finds the copies it asks about."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.dup_corpus import CORPUS

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "index_speed.py"


def test_the_index_benchmark_measures_a_small_archive(tmp_path):
    if not CORPUS.exists():
        pytest.skip(f"the shipped corpus is not at {CORPUS} (it lives in ../shared/corpus)")
    out = tmp_path / "index.md"
    subprocess.run([sys.executable, str(SCRIPT), "--sizes", "3000", "--batch", "1000", "--query", "500",
                    "--rounds", "1", "--output", str(out)], check=True, capture_output=True)
    row = next(line for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("| this checkout"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[1] == "3,000" and cells[2] == "3"  # three adds of 1,000
    assert float(cells[11]) >= 0.9  # query recall: copies of indexed paragraphs found with their source
