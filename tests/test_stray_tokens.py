from pathlib import Path

import pytest

from xcclean import Config
from xcclean.lexicon import Lexicon
from xcclean.model import Block
from xcclean.stages.stray_tokens import remove_stray_tokens


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon()


def scrub(text: str, lex: Lexicon, config: Config | None = None) -> tuple[str, list]:
    doc, edits = remove_stray_tokens((Block(text, (0,)),), (config or Config()).tokens, lex)
    return doc[0].text, edits


def test_principle_removed_with_its_space(lex):
    text = "省文明办按照从严把关、确保质量的 principle,经过严格规范的选树程序,最终决定通报表扬。"
    out, edits = scrub(text, lex)
    assert out == "省文明办按照从严把关、确保质量的,经过严格规范的选树程序,最终决定通报表扬。"
    assert edits[0].kind == "stray_token"
    assert edits[0].text == " principle"
    assert edits[0].evidence["zipf"] > 4


@pytest.mark.parametrize("text", [
    "“没想到,办理完业务后这么快就在家收到了EMS送来的证件。”姜女士说。",
    "打通了“许昌市政务服务平台”和“许昌”App与EMS的系统对接,实现一条龙服务。",
    "家住东城区恒达·NAPA溪地小区的周玉茗就忍不住向亲戚朋友推介。",
    "其水质指标符合《地表水环境质量标准》II类标准,很多指标符合I类标准。",
    "许昌日报社出版 第9382期 □国内统一刊号:CN41—0013",
    "实名注册“i许昌”App, 点击“零违法”, 即可一键报名!",
    "全市PM2.5平均浓度下降,5G基站建设加快,C919大飞机完成试飞,GDP同比增长。",
    "详情请登录 www.xuchang.gov.cn 或发邮件至 news@xcrb.cn 查询。",
])
def test_legitimate_latin_stays(text, lex):
    out, edits = scrub(text, lex)
    assert out == text
    assert not [e for e in edits if e.kind == "stray_token"]


def test_english_line_stands_on_its_own(lex):
    assert scrub("XUCHANG DAILY", lex)[0] == "XUCHANG DAILY"
    assert scrub("the principle of least action", lex)[0] == "the principle of least action"


def test_unknown_lowercase_token_is_suspect_not_removed(lex):
    text = "会议要求各单位认真落实 xqzt 相关工作部署,确保取得实效。"
    out, edits = scrub(text, lex)
    assert out == text
    assert [e.kind for e in edits] == ["suspect_token"]


def test_quoted_word_is_a_mention(lex):
    text = "英文单词“principle”意为原则,老师在课堂上反复讲解。"
    out, _edits = scrub(text, lex)
    assert out == text


def test_an_annotated_word_is_a_mention(lex):
    # Lu Xun, 华盖集: a footnote reference after the word: the writer glosses it.
    text = "我在中国也时时起这一类的恐惧。普通认为romantic〔20〕的,在中国是往往要碰钉子的。"
    out, edits = scrub(text, lex)
    assert out == text and [e.evidence["rule"] for e in edits] == ["annotated: a footnote reference follows"]
    out, edits = scrub(text.replace("〔20〕", ""), lex)  # without the note, a leak like any other
    assert [e.kind for e in edits] == ["stray_token"]


@pytest.mark.parametrize("text", [
    "而老莱子在父母面前弄孩子的玩具,也比弄小禽鸟更自然。所以英语的doll,即我们现在称为“洋囡囡”或“泥人儿”。",  # Lu Xun
    "〔26〕 yes 英语:是的。",  # Lu Xun's editors gloss a word of his
    "现象是,过去不少翻译成英文的中国词,开始被汉语拼音替代。比如熊猫,外国人不光知道panda,还知道它的中文叫法“熊猫”。",
])
def test_a_word_in_a_paragraph_about_english_is_a_mention(lex, text):
    out, edits = scrub(text, lex)
    assert out == text and [e.evidence["rule"] for e in edits] == ["in a paragraph about English"]


def test_without_its_language_named_the_word_is_a_leak():
    # On a page of print, 所以的doll is debris like any other word.
    assert "doll" not in on_a_page("所以的doll,即我们现在称为“洋囡囡”或“泥人儿”。", Lexicon())


def test_allow_and_deny_lists(lex):
    text = "确保质量的 principle,经过严格规范的选树程序。"
    assert scrub(text, lex, Config().replace(allow_tokens=frozenset({"Principle"})))[0] == text
    assert scrub("认真落实 xqzt 相关工作部署。", lex, Config().replace(deny_tokens=frozenset({"xqzt"})))[0] == "认真落实相关工作部署。"


def test_a_glued_leak_is_as_stray_as_a_spaced_one(lex):
    out, edits = scrub("省文明办按照从严把关、确保质量的principle,经过严格规范的选树程序。", lex)
    assert out == "省文明办按照从严把关、确保质量的,经过严格规范的选树程序。"
    assert [e.kind for e in edits] == ["stray_token"]


ESTABLISHED = "an English word used in Chinese text"
MIXED = "an English word used in Chinese text that mixes English in"
# A page of print: OCR's strays stand one or two among thousands of Chinese characters.
NEWS = Path(__file__).resolve().parents[1].joinpath("examples", "page.txt").read_text(encoding="utf-8")


def on_a_page(text: str, lex: Lexicon, config: Config | None = None) -> str:
    """``text`` as one paragraph of the example page: the stage's output for it."""
    blocks = [Block(text, (0,))] + [Block(p, (i,)) for i, p in enumerate(NEWS.split("\n\n"), 1) if p.strip()]
    out, _ = remove_stray_tokens(tuple(blocks), (config or Config()).tokens, lex)
    return out[0].text


@pytest.mark.parametrize("text, word, rule", [
    ("这个项目的 deadline 是下周五,大家抓紧。", "deadline", MIXED),
    ("最近工作压力大,心里有点 emo。", "emo", MIXED),
    ("他一上台就紧张,当场就 hold 不住了。", "hold", MIXED),
    ("新版本修复了一个 bug,运行更稳定。", "bug", ESTABLISHED),
])
def test_loanwords_in_use_stay(lex, text, word, rule):
    out, edits = scrub(text, lex)
    assert out == text
    assert [e.evidence["rule"] for e in edits if e.evidence["token"] == word] == [rule]


@pytest.mark.parametrize("text, word, kept", [
    ("新版本修复了一个 bug,运行更稳定。", "bug", True),  # zh 3.73, 0.47 below English: a loan
    ("这个项目的 deadline 是下周五,大家抓紧。", "deadline", False),  # zh 2.34: any word's level
    ("他一上台就紧张,当场就 hold 不住了。", "hold", False),  # zh 3.18 but 2.01 below: quoted English
    ("会议强调,要把the各项工作落到实处。", "the", False),  # zh 5.73, 2.00 below: never borrowed
])
def test_on_a_page_of_print_only_established_loans_stay(lex, text, word, kept):
    assert (word in on_a_page(text, lex)) is kept


def test_loanword_limits_on_both_sides(lex):
    # On a page of print the established-loan limits decide: bug, Chinese Zipf 3.73, 0.47 below English.
    text = "新版本修复了一个 bug,运行更稳定。"
    zh, gap = lex.zipf("bug", "zh"), lex.zipf("bug") - lex.zipf("bug", "zh")
    assert on_a_page(text, lex, Config().replace(loanword_min_zipf=zh)) == text
    assert "bug" not in on_a_page(text, lex, Config().replace(loanword_min_zipf=zh + 0.01))
    assert on_a_page(text, lex, Config().replace(loanword_max_gap=gap + 0.01)) == text
    assert "bug" not in on_a_page(text, lex, Config().replace(loanword_max_gap=gap))


def test_mixed_loanword_limits_on_both_sides(lex):
    # deadline (Chinese Zipf 2.34) in a sentence of 9 Chinese characters: one English word per 9.
    text = "这个项目的 deadline 是下周五。"
    zh = lex.zipf("deadline", "zh")
    assert scrub(text, lex, Config().replace(mixed_loanword_min_zipf=zh))[0] == text
    assert scrub(text, lex, Config().replace(mixed_loanword_min_zipf=zh + 0.01))[0] == "这个项目的是下周五。"
    assert scrub(text, lex, Config().replace(mixed_han_per_word=9))[0] == text
    assert scrub(text, lex, Config().replace(mixed_han_per_word=8))[0] == "这个项目的是下周五。"


def test_a_code_switching_page_keeps_its_words(lex):
    # Four distinct English words a page: a writer mixing languages, not OCR debris.
    page = "这门课的 lecture 讲得很好。\n\n每周的 homework 不少。\n\n期末的 project 要组队。\n\n考前记得复习 slides。"
    config = Config()
    doc = tuple(Block(text, (i,)) for i, text in enumerate(page.split("\n\n")))
    out, edits = remove_stray_tokens(doc, config.tokens, lex)
    assert [b.text for b in out] == page.split("\n\n")
    assert {e.evidence["rule"] for e in edits} <= {"the page code-switches"} | {
        e.evidence["rule"] for e in edits if e.evidence["rule"].startswith("an English word used")}
    # three words a page are strays (one short of code_switch_min_words)
    out, _ = remove_stray_tokens(doc[:3], config.tokens, lex)
    assert [b.text for b in out] != page.split("\n\n")[:3]


def test_a_term_the_page_uses_again_stays(lex):
    # A technical text (as the Vue guide's Chinese translation writes): 透传 attribute, the writer's
    # term, two paragraphs apart.
    paragraphs = ["组件会把没有声明的透传 attribute 自动加到根元素上。",
                  "如果不想继承透传 attribute,可以在组件选项中关闭它。"]
    doc = tuple(Block(text, (i,)) for i, text in enumerate(paragraphs))
    out, edits = remove_stray_tokens(doc, Config().tokens, lex)
    assert [b.text for b in out] == paragraphs
    assert {e.evidence["rule"] for e in edits if e.evidence["token"] == "attribute"} == {"a term the page uses again"}
    # Once on the page, or below term_min_uses, it is a leak like any other.
    out, _ = remove_stray_tokens(doc[:1], Config().tokens, lex)
    assert out[0].text == "组件会把没有声明的透传自动加到根元素上。"
    out, _ = remove_stray_tokens(doc, Config().replace(term_min_uses=3).tokens, lex)
    assert "attribute" not in out[0].text


def test_a_word_glossed_after_a_dash_is_a_mention(lex):
    # Lu Xun, 坟: a term given its original after a dash. OCR leaks fall between words, not there.
    text = "自从那执拗的奥国学者弗罗特提倡了精神分析说——psychoanalysis,听说章士钊先生是译作“心解”的,实在难解得很。"
    out, edits = scrub(text, lex)
    assert out == text and edits[0].evidence["rule"] == "glossed after a dash"
    out, _ = scrub(text.replace("——psychoanalysis", " psychoanalysis "), lex)
    assert "psychoanalysis" not in out


def test_a_technical_page_keeps_its_terms(lex):
    # The Vue guide's Chinese translation: API names as the writer's terms, rarely borrowed into
    # Chinese text (provide 1.56, inject 0.87), on a page with four distinct Latin words at a
    # writer's rate (code_switch_min_words).
    paragraphs = ["为保证注入方和供给方之间的响应性链接,我们需要使用 computed() 函数提供一个计算属性:",
                  "带有响应性的 provide + inject 完整示例",
                  "在 TypeScript 中为注入的值标注类型,可以得到更好的提示。"]
    doc = tuple(Block(text, (i,)) for i, text in enumerate(paragraphs))
    out, edits = remove_stray_tokens(doc, Config().tokens, lex)
    assert [b.text for b in out] == paragraphs
    assert {e.evidence["rule"] for e in edits if e.evidence["token"] == "inject"} == {"the page code-switches"}
    # Three distinct Latin words (TypeScript left out): one short of code_switch_min_words.
    out, _ = remove_stray_tokens(doc[:2], Config().tokens, lex)
    assert out[1].text == "带有响应性的+完整示例"
