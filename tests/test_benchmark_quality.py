"""The synthetic-damage generator and the quality metrics (benchmarks/)."""

from __future__ import annotations

import pytest

from benchmarks.damage import DAMAGE_TYPES, Generator
from benchmarks.quality import Result, blocks_of, error_reduction, fold, lost_characters, lost_in, run_exact, score

ARTICLES = [
    {"title": f"标题{n}号 许昌新闻", "paragraphs": [
        f"第{n}篇第{k}段,魏都区召开安全稳定暨疫情防控工作会议,区委书记出席会议并讲话,区长主持会议,要求全力以赴做好各项工作{k}。"
        for k in range(5)]}
    for n in range(12)
]


def pages(seed: int = 1, count: int = 6) -> list:
    return Generator(ARTICLES, seed=seed, rate=1.0).pages(count)


def test_generator_is_deterministic():
    a, b = pages(3), pages(3)
    assert [p.raw for p in a] == [p.raw for p in b]
    assert [p.manifest for p in a] == [p.manifest for p in b]
    assert [p.raw for p in pages(4)] != [p.raw for p in a]


def test_truth_is_the_undamaged_page():
    for page in pages():
        truth = blocks_of(page.truth)
        source = {p for a in ARTICLES for p in a["paragraphs"]} | {a["title"][:40] for a in ARTICLES}
        for block in truth:
            assert block in source or block.startswith(("本报记者", "图为", "- ", "会议强调")) or "," in block
        body = [b for b in truth if b.endswith("。")]
        assert len(body) == len(set(body))  # no paragraph repeated in the clean page (bylines may)


def test_every_fault_is_in_the_manifest():
    seen: set[str] = set()
    for page in pages(count=12):
        raw = blocks_of(page.raw)
        truth = set(blocks_of(page.truth))
        faulty = {i for e in page.manifest if e["type"] != "negative" for i in e["blocks"]}
        for i, block in enumerate(raw):
            # a raw block that is not a truth block must come from a listed fault
            assert block in truth or i in faulty, block
        seen |= {e["type"] for e in page.manifest}
    assert set(DAMAGE_TYPES) <= seen


def test_error_reduction_and_lost_characters():
    truth, raw = "甲乙丙丁。\n\n戊己庚辛。", "甲乙丙丁。\n\n甲乙丙丁。\n\n\n戊己庚辛。"
    assert error_reduction(raw, truth, truth) == (7, 0)
    assert error_reduction(raw, raw, truth) == (7, 7)
    assert lost_characters(raw, "甲乙丙丁。", truth) == 5
    assert lost_characters(raw, raw, truth) == 0
    assert fold("ＡＰＰ，好\n\n\n\n下") == "APP,好\n\n下"
    assert lost_in(["戊己庚辛。"], "甲乙丙丁") == 5
    assert lost_in(["戊己庚辛。"], "甲乙丙丁。") == 4  # the full stop is found
    assert lost_in(["戊己庚辛。"], raw) == 0


def test_score_counts_recall_and_precision():
    page = pages(count=1)[0]
    tally: dict = __import__("collections").defaultdict(lambda: [0, 0, 0, 0])
    score(page, run_exact(page.raw), tally)
    exact = tally["exact"]
    assert exact[1] >= 1 and exact[0] == exact[1]  # exact copies all found by the hash baseline
    none = Result(page.raw, [(i,) for i in range(len(blocks_of(page.raw)))])
    tally2: dict = __import__("collections").defaultdict(lambda: [0, 0, 0, 0])
    score(page, none, tally2)
    assert tally2["exact"][0] == 0 and tally2["exact"][3] == 0


@pytest.mark.parametrize("kind", ["split", "stray_token", "mojibake"])
def test_a_no_op_repairs_nothing(kind):
    page = pages(count=1)[0]
    tally: dict = __import__("collections").defaultdict(lambda: [0, 0, 0, 0])
    score(page, Result(page.raw, [(i,) for i in range(len(blocks_of(page.raw)))]), tally)
    assert tally[kind][0] == 0
