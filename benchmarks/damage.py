"""Synthetic OCR damage with known ground truth, built from clean articles.

Pages are assembled from ``../shared/corpus/news.jsonl`` (several articles a
page: headline, sometimes a byline, body paragraphs, sometimes a photo caption
set off by blank lines), plus hard negatives that must survive cleaning. Then
every kind of damage seen in the seed pages is injected, each recorded in a
manifest with the input paragraph ids it produced:

``exact``        a body paragraph repeated (1-2 extra copies)
``near_copy``    a copy with 1-3 misread characters
``fragment``     a prefix, suffix or inner span of a paragraph, cut mid-word
``contaminated`` a later copy with 2-8 stray characters glued on front or back
``splice``       a paragraph of a later article with the tail of an earlier
                 article's paragraph spliced on
``misplaced``    a copy of a paragraph dropped into another article
``split``        a paragraph cut in two (or three) pieces, some around a caption
``stray_token``  an English word replacing a Chinese word (``的 principle,``)
``mojibake``     a paragraph whose UTF-8 was read as Windows-1252

Hard negatives (``negative`` entries): legitimate Latin (App, GDP, 5G, PM2.5,
C919), a paraphrased echo of a sentence, two paragraphs sharing a long opening
formula, a repeated byline, a short list. The same seed gives the same pages.

    python benchmarks/damage.py --pages 3 --seed 7     # print one page's raw, truth and manifest
"""

from __future__ import annotations

import argparse
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252, used for mojibake)

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "news.jsonl"

DAMAGE_TYPES = ("exact", "near_copy", "fragment", "contaminated", "splice", "misplaced", "split",
                "stray_token", "mojibake")
REMOVAL_TYPES = ("exact", "near_copy", "fragment", "contaminated", "misplaced")
TERMINAL = "。！？!?…;；:："
NAMES = ["许廷合", "胡晨", "张辉", "付家宝", "王金伟", "李新", "石冠兵", "毛迎", "冯子建"]
ENGLISH = ["principle", "market", "people", "system", "report", "meeting", "policy", "project", "service",
           "growth", "value", "public", "energy", "school", "support", "process"]
LATIN_SENTENCES = ["市民可通过“i许昌”App查询办理进度。", "今年前三季度全市GDP同比增长6.3%。",
                   "全市新建5G基站1200个,PM2.5平均浓度同比下降12%。", "C919大飞机配套项目已在产业园落地。"]
FORMULA = "会议强调,要深入学习贯彻习近平新时代中国特色社会主义思想,"


@dataclass
class Block:
    text: str
    gap: int = 1
    truth: int | None = None  # index of the truth block this block is (part of)
    fault: int | None = None  # index of the manifest entry that produced it


@dataclass
class Page:
    raw: str
    truth: str
    manifest: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"raw": self.raw, "truth": self.truth, "manifest": self.manifest}


def load_articles(path: Path = CORPUS, limit: int | None = None) -> list[dict[str, Any]]:
    articles = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            articles.append(json.loads(line))
            if limit and len(articles) >= limit:
                break
    return articles


def _is_body(text: str) -> bool:
    return len(text) >= 40 and text[-1] in TERMINAL and not text.startswith(("本报记者", "图片"))


def _cut_point(text: str, rng: random.Random, low: float, high: float) -> int | None:
    """A position inside a sentence (not right after punctuation), between low and high of the text."""
    for _ in range(20):
        cut = rng.randint(int(len(text) * low), int(len(text) * high))
        if 0 < cut < len(text) and text[cut - 1] not in TERMINAL + ",，、“”《》()（）" \
                and text[cut] not in TERMINAL + ",，、“”《》()（）":
            return cut
    return None


class Generator:
    """Deterministic page generator: ``Generator(articles, seed).pages(n)``."""

    def __init__(self, articles: list[dict[str, Any]], seed: int = 0, rate: float = 0.6,
                 articles_per_page: tuple[int, int] = (3, 5)) -> None:
        self.articles = articles
        self.rng = random.Random(seed)
        self.rate = rate
        self.articles_per_page = articles_per_page

    def pages(self, count: int) -> list[Page]:
        return [self.page() for _ in range(count)]

    # -- the clean page ---------------------------------------------------
    def _truth(self) -> tuple[list[Block], list[list[int]], list[dict[str, Any]]]:
        rng = self.rng
        blocks: list[Block] = []
        articles: list[list[int]] = []  # truth indices of each article's body paragraphs
        negatives: list[dict[str, Any]] = []
        byline = f"本报记者 {rng.choice(NAMES)}"
        seen: set[str] = set()  # the clean page repeats no paragraph
        latin = rng.sample(LATIN_SENTENCES, len(LATIN_SENTENCES))  # each used once a page at most
        for n, article in enumerate(rng.sample(self.articles, rng.randint(*self.articles_per_page))):
            blocks.append(Block(article["title"]))
            if rng.random() < 0.5:
                blocks.append(Block(byline))  # the same byline may recur: legitimate
                if n:
                    negatives.append({"type": "negative", "kind": "repeated byline", "blocks": [len(blocks) - 1]})
            body: list[int] = []
            paragraphs = [p for p in article["paragraphs"] if len(p) <= 300 and p not in seen][:6]
            seen.update(paragraphs)
            for k, para in enumerate(paragraphs):
                if k == 1 and latin and rng.random() < 0.3:
                    para = para.rstrip("。") + "," + latin.pop()
                    negatives.append({"type": "negative", "kind": "legitimate Latin", "blocks": [len(blocks)]})
                elif _is_body(para):
                    body.append(len(blocks))
                blocks.append(Block(para))
            if rng.random() < 0.2 and body:
                sentence = re.split("[。！？]", blocks[body[0]].text)[0]
                parts = re.split("[,，]", sentence, maxsplit=1)
                if len(parts) == 2 and 12 <= len(sentence) <= 80:
                    # the lede echoed in other words: a word added inside the sentence
                    blocks.append(Block(f"{parts[0]},也{parts[1]}。"))
                    negatives.append({"type": "negative", "kind": "paraphrased echo", "blocks": [len(blocks) - 1]})
            if rng.random() < 0.15:
                # two different paragraphs opening with the same long formula
                clauses = {re.split("[,，]", other["paragraphs"][-1], maxsplit=1)[-1]
                           for other in rng.sample(self.articles, 2)}
                if len(clauses) == 2:
                    for clause in sorted(clauses):
                        blocks.append(Block(FORMULA + clause))
                        seen.add(FORMULA + clause)
                    negatives.append({"type": "negative", "kind": "shared opening formula",
                                      "blocks": [len(blocks) - 2, len(blocks) - 1]})
            if rng.random() < 0.1:
                blocks.append(Block("- 一、县(市)组\n - 襄城县(99.07分 优秀等次)\n - 鄢陵县(98.45分 优秀等次)"))
                negatives.append({"type": "negative", "kind": "short list", "blocks": [len(blocks) - 1]})
            articles.append(body)
        for i, block in enumerate(blocks):
            block.truth = i
        return blocks, articles, negatives

    # -- damage -------------------------------------------------------------
    def page(self) -> Page:
        rng = self.rng
        truth, articles, manifest = self._truth()
        raw = [Block(b.text, b.gap, b.truth) for b in truth]
        used: set[int] = set()

        def pick(pool: list[int]) -> int | None:
            free = [i for i in pool if i not in used]
            if not free:
                return None
            choice = rng.choice(free)
            used.add(choice)
            return choice

        def position(truth_index: int) -> int:
            return next(i for i, b in enumerate(raw) if b.truth == truth_index)

        def add(entry: dict[str, Any]) -> int:
            manifest.append(entry)
            return len(manifest) - 1

        all_body = [i for body in articles for i in body]
        for kind in DAMAGE_TYPES:
            if rng.random() >= self.rate:
                continue
            if kind == "splice":
                later = [i for body in articles[1:] for i in body]
                target, source = pick(later), pick(articles[0]) if articles else None
                if target is None or source is None:
                    continue
                tail_text = truth[source].text
                cut = _cut_point(tail_text, rng, 0.4, 0.75)
                if cut is None or len(tail_text) - cut < 25:
                    continue
                fault = add({"type": kind, "blocks": [], "truth": target, "source": source,
                             "spliced": tail_text[cut:]})
                at = position(target)
                raw[at] = Block(raw[at].text + tail_text[cut:], raw[at].gap, target, fault)
                continue
            if kind == "misplaced":
                if len(articles) < 2:
                    continue
                a, b = rng.sample(range(len(articles)), 2)
                source = pick(articles[a])
                if source is None or not articles[b]:
                    continue
                fault = add({"type": kind, "blocks": [], "truth": source})
                raw.insert(position(rng.choice(articles[b])) + 1, Block(truth[source].text, 1, None, fault))
                continue
            source = pick(all_body)
            if source is None:
                continue
            text = truth[source].text
            at = position(source)
            if kind == "exact":
                fault = add({"type": kind, "blocks": [], "truth": source})
                for _ in range(rng.randint(1, 2)):
                    raw.insert(at + 1, Block(text, 1, None, fault))
            elif kind == "near_copy":
                chars = list(text)
                han = [k for k, c in enumerate(chars) if "\u4e00" <= c <= "\u9fff"]
                for k in rng.sample(han, min(len(han), rng.randint(1, 3))):
                    chars[k] = rng.choice(text.replace(chars[k], "") or "的")
                fault = add({"type": kind, "blocks": [], "truth": source})
                raw.insert(at + 1 + rng.randint(0, 1), Block("".join(chars), 1, None, fault))
            elif kind == "fragment":
                shape = rng.choice(["prefix", "suffix", "inner"])
                start = 0 if shape == "prefix" else _cut_point(text, rng, 0.1, 0.4)
                end = len(text) if shape == "suffix" else _cut_point(text, rng, 0.6, 0.9)
                if start is None or end is None or end - start < 25:
                    manifest.append({"type": kind, "blocks": [], "truth": source, "skipped": True})
                    manifest.pop()
                    used.discard(source)
                    continue
                fault = add({"type": kind, "shape": shape, "blocks": [], "truth": source})
                raw.insert(at + 1 + rng.randint(0, 2), Block(text[start:end], 1, None, fault))
            elif kind == "contaminated":
                donor = truth[rng.choice([i for i in all_body if i != source] or all_body)].text
                k = rng.randint(2, 8)
                glue = donor[len(donor) // 2 : len(donor) // 2 + k]
                copy = glue + text if rng.random() < 0.7 else text + glue
                fault = add({"type": kind, "blocks": [], "truth": source, "glued": glue})
                raw.insert(at + 1, Block(copy, 1, None, fault))
            elif kind == "split":
                three = rng.random() < 0.25 and len(text) >= 90
                cuts = [c for c in (_cut_point(text, rng, 0.2, 0.45), _cut_point(text, rng, 0.55, 0.85))
                        if c is not None] if three else [_cut_point(text, rng, 0.35, 0.85)]
                cuts = sorted(c for c in cuts if c is not None)
                if not cuts:
                    used.discard(source)
                    continue
                pieces = [text[i:j] for i, j in zip([0, *cuts], [*cuts, len(text)], strict=True)]
                caption = rng.random() < 0.3
                fault = add({"type": kind, "blocks": [], "truth": source, "pieces": len(pieces),
                             "caption": caption})
                new = [Block(p, raw[at].gap if n == 0 else 1, source, fault) for n, p in enumerate(pieces)]
                if caption:
                    cap_text = f"图为{truth[source].text[:rng.randint(8, 14)].rstrip(',，、')}现场。"
                    # truth: the caption follows the paragraph
                    manifest[fault]["caption_text"] = cap_text
                    new.insert(1, Block(cap_text, 2, None, fault))
                raw[at : at + 1] = new
            elif kind == "stray_token":
                import logging

                import jieba

                jieba.setLogLevel(logging.WARNING)

                words = [w for w in jieba.lcut(text, HMM=False) if len(w) == 2 and "\u4e00" <= w[0] <= "\u9fff"]
                if not words:
                    used.discard(source)
                    continue
                word, token = rng.choice(words[1:-1] or words), rng.choice(ENGLISH)
                k = text.index(word)
                fault = add({"type": kind, "blocks": [], "truth": source, "token": token, "word": word})
                raw[at] = Block(text[:k] + f" {token} " + text[k + len(word):], raw[at].gap, source, fault)
            elif kind == "mojibake":
                garbled = text.encode("utf-8").decode("sloppy-windows-1252")
                fault = add({"type": kind, "blocks": [], "truth": source})
                raw[at] = Block(garbled, raw[at].gap, source, fault)

        # captions of the clean page (set off by blank lines in the raw page)
        truth_texts = [b.text for b in truth]
        for entry in manifest:
            if entry["type"] == "split" and entry.get("caption"):
                truth_texts.insert(truth_texts.index(truth[entry["truth"]].text) + 1, entry["caption_text"])
        for i, block in enumerate(raw):
            if block.fault is not None:
                manifest[block.fault]["blocks"].append(i)
        for entry in manifest:
            if "truth" in entry:
                entry["truth_text"] = truth[entry["truth"]].text
        for entry in manifest:
            if entry["type"] == "negative":
                entry["texts"] = [truth[t].text for t in entry["blocks"]]
                entry["blocks"] = [position(t) for t in entry["blocks"]]
        raw_text = "".join(("\n" * (b.gap + 1) if i else "") + b.text for i, b in enumerate(raw))
        return Page(raw_text, "\n\n".join(truth_texts), manifest)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rate", type=float, default=0.6)
    args = parser.parse_args()
    pages = Generator(load_articles(), args.seed, args.rate).pages(args.pages)
    print(json.dumps(pages[-1].to_json(), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
