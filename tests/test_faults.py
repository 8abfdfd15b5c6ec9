"""Fault injection: every case of issue 18, as a user pre-cleaning an archive would meet it.

Each test reproduces one fault (a rerun, a recurring text, a kill at a chosen
point, a full disk, bad bytes, text that must not change) and checks what it
leaves behind, the table of ``docs/cli.md`` ("What a fault leaves behind").
Kills are injected at a fixed point of the run (a patched call in a child
process that sends itself the signal), never timed from outside; a full disk
is an ``OSError(ENOSPC)`` raised at the write call.
"""

from __future__ import annotations

import random

import pytest

import xcclean
from xcclean.corpus.across import across_pages, across_parts
from xcclean.corpus.cli import main

A = "许昌市召开全市重点项目建设推进会议,市长出席会议并讲话,要求全力以赴加快项目建设进度,确保全年目标任务圆满完成。"
B = "魏都区召开安全稳定暨疫情防控工作会议,区委书记出席会议并讲话,区长主持会议,会议传达了上级有关精神。"
C = "建安区持续推进农村人居环境整治,全区已累计改造农村户厕一万余座,村容村貌明显改善,群众满意度不断提升。"
D = "禹州市钧瓷文化旅游节开幕,来自全国各地的钧瓷爱好者齐聚神垕古镇,共同感受千年钧瓷文化的独特魅力。"


# -- 2. a text recurring on N pages: the same rule for every N -------------------------------------------------


POOL = "".join(sorted(set(A + B + C + D) - set(",。")))


def unique_paragraph(rng: random.Random) -> str:
    """A paragraph no other shares four characters in a row with (random characters of the pool)."""
    return "".join(rng.choices(POOL, k=60)) + "。"


def _recurring(n: int, misreads: bool) -> list[list[str]]:
    """``n`` pages, each with a paragraph of its own and a copy of ``A`` (with one misread after the first)."""
    rng = random.Random(n)
    pages = []
    for i in range(n):
        copy = A
        if misreads and i:
            at = rng.randrange(len(A))
            copy = A[:at] + "囗" + A[at + 1 :]
        pages.append([unique_paragraph(rng), copy])
    return pages


@pytest.mark.parametrize("misreads", [False, True], ids=["exact", "misread"])
@pytest.mark.parametrize("n", [16, 17, 40, 60])
def test_a_text_on_n_pages_loses_every_later_copy_for_any_n(n, misreads):
    # Before: 16 pages lost 15 of 15 later copies, 17 pages 0 of 16, 60 pages 0 of 59 (exact copies).
    found = across_pages(_recurring(n, misreads))
    assert [sorted(f) for f in found] == [[]] + [[1]] * (n - 1)
    assert {m.page for f in found[1:] for m in f.values()} == {0}  # every copy goes for the first page's


def test_the_split_engine_dask_runs_has_no_cliff_either():
    pages = _recurring(40, misreads=False)
    whole = across_parts([pages])[0]
    assert sum(1 in f for f in whole) == 39
    assert across_parts([pages[:7], pages[7:25], pages[25:]], buckets=3)[0] == whole


# -- 7. text that must not change ---------------------------------------------------------------------------------


def test_a_plain_text_page_keeps_html_entities_as_written(tmp_path):
    # Before: ftfy unescaped them, and &lt;script&gt; became a live <script>.
    page = tmp_path / "page.txt"
    page.write_text(f"{A}\n\n代码示例 &lt;script&gt;alert(1)&lt;/script&gt; &amp; 说明。", encoding="utf-8")
    assert main(["clean", str(page), "-o", str(tmp_path / "out.txt")]) == 0
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 说明。" in (tmp_path / "out.txt").read_text(encoding="utf-8")


def test_emoji_zwj_sequences_stay_whole(tmp_path):
    # Before: the zero-width joiners were removed, splitting 👨‍👩‍👧‍👦 into four people.
    emoji = "👨\u200d👩\u200d👧\u200d👦 ❤️\u200d🔥 👩🏽\u200d⚕️ 🏳️\u200d🌈"
    page = tmp_path / "page.txt"
    page.write_text(f"{A}\n\n市民留言:{emoji}", encoding="utf-8")
    assert main(["clean", str(page), "-o", str(tmp_path / "out.txt")]) == 0
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == f"{A}\n\n市民留言:{emoji}\n"
    assert xcclean.clean("图片说明\u200b\u200d 正文") == "图片说明 正文"  # a joiner between no emoji still goes
