"""The damage generator and the quality scorer (benchmarks/): they must be able to fail for the right reason."""

from __future__ import annotations

from collections import defaultdict

import pytest

from benchmarks.damage import REMOVAL_TYPES, Generator, Page
from benchmarks.quality import (
    ROWS,
    Result,
    blocks_of,
    error_reduction,
    fold,
    lost_as_written,
    lost_characters,
    lost_in,
    lost_negatives,
    parameters,
    run_exact,
    score,
)

ARTICLES = [
    {"title": f"许昌新闻{n}号标题", "paragraphs": [
        f"第{n}篇第{k}段,魏都区召开安全稳定暨疫情防控工作会议,区委书记出席会议并讲话,区长主持会议,"
        f"要求全力以赴做好各项工作,确保{2000 + 7 * n + k}个项目按期完成。" for k in range(6)]}
    for n in range(16)
]


@pytest.fixture(scope="module")
def pages() -> list[Page]:
    return Generator(ARTICLES, seed=1, rate=1.0).pages(40)


def tally() -> dict[str, list[int]]:
    return defaultdict(lambda: [0, 0, 0, 0])


def oracle(page: Page) -> Result:
    """What a perfect cleaner does, read off the manifest."""
    raw = blocks_of(page.raw)
    removed = {i: "exact" for e in page.manifest if e["type"] in REMOVAL_TYPES for i in e["blocks"]}
    joins: dict[int, list[int]] = {}
    captions: dict[int, int] = {}
    for e in page.manifest:
        if e["type"] == "split":
            pieces = [i for i in e["blocks"] if raw[i] != e.get("caption_text")]
            joins[pieces[0]] = pieces
            captions.update({i: pieces[0] for i in e["blocks"] if i not in pieces})
    final: list[tuple[int, ...]] = []
    inside = {i for pieces in joins.values() for i in pieces[1:]}
    pending: dict[int, list[int]] = defaultdict(list)
    for caption, head in captions.items():
        pending[head].append(caption)
    for i in range(len(raw)):
        if i in removed or i in inside or i in captions:
            continue
        final.append(tuple(joins.get(i, [i])))
        final.extend((c,) for c in pending.get(i, []))
    result = Result(page.truth, final, removed)
    for e in page.manifest:
        if e["type"] == "splice":
            result.trimmed.add(e["blocks"][0])
        elif e["type"] == "stray_token":
            result.tokens[e["blocks"][0]] = [e["token"]]
        elif e["type"] == "mojibake":
            result.fixed.add(e["blocks"][0])
    return result


def test_generator_is_deterministic():
    a, b = Generator(ARTICLES, 3).pages(5), Generator(ARTICLES, 3).pages(5)
    assert [p.raw for p in a] == [p.raw for p in b]
    assert [p.manifest for p in a] == [p.manifest for p in b]
    assert [p.raw for p in Generator(ARTICLES, 4).pages(5)] != [p.raw for p in a]


def test_every_raw_block_is_truth_or_a_listed_fault(pages):
    for page in pages:
        truth = set(blocks_of(page.truth))
        faulty = {i for e in page.manifest if e["type"] != "negative" for i in e["blocks"]}
        for i, block in enumerate(blocks_of(page.raw)):
            assert block in truth or i in faulty, block


def test_every_type_and_both_sides_of_every_limit_are_drawn(pages):
    found = {(row, name, label) for page in pages for e in page.manifest if e["type"] != "negative"
             for row in [e["shape"] if e["type"] == "fragment" else e["type"]] for name, label in parameters(e)}
    rows = {row for row, _, _ in found}
    assert {"exact", "near_copy", "misplaced", "prefix", "suffix", "inner", "contaminated", "splice", "split",
            "stray_token"} <= rows
    labels = {(name, label) for _, name, label in found}
    for side in ("before its source", "after its source"):
        assert ("copy placed", side) in labels
    assert {("glue length", "1–4"), ("glue length", "21+")} <= labels  # contamination_max_chars 12 in between
    assert any(name == "fragment length" and label in ("0–11", "12–19") for name, label in labels)
    assert ("fragment length", "80+") in labels or ("fragment length", "40–79") in labels
    assert {("misread share", "0–0.02"), ("misread share", "0.15+")} <= labels
    assert {("head length", "1–2"), ("spacing", "glued"), ("spacing", "spaced")} <= labels


def test_a_perfect_cleaner_scores_one_everywhere(pages):
    counts = tally()
    for page in pages:
        score(page, oracle(page), counts)
    for row in ROWS:
        hit, faults, right, claims = counts[row]
        if faults:
            assert hit == faults, row
        assert right == claims, row
    assert counts["split"][3] > 0 and counts["exact"][3] > 0


def test_doing_nothing_repairs_nothing(pages):
    counts = tally()
    for page in pages:
        score(page, Result(page.raw, [(i,) for i in range(len(blocks_of(page.raw)))]), counts)
    for row in ROWS:
        assert counts[row][0] == 0 and counts[row][3] == 0, row


def test_removing_the_clean_paragraph_instead_of_its_copy_is_wrong():
    page = next(p for p in Generator(ARTICLES, 5, rate=1.0).pages(30)
                if any(e["type"] == "near_copy" and e["copies"] == 1 for e in p.manifest))
    entry = next(e for e in page.manifest if e["type"] == "near_copy" and e["copies"] == 1)
    raw = blocks_of(page.raw)
    source = entry["source_block"]
    keep = [(i,) for i in range(len(raw)) if i != source]
    counts = tally()
    score(page, Result(page.raw, keep, {source: "near_copy"}), counts)
    assert counts["near_copy"][0] == 0  # the misread copy stayed
    assert counts["near_copy"][2] == 0 and counts["near_copy"][3] == 1  # and the removal was wrong


def test_exact_hash_finds_exact_copies_but_not_misreads(pages):
    counts = tally()
    for page in pages:
        score(page, run_exact(page.raw), counts)
    assert counts["exact"][0] >= 0.7 * counts["exact"][1]
    assert counts["near_copy"][0] == 0


def test_error_reduction_and_lost_characters():
    truth, raw = "甲乙丙丁。\n\n戊己庚辛。", "甲乙丙丁。\n\n甲乙丙丁。\n\n\n戊己庚辛。"
    assert error_reduction(raw, truth, truth) == (7, 0)
    assert error_reduction(raw, raw, truth) == (7, 7)
    truth6, raw6 = "甲乙丙丁戊己。\n\n庚辛壬癸子丑寅。", "甲乙丙丁戊己。\n\n甲乙丙丁戊己。\n\n\n庚辛壬癸子丑寅。"
    assert lost_characters(raw6, "甲乙丙丁戊己。", truth6) == 8
    assert lost_characters(raw6, raw6, truth6) == 0
    assert lost_characters(raw6, "庚辛壬癸子丑寅。\n\n甲乙丙丁戊己。", truth6) == 0  # moved, not lost
    assert fold("ＡＰＰ，好\n\n\n\n下") == "APP,好\n\n下"
    assert lost_in(["戊己庚辛。"], "甲乙丙丁") == 5
    assert lost_in(["戊己庚辛。"], "甲乙丙丁。") == 4  # the full stop is found
    assert lost_in(["戊己庚辛。"], raw) == 0
    # a negative block whose word later damage replaced (the truth lacks it too) lost nothing more
    negative = "除了连片的生态旅游景区,8个科技型中小企业园也吸引着企业入驻。"
    truth = negative.replace("景区", "")
    assert lost_in([negative], truth) == 2
    assert lost_negatives([negative], truth, truth) == 0
    assert lost_negatives([negative], truth.replace("企业园", ""), truth) == 3


def test_lost_as_written_counts_what_the_truth_reading_misread_as_kept():
    # The truth reading misread 堂 as 党; a re-read copy has it right.
    written = "十三届全国人大常委会第四次会议在北京人民大会堂闭幕。"
    truth = written.replace("大会堂", "大会党")
    raw = truth + "\n\n" + written
    page = Page(raw, truth, [], written)
    assert lost_characters(raw, written, truth) > 0  # against the truth, keeping the re-read loses
    assert lost_as_written(page, written) == (0, lost_characters(raw, truth, written))
    assert lost_as_written(page, truth) == (0, 0)
    assert lost_as_written(page, "十三届全国人大常委会第四次会议。") == (lost_characters(raw, "十三届全国人大常委会第四次会议。", written)
                                                              - lost_characters(raw, truth, written), 0)
    assert lost_as_written(Page(raw, truth, []), written) == (0, 0)  # the generator's truth is as written


def test_clean_pages_carry_negatives_and_no_fault():
    clean = Generator(ARTICLES, 2, rate=1.0).clean_pages(20)
    assert all(e["type"] == "negative" for p in clean for e in p.manifest)
    assert any(p.manifest for p in clean)
    assert all(p.raw == p.truth or blocks_of(p.raw) == blocks_of(p.truth) for p in clean)


def test_language_checks_count_each_draw_once():
    from benchmarks.language_checks import joins, openings, places

    story = ["魏都区召开全区教育工作会议,总结前三季度工作,安排部署下一阶段任务。",
             "会议要求,各学校要抓好秋冬季校园安全,落实晨午检制度,确保师生身体健康。",
             "会上,区教育局负责人通报了学校食堂专项检查情况,并对下一步整改提出要求。",
             "刘中锋表示,魏都区将以“五育”并举为基本策略,推动全区中小学校党建工作提质增效。",
             "据介绍,魏都区已在全区中小学校开展“五星”支部创建活动,推动党建工作与教育教学深度融合。",
             "下一步,魏都区将继续深化“五星”支部创建,让党建工作成为中小学校发展的红色引擎。",
             "据报道,多国联军出动战机及军舰,对胡塞武装的防御工事发动打击,支持也门政府军的地面行动。"]
    articles = [{"paragraphs": story}] * 5
    own, copy, tie = places(articles, 1.5, seed=0)
    assert own + copy + tie == 5
    counts = openings(articles, 2.5, seed=0, sample=50)
    assert len(counts) == 2
    for taken, cuts, found, glues in counts.values():
        assert 0 <= taken <= cuts and 0 <= found <= glues and cuts + glues > 0
    pointed = joins(articles, seed=0, draws=20)
    assert len(pointed) == 3 and all(0 <= right + wrong <= 20 for right, wrong in pointed.values())


def test_residual_counts_text_kept_at_another_place():
    from benchmarks.residual import missed, moved

    first = "据报道,多国联军出动战机及军舰,对胡塞武装的防御工事发动打击,支持也门政府军的地面行动。"
    second = "截至目前,1161公里的绿道,为福州构建了一张立体城市绿网。"
    assert moved(first + "\n\n" + second, first + "\n\n" + second) == 0
    assert moved(second + "\n\n" + first, first + "\n\n" + second) >= 2 * 12
    page = Generator(ARTICLES, seed=3).pages(1)[0]
    untouched = Result(page.raw, [(i,) for i in range(len(blocks_of(page.raw)))])
    cost = missed(page, untouched)  # a cleaner that does nothing misses every fault
    assert sum(cost.values()) > 0 and "removal repairing no fault" not in cost
