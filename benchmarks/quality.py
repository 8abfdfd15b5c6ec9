"""How well xcclean repairs pages it has never seen, against the established approaches.

Pages come from :mod:`benchmarks.damage` (synthetic damage drawn past every
limit, the truth known) built from one half of the corpus -- *test* for
every published figure, *tune* while developing -- with several generator
seeds; and, where they have been built, from :mod:`benchmarks.ocr_pages`
(damage made by a real OCR engine). Reported, per damage type:

* **recall**: faults repaired. A removed copy counts only when every damaged
  copy is gone and the clean paragraph stays (of exact copies in one
  article, any one of them); a split when all its pieces are one paragraph,
  in order; a splice when the paragraph is exactly its truth again.
* **precision**: edits of that type that were right. A removal is right if
  it took a damaged copy (or one of several equal copies, one staying); a
  join if it joined two consecutive pieces of one cut paragraph.
* **error reduction** ER = 1 − lev(output, truth) / lev(raw, truth) over all
  pages (character Levenshtein, fullwidth ASCII folded and blank-line runs
  collapsed first), **lost characters** (truth text the cleaner deleted that
  the raw page had) overall and on the hard negatives, and **clean pages
  changed**: pages of the same half with hard negatives but no damage that a
  cleaner changed at all (every such change is a mistake).

Each figure is the mean over the seeds, with the range (min–max). A
**boundary table** buckets every fault by the parameters it was drawn with
(glue length, fragment length, misread share, head length, …), the
cleaner's limit beside each, so it shows where the cleaner stops.

Baselines, same pages, same run: paragraph hash dedup (cc_net / dolma),
datasketch MinHash-LSH (Jaccard, char 5-grams, 0.8, keep the first:
text-dedup / datatrove at paragraph level), datasketch MinHashLSHEnsemble
(containment 0.8: the established answer to truncated copies; a paragraph
contained in a longer or earlier one goes), ftfy alone (``uncurl_quotes=False``:
its default straightens Chinese quotes).

    python benchmarks/quality.py                          # test half, 5 seeds x 200 pages
    python benchmarks/quality.py --half tune --seeds 0 1  # while developing (written to benchmarks/.cache/)
"""

from __future__ import annotations

import argparse
import copy
import itertools
import json
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.damage import REMOVAL_TYPES, Generator, Page, load_articles  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
CACHE = ROOT / "benchmarks" / ".cache"
_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# The rows of the report: removal types by shape, splits by what makes them hard.
ROWS = ("exact", "near_copy", "misplaced", "prefix", "suffix", "inner", "contaminated", "splice",
        "split", "split_3", "split_caption", "stray_token", "mojibake")
_CLAIMED = {"exact_duplicate": "exact", "near_duplicate": "near_copy", "fragment_prefix": "prefix",
            "fragment_suffix": "suffix", "fragment_inner": "inner", "contaminated_copy": "contaminated"}
Tally = dict[str, list[int]]  # row -> [hits, faults, right claims, claims]


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


_WINDOW = 6  # characters: a window that survives a misread every few characters


def present(truth: str, text: str, n: int = _WINDOW) -> list[bool]:
    """For each character of ``truth``, whether an n-gram around it occurs anywhere in ``text``
    (spaces ignored): present content, wherever it stands."""
    truth, text = re.sub(r"\s+", "", truth), re.sub(r"\s+", "", text)
    grams = {text[i : i + n] for i in range(len(text) - n + 1)}
    found = [False] * len(truth)
    for i in range(len(truth) - n + 1):
        if truth[i : i + n] in grams:
            found[i : i + n] = [True] * n
    return found


def lost_characters(raw: str, out: str, truth: str) -> int:
    """Truth characters present in the raw page (anywhere) and absent from the output (anywhere):
    unique content the cleaner deleted. A paragraph kept in another place is not lost (error
    reduction counts the move)."""
    truth, raw, out = fold(truth), fold(raw), fold(out)
    return sum(r and not o for r, o in zip(present(truth, raw), present(truth, out), strict=True))


def lost_as_written(page: Page, out: str) -> tuple[int, int]:
    """(lost, kept): characters of the text as written (``page.written``) that the output loses
    beyond what the truth reading loses, and that it keeps beyond it, both from the raw page.

    Where the truth is itself a reading (the real-OCR pages: the engine's reading of each whole
    block), a cleaner that keeps another reading of a block keeps the glyphs that reading got
    right and the truth misread (大会堂 where the truth reads 大会党): against the truth that
    counts as lost, against the text as written it is kept. (0, 0) for a page with no ``written``."""
    if page.written is None:
        return 0, 0
    diff = lost_characters(page.raw, out, page.written) - lost_characters(page.raw, page.truth, page.written)
    return max(0, diff), max(0, -diff)


AS_WRITTEN_NOTE = ("As written: the truth of the real-OCR pages is the engine's reading of each whole block, "
                   "misreads included; against the articles as typeset (`quality.lost_as_written`), the "
                   "characters the output loses beyond what the truth reading loses, and those it keeps that "
                   "the truth reading misread (another reading of the block had them right).")


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


def lost_negatives(texts: list[str], out: str, truth: str) -> int:
    """Characters of hard-negative blocks missing from the output, less those missing from the truth
    page: later damage drawn on a negative block (a stray token that took a word's place: 景区 ->
    bmx) takes characters out of the truth too, and no cleaner can bring them back."""
    return max(0, lost_in(texts, out) - lost_in(texts, truth))


@dataclass
class Result:
    """What a cleaner did to one page, in terms of the page's input paragraph ids."""

    text: str
    final_ids: list[tuple[int, ...]]  # input ids making up each output block
    removed: dict[int, str] = field(default_factory=dict)  # id -> claimed row
    trimmed: set[int] = field(default_factory=set)
    tokens: dict[int, list[str]] = field(default_factory=dict)
    fixed: set[int] = field(default_factory=set)  # ids whose unicode was repaired (not just width)
    edits: list[str] = field(default_factory=list)  # kinds of every change (for clean pages)


# -- the cleaners -------------------------------------------------------------------------
def run_xcclean(cleaner: Any) -> Callable[[str], Result]:
    def clean(raw: str) -> Result:
        result = cleaner.explain(raw)
        line_block = _line_to_block(raw)
        out = Result(result.text, [b.ids for b in result.blocks])
        for edit in result.edits:
            if edit.kind.startswith("suspect") or edit.kind == "layout":
                continue
            if edit.kind != "unicode_fixed" or _repairs_more_than_width(edit):
                out.edits.append(f"{edit.kind}: {edit.evidence.get('rule', '')}".rstrip(": "))
            if edit.kind in _CLAIMED:
                for ident in edit.ids:
                    out.removed[ident] = _CLAIMED[edit.kind]
            elif edit.kind == "splice_trimmed":
                out.trimmed.update(edit.ids)
            elif edit.kind == "stray_token":
                for ident in edit.ids:
                    out.tokens.setdefault(ident, []).append(str(edit.evidence["token"]))
            elif edit.kind == "unicode_fixed" and _repairs_more_than_width(edit):
                out.fixed.add(line_block[edit.block])
        return out

    return clean


def _repairs_more_than_width(edit: Any) -> bool:
    steps = {step[1] for step in edit.evidence.get("ftfy_steps", [])}
    return bool(steps - {"fix_character_width"})


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


def _keep(raw: str, drop: Callable[[int, str, list[str]], str | None]) -> Result:
    """A paragraph filter: ``drop(i, key, texts)`` names the claimed row of a paragraph to remove."""
    texts = blocks_of(raw)
    out = Result("", [])
    kept = []
    for i, block in enumerate(texts):
        claim = drop(i, re.sub(r"\s+", "", fold(block)), texts)
        if claim:
            out.removed[i] = claim
            out.edits.append(claim)
        else:
            kept.append(i)
    out.text, out.final_ids = "\n\n".join(texts[i] for i in kept), [(i,) for i in kept]
    return out


def run_exact(raw: str) -> Result:
    seen: set[str] = set()

    def drop(_i: int, key: str, _texts: list[str]) -> str | None:
        if key in seen:
            return "exact"
        seen.add(key)
        return None

    return _keep(raw, drop)


def _minhash(key: str) -> Any:
    from datasketch import MinHash

    m = MinHash(num_perm=128)
    for k in range(max(1, len(key) - 4)):
        m.update(key[k : k + 5].encode("utf-8"))
    return m


def run_minhash(raw: str) -> Result:
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=0.8, num_perm=128)

    def drop(i: int, key: str, _texts: list[str]) -> str | None:
        m = _minhash(key)
        if lsh.query(m):
            return "near_copy"
        lsh.insert(str(i), m)
        return None

    return _keep(raw, drop)


_ENSEMBLE: list[Any] = []


def run_ensemble(raw: str) -> Result:
    """datasketch MinHashLSHEnsemble: a paragraph whose shingles are contained (>= 0.8) in a longer
    paragraph of the page, or in an earlier one of the same length, goes."""
    if not _ENSEMBLE:
        from datasketch import MinHashLSHEnsemble

        _ENSEMBLE.append(MinHashLSHEnsemble(threshold=0.8, num_perm=128, num_part=16))  # its set-up is slow
    texts = blocks_of(raw)
    keys = [re.sub(r"\s+", "", fold(t)) for t in texts]
    hashes = [_minhash(k) for k in keys]
    sizes = [max(1, len(k) - 4) for k in keys]
    index = copy.deepcopy(_ENSEMBLE[0])
    index.index([(str(i), m, s) for i, (m, s) in enumerate(zip(hashes, sizes, strict=True))])

    def drop(i: int, _key: str, _texts: list[str]) -> str | None:
        for name in index.query(hashes[i], sizes[i]):
            j = int(name)
            if j != i and (len(keys[j]) > len(keys[i]) or (len(keys[j]) == len(keys[i]) and j < i)):
                return "exact" if keys[j] == keys[i] else "prefix"
        return None

    return _keep(raw, drop)


def run_ftfy(raw: str) -> Result:
    import ftfy

    texts = blocks_of(raw)
    fixed = [ftfy.fix_text(t, uncurl_quotes=False) for t in texts]
    out = Result("\n\n".join(fixed), [(i,) for i in range(len(texts))])
    out.fixed = {i for i, (a, b) in enumerate(zip(texts, fixed, strict=True)) if fold(a) != fold(b)}
    out.edits = ["unicode_fixed"] * len(out.fixed)
    return out


def cleaners() -> dict[str, Callable[[str], Result]]:
    import xcclean

    return {"xcclean": run_xcclean(xcclean.Cleaner()), "exact hash": run_exact, "minhash lsh": run_minhash,
            "lsh ensemble": run_ensemble, "ftfy": run_ftfy}


# -- scoring ----------------------------------------------------------------------------------
def row_of(entry: dict[str, Any]) -> str:
    """The report row of a fault (fragments by shape)."""
    return str(entry["shape"]) if entry["type"] == "fragment" else str(entry["type"])


def source_block(page_blocks: list[str], entry: dict[str, Any]) -> int | None:
    """The raw block holding the clean paragraph a copy repeats."""
    if "source_block" in entry:
        return int(entry["source_block"])
    return next((i for i, t in enumerate(page_blocks) if t == entry.get("truth_text") and i not in entry["blocks"]),
                None)


class _Scorer:
    """One page's faults against what one cleaner did (see the module docstring)."""

    def __init__(self, page: Page, result: Result) -> None:
        self.page, self.result = page, result
        self.raw = blocks_of(page.raw)
        self.final = {ident: n for n, ids in enumerate(result.final_ids) for ident in ids}
        self.out = blocks_of(result.text)
        self.faults = [e for e in page.manifest if e["type"] != "negative"]
        self.fault_of = {i: e for e in self.faults for i in e["blocks"]}

    def text_of(self, ident: int) -> str:
        n = self.final.get(ident)
        return fold(self.out[n]) if n is not None and n < len(self.out) else ""

    def kept(self, ident: int | None) -> bool:
        return ident is not None and ident in self.final

    def hit(self, entry: dict[str, Any]) -> bool:
        kind = entry["type"]
        if kind in REMOVAL_TYPES:
            return self._removed(entry)
        if kind == "split":
            return self._joined(entry)
        if kind == "splice":
            return bool(entry["blocks"]) and self.text_of(entry["blocks"][0]) == fold(entry["truth_text"])
        if kind == "stray_token":
            return bool(entry["blocks"]) and entry["token"] not in self.text_of(entry["blocks"][0])
        return bool(entry["blocks"]) and fold(entry["truth_text"]) in self.text_of(entry["blocks"][0])

    def _removed(self, entry: dict[str, Any]) -> bool:
        source = source_block(self.raw, entry)
        group = [*entry["blocks"], *([source] if source is not None else [])]
        survivors = [i for i in group if self.kept(i)]
        if entry["type"] == "exact" and not entry.get("chained"):
            return len(survivors) == 1  # equal copies in one article: any one of them may stay
        return survivors == [source]

    def _pieces(self, entry: dict[str, Any]) -> list[int]:
        caption = entry.get("caption_text")
        return [i for i in entry["blocks"] if self.raw[i] != caption]

    def _joined(self, entry: dict[str, Any]) -> bool:
        pieces = self._pieces(entry)
        for ids in self.result.final_ids:
            if pieces[0] in ids:
                at = list(ids).index(pieces[0])
                return list(ids[at : at + len(pieces)]) == pieces
        return False

    def right_removal(self, ident: int) -> dict[str, Any] | None:
        """The fault a removal of ``ident`` repairs, if any."""
        entry = self.fault_of.get(ident)
        if entry is not None and entry["type"] in REMOVAL_TYPES:
            return entry
        for entry in self.faults:  # the source of equal copies: right if one copy stays
            if entry["type"] == "exact" and not entry.get("chained") and source_block(self.raw, entry) == ident \
                    and self._removed(entry):
                return entry
        return None

    def right_join(self, a: int, b: int) -> bool:
        entry = self.fault_of.get(a)
        if entry is None or entry is not self.fault_of.get(b):
            return False
        if entry["type"] == "split":
            pieces = self._pieces(entry)
            return a in pieces and b in pieces and pieces.index(b) == pieces.index(a) + 1
        return entry.get("chained") == "split copy" and entry["blocks"].index(b) == entry["blocks"].index(a) + 1


def split_rows(entry: dict[str, Any]) -> list[str]:
    rows = ["split"]
    if entry.get("pieces", 2) >= 3:
        rows.append("split_3")
    if entry.get("caption"):
        rows.append("split_caption")
    return rows


def score(page: Page, result: Result, tally: Tally, buckets: dict[tuple[str, str, str], list[int]] | None = None
          ) -> None:
    """Add one page's recall and precision counts to ``tally[row] = [hits, faults, right, claims]``
    (and, given ``buckets``, each fault's hit to the buckets of its parameters)."""
    s = _Scorer(page, result)
    for entry in s.faults:
        hit = s.hit(entry)
        for row in (split_rows(entry) if entry["type"] == "split" else [row_of(entry)]):
            tally[row][0] += hit
            tally[row][1] += 1
        if buckets is not None:
            for name, label in parameters(entry) + _page_parameters(entry, page):
                cell = buckets[(row_of(entry), name, label)]
                cell[0] += hit
                cell[1] += 1
    for ident, claimed in result.removed.items():
        entry = s.right_removal(ident)
        row = row_of(entry) if entry is not None else claimed
        tally[row][2] += entry is not None
        tally[row][3] += 1
    for ids in result.final_ids:
        for a, b in itertools.pairwise(ids):
            tally["split"][2] += s.right_join(a, b)
            tally["split"][3] += 1
    for ident in result.trimmed:
        entry = s.fault_of.get(ident)
        tally["splice"][2] += entry is not None and entry["type"] == "splice"
        tally["splice"][3] += 1
    for ident, tokens in result.tokens.items():
        entry = s.fault_of.get(ident)
        for token in tokens:
            tally["stray_token"][2] += entry is not None and entry["type"] == "stray_token" and entry["token"] == token
            tally["stray_token"][3] += 1
    for ident in result.fixed:
        entry = s.fault_of.get(ident)
        tally["mojibake"][2] += entry is not None and entry["type"] == "mojibake"
        tally["mojibake"][3] += 1


# -- the boundary table -------------------------------------------------------------------
def _bucket(value: float, edges: Iterable[float]) -> str:
    """``value``'s bucket among ``edges`` (lower bounds, ascending): "a–b" or "a+"."""
    edges = list(edges)
    for low, high in itertools.pairwise(edges):
        if low <= value < high:
            return f"{low:g}–{high:g}" if isinstance(high, float) else f"{low:g}–{high - 1:g}"
    return f"{edges[-1]:g}+"


def _ocr_parameters(entry: dict[str, Any]) -> list[tuple[str, str]]:
    """The boundary buckets of a fault made by the real-OCR pages (their own parameter names)."""
    kind, out = entry["type"], []
    if "position" in entry:
        out.append(("copy placed", f"{entry['position']} its source"))
    if entry.get("distance"):
        out.append(("distance (blocks)", _bucket(entry["distance"], (1, 2, 4, 13))))
    if kind == "fragment":
        out += [("fragment length", _bucket(entry["chars"], (0, 12, 20, 40, 80))),
                ("lines", "one" if entry["lines"] == 1 else "several")]
    if kind == "contaminated":
        out.append(("glue length", _bucket(entry["glued_chars"], (1, 5, 9, 13, 21))))
    if kind == "split":
        out += [("head length", _bucket(entry["head_chars"], (1, 3, 5, 7, 21, 41))),
                ("caption between", str(entry["caption"]))]
    return out


def parameters(entry: dict[str, Any]) -> list[tuple[str, str]]:
    """(parameter, bucket) pairs a fault is counted under in the boundary table."""
    if entry.get("ocr"):
        return _ocr_parameters(entry)
    kind, out = entry["type"], []
    if "side" in entry:
        out.append(("copy placed", f"{entry['side']} its source"))
    if kind in ("exact", "near_copy", "misplaced"):
        out.append(("copies", str(entry.get("copies", 1))))
        if entry.get("distance"):
            out.append(("distance (blocks)", _bucket(entry["distance"], (1, 2, 4, 13))))
        if entry.get("chained"):
            out.append(("chained", str(entry["chained"])))
    if "misread_share" in entry:
        out.append(("misread share", _bucket(entry["misread_share"], (0.0, 0.02, 0.05, 0.1, 0.15))))
        out.append(("indels", str(entry.get("indels", 0))))
        if "misread_run" in entry:
            out.append(("longest misread run", str(entry["misread_run"])))
    if kind == "fragment":
        out.append(("fragment length", _bucket(entry["length"], (0, 12, 20, 40, 80))))
        out.append(("share of source", _bucket(entry["share"], (0.0, 0.3, 0.6, 0.9))))
    if kind == "contaminated":
        out.append(("glue length", _bucket(entry["glue"], (1, 5, 9, 13, 21))))
        out += [("glue side", entry["glue_side"]), ("glue from", entry["glue_from"])]
    if kind == "splice":
        out += [("spliced tail", _bucket(entry["tail"], (0, 8, 20, 40))), ("variant", entry["variant"]),
                ("direction", entry["direction"])]
    if kind == "split":
        out += [("head length", _bucket(entry["head"], (1, 3, 5, 7, 21, 41))),
                ("tail length", _bucket(entry["tail"], (1, 3, 7, 21, 41))),
                ("pieces", str(entry["pieces"])), ("caption between", str(entry["caption"])),
                ("cut right after a full stop", str(entry["after_stop"]))]
    if kind == "stray_token":
        out += [("English Zipf", _bucket(entry["zipf"], (0.0, 3.0, 4.0, 5.0))),
                ("Chinese Zipf", _chinese_use(entry["token"])),
                ("spacing", "spaced" if entry["spaced"] else "glued")]
    return out


def _page_parameters(entry: dict[str, Any], page: Page) -> list[tuple[str, str]]:
    """Buckets that read the damaged page: for a stray token, the page's Chinese characters per word
    in Latin letters as the stray-token stage counts them, over the whole raw page (the strays counted)."""
    if entry["type"] != "stray_token":
        return []
    from xcclean.chars import HAN_RE
    from xcclean.config import TokensConfig
    from xcclean.stages.stray_tokens import _latin_words, _tokens

    config = TokensConfig()
    words = _latin_words([token for token, _, _ in _tokens(page.raw)], config)
    per_word = len(HAN_RE.findall(page.raw)) / max(1, len(words))
    # edges straddle mixed_han_per_word in use (300, 600, 1000 at the default)
    edges = (0, config.mixed_han_per_word, 2 * config.mixed_han_per_word, 1000)
    return [("page: Chinese characters per Latin word", _bucket(per_word, edges))]


def _chinese_use(token: str) -> str:
    """A stray's bucket by wordfreq's Chinese Zipf and, from ``loanword_min_zipf`` up, its gap below
    the English Zipf against ``loanword_max_gap`` (the limits of the Config in use)."""
    import wordfreq

    from xcclean.config import TokensConfig

    t = TokensConfig()
    zh = wordfreq.zipf_frequency(token, "zh")
    if zh < t.loanword_min_zipf:
        return _bucket(zh, (0.0, t.mixed_loanword_min_zipf, t.loanword_min_zipf))
    gap = wordfreq.zipf_frequency(token, "en") - zh
    return f"{t.loanword_min_zipf:g}+, gap " + (f"under {t.loanword_max_gap:g}" if gap < t.loanword_max_gap
                                               else f"{t.loanword_max_gap:g}+")


def limits() -> dict[tuple[str, str], str]:
    """The cleaner's limit beside each parameter it has one for (read from the Config in use)."""
    import xcclean

    e = xcclean.Config().engine
    t = xcclean.Config().tokens
    return {
        ("near_copy", "misread share"): f"max_misread_share {e.max_misread_share}, "
                                        f"{e.max_shown_misread_share} where each breaks a word",
        ("near_copy", "indels"): f"max_indel_marks {e.max_indel_marks}, max_han_indel_share "
                                 f"{e.max_han_indel_share} beside fewer than 2 word-breaking misreads",
        ("misplaced", "misread share"): f"max_misread_share {e.max_misread_share}, "
                                        f"{e.max_shown_misread_share} where each breaks a word",
        **{(kind, "longest misread run"): f"max_misread_run {e.max_misread_run}, {e.max_broken_misread_run} "
                                          f"inside a longer word, {e.max_garbled_run} where garbled, any "
                                          f"beside {e.misreads_per_word} word-breaking misreads"
           for kind in ("near_copy", "misplaced")},
        **{(shape, "fragment length"): f"min_fragment_chars {e.min_fragment_chars}, "
                                       f"{e.min_unique_fragment_chars} if unique"
           for shape in ("prefix", "suffix", "inner")},
        ("contaminated", "glue length"): f"contamination_max_chars {e.contamination_max_chars}",
        ("splice", "spliced tail"): f"splice_min_chars {e.splice_min_chars}, {e.min_unique_fragment_chars} "
                                    "after a finished sentence",
        ("split", "head length"): f"model_min_head_chars {xcclean.Config().splits.model_min_head_chars} "
                                  "without a mark at the cut",
        ("stray_token", "English Zipf"): f"stray_min_zipf {t.stray_min_zipf}",
        ("stray_token", "Chinese Zipf"): f"loanword_min_zipf {t.loanword_min_zipf} less than loanword_max_gap "
                                         f"{t.loanword_max_gap} below English; mixed_loanword_min_zipf "
                                         f"{t.mixed_loanword_min_zipf} on mixed pages",
        ("stray_token", "page: Chinese characters per Latin word"): f"mixed_han_per_word {t.mixed_han_per_word}",
    }


# -- a run -------------------------------------------------------------------------------
def evaluate(pages: list[Page], cleaners: dict[str, Callable[[str], Result]]) -> dict[str, dict[str, Any]]:
    """Every cleaner on every page: tallies, ER, lost characters, time, and the boundary buckets."""
    report: dict[str, dict[str, Any]] = {}
    negatives = [[t for e in p.manifest if e["type"] == "negative" for t in e["texts"]] for p in pages]
    for name, clean in cleaners.items():
        tally: Tally = defaultdict(lambda: [0, 0, 0, 0])
        buckets: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
        raw_dist = out_dist = lost = lost_neg = lost_written = kept_written = 0
        start = time.perf_counter()
        results = [clean(page.raw) for page in pages]
        elapsed = time.perf_counter() - start
        for page, result, neg in zip(pages, results, negatives, strict=True):
            score(page, result, tally, buckets)
            before, after = error_reduction(page.raw, result.text, page.truth)
            raw_dist += before
            out_dist += after
            lost += lost_characters(page.raw, result.text, page.truth)
            lost_neg += lost_negatives(neg, result.text, page.truth)
            more, fewer = lost_as_written(page, result.text)
            lost_written += more
            kept_written += fewer
        report[name] = {"tally": dict(tally), "buckets": dict(buckets),
                        "er": 1 - out_dist / raw_dist if raw_dist else 1.0,
                        "lost": lost, "lost_negatives": lost_neg, "seconds": elapsed}
        if any(page.written is not None for page in pages):
            report[name] |= {"lost_written": lost_written, "kept_written": kept_written}
    return report


def changed(result: Result) -> bool:
    """Whether a cleaner removed, trimmed, joined or repaired anything."""
    return bool(result.edits or any(len(ids) > 1 for ids in result.final_ids))


def false_alarms(pages: list[str], cleaners: dict[str, Callable[[str], Result]]) -> dict[str, dict[str, Any]]:
    """Clean pages each cleaner changed (each one a mistake), and what it did to them."""
    out: dict[str, dict[str, Any]] = {}
    for name, clean in cleaners.items():
        results = [clean(page) for page in pages]
        what: dict[str, int] = defaultdict(int)
        for result in results:
            for edit in result.edits:
                what[edit] += 1
            what["split_joined"] += sum(len(ids) - 1 for ids in result.final_ids)
        out[name] = {"changed": sum(map(changed, results)), "pages": len(pages),
                     "edits": {k: v for k, v in what.items() if v}}
    return out


def clean_corpus_pages(articles: list[dict[str, Any]], per_page: int = 4) -> list[str]:
    """Pages of ``per_page`` clean articles (title + paragraphs): nothing to repair."""
    pages, blocks = [], []
    for n, article in enumerate(articles):
        blocks += [article["title"], *article["paragraphs"]]
        if n % per_page == per_page - 1:
            pages.append("\n\n".join(blocks))
            blocks = []
    return pages


def run(half: str, seeds: list[int], pages: int, clean_pages: int, rate: float) -> dict[str, Any]:
    """Every seed's report, the clean-page check and the real-OCR pages where they exist."""
    articles = load_articles(half)  # type: ignore[arg-type]
    runners = cleaners()
    by_seed = {seed: evaluate(Generator(articles, seed, rate).pages(pages), runners) for seed in seeds}
    clean = Generator(articles, 1000 + seeds[0], rate).clean_pages(clean_pages)
    alarms = false_alarms([p.raw for p in clean], runners) if clean_pages else {}
    return {"half": half, "seeds": seeds, "pages": pages, "rate": rate, "by_seed": by_seed,
            "false_alarms": alarms, "ocr": ocr_report(half, runners)}


def ocr_report(half: str, runners: dict[str, Callable[[str], Result]]) -> dict[str, Any] | None:
    """The real-OCR pages of :mod:`benchmarks.ocr_pages` (built if Tesseract is here; else None, and the
    report says why)."""
    from benchmarks import ocr_pages

    try:
        loaded = ocr_pages.load_pages(half, 0)  # type: ignore[arg-type]
    except ocr_pages.OcrUnavailable as why:
        print(f"real-OCR pages skipped: {why}", file=sys.stderr)
        return None
    damaged, undamaged = [p for p in loaded if p.manifest], [p for p in loaded if not p.manifest]
    return {"pages": len(damaged), "report": evaluate(damaged, runners),
            "undamaged": false_alarms([p.raw for p in undamaged], runners)}


# -- the report ---------------------------------------------------------------------------
def _ratio(a: float, b: float) -> float | None:
    return a / b if b else None


def _summary(values: list[float | None]) -> str:
    got = [v for v in values if v is not None]
    if not got:
        return "—"
    mean = statistics.fmean(got)
    return f"{mean:.3f}" if max(got) - min(got) < 0.0005 else f"{mean:.3f} ({min(got):.3f}–{max(got):.3f})"


def markdown(result: dict[str, Any], command: str) -> str:
    by_seed = result["by_seed"]
    seeds = list(by_seed)
    names = list(by_seed[seeds[0]])
    lines = [f"# Quality on the {result['half']} half: {len(seeds)} generator seeds × {result['pages']} pages",
             "", f"Command: `{command}`", "",
             "Recall = faults repaired / faults; precision = right edits / edits of that type (— none made). "
             "Each cell: mean over the seeds (min–max). Faults per seed are the mean count.", ""]
    lines += ["| damage type | faults | " + " | ".join(f"{n} recall | {n} precision" for n in names) + " |",
              "|---|---:|" + "---:|---:|" * len(names)]
    for row in ROWS:
        faults = statistics.fmean(by_seed[s][names[0]]["tally"].get(row, [0, 0, 0, 0])[1] for s in seeds)
        cells = []
        for name in names:
            tallies = [by_seed[s][name]["tally"].get(row, [0, 0, 0, 0]) for s in seeds]
            cells.append(_summary([_ratio(t[0], t[1]) for t in tallies]))
            claims = sum(t[3] for t in tallies)
            cells.append(_summary([_ratio(t[2], t[3]) for t in tallies]) + (f" [{claims}]" if claims else ""))
        lines.append(f"| {row} | {faults:.0f} | " + " | ".join(cells) + " |")
    lines += ["", "Rows `split_3` (three pieces or more) and `split_caption` (a caption between the pieces) are "
              "subsets of `split`; their joins count under `split`. [n]: edits made over all seeds.", "",
              "| cleaner | error reduction | lost characters | lost on hard negatives | seconds per seed |",
              "|---|---:|---:|---:|---:|"]
    for name in names:
        runs = [by_seed[s][name] for s in seeds]
        lines.append(f"| {name} | {_summary([r['er'] for r in runs])} | "
                     f"{statistics.fmean(r['lost'] for r in runs):.0f} ({min(r['lost'] for r in runs)}–"
                     f"{max(r['lost'] for r in runs)}) | {statistics.fmean(r['lost_negatives'] for r in runs):.0f} | "
                     f"{statistics.fmean(r['seconds'] for r in runs):.1f} |")
    lines += _alarms_section(result["false_alarms"], "Clean pages (same half, hard negatives, no damage)")
    lines += _boundary_section(by_seed, names[0])
    if result.get("ocr"):
        lines += _ocr_section(result["ocr"])
    return "\n".join(lines) + "\n"


def _alarms_section(alarms: dict[str, dict[str, Any]], title: str) -> list[str]:
    if not alarms:
        return []
    lines = ["", f"## {title}", "", "| cleaner | pages changed | edits made |", "|---|---:|---|"]
    for name, found in alarms.items():
        ranked = sorted(found["edits"].items(), key=lambda kv: -kv[1])
        edits = ", ".join(f"{k} ×{v}" for k, v in ranked[:8])
        if len(ranked) > 8:  # the rest counted, not hidden
            edits += f", and {len(ranked) - 8} more kinds ×{sum(v for _, v in ranked[8:])}"
        lines.append(f"| {name} | {found['changed']} of {found['pages']} | {edits or '—'} |")
    return lines


def _boundary_section(by_seed: dict[int, dict[str, Any]], name: str, title: str = "all seeds pooled") -> list[str]:
    pooled: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for report in by_seed.values():
        for key, (hit, total) in report[name]["buckets"].items():
            pooled[key][0] += hit
            pooled[key][1] += total
    marks = limits()
    lines = ["", f"## Boundary table ({name}, {title})", "",
             "Recall of each damage type by the parameters each fault was drawn with; the cleaner's "
             "limit for a parameter, where it has one, stands beside it.", "",
             "| damage type | parameter (limit) | bucket | faults | recall |", "|---|---|---|---:|---:|"]
    for (row, param, label) in sorted(pooled, key=_bucket_order):
        hit, total = pooled[(row, param, label)]
        limit = marks.get((row, param))
        lines.append(f"| {row} | {param}{f' ({limit})' if limit else ''} | {label} | {total} | {hit / total:.3f} |")
    return lines


def _bucket_order(key: tuple[str, str, str]) -> tuple[int, str, float, str]:
    row, param, label = key
    number = re.match(r"[\d.]+", label)
    return (ROWS.index(row) if row in ROWS else 99, param, float(number.group()) if number else 0.0, label)


def _ocr_section(ocr: dict[str, Any]) -> list[str]:
    report = ocr["report"]
    names = list(report)
    lines = ["", f"## Pages damaged by a real OCR engine ({ocr['pages']} pages, benchmarks/ocr_pages.py)", "",
             "| damage type | faults | " + " | ".join(f"{n} recall | {n} precision" for n in names) + " |",
             "|---|---:|" + "---:|---:|" * len(names)]
    for row in ROWS:
        faults = report[names[0]]["tally"].get(row, [0, 0, 0, 0])[1]
        if not faults:
            continue
        cells = []
        for name in names:
            t = report[name]["tally"].get(row, [0, 0, 0, 0])
            cells += [_summary([_ratio(t[0], t[1])]), _summary([_ratio(t[2], t[3])]) + (f" [{t[3]}]" if t[3] else "")]
        lines.append(f"| {row} | {faults} | " + " | ".join(cells) + " |")
    lines += ["", "| cleaner | error reduction | lost characters | as written: lost beyond the truth reading | "
              "as written: kept beyond it |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {n} | {report[n]['er']:.3f} | {report[n]['lost']} | {report[n].get('lost_written', '—')} | "
              f"{report[n].get('kept_written', '—')} |" for n in names]
    lines += ["", AS_WRITTEN_NOTE]
    lines += _alarms_section(ocr["undamaged"], "Undamaged real-OCR pages")
    lines += _boundary_section({0: report}, names[0], "real-OCR pages")
    return lines


def plot(result: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    by_seed = result["by_seed"]
    names = list(next(iter(by_seed.values())))
    fig, axes = plt.subplots(2, 1, figsize=(12, 7), sharex=True)
    width = 0.8 / len(names)
    for row_axis, (metric, label) in enumerate(((0, "recall"), (2, "precision"))):
        ax = axes[row_axis]
        for n, name in enumerate(names):
            values = []
            for row in ROWS:
                got = [_ratio(r[name]["tally"].get(row, [0, 0, 0, 0])[metric],
                              r[name]["tally"].get(row, [0, 0, 0, 0])[metric + 1]) for r in by_seed.values()]
                got = [g for g in got if g is not None]
                values.append(statistics.fmean(got) if got else 0.0)
            ax.bar([k + n * width for k in range(len(ROWS))], values, width, label=name)
        ax.set_ylabel(label)
        ax.set_ylim(0, 1.05)
    axes[1].set_xticks([k + 0.4 - width / 2 for k in range(len(ROWS))], ROWS, rotation=25)
    axes[0].legend(ncol=len(names), loc="lower right", fontsize=8)
    axes[0].set_title(f"Recall and precision per damage type ({result['half']} half, mean of "
                      f"{len(by_seed)} seeds, same pages, same run)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def _jsonable(result: dict[str, Any]) -> dict[str, Any]:
    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {("|".join(k) if isinstance(k, tuple) else str(k)): clean(v) for k, v in value.items()}
        return value

    out: dict[str, Any] = clean(result)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--half", choices=("tune", "test"), default="test")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--pages", type=int, default=200, help="pages per seed")
    parser.add_argument("--rate", type=float, default=0.6)
    parser.add_argument("--clean-pages", type=int, default=500, help="undamaged pages checked for changes; 0 to skip")
    parser.add_argument("--no-plot", action="store_true")
    parser.add_argument("--output", type=Path, help="default: benchmarks/results/quality.md for the test half, "
                        "benchmarks/.cache/quality-tune.md for the tune half (never published)")
    args = parser.parse_args()
    output = args.output or (RESULTS / "quality.md" if args.half == "test" else CACHE / "quality-tune.md")
    result = run(args.half, args.seeds, args.pages, args.clean_pages, args.rate)
    text = markdown(result, "python benchmarks/quality.py " + " ".join(sys.argv[1:]))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    output.with_suffix(".json").write_text(json.dumps(_jsonable(result), ensure_ascii=False, indent=1),
                                           encoding="utf-8")
    if not args.no_plot:
        plot(result, output.with_suffix(".png"))
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
