"""Bytes to text: which encoding a page file is in, and what could not be decoded.

:func:`decode` is pure (bytes in, text and a :class:`Decoding` out), so it
runs wherever the bytes are read: in the parent process today, in a Dask
task tomorrow. The rules, in order:

1. A byte-order mark names the encoding (UTF-8, UTF-16, UTF-32).
2. NUL bytes without a BOM: UTF-16 (LE or BE) if that decodes to text
   (:func:`_text_share`), else a binary file.
3. Valid UTF-8 is UTF-8.
4. UTF-8 with a few bad bytes (at least :data:`_UTF8_MIN_RATIO` valid
   multibyte characters per bad byte; text in a legacy encoding read as UTF-8
   has fewer than 3): each bad byte becomes U+FFFD and its offset is logged.
5. GB18030 (which covers GBK and GB2312) and Big5, each kept if it decodes
   strictly and reads as Chinese: the one whose characters are most often
   among the commonest Chinese characters wins (Big5 bytes read as GB18030,
   or GB bytes read as Big5, give rare characters and kana); the scores are
   logged. charset-normalizer guesses short GBK text wrong (cp949, big5).
6. charset-normalizer for anything else.

A NUL character in the decoded text, in any encoding, makes it a binary file.

>>> decode("许昌日报".encode("gbk"))[0]
'许昌日报'
>>> text, how = decode("臺灣報紙".encode("big5"))
>>> text, how.encoding, [name for name, _ in how.candidates]
('臺灣報紙', 'big5', ['gb18030', 'big5'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..chars import chinese_share

# Valid multibyte UTF-8 characters per bad byte for a page to be UTF-8 with bad bytes: 1,000
# news articles encoded as GBK, Big5, Shift-JIS or cp1252 and read as UTF-8 give at most 3 (a
# 4-character snippet), under 1 from 16 characters on.
_UTF8_MIN_RATIO = 8
_ESCAPED = re.compile("[\udc80-\udcff]")  # a byte that is not UTF-8, under surrogateescape
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_LEGACY = ("gb18030", "big5")
# Share of characters that must be text (ASCII, CJK punctuation, common Han) for bytes without a
# BOM to be read as UTF-16.
_UTF16_MIN_TEXT = 0.8
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32", "utf-32-le"),
         (b"\x00\x00\xfe\xff", "utf-32", "utf-32-be"), (b"\xff\xfe", "utf-16", "utf-16-le"),
         (b"\xfe\xff", "utf-16", "utf-16-be"))
BINARY = "looks like a binary file, not a text page"


@dataclass(frozen=True)
class Decoding:
    """How a page's bytes became its text: the evidence of the report's ``decoded`` line.

    ``bad_bytes``: offsets of the bytes that were not valid ``encoding``, each
    replaced by U+FFFD; ``replaced``: for a JSONL record, lone surrogates (an
    escaped ``\\ud800``, or a byte that was not UTF-8) replaced by U+FFFD, as
    (character offset in the page text, code point); ``candidates``: the
    encodings weighed and their scores (share of common Chinese characters)
    when the bytes fitted several.
    """

    encoding: str = "utf-8"
    bad_bytes: tuple[int, ...] = ()
    replaced: tuple[tuple[int, str], ...] = ()
    candidates: tuple[tuple[str, float], ...] = ()

    @property
    def plain(self) -> bool:
        """UTF-8 with nothing replaced: no ``decoded`` line."""
        return self.encoding == "utf-8" and not (self.bad_bytes or self.replaced or self.candidates)

    def evidence(self) -> dict[str, Any]:
        """The ``decoded`` line's evidence: ``encoding``, and whichever of the others apply."""
        out: dict[str, Any] = {"encoding": self.encoding}
        if self.bad_bytes:
            out["bad_bytes"] = list(self.bad_bytes)
        if self.replaced:
            out["replaced"] = [list(r) for r in self.replaced]
        if self.candidates:
            out["candidates"] = dict(self.candidates)
        return out

    def warning(self) -> str | None:
        """One line for stderr when characters were lost (replaced by U+FFFD), else None."""
        if self.bad_bytes:
            return (f"{_count(len(self.bad_bytes), 'byte')} not {self.encoding} replaced by U+FFFD "
                    f"(at byte {_first(self.bad_bytes)})")
        if self.replaced:
            return (f"{_count(len(self.replaced), 'lone surrogate')} replaced by U+FFFD "
                    f"(at character {_first([at for at, _ in self.replaced])})")
        return None


PLAIN = Decoding()  # UTF-8, nothing replaced


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'s' * (n != 1)}"


def _first(offsets: tuple[int, ...] | list[int], shown: int = 5) -> str:
    """The first few offsets, comma-separated (… when there are more)."""
    head = ", ".join(map(str, offsets[:shown]))
    return head + (", …" if len(offsets) > shown else "")


def decode(data: bytes) -> tuple[str, Decoding]:
    """The text of a page file and how it was decoded; ValueError if it is not text (see module docstring)."""
    text, how = _decode(data)
    if "\0" in text:
        raise ValueError(BINARY)
    return text, how


def _decode(data: bytes) -> tuple[str, Decoding]:
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), Decoding(name)
            except UnicodeDecodeError as err:
                raise ValueError(f"not valid {name} after its byte-order mark (byte {err.start})") from None
    if b"\0" in data:
        return _utf16(data)
    try:
        return data.decode("utf-8"), PLAIN
    except UnicodeDecodeError:
        pass
    lenient = lenient_utf8(data)
    if lenient is not None:
        return lenient
    legacy = _legacy(data)
    if legacy is not None:
        return legacy
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ValueError("not text in any encoding xcclean recognises")
    return str(best), Decoding(best.encoding)


def lenient_utf8(data: bytes) -> tuple[str, Decoding] | None:
    """UTF-8 with each bad byte replaced by U+FFFD and its offset logged, if bad bytes are few; else None."""
    escaped = data.decode("utf-8", "surrogateescape")
    bad = [m.start() for m in _ESCAPED.finditer(escaped)]
    multibyte = len(escaped) - len(escaped.encode("ascii", "ignore")) - len(bad)
    if multibyte < _UTF8_MIN_RATIO * len(bad):
        return None
    return _ESCAPED.sub("\ufffd", escaped), Decoding("utf-8", bad_bytes=_byte_offsets(escaped, bad))


def _byte_offsets(text: str, positions: list[int]) -> tuple[int, ...]:
    """The byte offsets in UTF-8 (surrogateescape) of characters at ascending ``positions``, in one pass."""
    offsets, byte, last = [], 0, 0
    for at in positions:
        byte += len(text[last:at].encode("utf-8", "surrogateescape"))
        offsets.append(byte)
        last = at
    return tuple(offsets)


def replace_lone_surrogates(text: str) -> tuple[str, tuple[tuple[int, str], ...]]:
    """``text`` with each lone surrogate replaced by U+FFFD, and where each was (offset, code point).

    JSON may escape a lone surrogate (``"\\ud800"``): no encoder writes it, so
    it would stop the run when the record or its edits are written.

    >>> replace_lone_surrogates("许昌\\ud800日报")
    ('许昌\ufffd日报', ((2, 'U+D800'),))
    """
    found = tuple((m.start(), f"U+{ord(m.group()):04X}") for m in _LONE_SURROGATE.finditer(text))
    return (_LONE_SURROGATE.sub("\ufffd", text), found) if found else (text, ())


def _utf16(data: bytes) -> tuple[str, Decoding]:
    """Bytes with NULs and no BOM: UTF-16 if one byte order decodes to text, else binary."""
    best: tuple[float, str, str] | None = None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        share = _text_share(text)
        if "\0" not in text and share >= _UTF16_MIN_TEXT and (best is None or share > best[0]):
            best = (share, text, codec)
    if best is None:
        raise ValueError(BINARY)
    return best[1], Decoding(best[2])


def _text_share(text: str) -> float:
    """Share of the characters that are ASCII, CJK punctuation or common Chinese characters."""
    if not text:
        return 0.0
    ascii_text = len(text.encode("ascii", "ignore"))
    other = sum(1 for c in text if c in _COMMON_HAN or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef")
    return (ascii_text + other) / len(text)


def _common_share(text: str) -> float:
    """Share of the non-space, non-ASCII characters that are among the commonest Chinese ones."""
    wide = [c for c in text if c > "\x7f" and not c.isspace()]
    return sum(c in _COMMON_HAN for c in wide) / len(wide) if wide else 0.0


def _legacy(data: bytes) -> tuple[str, Decoding] | None:
    """GB18030 or Big5, whichever decodes strictly, reads as Chinese and scores best (ties: GB18030)."""
    fits: list[tuple[str, str, float]] = []
    for codec in _LEGACY:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if chinese_share(text) >= 0.5:
            fits.append((codec, text, round(_common_share(text), 3)))
    if not fits:
        return None
    codec, text, _ = max(fits, key=lambda fit: fit[2])  # max keeps the first of equals: gb18030
    weighed = tuple((name, score) for name, _, score in fits) if len(fits) > 1 else ()
    return text, Decoding(codec, candidates=weighed)


# The 1,000 commonest Chinese characters (by the frequency of the words holding them in
# wordfreq's zh list, 3.1), then the traditional forms of those that have one
# (wordfreq.chinese.SIMPLIFIED_MAP inverted): 1,473 characters. On 500 news articles of the
# shared corpus and their traditional forms (benchmarks/encodings.py): read right, 49-93 % of
# an article's non-ASCII characters are among them (median 83 %); read as the other of GB18030
# and Big5, at most 12 %. Of 920 four-character snippets that decode both ways the right reading
# scores higher in 892, equal in 27 (GB18030 is taken) and lower in 1; decode() reads 4,208 of
# 4,215 snippets (4 to 40 characters) and articles right (the 7 others: 4 to 8 characters).
_COMMON_HAN = frozenset(
    "的是一在不人有了我国这为中个大会们他来和年上以要到时对么能你就发可地生家出也说于学后成与过行用日多自"
    "现都没作下得开经还法动好方而公子事分之民主里政看吗本月所天新业同全定部最其进如前机美那当工关实小被但"
    "因长样理等什道去些面很心间区内电然力起体只着从并者高加想文问种员重及点将意合产三外由市无女已制网第情"
    "场名应西代正表真此位题相明资计建利系化期特性度果次给让两通教任比该东活手世提或使她物数立认怎知结入更"
    "总务话斯统目社展战做设安别信影己受解军司回把保平常见向海变报治台爱品北何接界论组件权选府议少它共运车"
    "至记又原金身式老路决科联视口处各持站量交万直反南打据基始再快水门十感程导传院才放今术强元完号图规改管"
    "划亚领际单头二尔需布达队片求非历每书指马广党几太先带游城办球色觉义级师专类约集告技团取儿参克史服格候"
    "调包请德必拉乐许造确气难吧收证称语山死线示条像流命根则近济京听英士价推标举争友干支委四续况准形男望官"
    "且走失言备容观华港质案钱查整未费空转较众神商风校字香啊首州料育创织却照亲识消研离具算欢哪型注源护连节"
    "周即投获音清增供五孩光项张息白构省律声演农究器边步喜局医象写除境思赛装谁跟便杀击响职助易版希属住洲巴"
    "星企引找试考列罗存须越态群县功纪复超害戏显族维深责值买足环模极协花断客警吃王百段验切往早终另远够独精"
    "习营括革岁曾评随例黑错继米林预玩故份速闻效致火妈阿呢拿兰采热房病户限艺严仅录江势控察满优兴绝土施宣武"
    "止负尼谢食简叫欧画古母低帮留积志虽朋否令读伤夫眼置播底域频派居监飞晚策卡尽刚讲苏股谈送诉河密落半念剧"
    "村依湾印哥破编待初双防普围批愿红轻承青免室范修压石状排率险福父适担六角层判卫财占园络奖阳执假席仍突测"
    "班旅升配停似笑审歌般铁换银均千养博威富微黄移罪票岛择奇紧韩久抗汉副犯亿波乎八款甚检馆油著差斗销购救坚"
    "讨庭镇药景店章陆介益纳朝宝俄述央素哈脑拍互乡按坏兵怕核善酒激细拥街卖载钟临享释背婚伊血充货您龙攻降射"
    "恶危略败奥弹付帝毛刻某减冲输永媒秘遇靠答座典码征访筑短析训胜疗温弟异阶劳退穿束倒七航姐夜云厂疑词九藏"
    "毒额左楼牌补杂亡康材健练盟妇沙届课乱软板索追湖暴融登售困圣授误梦缺督操味顾页遗礼签遭枪私牙吸础毕封币"
    "宗露讯稳宁辑恐托努曲李块爆灵守余右怀亦伦季烈衣舞皇草坐若扩幸逐序迎址竟午妹禁肯澳搞脸鲜亮苦船概贵附趣"
    "摄库跑鱼轮顿翻良旧狗急寻套综掉顺童迫庆丽木春吉脱竞虑架呼端违含皮堂怪尚抓汽挥归骗诺肉招探培睡献针饭敢"
    "國這爲為個箇會們來時對麼麽發髮傢齣說説於學後與過現沒開經還動裏裡嗎業衕進機當噹關實長樣麫麪麵間區內電"
    "體隻從併並問種員點將閤產産無製網場應錶眞題資計係繫給讓兩敎該東數認結總務話統戰設別彆軍迴見曏嚮變報檯"
    "臺颱愛論組權選議運車記決聯視處萬據門導傳纔朮術強號圖規劃亞領際單頭爾佈達隊曆歷厤書馬廣黨幾帶遊辦覺義"
    "級師專類約團糰兒蔘參剋調請樂許確氣難證稱語綫線條則濟聽價標舉爭乾幹榦續況準備觀華質錢査費轉較衆眾風創"
    "織卻親識離歡註護連節週卽獲穫項張構聲農邊侷醫寫賽裝誰殺擊響職屬試羅須鬚態羣縣紀複復戲顯維責買環極協斷"
    "喫驗終遠夠獨習營歲𡻕嵗評隨錯繼預聞緻媽蘭採埰寀熱戶藝嚴僅錄録彔勢滿優興絕絶負謝簡歐畫畵幫積誌雖讀傷頻"
    "監飛儘盡剛講蘇甦囌談訴唸劇灣編雙圍願紅輕範脩壓狀險適擔層衛財佔園絡獎奬陽執蓆測昇陞審鐵換銀韆養黃島擇"
    "緊韓漢億檢舘館鬥銷購堅討鎮葯藥陸納寶腦鄉壞覈細擁賣載鍾鐘臨釋貨龍惡噁敗奧彈減衝沖輸祕碼徵訪築訓勝療溫"
    "異階勞雲廠詞額樓補雜練婦屆課亂軟闆睏聖誤夢顧頁遺禮籤簽槍俬礎畢幣訊穩甯寧輯託麯麴塊靈餘懷倫擴倖臉鮮貴"
    "攝庫魚輪頓舊尋綜順慶麗脫競慮違揮歸騙諾獻針鍼飯"
)
