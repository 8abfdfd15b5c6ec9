"""How well xcclean repairs pages it has never seen, against the established approaches.

Runs over N damaged pages from :mod:`benchmarks.damage` (the truth is known)
and reports, per damage type, **recall** (faults repaired) and **precision**
(edits of that type that were right), plus page-level **error reduction**
ER = 1 − lev(output, truth) / lev(raw, truth) over all pages (character
Levenshtein, rapidfuzz; fullwidth ASCII folded and blank-line runs collapsed
on every side first, so neither layout nor width choices count) and **lost
characters**: truth text the cleaner deleted that the raw page still had,
overall and on the hard negatives; and **clean pages changed**: of pages
built from the clean corpus (``--clean-pages``, four undamaged articles
each), how many a cleaner changed at all -- every such change is a mistake.
In the same run,
on the same pages:

* ``exact hash`` -- paragraph dedup by hash, keep the first (cc_net / dolma);
* ``minhash lsh`` -- datasketch MinHash-LSH over character 5-grams, threshold
  0.8, keep the first (text-dedup / datatrove style, at paragraph level);
* ``ftfy`` -- ``ftfy.fix_text`` alone.

    python benchmarks/quality.py                 # 200 pages, seed 0
    python benchmarks/quality.py --pages 50 --no-plot
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.damage import DAMAGE_TYPES, REMOVAL_TYPES, Generator, Page, load_articles  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_CLAIMED = {"exact_duplicate": "exact", "near_duplicate": "near_copy", "fragment_prefix": "fragment",
            "fragment_suffix": "fragment", "fragment_inner": "fragment", "contaminated_copy": "contaminated"}


def fold(text: str) -> str:
    """Fullwidth ASCII to ASCII, blank-line runs to one blank line, lines stripped."""
    text = text.translate(_WIDTH)
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def blocks_of(text: str) -> list[str]:
    return [b.strip() for b in re.split(r"\n[ \t\u3000]*\n", text.strip()) if b.strip()]


def error_reduction(raw: str, out: str, truth: str) -> tuple[int, int]:
    """(lev(raw, truth), lev(out, truth)) on folded text."""
    truth = fold(truth)
    return Levenshtein.distance(fold(raw), truth), Levenshtein.distance(fold(out), truth)


def unmatched(source: str, target: str) -> int:
    """Characters of ``source`` that an optimal alignment does not keep in ``target`` (spaces ignored)."""
    source, target = re.sub(r"\s+", "", source), re.sub(r"\s+", "", target)
    kept = sum(op.src_end - op.src_start for op in Levenshtein.opcodes(source, target) if op.tag == "equal")
    return len(source) - kept


def lost_characters(raw: str, out: str, truth: str) -> int:
    """Truth characters the cleaner deleted that the raw page still had."""
    truth = fold(truth)
    return max(0, unmatched(truth, fold(out)) - unmatched(truth, fold(raw)))


def lost_in(texts: list[str], out: str) -> int:
    """Characters of hard-negative blocks not found in the output."""
    out = fold(out)
    lost = 0
    for text in texts:
        text = fold(text)
        if text in out:
            continue
        found = fuzz.partial_ratio_alignment(text, out)
        window = out[found.dest_start : found.dest_end] if found else ""
        lost += unmatched(text, window)
    return lost


@dataclass
class Result:
    """What a cleaner did to one page, in terms of the page's input paragraph ids."""

    text: str
    final_ids: list[tuple[int, ...]]  # input ids making up each output block
    removed: dict[int, str] = field(default_factory=dict)  # id -> claimed type
    trimmed: set[int] = field(default_factory=set)
    tokens: dict[int, list[str]] = field(default_factory=dict)
    fixed: set[int] = field(default_factory=set)  # ids whose unicode was repaired (not just width)


def run_xcclean(cleaner: Any) -> Callable[[str], Result]:
    def clean(raw: str) -> Result:
        result = cleaner.explain(raw)
        line_block = _line_to_block(raw)
        out = Result(result.text, [b.ids for b in result.blocks])
        for edit in result.edits:
            if edit.kind in _CLAIMED:
                for ident in edit.ids:
                    out.removed[ident] = _CLAIMED[edit.kind]
            elif edit.kind == "splice_trimmed":
                out.trimmed.update(edit.ids)
            elif edit.kind == "stray_token":
                for ident in edit.ids:
                    out.tokens.setdefault(ident, []).append(str(edit.evidence["token"]))
            elif edit.kind == "unicode_fixed":
                steps = {step[1] for step in edit.evidence.get("ftfy_steps", [])}
                if steps - {"fix_character_width"}:
                    out.fixed.add(line_block[edit.block])
        return out

    return clean


def _line_to_block(raw: str) -> dict[int, int]:
    mapping, block, blank = {}, -1, True
    for number, line in enumerate(raw.replace("\r\n", "\n").split("\n")):
        if line.strip():
            if blank:
                block += 1
            mapping[number] = block
            blank = False
        else:
            blank = True
    return mapping


def run_exact(raw: str) -> Result:
    seen: set[str] = set()
    kept, out = [], Result("", [])
    for i, block in enumerate(blocks_of(raw)):
        key = re.sub(r"\s+", "", fold(block))
        if key in seen:
            out.removed[i] = "exact"
            continue
        seen.add(key)
        kept.append(i)
    texts = blocks_of(raw)
    out.text, out.final_ids = "\n\n".join(texts[i] for i in kept), [(i,) for i in kept]
    return out


def run_minhash(raw: str) -> Result:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    texts = blocks_of(raw)
    kept, out = [], Result("", [])
    for i, block in enumerate(texts):
        m = MinHash(num_perm=128)
        key = re.sub(r"\s+", "", block)
        for k in range(max(1, len(key) - 4)):
            m.update(key[k : k + 5].encode("utf-8"))
        if lsh.query(m):
            out.removed[i] = "near_copy"
            continue
        lsh.insert(str(i), m)
        kept.append(i)
    out.text, out.final_ids = "\n\n".join(texts[i] for i in kept), [(i,) for i in kept]
    return out


def run_ftfy(raw: str) -> Result:
    import ftfy

    texts = blocks_of(raw)
    fixed = [ftfy.fix_text(t) for t in texts]
    out = Result("\n\n".join(fixed), [(i,) for i in range(len(texts))])
    out.fixed = {i for i, (a, b) in enumerate(zip(texts, fixed, strict=True)) if fold(a) != fold(b)}
    return out


def score(page: Page, result: Result, tally: dict[str, list[int]]) -> None:
    """Add one page's recall and precision counts to ``tally[type] = [hit, faults, right, claims]``."""
    final = {ident: n for n, ids in enumerate(result.final_ids) for ident in ids}
    out_blocks = blocks_of(result.text)

    def text_of(ident: int) -> str:
        return fold(out_blocks[final[ident]]) if ident in final and final[ident] < len(out_blocks) else ""

    fault_of: dict[int, dict[str, Any]] = {}
    for entry in page.manifest:
        for ident in entry["blocks"]:
            if entry["type"] != "negative":
                fault_of[ident] = entry
    for entry in page.manifest:
        kind = entry["type"]
        if kind == "negative":
            continue
        blocks = entry["blocks"]
        truth_text = fold(entry.get("truth_text", ""))
        if kind in REMOVAL_TYPES:
            hit = all(i in result.removed or i not in final for i in blocks)
            if kind == "misplaced":
                original = next((i for i, t in enumerate(blocks_of(page.raw)) if t == entry["truth_text"]
                                 and i not in blocks), None)
                hit = hit and original is not None and original in final
        elif kind == "split":
            pieces = [i for i in blocks if page_piece(page, i, entry)]
            hit = any(all(p in ids for p in pieces) and list(ids).index(pieces[0]) + len(pieces) - 1
                      == list(ids).index(pieces[-1]) for ids in result.final_ids)
        elif kind == "splice":
            hit = bool(blocks) and fold(entry["spliced"]) not in text_of(blocks[0]) and truth_text in text_of(blocks[0])
        elif kind == "stray_token":
            hit = bool(blocks) and entry["token"] not in text_of(blocks[0])
        else:  # mojibake
            hit = bool(blocks) and truth_text in text_of(blocks[0])
        tally[kind][0] += hit
        tally[kind][1] += 1
    # precision: every claim the cleaner made
    for ident, claimed in result.removed.items():
        entry = fault_of.get(ident)
        right = entry is not None and entry["type"] in REMOVAL_TYPES
        kind = entry["type"] if right and entry else claimed
        tally[kind][2] += right
        tally[kind][3] += 1
    for ids in result.final_ids:
        for a, b in itertools.pairwise(ids):
            entry = fault_of.get(a)
            right = entry is not None and entry is fault_of.get(b) and entry["type"] == "split" and \
                page_piece(page, a, entry) and page_piece(page, b, entry)
            tally["split"][2] += right
            tally["split"][3] += 1
    for ident in result.trimmed:
        entry = fault_of.get(ident)
        tally["splice"][2] += entry is not None and entry["type"] == "splice"
        tally["splice"][3] += 1
    for ident, tokens in result.tokens.items():
        entry = fault_of.get(ident)
        for token in tokens:
            tally["stray_token"][2] += entry is not None and entry["type"] == "stray_token" and entry["token"] == token
            tally["stray_token"][3] += 1
    for ident in result.fixed:
        entry = fault_of.get(ident)
        tally["mojibake"][2] += entry is not None and entry["type"] == "mojibake"
        tally["mojibake"][3] += 1


def page_piece(page: Page, ident: int, entry: dict[str, Any]) -> bool:
    """Whether raw block ``ident`` is a piece of the split paragraph (not its caption)."""
    return blocks_of(page.raw)[ident] != entry.get("caption_text")


def evaluate(pages: list[Page], cleaners: dict[str, Callable[[str], Result]]) -> dict[str, dict[str, Any]]:
    report: dict[str, dict[str, Any]] = {}
    negatives = [(p, [t for e in p.manifest if e["type"] == "negative" for t in e["texts"]]) for p in pages]
    for name, clean in cleaners.items():
        tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        raw_dist = out_dist = lost = lost_neg = 0
        start = time.perf_counter()
        results = [clean(page.raw) for page in pages]
        elapsed = time.perf_counter() - start
        for page, result, (_, neg) in zip(pages, results, negatives, strict=True):
            score(page, result, tally)
            before, after = error_reduction(page.raw, result.text, page.truth)
            raw_dist += before
            out_dist += after
            lost += lost_characters(page.raw, result.text, page.truth)
            lost_neg += lost_in(neg, result.text)
        report[name] = {"tally": dict(tally), "er": 1 - out_dist / raw_dist if raw_dist else 1.0,
                        "lost": lost, "lost_negatives": lost_neg, "seconds": elapsed}
    return report


def clean_corpus_pages(articles: list[dict[str, Any]], per_page: int = 4) -> list[str]:
    """Pages of ``per_page`` clean articles (title + paragraphs): nothing to repair."""
    pages, blocks = [], []
    for n, article in enumerate(articles):
        blocks += [article["title"], *article["paragraphs"]]
        if n % per_page == per_page - 1:
            pages.append("\n\n".join(blocks))
            blocks = []
    return pages


def changed(result: Result) -> bool:
    """Whether a cleaner removed, trimmed, joined or repaired anything."""
    return bool(result.removed or result.trimmed or result.tokens or result.fixed
                or any(len(ids) > 1 for ids in result.final_ids))


def false_alarms(pages: list[str], cleaners: dict[str, Callable[[str], Result]]) -> dict[str, int]:
    """Clean pages each cleaner changed (each one a mistake)."""
    return {name: sum(changed(clean(page)) for page in pages) for name, clean in cleaners.items()}


def markdown(report: dict[str, dict[str, Any]], pages: int, command: str) -> str:
    names = list(report)
    lines = [f"# Quality on {pages} synthetic pages", "", f"Command: `{command}`", "",
             "Recall = faults repaired / faults injected; precision = right edits / edits of that type "
             "(— where the cleaner made none).", "",
             "| damage type | faults | " + " | ".join(f"{n} recall | {n} precision" for n in names) + " |",
             "|---|---:|" + "---:|---:|" * len(names)]

    def ratio(a: int, b: int) -> str:
        return f"{a / b:.3f}" if b else "—"

    for kind in DAMAGE_TYPES:
        faults = report[names[0]]["tally"].get(kind, [0, 0, 0, 0])[1]
        cells = []
        for name in names:
            hit, total, right, claims = report[name]["tally"].get(kind, [0, 0, 0, 0])
            cells += [ratio(hit, total), f"{ratio(right, claims)} ({claims})"]
        lines.append(f"| {kind} | {faults} | " + " | ".join(cells) + " |")
    clean_pages = report[names[0]].get("clean_pages", 0)
    lines += ["", f"| cleaner | error reduction | lost characters | lost on hard negatives | seconds "
              f"| clean pages changed (of {clean_pages}) |",
              "|---|---:|---:|---:|---:|---:|"]
    for name in names:
        r = report[name]
        lines.append(f"| {name} | {r['er']:.3f} | {r['lost']} | {r['lost_negatives']} | {r['seconds']:.2f} "
                     f"| {r.get('false_alarms', '—')} |")
    lines += ["", "Clean pages: articles of the clean corpus, four to a page, undamaged; any removal, "
              "trim, join, token removal or unicode repair there is a mistake."]
    return "\n".join(lines) + "\n"


def plot(report: dict[str, dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(report)
    fig, axes = plt.subplots(2, 1, figsize=(11, 7), sharex=True)
    width = 0.8 / len(names)
    for row, (metric, label) in enumerate(((0, "recall"), (2, "precision"))):
        ax = axes[row]
        for n, name in enumerate(names):
            values = []
            for kind in DAMAGE_TYPES:
                t = report[name]["tally"].get(kind, [0, 0, 0, 0])
                denominator = t[metric + 1]
                values.append(t[metric] / denominator if denominator else 0.0)
            ax.bar([k + n * width for k in range(len(DAMAGE_TYPES))], values, width, label=name)
        ax.set_ylabel(label)
        ax.set_ylim(0, 1.05)
    axes[1].set_xticks([k + 0.4 - width / 2 for k in range(len(DAMAGE_TYPES))], DAMAGE_TYPES, rotation=20)
    axes[0].legend(ncol=len(names), loc="lower right")
    axes[0].set_title("Recall and precision per damage type (same pages, same run)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rate", type=float, default=0.6)
    parser.add_argument("--no-plot", action="store_true")
    parser.add_argument("--clean-pages", type=int, default=1000,
                        help="clean corpus pages (4 articles each) checked for false alarms; 0 to skip")
    parser.add_argument("--output", type=Path, default=RESULTS / "quality.md")
    args = parser.parse_args()
    import xcclean

    pages = Generator(load_articles(), args.seed, args.rate).pages(args.pages)
    cleaners = {"xcclean": run_xcclean(xcclean.Cleaner()), "exact hash": run_exact,
                "minhash lsh": run_minhash, "ftfy": run_ftfy}
    report = evaluate(pages, cleaners)
    if args.clean_pages:
        clean_pages = clean_corpus_pages(load_articles(limit=4 * args.clean_pages))
        for name, count in false_alarms(clean_pages, cleaners).items():
            report[name] |= {"false_alarms": count, "clean_pages": len(clean_pages)}
    text = markdown(report, args.pages, "python benchmarks/quality.py " + " ".join(sys.argv[1:]))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    if not args.no_plot:
        plot(report, args.output.with_suffix(".png"))
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
