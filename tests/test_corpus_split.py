"""The tune/test split: fixed by the article id, and the cleaner never reads the corpus."""

from __future__ import annotations

import builtins
import hashlib
from pathlib import Path

import pytest

from benchmarks.corpus_split import half_of, load
from tests.conftest import SHARED
from xcclean import Cleaner

PACKAGE = Path(__file__).resolve().parents[1] / "xcclean"


def test_half_is_the_first_hex_digit_of_the_ids_sha1():
    for article_id in ("pfr-19980120-09-004", "xwlb-20170101-3", "x"):
        digit = hashlib.sha1(article_id.encode()).hexdigest()[0]
        assert half_of(article_id) == ("tune" if digit in "01234567" else "test")


@pytest.mark.skipif(not (SHARED / "corpus" / "news.jsonl").exists(), reason="needs ../shared/corpus/news.jsonl")
def test_the_halves_of_the_shipped_corpus():
    tune, test = load("tune"), load("test")
    assert (len(tune), len(test)) == (4587, 4454)
    assert not {a["id"] for a in tune} & {a["id"] for a in test}
    with pytest.raises(ValueError):
        load("train")  # type: ignore[arg-type]


def test_no_package_file_names_the_corpus():
    for path in PACKAGE.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".txt", ".json", ".md"):
            text = path.read_text(encoding="utf-8", errors="replace")
            for name in ("news.jsonl", "shared/corpus", "corpus_split", "../shared"):
                assert name not in text, f"{path} mentions {name}"


def test_cleaning_opens_no_file_outside_the_installed_packages(monkeypatch):
    opened: list[str] = []
    real_open = builtins.open

    def spy(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    Cleaner().clean("本市将加快推进重点项目,确保项目早日建\n\n成投产,为高质量发展提供 principle 支撑。")
    assert not [f for f in opened if "shared" in Path(f).parts or "benchmarks" in Path(f).parts]
