"""The real-OCR page builder (benchmarks/ocr_pages.py): post-processing, typesetting and the page format.

Everything but the last test runs without Tesseract or a font: the page is
planned with a fixed-width measure and read by a fake OCR function that
returns each crop's typeset lines the way Tesseract prints them (spaces
between characters, one line a line).
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from benchmarks.ocr_pages import (
    Crop,
    Params,
    Style,
    build_page,
    em_measure,
    engine_problem,
    postprocess,
    raw_lines,
    wrap,
)
from benchmarks.quality import blocks_of, evaluate, run_exact

ARTICLES = [
    {"title": f"第{n}篇 魏都区召开安全稳定暨疫情防控工作会议",
     "paragraphs": [f"第{n}篇第{k}段,区委书记出席会议并讲话,区长主持会议,要求全力以赴做好安全稳定、疫情防控各项工作,"
                    f"切实为人民群众营造健康安全的工作生活环境{k}。" for k in range(4)]}
    for n in range(3)
]
PARAMS = Params(articles_per_page=(3, 3))


def fake_ocr(crops: Sequence[Crop]) -> list[str]:
    """Each crop's lines, spaced like chi_sim output; a re-crop enlarged past 1.1 misreads its first character."""
    out = []
    for crop in crops:
        lines = list(crop.text)
        if crop.scale > 1.1:
            lines[0] = "误" + lines[0][1:]
        out.append("\n".join(" ".join(line) for line in lines) + "\n")
    return out


def page(index: int = 0, damaged: bool = True) -> dict:
    return build_page("test", 0, index, damaged, ARTICLES, PARAMS, ocr=fake_ocr, measure=em_measure,
                      render_images=False)


def test_postprocess_joins_lines_and_drops_spaces_next_to_chinese():
    assert postprocess("下 午 4时 ， 成立\n大会 开始\n\n\f") == "下午4时，成立大会开始"
    assert postprocess("下载 i许昌 App 5G 基站\n") == "下载i许昌App 5G基站"
    assert postprocess("  \n\f") == ""
    assert raw_lines("统\n当地 时间\n\n24日。\n") == ["统", "当地时间", "24日。"]


def test_wrap_keeps_marks_and_latin_runs_in_place():
    style = Style(size=20, columns=6)
    lines = wrap("一二三四五六七，八九十。ABCD2021年十一十二十三", "body", style, em_measure)
    assert "".join(lines) == "一二三四五六七，八九十。ABCD2021年十一十二十三"
    assert len(lines[0]) == 4  # the two-character indent
    assert not any(line[0] in "，。" for line in lines)
    assert any("ABCD2021" in line for line in lines)  # a short run is not broken


def test_pages_have_the_damage_generator_format():
    kinds = set()
    for index in range(6):
        record = page(index)
        raw, truth = blocks_of(record["raw"]), blocks_of(record["truth"])
        assert record["manifest"]
        for entry in record["manifest"]:
            kinds.add(entry["type"])
            assert entry["type"] in ("exact", "near_copy", "fragment", "contaminated", "split")
            assert entry["ocr"] is True
            assert truth[entry["truth"]] == entry["truth_text"]
            made = [raw[i] for i in entry["blocks"]]
            if entry["type"] == "split":
                pieces = [b for b in made if b != entry.get("caption_text")]
                assert "".join(pieces) == entry["truth_text"]
                assert truth[entry["truth"] + 1] == entry["caption_text"] if entry["caption"] else True
            elif entry["type"] == "fragment":
                assert made[0][1:] in entry["truth_text"] and len(made[0]) < len(entry["truth_text"])  # [0]: a misread
                assert entry["shape"] in ("prefix", "suffix", "inner")
            elif entry["type"] == "contaminated":
                glued = entry["glued"]
                rest = made[0][len(glued):] if entry["side"] == "front" else made[0][: -len(glued)]
                assert rest[1:] == entry["truth_text"][1:] and glued  # rest[0]: a re-crop's misread
            else:
                assert (made[0] == entry["truth_text"]) == (entry["type"] == "exact")
                assert entry["position"] in ("before", "after") and entry["distance"] >= 1
    assert kinds == {"exact", "near_copy", "fragment", "contaminated", "split"}


def test_caption_is_set_off_by_two_blank_lines():
    for index in range(10):
        record = page(index)
        for entry in record["manifest"]:
            if entry["type"] == "split" and entry["caption"]:
                assert f"\n\n\n{entry['caption_text']}\n\n" in record["raw"]
                return
    pytest.fail("no split with a caption in ten pages")


def test_undamaged_pages_are_their_truth():
    record = page(0, damaged=False)
    assert record["manifest"] == [] and record["undamaged"]
    assert blocks_of(record["raw"]) == blocks_of(record["truth"])


def test_same_seed_same_page_and_the_scorer_reads_it():
    assert page(3) == page(3)
    assert page(3)["raw"] != page(4)["raw"]
    from benchmarks.damage import Page

    pages = [Page(r["raw"], r["truth"], r["manifest"]) for r in (page(i) for i in range(4))]
    report = evaluate(pages, {"exact hash": run_exact})["exact hash"]
    exact = report["tally"].get("exact", [0, 0, 0, 0])
    assert exact[0] == exact[1]  # a hash dedup removes every exact copy
    assert report["er"] > 0


@pytest.mark.skipif(engine_problem() is not None, reason=f"real OCR unavailable: {engine_problem()}")
def test_tesseract_reads_a_rendered_page():
    articles = [{"title": "许昌新闻", "paragraphs": [ARTICLES[0]["paragraphs"][0]]}]
    record = build_page("test", 0, 0, False, articles, Params(articles_per_page=(1, 1)))
    rows = record["stats"]["cer"]
    assert len(blocks_of(record["raw"])) == 2
    assert sum(e for _, _, e, _ in rows) <= 0.1 * sum(n for _, n, _, _ in rows)
