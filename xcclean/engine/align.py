"""Decide, pair by pair, how two paragraphs repeat each other.

Candidate search only says two paragraphs share shingles; this module says
what the sharing is, with rapidfuzz alignments as evidence:

``exact``        the same text.
``near_copy``    the same text but for a few substituted (misread) characters.
``prefix`` / ``suffix`` / ``inner``
                 one paragraph is a verbatim copy of the start / end / a middle
                 span of the other (a truncated OCR fragment), possibly with a
                 few stray characters glued on (``junk`` > 0).
``contaminated`` one paragraph is a whole copy of the other with a few stray
                 characters glued on front or back.
``splice``       one paragraph's head or tail repeats a long span of the other
                 while the rest of it is unique: only the span is redundant.

OCR copies are verbatim: by default the aligned parts may differ only by
single-character substitutions (misreads; ``EngineConfig.max_misread_run``,
``max_misread_share``; two neighbouring ones where they break dictionary
words, given one), never by an inserted or dropped character
(``max_internal_gap`` is 0). A paraphrased echo -- same facts, a word or a
comma added -- fails that test and is left alone, however similar overall.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein

from ..chars import CLOSING_MARKS, HAN_RE, TERMINAL_PUNCTUATION
from ..config import EngineConfig

# Positions of a text that fall inside a dictionary word (``Lexicon.in_words``).
Words = Callable[[str], set[int]]


@dataclass(frozen=True)
class Within:
    """``x`` (less ``junk_front``/``junk_back`` characters) aligns inside ``y`` at ``span``."""

    junk_front: int
    junk_back: int
    span: tuple[int, int]
    similarity: float

    @property
    def junk(self) -> int:
        return self.junk_front + self.junk_back


@dataclass(frozen=True)
class Relation:
    """How paragraph ``dup`` repeats paragraph ``other`` (indices 0/1 of the pair).

    ``dup`` is None for exact and near copies: which copy goes is decided by
    the caller (completeness, article, position). ``dup_span`` is the part of
    ``dup`` that repeats ``other_span`` of the other paragraph.
    """

    kind: str
    dup: int | None
    similarity: float
    dup_span: tuple[int, int]
    other_span: tuple[int, int]
    junk: int = 0


def coverage(x: str, y: str, n: int) -> list[bool]:
    """For each character of ``x``, whether an n-gram around it also occurs in ``y``."""
    if len(x) < n or len(y) < n:
        return [False] * len(x)
    grams = {y[i : i + n] for i in range(len(y) - n + 1)}
    covered = [False] * len(x)
    for i in range(len(x) - n + 1):
        if x[i : i + n] in grams:
            covered[i : i + n] = [True] * n
    return covered


def _breaks_words(text: str, start: int, end: int, words: Words) -> bool:
    """Whether a Han character of ``text[start:end]`` stands in no dictionary word (最头疼 -> 南事疼)."""
    inside = words(text)
    return any(i not in inside and HAN_RE.match(text[i]) for i in range(start, end))


def _verbatim(x: str, y: str, config: EngineConfig, words: Words | None = None) -> float | None:
    """Similarity of two aligned strings, or None when they differ by more than misreads.

    Allowed: substitutions in runs of at most ``max_misread_run`` characters
    (``max_misread_share`` of the text in all) and dropped or doubled
    characters in runs of at most ``max_internal_gap`` -- what OCR does.
    With ``words`` (a dictionary), a run of up to ``max_broken_misread_run``
    counts too where on one side it breaks words: a misread makes no word
    (认罪认罚 -> 认罪审审), rewording puts one word for another (劳动法 -> 电力法).
    An inserted word or a shifted alignment fails.
    """
    substituted = 0
    for op in Levenshtein.opcodes(x, y):
        if op.tag == "equal":
            continue
        left, right = op.src_end - op.src_start, op.dest_end - op.dest_start
        run = min(left, right)
        if abs(left - right) > config.max_internal_gap:
            return None
        if run > config.max_misread_run and (
                words is None or run > config.max_broken_misread_run
                or not (_breaks_words(x, op.src_start, op.src_end, words)
                        or _breaks_words(y, op.dest_start, op.dest_end, words))):
            return None
        substituted += run
    if substituted > max(1, config.max_misread_share * max(len(x), len(y))):
        return None
    return float(Levenshtein.normalized_similarity(x, y))


def within(x: str, y: str, covered: list[bool], config: EngineConfig, words: Words | None = None) -> Within | None:
    """Where ``x`` (less a few glued-on characters) sits verbatim inside ``y`` (``words``: see :func:`_verbatim`)."""
    try:
        first = covered.index(True)
    except ValueError:
        return None
    last = len(covered) - 1 - covered[::-1].index(True)
    front, back = first, len(x) - 1 - last
    if front + back > config.contamination_max_chars:
        return None
    core = x[first : last + 1]
    if len(core) < config.min_fragment_chars and core != y:
        return None
    if len(core) >= len(y):
        span = (0, len(y))
    else:
        found = fuzz.partial_ratio_alignment(core, y, score_cutoff=config.fragment_min_similarity * 100)
        if found is None:
            return None
        span = (found.dest_start, found.dest_end)
    similarity = _verbatim(core, y[span[0] : span[1]], config, words)
    threshold = config.fragment_min_similarity
    if similarity is None or similarity < threshold:
        return None
    return Within(front, back, span, similarity)


def _runs(covered: list[bool], bridge: int) -> list[tuple[int, int]]:
    """Covered stretches, bridging uncovered gaps of up to ``bridge`` characters (misreads)."""
    runs: list[tuple[int, int]] = []
    start = None
    gap = 0
    for i, c in enumerate(covered + [False] * (bridge + 1)):
        if c:
            if start is None:
                start = i
            gap = 0
        elif start is not None:
            gap += 1
            if gap > bridge:
                runs.append((start, i - gap + 1))
                start, gap = None, 0
    return runs


_Splice = tuple[tuple[int, int], tuple[int, int], float]


def _splice(x: str, y: str, covered: list[bool], config: EngineConfig) -> _Splice | None:
    """A long tail of ``x`` that repeats the tail of ``y``, the head of ``x`` unique.

    Only tails: two paragraphs opening with the same long phrase (习近平总书记在
    中央政治局专题民主生活会上…) are common editorial formulae. A span repeated
    from the *middle* of ``y`` is not a splice either: a list of names is.
    """
    for start, end in _runs(covered, config.splice_bridge_chars):
        # The tail must reach the end; the unique head must be more than glued-on junk.
        if end < len(x) - 1 or start <= config.contamination_max_chars or end - start < config.splice_min_chars:
            continue
        found = fuzz.partial_ratio_alignment(x[start:end], y, score_cutoff=config.fragment_min_similarity * 100)
        if found is None:
            continue
        span = (found.dest_start, found.dest_end)
        if span[1] < len(y) - 1:
            continue
        similarity = _verbatim(x[start:end], y[span[0] : span[1]], config)
        if similarity is not None and similarity >= config.fragment_min_similarity:
            return (start, end), span, similarity
    return None


def _position(span: tuple[int, int], length: int) -> str:
    starts, ends = span[0] <= 1, span[1] >= length - 1
    if starts and ends:
        return "copy"
    return "prefix" if starts else "suffix" if ends else "inner"


# Reported speech: a quotation may start after 他强调, as after a full stop.
_QUOTATIVE = re.compile(r"(说|指出|强调|表示|认为|称|提出|要求)[,，:：]?[“‘]?$")


def _whole_sentences(part: str, whole: str, span: tuple[int, int]) -> bool:
    """Whether ``part`` is whole sentences of ``whole``, not a cut piece of it.

    A truncated OCR fragment is cut somewhere inside a sentence (推进,早日建成达产…
    starts mid-sentence; 刘中锋表示…中小学校创 ends mid-word). A repeat that
    starts where a sentence or a quotation starts and ends a sentence is how
    a lede or a summary quotes the body: editorial, it stays.
    """
    before = whole[: span[0]].rstrip(CLOSING_MARKS)
    starts_clean = not before or before[-1] in TERMINAL_PUNCTUATION or bool(_QUOTATIVE.search(before))
    return starts_clean and is_complete(part)


def is_complete(text: str) -> bool:
    """Whether a paragraph ends like a finished sentence."""
    stripped = text.rstrip(CLOSING_MARKS)
    return bool(stripped) and stripped[-1] in TERMINAL_PUNCTUATION


def _verbatim_fragment(a: str, b: str, config: EngineConfig) -> Relation | Literal[False] | None:
    """One paragraph verbatim inside a much longer one, answered without alignment.

    The common case across a corpus. ``False`` when it does not apply (the
    other may still be a fragment with misreads or junk: align).
    """
    dup, short, long_ = (0, a, b) if len(a) <= len(b) else (1, b, a)
    extra = len(long_) - len(short)
    near = extra <= max(config.contamination_max_chars, config.max_internal_gap)
    start = long_.find(short) if extra else -1
    if start < 0:
        return False
    if near and dup == 0 and len(short) >= config.min_fragment_chars and is_complete(short):
        # A later copy with junk glued around a complete paragraph.
        return Relation("contaminated", 1, 1.0, (start, start + len(short)), (0, len(short)), extra)
    if len(short) < config.min_fragment_chars:
        return None
    span = (start, start + len(short))
    kind = _position(span, len(long_))
    if kind == "copy" or _whole_sentences(short, long_, span):
        return None  # nearly the whole paragraph, or whole sentences of it: editorial
    return Relation(kind, dup, 1.0, (0, len(short)), span)


def may_contain(a: Sequence[str], b: Sequence[str], config: EngineConfig) -> np.ndarray:
    """For pairs ``(a[k], b[k])``: False where neither can lie within the other.

    Bit-parallel bounds in bulk (rapidfuzz ``cpdist``, microseconds a pair),
    before any character-level alignment. A fragment or a contaminated copy
    keeps all but its junk and misreads in common with the other (longest
    common subsequence); where the longer has more extra text than junk
    could be, only a fragment with nothing glued on is possible, and it must
    align with the fragment similarity.
    """
    from rapidfuzz.process import cpdist

    if config.max_internal_gap or not len(a):
        return np.ones(len(a), dtype=bool)  # dropped characters: no bound from the LCS
    la = np.fromiter(map(len, a), dtype=np.int64, count=len(a))
    lb = np.fromiter(map(len, b), dtype=np.int64, count=len(b))
    short = np.minimum(la, lb)
    common = (la + lb - cpdist(a, b, scorer=Indel.distance, dtype=np.int64)) // 2
    need = short - config.contamination_max_chars - np.maximum(1, config.max_misread_share * short)
    ok = common >= need
    far = ok & (np.abs(la - lb) > config.contamination_max_chars)
    if far.any():
        idx = np.flatnonzero(far)
        score = cpdist([a[k] for k in idx.tolist()], [b[k] for k in idx.tolist()], scorer=fuzz.partial_ratio,
                       score_cutoff=config.fragment_min_similarity * 100)
        ok[idx[score == 0]] = False
    result: np.ndarray = ok
    return result


def relate_pairs(a: Sequence[str], b: Sequence[str], config: EngineConfig) -> list[Relation | Literal[False] | None]:
    """``relate(a[k], b[k], splices=False)`` for many pairs (``a[k]`` the earlier), where it is cheap.

    Exact copies, near copies and verbatim fragments or junk-glued copies are
    answered inline; of the rest, pairs that cannot contain one another are
    dropped by :func:`may_contain` in bulk. ``False`` marks a pair that needs
    the full alignment: the caller runs :func:`relate` on it when the answer
    matters (most such pairs are two copies of a third paragraph).
    """
    out: list[Relation | Literal[False] | None] = [None] * len(a)
    unsure = []
    for k, (x, y) in enumerate(zip(a, b, strict=True)):
        if len(x) == len(y) and not config.max_internal_gap and len(x) >= config.min_fragment_chars:
            similarity = 1.0 if x == y else _verbatim(x, y, config)
            if similarity is not None and similarity >= config.near_copy_min_similarity:
                out[k] = Relation("exact" if x == y else "near_copy", None, similarity, (0, len(x)), (0, len(y)))
                continue
        verdict = _verbatim_fragment(x, y, config)
        if verdict is False:
            unsure.append(k)
        out[k] = verdict
    if unsure:
        plausible = may_contain([a[k] for k in unsure], [b[k] for k in unsure], config)
        for k, ok in zip(unsure, plausible.tolist(), strict=True):
            if not ok:
                out[k] = None
    return out


def relate_each(a: Sequence[str], b: Sequence[str], config: EngineConfig) -> list[Relation | None]:
    """:func:`relate_pairs` with every pair answered: the ones it leaves are aligned here."""
    verdicts = relate_pairs(a, b, config)
    return [relate(x, y, config, splices=False) if verdict is False else verdict
            for x, y, verdict in zip(a, b, verdicts, strict=True)]


def may_carry_junk(a: str, b: str, config: EngineConfig) -> bool:
    """Whether ``b`` (the later) could be ``a`` with junk glued on: the alignment decides."""
    return (0 < len(b) - len(a) <= config.contamination_max_chars and len(a) >= config.min_fragment_chars
            and is_complete(a))


def relate(a: str, b: str, config: EngineConfig, *, splices: bool = True,
           words: Words | None = None) -> Relation | None:
    """How ``a`` and ``b`` (compare keys, ``a`` earlier on the page) repeat each other.

    ``splices``: also look for spliced tails (a page; not a corpus). ``words``:
    a dictionary (``Lexicon.in_words``), for misreads of two characters.

    >>> c = EngineConfig()
    >>> relate("该项目负责人贺浩亮说,要实现高质量发展,必须加快推进,早日建成达产,他们深感重任在肩,时不我待。",
    ...        "推进,早日建成达产,他们深感重任在肩,时不我待。", c).kind
    'suffix'
    >>> r = relate("刘中锋说,“我们当用最刚性的要求提升教育的温度。”",
    ...            "取得了成就。刘中锋说,“我们当用最刚性的要求提升教育的温度。”", c)
    >>> r.kind, r.dup, r.junk
    ('contaminated', 1, 6)
    >>> relate("通水7年来,已累计为我市供水10.15亿立方米,受益人口达227万。",
    ...        "——通水7年来,该工程已累计为我市供水10.15亿立方米,受益人口达227万;", c) is None
    True
    """
    if a == b:
        if len(a) < config.min_copy_chars:
            return None
        return Relation("exact", None, 1.0, (0, len(a)), (0, len(b)))
    if abs(len(a) - len(b)) <= config.max_internal_gap and len(a) >= config.min_fragment_chars:
        # Misreads keep the length: compare whole, so a misread first or last
        # character is not mistaken for glued-on text.
        similarity = _verbatim(a, b, config, words)
        if similarity is not None and similarity >= config.near_copy_min_similarity:
            return Relation("near_copy", None, similarity, (0, len(a)), (0, len(b)))
    fragment = _verbatim_fragment(a, b, config)
    if fragment is not False:
        return fragment
    n = config.shingle_size
    cov_a, cov_b = coverage(a, b, n), coverage(b, a, n)
    wa, wb = within(a, b, cov_a, config, words), within(b, a, cov_b, config, words)
    if wa and wb:
        short, long_, w_short = (0, 1, wa) if len(a) <= len(b) else (1, 0, wb)
        texts = (a, b)
        extra = len(texts[long_]) - len(texts[short])
        w_long = wb if short == 0 else wa
        # Glued-on junk or a truncated original? The OCR copy is the later one:
        # a longer *later* copy around a whole, complete paragraph is contaminated.
        if (w_long.junk and not w_short.junk and long_ == 1 and extra <= config.contamination_max_chars
                and len(texts[short]) >= config.min_fragment_chars and is_complete(texts[short])):
            return Relation("contaminated", long_, w_long.similarity,
                            (w_long.junk_front, len(texts[long_]) - w_long.junk_back),
                            w_long.span, w_long.junk)
        kind = _position(w_short.span, len(texts[long_]))
        if kind == "copy" and not wa.junk and not wb.junk:
            similarity = min(wa.similarity, wb.similarity)
            if similarity < config.near_copy_min_similarity:
                return None
            return Relation("near_copy", None, similarity, (0, len(a)), (0, len(b)))
        if kind == "copy" or w_short.junk:
            return None  # both carry text of their own: a shared formula, not a copy
        if _whole_sentences(texts[short], texts[long_], w_short.span):
            return None
        return Relation(kind, short, w_short.similarity,
                        (w_short.junk_front, len(texts[short]) - w_short.junk_back),
                        w_short.span, w_short.junk)
    for index, (w, x, y) in enumerate(((wa, a, b), (wb, b, a))):
        if w is None:
            continue
        kind = _position(w.span, len(y))
        if w.junk and kind != "copy":
            continue  # a fragment with text of its own glued on: a shared phrase
        if kind != "copy" and _whole_sentences(x, y, w.span):
            continue
        if kind == "copy":
            if w.junk and len(y) < config.min_fragment_chars:
                continue  # 杨洁篪等参加会见。 vs 国务委员杨洁篪等参加会见。: too short to tell
            if w.junk and index == 0:  # the earlier one has the extra text: keep it
                return Relation("prefix" if w.junk_back else "suffix", 1, w.similarity,
                                (0, len(y)), (w.junk_front, len(x) - w.junk_back))
            kind = "contaminated" if w.junk else "near_copy"
        return Relation(kind, index, w.similarity, (w.junk_front, len(x) - w.junk_back), w.span, w.junk)
    if wa or wb or not splices:
        return None  # one lies within the other (kept as editorial): no head of its own, no splice
    fa, fb = _splice(a, b, cov_a, config), _splice(b, a, cov_b, config)
    if fa and fb:  # both end in the shared span: the caller decides whose it is
        return Relation("splice", None, min(fa[2], fb[2]), fa[0], fb[0])
    if fa:
        return Relation("splice", 0, fa[2], fa[0], fa[1])
    if fb:
        return Relation("splice", 1, fb[2], fb[0], fb[1])
    return None
