"""Clean pages must come out unchanged: everything here is editorial, not damage."""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.damage import load_articles
from benchmarks.quality import clean_corpus_pages
from tests.conftest import SHARED
from xcclean import Cleaner

# A page of clean articles built from the kinds of text that legitimately
# repeat or look odd: mastheads, decks, bylines, captions, lists, jump notes,
# Latin tokens, formulae shared by parallel paragraphs, echoes of the lede.
PAGE = [
    "许昌日报",
    "XUCHANG DAILY",
    "2021年3月3日\n星期三 农历辛丑年正月二十",
    "中共许昌市委机关报 中共许昌市委主管主办\n许昌日报社出版 第9382期 □国内统一刊号:CN41—0013",
    "狠抓项目建设 淬炼发展成色",
    "——三论贯彻落实全市领导干部会议精神",
    "本报评论员",
    "“十四五”开局之年,任务繁重、千头万绪,什么是牵一发而动全身的“牛鼻子”?答案无比确定——抓牢项目建设。",
    "全市PM2.5平均浓度同比下降12%,新建5G基站1200个,GDP同比增长6.3%,C919配套项目落地,“i许昌”App注册用户突破百万。",
    "会议强调,要深入学习贯彻习近平新时代中国特色社会主义思想,扎实做好疫情防控工作,确保人民群众生命安全和身体健康。",
    "会议强调,要深入学习贯彻习近平新时代中国特色社会主义思想,持续优化营商环境,推动全市经济高质量发展。",
    "(上接第一版)",
    "魏都区区长李森1日上午前往市区南关村,向困难群众送去慰问金和生活用品。",
    "魏都区副区长王伟芳1日上午前往市区南关村,向困难群众送去慰问金和生活用品。",
    "魏都区副区长程中山1日上午前往市区南关村,向困难群众送去慰问金和生活用品。",
    "(魏宣)",
    "第三号公告说,《许昌市城市绿化条例》已由许昌市第七届人民代表大会常务委员会第三十一次会议于2021年12月27日通过,现予公布,自2022年3月1日起施行。",
    "第四号公告说,《许昌市养犬管理条例》已由许昌市第七届人民代表大会常务委员会第三十一次会议于2021年12月27日通过,现予公布,自2022年3月1日起施行。",
    "南水北调工程中 许昌有哪些受益",
    "——不仅吃上优质水,而且实现了兴水梦",
    "本报记者 王金伟",
    "作为世界上规模最大的跨区域调水工程,南水北调工程与我市息息相关——",
    "——通水7年来,该工程已累计为我市供水10.15亿立方米,其中生活供水4.86亿立方米,生态供水5.29亿立方米,受益人口达227万;",
    "——我市共接收安置南水北调丹江口库区移民4208户16454人,移民安置点达13个;",
    "一谈起吃上丹江水,家住东城区恒达·NAPA溪地小区的周玉茗就忍不住向亲戚朋友推介。",
    "通水7年来,已累计为我市供水10.15亿立方米,其中生活供水4.86亿立方米,生态供水5.29亿立方米,受益人口达227万。",
    "不仅吃上优质水,而且实现了兴水梦。",
    "其水质指标符合《地表水环境质量标准》II类标准,很多指标符合I类标准,满足饮用水水源水质要求。",
    "英文单词“principle”意为原则,外国人不光知道panda,还知道熊猫。",
    "本报记者 王金伟",
    "记者获悉,我市的孙海洋等11人及许昌市胖东来商贸集团抗洪救灾团体、许昌市魏都区文峰社区免费爱心粥屋上榜。",
    "其中,入选河南省防汛救灾“身边好人”的有许昌市胖东来商贸集团抗洪救灾团体、许昌市魏都区文峰社区免费爱心粥屋。",
    "图片:",
    "魏都区天宝名苑项目施工现场。",
    "图片:",
    "- 1.案件处置好的单位\n - 市公安局(92.31分)\n - 市体育局(87.12分)",
    "- 2.案件处置差的单位\n - 市公安局(92.31分)",
    "(下转第二版)",
]


def test_clean_page_passes_unchanged():
    page = "\n\n".join(PAGE)
    result = Cleaner().explain(page)
    assert result.changes() == ()
    assert result.text == page


@pytest.fixture(scope="module")
def corpus_pages() -> list[str]:
    path = SHARED / "corpus" / "news.jsonl"
    if not path.exists():
        pytest.skip(f"clean corpus not found at {path}")
    return clean_corpus_pages(load_articles("tune", path, limit=1200))  # rules are developed on tune


def test_clean_corpus_pages_lose_nothing(corpus_pages):
    """300 pages of four clean articles each: nothing is removed, no token goes, nothing is joined.

    Joins are the one known weak spot: a paragraph that ends with no full stop
    before another can be taken for one cut in two (1 of the whole corpus's
    2,260 pages: …“不会熄灭的火炬” / 当天亮相的…, outside these 300).
    """
    cleaner = Cleaner()
    kinds: Counter[str] = Counter()
    for page in corpus_pages:
        for edit in cleaner.explain(page).changes():
            if edit.stage != "normalise" and edit.kind != "layout":
                kinds[edit.kind] += 1
    assert not kinds, kinds
