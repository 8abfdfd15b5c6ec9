"""The public API: bad input, cheap import, non-Chinese text, big pages."""

from __future__ import annotations

import importlib
import random
import subprocess
import sys

import pytest

import xcclean
from tests.snippets import PARAGRAPHS
from xcclean import BlockKind, Cleaner, Config


@pytest.mark.parametrize("bad", [None, b"\xe8\xae\xb8\xe6\x98\x8c", 42, ["许昌"]])
def test_non_str_is_a_clear_type_error(bad):
    with pytest.raises(TypeError, match="xcclean cleans text"):
        xcclean.clean(bad)
    with pytest.raises(TypeError, match="decode"):
        xcclean.clean_and_explain(bad)


@pytest.mark.parametrize("blank", ["", " ", "\n\n\t\u3000\n", "\r\n\r\n"])
def test_blank_is_empty(blank):
    assert xcclean.clean(blank) == ""
    assert xcclean.clean_and_explain(blank).restore() == ""


def test_non_chinese_text_passes_through():
    text = "The principle of least action.\n\nIt is a principle\n\nof physics.\n\nThe principle of least action."
    result = xcclean.clean_and_explain(text)
    assert result.text == text
    assert [e.kind for e in result.edits] == ["not_chinese"]


def test_import_is_lazy():
    code = ("import sys; import xcclean; "
            "print([m for m in ('numpy', 'ftfy', 'jieba', 'rapidfuzz', 'datasketch', 'wordfreq') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_cleaner_reuse_and_config_override():
    cleaner = Cleaner(Config().replace(stray_min_zipf=9.0))
    text = "确保质量的 principle,经过严格规范的选树程序。"
    assert cleaner.clean(text) == text
    assert xcclean.clean(text) == "确保质量的,经过严格规范的选树程序。"
    assert cleaner.clean(text) == text


def test_config_validates():
    with pytest.raises(ValueError, match="between 0 and 1"):
        Config().replace(near_copy_min_similarity=1.5)
    with pytest.raises(ValueError, match="multiple"):
        Config().replace(num_perm=100, lsh_bands=32)


def test_blocks_and_edits_are_explained():
    page = "何长成调研企业安全生产工作\n\n" + PARAGRAPHS[0] + "\n\n" + PARAGRAPHS[0]
    result = xcclean.clean_and_explain(page)
    assert [b.kind for b in result.blocks] == [BlockKind.HEADLINE, BlockKind.BODY]
    (edit,) = result.changes()
    assert edit.kind == "exact_duplicate"
    assert edit.to_dict()["evidence"]["matched"] == 1
    assert edit.text == PARAGRAPHS[0]


def _big_page(target_bytes: int) -> str:
    rng = random.Random(7)
    alphabet = "".join(sorted(set("".join(PARAGRAPHS)) - set(",。、;:“”‘’()《》0123456789.—")))
    paras: list[str] = []
    size = 0
    while size < target_bytes:
        words = ["".join(rng.choice(alphabet) for _ in range(rng.randint(4, 18))) for _ in range(rng.randint(3, 9))]
        para = ",".join(words) + "。"
        roll = rng.random()
        if roll < 0.02 and paras:
            para = rng.choice(paras)  # a repeat
            if roll < 0.015:  # most with a misread: a near copy, which deduplicate's candidate search must find
                at = rng.randrange(len(para) - 1)
                para = para[:at] + rng.choice(alphabet) + para[at + 1 :]
        elif roll < 0.04:
            paras.append(para[: len(para) // 2])  # a cut paragraph
            para = para[len(para) // 2 :]
        paras.append(para)
        size += len(para.encode()) + 2
    return "\n\n".join(paras)


def _work(monkeypatch: pytest.MonkeyPatch, cleaner: Cleaner, page: str) -> int:
    """Candidate pairs found plus pairs aligned while cleaning ``page``: the work, counted, not timed."""
    count = [0]
    for name in ("xcclean.stages.deduplicate", "xcclean.stages.repair_splits"):
        module = importlib.import_module(name)
        found, aligned = module.find_candidates, module.relate

        def counted_find(*args, _found=found, **kwargs):  # type: ignore[no-untyped-def]
            cands = _found(*args, **kwargs)
            count[0] += len(cands)
            return cands

        def counted_relate(*args, _aligned=aligned, **kwargs):  # type: ignore[no-untyped-def]
            count[0] += 1
            return _aligned(*args, **kwargs)

        monkeypatch.setattr(module, "find_candidates", counted_find)
        monkeypatch.setattr(module, "relate", counted_relate)
    assert cleaner.clean(page)
    return count[0]


def test_ten_megabyte_page_is_linear(monkeypatch):
    # Both sizes through the same candidate path (sampled anchors + LSH; by
    # default a 1 MB page would take the exact path and a 10 MB one this one).
    # The work is counted (candidate pairs and alignments), so a loaded machine cannot fail it.
    cleaner = Cleaner(Config().replace(exact_overlap_max_shingles=0))
    small = _work(monkeypatch, cleaner, _big_page(1_000_000))
    big = _work(monkeypatch, cleaner, _big_page(10_000_000))
    assert small > 100
    assert big < 12 * small  # 10x the text, about 10x the work, not 100x


def test_the_namespace_is_the_public_api():
    assert dir(xcclean) == sorted(["Block", "BlockKind", "Cleaned", "Cleaner", "Config", "Edit", "__version__",
                                   "clean", "clean_and_explain", "normalise", "restore"])
    assert all(getattr(xcclean, name) is not None for name in dir(xcclean))
    with pytest.warns(DeprecationWarning, match="BlockKind"):
        assert xcclean.Kind is BlockKind


def test_restore_gives_back_the_normalised_page():
    page = "\n\n社长：方焯 \r\n\r\n本报讯 记者 principle 报道。\n\n\n\n本报讯 记者 principle 报道。\n"
    result = xcclean.clean_and_explain(page)
    assert result.restore() == xcclean.normalise(page) == "社长:方焯\n\n本报讯 记者 principle 报道。\n\n\n\n本报讯 记者 principle 报道。"
    with pytest.raises(TypeError, match="decode"):
        xcclean.normalise(b"x")


def test_changes_leave_out_the_notes_that_change_no_character():
    result = xcclean.clean_and_explain("标题\n\n\n\n本报讯 记者报道。")  # an extra blank line: a layout note only
    assert [e.kind for e in result.edits] == ["layout"] and result.changes() == ()
    result = xcclean.clean_and_explain("标题\n\n\n\n本报讯 记者 principle 报道。")
    assert [e.kind for e in result.changes()] == ["stray_token"]


def test_a_caption_keeps_its_set_off_so_cleaning_twice_changes_nothing():
    # a body paragraph left unfinished (a suspect cut), a photo caption set off by three blank
    # lines, then the next paragraph: the caption must still read as one when the output is read again
    page = ("杨根思“三个不相信”精神的核心是对党忠诚。心中有信仰,脚下有力量,充分展示了魏都区纪检监察干部\n\n\n\n"
            "魏都区纪检监察干部到杨根思社区参观学习。\n\n"
            "本报讯 为学深悟透杨根思“三个不相信”精神,魏都区纪委监委党员干部到杨根思部队旅学习。")
    result = xcclean.clean_and_explain(page)
    assert "\n\n\n\n魏都区纪检监察干部到杨根思社区参观学习。\n\n" in result.text
    assert xcclean.clean(result.text) == result.text
    assert result.restore() == page
