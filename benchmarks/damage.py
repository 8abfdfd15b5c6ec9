"""Synthetic OCR damage with known ground truth, drawn past the cleaner's limits on both sides.

Pages are assembled from articles of one half of ``../shared/corpus/news.jsonl``
(:mod:`benchmarks.corpus_split`: develop on *tune*, publish from *test*):
headline, sometimes a byline, body paragraphs, sometimes a photo caption set
off by blank lines, plus hard negatives that must survive cleaning. Then
damage is injected, each fault recorded in a manifest with every parameter
it drew, so that :mod:`benchmarks.quality` can score it and bucket it.

Every parameter is drawn from a wide range that reaches past the cleaner's
thresholds on both sides, and copies land before or after their source, at
any distance, in any article -- the generator knows nothing of the rules:

``exact``        1-3 extra copies of a body paragraph
``near_copy``    a copy with misread characters (0.3-20 % of its Han
                 characters, log-uniform, in runs of 1-3, from a table of look-alike
                 glyphs or any character of the page) and sometimes 1-2
                 inserted or dropped characters or marks
``misplaced``    an exact or near copy dropped into another article
``fragment``     a prefix, suffix or inner span, 8 characters to 95 % of the
                 source, cut at any position; sometimes with misreads (and
                 then in 3 of 10 also 1-2 inserted or dropped characters)
``contaminated`` a copy with 1-40 characters glued on front or back: the
                 neighbouring block's edge (a spill) or text from anywhere
                 on the page; sometimes with misreads (and indels, as a
                 fragment), and sometimes the glue read with misreads too
``splice``       a paragraph of one article with the tail (8 characters to
                 90 %) of a paragraph of another article glued on, either
                 after its own end or in place of its own tail (then lost)
``split``        a paragraph cut at any position into 2 or 3 pieces, some
                 around a caption; sometimes a copy that is itself split
``stray_token``  an English word (any frequency) replacing a Chinese word,
                 spaced or glued to the Chinese around it
``mojibake``     a paragraph whose UTF-8 was read as Windows-1252

Hard negatives (``negative`` entries) stay in the truth: legitimate Latin,
a paraphrased echo, shared opening formulae, a repeated byline, a short
list, two reports that differ only in their figures, a refrain repeated in
two articles, a long headline with commas, a wire sign-off, a stage
direction ending in ``。〕``, an author's restatement opening with
``值得注意的是,``, and two parallel reports in two articles: real paragraphs
of the half that differ in one run of 1-3 characters, no figure among them
(丁薛祥…等参加会见。/ …参加会谈。, 汪洋 / 韩正 出席座谈会): a name or a word put for
another is another report, never an OCR copy.

    python benchmarks/damage.py --half tune --pages 3 --seed 7   # print the last page: raw, truth, manifest
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252, used for mojibake)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.corpus_split import CORPUS, Half, load

DAMAGE_TYPES = ("exact", "near_copy", "misplaced", "fragment", "contaminated", "splice", "split",
                "stray_token", "mojibake")
REMOVAL_TYPES = ("exact", "near_copy", "misplaced", "fragment", "contaminated")
TERMINAL = "。！？!?…;；:："
HAN = re.compile("[\u4e00-\u9fff]")
NAMES = ["许廷合", "胡晨", "张辉", "付家宝", "王金伟", "李新", "石冠兵", "毛迎", "冯子建", "黄世雅", "谭宜姝"]
LATIN_SENTENCES = ["市民可通过“i许昌”App查询办理进度。", "今年前三季度全市GDP同比增长6.3%。",
                   "全市新建5G基站1200个,PM2.5平均浓度同比下降12%。", "C919大飞机配套项目已在产业园落地。",
                   "其水质指标符合《地表水环境质量标准》II类标准。", "旅客可拨打12306或登录12306.cn购票。"]
FORMULA = "会议强调,要深入学习贯彻习近平新时代中国特色社会主义思想,"
STAGE_DIRECTIONS = ["〔幕启。〕", "〔灯光渐暗,音乐起。〕", "〔众人下。〕", "〔李大妈上,手提菜篮。〕"]
# What an editor adds when a lede is echoed in the body: a word or a phrase, never one glyph.
ECHO_WORDS = ["同时", "此外", "记者了解到", "目前", "近日", "与此同时"]
REFRAINS = ["新华社北京1月5日电", "不忘初心,牢记使命", "青山依旧在,几度夕阳红", "——本报评论员"]
RESTATEMENTS = ["值得注意的是,", "需要指出的是,", "换句话说,", "正如前文所说,"]
# Pairs of glyphs OCR engines confuse (a stroke more or less, a component swapped).
LOOK_ALIKE = ["己已巳", "未末", "人入八", "日曰目", "土士", "干千于", "天夭", "大太犬", "王玉主", "刀力",
              "田由甲申", "贝见", "牛午", "失矢", "今令", "折拆", "候侯", "设没", "历厉", "治冶", "拨拔",
              "壁璧", "辨辩辫", "密蜜", "峰锋蜂", "清请情晴", "持特", "项顶", "织识职", "副幅福", "陈阵",
              "建健", "市巿", "局届", "区匹", "务条", "展屐", "会合", "农衣", "发友"]
_CONFUSION = {c: group.replace(c, "") for group in LOOK_ALIKE for c in group}
CAPTIONS = ["图为活动现场。", "本报记者 {name} 摄", "(资料图片)", "图为施工人员正在作业。 {name} 摄",
            "图为志愿者为群众讲解政策。", "{name} 摄"]
# Where a copy lands, relative to its source: the block right before or after it, a few blocks
# away, far away in the same article, or in another article (then it is ``misplaced``).
DISTANCES = ((1, 1, 0.45), (2, 3, 0.25), (4, 12, 0.2))
OTHER_ARTICLE = 0.12


@dataclass
class Block:
    text: str
    gap: int = 1
    truth: int | None = None  # the truth block this block is (part of)
    fault: int | None = None  # the manifest entry that produced it
    article: int = -1


@dataclass
class Page:
    """A damaged page, the page it should become, and what damaged it.

    ``written``: the text before anything read it, where that differs from the truth: on the
    real-OCR pages (:mod:`benchmarks.ocr_pages`) the truth is the engine's own reading of each whole
    block, misreads included, and ``written`` the articles as typeset. None here: the generator's
    truth is the text as written."""

    raw: str
    truth: str
    manifest: list[dict[str, Any]] = field(default_factory=list)
    written: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"raw": self.raw, "truth": self.truth, "manifest": self.manifest}


def load_articles(half: Half | None = "test", path: Path = CORPUS, limit: int | None = None
                  ) -> list[dict[str, Any]]:
    """The articles of one half of the corpus (``None``: all of it)."""
    return load(half, path, limit)


def _is_body(text: str) -> bool:
    return len(text) >= 12 and text[-1] in TERMINAL and not text.startswith(("本报记者", "图片"))


_FIGURE_CHARS = frozenset("0123456789０１２３４５６７８９一二三四五六七八九十两零〇百千万亿")


def parallel_reports(articles: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Pairs of real paragraphs that differ in one run of 1-3 substituted characters, no figure
    among them (those are the "figures differ" negative): parallel reports of one formula
    (…等参加会见。/ …等参加会谈。). Candidates share their length and their first or last six
    characters; groups over 100 (boilerplate) are skipped."""
    from rapidfuzz.distance import Levenshtein

    groups: dict[tuple[str, str, int], list[str]] = defaultdict(list)
    for para in sorted({p for a in articles for p in a["paragraphs"] if len(p) >= 12}):
        groups["head", para[:6], len(para)].append(para)
        groups["tail", para[-6:], len(para)].append(para)
    pairs: set[tuple[str, str]] = set()
    for group in groups.values():
        if len(group) > 100:
            continue
        for a, b in combinations(group, 2):
            ops = [op for op in Levenshtein.opcodes(a, b) if op.tag != "equal"]
            if len(ops) != 1 or ops[0].tag != "replace" or ops[0].src_end - ops[0].src_start > 3:
                continue
            op = ops[0]
            if not _FIGURE_CHARS & set(a[op.src_start : op.src_end] + b[op.dest_start : op.dest_end]):
                pairs.add((a, b))
    return sorted(pairs)


def _longest_run(flags: list[bool]) -> int:
    """The longest run of True in ``flags``."""
    longest = run = 0
    for flag in flags:
        run = run + 1 if flag else 0
        longest = max(longest, run)
    return longest


def _english_words() -> list[tuple[str, float]]:
    """Common and rare English words with their Zipf frequency (stray tokens of any frequency)."""
    import wordfreq

    words = [w for w in wordfreq.top_n_list("en", 30000) if w.isascii() and w.isalpha() and len(w) >= 3]
    return [(w, wordfreq.zipf_frequency(w, "en")) for w in words]


class Generator:
    """Deterministic page generator: ``Generator(articles, seed).pages(n)``.

    ``rate`` scales how many faults of each type a page gets (0-3, about
    ``1.5 * rate`` on average).
    """

    def __init__(self, articles: list[dict[str, Any]], seed: int = 0, rate: float = 0.6,
                 articles_per_page: tuple[int, int] = (3, 5)) -> None:
        self.articles = articles
        self.rng = random.Random(seed)
        # The parallel-reports negative draws from a stream of its own: the pages' other draws (and the
        # boundary model trained on the clean pages) stay as they were without it.
        self.parallel_rng = random.Random(f"parallel reports {seed}")
        # So does the OCR noise of fragments, contaminated copies and their glue (indels, a glue
        # read again with misreads): with it the pages are the same pages, read with more noise.
        self.noise_rng = random.Random(f"copy noise {seed}")
        self.rate = rate
        self.articles_per_page = articles_per_page
        self._english: list[tuple[str, float]] | None = None
        self._parallel: list[tuple[str, str]] | None = None

    def pages(self, count: int) -> list[Page]:
        return [self.page() for _ in range(count)]

    def clean_pages(self, count: int) -> list[Page]:
        """Pages with hard negatives but no damage: the cleaner must change nothing."""
        return [self.page(damage=False) for _ in range(count)]

    def page(self, damage: bool = True) -> Page:
        builder = _PageBuilder(self)
        builder.truth_page()
        if damage:
            builder.damage()
        return builder.finish()

    def parallel(self) -> list[tuple[str, str]]:
        if self._parallel is None:
            self._parallel = parallel_reports(self.articles)
        return self._parallel

    def english(self) -> list[tuple[str, float]]:
        if self._english is None:
            self._english = _english_words()
        return self._english


def _indels(chars: list[str], rng: random.Random) -> int:
    """Insert or drop one or two characters or marks in ``chars`` (in place); how many."""
    count = rng.randint(1, 2)
    for _ in range(count):
        k = rng.randrange(1, len(chars)) if len(chars) > 1 else 0
        if rng.random() < 0.5:
            del chars[k]
        else:
            chars.insert(k, rng.choice([",", "、", "-", "”", chars[k - 1]]))
    return count


class _PageBuilder:
    """One page: its truth blocks, then the raw blocks with damage, and the manifest."""

    def __init__(self, gen: Generator) -> None:
        self.gen, self.rng, self.noise = gen, gen.rng, gen.noise_rng
        self.truth: list[Block] = []
        self.bodies: list[list[int]] = []  # truth indices of each article's body paragraphs
        self.manifest: list[dict[str, Any]] = []
        self.raw: list[Block] = []
        self.used: set[int] = set()
        self.truth_text: dict[int, str] = {}  # truth blocks whose truth text differs (a lost spliced tail)
        self.captions_after: dict[int, str] = {}  # truth index -> caption that follows it in the truth

    # -- the clean page ---------------------------------------------------------
    def truth_page(self) -> None:
        rng = self.rng
        byline = f"本报记者 {rng.choice(NAMES)}"
        seen: set[str] = set()
        latin = rng.sample(LATIN_SENTENCES, len(LATIN_SENTENCES))
        chosen = rng.sample(self.gen.articles, rng.randint(*self.gen.articles_per_page))
        # A refrain or dateline repeated at the head of the first and the last article, far apart.
        refrain = rng.choice(REFRAINS) if len(chosen) > 1 and rng.random() < 0.12 else None
        refrains: list[int] = []
        # Two parallel reports of one formula, one closing the first article and one the last.
        parallel, side = self.gen.parallel(), self.gen.parallel_rng
        pair = side.choice(parallel) if parallel and len(chosen) > 1 and side.random() < 0.3 else None
        reports: list[int] = []
        for n, article in enumerate(chosen):
            self._article(n, article, chosen, byline, seen, latin,
                          refrain if refrain and n in (0, len(chosen) - 1) else None, refrains)
            if pair and n in (0, len(chosen) - 1):
                reports.append(self._add(pair[len(reports)], n))
        if refrains:
            self._negative("refrain", refrains)
        if reports:
            self._negative("parallel reports", reports)
        for i, block in enumerate(self.truth):
            block.truth = i
        self.raw = [Block(b.text, b.gap, b.truth, None, b.article) for b in self.truth]

    def _add(self, text: str, article: int, gap: int = 1) -> int:
        self.truth.append(Block(text, gap, None, None, article))
        return len(self.truth) - 1

    def _negative(self, kind: str, blocks: list[int]) -> None:
        self.manifest.append({"type": "negative", "kind": kind, "blocks": blocks})

    def _article(self, n: int, article: dict[str, Any], chosen: list[dict[str, Any]], byline: str,
                 seen: set[str], latin: list[str], refrain: str | None, refrains: list[int]) -> None:
        rng = self.rng
        if rng.random() < 0.08:  # a long headline with commas and no full stop
            titles = [a["title"] for a in rng.sample(chosen, min(3, len(chosen)))]
            self._negative("long headline with commas", [self._add(",".join(titles) + "," + article["title"], n)])
        else:
            self._add(article["title"], n)
        if rng.random() < 0.5:
            at = self._add(byline, n)
            if n:
                self._negative("repeated byline", [at])
        if refrain:
            refrains.append(self._add(refrain, n))
        body: list[int] = []
        paragraphs = [p for p in article["paragraphs"] if len(p) <= 400 and p not in seen][:8]
        seen.update(paragraphs)
        for k, para in enumerate(paragraphs):
            if k == 1 and latin and rng.random() < 0.3:
                self._negative("legitimate Latin", [self._add(para.rstrip("。") + "," + latin.pop(), n)])
                continue
            at = self._add(para, n)
            if _is_body(para):
                body.append(at)
        self._article_negatives(n, body)
        self.bodies.append(body)

    def _article_negatives(self, n: int, body: list[int]) -> None:
        rng = self.rng
        if body and rng.random() < 0.2:
            sentence = re.split("[。！？]", self.truth[body[0]].text)[0]
            parts = re.split("[,，]", sentence, maxsplit=1)
            if len(parts) == 2 and 12 <= len(sentence) <= 80:  # the lede echoed with words added
                word = rng.choice(ECHO_WORDS)
                self._negative("paraphrased echo", [self._add(f"{parts[0]},{word}{parts[1]}。", n)])
        if rng.random() < 0.12:
            clauses = sorted({re.split("[,，]", a["paragraphs"][-1], maxsplit=1)[-1]
                              for a in rng.sample(self.gen.articles, 2)})
            if len(clauses) == 2:
                self._negative("shared opening formula", [self._add(FORMULA + c, n) for c in clauses])
        if rng.random() < 0.08:
            self._negative("short list", [self._add("- 一、县(市)组\n - 襄城县(99.07分 优秀等次)\n"
                                                    " - 鄢陵县(98.45分 优秀等次)", n)])
        if body and rng.random() < 0.12:
            self._figures_twin(n, body)
        if body and rng.random() < 0.1:
            self._restatement(n, body)
        if rng.random() < 0.06:
            self._negative("stage direction", [self._add(rng.choice(STAGE_DIRECTIONS), n)])
        if rng.random() < 0.08:
            number = "".join(rng.choice("0123456789") for _ in range(7))
            self._negative("wire sign-off", [self._add(f"(编辑:{rng.choice(NAMES)}){number}", n)])

    def _figures_twin(self, n: int, body: list[int]) -> None:
        """Two reports that differ only in their figures (1298处…95.1% / 1288处…94.4%): both real."""
        index = self.rng.choice(body)
        source = self.truth[index].text
        twin = source
        for match in reversed(list(re.finditer(r"\d+", source))):
            digits = list(match.group())
            k = self.rng.randrange(len(digits))
            digits[k] = str((int(digits[k]) + self.rng.randint(1, 9)) % 10)
            twin = twin[: match.start()] + "".join(digits) + twin[match.end():]
        if twin != source:
            self._negative("figures differ", [index, self._add(twin, n)])

    def _restatement(self, n: int, body: list[int]) -> None:
        """Under a subhead, an author restates an earlier sentence: editorial, it stays."""
        sentences = [s + "。" for s in self.truth[self.rng.choice(body)].text.split("。") if len(s) >= 12]
        if sentences:
            self._add(self.rng.choice(["多方发力见成效", "下一步工作怎么干", "记者观察"]), n)
            text = self.rng.choice(RESTATEMENTS) + self.rng.choice(sentences)
            self._negative("restatement", [self._add(text, n)])

    # -- damage ---------------------------------------------------------------------
    def damage(self) -> None:
        kinds = {"exact": self._exact, "near_copy": self._near, "misplaced": self._misplaced,
                 "fragment": self._fragment, "contaminated": self._contaminated, "splice": self._splice,
                 "split": self._split, "stray_token": self._stray, "mojibake": self._mojibake}
        plan = [kind for kind in DAMAGE_TYPES for _ in range(self._count())]
        self.rng.shuffle(plan)
        for kind in plan:
            kinds[kind]()

    def _count(self) -> int:
        return sum(self.rng.random() < self.gen.rate / 2 for _ in range(3))

    def _pick(self, pool: list[int] | None = None) -> int | None:
        pool = [i for body in self.bodies for i in body] if pool is None else pool
        free = [i for i in pool if i not in self.used]
        if not free:
            return None
        choice = self.rng.choice(free)
        self.used.add(choice)
        return choice

    def _entry(self, kind: str, truth_index: int | None, **params: Any) -> int:
        entry: dict[str, Any] = {"type": kind, "blocks": [], **params}
        if truth_index is not None:
            entry["truth"] = truth_index
        self.manifest.append(entry)
        return len(self.manifest) - 1

    def _position(self, truth_index: int) -> int:
        return next(i for i, b in enumerate(self.raw) if b.truth == truth_index)

    def _article_of(self, truth_index: int) -> int:
        return self.truth[truth_index].article

    def _place(self, source: int, blocks: list[Block], where: str | None = None) -> dict[str, Any]:
        """Insert ``blocks`` (a copy) before or after ``source`` at a drawn distance, or in another
        article (``where``: "same", "other", or None for a draw); return where it went."""
        rng = self.rng
        home = self._article_of(source)
        others = [a for a in range(len(self.bodies)) if a != home and self.bodies[a]]
        if where is None:
            where = "other" if rng.random() < OTHER_ARTICLE else "same"
        if where == "other" and others:
            target = rng.choice(others)
            spots = [i for i, b in enumerate(self.raw) if b.article == target and b.truth in self.bodies[target]]
            spots = spots or [i for i, b in enumerate(self.raw) if b.article == target]
            at = rng.choice(spots) + rng.randint(0, 1)
            self._insert(at, blocks, target)
            return {"where": "other article", "side": "before" if at <= self._position(source) else "after"}
        low, high, _ = rng.choices(DISTANCES, weights=[d[2] for d in DISTANCES])[0]
        distance, side = rng.randint(low, high), rng.choice(("before", "after"))
        source_at = self._position(source)
        at = source_at - distance + 1 if side == "before" else source_at + distance
        # stay inside the source's article: after its headline, before the next article's
        home_at = [i for i, b in enumerate(self.raw) if b.article == home]
        at = min(max(at, home_at[0] + 1), home_at[-1] + 1)
        self._insert(at, blocks, home)
        moved = self._position(source)
        actual = moved - at - len(blocks) + 1 if at <= moved else at - moved
        return {"where": "same article", "side": side, "distance": actual}

    def _insert(self, at: int, blocks: list[Block], article: int) -> None:
        for block in blocks:
            block.article = article
        self.raw[at:at] = blocks

    def _misread(self, text: str, share: float | None = None, indels: bool = True, rng: random.Random | None = None
                 ) -> tuple[str, dict[str, Any]]:
        """``text`` with misread characters (a share of its Han characters, in runs) and perhaps indels."""
        rng = rng or self.rng
        chars = list(text)
        han = [k for k, c in enumerate(chars) if HAN.match(c)]
        # log-uniform from 0.3 % to 20 %: most copies read as a real engine reads (1-3 % CER),
        # a tail far past any limit
        share = math.exp(rng.uniform(math.log(0.003), math.log(0.2))) if share is None else share
        count = max(1, round(share * len(han)))
        changed = 0
        pool = [c for c in text if HAN.match(c)] or ["的"]
        for k in rng.sample(han, min(len(han), count)):
            run = rng.choices((1, 2, 3), weights=(0.75, 0.2, 0.05))[0]
            for j in range(k, min(k + run, len(chars))):
                if HAN.match(chars[j]):
                    chars[j] = self._look_alike(chars[j], pool, rng)
                    changed += 1
        params: dict[str, Any] = {"misreads": changed, "misread_share": round(changed / max(1, len(han)), 3),
                                  "misread_run": _longest_run([a != b for a, b in zip(chars, text, strict=True)])}
        if indels and rng.random() < 0.3:
            params["indels"] = _indels(chars, rng)
        return "".join(chars), params

    def _noisy(self, text: str) -> tuple[str, dict[str, Any]]:
        """A copy read with OCR's own misreads: a few glyphs, and in 3 of 10 one or two characters or
        marks inserted or dropped (a doubled glyph, a lost ”), drawn from the noise stream after the
        page's own draws."""
        copy, params = self._misread(text, share=self.rng.uniform(0.005, 0.08), indels=False)
        if self.noise.random() < 0.3:
            chars = list(copy)
            params["indels"] = _indels(chars, self.noise)
            copy = "".join(chars)
        return copy, params

    def _look_alike(self, char: str, pool: list[str], rng: random.Random) -> str:
        """What OCR reads for ``char``: a glyph that looks like it, else any other character of the page."""
        if char in _CONFUSION and rng.random() < 0.6:
            return rng.choice(_CONFUSION[char])
        other = rng.choice(pool)
        return other if other != char else "的" if char != "的" else "了"

    def _copy(self, kind: str, misreads: bool) -> None:
        source = self._pick()
        if source is None:
            return
        text = self.truth[source].text
        fault = self._entry(kind, source, copies=1)
        n = self.rng.choices((1, 2, 3), weights=(0.6, 0.3, 0.1))[0] if kind != "misplaced" else 1
        places = []
        for _ in range(n):
            copy, params = self._misread(text) if misreads else (text, {})
            where = "other" if kind == "misplaced" else "same"
            places.append(self._place(source, [Block(copy, 1, None, fault)], where) | params)
        # the entry is bucketed by its hardest copy: the most misread, the farthest
        worst = max(places, key=lambda p: (p.get("misread_share", 0), p.get("indels", 0), p.get("distance", 0)))
        self.manifest[fault].update(copies=n, **worst, places=places)

    def _exact(self) -> None:
        self._copy("exact", misreads=False)

    def _near(self) -> None:
        self._copy("near_copy", misreads=True)

    def _misplaced(self) -> None:
        self._copy("misplaced", misreads=self.rng.random() < 0.3)

    def _fragment(self) -> None:
        source = self._pick()
        if source is None:
            return
        text = self.truth[source].text
        shape = self.rng.choice(("prefix", "suffix", "inner"))
        longest = max(8, int(0.95 * len(text)))
        length = min(self.rng.randint(8, longest), len(text) - (2 if shape == "inner" else 1))
        if length < 4:
            self.used.discard(source)
            return
        if shape == "prefix":
            start = 0
        elif shape == "suffix":
            start = len(text) - length
        else:
            start = self.rng.randint(1, len(text) - length - 1)
        piece, params = text[start : start + length], {}
        if self.rng.random() < 0.2:  # a fragment of a near copy
            piece, params = self._noisy(piece)
            params["chained"] = "near copy"
        fault = self._entry("fragment", source, shape=shape, length=len(piece), share=round(length / len(text), 3),
                            start=start, **params)
        self.manifest[fault].update(self._place(source, [Block(piece, 1, None, fault)]))

    def _contaminated(self) -> None:
        source = self._pick()
        if source is None:
            return
        rng = self.rng
        text = self.truth[source].text
        glue_len, front = rng.randint(1, 40), rng.random() < 0.6
        copy, params = text, {}
        if rng.random() < 0.2:
            copy, params = self._noisy(text)
            params["chained"] = "near copy"
        fault = self._entry("contaminated", source, glue_side="front" if front else "back", **params)
        block = Block(copy, 1, None, fault)
        where = self._place(source, [block])
        at = self.raw.index(block)
        neighbour = self.raw[at - 1] if front and at > 0 else self.raw[at + 1] if not front and at + 1 < len(self.raw) \
            else None
        if neighbour is not None and rng.random() < 0.5:  # a spill from the neighbouring block's edge
            glue, origin = (neighbour.text[-glue_len:] if front else neighbour.text[:glue_len]), "neighbour"
        else:
            donor = rng.choice([b.text for b in self.truth if len(b.text) > glue_len] or [text])
            k = rng.randint(0, max(0, len(donor) - glue_len))
            glue, origin = donor[k : k + glue_len], "elsewhere"
        if len(glue) > 1 and self.noise.random() < 0.2:  # the glue read again, with its own misreads
            glue, noise = self._misread(glue, share=self.noise.uniform(0.005, 0.08), rng=self.noise)
            where |= {"glue_misreads": noise["misreads"], "glue_indels": noise.get("indels", 0)}
        block.text = glue + copy if front else copy + glue
        self.manifest[fault].update(glued=glue, glue=len(glue), glue_from=origin, **where)

    def _splice(self) -> None:
        rng = self.rng
        with_body = [k for k, body in enumerate(self.bodies) if body]
        if len(with_body) < 2:
            return
        a, b = rng.sample(with_body, 2)
        target, source = self._pick(self.bodies[a]), self._pick(self.bodies[b])
        if target is None or source is None:
            return
        donor = self.truth[source].text
        tail_len = rng.randint(min(8, len(donor) - 1), max(8, int(0.9 * len(donor))))
        tail = donor[len(donor) - tail_len:]
        head = self.truth[target].text
        variant = "appended"
        if rng.random() < 0.5 and len(head) > 16:  # the target's own tail was lost
            head = head[: rng.randint(max(8, len(head) // 5), int(0.9 * len(head)))]
            variant = "replaced"
            self.truth_text[target] = head
        fault = self._entry("splice", target, source=source, spliced=tail, tail=len(tail), variant=variant,
                            direction="from later article" if b > a else "from earlier article")
        at = self._position(target)
        self.raw[at] = Block(head + tail, self.raw[at].gap, target, fault, self.raw[at].article)

    def _cuts(self, text: str) -> list[int]:
        pieces = 3 if self.rng.random() < 0.25 and len(text) >= 6 else 2
        return sorted(self.rng.sample(range(1, len(text)), pieces - 1))

    def _split(self) -> None:
        rng = self.rng
        if rng.random() < 0.15:
            self._split_copy()
            return
        source = self._pick()
        if source is None:
            return
        text = self.truth[source].text
        cuts = self._cuts(text)
        pieces = [text[i:j] for i, j in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        caption = rng.random() < 0.3
        fault = self._entry("split", source, pieces=len(pieces), caption=caption, cuts=cuts,
                            head=cuts[0], tail=len(text) - cuts[-1],
                            after_stop=any(text[c - 1] in TERMINAL for c in cuts))
        at = self._position(source)
        new = [Block(p, self.raw[at].gap if k == 0 else 1, source, fault, self.raw[at].article)
               for k, p in enumerate(pieces)]
        if caption:
            cap = rng.choice(CAPTIONS).format(name=rng.choice(NAMES))
            self.manifest[fault]["caption_text"] = cap
            self.captions_after[source] = cap
            new.insert(rng.randint(1, len(new) - 1), Block(cap, 2, None, fault, self.raw[at].article))
        self.raw[at : at + 1] = new

    def _split_copy(self) -> None:
        """An exact copy that is itself split in two or three: all its pieces are to go."""
        source = self._pick()
        if source is None:
            return
        text = self.truth[source].text
        cuts = self._cuts(text)
        fault = self._entry("exact", source, copies=1, chained="split copy", cuts=cuts)
        pieces = [Block(text[i:j], 1, None, fault) for i, j in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        self.manifest[fault].update(self._place(source, pieces))

    def _stray(self) -> None:
        import jieba

        source = self._pick()
        if source is None:
            return
        text = self.truth[source].text
        words = [w for w in jieba.lcut(text, HMM=False) if len(w) == 2 and HAN.match(w[0]) and HAN.match(w[1])]
        if not words:
            self.used.discard(source)
            return
        word = self.rng.choice(words[1:-1] or words)
        token, zipf = self.rng.choice(self.gen.english())
        spaced = self.rng.random() < 0.5
        k = text.index(word)
        at = self._position(source)
        fault = self._entry("stray_token", source, token=token, word=word, zipf=round(zipf, 2), spaced=spaced)
        glued = f" {token} " if spaced else token
        self.raw[at] = Block(text[:k] + glued + text[k + len(word):], self.raw[at].gap, source, fault,
                             self.raw[at].article)
        self.truth_text[source] = text[:k] + text[k + len(word):]  # the Chinese word is lost with the leak

    def _mojibake(self) -> None:
        source = self._pick()
        if source is None:
            return
        text = self.truth[source].text
        at = self._position(source)
        fault = self._entry("mojibake", source)
        self.raw[at] = Block(text.encode("utf-8").decode("sloppy-windows-1252"), self.raw[at].gap, source, fault,
                             self.raw[at].article)

    # -- the page and its manifest ---------------------------------------------------
    def finish(self) -> Page:
        for i, block in enumerate(self.raw):
            if block.fault is not None:
                self.manifest[block.fault]["blocks"].append(i)
        truth_texts = []
        for i, block in enumerate(self.truth):
            truth_texts.append(self.truth_text.get(i, block.text))
            if i in self.captions_after:
                truth_texts.append(self.captions_after[i])
        for entry in self.manifest:
            if entry["type"] == "negative":
                entry["texts"] = [self.truth[t].text for t in entry["blocks"]]
                entry["blocks"] = [self._position(t) for t in entry["blocks"]]
            elif "truth" in entry:
                entry["truth_text"] = self.truth_text.get(entry["truth"], self.truth[entry["truth"]].text)
                entry["source_text"] = self.truth[entry["truth"]].text
                if entry["type"] in REMOVAL_TYPES:
                    entry["source_block"] = self._position(entry["truth"])
        raw_text = "".join(("\n" * (b.gap + 1) if i else "") + b.text for i, b in enumerate(self.raw))
        return Page(raw_text, "\n\n".join(truth_texts), self.manifest)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--half", choices=("tune", "test"), default="tune")
    parser.add_argument("--pages", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rate", type=float, default=0.6)
    args = parser.parse_args()
    pages = Generator(load_articles(args.half), args.seed, args.rate).pages(args.pages)
    print(json.dumps(pages[-1].to_json(), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
