import importlib

import xcclean
from xcclean import Config
from xcclean.stages.normalise import normalise


def test_fullwidth_ascii_folded_but_chinese_typography_kept():
    text, edits = normalise("社长：方焯 ＡＰＰ（下载）“i许昌”《规划》、。500万㎡ Ⅱ类", Config().normalise)
    assert text == "社长:方焯 APP(下载)“i许昌”《规划》、。500万㎡ Ⅱ类"
    assert [e.kind for e in edits] == ["unicode_fixed"]
    assert edits[0].text.startswith("社长：")


def test_width_folding_can_be_switched_off():
    text, _ = normalise("社长：方焯", Config().replace(fold_width=False).normalise)
    assert text == "社长：方焯"


def test_mojibake_repaired_and_explained():
    mojibake = "何长成调研企业安全生产工作".encode().decode("latin-1")
    text, edits = normalise(mojibake, Config().normalise)
    assert text == "何长成调研企业安全生产工作"
    assert edits[0].evidence["ftfy_steps"]


def test_clean_chinese_line_never_reaches_ftfy(monkeypatch):
    stage = importlib.import_module("xcclean.stages.normalise")

    def boom(*args, **kwargs):
        raise AssertionError("ftfy called on a clean line")

    monkeypatch.setattr(stage, "_fix_line", boom)
    text, edits = normalise("李朝锋强调,全区广大党员干部要全力以赴。\n\n本报记者 许廷合", Config().normalise)
    assert edits == []
    assert text == "李朝锋强调,全区广大党员干部要全力以赴。\n\n本报记者 许廷合"


def test_line_endings_and_stray_whitespace():
    raw = "\n\n  标题  \r\n\r\n正文\u3000第一段。\t \r\n\n\n\n图片说明\u200b\n\n"
    text, _ = normalise(raw, Config().normalise)
    assert text == "标题\n\n正文 第一段。\n\n\n\n图片说明"


def test_list_indentation_kept():
    text, _ = normalise("- 一、县(市)组\n - 襄城县(99.07分 优秀等次)", Config().normalise)
    assert text == "- 一、县(市)组\n - 襄城县(99.07分 优秀等次)"


def test_form_feed_and_vertical_tab_break_lines():
    # Tesseract ends each page with a form feed; a page of nothing else is empty (found by the
    # property tests: clean gave '' while normalise kept the form feed, so restore() disagreed).
    assert xcclean.normalise("\x0c") == "" and xcclean.clean("\x0c") == ""
    assert xcclean.normalise("甲\x0c乙\x0b丙") == "甲\n乙\n丙"
    result = xcclean.clean_and_explain("许昌日报\x0c\x0c何长成调研企业安全生产工作。")
    assert result.text == "许昌日报\n\n何长成调研企业安全生产工作。"
    assert result.restore() == xcclean.normalise("许昌日报\x0c\x0c何长成调研企业安全生产工作。")


def test_normalising_twice_changes_nothing_more_where_a_tab_stood_by_mojibake():
    # Found by the property tests (thorough profile): ftfy leaves Â before a tab and takes Â before
    # a space (a no-break space read as Latin-1), so the tab, tidied to a space, let a second pass
    # change the text again. ftfy reads the tidied line once more.
    config = Config().normalise
    for text, once in (("Â\t0", "0"), ("â€\t”", "†”")):
        assert normalise(text, config)[0] == once
        assert normalise(once, config)[0] == once
    # the other side: a tab beside a letter that is no mojibake is a space, and the letter stays
    assert normalise("é\t许昌", config)[0] == "é 许昌"
