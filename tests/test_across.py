"""Cross-page dedup: later pages lose paragraphs that repeat earlier pages, nothing else."""

from __future__ import annotations

import itertools

from xcclean import Cleaner, Config
from xcclean.corpus.across import CrossMatch, across_pages, body_paragraphs, remove
from xcclean.dedup import ParagraphIndex

A = "许昌市召开全市重点项目建设推进会议,市长出席会议并讲话,要求全力以赴加快项目建设进度,确保全年目标任务圆满完成。"
B = "魏都区召开安全稳定暨疫情防控工作会议,区委书记出席会议并讲话,区长主持会议,会议传达了上级有关精神。"
C = "建安区持续推进农村人居环境整治,全区已累计改造农村户厕一万余座,村容村貌明显改善,群众满意度不断提升。"
D = "禹州市钧瓷文化旅游节开幕,来自全国各地的钧瓷爱好者齐聚神垕古镇,共同感受千年钧瓷文化的独特魅力。"


def test_later_copies_go_earlier_ones_and_more_complete_ones_stay():
    pages = [
        [A, A[:30]],  # page 0: A and (within the page) a fragment: not this step's business
        [B, A, A[25:]],  # page 1: a reprint of A and a suffix fragment of it
        [C, B.replace("精神", "精祌")],  # page 2: a near copy of page 1's B
        [C + "记者张辉"],  # page 3: page 2's C with junk glued on
    ]
    found = across_pages(pages)
    assert found[0] == {}
    assert {k: (m.page, m.paragraph, m.relation) for k, m in found[1].items()} == {
        1: (0, 0, "exact"), 2: (0, 0, "suffix")}
    assert {k: (m.page, m.relation) for k, m in found[2].items()} == {1: (1, "near_copy")}
    assert {k: (m.page, m.relation) for k, m in found[3].items()} == {0: (2, "contaminated")}


def test_an_earlier_fragment_does_not_remove_the_complete_paragraph():
    found = across_pages([[A[:40]], [A]])
    assert found == [{}, {}]


def test_no_chain_through_a_removed_copy():
    # Page 1's copy of A goes; page 2's fragment of A still points at page 0, the kept copy.
    found = across_pages([[A], [A], [A[5:45]]])
    assert found[2][0].page == 0


def test_cleaned_pages_lose_only_body_paragraphs_and_restore_still_works():
    cleaner = Cleaner()
    first = cleaner.explain(f"重点项目建设\n\n本报记者 张辉\n\n{A}\n\n{B}")
    second = cleaner.explain(f"重点项目建设\n\n本报记者 张辉\n\n{A}\n\n{C}")
    found = across_pages([body_paragraphs(first), body_paragraphs(second)])
    cleaned = remove(second, found[1], names=["p1.txt", "p2.txt"])
    assert cleaned.text == f"重点项目建设\n\n本报记者 张辉\n\n{C}"  # headline and byline repeat, and stay
    (edit,) = [e for e in cleaned.edits if e.kind == "cross_page_duplicate"]
    assert edit.text == A and edit.evidence["matched_page"] == "p1.txt" and edit.evidence["relation"] == "exact"
    assert cleaned.restore() == second.restore()


def test_the_index_carries_the_archive_between_runs(tmp_path):
    index = ParagraphIndex()
    assert across_pages([[A, B]], index=index) == [{}]
    path = tmp_path / "archive.npz"
    index.save(path)
    again = ParagraphIndex.load(path)
    found = across_pages([[C, A[3:50]], [A, D]], index=again)
    assert {k: (m.page, m.relation) for k, m in found[0].items()} == {1: (-1, "inner")}
    assert {k: (m.page, m.relation) for k, m in found[1].items()} == {0: (-1, "exact")}
    assert len(again) == 2 + 2  # C and D were added; the copies were not
    assert across_pages([[D]], index=again) == [{0: CrossMatch(-1, 3, "exact", 1.0, D, None, 3)}]


def test_large_input_path_gives_the_same_answer():
    pages = [[A, B], [C, A[10:60]], [B, D]]
    assert across_pages(pages) == across_pages(pages, Config().replace(exact_overlap_max_shingles=0))


def _archive(seed: int) -> list[list[str]]:
    """Pages of seed paragraphs with reprints, fragments and near copies across them."""
    import random

    from tests.snippets import PARAGRAPHS

    rng = random.Random(seed)
    pages = []
    for _ in range(12):
        page = rng.sample(PARAGRAPHS, 3)
        source = rng.choice(PARAGRAPHS)
        page.append(rng.choice([source, source[: len(source) * 2 // 3], source[len(source) // 4 :]]))
        pages.append(page)
    return pages


def test_any_split_into_parts_and_buckets_gives_the_same_answer():
    from xcclean.corpus.across import across_parts

    pages = _archive(5)
    for config in (Config(), Config().replace(exact_overlap_max_shingles=0)):
        whole = across_parts([pages], config)
        assert any(whole[0])
        for cut, buckets in (([4, 9], 3), ([1, 2, 11], 7)):
            bounds = [0, *cut, len(pages)]
            parts = [pages[a:b] for a, b in itertools.pairwise(bounds)]
            assert across_parts(parts, config, buckets=buckets) == whole
