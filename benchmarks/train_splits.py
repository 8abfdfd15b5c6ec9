"""Train the boundary model of split repair (``xcclean/stages/boundary.py``) on the tune half.

Pages are built from tune articles (title, then paragraphs; four articles a
page). Some paragraphs are cut at uniformly random positions into two or
three pieces, some with a photo caption set off between two pieces. Each
page is segmented and classified as the cleaner does it; every cut the
cleaner would weigh (``repair_splits.weigh_cut``: no veto) becomes a row:
positive when the two blocks are consecutive pieces of one paragraph,
negative otherwise -- real boundaries: title → lede, paragraph → paragraph
left without a final stop, an article's last line → the next title.

The n-gram features are cross-fitted: the tune half is cut in two by the id's
hash, and each half's rows are read with the counts of the other half, so no
cut is scored by counts that saw its own paragraph. The shipped table counts
the whole tune half. Logistic regression (L2, Newton's method) in numpy;
the join threshold is the lowest whose out-of-fold precision (both parts of
the model pooled) is at least ``--precision``. Deterministic: same corpus and seed, same bytes.

    python benchmarks/train_splits.py               # writes xcclean/data/boundary.json.gz
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.corpus_split import load  # noqa: E402
from benchmarks.damage import Generator, Page  # noqa: E402
from xcclean import Config  # noqa: E402
from xcclean.lexicon import Lexicon  # noqa: E402
from xcclean.ngram import DATA_FILE, NgramTable, fold_char  # noqa: E402
from xcclean.pipeline import classified  # noqa: E402
from xcclean.stages.boundary import FEATURES, HEAD_KINDS, BoundaryModel, as_matrix  # noqa: E402
from xcclean.stages.normalise import normalise  # noqa: E402
from xcclean.stages.repair_splits import weigh_cut  # noqa: E402

OUTPUT = ROOT / "xcclean" / "data" / DATA_FILE
# Captions set off between two pieces: their text does not matter to a cut, only that classify sees a caption.
CAPTIONS = ("图为工作人员正在检查设备。", "市民在广场上观看展览。", "(资料图片)", "图为项目建设现场。")


def fold_of(article_id: str) -> int:
    """0 or 1, by the id's hash (not the digit corpus_split uses for the halves)."""
    return int(hashlib.sha1(article_id.encode("utf-8")).hexdigest()[-1], 16) % 2


def texts_of(article: dict[str, Any]) -> list[str]:
    """Title and paragraphs as the cleaner sees them: normalised (fullwidth ASCII folded: ，→ ,)."""
    text = normalise("\n\n".join([article["title"], *article["paragraphs"]]), Config().normalise)[0]
    return [t for t in re.split(r"\n\s*\n", text) if t.strip()]


def count_table(articles: Iterable[dict[str, Any]], min_pair: int, min_triple: int) -> NgramTable:
    """Character counts inside paragraphs and at their edges (titles are paragraphs that end without a stop)."""
    pairs: Counter[str] = Counter()
    triples: Counter[str] = Counter()
    edges: Counter[str] = Counter()
    ends: Counter[str] = Counter()
    chars: Counter[str] = Counter()
    paragraphs = 0
    for article in articles:
        for text in texts_of(article):
            text = "".join(fold_char(c) for c in text.strip())
            if not text:
                continue
            paragraphs += 1
            chars.update(text)
            pairs.update(text[i : i + 2] for i in range(len(text) - 1))
            triples.update(text[i : i + 3] for i in range(len(text) - 2))
            edges.update({text[:1], text[:2]})
            ends.update({text[-1:], text[-2:]})
    return NgramTable({k: v for k, v in sorted(pairs.items()) if v >= min_pair},
                      {k: v for k, v in sorted(triples.items()) if v >= min_triple},
                      dict(sorted(edges.items())), dict(sorted(ends.items())), dict(sorted(chars.items())),
                      paragraphs, sum(chars.values()))


def cut_points(text: str, rng: random.Random) -> list[int]:
    pieces = 3 if len(text) >= 3 and rng.random() < 0.25 else 2
    return sorted(rng.sample(range(1, len(text)), pieces - 1))


def build_page(articles: list[dict[str, Any]], rng: random.Random, cut_share: float, caption_share: float
               ) -> tuple[str, list[tuple[int, int]]]:
    """A page and, per input block, (paragraph number, piece number); captions and titles get (-1, 0).

    A caption follows any block, a piece or a whole paragraph, with the same chance: where a caption
    stands says nothing about a cut.
    """
    parts: list[str] = []
    owner: list[tuple[int, int]] = []
    number = 0
    for article in articles:
        parts.append(article["title"])
        owner.append((-1, 0))
        for para in article["paragraphs"]:
            number += 1
            para = para.strip()
            cut = len(para) >= 2 and rng.random() < cut_share
            cuts = cut_points(para, rng) if cut else []
            for k, (a, b) in enumerate(zip([0, *cuts], [*cuts, len(para)], strict=True)):
                parts.append(para[a:b])
                owner.append((number, k))
                if rng.random() < caption_share:
                    parts.append("\n" + rng.choice(CAPTIONS))  # one more blank line: set off
                    owner.append((-1, 0))
    return "\n\n".join(parts), owner


def rows_of_page(text: str, owner: list[tuple[int, int]], lexicon: Lexicon, model: BoundaryModel
                 ) -> tuple[list[list[float]], list[int], list[str]]:
    """Feature rows, labels and a readable note for every cut the cleaner weighs on this page."""
    config = Config()
    blocks = list(classified(normalise(text, config.normalise)[0], config, lexicon))
    rows, labels, notes = [], [], []
    for i in range(len(blocks)):
        cut = weigh_cut(blocks, i, config.splits, lexicon)
        if cut is None or cut.evidence.veto is not None or not cut.weighable:
            continue
        a, b = owner[blocks[i].ids[-1]], owner[blocks[cut.tail].ids[0]]
        rows.append(cut.row(blocks, i, lexicon, model))
        labels.append(int(a[0] >= 0 and a[0] == b[0] and b[1] == a[1] + 1))
        notes.append(f"{blocks[i].text[-12:]} | {blocks[cut.tail].text[:12]}")
    return rows, labels, notes


def dataset(articles: list[dict[str, Any]], table: NgramTable, seed: int, shares: tuple[float, float],
            renditions: int, lexicon: Lexicon) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Rows of every page built from ``articles``, each article cut ``renditions`` times afresh
    (its real boundaries then count that many times too)."""
    rng = random.Random(seed)
    placeholder = BoundaryModel(np.zeros((2, len(FEATURES))), np.zeros(2), np.zeros((2, len(FEATURES))),
                                np.ones((2, len(FEATURES))), table)
    rows: list[list[float]] = []
    labels: list[int] = []
    notes: list[str] = []
    for start in [k for _ in range(renditions) for k in range(0, len(articles), 4)]:
        lexicon.new_page()
        text, owner = build_page(articles[start : start + 4], rng, *shares)
        r, y, n = rows_of_page(text, owner, lexicon, placeholder)
        rows += r
        labels += y
        notes += n
    return as_matrix(rows), np.asarray(labels, dtype=np.float64), notes


def generator_owner(page: Page) -> list[tuple[int, int]]:
    """Per raw block of a generated page, (fault number, piece number) for the pieces of a cut
    paragraph (or of a cut copy), (-1, 0) for every other block."""
    raw = re.split(r"\n[ \t\u3000]*\n", page.raw.strip())
    owner = [(-1, 0)] * len(raw)
    for n, entry in enumerate(page.manifest):
        if entry["type"] == "split" or entry.get("chained") == "split copy":
            pieces = [b for b in entry["blocks"] if raw[b].strip() != entry.get("caption_text")]
            for k, b in enumerate(pieces):
                owner[b] = (n, k)
    return owner


def generator_dataset(articles: list[dict[str, Any]], table: NgramTable, seed: int, pages: int, lexicon: Lexicon
                      ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Rows of :mod:`benchmarks.damage`'s clean pages built from ``articles``: real boundaries
    only, with the generator's hard negatives (headlines of 40+ characters with commas, stage
    directions, wire sign-offs, …). Not its damaged pages: there a truncated copy followed by a
    paragraph looks like a cut, and the cleaner removes such copies before it weighs cuts."""
    gen = Generator(articles, seed)
    placeholder = BoundaryModel(np.zeros((2, len(FEATURES))), np.zeros(2), np.zeros((2, len(FEATURES))),
                                np.ones((2, len(FEATURES))), table)
    rows: list[list[float]] = []
    labels: list[int] = []
    notes: list[str] = []
    for page in gen.clean_pages(pages):
        lexicon.new_page()
        r, y, n = rows_of_page(page.raw, generator_owner(page), lexicon, placeholder)
        rows += r
        labels += y
        notes += n
    return as_matrix(rows), np.asarray(labels, dtype=np.float64), notes


def fit_one(x: np.ndarray, y: np.ndarray, l2: float) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """L2-penalised logistic regression on standardised columns, by Newton's method."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 1e-6  # the intercept, all but free (a small sample may separate perfectly)
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        grad = z.T @ (p - y) + penalty * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return w[:-1], float(w[-1]), mean, scale


def fit(x: np.ndarray, y: np.ndarray, l2: float, table: NgramTable) -> BoundaryModel:
    """One regression per head kind (BoundaryModel.part), stacked in HEAD_KINDS order."""
    part = BoundaryModel.part(x)
    fits = [fit_one(x[part == k], y[part == k], l2) for k in range(len(HEAD_KINDS))]
    return BoundaryModel(*(np.asarray([f[i] for f in fits], dtype=np.float64) for i in range(4)), table)


def per_part(p: np.ndarray, y: np.ndarray, part: np.ndarray, threshold: float) -> list[str]:
    """One line per part of the model (and one for all rows): rows, cuts, and what joining from
    ``threshold`` gets right and wrong."""
    lines = []
    for k, kind in [(-1, "any head"), *enumerate(HEAD_KINDS)]:
        mine = part == k if k >= 0 else np.ones(len(p), dtype=bool)
        joined = p[mine] >= threshold
        lines.append(f"after {kind}: rows {int(mine.sum())} (cuts {int(y[mine].sum())}); at p >= {threshold}: "
                     f"recall {joined[y[mine] == 1].mean():.4f}, precision {y[mine][joined].mean():.4f}, "
                     f"false joins {int((joined & (y[mine] == 0)).sum())} of {int((y[mine] == 0).sum())} boundaries")
    return lines


def threshold_for(p: np.ndarray, y: np.ndarray, precision: float) -> float:
    """The lowest probability whose joins (p >= it) are at least ``precision`` right."""
    order = np.argsort(-p, kind="stable")
    right = np.cumsum(y[order])
    prec = right / np.arange(1, len(p) + 1)
    ok = np.nonzero(prec >= precision)[0]
    k = int(ok.max()) if len(ok) else 0
    return float(np.ceil(p[order][k] * 1000) / 1000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--cut-share", type=float, default=0.15, help="share of paragraphs cut")
    parser.add_argument("--caption-share", type=float, default=0.05, help="chance of a caption after a block")
    parser.add_argument("--renditions", type=int, default=2, help="times each article is cut afresh")
    parser.add_argument("--generator-pages", type=int, default=250,
                        help="clean pages of benchmarks/damage.py per fold (tune articles)")
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--precision", type=float, default=0.995)
    parser.add_argument("--min-pair", type=int, default=2)
    parser.add_argument("--min-triple", type=int, default=3)
    parser.add_argument("--limit", type=int, help="tune articles used (default all)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--dump", type=Path, help="write the out-of-fold scores of every row here (TSV)")
    args = parser.parse_args()
    articles = load("tune", limit=args.limit)
    lexicon = Lexicon()
    folds = [[a for a in articles if fold_of(a["id"]) == f] for f in (0, 1)]
    parts = []
    for f in (0, 1):
        table = count_table(folds[1 - f], args.min_pair, args.min_triple)
        corpus = dataset(folds[f], table, args.seed + f, (args.cut_share, args.caption_share), args.renditions,
                         lexicon)
        generated = generator_dataset(folds[f], table, args.seed + f, args.generator_pages, lexicon)
        parts.append((np.vstack([corpus[0], generated[0]]), np.concatenate([corpus[1], generated[1]]),
                      corpus[2] + generated[2]))
    # out-of-fold probabilities: the threshold is chosen on rows the model did not see
    oof = []
    for f in (0, 1):
        oof.append(fit(parts[1 - f][0], parts[1 - f][1], args.l2, count_table([], 1, 1)).probability(parts[f][0]))
    p, y = np.concatenate(oof), np.concatenate([parts[0][1], parts[1][1]])
    part = BoundaryModel.part(np.vstack([parts[0][0], parts[1][0]]))
    threshold = threshold_for(p, y, args.precision)
    for line in per_part(p, y, part, threshold):
        print(f"out-of-fold, {line}")
    if args.dump:
        notes = parts[0][2] + parts[1][2]
        args.dump.write_text("".join(f"{q:.4f}\t{int(t)}\t{HEAD_KINDS[k]}\t{n}\n"
                                     for q, t, k, n in zip(p, y, part, notes, strict=True)), encoding="utf-8")
    x = np.vstack([parts[0][0], parts[1][0]])
    final = fit(x, y, args.l2, count_table(articles, args.min_pair, args.min_triple))
    for k, kind in enumerate(HEAD_KINDS):
        print(f"after a {kind}:")
        for name, weight in sorted(zip(FEATURES, final.weights[k], strict=True), key=lambda t: -abs(t[1]))[:12]:
            print(f"  {weight:+.3f}  {name}")
    data = final.to_json() | {"threshold": threshold, "trained_on": f"tune half, {len(articles)} articles",
                              "seed": args.seed}
    payload = gzip.compress(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"), mtime=0)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(payload)
    print(f"wrote {args.output} ({len(payload) / 1e6:.2f} MB); SplitsConfig.join_min_probability = {threshold}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
