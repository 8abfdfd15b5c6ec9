"""Page-level expectations on the five seed pages, annotated by hand.

Each page lists what must go (edit kind + the start of the removed text),
which cut paragraphs must be rejoined (text spanning the former cut), which
token must go, and what must stay. Skipped where ../shared/seeds is absent.
"""

from __future__ import annotations

import pytest

from tests.conftest import seed_text
from xcclean import Cleaner, restore
from xcclean.stages.normalise import normalise

EXPECT = {
    "000": {
        "removed": [
            ("exact_duplicate", "何区长强调,要增强企业安全生产意识"),
            ("exact_duplicate", "何区长强调,要增强企业安全生产意识"),
            ("contaminated_copy", "取得了令人瞩目的成就。刘中锋说"),
            ("fragment_suffix", "刘中锋表示,接下来,魏都区将紧紧围绕"),
            ("fragment_suffix", "刘中锋表示,接下来,魏都区将紧紧围绕"),
            ("exact_duplicate", "刘中锋说,“党的二十大报告中"),
            ("fragment_suffix", "推进,早日建成达产,他们深感重任在肩"),
            ("exact_duplicate", "贺浩亮介绍,许昌政通可优数字产业园是由"),
            ("exact_duplicate", "不仅如此,魏都区还注重从细微处入手"),
        ],
        "joined": ["社会主义现代化国家的内在要求", "我们的城市更绿了、水更清了", "总建筑面积约8.2万平方米,重点建设创新型企业",
                   "推动高质量发展增砖加瓦。", "定时间、定目标,倒排工期", "提供全方位保障。项目分包人员和责任单位"],
        "block_ends": ["全区上下要人人扛稳责任、压", "鼓励引导全区中小学校创"],
        "kept_blocks": ["一周要闻", "(魏宣)", "本报记者 许廷合", "魏都区天宝名苑项目施工现场。",
                        "——魏都区广大干部群众认真学习贯彻党的二十大精神", "本报记者 张铮 实习生 赵世缘 文/图"],
        "once": ["何区长强调", "刘中锋说,“党的二十大报告中", "刘中锋表示,接下来", "贺浩亮介绍,许昌政通可优"],
        "tokens": [],
    },
    "001": {
        "removed": [("splice_trimmed", "、主动服务辖区重点项目推进和企业运营")],
        "joined": ["大力开展针对性招商活动,围绕主导产业", "充分展示了魏都区纪检监察干部敢于担当",
                   "常态化开展矛盾纠纷化解等专项行动"],
        "block_ends": ["用血性担当诠释杨根思不怕牺牲、迎难而上"],
        "kept_blocks": ["合服务力量,建立了“条块结合、以块为主、上下联动、全面覆盖”的网格化管理工作机制,真正做到“网格一盘棋,人人有责任”。",
                        "魏都区纪检监察干部到杨根思社区参观学习。", "一周要闻", "本报记者 许廷合 通讯员 徐永胜 文/图"],
        "once": ["主动服务辖区重点项目推进和企业运营"],
        "tokens": [],
        "after": [("大力开展针对性招商活动", "河南领存智能制造有限公司成品检验员正在对产品(硬盘)进行严格检验。")],
    },
    "002": {
        "removed": [("exact_duplicate", "围绕产业链部署创新链,围绕创新链布局产业链")],
        "joined": ["有关情况汇报后,卢希望指出", "有14个项目列入省级", "社区、学校、企业", "纳入全市精神文明建设",
                   "持之以恒。他积极", "市民昂扬向上的精神风貌", "选树程序,最终决定", "抗洪救灾团体、许昌市魏都区",
                   "实施“十四五”规划结合起来", "发展共识和人心力量", "打通了“许昌市政务服务平台”",
                   "大河书局有限公司、高铁许昌北站", "发现并处理完成"],
        "block_ends": [],
        "kept_blocks": ["(上接第一版)", "项目加速,“以结果论英雄”", "践行社会主义核心价值观", "卢希望出席并讲话",
                        "以创新驱动产业高质量发展,走好华山一条路。"],
        "once": ["围绕产业链部署创新链"],
        "tokens": ["principle"],
        "contains": ["确保质量的,经过严格规范的选树程序", "EMS", "App", " - 襄城县(99.07分 优秀等次)"],
        "after": [("(上接第一版)\n\n以创新驱动", "围绕产业链部署创新链")],
    },
    "003": {
        "removed": [],
        "joined": ["科学确定了“十四五”时期和今年", "马不停蹄地抢市场", "基金招商、专业招商", "重要讲话精神,与学习贯彻",
                   "志愿服务总队等11个团体", "更加突出的位置,不断增强", "联防联控工作机制"],
        "block_ends": [],
        "kept_blocks": ["许昌日报", "XUCHANG DAILY", "本报评论员", "抓大事、谋大事,当好发展“智囊团”", "抓热点、解难点,勇于担当尽好责",
                        "赵文峰对污染防治攻坚和“无废城市”建设试点工作提出要求", "(下转第二版)", "本报记者 牛书培 摄",
                        "许昌市精神文明建设指导委员会\n2021年2月18日\n(名单详见二版)"],
        "once": [],
        "tokens": [],
        "contains": ["社长:方焯 总编辑:邓雷", "CN41—0013", "“i许昌”App"],
    },
    "004": {
        "removed": [("fragment_suffix", "刘保新指出,要深入学习领会习近平总书记"), ("exact_duplicate", "泛、渠道畅通的优势")],
        "joined": ["不断提升核心竞争力", "不断增强综合优势。二要", "聚焦企业化运营去行政化", "重要讲话精神;传达了",
                   "联系广泛、渠道畅通", "县级“两中心”建设", "——不仅吃上优质水,而且实现了兴水梦", "长期大量开采地下水",
                   "始终坚持“先节水后调水"],
        "block_ends": [],
        "kept_blocks": ["——通水7年来,该工程已累计为我市供水10.15亿立方米,其中生活供水4.86亿立方米,生态供水5.29亿立方米,"
                        "供水区域335平方公里,受益人口达227万;",
                        "通水7年来,已累计为我市供水10.15亿立方米,其中生活供水4.86亿立方米,生态供水5.29亿立方米,"
                        "供水区域335平方公里,受益人口达227万。",
                        "不仅吃上优质水,而且实现了兴水梦。", "深入开展了南水北调水污染防治攻坚战及水质保护工作;", "……",
                        "——创新完善各类制度,认真抓好运行管理,切实加强水质保护", "(下转第四版)"],
        "once": ["刘保新指出,要深入学习领会"],
        "tokens": [],
        "contains": ["恒达·NAPA溪地小区", "II类标准,很多指标符合I类标准"],
    },
}

CHANGE_KINDS = {"exact_duplicate", "near_duplicate", "fragment_prefix", "fragment_suffix", "fragment_inner",
                "contaminated_copy", "splice_trimmed", "stray_token"}


@pytest.fixture(scope="module", params=sorted(EXPECT))
def page(request, cleaner: Cleaner):
    raw = seed_text(request.param)
    return request.param, raw, cleaner.explain(raw)


def test_removals_are_exactly_the_annotated_ones(page):
    name, _, result = page
    got = [(e.kind, e.text.lstrip()) for e in result.edits if e.kind in CHANGE_KINDS - {"stray_token"}]
    for kind, prefix in EXPECT[name]["removed"]:
        match = next((g for g in got if g[0] == kind and g[1].startswith(prefix)), None)
        assert match is not None, (kind, prefix)
        got.remove(match)
    assert got == []


def test_cut_paragraphs_rejoined(page):
    name, _, result = page
    blocks = result.text.split("\n\n")
    for joined in EXPECT[name]["joined"]:
        assert any(joined in b for b in blocks), joined
    for end in EXPECT[name]["block_ends"]:
        assert any(b.endswith(end) for b in blocks), end
    for before, after in EXPECT[name].get("after", []):
        assert result.text.index(before) < result.text.index(after)


def test_no_unannotated_joins(page):
    name, _, result = page
    final_ids = {ids for block in result.blocks for ids in block.ids}
    # joins inside a copy that was then removed do not reach the page
    joins = [e for e in result.edits if e.kind == "split_joined" and set(e.ids) <= final_ids]
    assert len(joins) == len(EXPECT[name]["joined"])


def test_what_must_stay_stays(page):
    name, _, result = page
    blocks = result.text.split("\n\n")
    for block in EXPECT[name]["kept_blocks"]:
        assert block in blocks, block
    for text in EXPECT[name].get("contains", []):
        assert text in result.text, text
    for text in EXPECT[name]["once"]:
        assert result.text.count(text) == 1, text


def test_stray_tokens(page):
    name, _, result = page
    removed = [e.evidence["token"] for e in result.edits if e.kind == "stray_token"]
    assert removed == EXPECT[name]["tokens"]
    for token in removed:
        assert token not in result.text


def test_restore_rebuilds_the_normalised_page(page):
    _, raw, result = page
    assert result.restore() == normalise(raw, Cleaner().config.normalise)[0]
    assert restore(result.text, result.edits) == result.restore()


def test_idempotent(page, cleaner: Cleaner):
    _, _, result = page
    again = cleaner.explain(result.text)
    assert again.text == result.text
    assert not again.changes()
