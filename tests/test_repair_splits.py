"""Rejoining paragraphs cut by a blank line, on seed snippets."""

import importlib

import pytest

from xcclean import BlockKind, Config
from xcclean.chars import compare_key
from xcclean.lexicon import Lexicon
from xcclean.pipeline import classified
from xcclean.stages.cuts import ECHOED, SPEECH, cut_evidence
from xcclean.stages.repair_splits import UNSTOPPED, repair_splits, unstopped_page


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon()


def repair(blocks: list[str], lex: Lexicon, gaps: list[int] | None = None) -> tuple[list[str], list]:
    text = ""
    for i, block in enumerate(blocks):
        text += ("\n" * ((gaps[i] if gaps else 1) + 1) if i else "") + block
    out, edits = repair_splits(classified(text, Config(), lex), Config().splits, Config().engine, lex)
    return [b.text for b in out], edits


@pytest.mark.parametrize("head, tail, reason", [
    ("总建筑面积约8.2万平方米,重点建", "设创新型企业独栋、单层钢构厂房等。", "dictionary word 建设 spans the cut"),
    ("对每一个项目定时间、定目标,", "倒排工期、挂图作战,分包领导全程负责。", "head ends in a comma"),
    ("王自合充分肯定了我市县级“两", "中心”建设取得的成绩,就加快推进工作提出具体要求。", "head leaves a quote or bracket open"),
    ("放大自身优势,不断增强综合优", "势。二要在转型升级上再发力,做强产业支撑。", "tail starts with the end of a clause"),
    ("他积极主动协调有关部门为家庭困难青少年办实事、做好事、解难题,持之以", "恒心做好关心下一代工作。", "dictionary word 持之以恒 spans the cut"),
    # A head of headline length with commas joins when it ends in a word no clause ends in.
    ("市财政安排专项资金五百万元,用于对", "全市困难群众住房开展安全排查和维修加固。", "head ends in 对, which cannot end a clause"),
    ("项目投产后,年产值可达十亿元,带动就业又", "增加两千余个岗位,成为县域经济新的增长点。", "head ends in 又, which cannot end a clause"),
])
def test_join_with_strong_evidence(head, tail, reason, lex):
    texts, edits = repair([head, tail], lex)
    assert texts == [head + tail]
    assert reason in edits[0].evidence["reasons"]


def test_unfinished_body_joins_body(lex):
    head = "他说,近年来,许昌实施了中心城区河湖水系连通工程,护城河旧貌换新颜,我们的城市更绿了、水"
    tail = "更清了,许昌更加宜居宜业,群众的幸福感也在不断提升。"
    texts, _edits = repair([head, tail], lex)
    assert texts == [head + tail]


def test_terminal_punctuation_vetoes(lex):
    texts, edits = repair(["确保使用安全。", "何区长强调,要增强企业安全生产意识。"], lex)
    assert len(texts) == 2 and edits == []


@pytest.mark.parametrize("end", ["〔1〕", "⑹", "[2]", "\ue4c2"])
def test_a_footnote_reference_after_the_stop_ends_the_paragraph(end, lex):
    # Lu Xun's annotated essays (…他妈的!”〔1〕 / 无论是谁,…), an encyclopaedia's [2], an e-book's
    # paragraph mark in the Private Use Area: text after the stop that no sentence reads on from.
    head = "我们的生活里,这句话几乎随处可以听到,真是“他妈的!”"
    tail = "无论是谁,只要在中国过活,便总得常听到这一类的口头禅。"
    texts, edits = repair([head + end, tail], lex)
    assert texts == [head + end, tail] and not [e for e in edits if e.kind == "split_joined"]
    # Without the stop before it, the reference ends nothing: the cut is weighed as any other.
    assert cut_evidence("便总得常听到〔1〕", "这一类的口头禅。", Config().splits, lex).veto is None


@pytest.mark.parametrize("head, tail, joined", [
    # A title, a name above a speech, a 词's author: lines of their own, whatever the model says.
    ("关雎", "关关雎鸠,在河之洲。窈窕淑女,君子好逑。", False),
    ("江泽民", "同志们、朋友们:今天,我们在这里隆重集会,纪念这一伟大的历史事件。", False),
    ("苏易简", "神仙神仙瑶池宴。片片碧桃零落春风晚。", False),
    # A word the line's last glyph makes with the next line's first is chance (永远, 篇子, 二老), and
    # so is a short sentence under it: 宋词, 论语 and 呐喊 lines of their own.
    ("柳永", "远岸收残雨。", False),
    ("学而篇", "子曰:“学而时习之,不亦说乎?有朋自远方来,不亦乐乎?”", False),
    ("二", "老栓走到家,店面早经收拾干净,一排一排的茶桌,滑溜溜的发光。", False),
    ("寇准", "春早。", False),
    # A head this short with a mark or a particle at the cut still goes to the model (a seed page:
    # 日前 / ,魏都区…; a quote left open; a particle no line opens with).
    ("日前", ",魏都区召开安全稳定暨疫情防控工作会议,魏都区委书记李朝锋出席会议并讲话。", True),
    ("此外,", "伊朗、土耳其等国也向卡塔尔伸出了援手。", True),
    ("《意见", "》指出,建立“一带一路”国际商事争端解决机制和机构。", True),
    ("专家", "们认为,近期美国财政部的做法有违事实。", True),
])
def test_a_head_under_model_min_head_chars_needs_a_mark_at_the_cut(head, tail, joined, lex):
    texts, _edits = repair([head, tail], lex)
    assert (texts == [head + tail]) is joined
    # A title the text opens with is echoed, not cut (园有桃 / 园有桃,其实之肴。).
    assert cut_evidence("园有桃", "园有桃,其实之肴。", Config().splits, lex).veto == ECHOED


def test_model_min_head_chars_on_both_sides(lex):
    head, tail = "习近平指出", "伊朗核问题全面协议达成是个了不起的里程碑,同时执行任重而道远。"
    assert len(head) == Config().splits.model_min_head_chars
    _texts, edits = repair([head, tail], lex)
    assert [e for e in edits if "probability" in e.evidence]  # weighed by the model
    config = Config().replace(model_min_head_chars=len(head) + 1)
    out, edits = repair_splits(classified(head + "\n\n" + tail, config, lex), config.splits, config.engine, lex)
    assert len(out) == 2 and not [e for e in edits if "probability" in e.evidence]


@pytest.mark.parametrize("tail, apart", [
    ("“大哥,我有话告诉你。”", True),  # Lu Xun, 狂人日记: one whole line of speech, set apart
    ("“大哥,我有话告诉你。”他说完便走了。", False),  # the sentence goes on after the quotation
    ("大哥,我有话告诉你。", False),  # no quotation: a cut clause
    # Lu Xun, 狂人日记: a quotation of several paragraphs opens each with “ and closes only the last.
    ("“你们可以改了,从真心改起!要晓得将来容不得吃人的人,活在世上。", True),
    ("“你们可以改了,从真心改起!”要晓得将来容不得吃人的人,活在世上。", False),  # closed, then narration
])
def test_a_line_of_speech_after_a_comma_is_a_paragraph_of_its_own(tail, apart, lex):
    head = "我也接着冷笑,待到他们走后,便跨出门,很和气的对他说,"
    texts, _edits = repair([head, tail], lex)
    assert (len(texts) == 2) is apart
    assert (cut_evidence(head, tail, Config().splits, lex).veto == SPEECH) is apart
    # After a verb that does not say, the comma leaves the sentence open: a cut.
    assert cut_evidence("我也接着冷笑,便跨出门,很和气的对他点头,", tail, Config().splits, lex).veto is None


def test_never_glue_headline_or_byline(lex):
    texts, _ = repair(["全区上下要人人扛稳责任、压", "何长成调研企业安全生产工作",
                       "10月22日,魏都区委区长何长成到天伦燃气公司调研企业安全生产工作。"], lex)
    assert len(texts) == 3
    texts, _ = repair(["全市营商环境持续优化,项目建设", "本报记者 许廷合"], lex)
    assert len(texts) == 2


def test_caption_between_halves_follows_the_paragraph(lex):
    head = "据了解,紧密结合产业发展实际,开发区围绕装备制造、节能环保、新材料三大主导产业,大力开展针对性招商"
    caption = "河南领存智能制造有限公司成品检验员正在对产品(硬盘)进行严格检验。"
    tail = "活动,围绕主导产业上下游延链补链,带动主导产业集群的培育。"
    texts, edits = repair([head, caption, tail], lex, gaps=[0, 3, 1])
    assert texts == [head + tail, caption]
    assert edits[0].evidence["captions_moved"] == 1


def test_chain_of_four(lex):
    parts = ["他注重网络建设,把关工委组织延伸到村、社区、学", "校、企业等基层单位,并把关心下一代工作纳入全市精",
             "神文明建设的总体布局。四是抓帮扶,持之以", "恒。他积极主动协调有关部门为家庭困难青少年办实事。"]
    texts, edits = repair(parts, lex)
    assert texts == ["".join(parts)]
    assert len(edits) == 3


def test_dash_and_list_items_not_joined(lex):
    texts, _ = repair(["南水北调工程与我市息息相关——", "——通水7年来,该工程已累计为我市供水10.15亿立方米;",
                       "——我市共接收安置移民4208户16454人;"], lex)
    assert len(texts) == 3


def test_latin_on_both_sides_is_not_a_chinese_cut(lex):
    texts, _ = repair(["这是一段关于 machine", "learning 的说明。"], lex)
    assert len(texts) == 2


def test_unfinished_line_with_commas_before_body_is_a_headline(lex):
    # Headlines of 25-40 characters with commas are common in the clean
    # corpus; taking them for cut prose made 14 false joins over its 2,260
    # pages. Without evidence at the cut, such a line is left alone (and
    # logged as a suspect).
    head = "全市上下坚持以人民为中心,推动扶贫开发工作取得更大新成效"
    tail = "改革开放以来,我市全面展开了以产业扶贫为主的攻坚行动。"
    texts, edits = repair([head, tail], lex)
    assert texts == [head, tail]
    assert [e.kind for e in edits] == ["suspect_split"]


@pytest.mark.parametrize("headline", [
    "市委书记在全市重点项目建设推进会上强调",  # quotatives end headlines: …会上强调 / 指出
    "从一组数据看我市营商环境的",  # …想到的, …惯坏的
    "人人有责,人人可为",
])
def test_headline_ending_in_a_word_that_ends_headlines_stays(headline, lex):
    texts, _ = repair([headline, "近日,全市重点项目建设推进会召开,会议总结了前一阶段工作。"], lex)
    assert len(texts) == 2


def test_headline_quoted_by_its_lede_is_not_a_cut(lex):
    headline = "许昌日报评论员文章:坚持稳中求进工作总基调,推动高质量发展走深走实再上新台阶"
    lede = "今天出版的许昌日报发表评论员文章,题目是《坚持稳中求进工作总基调,推动高质量发展走深走实再上新台阶》。"
    texts, edits = repair([headline, lede], lex)
    assert texts == [headline, lede] and edits == []
    assert cut_evidence(headline, lede, Config().splits, lex).veto == ECHOED


def test_dateline_opens_a_paragraph(lex):
    head = "去年全市新建5G基站1200个,新增光纤宽带用户3.5万户"
    tail = "本报乌鲁木齐1月11日电 随着国家加大开发力度,新疆石油工业已进入快速发展阶段。"
    texts, edits = repair([head, tail], lex)
    assert texts == [head, tail]
    assert edits[0].kind == "suspect_split"


@pytest.mark.parametrize("head, tail", [
    # a dateline is never a headline: the word across the cut (不久) counts
    ("新华社郑州3月5日电(记者李新)不", "久前召开的全省经济工作会议提出,要加快建设现代化产业体系。"),
    # no clause is one character long
    ("许昌至郑州城际列车一共8节车厢,全长200多米,小", "孙她们每天要在车厢里往返行走十几公里。"),
    # a number cut in two inside prose
    ("该遗址保存完好。其中最著名的是建于1", "5世纪末的一座古塔,塔高30余米。"),
    # the middle dot of a foreign name, with a caption between the halves
    ("出席会议的有常务主席刘奇葆、帕巴拉", "·格列朗杰、董建华、万钢等。"),
    # a dash inside an open quote does not announce a list
    ("天刚蒙蒙亮,正睡得香,“嘭——", "—啪”,不知谁家放了第一个爆竹。"),
])
def test_more_cuts_joined(head, tail, lex):
    texts, _ = repair([head, tail], lex)
    assert texts == [head + tail]


def test_a_short_middle_piece_joins_both_halves(lex):
    # The middle piece alone reads like a headline (short, no punctuation); the word across
    # each cut (强调, 部署) shows it continues the head and is continued by the tail.
    pieces = ["市委常委、宣传部部长王自合主持会议并作工作报告,强", "调要把今年作为全面落实重大决策部",
              "署的关键之年,加强调研,突出重点,扎实做好各项工作。"]
    texts, edits = repair(pieces, lex)
    assert texts == ["".join(pieces)]
    assert [e.kind for e in edits] == ["split_joined", "split_joined"]


def test_a_paragraph_may_end_by_closing_a_quotation(lex):
    # A quotation holding clauses may close a paragraph without a full stop; a quoted term may not.
    quote = "市政协委员王刚说:“新产业增长补不上传统产业掉下来的那块,只有加快再加快,着重抓好核心技术的研发”"
    body = "政协委员们认为,过去的五年,面对困难,全市经济社会发展成绩亮丽。"
    texts, edits = repair([quote, body], lex)
    assert texts == [quote, body] and [e.kind for e in edits] == ["suspect_split"]
    term = "持之以恒抓谋划,着力储备好项目。近年来,我市在项目谋划和建设上持续下功夫,科学确定了“十四五”"
    rest = "时期和今年的重点项目盘子,项目建设成效明显。"
    texts, _ = repair([term, rest], lex)
    assert texts == [term + rest]


def test_a_dash_with_a_stray_hyphen_still_ends_a_lead_in(lex):
    evidence = cut_evidence("铁道部提出强化铁路客货营销,各铁路局将推行计算机联网售票——-", "铁道部自去年初提出强化营销以后,成效明显。",
                            Config(), lex)
    assert evidence.veto == "head ends in a dash (a list follows)"


def test_a_join_whose_seam_recurs_elsewhere_is_looked_at_again():
    """SplitsConfig.cut_window_chars: the seam (window chars on one side, one on the other) is read from
    the joined block at the edit's offset; a block holding it makes the join a focus of the next round."""
    from xcclean.config import SplitsConfig
    from xcclean.model import Block, Edit
    from xcclean.pipeline import _cuts_repeated_elsewhere

    head, tail = "截至目前,开发区有14个项目列", "入省级、市级重点项目名单。"
    join = Edit("split_joined", "repair_splits", 0, (0, 1), tail, len(head))

    def focus(other: str, width: int = 4) -> set[int]:
        doc = (Block(head + tail, (0, 1)), Block(other, (2,)))
        return _cuts_repeated_elsewhere(doc, [join], SplitsConfig(cut_window_chars=width))

    assert focus("有14个项目列入省级") == {0}      # 个项目列 + 入 runs across the cut
    assert focus("有14个项目列") == set()          # the head alone: no seam
    assert focus("目列入") == set()                 # 3 characters: under the 4 + 1 window
    assert focus("目列入", width=2) == {0}          # inside a 2 + 1 window


def test_a_headline_shaped_line_before_a_tail_that_opens_with_a_comma_is_its_head():
    # Found by the property tests: 日前 / ,魏都区召开… stayed apart (日前 read as a headline), so a
    # copy of the whole paragraph's start could not be matched to it. No paragraph opens with a comma.
    lex = Lexicon()
    doc = classified("日前\n\n,魏都区召开安全稳定暨疫情防控工作会议,魏都区委书记李朝锋出席会议并讲话。", Config(), lex)
    assert [b.kind.value for b in doc] == ["body", "body"]
    out, _ = repair_splits(doc, Config().splits, Config().engine, lex)
    assert [b.text for b in out] == ["日前,魏都区召开安全稳定暨疫情防控工作会议,魏都区委书记李朝锋出席会议并讲话。"]
    # A headline before a paragraph that opens as paragraphs do stays a headline.
    doc = classified("魏都区召开安全稳定工作会议\n\n日前,魏都区召开安全稳定暨疫情防控工作会议。", Config(), lex)
    assert doc[0].kind.value == "headline"


def test_a_head_ending_in_a_speck_ended_its_sentence():
    # An undamaged page read by Tesseract (tune half): the full stop read as &; the next paragraph
    # is the next report. No word ends in a speck; a figure's sign (℃) does stand in text.
    lex, c = Lexicon(), Config().splits
    tail = "巴尔德斯转达了菲律宾总统杜特尔特对习近平主席的诚挚问候。"
    assert cut_evidence("两国关系在高水平上运行&", tail, c, lex).veto == "head ends in a speck (a stop misread)"
    assert cut_evidence("两国关系在高水平上运行", tail, c, lex).veto is None
    assert cut_evidence("当天最高气温达到35℃", "左右,市民纷纷前往游泳馆避暑。", c, lex).veto is None


@pytest.mark.parametrize("head, speck", [
    # Damaged tune pages read by Tesseract: the stop read as <, and the next paragraph is another one.
    ("湖南同时进行巡视回头看的省份还有安徽、山东、辽于<", True),
    ("条以生态优先、绿色发展为导向的高质量发展新路了平＜", True),
    # < inside an open 《: the inner title mark the corpus does write (its eight < all stand so)
    ("会议审议通过了《关于修改<", False),
    ("会议审议通过了《关于修改<中华人民共和国文物保护法>的决定》,并修改<", True),
])
def test_a_head_ending_in_an_angle_bracket_outside_a_title_ended_its_sentence(head, speck, lex):
    veto = cut_evidence(head, "这也是十八大以来,首次对已经巡视过的地区进行回访。", Config().splits, lex).veto
    assert (veto == "head ends in a speck (a stop misread)") is speck


def test_a_head_whose_end_is_another_blocks_text_is_not_joined(lex):
    # Tune half, generator seed 0: a paragraph whose tail was spliced from another article's paragraph
    # (…网友留言说:向老一辈革命家致敬!老) ends mid-word; the next paragraph is another report. Its
    # last 16 characters stand in the source paragraph, which goes on otherwise.
    source = "不少群众自发前来瞻仰,网友留言说:向老一辈革命家致敬!老一辈的精神永远激励我们前行。"
    head = "巴基斯坦旁遮普省首府拉合尔27号发生自杀式炸弹袭击,网友留言说:向老一辈革命家致敬!老"
    tail = "事发后,伤者被紧急送往医院救治,拉合尔市政府宣布全市进入紧急状态。"
    texts, edits = repair([source, head, tail], lex)
    assert texts == [source, head, tail]
    assert "a copy's cut, not a split" in edits[-1].evidence["reasons"][0]
    # the other side of the limit: 15 characters in common are not enough (a formula recurs)
    short = source.replace("网友留言说:", "有留言说:")  # 留言说:向老一辈革命家致敬!老: 15 in common
    assert compare_key(head)[-16:] not in compare_key(short) and compare_key(head)[-15:] in compare_key(short)
    texts, _ = repair([short, head, tail], lex)
    assert texts == [short, head + tail]
    # a copy of the whole paragraph that goes on as the tail does is no evidence against the join
    whole = head + tail
    texts, _ = repair([whole, head, tail], lex)
    assert head + tail in texts[1:]


def test_a_point_between_two_digits_is_a_decimal_point(lex):
    # Tune half, generator seed 1: OCR cut a figure at its decimal point (5. / 5亿元). No paragraph of
    # the corpus ends in a digit and a point; Chinese ends its sentences with 。.
    c = Config().splits
    head, tail = "截至目前,安徽共偿还欠款5.", "5亿元。湖南、湖北、江西等各省清欠工作也在稳步推进中。"
    assert cut_evidence(head, tail, c, lex).veto is None
    texts, _ = repair([head, tail], lex)
    assert texts == [head + tail]
    # the other sides: a point before text, or a full stop before a digit, ends the sentence
    assert cut_evidence(head, "湖南、湖北、江西等各省清欠工作也在稳步推进中。", c, lex).veto == "head ends a sentence"
    assert cut_evidence("截至目前,安徽共偿还欠款5。", tail, c, lex).veto == "head ends a sentence"
    assert cut_evidence("截至目前,安徽共偿还欠款.", tail, c, lex).veto == "head ends a sentence"


def test_the_ends_index_answers_as_the_search(monkeypatch, lex):
    # A page asks a few look-ups (a search of its text); past _SCANS it builds one index of every
    # gram. Both give the same first places, in page order, capped at _PLACES.
    stage = importlib.import_module("xcclean.stages.repair_splits")  # the package's name is the function

    texts = ["不少群众自发前来瞻仰,网友留言说:向老一辈革命家致敬!老一辈的精神永远激励我们前行。"] * 6 + [
        "巴基斯坦旁遮普省首府拉合尔27号发生自杀式炸弹袭击,网友留言说:向老一辈革命家致敬!老",
        "网友留言说:向老一辈革命家致敬!", "事发后,伤者被紧急送往医院救治。"]
    blocks = list(classified("\n\n".join(texts), Config(), lex))
    grams = {compare_key(b.text)[i : i + 16] for b in blocks for i in range(len(compare_key(b.text)) - 15)}
    searched = stage._Ends(blocks, Config().splits)
    monkeypatch.setattr(stage, "_SCANS", 0)
    indexed = stage._Ends(blocks, Config().splits)
    for gram in sorted(grams):
        assert searched.places(gram) == indexed.places(gram)
    assert len(searched.places(compare_key(texts[0])[:16])) == stage._PLACES


# Weibo posts (a public COVID-19 corpus): most end without a stop, and the model, taught by news
# where an unfinished end is a cut, joined one post to the next.
POSTS = ["今天去超市买了好多菜,准备在家好好待着,谁也别来找我哈哈哈,等疫情过去了再约饭吧",
         "河南郑州分会场,争气!排场!打call不能停",
         "河南省这次表现第一名,牛批plus 看到老家人民这么硬核,过年回不了家的我,也就放心了。",
         "希望疫情快点过去,想出去玩了,在家都快发霉了真的,每天就是吃了睡睡了吃"]


def test_on_a_page_that_ends_most_paragraphs_without_a_stop_only_rule_evidence_joins(lex):
    texts, edits = repair(POSTS, lex)
    assert texts == POSTS and edits[0].evidence["reasons"] == [UNSTOPPED]
    # The same posts, stopped: an unfinished end is rare there, and the model weighs it.
    stopped = [POSTS[0] + "。", POSTS[1], POSTS[2], POSTS[3] + "。"]
    texts, _ = repair(stopped, lex)
    assert texts == [stopped[0], POSTS[1] + POSTS[2], stopped[3]]


def test_unstopped_page_share_on_both_sides(lex):
    # Two of the three body paragraphs end unfinished (the second post reads as a headline).
    doc = classified("\n\n".join(POSTS), Config(), lex)
    assert sum(b.kind is BlockKind.BODY for b in doc) == 3
    assert unstopped_page(list(doc), Config().replace(unstopped_page_share=0.66).splits)
    assert not unstopped_page(list(doc), Config().replace(unstopped_page_share=0.67).splits)


_GAS = ("在天伦燃气公司指挥中心,何区长听取了企业关于燃气安全运营平台运行情况的汇报,并对平台运行中的远程监测、"
        "泄漏检测、泄漏报警等功能进行详细了解;同时,对燃气安全运营平台建设情况提出意见和建议。")


@pytest.mark.parametrize("copy_chars, joined", [(2 + 16, True), (2 + 15, False)])
def test_a_cut_read_whole_in_another_block_joins(copy_chars, joined, lex):
    # Found by the property tests: a head of two characters (a title, for the model) whose
    # paragraph another block holds read on across the cut (a truncated copy). The head's end run
    # on into copied_end_chars (16) of the tail's start is the passage read without the cut; one
    # character fewer of the tail and it is no such evidence.
    assert Config().splits.copied_end_chars == 16
    config = Config()
    text = "\n\n".join([_GAS[:2], _GAS[2:], _GAS[:copy_chars]])
    out, edits = repair_splits(classified(text, config, lex), config.splits, config.engine, lex)
    joins = [e for e in edits if e.kind == "split_joined"]
    assert bool(joins) is joined
    if joined:
        assert joins[0].evidence["rule"] == "read whole elsewhere"
        # the head read like a title; joined to body text it is body, judged with the others
        assert out[0].kind is BlockKind.BODY and out[0].text == _GAS


def test_a_truncated_copy_across_a_repaired_cut_goes(lex):
    import xcclean
    assert xcclean.clean("\n\n".join([_GAS[:2], _GAS[2:], _GAS[:25]])) == _GAS
