"""benchmarks/real_negatives.py: real text of other genres, cleaned page by page, every change listed."""

from __future__ import annotations

from pathlib import Path

from benchmarks.real_negatives import genres, paragraphs, report

# Lu Xun, 《鸭的喜剧》 (1922, public domain), hard-wrapped as its plain-text edition is, and a
# paragraph with a footnote reference after its stop, then one that ends in a comma before speech.
STORY = """　　俄国的盲诗人爱罗先珂⑵君带了他那六弦琴到北京之后不久，便向我诉苦说：

　　“寂寞呀，寂寞呀，在沙漠上似的寂寞呀！”

　　这应该是真实的，但在我却未曾感得；我住得久了，“入芝兰之室，久而不闻
其香”⑶，只以为很是嚷嚷罢了。然而我之所谓嚷嚷，或者也就是他之所谓寂寞罢
。〔1〕

　　我可是觉得在北京仿佛没有春和秋。老于北京的人说，地气北转了，这里在先
是没有这么和暖。
"""


def test_paragraphs_join_hard_wrapped_lines():
    paras = paragraphs(STORY)
    assert len(paras) == 4
    assert paras[2].startswith("这应该是真实的") and "久而不闻其香" in paras[2] and paras[2].endswith("罢。〔1〕")


def test_report_lists_every_change_by_genre(tmp_path: Path):
    (tmp_path / "fiction").mkdir()
    (tmp_path / "fiction" / "duck.txt").write_text(STORY, encoding="utf-8")
    leak = "省文明办按照从严把关、确保质量的principle,经过严格规范的选树程序,最终决定通报表扬。"
    (tmp_path / "notice.txt").write_text(leak + "\n\n" + "会议要求,各单位要认真落实。", encoding="utf-8")
    assert sorted(genres(tmp_path)) == ["fiction", "notice"]
    text = report(tmp_path, 30)
    assert "| fiction | 1 | " in text and "| 0 | 0 | 0 |" in text  # the story passes unchanged
    assert "| notice | 1 | " in text and "stray_token: English word inside Chinese prose ×1" in text
