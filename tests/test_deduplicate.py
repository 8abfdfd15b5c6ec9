"""The deduplicate stage and the pairwise alignment behind it, on seed snippets."""

import importlib
import itertools
from dataclasses import replace

import pytest

import xcclean
from xcclean import BlockKind, Config
from xcclean.engine.align import relate
from xcclean.lexicon import Lexicon
from xcclean.model import render
from xcclean.pipeline import classified
from xcclean.stages.deduplicate import deduplicate

C = Config()
E = C.engine

# 000: the paragraph, a copy with stray text glued on, a truncated copy.
LIU = ("刘中锋说,“党的二十大报告中,‘教育、科技、人才’被提到更加重要的位置,给我们教育工作指明了方向、打开了思路。"
       "我们当用最刚性的要求、最用心的设计、最符合规律的实践提升教育的温度。”")
XIN = ("新征程是充满光荣和梦想的远征。刘中锋表示,接下来,魏都区将紧紧围绕“办好人民满意的教育”目标,"
       "始终坚持党对教育工作的全面领导,以“五育”并举为基本策略,在全区教育系统全面开展“五星”支部创建活动,鼓励引导全区中小学校创")
# 004: a lede item echoed in the body with other words (editorial: stays).
ECHO_A = "——通水7年来,该工程已累计为我市供水10.15亿立方米,其中生活供水4.86亿立方米,生态供水5.29亿立方米,受益人口达227万;"
ECHO_B = "通水7年来,已累计为我市供水10.15亿立方米,其中生活供水4.86亿立方米,生态供水5.29亿立方米,受益人口达227万。"


def run(blocks: list[str], lexicon: Lexicon | None = None) -> tuple[list[str], list]:
    doc = classified("\n\n".join(blocks), C, Lexicon())
    out, edits = deduplicate(doc, C.dedup, E, lexicon)
    return [b.text for b in out], edits


def test_relations():
    assert relate(LIU, LIU, E).kind == "exact"
    assert relate(LIU, "取得了令人瞩目的成就。" + LIU, E).kind == "contaminated"
    assert relate(XIN, XIN[15:], E).kind == "suffix"
    assert relate(XIN, XIN[:60], E).kind == "prefix"
    assert relate(XIN, XIN[20:80], E).kind == "inner"
    misread = LIU.replace("指明", "指朋").replace("温度", "温度")
    assert relate(LIU, misread, E).kind == "near_copy"
    assert relate(ECHO_A, ECHO_B, E) is None


def test_paraphrase_with_inserted_word_is_not_a_copy():
    reworded = LIU.replace("给我们教育工作", "给我们全区的教育工作")
    assert relate(LIU, reworded, E) is None


def test_contaminated_copy_goes_and_glued_text_is_logged():
    texts, edits = run([LIU, XIN, "取得了令人瞩目的成就。" + LIU])
    assert texts == [LIU, XIN]
    assert edits[0].kind == "contaminated_copy"
    assert edits[0].evidence["glued_on"] == "取得了令人瞩目的成就。"
    assert edits[0].evidence["matched"] == 0


def test_most_complete_copy_kept_whatever_the_order():
    texts, edits = run([XIN[15:], "本报记者 许廷合", XIN])
    assert texts == ["本报记者 许廷合", XIN]
    assert edits[0].kind == "fragment_suffix"
    assert edits[0].text == XIN[15:]


def test_triplicate_keeps_one():
    para = "何区长强调,要增强企业安全生产意识,将安全生产放在首位,严格履行企业安全生产主体责任。"
    texts, edits = run([para, para, para, "(魏宣)"])
    assert texts == [para, "(魏宣)"]
    assert sorted(e.kind for e in edits) == ["exact_duplicate", "exact_duplicate"]


def test_copy_in_the_wrong_article_goes():
    # 002: a paragraph of the 开发区 article also landed in the 养老护理 article.
    copy = ("围绕产业链部署创新链,围绕创新链布局产业链。为了进一步推进产业基础高级化和产业链现代化,打造优良产业生态,"
            "全区全面推进产业链“链长制”。开发区以开展“2021创新年”行动为载体,推动优势产业全产业链整体跃升。")
    page = [
        "全国养老护理职业技能大赛许昌市选拔赛举行",
        "本报讯(记者 武芳)10月12日,我市举行全国养老护理职业技能大赛许昌市选拔赛暨许昌市养老护理职业技能大赛颁奖典礼。",
        "汤超指出,当前,我国正面临老龄化日益加速的严峻形势,迫切需要建设一支高水平的养老服务人才队伍。",
        copy,
        "(上接第一版)",
        "唯有创新,才有强力引擎。紧扣“四产业一融合”定位,开发区培育战略性新兴产业集群,构建优势产业集群体系。",
        copy,
        "企业新,产业发展格局才能新。智能制造覆盖产业链,电力创新综合制造平台项目帮助产业链斩获专利30余项。",
    ]
    texts, edits = run(page)
    assert texts.index(copy) == 5
    assert edits[0].kind == "exact_duplicate"
    assert edits[0].block == 3
    assert "fits its article" in edits[0].evidence["rule"]


# One article whose paragraphs carry the 五星 branch campaign from one to the next; P5 is copied.
CAMPAIGN = [
    "魏都区推进教育高质量发展",
    "本报讯 10月24日,魏都区召开全区教育工作会议,总结前三季度工作,安排部署下一阶段任务。",
    "会议要求,各学校要抓好秋冬季校园安全,落实晨午检制度,确保师生身体健康。",
    "会上,区教育局负责人通报了学校食堂专项检查情况,并对下一步整改提出要求。",
    "刘中锋表示,魏都区将以“五育”并举为基本策略,推动全区中小学校党建工作提质增效。",
    "据介绍,魏都区已在全区中小学校开展“五星”支部创建活动,推动党建工作与教育教学深度融合。",
    "下一步,魏都区将继续深化“五星”支部创建,让党建工作成为中小学校发展的红色引擎。",
]


@pytest.mark.parametrize("at", [2, 3])
def test_of_exact_copies_in_one_article_the_one_where_the_text_runs_stays(at):
    # A copy put before its source, between paragraphs that continue each other (the meeting, the
    # checks): the paragraph in its place shares its terms with the paragraphs beside it.
    source = CAMPAIGN[5]
    page = [*CAMPAIGN[:at], source, *CAMPAIGN[at:]]
    texts, edits = run(page)
    assert texts == CAMPAIGN
    assert [(e.kind, e.block) for e in edits] == [("exact_duplicate", at)]
    assert edits[0].evidence["rule"].startswith("fits the paragraphs beside it")
    # affinity_ratio is the bucket width: with buckets this wide both places fit alike, the first stays.
    config = Config().replace(affinity_ratio=1000.0)
    out, edits = deduplicate(classified("\n\n".join(page), config, Lexicon()), config.dedup, config.engine)
    assert [b.text for b in out] == [*CAMPAIGN[:at], source, *CAMPAIGN[at:5], CAMPAIGN[6]]
    assert edits[0].evidence["rule"] == "first copy kept"


@pytest.mark.parametrize("at", [1, 4])
def test_copies_that_do_not_stand_apart_between_two_paragraphs_keep_the_first(at):
    # at 1 the copy opens the article (one paragraph beside it); at 4 it shares P4 with its source,
    # one stretch of text that OCR read twice: the paragraphs beside them do not compare.
    source = CAMPAIGN[5]
    page = [*CAMPAIGN[:at], source, *CAMPAIGN[at:]]
    texts, edits = run(page)
    assert texts == [*CAMPAIGN[:at], source, *CAMPAIGN[at:5], CAMPAIGN[6]]
    assert [(e.kind, e.block, e.evidence["rule"]) for e in edits] == [("exact_duplicate", 6, "first copy kept")]


def test_splice_keeps_the_unique_head():
    # 001: a paragraph whose tail was spliced from another paragraph.
    tail = "主动服务辖区重点项目推进和企业运营,全力推动营商环境大优化,以实干、实绩、实效交出贯彻落实党的二十大精神的优异答卷。"
    source = "开发区主要负责人表示,在“拼经济、抓发展”的道路上,开发区将坚持以“店小二”的姿态,主动融入、" + tail
    spliced = "张勇身患慢性肾病,每天腹膜透析,他默默地承受着疾病的困扰,用血性担当诠释杨根思不怕牺牲、迎难而上、" + tail
    texts, edits = run(["优化营商环境", source, "杨根思精神", spliced])
    assert texts[1] == source
    assert texts[3] == "张勇身患慢性肾病,每天腹膜透析,他默默地承受着疾病的困扰,用血性担当诠释杨根思不怕牺牲、迎难而上"
    assert [e.kind for e in edits] == ["splice_trimmed"]


def test_a_tail_written_together_with_its_head_elsewhere_is_no_splice():
    # Tune half, an untouched page: two parallel reports end alike, and a later paragraph restates
    # the first whole (正如前文所说, + it). Its tail is the parallel report's tail too, but the text
    # across its join stands in the paragraph it restates: written together, not spliced.
    tail = "2日下午前往北京天安门广场,向人民英雄纪念碑敬献花圈。"
    egypt, congo = "埃及总统塞西" + tail, "刚果(布)总统萨苏" + tail
    restated = "正如前文所说,埃及总统塞西" + tail
    page = ["塞西访华", egypt, "萨苏访华", congo, "仪式结束后,萨苏一行在北京天安门广场瞻仰了人民英雄纪念碑。", "国事访问", "本报讯 两国元首举行会谈,共同见证合作文件签署。", restated]
    texts, edits = run(page)
    assert texts == page and edits == []
    # Without the paragraph it restates, nothing shows head and tail belong together: trimmed.
    texts, edits = run([p for p in page if p != egypt])
    assert [e.kind for e in edits] == ["splice_trimmed"] and texts[-1] == "正如前文所说,埃及总统塞西"
    # splice_junction_chars on both sides: 6 characters of the head (埃及总统塞西) stand before the
    # tail in the restated paragraph; a 7-character window reaches the comma, found nowhere else.
    for chars, trimmed in ((6, False), (7, True)):
        config = Config().replace(splice_junction_chars=chars)
        doc = classified("\n\n".join(page), config, Lexicon())
        _out, edits = deduplicate(doc, config.dedup, config.engine)
        assert (edits != []) is trimmed


WATER = "54岁的张明辉就是这趟车的供水员。老张说,乘坐这趟列车的旅客买水和饮料的不多,大多数人都会选择喝他烧的水。"


@pytest.mark.parametrize("order", [(0, 1, 2), (1, 0, 2), (1, 2, 0), (2, 1, 0)])
def test_of_three_readings_the_one_nearest_the_others_stays(order):
    # Tune half, generator seed 4: the paragraph and two misread copies. 都他 for 喝他 breaks no word
    # and reads as language; the first copy stayed and the clean paragraph went. OCR misreads each
    # copy on its own: the clean reading is the one nearest both others.
    readings = [WATER, WATER.replace("喝他", "都他"), WATER.replace("列车", "列这").replace("烧的水", "烧水")]
    page = ["春运里的暖心人", *(readings[k] for k in order)]
    texts, edits = run(page, Lexicon())
    assert texts == ["春运里的暖心人", WATER]
    assert any("nearest the other readings" in e.evidence["rule"] for e in edits)
    # Two readings are equally near each other: that rule says nothing. The character n-gram model
    # reads 选择都他 3.0 nats likelier than 选择喝他 (wrongly), under likelier_min_nats: the first stays.
    texts, edits = run(["春运里的暖心人", readings[1], WATER], Lexicon())
    assert texts == ["春运里的暖心人", readings[1]] and edits[0].evidence["rule"] == "first copy kept"
    # Past medoid_max_readings the distances are not summed: the rules after it decide.
    config = Config().replace(medoid_max_readings=2)
    doc = classified("\n\n".join(["春运里的暖心人", readings[1], WATER, readings[2]]), config, Lexicon())
    out, edits = deduplicate(doc, config.dedup, config.engine, Lexicon())
    assert [b.text for b in out] == ["春运里的暖心人", readings[1]]
    assert not any("nearest the other readings" in e.evidence["rule"] for e in edits)


# Tune half, generator seed 5, page 38: the copy before its source read 百花齐放 as 百花齐长, which
# breaks no word (齐长 is none, 长春 is one). The n-gram model reads the source 4.7 nats likelier.
BLOOM = ("对于习主席演讲中提到的“一花独放不是春,百花齐放春满园”,第73届联合国大会主席埃斯皮诺萨表示,"
         "这与联合国所坚持的推动可持续发展、包容性增长的理念不谋而合。")
SHEEP = "2000年,晴隆就开始尝试在石旮旯里种草养羊。政府用项目资金发羊给群众,群众养羊生崽后还羊给政府,这种扶贫方式被称为“晴隆模式”。"


def test_of_two_readings_that_both_make_words_the_much_likelier_one_stays_whichever_comes_first():
    misread = BLOOM.replace("齐放", "齐长")
    for page in (["联合国大会主席", BLOOM, misread], ["联合国大会主席", misread, BLOOM]):
        texts, edits = run(page, Lexicon())
        assert texts == ["联合国大会主席", BLOOM]
        assert edits[0].evidence["rule"] == "the likelier reading (4.7 vs -4.7 nats)"
    # Without a dictionary and its language model (the corpus API's engine alone) position decides.
    texts, edits = run(["联合国大会主席", misread, BLOOM])
    assert texts == ["联合国大会主席", misread] and edits[0].evidence["rule"] == "first copy kept"


@pytest.mark.parametrize(("source", "misread", "margin"), [(BLOOM, BLOOM.replace("齐放", "齐长"), 5.0),
                                                           (SHEEP, SHEEP.replace("种草", "种扶"), 4.0)])
def test_a_reading_likelier_by_less_than_likelier_min_nats_says_nothing(source, misread, margin):
    # The other side of the limit: 4.7 nats under a 5-nat margin, and 种草养羊 / 种扶养羊 (tune seed 0,
    # page 26: 扶养 is a word too) 0.5 nats under the shipped 4: where the model is unsure (right about
    # half the time under 1 nat on the tune half), the first copy stays, as without the rule.
    config = Config().replace(likelier_min_nats=margin)
    for first, second in ((source, misread), (misread, source)):
        doc = classified("\n\n".join(["晴隆模式", first, second]), config, Lexicon())
        out, edits = deduplicate(doc, config.dedup, config.engine, Lexicon())
        assert [b.text for b in out] == ["晴隆模式", first]
        assert edits[0].evidence["rule"] == "first copy kept"


SHANXI = "煤炭大省山西以改革促转型,瞄准高端前沿产业,不断拓展经济发展空间,推动经济高质量发展。"


def test_a_paragraph_restated_with_a_few_words_put_in_is_no_splice():
    # Tune half, page 72 of generator seed 0: an editor's echo opens as the paragraph opens and ends
    # as it ends, with 记者了解到 between. Its tail was trimmed as "spliced" from the other article.
    opening = "煤炭大省山西以改革促转型,"
    echo = opening + "记者了解到" + SHANXI[len(opening) :]
    assert relate(SHANXI, echo, E) is None
    # the other side of contamination_max_chars: a head with more than 12 characters of its own
    own = opening + "记者近日在太原采访时了解到,山西" + SHANXI[len(opening) :]
    assert len(own) - len(SHANXI) > E.contamination_max_chars
    assert relate(SHANXI, own, E).kind == "splice"


@pytest.mark.parametrize("end, other, related", [("。", "！", False), ("。", "？", False), ("!", "！", True)])
def test_a_full_stop_put_for_an_exclamation_is_another_report_not_a_misread(end, other, related):
    # Tune half, generator seed 1: two real reports of one event, one ending 。 and one ！.
    text = "这次中央政治局集体学习在八一建军节前夕举行,习近平代表党中央和中央军委,向全体解放军指战员、武警部队官兵致以节日的祝贺"
    found = relate(text + end, text + other, E, language=Lexicon())
    assert (found is not None) is related


def test_a_repeated_tail_sentence_is_not_a_splice_source():
    # Found by hypothesis: a later article repeats the last sentence of a
    # paragraph (…10月24日,…土方开挖。). A verbatim copy of whole sentences is an OCR
    # copy (clean text never repeats a paragraph's sentences verbatim as a paragraph of
    # their own, outside quotation): the copy goes, in either order, and the paragraph
    # keeps that sentence -- it is never trimmed as a "spliced" tail.
    whole = ("钩机长臂挥舞,车辆来来往往……10月24日,在许昌政通可优数字产业园项目建设现场,一派热火朝天的施工场景,"
             "20多名施工人员和十多辆机械正进行该项目一期厂房的土方开挖。")
    echo = whole[whole.index("…") + 1 :]
    other = "日前,魏都区召开安全稳定暨疫情防控工作会议,魏都区委书记李朝锋出席会议并讲话。"
    for page in ([whole, "一周要闻", echo, other], [echo, "一周要闻", whole, other]):
        texts, edits = run(page)
        assert texts == [whole, "一周要闻", other] or texts == ["一周要闻", whole, other]
        assert [(e.kind, e.text) for e in edits] == [("fragment_suffix", echo)]


def test_non_body_blocks_never_removed():
    blocks = ["本报记者 许廷合", "不仅吃上优质水,而且实现了兴水梦", "本报记者 许廷合",
              "不仅吃上优质水,而且实现了兴水梦。"]
    doc = classified("\n\n".join(blocks), C, Lexicon())
    assert doc[1].kind is BlockKind.HEADLINE
    out, edits = deduplicate(doc, C.dedup, E)
    assert render(out) == render(doc)
    assert edits == []


def test_short_repeated_name_is_not_a_fragment():
    # 002: a split tail repeating a name from the article's lede.
    lede = "记者获悉,我市的孙海洋等11人及许昌市胖东来商贸集团抗洪救灾团体、许昌市魏都区文峰社区免费爱心粥屋上榜。"
    _texts, edits = run([lede, "体、许昌市魏都区文峰社区免费爱心粥屋。"])
    assert edits == []


def test_copy_with_junk_ending_in_a_comma_is_removed_not_joined():
    # A contaminated copy whose junk ends in a comma looks like the head of a
    # cut paragraph; it must be judged as a copy before any join.
    import xcclean

    para = "10月22日,魏都区委区长何长成到天伦燃气公司调研企业安全生产工作,要求压实责任、排查隐患。"
    after = "他强调,要增强企业安全生产意识,确保群众生命财产安全。"
    result = xcclean.clean_and_explain("\n\n".join([para, para + "时起,", after]))
    assert result.text == "\n\n".join([para, after])
    assert [e.kind for e in result.edits] == ["contaminated_copy"]


def test_splice_after_a_finished_sentence_loses_its_tail():
    # OCR glued the cut-off tail of another article's paragraph after a
    # finished sentence; in its source the same span starts mid-word (救助).
    tail = "助等帮扶力度。这让特困户王大妈有了实实在在的获得感。"
    source = "随后,当地优化健康扶贫政策供给,加大对因病致贫群众医疗救助、慈善救" + tail
    own = "蔬菜大棚由镇里整合财政专项扶贫资金建设,然而最初,不少村的理事会对这一计划并不赞成。"
    texts, edits = run(["健康扶贫见实效", source, "大棚里的新希望", own + tail], Lexicon())
    assert texts == ["健康扶贫见实效", source, "大棚里的新希望", own]
    assert [e.kind for e in edits] == ["splice_trimmed"]
    assert "a word runs across the join where the span was written (救助)" in edits[0].evidence["rule"]


SHORT_TAIL = "助等帮扶力度。"  # 7 characters: under min_unique_fragment_chars (8)
AID_SOURCE = "随后,当地优化健康扶贫政策供给,加大对因病致贫群众医疗救助、慈善救助等帮扶力度。"
GREENHOUSE_OWN = "蔬菜大棚由镇里整合财政专项扶贫资金建设,然而最初,不少村的理事会对这一计划并不赞成。"


@pytest.mark.parametrize("tail, trimmed", [
    ("善救助等帮扶力度。", True),  # 9 characters, cut inside 慈善 in the source
    ("救助等帮扶力度。", False),  # 8, cut between 慈善 and 救助: a word boundary
    (SHORT_TAIL, False),  # 7, cut inside 救助 but below min_unique_fragment_chars
])
def test_a_short_tail_glued_after_a_finished_sentence_goes(tail, trimmed):
    # Under splice_min_chars (20) the engine finds no splice: the page rule reads the paragraph's
    # ending after its stop, the verbatim end of another article's paragraph cut inside a word there.
    page = ["健康扶贫见实效", AID_SOURCE, "大棚里的新希望", GREENHOUSE_OWN + tail]
    texts, edits = run(page, Lexicon())
    assert (texts[-1] == GREENHOUSE_OWN) is trimmed
    assert [e.kind for e in edits] == (["splice_trimmed"] if trimmed else [])
    if trimmed:
        assert "starts inside a word" in edits[0].evidence["rule"]


GUESTS = "全国人大常委会副委员长王东明,国务院国务委员王勇,全国政协副主席郑建邦出席会议。"


@pytest.mark.parametrize("tail, trimmed", [
    ("、全国政协副主席郑建邦出席会议。", True),  # starts with 、: no sentence opens so
    ("全国政协副主席郑建邦出席会议。", False),  # opens as a sentence; in the source a mark stands before it
])
def test_a_short_tail_after_a_stop_that_starts_as_no_sentence_starts_goes(tail, trimmed):
    # Tune half, generator seed 1: 、全国… glued after the paragraph's full stop, the verbatim end of
    # a paragraph of another article where it starts at a word boundary (…国务委员王勇 | 、全国…).
    source = GUESTS.replace(",全国", "、全国")
    page = ["会议在京召开", source, "大棚里的新希望", GREENHOUSE_OWN + tail]
    texts, edits = run(page, Lexicon())
    assert (texts[-1] == GREENHOUSE_OWN) is trimmed
    assert [e.kind for e in edits] == (["splice_trimmed"] if trimmed else [])
    if trimmed:
        assert "opens as no sentence opens (starts with punctuation that continues a sentence)" \
            in edits[0].evidence["rule"]


RECEPTION = ("坦桑尼亚多名政要及各界友好人士300多人出席了我驻坦桑尼亚使馆举行的国庆招待会。"
             "与会嘉宾回顾了坦中两国的传统友谊,表示将积极参与“一带一路”建设。")
EXHIBITION = "中国驻墨西哥使馆国庆招待会现场设立的“一带一路”和改革开放40周年专题图片展吸引了众多来宾。"


@pytest.mark.parametrize("end, removed", [(30, True), (31, False)])
def test_a_headline_shaped_piece_read_with_misreads_goes_where_it_cuts_a_word(end, removed):
    # Tune half, generator seed 2: a piece of a paragraph's opening, no stop, so classify takes it
    # for a headline, and a misread (界 -> 介) so it stands verbatim nowhere. It goes where the span it
    # repeats ends inside a word of the paragraph (…坦桑尼亚使|馆); ending between words (…使馆|举行)
    # it may be a title repeating words of its story, and stays.
    piece = RECEPTION[:end].replace("各界", "各介")
    texts, edits = run(["多国举行国庆招待会", piece, EXHIBITION, RECEPTION], Lexicon())
    assert (piece not in texts) is removed
    assert [e.kind for e in edits] == (["fragment_prefix"] if removed else [])


@pytest.mark.parametrize("start, removed", [(1, True), (2, False)])
def test_a_misread_piece_takes_part_from_min_fragment_chars(start, removed):
    # …坦桑|尼亚…人出|席…: both edges cut words. 20 characters (min_fragment_chars) take part; at 19
    # the engine relates no misread piece (a short one must stand verbatim), so it is not looked up.
    piece = RECEPTION[start:21].replace("各界", "各介")
    assert len(piece) == 21 - start
    texts, edits = run(["多国举行国庆招待会", piece, EXHIBITION, RECEPTION], Lexicon())
    assert (piece not in texts) is removed
    assert [e.kind for e in edits] == (["fragment_inner"] if removed else [])


def test_the_body_holders_index_answers_as_the_search(monkeypatch):
    # A page asks a few edge look-ups (a search of its text); past _EDGE_SCANS it builds one index of
    # every body paragraph's grams. Both give the same first body paragraphs, in page order, capped.
    stage = importlib.import_module("xcclean.stages.deduplicate")  # the package's name is the function
    piece = RECEPTION[:30]
    page = stage._Page(classified("\n\n".join(["多国举行国庆招待会", piece, RECEPTION, EXHIBITION, piece,
                                                 RECEPTION, RECEPTION, RECEPTION]), C, Lexicon()))
    grams = {key[i : i + 8] for key in page.keys for i in range(len(key) - 7)}
    searched = stage._BodyHolders(page, 8)
    monkeypatch.setattr(stage, "_EDGE_SCANS", 0)
    indexed = stage._BodyHolders(page, 8)
    for gram in sorted(grams):
        assert searched(gram) == indexed(gram)
    assert searched(piece[:8]) == [2, 5, 6]  # the headline-shaped copies of the piece are no body


def test_a_title_whose_edge_the_alignment_reads_as_misreads_stays():
    # Tune half, an untouched page: the title repeats its lede but for the lede's dates and places;
    # aligned as a piece, its 李克强 counts as misreads of 博鳌分别, and the span starts inside 博鳌.
    # Where the line's first characters are not the span's, that edge shows nothing.
    title = "李克强会见来华出席澜沧江-湄公河合作首次领导人会议和博鳌亚洲论坛2016年年会的各国领导人"
    lede = ("国务院总理李克强23日、24日在海南省三亚、博鳌分别会见来华出席澜沧江-湄公河合作首次领导人会议和"
            "博鳌亚洲论坛2016年年会的各国领导人。")
    texts, edits = run([EXHIBITION, title, lede, RECEPTION], Lexicon())
    assert title in texts and edits == []


def test_a_closing_sentence_that_ends_as_another_paragraph_ends_stays():
    # The same ending after a stop, but in the other paragraph it starts at a word (本次 | 活动…),
    # not inside one: a writer's short closing sentence, not a crop.
    ending = "活动取得了圆满成功。"
    page = ["文化节开幕", "本届文化节吸引了众多市民参与,本次" + ending, "志愿服务进社区",
            "志愿者们为居民提供了义诊、理发等服务。" + ending]
    texts, edits = run(page, Lexicon())
    assert texts == page and edits == []
    # The dictionary lists 双边合作 whole, but the cut falls between its two words: no crop.
    signed = "会谈后,两国元首还共同见证了双边合作文件的签署。"
    page = ["两国元首会谈", signed, "访问圆满结束", "双方一致认为此访取得圆满成功。合作文件的签署。"]
    assert run(page, Lexicon())[1] == []
    # Within one article, or found a third time on the page, a crop's ending proves nothing either.
    crop = "善救助等帮扶力度。"
    pair = ["健康扶贫见实效", AID_SOURCE, "大棚里的新希望", GREENHOUSE_OWN + crop]
    assert [e.kind for e in run(pair, Lexicon())[1]] == ["splice_trimmed"]
    assert run([pair[0], pair[1], pair[3]], Lexicon())[1] == []
    assert run([*pair, "又讯", "据悉,慈" + crop], Lexicon())[1] == []


def test_tail_of_a_cut_paragraph_is_not_a_fragment_of_an_echo():
    # The lede echoes a paragraph in other words (上午 inserted); the paragraph
    # itself is cut in two. Its tail is verbatim in the echo, but its head
    # runs up to it as the echo does: the halves are rejoined, nothing removed.
    import xcclean

    head = "今天,又有十位市政协委员走上“委员通道”接受集体采访,委员们和大家一起分享了本市重"
    tail = "大项目建设的最新进展,积极为经济社会发展建言献策。"
    echo = "今天上午,又有十位市政协委员走上“委员通道”接受集体采访,委员们和大家一起分享了本市重大项目建设的最新进展," \
           "积极为经济社会发展建言献策。"
    other = "市政协主席在会上强调,要围绕中心、服务大局,把协商民主贯穿履行职能全过程。"
    result = xcclean.clean_and_explain("\n\n".join([echo, other, head, tail]))
    assert result.text == "\n\n".join([echo, other, head + tail])
    assert [e.kind for e in result.edits] == ["split_joined"]


def test_a_copy_with_one_glyph_dropped_is_a_near_copy_and_the_whole_reading_stays():
    # OCR drops a glyph now and then; an editor restating a paragraph changes words. The copy
    # that lacks 讲 breaks the word 讲话 and goes, whichever comes first.
    whole = "市长出席会议并讲话,要求全力以赴加快项目建设进度,确保全年目标任务圆满完成。"
    dropped = whole.replace("讲话", "话")
    for page in ([whole, dropped], [dropped, whole]):
        texts, edits = run(page, Lexicon())
        assert texts == [whole]
        assert [(e.kind, e.text) for e in edits] == [("near_duplicate", dropped)]


SOURCE = "市长出席会议并讲话,要求全力以赴加快项目建设进度,确保全年目标任务圆满完成,为全市经济发展作出更大贡献。"
DECREE_A = "第二十四号主席令公布的劳动法自明年一月一日起施行,各地各部门要认真做好宣传贯彻工作,确保法律正确实施。"
DECREE_B = "第二十三号主席令公布的电力法自明年一月一日起施行,各地各部门要认真做好宣传贯彻工作,确保法律正确实施。"


def test_two_misread_characters_that_break_words_make_a_near_copy():
    misread = SOURCE.replace("以赴", "巳赵")  # two neighbouring glyphs misread: no word left there
    language = Lexicon()
    assert relate(SOURCE, misread, E) is None  # without a dictionary: one glyph at a time
    assert relate(SOURCE, misread, E, language=language).kind == "near_copy"
    doc = classified("\n\n".join([SOURCE, misread]), C, Lexicon())
    out, edits = deduplicate(doc, C.dedup, E, Lexicon())
    assert [b.text for b in out] == [SOURCE] and edits[0].kind == "near_duplicate"


def test_a_word_put_for_another_word_is_rewording():
    # Parallel decrees: 四 -> 三 is one glyph, but 劳动 -> 电力 is a word for a word.
    language = Lexicon()
    assert relate(DECREE_A, DECREE_B, E, language=language) is None
    doc = classified("\n\n".join([DECREE_A, DECREE_B]), C, Lexicon())
    out, edits = deduplicate(doc, C.dedup, E, Lexicon())
    assert len(out) == 2 and edits == []


SCHOOLS = "记者从市教育局获悉,今年我市共有3所大学新增硕士学位授权点,全市高等教育办学水平持续提升。"
PROJECTS = "许昌市委书记在会上强调,要以更大力度推进项目建设,确保全年目标任务圆满完成。"


def test_a_misread_that_lands_on_a_whole_word_is_a_misread_where_the_language_model_finds_it_garbled():
    # 大学 read as 犬此 (a stroke more, a stroke less): the dictionary alone calls it a word put for
    # a word (大学 is one word by itself), but no editor writes 所犬此新增.
    language = Lexicon()
    misread = SCHOOLS.replace("大学", "犬此")
    assert relate(SCHOOLS, misread, E, language=language).kind == "near_copy"
    # both sides of garbled_min_drop: this run is about 7.1 nats a character less likely
    assert relate(SCHOOLS, misread, replace(E, garbled_min_drop=6.9), language=language).kind == "near_copy"
    assert relate(SCHOOLS, misread, replace(E, garbled_min_drop=7.3), language=language) is None
    # three neighbouring glyphs (项目建 read as 顶日健): a misread up to max_garbled_run, not past it
    three = PROJECTS.replace("项目建", "顶日健")
    assert relate(PROJECTS, three, E, language=language).kind == "near_copy"
    assert relate(PROJECTS, three, replace(E, max_garbled_run=2), language=language) is None


@pytest.mark.parametrize("text, old, new", [
    # a word for a word: both sides whole words, nothing broken
    ("国家主席习近平出席开幕式并发表主旨演讲,强调要推动构建人类命运共同体。", "出席", "参加"),
    # a name for a name: rare strings on both sides, about as likely
    ("全国人大常委会副委员长张庆黎出席座谈会并讲话,要求做好新时代民族团结工作。", "张庆黎", "王家瑞"),
    ("俄罗斯总统普京2日下午前往北京天安门广场,向人民英雄纪念碑献花圈。", "普京", "邦戈"),
])
def test_a_word_or_a_name_put_for_another_stays_rewording_with_the_language_model(text, old, new):
    assert relate(text, text.replace(old, new), E, language=Lexicon()) is None


ALARM = ("安装防盗设备费用要看档次,少则几百美元,多则几千美元,每月服务费一般20—30美元。公司通过电子仪器对这家住户"
         "进行日夜监视,一旦有梁上君子进入或发生失火,公司便会马上通知就近的警察局或消防队前来处置。")


def test_of_two_near_copies_the_one_the_language_model_finds_garbled_goes_whichever_comes_first():
    # Tune half, page 26 of generator seed 1: 公司 read as 通司. Both readings make dictionary words,
    # so the dictionary saw no broken word and the first copy (the misread) was kept.
    misread = ALARM.replace("公司便会", "通司便会")
    for page in ([misread, ALARM], [ALARM, misread]):
        texts, edits = run(page, Lexicon())
        assert texts == [ALARM]
        assert [(e.kind, e.text, e.evidence["rule"]) for e in edits] == [
            ("near_duplicate", misread, "fewer characters garbled by misreads (0 vs 1)")]


VETO = "项目公示后,来自市民和部分专家的反对声、质疑声,让这一项目暂缓了下来。在习近平总书记两次视察北京并发表重要讲话后,减量发展的理念成为首都的共识。"
VETO_MISREAD = [
    "项目公示后,来自市讲和部分专家的反对声、质疑声,让自一项目暂缓了下来。在习讲平总书记两次视次北京并发表重要讲话后,减量发展疑理念成为首都的共识。",
    "项目公示后,来自市民和部分话家的反对声、质疑声,让这一顶目暂缓了下来。在习近平总书记两次视察北京要发表重要讲话后,减量发展的理念成为首”都的共识。",
]


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_the_clean_reading_is_kept_however_many_misread_copies_it_is_compared_with(order):
    # Tune half, page 14 of generator seed 0: the clean paragraph is related to both misread copies,
    # each of them only to it. 要 / 并 (two one-glyph words) broke "words" on both sides and was
    # charged to the clean reading once per copy, so a misread copy was kept. A difference broken on
    # both sides shows nothing.
    blocks = [[*VETO_MISREAD, VETO][k] for k in order]
    texts, edits = run(blocks, Lexicon())
    assert texts == [VETO]
    assert sorted(e.text for e in edits) == sorted(VETO_MISREAD)


# Tune half, page 14 of generator seed 0: one glyph misread into another word (大通 for 大力).
PARK = ("老百姓拥护的,就是政府要努力做到的。今年以来,在疏解整治提升的基础上,北京市加大留白增绿力度,"
        "在城市核心区和中心城区建设了景泰桥东南、大通滨河公园二期等20多处森林公园、50处口袋公园和小微绿地等上万亩公园绿地。")


def test_one_glyph_read_as_another_word_is_a_misread_in_a_long_paragraph_not_in_a_short_line():
    language = Lexicon()
    misread = PARK.replace("大通", "大力")  # both sides whole words: shows nothing either way
    assert len(PARK) >= E.min_unevidenced_chars
    assert relate(PARK, misread, E, language=language).kind == "near_copy"
    # Under min_unevidenced_chars the same kind of difference is a line written twice on purpose.
    line, other = "军乐团奏朝中两国国歌,检阅三军仪仗队。", "军乐团奏老中两国国歌,检阅三军仪仗队。"
    assert len(line) < E.min_unevidenced_chars
    assert relate(line, other, E, language=language) is None
    # Two characters, a word for a word, stay rewording however long the paragraph.
    assert relate(PARK, PARK.replace("森林", "湿地"), E, language=language) is None


def test_a_spill_is_judged_with_the_page_even_when_split_repair_looked_at_the_pair_first():
    # Tune half, page 10 of generator seed 1: a copy took in the next paragraph's first line, and that
    # next paragraph was cut in two. The first split-repair pass aligns the pair without the page; its
    # verdict (the clean paragraph a "prefix" of the copy) must not stand in for deduplication's.
    source = "中国人民银行行长易纲今天在接受央视记者采访时表示,人民银行将从信贷、发债、股权融资三方面精准发力,缓解民营企业融资难。"
    nxt = "易纲表示,落实好总书记在民营企业座谈会上提出的六个方面要求,是当前人民银行的工作重点,也是金融支持实体经济的具体体现。"
    cut = nxt.index("重点") + 1
    page = "\n\n".join([source, source + nxt[:26], nxt[:cut], nxt[cut:]])
    result = xcclean.clean_and_explain(page)
    assert result.text == source + "\n\n" + nxt
    removed = [e for e in result.edits if e.kind == "contaminated_copy"]
    assert len(removed) == 1 and removed[0].text == source + nxt[:26]


def test_the_other_piece_of_a_split_copy_is_no_spill_source():
    # Tune half, page 47 of generator seed 0: a copy cut in two stands before the complete paragraph.
    # The complete one holds the head piece plus the tail piece's text; the tail piece is that text and
    # nothing more, so the complete paragraph is no contaminated copy of the head.
    whole = "从今年7月份开始,河南打响大气污染防治攻坚战,用严厉的执法、严格的问责,让环保的“红线”长留心中。"
    cut = whole.index("厉的")
    page = "\n\n".join(["河南:向大气污染宣战", whole[:cut], whole[cut:], whole])
    result = xcclean.clean_and_explain(page)
    assert result.text == "河南:向大气污染宣战\n\n" + whole
    assert not [e for e in result.edits if e.kind == "contaminated_copy"]
    assert relate(whole[:cut], whole, E, elsewhere=lambda text, exclude: [whole[cut:]]).kind == "prefix"
    # A block that goes on past the glued text is a spill source: the longer one goes ...
    line = "厉的执法、严格的问责,"  # a line's worth, cut where the line ends
    spilled = relate(whole[:cut], whole[:cut] + line, E, elsewhere=lambda text, exclude: [whole[cut:] + "河南还将继续加大执法力度。"])
    assert spilled.kind == "contaminated" and spilled.dup == 1
    # ... unless the glue finishes the sentence the shorter copy left unfinished: that is the longer's
    # own last line, and the block that opens with it and goes on took it as a spill.
    finished = relate(whole[:cut], whole, E, elsewhere=lambda text, exclude: [whole[cut:] + "河南还将继续加大执法力度。"])
    assert (finished.kind, finished.dup, finished.rule) == ("prefix", 0, "cut mid-sentence: a truncated copy")


NPC = ("中共全国人大常委会党组3日举行会议,认真学习领会习近平总书记在中央全面依法治国委员会第二次会议上的重要讲话精神,"
       "结合人大工作实际,研究部署贯彻落实工作。")
BYLINE = "本报记者 冯子建"
MEETING = "丁薛祥、杨洁篪、王毅、何立峰等参加会见。"
LEDE = "国家主席习近平今天在人民大会堂会见来访的外宾,双方就共同关心的问题交换了意见。"
CLINIC = "江西高安华阳村的乡村诊所,每天都有10来个附近的村民,来做中医理疗。"
CHOICE = "现在,村民身体不舒服时,有了新选择。当地口服抗生素、输液的总量也有所下降。"
# Blocks that took in text standing whole elsewhere on the page: (a block that stays, the merged
# block, a block that stays). Each had left the complete paragraph removed as a "cut" fragment.
TOOK_IN = {
    # Tune half, page 14 of generator seed 1: OCR read the byline and the paragraph under it as one
    # block. The byline is a line of its own kind, never a piece of a paragraph, so the block that is
    # it and nothing more is where the glued text came from, not the other piece of a cut copy.
    "byline glued whole": (BYLINE, BYLINE + NPC, NPC),
    # Tune half, page 94 of generator seed 0: a paragraph read twice into one block; the glued text
    # is the whole of the clean copy.
    "paragraph read twice": (LEDE, MEETING + MEETING, MEETING),
    # Tune half, page 59 of generator seed 2: a paragraph and (a misread copy of) the next one read
    # as one block. The join follows a finished sentence, where the pieces of a copy cut in two would
    # meet mid-sentence; the clean paragraphs had gone and the block's misreads stayed.
    "two paragraphs in one block": (CLINIC, CLINIC + CHOICE.replace("村民身体", "村现身体").replace("新选择", "新的择"),
                                    CHOICE),
}


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
@pytest.mark.parametrize("case", list(TOOK_IN))
def test_a_block_that_took_in_text_standing_whole_elsewhere_is_the_contaminated_copy(case, order):
    first, merged, last = TOOK_IN[case]
    blocks = [[first, merged, last][k] for k in order]
    texts, edits = run(blocks, Lexicon())
    assert sorted(texts) == sorted([first, last])
    assert [(e.kind, e.text) for e in edits] == [("contaminated_copy", merged)]


# Tune half, page 25 of generator seed 0: a paragraph of the second article copied into the first
# (block 3). Every other paragraph of the second article repeats something, so both copies fit their
# article poorly and in the same bucket; position says nothing across articles.
TWO_ARTICLES = [
    '利率是资金的“价格”',
    ('早在西周时代,放贷取息已经十分普遍。放贷人,即资金的所有者出让资金的使用权后,无论自己多么需要资金,'
     '也不能在到期前收回贷出的资金,为了弥补这种损失,放贷人要从借款人那里得到一定报酬,这就是利息。'),
    ('利率是一定时期内利息额与借贷资金的比率,通常分为年利率、月利率和日利率,分别用百分之几(%)、千分之'
     '几(‰)、万分之几()来表示。年利率、月利率、日利率三者之间存在换算关系,年利率除以12为月利率,月'
     '利率除以30为日利率。'),
    ('根哥布表示,纳中长期以来团结合作,两国关系提升为全面战略合作伙伴关系给双方带来重要利益。纳米比亚坚定'
     '奉行一个中国政策,积极评价共建“一带一路”倡议,认为这一倡议有利于亚洲、非洲和欧洲等地区的互联互通,'
     '有利于推动非洲的工业化。感谢中方帮助纳方实施野生动物保护项目。中非合作论坛是加强非中合作、带动非洲发'
     '展的重要机制,纳米比亚致力于深化非中互利合作,期待论坛北京峰会圆满成功。'),
    ('根据资金借贷关系中诸如借贷双方的性质、借贷期限的长短等内容,可将利率划分为不同的种类,从而构成了一个'
     '密切联系的利率体系。'),
    '习近平会见纳米比亚总统',
    '会见后,两国元首共同见证了双边合作文件的签署。',
    '本报记者 张辉',
    ('习近平强调,今年3月总统先生访华,我们共同宣布将中纳关将提升为互面战略合作伙伴关系,并对两国会作作出'
     '全面规划。我很高兴双方达成的各项共识都在战序益伙。中方愿同纳方继续保持高层的往势头,在涉及彼此核解高'
     '益和重大关切问题上相互理解、相互支持。双方要加理发展战略持识,深化互利共赢合作,加强人文交流。在共建'
     '“一带一路”和出非合作'),
    '国家主席习近平2日在人民大会堂会见纳米比亚总统根哥布。',
    ('习近平强调,今年3月总统先生访华,我们共同宣布将中纳关系提升为全面战略合作伙伴关系,并对两国合作作出'
     '全面规划。我很高兴双方达成的各项共识都在有序落实。中方愿同纳方继续保持高层交往势头,在涉及彼此核心利'
     '益和重大关切问题上相互理解、相互支持。双方要加强发展战略对接,深化互利共赢合作,加强人文交流。在共建'
     '“一带一路”和中非合作论坛框架内,推进基础设施建设和产能领域合作。中方支持纳方实现国家进一步发展的努'
     '力,愿同纳方加强在国际和地区事务中的沟通协调。'),
    ('根哥布表示,纳中长期以来团结合作,两国关系提升为全面战略合作伙伴关系给双方带来重要利益。纳米比亚坚定'
     '奉行一个中国政策,积极评价共建“一带一路”倡议,认为这一倡议有利于亚洲、非洲和欧洲等地区的互联互通,'
     '有利于推动非洲的工业化。感谢中方帮助纳方实施野生动物保护项目。中非合作论坛是加强非中合作、带动非洲发'
     '展的重要机制,纳米比亚致力于深化非中互利合作,期待论坛北京峰会圆满成功。'),
    '会见后,两国元首共同见证了双边合作文件的签署。',
]


def test_of_exact_copies_in_two_articles_the_one_that_fits_its_article_better_stays_however_little():
    kept, copy = TWO_ARTICLES[11], TWO_ARTICLES[3]
    assert kept == copy
    result = xcclean.clean_and_explain("\n\n".join(TWO_ARTICLES))
    removed = [e for e in result.edits if e.kind == "exact_duplicate" and e.text == copy]
    assert [e.ids for e in removed] == [(3,)]
    assert removed[0].evidence["rule"] == "fits its article a little better 0.033 vs 0.026"


def test_a_copy_cut_inside_a_word_is_the_fragment_even_where_the_rest_recurs():
    # Tune half, generator seed 1: a prefix copy (…举行仪式,欢) stood after its paragraph, and another
    # copy of the paragraph elsewhere held the rest (…目前欢迎科特迪瓦…). The complete paragraph went as
    # "contaminated" and the fragment stayed. 欢|迎 is one word: OCR cut the copy; a spill joins at an edge.
    whole = "从今年7月份开始,河南打响大气污染防治攻坚战,用严厉的执法、严格的问责,让环保的“红线”长留心中。"
    language = Lexicon()
    source = [whole[whole.index("厉的") :] + "河南还将继续加大执法力度。"]
    inside = relate(whole[: whole.index("厉的")], whole, E, language=language, elsewhere=lambda text, exclude: source)
    assert (inside.kind, inside.dup, inside.rule) == ("prefix", 0, "cut inside a word: a truncated copy")
    # the other side: cut between words (…攻坚战, | 用严厉…), the spill rule decides as before
    head, line = whole[: whole.index("用严厉")], "用严厉的执法、严格的问责,"
    source = [whole[whole.index("用严厉") :] + "河南还将继续加大执法力度。"]
    between = relate(head, head + line, E, language=language, elsewhere=lambda text, exclude: source)
    assert (between.kind, between.dup) == ("contaminated", 1)
    # glue in front: a paragraph's start carries no mark, so a word across it proves nothing (here
    # 建国 is not even one in context, 建 / 国务院): the glued clause is the spill, the paragraph stays
    para = "国务院总理李克强7日下午在人民大会堂会见来华出席圆桌峰会的近20家世界500强企业负责人,并同他们座谈交流。"
    glue = "尼方愿同中方加强高层互访,扩大经贸合作,深化人文交流,推进雅万高铁建"
    spill = relate(para, glue + para, E, language=language, elsewhere=lambda text, exclude: [glue + "设。"])
    assert (spill.kind, spill.dup) == ("contaminated", 1)


# Found by the property tests (random examples): both lost a paragraph's opening.
WEIDU = "日前,魏都区召开安全稳定暨疫情防控工作会议,魏都区委书记李朝锋出席会议并讲话,魏都区委副书记、区长何长成主持会议。"
CAIGOU = ("政府采购政策贯彻到位,营造优良营商环境。该局严格落实省财政厅《关于优化政府采购营商环境有关问题的通知》要求,"
          "全面实施金融机构、担保机构出具的保函代替保证金制度,并积极组织全区预算单位开展专题培训。")


def test_overlapping_pieces_of_a_copy_are_no_spill_source():
    # The cut-off start (…魏都区) and end (区委书记…) of copies overlap by one character: the end piece
    # leads into the glued text with the paragraph's own 区, so it is a piece of a copy, not a spill.
    head, tail = WEIDU[: WEIDU.index("委书记")], WEIDU[WEIDU.index("区委书记") :]
    result = xcclean.clean_and_explain("\n\n".join([WEIDU, head, WEIDU, WEIDU, tail]))
    assert result.text == WEIDU
    assert {e.kind for e in result.changes()} == {"exact_duplicate", "fragment_prefix", "fragment_suffix"}


def test_a_phrase_recurring_inside_the_copy_itself_is_not_where_a_glue_came_from():
    # 政府采购 opens the paragraph and recurs in its 《…》 title: the cut-off copy holds it too.
    result = xcclean.clean_and_explain("\n\n".join([CAIGOU, CAIGOU[4:]]))
    assert result.text == CAIGOU and result.changes()[0].kind == "fragment_suffix"


# A paragraph of the tune half and a piece of it OCR cut off before its final stop (mid-word: 联|合).
HK = "香港旅游业议会日前联合多个香港旅游界团体发表声明,强烈谴责近日发生在香港国际机场的袭击内地记者与旅客的极端暴力事件。"
HK_PIECE = "香港旅游业议会日前联"


def test_a_headline_shaped_piece_cut_inside_a_word_is_a_fragment():
    doc = classified("\n\n".join([HK_PIECE, HK]), C, Lexicon())
    assert doc[0].kind is BlockKind.HEADLINE  # no stop: it looks like a title
    texts, edits = run([HK_PIECE, HK], Lexicon())
    assert texts == [HK]
    assert [e.kind for e in edits] == ["fragment_prefix"]


# Tune half, generator seed 0: pieces cut between words, at a comma or after a word that cannot end
# a clause. No title of the tune half ends in either.
ELECTION = "由于局势混乱复杂,议会选举并不能在叙利亚全境展开。今年3月宣布的选举结果显示,多个地区的居民无法正常参加投票。"
FUNDS = "这笔资金将专项用于对贫困村基础设施的改造,重点解决群众出行难和饮水难的问题。"


@pytest.mark.parametrize("piece, whole, shorter", [
    ("由于局势混乱复杂,", ELECTION, "由于局势混乱复杂"),  # ends on a comma
    ("这笔资金将专项用于对", FUNDS, "这笔资金将专项用于对贫困村"),  # ends on 对, a preposition
])
def test_a_headline_shaped_piece_that_stops_where_no_title_stops_is_a_fragment(piece, whole, shorter):
    assert classified(piece, C, Lexicon())[0].kind is BlockKind.HEADLINE
    for page in ([piece, whole], [whole, piece]):
        texts, edits = run(page, Lexicon())
        assert texts == [whole]
        assert [e.kind for e in edits] == ["fragment_prefix"]
    # the other side: a piece as long, cut between words after one a title may end on, stays
    assert len(shorter) >= E.min_unique_fragment_chars
    texts, _ = run([shorter, whole], Lexicon())
    assert shorter in texts


def test_a_title_repeating_a_clause_of_its_lede_stays():
    # A title is a phrase: where it stands in the lede its edges fall between words.
    title = "韩正在陕西调研"
    lede = "4月14日至16日,中共中央政治局常委、国务院副总理韩正在陕西调研。他强调,陕西要按照要求,认真做好工作。"
    texts, edits = run([title, lede], Lexicon())
    assert texts == [title, lede] and edits == []


def test_a_cut_piece_shorter_than_the_unique_fragment_limit_stays():
    n = len(HK_PIECE)
    for limit, removed in ((n, True), (n + 1, False)):
        config = Config(engine=replace(E, min_unique_fragment_chars=limit))
        doc = classified("\n\n".join([HK_PIECE, HK]), config, Lexicon())
        out, _ = deduplicate(doc, config.dedup, config.engine, Lexicon())
        assert (len(out) == 1) is removed, limit


def test_a_cut_piece_whose_text_stands_in_two_paragraphs_stays():
    other = "据报道," + HK_PIECE + "合香港各界发表声明。"
    texts, edits = run([HK_PIECE, HK, other], Lexicon())
    assert HK_PIECE in texts and not any(e.kind.startswith("fragment") for e in edits)


# Tune half, generator seed 0, page 19: a copy of a paragraph's opening, cut mid-clause (等|领导), stood
# right after the paragraph; with no stop it reads as a headline, and no word runs across its cut.
DENG = "国家体委主任伍绍祖、中共上海市委副书记龚学平等领导和群众一起参加了登高活动,并为比赛举枪发令。"
DENG_PIECE = DENG[: DENG.index("领导")]
NEXT = "长城脚下,同去年大雪纷飞的元旦不同,今年的天气格外晴好。"
# Seed page 002: a column label after a paragraph that holds the phrase mid-sentence.
LABEL = "践行社会主义核心价值观"
LABELLED = "全年共举办报告会300余场次,受教育青少年50余万人次,为青少年践行社会主义核心价值观起到了积极的推动作用。"
YU = "俞正声强调,和平需要国际社会共同努力,需要各方坚持对话协商,共同维护地区和平稳定。"
YU_PIECE = YU[: YU.index("各方")]
SUBHEAD = "意气用事,从执法到犯法"
TITLE = "商务部新闻发言人应询介绍缓解中美贸易摩擦影响有关政策考虑"  # tune half: its lede opens with it
TEASER = DENG_PIECE + ",【创新发展 笃定前行】积极作为 赢得市场,李克强分别会见出席第八次中国——中东欧国家领导人会晤的八国总理"
# Found by the thorough hypothesis profile: a copy of a paragraph's first clause, cut at its comma,
# after the paragraph at the end of the page, kept as a title.
ANTHEM = "肃立、整理着装、佩戴红领巾……随着庄严的国歌声响起,隔着屏幕,一个个着装整齐的学子,向着冉冉升起的五星红旗敬礼,神情庄严肃穆。"
ANTHEM_PIECE = ANTHEM[: ANTHEM.index(",")]


@pytest.mark.parametrize("blocks, removed", [
    ([DENG, DENG_PIECE, NEXT], True),  # after the paragraph it stands in, cut mid-clause: a piece
    ([DENG_PIECE, DENG, NEXT], False),  # before it: a title the lede opens with, as titles are
    ([DENG, "另一篇报道的标题", DENG_PIECE, NEXT], False),  # a headline between: another article's
    ([TEASER, "本报记者 李新", DENG_PIECE, NEXT], False),  # a teaser line of titles cites it, a comma after
    ([NEXT, ANTHEM, ANTHEM_PIECE], True),  # after a prose paragraph, cut at its first comma: a piece
    ([LABELLED, LABEL, NEXT], False),  # a set phrase inside the paragraph above: the next article's label
    ([YU_PIECE, YU, NEXT], True),  # right before it, a comma inside: prose, no title
    ([YU_PIECE, NEXT, YU], False),  # not right before it
    ([SUBHEAD, SUBHEAD + ",是这家企业的真实写照。", NEXT], False),  # a subhead the paragraph opens with, then a mark
    ([TITLE, TITLE + "时,有记者问,中方如何应对。", NEXT], False),  # a title the lede goes on from: no comma inside
])
def test_a_headline_shaped_line_repeating_a_paragraph_opening_where_no_title_stands(blocks, removed):
    assert classified(TEASER, C, Lexicon())[0].kind is BlockKind.BODY  # long, with commas
    piece = next(b for b in blocks if b in (DENG_PIECE, LABEL, YU_PIECE, SUBHEAD, TITLE, ANTHEM_PIECE))
    texts, edits = run(blocks, Lexicon())
    assert (piece not in texts) is removed
    assert [e.kind for e in edits] == (["fragment_prefix"] if removed else [])


# Found by the thorough hypothesis profile: the same piece (cut after 响起, no comma) after two exact
# copies of its paragraph was held by "two paragraphs", as a formula is, and stayed a title.
ANTHEM_OPENING = ANTHEM[: ANTHEM.index("响起") + 2]


@pytest.mark.parametrize("blocks, removed", [
    ([NEXT, ANTHEM, ANTHEM, ANTHEM_OPENING], True),  # two exact copies are one paragraph
    ([ANTHEM, "一周要闻", ANTHEM, ANTHEM_OPENING], True),  # after the copy in its own article
    ([NEXT, ANTHEM, ANTHEM_OPENING], True),
    ([ANTHEM_OPENING, ANTHEM, ANTHEM], False),  # before it: a title the lede opens with
    ([ANTHEM, ANTHEM_OPENING + "后,全体师生齐唱国歌。", ANTHEM_OPENING], False),  # two paragraphs hold it: a formula
])
def test_a_piece_of_a_paragraph_repeated_whole_is_still_a_piece(blocks, removed):
    texts, edits = run(blocks, Lexicon())
    assert (ANTHEM_OPENING not in texts) is removed
    assert ("fragment_prefix" in [e.kind for e in edits]) is removed


def test_a_line_that_becomes_a_piece_when_the_block_after_it_goes_is_judged_in_the_same_clean():
    # Found by the thorough hypothesis profile: 日前,魏都区召开 (a comma inside, no stop: headline-
    # shaped) / its tail / the whole paragraph. The tail went in the first round; only then did the
    # head stand right before the paragraph it opens, and it went only on a second clean.
    head, tail = WEIDU[:8], WEIDU[8:]
    result = xcclean.clean_and_explain("\n\n".join([head, tail, WEIDU]))
    assert result.text == WEIDU and xcclean.clean(result.text) == result.text
    assert sorted(e.kind for e in result.changes()) == ["fragment_prefix", "fragment_suffix"]


def test_a_name_put_for_a_name_is_another_report():
    # Two real paragraphs of the corpus (tune half): a name the dictionary lacks (韩正) looks like a
    # word broken by misreads, but the run it replaces is a whole word (汪洋): another report.
    a = "中共中央政治局常委、国务院副总理汪洋出席座谈会。"
    b = "中共中央政治局常委、国务院副总理韩正出席座谈会。"
    language = Lexicon()
    assert relate(a, b, E, language=language) is None
    # the same two glyphs misread inside a longer word stay a misread (全力以赴 / 全力巳赵)
    assert relate(SOURCE, SOURCE.replace("以赴", "巳赵"), E, language=language).kind == "near_copy"


def test_a_copy_cut_mid_sentence_keeps_the_paragraph_whose_last_line_spilled_below():
    # Tune half, real-OCR page 66: a copy of a paragraph lost its last line (…共同应对), and that line
    # (国际社会面临的挑战。) spilled onto the front of the next paragraph's block. The complete
    # paragraph went as "contaminated" by the line found in the spill, and the cut copy was joined to
    # the paragraph after it; the spilled line finishes the cut copy's sentence: it is the paragraph's own.
    whole = ("蒂勒森转达了特朗普总统对习近平主席的问候,表示美方愿本着不冲突、不对抗、相互尊重、合作共赢的精神"
             "发展对华关系,不断增进美中相互了解,加强美中协调合作,共同应对国际社会面临的挑战。")
    nxt = "习近平请蒂勒森转达对特朗普总统的问候,并欢迎特朗普总统来华访问。"
    cut = whole[: whole.index("国际社会")]
    result = xcclean.clean_and_explain("\n\n".join([whole, cut, "国际社会面临的挑战。" + nxt, nxt]))
    assert result.text == whole + "\n\n" + nxt
    assert sorted(e.kind for e in result.changes()) == ["contaminated_copy", "fragment_prefix"]


PEACEKEEPING = "自1948年5月29日联合国第一个维和特派团成立以来,已有100多万维和人员前赴后继投身维和事业,其中有3700多人牺牲。"


@pytest.mark.parametrize("length, kept", [(20, True), (19, False)])
def test_a_run_of_the_paragraph_itself_glued_in_front_is_a_spill_from_min_fragment_chars(length, kept):
    # Tune half, page 199 of generator seed 0: a copy with a run of the paragraph's own first line
    # glued in front. From min_fragment_chars characters on (20) the run is the paragraph's, read
    # twice: the copy is contaminated and the paragraph stays, in either order. Shorter, a phrase
    # recurring inside a paragraph says nothing, and the paragraph is taken for the copy's cut tail.
    glue = PEACEKEEPING[10 : 10 + length]
    copy = glue + PEACEKEEPING
    for page in ([PEACEKEEPING, copy], [copy, PEACEKEEPING]):
        texts, edits = run(page, Lexicon())
        assert (texts == [PEACEKEEPING]) is kept
        if kept:
            assert [e.kind for e in edits] == ["contaminated_copy"]


# Tune half, clean pages of generator seed 11: 常万全参加会见。 closes one article, and a sentence of
# another opens with the formula 会议强调,要深入学习贯彻习近平新时代中国特色社会主义思想, that a third
# paragraph also opens with; the sentence went as that short line's copy with a spill glued on.
FORMULA = "会议强调,要深入学习贯彻习近平新时代中国特色社会主义思想,"
CLOSING = "常万全参加会见。"
FORMULA_ON = FORMULA + "美军在这一地区设有训练叙利亚反政府武装的基地。"


def _page(blocks):
    """``elsewhere`` for a page that holds ``blocks`` besides the pair."""
    return lambda text, exclude: [b for b in blocks if text in b and b not in exclude]


@pytest.mark.parametrize("lead, spill", [(",", False), ("，", False), ("、", False), ("等", True)])
def test_no_spill_leads_into_a_short_line_with_a_comma(lead, spill):
    # Under min_fragment_chars a line closes a writer's sentence as often as it stands alone: a comma
    # before it may lead a clause of the longer's own into it, and the text in front shows no spill
    # (the cut rule decides: the line is the longer's cut tail where its text occurs nowhere else).
    # Without the comma the text in front runs into the line as OCR glue does: a spill.
    front = FORMULA[:-1] + lead
    rel = relate(CLOSING, front + CLOSING, E, elsewhere=_page([front + FORMULA_ON[len(FORMULA) :]]))
    assert rel is not None
    assert (rel.kind, rel.dup) == (("contaminated", 1) if spill else ("suffix", 0))


@pytest.mark.parametrize("length, spill", [(19, False), (20, True)])
def test_a_comma_lead_in_spares_lines_under_min_fragment_chars(length, spill):
    # From min_fragment_chars (20) on the copy names its paragraph whatever leads into it: a spill.
    line = ("国务委员兼外交部长王毅参加了上述活动和会见。" * 2)[: length - 1] + "。"
    rel = relate(line, FORMULA + line, E, elsewhere=_page([FORMULA_ON]))
    assert rel is not None and (rel.kind == "contaminated") is spill


# Found by the thorough hypothesis profile: a copy that lost a paragraph's first characters up to a
# closing bracket, where another paragraph of the page opens with the same dateline; the complete
# paragraph went as a contaminated copy (本报讯(记者付家宝 taken for a spill) and lost its opening.
DATELINE = "本报讯(记者付家宝)3月2日上午,市政协党组扩大会议召开。市政协党组书记、主席刘保新主持会议并讲话。"
SAME_DATELINE = "本报讯(记者 付家宝)5月14日,市政协党组扩大会议召开。市政协党组书记、主席刘保新主持会议并讲话。"


@pytest.mark.parametrize("cut, spill", [(DATELINE.index(")"), False), (DATELINE.index(")") + 1, True)])
def test_no_spill_stands_in_front_of_a_copy_that_opens_with_a_closing_mark(cut, spill):
    # )3月2日上午,… opens as no paragraph opens: it was cut from inside one, and the dateline in front
    # is the paragraph's own. Cut one character later (3月2日上午,…), it could be a whole paragraph with
    # another block's opening line spilled in front: the spill rule decides as before.
    rel = relate(DATELINE[cut:], DATELINE, E, elsewhere=_page([SAME_DATELINE.replace(" ", "")]))
    assert rel is not None
    assert (rel.kind, rel.dup) == (("contaminated", 1) if spill else ("suffix", 0))
    if not spill:
        texts, _ = run([DATELINE, DATELINE[cut:], SAME_DATELINE], Lexicon())
        assert texts == [DATELINE, SAME_DATELINE]


def test_a_line_read_again_with_its_misreads_in_front_of_a_paragraph_that_opens_well_is_a_spill():
    # Real OCR (the tune half's rendered pages): a crop reached up into the end of the paragraph
    # above and read it again with its own misread (仅怖 for 恐怖), so the glued text stands nowhere
    # else verbatim; the paragraph behind it opens as paragraphs open. The complete paragraph went
    # as a "whole sentences" suffix of its contaminated copy.
    language = Lexicon()
    para = "联合国秘书长古特雷斯北京时间今天发表声明称,正在密切跟踪美英法对叙利亚实施打击的相关报道。"
    above = "俄方认为,美英法对叙利亚的打击是一次侵略行动,将助长恐怖分子的士气。"
    glue = "行动,将助长仅怖分子的士气。"

    def elsewhere(text: str, exclude: tuple[str, ...]) -> list[str]:
        return [block for block in (above, para) if text in block and block not in exclude]

    spill = relate(para, glue + para, E, language=language, elsewhere=elsewhere)
    assert (spill.kind, spill.dup, spill.junk) == ("contaminated", 1, len(glue))
    # the other side: the same text in front standing nowhere else is the paragraph's own, and the
    # shorter its truncated copy (a copy of its last sentence); where the shorter opens no better
    # than the longer (发表声明称… after 行动,…), the line found elsewhere decides nothing
    cut = relate(para, glue + para, E, language=language, elsewhere=lambda text, exclude: [])
    assert (cut.kind, cut.dup) == ("suffix", 0)
    inside = para[para.index("发表声明称") :]
    assert relate(inside, glue + inside, E, language=language, elsewhere=elsewhere).rule != SPILL_BEFORE_OPENING
    # and a writer's lead-in before a paragraph whose head OCR cut off into a block of its own (the
    # test half, generator seed 0: an author's restatement under a subhead went as contaminated):
    # pieces of the text in front stand in the head's block, but no block holds it whole
    head, tail = "当地时间9日上午,正", "在老挝进行正式访问的国务院总理李克强前往万象寮都公学参观,并同学校师生亲切交流。"
    restated = "需要指出的是," + head + tail
    echo = relate(tail, restated, E, language=language,
                  elsewhere=lambda text, exclude: [b for b in (head, tail) if text in b and b not in exclude])
    assert echo is None or echo.rule != SPILL_BEFORE_OPENING


SPILL_BEFORE_OPENING = "a paragraph's opening after a line found elsewhere on the page"


_UN = "联合国秘书长古特雷斯北京时间今天发表声明称,正在密切跟踪美英法对叙利亚实施打击的相关报道。"
_RU = "俄方认为,美英法对叙利亚的打击是一次侵略行动,将助长恐怖分子的士气。"
SPILL_FOUND = "the glued-on text is found elsewhere on the page"


@pytest.mark.parametrize("glue, spill", [
    ("俄方认为,美英法对叙利亚的打击", True),  # the next block's first line, verbatim
    ("俄方认为,美英法对叙刺亚的打击", True),  # read again with a misread: 14 of 15 (fragment_min_similarity 0.9)
    ("俄方认为,美英法对叙刺亚的扎击", False),  # two misreads: 13 of 15, no longer that line
])
def test_a_line_spilled_behind_a_paragraph_is_found_up_to_ocr_noise(glue, spill):
    # A crop that reached down into the next block read its first line again, with the engine's
    # own misreads: no block holds the glued text verbatim, but the next one holds it as a fragment
    # stands in its paragraph. Past fragment_min_similarity it is no such line, and the verbatim
    # rules decide (here the complete paragraph goes as a prefix of the longer, its text kept).
    language = Lexicon()

    def elsewhere(text: str, exclude: tuple[str, ...]) -> list[str]:
        return [block for block in (_RU, _UN) if text in block and block not in exclude]

    rel = relate(_UN, _UN + glue, E, language=language, elsewhere=elsewhere)
    assert (rel.kind == "contaminated" and rel.rule == SPILL_FOUND) is spill
    assert rel.dup == (1 if spill else 0)


@pytest.mark.parametrize("glue, spill", [
    ("正在密切跟踪美英法对叙刺亚实施打击的相关报道。", True),  # its own last line, one misread (22 of 23)
    ("正在密切跟踪美英法对叙刺亚实施扎山的相关报遒。", False),  # four misreads (19 of 23)
])
def test_a_paragraphs_own_last_line_read_again_in_front_of_it_is_a_spill(glue, spill):
    # A re-read crop that reached up into the paragraph itself took its last line (_edge_line),
    # here with a misread; longer than contamination_max_chars, so only the spill rule can tell.
    language = Lexicon()
    rel = relate(_UN, glue + _UN, E, language=language,
                 elsewhere=lambda text, exclude: [b for b in (_UN,) if text in b and b not in exclude])
    assert (rel is not None and rel.kind == "contaminated" and rel.rule == SPILL_FOUND) is spill


# Real-OCR tune page (seed 1, page 79): a line OCR cut short on 及 read again four blocks on, the
# second reading set before the next headline (so classified as one).
CUT_SHORT = "习近平向尼尼斯托介绍了中国近期经济社会形势及"


@pytest.mark.parametrize("line, twin_goes", [
    (CUT_SHORT, True),  # stops on a word no clause ends on: a piece of a paragraph, however far
    ("习近平向尼尼斯托介绍了中国近期经济社会形势。", False),  # a whole sentence: may recur by design
    ("之子于归,远送于野,", False),  # a verse ending on a comma: a refrain of a poem may
])
def test_a_short_line_repeated_far_off_in_its_article_is_a_copy_only_if_it_stops_mid_clause(line, twin_goes):
    from tests.snippets import PARAGRAPHS

    blocks = ["中芬两国元首举行会谈", PARAGRAPHS[0], line, *PARAGRAPHS[1:5], line, "北京:从服务端发力推动垃圾分类",
              PARAGRAPHS[6]]
    out, edits = run(blocks, Lexicon())
    removed = [e for e in edits if e.kind == "exact_duplicate"]
    assert out.count(line) == (1 if twin_goes else 2)
    assert len(removed) == (1 if twin_goes else 0)
    # The reading among the paragraphs stays: the one before the next headline is measured against
    # the rest of its "article" (nothing), not against itself.
    assert out.index(line) == 2
