from xcclean import BlockKind, Config
from xcclean.lexicon import Lexicon
from xcclean.pipeline import classified
from xcclean.stages.segment import segment


def kinds(text: str) -> list[tuple[str, str]]:
    doc = classified(text, Config(), Lexicon())
    return [(b.kind.value, b.text[:12]) for b in doc]


def test_segment_keeps_gaps_and_multiline_blocks():
    doc = segment("许昌市精神文明建设指导委员会\n2021年2月18日\n\n正文。\n\n\n\n说明")
    assert [b.gap for b in doc] == [0, 1, 3]
    assert doc[0].text == "许昌市精神文明建设指导委员会\n2021年2月18日"
    assert [b.ids for b in doc] == [(0,), (1,), (2,)]


def test_seed_block_kinds():
    page = "\n\n".join([
        "魏都区 依托“组工讲坛” 为干部“充电蓄力”",
        "本报讯(记者 许廷合 通讯员 李珂)今年以来,为切实提升组工干部能力素质,魏都区委组织部开展业务知识专题学习辅导。",
        "本报记者 许廷合",
        "本报评论员",
        "(魏宣)",
        "(上接第一版)",
        "本报记者 牛书培 摄",
        "撸起袖子加油干 风雨无阻向前行",
        "——魏都区广大干部群众认真学习贯彻党的二十大精神",
        "- 一、县(市)组\n - 襄城县(99.07分 优秀等次)",
        "许昌市精神文明建设指导委员会\n2021年2月18日",
    ])
    assert [k for k, _ in kinds(page)] == [
        "headline", "body", "byline", "byline", "byline", "jump", "caption", "headline", "deck", "list", "other"]


def test_caption_set_off_by_blank_lines():
    page = "正文第一段,讲述项目建设的情况。\n\n\n\n魏都区天宝名苑项目施工现场。\n\n正文第二段。"
    assert [k for k, _ in kinds(page)] == ["body", "caption", "body"]


def test_long_caption_with_photo_credit():
    text = ("当前正是小麦的收获季,连日来,魏都区人武部组织辖区民兵积极帮助当地群众抢收夏粮,"
            "以实际行动践行拥政爱民优良传统。许廷合摄")
    assert kinds("标题\n\n" + text)[1][0] == "caption"


def test_short_cut_head_is_body_not_headline():
    # 002: "截至目前,开发区有14个项目列" / "入省级…" (列入 spans the cut)
    page = "截至目前,开发区有14个项目列\n\n入省级、市级重点项目,计划总投资252.7亿元,年度计划投资76亿元。"
    assert [k for k, _ in kinds(page)] == ["body", "body"]


def test_headline_is_not_glued_by_a_chance_word():
    # 行当 spans 向前行|当好, but a headline is not the head of a cut paragraph.
    page = "撸起袖子加油干 风雨无阻向前行\n\n当好“参谋”和“助手”,做好“中枢”和“管家”。"
    assert [k for k, _ in kinds(page)] == ["headline", "body"]


def test_subheading_with_comma_stays_headline():
    page = "抓大事、谋大事,当好发展“智囊团”\n\n市委办公室是各级党委的“参谋部”,是领导决策的“智囊团”。"
    assert [k for k, _ in kinds(page)] == ["headline", "body"]


def test_deck_continuation():
    # 004: a deck cut in two: "——不仅吃上优质水,而且实现" / "了兴水梦"
    page = "南水北调工程中 许昌有哪些受益\n\n——不仅吃上优质水,而且实现\n\n了兴水梦\n\n一谈起吃上丹江水,周玉茗就忍不住向亲戚朋友推介。"
    doc = classified(page, Config(), Lexicon())
    assert [b.kind for b in doc] == [BlockKind.HEADLINE, BlockKind.DECK, BlockKind.DECK, BlockKind.BODY]
    assert doc[2].continuation
