"""Stage 4: remove repeated body paragraphs and trim spliced repeats.

Only body paragraphs take part: headlines, bylines, captions, lists and jump
notes legitimately repeat (a deck echoed in the body, the same byline twice).
A line that only looks like a headline because OCR cut it off before its
final stop takes part too (:func:`_cut_pieces`).

1. Identical paragraphs are grouped first (a paragraph repeated 5,000 times
   costs one comparison, not 12 million); each group is represented by the
   copy that fits its article best.
2. Candidate pairs among the distinct texts come from the relation engine
   (:func:`xcclean.engine.candidates.find_candidates`); each is aligned by
   :func:`xcclean.engine.align.relate` with this page as context (a spill's
   glued text is found elsewhere on the page; a short fragment's text occurs
   only in its source). The verdicts do not depend on which copy comes first.
3. The engine's resolver (:func:`xcclean.engine.resolve.resolve`, the one the
   corpus API uses) decides which copies go: a fragment or a contaminated
   copy in favour of the complete one; of equal copies the cleanest reading
   (fewer words broken by misreads), then the one that fits its article,
   then the one with fewer runs the language model finds garbled, then the
   one with more exact copies, then the first; of exact copies in one
   article, the one that fits the paragraphs beside it (:meth:`_Page.flow`)
   before the first. Nothing goes through a chain. The exact copies of a
   group share its representative's fate.
4. Page rules follow (:func:`_page_rules`): a short line repeated far from
   its twin is the paper's own (a dateline, a refrain); a half of a split
   paragraph beats a floating fragment of the whole; the tail of a cut
   paragraph stays to be rejoined; the short pieces of a removed copy that
   OCR split off go with it.
5. A splice (a paragraph whose tail repeats a tail in another article) loses
   only the repeated span, and only where the span visibly does not belong.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from itertools import pairwise

import numpy as np
from rapidfuzz.distance import Levenshtein, Opcodes

from ..chars import (
    CLAUSE_BREAK_RE,
    CLAUSE_COMMAS,
    CLOSING_MARKS,
    FIGURE_UNITS,
    HAN,
    HAN_RE,
    NON_FINAL_WORDS,
    TERMINAL_PUNCTUATION,
    compare_key,
    ends_sentence,
    title_line,
)
from ..config import DedupConfig, EngineConfig
from ..engine.align import Relation, locate, relate
from ..engine.candidates import find_candidates
from ..engine.noise import broken_words, garbled_side, run_gain
from ..engine.resolve import resolve
from ..lexicon import Lexicon
from ..model import Block, Document, Edit, Kind, PageText
from .cuts import continuing_start

STAGE = "deduplicate"
_NOT_HAN = re.compile(f"[^{HAN}]+")

_REASON = {
    "exact": "exact_duplicate",
    "near_copy": "near_duplicate",
    "prefix": "fragment_prefix",
    "suffix": "fragment_suffix",
    "inner": "fragment_inner",
    "contaminated": "contaminated_copy",
}
Memo = dict[tuple[str, str], Relation | None]


@dataclass(frozen=True)
class _Edge:
    dup: int  # document index of the paragraph that goes
    keep: int
    relation: Relation
    dup_span: tuple[int, int]
    keep_span: tuple[int, int]
    rule: str
    keep_also: int | None = None  # the keeper continues in this block (a split paragraph's tail)


def _bigrams(text: str) -> set[str]:
    han = _NOT_HAN.sub("", text)
    return {han[i : i + 2] for i in range(len(han) - 1)}


def _affinity(text: str, context: set[str]) -> float:
    grams = _bigrams(text)
    return len(grams & context) / len(grams) if grams else 0.0


def _text_span(text: str, key_span: tuple[int, int]) -> tuple[int, int]:
    """Map a span of ``compare_key(text)`` back onto ``text``."""
    positions = [i for i, ch in enumerate(text) if not ch.isspace()]
    return positions[key_span[0]], positions[key_span[1] - 1] + 1


class _Page:
    """What deduplication knows of one page: its blocks' compare keys, their articles (bounded by
    headlines and jump notes), and where any text stands."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.keys = [compare_key(block.text) for block in doc]
        self.body = [i for i, block in enumerate(doc) if block.kind is Kind.BODY]
        self.article = np.cumsum([block.kind in (Kind.HEADLINE, Kind.JUMP) for block in doc]).tolist()
        self._search = PageText(self.keys)
        # lines of their own kind, never a piece of a paragraph: glued on whole when OCR joins them
        self.lines = frozenset(self.keys[i] for i, block in enumerate(doc)
                               if block.kind in (Kind.BYLINE, Kind.CAPTION, Kind.JUMP))
        self._vocabulary: dict[int, set[str]] | None = None
        self._fits: dict[int, float] = {}
        self._flows: dict[int, float] = {}
        self.repeated: set[int] = set()

    def holders(self, text: str, limit: int | None = None) -> list[int]:
        """The blocks that hold ``text``, in page order (the first ``limit`` of them)."""
        found: list[int] = []
        search = self._search
        at = search.text.find(text)
        while at >= 0 and (limit is None or len(found) < limit):
            block = search.block_at(at)
            found.append(block)
            at = search.text.find(text, search.block_end(block) + 1)  # on in the next block
        return found

    def elsewhere(self, text: str, exclude: tuple[str, ...]) -> list[str]:
        """The compare keys of the blocks that hold ``text``, other than ``exclude`` (each once)."""
        found: list[str] = []
        for block in self.holders(text):
            key = self.keys[block]
            if key not in exclude and key not in found:
                found.append(key)
        return found

    def beside(self, index: int, reach: int = 1) -> tuple[int, ...]:
        """Up to ``reach`` body paragraphs on each side of the block, nearest first, in its article
        (those that repeat something left out)."""
        found = []
        for step in (-1, 1):
            j, taken = index + step, 0
            while 0 <= j < len(self.doc) and self.article[j] == self.article[index] and taken < reach:
                if self.doc[j].kind is Kind.BODY and j not in self.repeated:
                    found.append(j)
                    taken += 1
                j += step
        return tuple(found)

    def flow(self, index: int) -> float:
        """Share of the block's Han bigrams found in the paragraphs :meth:`beside` it.

        A story carries its names and terms from one paragraph to the next (lexical cohesion);
        a copy OCR put elsewhere stands between two paragraphs that continue each other, not it.
        So of exact copies in one article (which fit the article alike) the one that fits the
        paragraphs beside it stands where the text runs. The test half's articles, a paragraph
        against a copy of it 2 or more paragraphs away: its own place fits 1.5 times better or
        more in 1,032 of 2,032 draws, the copy's in 317 (``benchmarks/language_checks.py``); the
        rest tie and the first copy stays. Only for copies apart (:meth:`apart`).
        """
        if index not in self._flows:
            beside: set[str] = set()
            for j in self.beside(index):
                beside |= _bigrams(self.doc[j].text)
            self._flows[index] = _affinity(self.doc[index].text, beside)
        return self._flows[index]

    def apart(self, members: list[int]) -> bool:
        """Whether each of these copies stands between two paragraphs of its article and no two
        have a paragraph beside them in common: only then do the paragraphs beside them compare.
        A copy that opens or closes its article has one paragraph beside it (a lede coheres with
        its headline; on a real-OCR test page a lede lost to its copy three paragraphs on, beside
        two). Copies beside one paragraph stand in one stretch of text, which OCR reads again and
        puts the copy after (a lede and its copy two paragraphs on, the same page set). Otherwise
        the first copy stays."""
        seen: set[int] = set()
        for i in members:
            near = set(self.beside(i))
            if len(near) < 2 or near & seen:
                return False
            seen |= near
        return True

    def fit(self, index: int) -> float:
        """Share of the block's Han bigrams found in the rest of its article and its headline
        (blocks that repeat something say nothing of where a copy belongs: left out). A
        headline-shaped piece of a paragraph taking part (:func:`_cut_pieces`) counts as its
        article's headline: it is measured against the rest only, not itself (a piece set before
        the next headline opened an "article" of its own and fit it whole, 1.00 against its
        paragraph's 0.29 on a real-OCR tune page)."""
        if self._vocabulary is None:
            self._vocabulary = defaultdict(set)
            for i, block in enumerate(self.doc):
                if self._places_its_article(i):
                    self._vocabulary[self.article[i]] |= _bigrams(block.text)
        if index not in self._fits:
            self._fits[index] = _affinity(self.doc[index].text, self._rest_of_article(index, self._vocabulary))
        return self._fits[index]

    def _rest_of_article(self, index: int, vocabulary: dict[int, set[str]]) -> set[str]:
        """The bigrams :meth:`fit` measures block ``index`` against (``vocabulary``: each article's)."""
        article = self.article[index]
        if self.doc[index].kind is not Kind.HEADLINE:
            return vocabulary[article]
        rest: set[str] = set()
        for i, block in enumerate(self.doc):
            if i != index and self.article[i] == article and self._places_its_article(i):
                rest |= _bigrams(block.text)
        return rest

    def _places_its_article(self, i: int) -> bool:
        """Whether block ``i``'s words say what its article is about (:meth:`fit`): its headline, a
        body paragraph that repeats nothing."""
        kind = self.doc[i].kind
        return kind is Kind.HEADLINE or (kind is Kind.BODY and i not in self.repeated)


def _title_lines(page: _Page, pieces: list[int], config: DedupConfig) -> frozenset[str]:
    """The page's titles: lines of their own kind, like bylines and captions. OCR glues a title
    whole onto the paragraph under it (a crop that took in the title line: 李克强会见卡塔尔埃米尔 +
    李克强表示,…, tune seed 7), so a copy that is the title and the paragraph is contaminated, not
    the paragraph a piece of it.

    A title is a headline that is no piece of a paragraph (:func:`_cut_pieces`) and that does not
    run on into the block under it as another block of the page reads: a headline-shaped line
    whose last ``split_context_chars`` characters and the next block's first as many stand together
    in another block is the head of a copy cut in two (酉水河里耶段8米高的堤坝 / 被洪水冲开…, the
    paragraph whole three blocks on), not a title over a paragraph.
    """
    n, taken = config.split_context_chars, set(pieces)
    titles = []
    for i, block in enumerate(page.doc):
        if block.kind is not Kind.HEADLINE or i in taken:
            continue
        across = page.keys[i][-n:] + page.keys[i + 1][:n] if i + 1 < len(page.doc) else ""
        if not across or not set(page.holders(across)) - {i, i + 1}:
            titles.append(page.keys[i])
    return frozenset(titles)


def _cut_pieces(page: _Page, engine: EngineConfig, lexicon: Lexicon | None) -> list[int]:
    """Headline-shaped lines that are pieces OCR cut out of a body paragraph: they take part.

    A piece of a paragraph cut off before its final stop (香港旅游业议会日前联,
    这些年，房清佐在广东汕头的) has no stop, so classify takes it for a headline.
    A headline can repeat words of its article (韩正在陕西调研 is also the lede's
    clause), but a title is a phrase: its edges fall between words wherever it
    stands in the text. OCR cuts a line at any character. So a single-line
    headline of at least ``EngineConfig.min_unique_fragment_chars`` whose text
    stands verbatim in exactly one body paragraph (or its exact copies), and which starts or ends
    inside a dictionary word there (日前联|合), or that stops where no title
    stops (:func:`_unfinished`), or that repeats its opening where no title
    stands (:func:`_repeats_an_opening`), is judged as a fragment (the engine still
    decides; a kept line stays a headline). Of the 84 titles of the tune half
    that stand verbatim in a paragraph of their own article, none cuts a word
    there. A line that stands verbatim nowhere may be such a piece read with
    misreads: :func:`_misread_pieces`. The word rules need a dictionary:
    without ``lexicon`` only the position rule applies.
    """
    body = set(page.body)
    pieces, unheld = [], []
    for i, block in enumerate(page.doc):
        key = page.keys[i]
        if block.kind is not Kind.HEADLINE or "\n" in block.text or len(key) < engine.min_unique_fragment_chars:
            continue
        holders = [j for j in page.holders(key, limit=3) if j != i]
        if not holders and len(key) >= engine.min_fragment_chars:  # shorter, only a verbatim piece relates
            unheld.append(i)
        if len({page.keys[j] for j in holders}) != 1 or holders[0] not in body:
            continue  # exact copies of one paragraph are one paragraph: OCR repeats a block whole
        if any(_repeats_an_opening(page, i, j) for j in holders) or (
                lexicon is not None and _cut_in_words(key, page.keys[holders[0]], lexicon)):
            pieces.append(i)
    return pieces + (_misread_pieces(page, unheld, engine, lexicon) if lexicon is not None else [])


def _misread_pieces(page: _Page, lines: list[int], engine: EngineConfig, lexicon: Lexicon) -> list[int]:
    """Of headline-shaped ``lines`` that stand verbatim nowhere, those the engine relates to exactly
    one body paragraph as a truncated copy with misreads (a prefix, suffix or inner piece of it),
    where the span they repeat starts or ends inside a dictionary word of that paragraph, or the
    line stops where no title stops: the evidence of :func:`_cut_in_words`, read at the aligned
    span. OCR misreads a piece it cut out of a paragraph as it misreads any text (…及各介友好人士…
    for …及各界友好人士…); a title misread by OCR still has its edges between words. The evidence is
    read at an edge: only lines whose first or last ``min_unique_fragment_chars`` characters stand
    verbatim in a body paragraph where that edge shows it are aligned (most titles show nothing
    at their edges, and cost a few look-ups of the page's text)."""
    width, pieces = engine.min_unique_fragment_chars, []
    holders = _BodyHolders(page, width)
    for line in lines:
        key = page.keys[line]
        near = set(holders(key[:width])) | set(holders(key[-width:]))
        if not any(_edge_cut(key, page.keys[j], width, lexicon) for j in near):
            continue
        found = [(j, rel) for j in sorted(near)
                 if (rel := relate(key, page.keys[j], engine, splices=False, language=lexicon,
                                   elsewhere=page.elsewhere, lines=page.lines)) is not None
                 and rel.dup == 0 and rel.kind in ("prefix", "suffix", "inner")]
        if len(found) == 1 and _span_cut_in_words(key, page.keys[found[0][0]], found[0][1].other_span, lexicon):
            pieces.append(line)
    return pieces


# Look-ups answered by searching the page's text before one index of every body paragraph's grams is
# built: a page asks a few (most of its lines show no cut at an edge), a page of thousands of
# headline-shaped lines stays linear (as repair_splits._Ends).
_EDGE_SCANS = 64
_EDGE_HOLDERS = 3


class _BodyHolders:
    """The first ``_EDGE_HOLDERS`` body paragraphs, in page order, that hold a ``width``-character
    text: by searching the page's text for the first ``_EDGE_SCANS`` look-ups, then from one index of
    every body paragraph's grams (the same answers)."""

    def __init__(self, page: _Page, width: int) -> None:
        self._page, self._width, self._asked = page, width, 0
        self._body = page.body
        self._members = set(self._body)
        self._index: dict[str, list[int]] | None = None

    def __call__(self, gram: str) -> list[int]:
        self._asked += 1
        if self._index is None and self._asked > _EDGE_SCANS:
            self._index = self._build()
        if self._index is not None:
            return self._index.get(gram, [])
        found: list[int] = []
        for j in self._page.holders(gram):
            if j in self._members:
                found.append(j)
                if len(found) == _EDGE_HOLDERS:
                    break
        return found

    def _build(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = {}
        n = self._width
        for j in self._body:
            key = self._page.keys[j]
            for at in range(len(key) - n + 1):
                places = index.setdefault(key[at : at + n], [])
                if len(places) < _EDGE_HOLDERS and (not places or places[-1] != j):
                    places.append(j)
        return index


def _edge_cut(key: str, long_: str, width: int, lexicon: Lexicon) -> bool:
    """Whether ``key``'s first ``width`` characters stand in ``long_`` where the cut before them falls
    inside a word, or its last ``width`` where the cut after them does or the line stops where no
    title stops (:func:`_start_cut`, :func:`_end_cut` at the first place of each edge)."""
    at, last = long_.find(key[:width]), long_.find(key[-width:])
    return _start_cut(long_, at, lexicon) or (last >= 0 and _end_cut(key, long_, last + width, lexicon))


def _repeats_an_opening(page: _Page, line: int, holder: int) -> bool:
    """The line repeats the opening of a paragraph next to it and stops mid-clause there (a Han
    character follows it in the paragraph, no mark or space), standing where no title would:

    * after the paragraph, in its article (no other headline between): a title heads the text
      after it (国家体委主任伍绍祖、中共上海市委副书记龚学平等 after …龚学平等领导和群众…);
    * right before it with a clause mark inside (俞正声强调，和平需要国际社会共同努力，需要 before
      the paragraph that goes on …需要各方…): a title or subhead that opens the paragraph after it is
      a phrase (4 in the tune half, none with a comma inside: 中国外交部就朝美领导人会晤发表声明 /
      …发表声明，声明说：…), and 13 of its 4,587 titles hold a comma at all.

    Both are pieces OCR cut out of a copy of the paragraph. Only the opening: a set phrase inside a
    paragraph can be the next article's label (践行社会主义核心价值观 after …为青少年践行社会主义
    核心价值观起到了…, on a seed page), and a teaser line citing a title puts a mark or a space
    after it (…提升捷中关系,【创新发展…). After the paragraph, a piece that stops at a mark or a
    space there counts too where the paragraph is prose (:func:`~xcclean.chars.title_line`: a full
    stop in it): the opening clause of a sentence is no title of the next article, while a teaser
    line, titles run together, cites the title with the mark after it."""
    text, piece = page.doc[holder].text.lstrip(), page.doc[line].text.strip()
    if not (text.startswith(piece) and len(text) > len(piece)):
        return False
    mid_clause = bool(HAN_RE.match(text[len(piece)]))
    if holder < line:
        return page.article[holder] == page.article[line] - 1 and (mid_clause or not title_line(text))
    return mid_clause and holder == line + 1 and bool(CLAUSE_BREAK_RE.search(piece))


def _cut_in_words(key: str, long_: str, lexicon: Lexicon) -> bool:
    """The line starts or ends inside a dictionary word of the paragraph that holds it, or stops where
    no title stops."""
    at = long_.find(key)
    return _span_cut_in_words(key, long_, (at, at + len(key)), lexicon)


def _span_cut_in_words(key: str, long_: str, span: tuple[int, int], lexicon: Lexicon) -> bool:
    """:func:`_cut_in_words` for the line ``key`` that repeats ``long_[span[0]:span[1]]``. An edge
    is read only where the line's first (last) two characters are the span's: where they differ the
    alignment may have put the edge anywhere (李克强会见… aligned as misreads of …博鳌分别会见…)."""
    at, end = span
    return (key[:2] == long_[at : at + 2] and _start_cut(long_, at, lexicon)) \
        or (key[-2:] == long_[max(at, end - 2) : end] and _end_cut(key, long_, end, lexicon))


def _start_cut(long_: str, at: int, lexicon: Lexicon) -> bool:
    """A dictionary word of ``long_`` spans the cut before ``long_[at]``."""
    return at > 0 and lexicon.word_across(long_[:at], long_[at:]) is not None


def _end_cut(key: str, long_: str, end: int, lexicon: Lexicon) -> bool:
    """The paragraph goes on after ``long_[:end]``, and a dictionary word spans that cut or the line
    ``key`` stops where no title stops; or the line stops on a word that cannot end a clause
    wherever it stands in the paragraph (…经济社会形势及, the whole of a paragraph OCR cut short,
    read again: a title never stops there)."""
    return (end < len(long_) and (_unfinished(key, lexicon)
                                  or lexicon.word_across(long_[:end], long_[end:]) is not None)) \
        or _stops_on_a_joining_word(key, lexicon)


def _unfinished(line: str, lexicon: Lexicon) -> bool:
    """A line that stops where no title stops: on a comma (由于局势混乱复杂，: none of the 4,587 titles
    and 876 short unterminated paragraphs of the tune half ends in one) or on a word that cannot end
    a clause (:func:`_stops_on_a_joining_word`)."""
    return line[-1] in CLAUSE_COMMAS or _stops_on_a_joining_word(line, lexicon)


def _stops_on_a_joining_word(line: str, lexicon: Lexicon) -> bool:
    """The line's last word cannot end a clause (…经济社会形势及, …用于对:
    :data:`~xcclean.chars.NON_FINAL_WORDS`): the text stops in the middle of one."""
    return bool(HAN_RE.match(line[-1])) and lexicon.last_word(line) in NON_FINAL_WORDS


def _bucket(fit: float, ratio: float) -> int:
    """A fit on a log scale in steps of ``ratio`` (higher is better): copies that fit alike tie."""
    return math.floor(math.log(fit) / math.log(ratio)) if fit > 0 else -(10**6)


def _groups(page: _Page) -> dict[str, list[int]]:
    """Body blocks by compare key, in page order."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i in page.body:
        groups[page.keys[i]].append(i)
    return groups


def _candidate_pairs(page: _Page, texts: list[str], reps: list[int], focus: set[int] | None, memo: Memo,
                     engine: EngineConfig) -> set[tuple[int, int]]:
    """Pairs of distinct texts (positions in ``texts``) to align: the engine's candidates, and in
    a later round only those touching ``focus`` plus the pairs this page already aligned."""
    pairs: set[tuple[int, int]] = set()
    if focus is None or focus:
        cands = find_candidates(texts, engine)
        pairs = {(a, b) for a, b in zip(cands.left.tolist(), cands.right.tolist(), strict=True)
                 if focus is None or reps[a] in focus or reps[b] in focus}
    if focus is not None and memo:
        where = {text: k for k, text in enumerate(texts)}
        pairs |= {(min(where[a], where[b]), max(where[a], where[b])) for (a, b), rel in memo.items()
                  if rel is not None and a in where and b in where and a != b}
    return pairs


def _relations(page: _Page, texts: list[str], pairs: set[tuple[int, int]], memo: Memo, engine: EngineConfig,
               lexicon: Lexicon | None) -> list[tuple[int, int, Relation]]:
    """The verified relations of the candidate pairs (aligned once per page: ``memo``)."""
    out = []
    for a, b in sorted(pairs):
        pair = (texts[a], texts[b])
        if pair not in memo:
            memo[pair] = relate(*pair, engine, language=lexicon, elsewhere=page.elsewhere, lines=page.lines)
        rel = memo[pair]
        if rel is not None:
            out.append((a, b, rel))
    return out


def _garbled_chars(a: str, b: str, runs: Opcodes, lexicon: Lexicon, engine: EngineConfig) -> tuple[int, int]:
    """For each text, how many of its characters stand in substituted runs that the language model
    finds garbled against the other reading (:func:`~xcclean.engine.noise.garbled_side`): 通司 /
    公司, where both readings make dictionary words and :func:`~xcclean.engine.noise.broken_words` sees nothing."""
    counts = [0, 0]
    for run in runs:
        if run.tag == "replace":
            side = garbled_side(a, b, run, lexicon, engine)
            if side is not None:
                counts[side] += run.src_end - run.src_start
    return counts[0], counts[1]


@dataclass(frozen=True)
class _Preference:
    """Why one of equal copies is kept: per distinct text, words its misreads break, its fit, its
    characters the language model finds garbled, its exact copies, its distance from the other
    readings, how much likelier the language model reads it; then its position."""

    broken: list[int]
    fit: list[float]
    bucket: list[int]
    garbled: list[int]
    copies: list[int]
    spread: list[int]
    likelier: list[float]
    reps: list[int]

    def order(self) -> np.ndarray:
        """The resolver's ``prefer`` ranks (lower kept first)."""
        keys = np.lexsort((np.asarray(self.reps), -np.asarray(self.likelier), np.asarray(self.spread),
                           -np.asarray(self.copies),
                           np.asarray(self.garbled), -np.asarray(self.bucket), np.asarray(self.broken)))
        rank = np.empty(len(keys), dtype=np.int64)
        rank[keys] = np.arange(len(keys))
        return rank

    def why(self, keep: int, dup: int) -> str:
        """The first of the preferences that separates the kept text from the removed one."""
        if self.broken[keep] != self.broken[dup]:
            return f"fewer words broken by misreads ({self.broken[keep]} vs {self.broken[dup]})"
        if self.bucket[keep] != self.bucket[dup]:
            return f"fits its article {self.fit[keep]:.2f} vs {self.fit[dup]:.2f}"
        if self.garbled[keep] != self.garbled[dup]:
            return f"fewer characters garbled by misreads ({self.garbled[keep]} vs {self.garbled[dup]})"
        if self.copies[keep] != self.copies[dup]:
            return f"the reading of more copies ({self.copies[keep]} vs {self.copies[dup]})"
        if self.spread[keep] != self.spread[dup]:
            return f"nearest the other readings ({self.spread[keep]} vs {self.spread[dup]} characters apart)"
        if self.likelier[keep] != self.likelier[dup]:
            return f"the likelier reading ({self.likelier[keep]:.1f} vs {self.likelier[dup]:.1f} nats)"
        return "first copy kept"


def _preference(page: _Page, texts: list[str], groups: dict[str, list[int]],
                relations: list[tuple[int, int, Relation]], config: DedupConfig, engine: EngineConfig,
                lexicon: Lexicon | None) -> _Preference:
    """Each distinct text's preference and representative: of its exact copies, the one that fits
    its article best, then the paragraphs beside it (then the first)."""
    page.repeated = {i for text in texts if len(groups[text]) > 1 for i in groups[text]}
    page.repeated |= {i for a, b, _ in relations for text in (texts[a], texts[b]) for i in groups[text]}
    broken, garbled, likelier = _misread_counts(texts, relations, lexicon, engine)
    equal = {k for a, b, rel in relations if rel.dup is None for k in (a, b)}
    reps, fits = [], []
    for k, text in enumerate(texts):
        members = groups[text]
        if len(members) > 1 or k in equal:
            apart = page.apart(members)
            best = max(members, key=lambda i: (_bucket(page.fit(i), config.affinity_ratio),
                                               _bucket(page.flow(i), config.affinity_ratio) if apart else 0,
                                               page.fit(i), -i))
            reps.append(best)
            fits.append(page.fit(best))
        else:
            reps.append(members[0])
            fits.append(0.0)
    bucket = _one_article_ties(page, reps, relations, [_bucket(f, config.affinity_ratio) for f in fits])
    copies = [len(groups[t]) for t in texts]
    # a margin the model is not sure of says nothing: position decides there
    likelier = [gain if abs(gain) >= config.likelier_min_nats else 0.0 for gain in likelier]
    return _Preference(broken, fits, bucket, garbled, copies, _spread(texts, relations, copies, config), likelier,
                       reps)


def _one_article_ties(page: _Page, reps: list[int], relations: list[tuple[int, int, Relation]],
                      bucket: list[int]) -> list[int]:
    """The fit buckets, made equal within each set of readings that all stand in one article.

    A fit says which article a copy belongs to (the wrong article is where OCR
    put it). Readings in one article are equally at home there: their fits
    differ only by their misreads' chance bigrams against a small vocabulary (a
    copy with 江的 and 林西 for 江西 and 广西 fitting 0.07 against the clean
    reading's 0.06, tune seed 4), which is no evidence of place; the misread
    rules after it decide.
    """
    out = list(bucket)
    for members in _reading_sets(len(reps), relations):
        if len(members) > 1 and len({page.article[reps[k]] for k in members}) == 1:
            for k in members:
                out[k] = 0
    return out


def _reading_sets(count: int, relations: list[tuple[int, int, Relation]]) -> list[list[int]]:
    """The distinct texts (of ``count``) in sets of readings of one paragraph: joined by near or
    exact copy relations, where neither is a fragment of the other."""
    parent = list(range(count))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a, b, rel in relations:
        if rel.dup is None and rel.kind != "splice":
            parent[root(a)] = root(b)
    sets: dict[int, list[int]] = defaultdict(list)
    for k in range(count):
        sets[root(k)].append(k)
    return list(sets.values())


def _spread(texts: list[str], relations: list[tuple[int, int, Relation]], copies: list[int],
            config: DedupConfig) -> list[int]:
    """Per distinct text, how many characters it differs from the other readings of its near copies
    (each reading weighed by its copies), where three or more readings, up to
    ``medoid_max_readings``, make one set. OCR misreads each copy on its own, so the reading nearest
    all the others agrees with most of them at each glyph: the clean one, where the dictionary and
    the language model saw nothing (two readings are equally near each other)."""
    spread = [0] * len(texts)
    for members in _reading_sets(len(texts), relations):
        if 3 <= len(members) <= config.medoid_max_readings:
            for k in members:
                spread[k] = sum(Levenshtein.distance(texts[k], texts[j]) * copies[j] for j in members if j != k)
    return spread


def _misread_counts(texts: list[str], relations: list[tuple[int, int, Relation]], lexicon: Lexicon | None,
                    engine: EngineConfig) -> tuple[list[int], list[int], list[float]]:
    """Per distinct text, the words its misreads break, its characters the language model finds
    garbled, and how much likelier the model reads it where it differs (:func:`_likelier`), against
    its near copies (none without a dictionary)."""
    broken, garbled, likelier = [0] * len(texts), [0] * len(texts), [0.0] * len(texts)
    if lexicon is not None:
        for a, b, rel in relations:
            if rel.kind == "near_copy":
                runs = Levenshtein.opcodes(texts[a], texts[b])  # one alignment for all three
                x, y = broken_words(texts[a], texts[b], runs, lexicon, engine)
                broken[a] += x
                broken[b] += y
                x, y = _garbled_chars(texts[a], texts[b], runs, lexicon, engine)
                garbled[a] += x
                garbled[b] += y
                gain = _likelier(texts[a], texts[b], runs, lexicon)
                likelier[a] += gain
                likelier[b] -= gain
    return broken, garbled, likelier


def _likelier(a: str, b: str, runs: Opcodes, lexicon: Lexicon) -> float:
    """How many nats likelier the character n-gram model reads ``a`` than ``b`` where they differ
    (each differing run and the two characters after it). An OCR misread puts a glyph for a glyph
    whatever the language, so where neither reading breaks a word the other keeps (百花齐放 /
    百花齐长) the reading the model prefers is usually the one as written: on the tune half's damaged
    pages 99 % of the time at a margin of 4 nats or more, about half the time under 1 nat
    (``DedupConfig.likelier_min_nats``). On the real-OCR tune pages it keeps glyphs the engine's
    whole-block reading got wrong (大会堂 where that reads 大会党)."""
    return sum(run_gain(a, b, run, lexicon) for run in runs if run.tag != "equal")


def deduplicate(doc: Document, config: DedupConfig, engine: EngineConfig, lexicon: Lexicon | None = None,
                focus: set[int] | None = None, memo: Memo | None = None) -> tuple[Document, list[Edit]]:
    """Remove repeated body paragraphs; see the module docstring for the rules.

    ``lexicon``: with it, of two near copies the one whose differing
    characters sit inside dictionary words is kept (a misread breaks a word:
    4日上午 vs 4日上。). ``memo``: alignments already made on this page.
    ``focus`` (later rounds): only candidate pairs with at least one of these
    block indices (or of a headline-shaped line first taken for a piece this
    round) are aligned, and the ``memo`` pairs still on the page are
    judged again, since their context may have changed.
    """
    memo = {} if memo is None else memo
    page = _Page(doc)
    pieces = _cut_pieces(page, engine, lexicon)
    page.body = sorted(page.body + pieces)
    page.lines = page.lines | _title_lines(page, pieces, config)
    if focus is not None:  # a line that became a piece this round (its neighbour went) is new here
        aligned = {text for pair in memo for text in pair}
        focus = focus | {i for i in pieces if page.keys[i] not in aligned}
    if len(page.body) < 2 or (focus is not None and not focus and not memo):
        return doc, []
    groups = _groups(page)
    texts = list(groups)
    first = [groups[t][0] for t in texts]
    relations = _relations(page, texts, _candidate_pairs(page, texts, first, focus, memo, engine), memo,
                           engine, lexicon)
    short = _short_splices(page, engine, lexicon) if lexicon is not None else []
    if not relations and not short and all(len(g) == 1 for g in groups.values()):
        return doc, []
    prefer = _preference(page, texts, groups, relations, config, engine, lexicon)
    copies = [(a, b, rel) for a, b, rel in relations if rel.kind != "splice"]
    removed = _resolved(page, texts, copies, prefer, engine)
    removed.update(_twins(page, texts, groups, prefer, removed, config, engine, lexicon))
    _page_rules(page, removed, config, engine)
    splices = [(prefer.reps[a], prefer.reps[b], rel) for a, b, rel in relations if rel.kind == "splice"]
    return _apply(page, removed, splices, short, config, lexicon)


def _resolved(page: _Page, texts: list[str], relations: list[tuple[int, int, Relation]], prefer: _Preference,
              engine: EngineConfig) -> dict[int, _Edge]:
    """The representatives that go, each with the edge to the kept block that justifies it."""
    if not relations:
        return {}
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    verdicts = resolve(texts, relations, [], engine, lengths=lengths, prefer=prefer.order())
    by_pair = {(a, b): rel for a, b, rel in relations}
    removed: dict[int, _Edge] = {}
    for dup, kept in zip(verdicts.dup.tolist(), verdicts.kept.tolist(), strict=True):
        pair = (min(dup, kept), max(dup, kept))
        rel = by_pair[pair]
        if rel.dup is None:
            spans = (rel.dup_span, rel.other_span) if pair[0] == dup else (rel.other_span, rel.dup_span)
            rule = prefer.why(kept, dup)
        else:
            spans = (rel.dup_span, rel.other_span)
            rule = rel.rule
        removed[prefer.reps[dup]] = _Edge(prefer.reps[dup], prefer.reps[kept], rel, spans[0], spans[1], rule)
    return removed


def _twins(page: _Page, texts: list[str], groups: dict[str, list[int]], prefer: _Preference,
           removed: dict[int, _Edge], config: DedupConfig, engine: EngineConfig, lexicon: Lexicon | None
           ) -> dict[int, _Edge]:
    """The exact copies of each representative: gone with it when it goes, else gone as its
    copies -- unless shorter than ``EngineConfig.min_copy_chars`` (图片:, (完) repeat as labels)
    or a short line far from every other copy of it (:func:`_refrain`)."""
    out: dict[int, _Edge] = {}
    for k, text in enumerate(texts):
        members, rep = groups[text], prefer.reps[k]
        if len(members) < 2 or (rep not in removed and len(text) < engine.min_copy_chars):
            continue
        apart = page.apart(members)
        for i in members:
            if i == rep:
                continue
            if rep in removed:
                out[i] = replace(removed[rep], dup=i)
            elif not _refrain(page, members, i, config, lexicon):
                whole = (0, len(text))
                exact = Relation("exact", None, 1.0, whole, whole, rule="the same text")
                out[i] = _Edge(i, rep, exact, whole, whole, _twin_rule(page, rep, i, config, apart))
    return out


def _twin_rule(page: _Page, kept: int, dup: int, config: DedupConfig, apart: bool) -> str:
    """Why of two exact copies this one is kept."""
    kept_fit, dup_fit = page.fit(kept), page.fit(dup)
    if _bucket(kept_fit, config.affinity_ratio) != _bucket(dup_fit, config.affinity_ratio):
        return f"fits its article {kept_fit:.2f} vs {dup_fit:.2f}"
    kept_flow, dup_flow = page.flow(kept), page.flow(dup)
    if _bucket(kept_flow, config.affinity_ratio) != _bucket(dup_flow, config.affinity_ratio) and apart:
        return f"fits the paragraphs beside it {kept_flow:.2f} vs {dup_flow:.2f}"
    if kept_fit != dup_fit:  # copies in two articles: position says nothing across articles
        return f"fits its article a little better {kept_fit:.3f} vs {dup_fit:.3f}"
    return "first copy kept"


def _refrain(page: _Page, members: list[int], i: int, config: DedupConfig, lexicon: Lexicon | None) -> bool:
    """A short line repeated far from its twins is the paper's own, not an OCR copy.

    OCR repeats a block where it read it -- within a few blocks -- while a
    dateline, a refrain or a slogan of up to ``refrain_max_chars`` recurs by
    design across a page: a copy that short counts only within
    ``repeat_max_distance`` blocks of another copy, in the same article. A
    line that stops on a word that cannot end a clause (…经济社会形势及) is
    none of those, which are whole units, but a piece of a paragraph OCR cut
    off: its repeat is a copy wherever it stands. (A line ending in a comma
    still may be one: a verse of a poem repeated stanza after stanza.)
    """
    if len(page.keys[i]) > config.refrain_max_chars:
        return False
    if lexicon is not None and _stops_on_a_joining_word(page.keys[i], lexicon):
        return False
    return not any(j != i and abs(j - i) <= config.repeat_max_distance and page.article[j] == page.article[i]
                   for j in members)


def _page_rules(page: _Page, removed: dict[int, _Edge], config: DedupConfig, engine: EngineConfig) -> None:
    """The rules that weigh a copy against the split paragraphs around it (in place)."""
    _prefer_split_halves(page.doc, removed)
    _prefer_split_heads(page.doc, removed)
    _prefer_both_halves(page.doc, removed, engine)
    _keep_tails_read_as_junk(page.doc, removed)
    _keep_tails_of_cut_paragraphs(page.doc, removed, config)
    removed.update(_split_remainders(page.doc, removed))


def _unfinished_head(doc: Document, tail: int, removed: dict[int, _Edge],
                     kinds: tuple[Kind, ...] = (Kind.BODY,)) -> int | None:
    """The kept block before ``tail`` (captions skipped), of one of ``kinds``, if it does not end a
    sentence."""
    head = tail - 1
    while head >= 0 and doc[head].kind is Kind.CAPTION:
        head -= 1
    if head < 0 or head in removed or doc[head].kind not in kinds or ends_sentence(doc[head].text):
        return None
    return head


@dataclass(frozen=True)
class _Resting:
    """What else rests on a keeper that turns out to be a copy of a split paragraph: its exact
    copies (``copies``: they go with it), exact copies of a half (``of_halves``: copy -> half; they
    go as its copies) and its other fragments (``fragments``: block -> span in the two halves read
    together; they go as fragments of the split paragraph)."""

    copies: list[int]
    of_halves: dict[int, int]
    fragments: dict[int, tuple[int, int]]


def _resting_on(doc: Document, removed: dict[int, _Edge], keeper: int, halves: tuple[int, int]) -> _Resting | None:
    """The other blocks that ``keeper`` justifies removing besides the two ``halves`` (see
    :class:`_Resting`); None where one of them is no exact copy and stands in the halves read
    together nowhere verbatim (then the keeper holds text of its own that it was kept for)."""
    joined = "".join(compare_key(doc[half].text) for half in halves)
    by_key = {compare_key(doc[half].text): half for half in halves}
    resting = _Resting([], {}, {})
    for dup, edge in removed.items():
        if edge.keep != keeper or dup in halves:
            continue
        key = compare_key(doc[dup].text)
        if edge.relation.kind == "exact":
            resting.copies.append(dup)
        elif key in by_key:
            resting.of_halves[dup] = by_key[key]
        elif (at := joined.find(key)) >= 0:
            resting.fragments[dup] = (at, at + len(key))
        else:
            return None
    return resting


def _copy_of_split(doc: Document, removed: dict[int, _Edge], keeper: int, resting: _Resting,
                   halves: tuple[int, int], relation: Relation, key_len: int) -> None:
    """``keeper`` and what rests on it (:class:`_Resting`) go as copies of the split paragraph
    ``halves`` (or of one half)."""
    head, tail = halves
    rule = f"copy of the split paragraph p{doc[head].ids[0]} + p{doc[tail].ids[0]}"
    for dup in (keeper, *resting.copies):
        removed[dup] = _Edge(dup, head, relation, (0, key_len), relation.other_span, rule, keep_also=tail)
    joined_len = sum(len(compare_key(doc[half].text)) for half in halves)
    for dup, span in resting.fragments.items():
        kind = "suffix" if span[1] == joined_len else "prefix" if span[0] == 0 else "inner"
        whole = (0, span[1] - span[0])
        fragment = Relation(kind, 0, 1.0, whole, span, rule="copy of a split paragraph")
        removed[dup] = _Edge(dup, head, fragment, whole, span, rule, keep_also=tail)
    for dup, half in resting.of_halves.items():
        whole = (0, len(compare_key(doc[half].text)))
        exact = Relation("exact", None, 1.0, whole, whole, rule="the same text")
        removed[dup] = _Edge(dup, half, exact, whole, whole,
                             f"copy of p{doc[half].ids[0]}, a piece of a split paragraph")


def _prefer_split_halves(doc: Document, removed: dict[int, _Edge]) -> None:
    """A half of a split paragraph beats a floating fragment of the whole paragraph.

    ``…20多名施工人员和十多辆`` / ``机械正进行…开挖。`` is one paragraph cut in two;
    ``长臂挥舞…十多辆机械正进行…开挖。`` elsewhere is a fragment of it. The tail
    half looks like a suffix of that fragment, but the fragment is made of the
    head half's end plus the tail half: it is the fragment that goes. A head of a
    few characters is headline-shaped (在天伦 / 燃气公司指挥中心,… beside 伦燃气公司…,
    the property tests); the fragment's text is the head's end and the tail all
    the same, so it goes whatever the head is taken for: nothing is lost. Not a
    keeper that is the whole of a headline-shaped head and the tail (习 / 近平代表…
    beside 习近平代表…): that is the paragraph, and the two the pieces of a copy of
    it that OCR cut in two, as :func:`_prefer_split_heads` has it.
    """
    for tail, edge in list(removed.items()):
        keeper, start = edge.keep, edge.keep_span[0]
        if tail not in removed or edge.relation.kind != "suffix" or start == 0:
            continue
        head = _unfinished_head(doc, tail, removed, (Kind.BODY, Kind.HEADLINE))
        if head is None:
            continue
        key_head, key_keeper = compare_key(doc[head].text), compare_key(doc[keeper].text)
        if not key_head.endswith(key_keeper[:start]):
            continue
        offset = len(key_head) - start
        # the scan of every removal comes last, for the few pairs the text already shows to be halves
        if (not offset and doc[head].kind is not Kind.BODY) \
                or (resting := _resting_on(doc, removed, keeper, (head, tail))) is None:
            continue
        span = (offset, offset + len(key_keeper))
        relation = Relation("suffix" if offset else "exact", 0, edge.relation.similarity,
                            (0, len(key_keeper)), span, rule="copy of a split paragraph")
        del removed[tail]
        _copy_of_split(doc, removed, keeper, resting, (head, tail), relation, len(key_keeper))


def _prefer_split_heads(doc: Document, removed: dict[int, _Edge]) -> None:
    """The head half of a split paragraph beats a floating fragment that runs on past it.

    ``在天伦燃气公司指`` / ``挥中心,何区长听取了…`` is one paragraph cut in two;
    ``在天伦燃气公司指挥中心,何区长…燃气安`` elsewhere is a truncated copy of it. The
    head half looks like a prefix of that copy, but the copy is made of the head
    and the opening of the kept body block after it, ending inside that block: it
    is the copy that goes (the mirror image of :func:`_prefer_split_halves`). A
    keeper that is the whole of the two is the paragraph, and they the pieces of a
    copy of it that OCR cut in two: that stays as it was.
    """
    for head, edge in list(removed.items()):
        keeper = edge.keep
        if head not in removed or edge.relation.kind != "prefix" or edge.keep_span[0] != 0 \
                or ends_sentence(doc[head].text):
            continue
        tail = _next_non_caption(doc, head, 1)
        if not 0 <= tail < len(doc) or tail in removed or tail == keeper or doc[tail].kind is not Kind.BODY:
            continue
        key_head, key_keeper = compare_key(doc[head].text), compare_key(doc[keeper].text)
        joined = key_head + compare_key(doc[tail].text)
        # a keeper that is the whole of head and tail is the paragraph, the two its copy split in two
        if not len(key_head) < len(key_keeper) < len(joined) or not joined.startswith(key_keeper) \
                or (resting := _resting_on(doc, removed, keeper, (head, tail))) is None:
            continue
        span = (0, len(key_keeper))
        relation = Relation("prefix", 0, edge.relation.similarity, span, span, rule="copy of a split paragraph")
        del removed[head]
        _copy_of_split(doc, removed, keeper, resting, (head, tail), relation, len(key_keeper))


def _prefer_both_halves(doc: Document, removed: dict[int, _Edge], engine: EngineConfig) -> None:
    """The two halves of a split paragraph beat a copy of a piece of it that both stand in.

    ``——助力打赢脱贫攻坚战。…制度`` / ``,帮助对口帮扶村实现真脱贫。`` is one paragraph cut
    in two; ``助力打赢脱贫攻坚战。…真脱贫。`` elsewhere is a copy that lost its first
    marks. The head stands in that copy up to OCR noise (two dropped marks at its edge) and
    the tail verbatim, so both went and the copy stayed: ``——`` was lost. Read together, the
    halves hold the whole copy (up to OCR noise, :func:`~xcclean.engine.align.locate`) and text
    beyond it: it is the copy that goes (its exact copies with it), and the halves stay for split
    repair. The halves must stand in the copy side by side (two overlapping fragments read
    together are no paragraph), and a copy that they read together match end to end keeps its
    verdict: the halves may be a copy of it that OCR cut in two.
    """
    for head, edge in list(removed.items()):
        keeper = edge.keep
        if head not in removed or edge.relation.kind != "prefix" or ends_sentence(doc[head].text) \
                or doc[head].kind is not Kind.BODY:
            continue
        tail = _next_non_caption(doc, head, 1)
        tail_edge = removed.get(tail)
        if tail_edge is None or tail_edge.keep != keeper or tail_edge.relation.kind != "suffix" \
                or tail_edge.keep_span[0] != edge.keep_span[1]:
            continue  # the halves repeat consecutive pieces of the copy, not overlapping ones
        resting = _resting_on(doc, removed, keeper, (head, tail))
        if resting is None:
            continue
        key_keeper = compare_key(doc[keeper].text)
        joined = compare_key(doc[head].text) + compare_key(doc[tail].text)
        span = locate(key_keeper, joined, engine) if len(key_keeper) < len(joined) else None
        if span is None or span == (0, len(joined)):
            continue
        kind = "suffix" if span[1] == len(joined) else "prefix" if span[0] == 0 else "inner"
        similarity = min(edge.relation.similarity, tail_edge.relation.similarity)
        relation = Relation(kind, 0, similarity, (0, len(key_keeper)), span, rule="copy of a split paragraph")
        del removed[head], removed[tail]
        _copy_of_split(doc, removed, keeper, resting, (head, tail), relation, len(key_keeper))


def _keep_tails_read_as_junk(doc: Document, removed: dict[int, _Edge]) -> None:
    """A contaminated copy whose glued front continues the unfinished block before it is that
    block's tail, and the paragraph it was taken to repeat is a copy that lost its first glyphs.

    ``本报讯(记者 胡晨)5`` / ``月14日,副市长…`` is one paragraph cut in two; ``14日,副市长…``
    elsewhere opens as paragraphs open and ``月14日`` does not, so the tail looked like that copy
    with junk glued in front, went, and the head was joined to the copy: 月 was lost. A digit and
    its unit are one figure, which a line above the glued text seldom ends half of; a glyph the cut
    left at the head of the tail completes it (5月). Then the tail stays, and the copy goes as its
    suffix. Not a dictionary word across the join: glue cut anywhere makes one with the line above
    by chance (…推动工作落生 | 效】聚焦病灶…, a spilled headline, reads 生效 on a real-OCR tune page).
    """
    for dup, edge in list(removed.items()):
        if edge.relation.kind != "contaminated" or edge.keep in removed:
            continue
        key_dup, key_keep = compare_key(doc[dup].text), compare_key(doc[edge.keep].text)
        front = len(key_dup) - len(key_keep)
        if front <= 0 or key_dup[front:] != key_keep:
            continue
        head = _next_non_caption(doc, dup, -1)
        if head < 0 or head in removed or doc[head].kind not in (Kind.BODY, Kind.HEADLINE) \
                or ends_sentence(doc[head].text):
            continue
        end, start = doc[head].text.rstrip()[-1:], doc[dup].text.lstrip()[:1]
        if not (end.isdigit() and start in FIGURE_UNITS):
            continue
        span = (front, len(key_dup))
        relation = Relation("suffix", 0, edge.relation.similarity, (0, len(key_keep)), span,
                            rule="copy of a cut paragraph's tail")
        del removed[dup]
        removed[edge.keep] = _Edge(edge.keep, dup, relation, (0, len(key_keep)), span,
                                   f"the tail of p{doc[head].ids[0]}, cut after its first glyphs")


def _keep_tails_of_cut_paragraphs(doc: Document, removed: dict[int, _Edge], config: DedupConfig) -> None:
    """A suffix that continues the unfinished block before it is that block's tail.

    ``…一起分享了国家重`` / ``大科研成果的最新进展…`` is one paragraph cut in two;
    the lede echoes it in other words (``今天,也又有十位…国家重大科研成果…``).
    The tail half is verbatim in the echo, but its head ends the way the echo
    runs up to it (``split_context_chars``): it is half of a paragraph, not a
    floating fragment, and stays, to be rejoined and judged whole.
    """
    n = config.split_context_chars
    for tail, edge in list(removed.items()):
        start = edge.keep_span[0]
        if edge.relation.kind != "suffix" or start < n:
            continue
        head = _unfinished_head(doc, tail, removed)
        context = compare_key(doc[edge.keep].text)[start - n : start]
        if head is not None and compare_key(doc[head].text).endswith(context):
            del removed[tail]


def _split_remainders(doc: Document, removed: dict[int, _Edge]) -> dict[int, _Edge]:
    """Pieces of a removed copy that OCR split off (too short to judge alone).

    A copy cut in two: ``…为优化营商环境打下`` / ``了坚实基础。``. The long piece
    goes as a fragment of the complete paragraph; the short piece next to it
    goes too if it *exactly* continues that piece inside the same paragraph.
    """
    extra: dict[int, _Edge] = {}
    keepers = {edge.keep for edge in removed.values()}
    for index, edge in sorted(removed.items()):
        keeper = compare_key(doc[edge.keep].text)
        for step in (1, -1):
            j, span = index, edge.keep_span
            while True:
                j = _next_non_caption(doc, j, step)
                if not 0 <= j < len(doc) or doc[j].kind is not Kind.BODY \
                        or j in removed or j in extra or j in keepers:
                    break
                piece = compare_key(doc[j].text)
                found = _continued(keeper, piece, span, step)
                if found is None:
                    break
                span = found
                kind = "prefix" if span[0] == 0 else "suffix" if span[1] >= len(keeper) else "inner"
                relation = Relation(kind, 0, 1.0, (0, len(piece)), span, rule="a split-off piece of a copy")
                extra[j] = _Edge(j, edge.keep, relation, (0, len(piece)), span,
                                 f"continues the removed copy p{doc[index].ids[0]} inside this paragraph")
    return extra


def _next_non_caption(doc: Document, j: int, step: int) -> int:
    """The next block from ``j`` in direction ``step`` that is not a caption (may be off the page)."""
    j += step
    while 0 <= j < len(doc) and doc[j].kind is Kind.CAPTION:
        j += step
    return j


def _continued(keeper: str, piece: str, span: tuple[int, int], step: int) -> tuple[int, int] | None:
    """``span`` of ``keeper`` grown by ``piece`` on the side ``step`` says, if ``piece`` stands there exactly."""
    start, end = span
    if step == 1 and end < len(keeper) and keeper.startswith(piece, end):
        return end, end + len(piece)
    if step == -1 and start > 0 and keeper[:start].endswith(piece):
        return start - len(piece), start
    return None


# -- splices -------------------------------------------------------------------------------
def _after_sentence(key: str, start: int) -> bool:
    """Whether ``key[start:]`` follows a finished sentence."""
    before = key[:start].rstrip(CLOSING_MARKS)
    return start > 0 and bool(before) and before[-1] in TERMINAL_PUNCTUATION


def _near_vocabulary(page: _Page, index: int, reach: int) -> set[str]:
    """The bigrams of up to ``reach`` body paragraphs each side of ``index`` in its article
    (:meth:`_Page.beside`), and of its headline."""
    doc, words = page.doc, set()
    for j in page.beside(index, reach):
        words |= _bigrams(doc[j].text)
    j = index - 1
    while j >= 0 and doc[j].kind not in (Kind.HEADLINE, Kind.JUMP):
        j -= 1
    if j >= 0 and doc[j].kind is Kind.HEADLINE:
        words |= _bigrams(doc[j].text)
    return words


def _written_together(page: _Page, target: int, span: tuple[int, int], removed: dict[int, _Edge],
                      config: DedupConfig) -> bool:
    """The text across the join (``splice_junction_chars`` each side) stands in another kept
    paragraph that does not hold this one's whole head: there head and tail were written together
    (正如前文所说,埃及总统塞西 | 2日下午前往… restates 埃及总统塞西2日下午前往…), so this is no
    splice. OCR splices text that never stood together; a copy of the spliced paragraph (removed
    as a copy, or holding the whole head) shows nothing."""
    key, k = page.keys[target], config.splice_junction_chars
    if span[0] < k:
        return False
    head = key[: span[0]]
    return any(h != target and h not in removed and head not in page.keys[h]
               for h in page.holders(key[span[0] - k : span[0] + k]))


# A trim: the paragraph that loses a span, the span, the paragraph it repeats, the span there, the rule,
# the similarity of the two spans.
_Trim = tuple[int, tuple[int, int], int, tuple[int, int], str, float]


def _short_splices(page: _Page, engine: EngineConfig, lexicon: Lexicon) -> list[_Trim]:
    """Tails too short for the engine's splices (``min_unique_fragment_chars`` up to
    ``splice_min_chars``) glued after a paragraph's finished last sentence: the paragraph ends,
    after its stop, with the verbatim end of a body paragraph of another article, where a dictionary
    word read in context spans the cut before that text (…救助、慈 | 善救助等帮扶力度。: 慈善) or the
    text opens as no sentence opens (…增长。、全国政协…: :func:`~xcclean.stages.cuts.continuing_start`),
    and the text stands nowhere else on the page. OCR glues a crop cut at any glyph; a writer's
    closing sentence that ends as another paragraph's sentence ends parts from it at a word there
    and opens as a sentence (…本次 | 活动取得了圆满成功。). A tail glued in place of a paragraph's
    own lost tail, mid-sentence, is left alone: two sentences that end alike part at words the
    dictionary lists as one compound (推动中韩 | 关系不断向前发展。 against …友好合作 | 关系…), and on
    the tune pages trimming them cost text on untouched pages."""
    keys, low = page.keys, engine.min_unique_fragment_chars
    # The tail must stand in the two paragraphs only, so no third one ends as both do: in the keys
    # sorted by their reversed text the pair are neighbours (linear, whatever the page repeats).
    ends = sorted({keys[i][::-1]: i for i in page.body
                   if page.doc[i].kind is Kind.BODY and len(keys[i]) > low}.items())
    trims: list[_Trim] = []
    for (_, a), (_, b) in pairwise(ends):
        for target, source in ((a, b), (b, a)):
            trim = _short_splice(page, target, source, engine, lexicon)
            if trim is not None:
                trims.append(trim)
    return trims


def _cut_in_word(text: str, at: int, lexicon: Lexicon) -> bool:
    """Whether a dictionary word of ``text``, read in context, spans the cut before ``text[at]``, and
    is no compound of two words cut apart there (双边 | 合作, 中韩 | 关系: the dictionary lists such
    compounds whole, but a cut between their words is a cut between words)."""
    word = lexicon.word_across(text[:at], text[at:])
    if word is None:
        return False
    k = next(k for k in range(1, len(word)) if text.startswith(word, at - k))
    return not all(len(part) > 1 and len(lexicon.in_words(part)) == len(part) for part in (word[:k], word[k:]))


def _short_splice(page: _Page, target: int, source: int, engine: EngineConfig, lexicon: Lexicon) -> _Trim | None:
    """The trim of :func:`_short_splices` for one pair, or None."""
    if page.article[target] == page.article[source]:
        return None
    key, other = page.keys[target], page.keys[source]
    length = next((n for n in range(1, min(len(key), len(other)) + 1) if key[-n] != other[-n]),
                  min(len(key), len(other)) + 1) - 1
    start, at = len(key) - length, len(other) - length
    if not engine.min_unique_fragment_chars <= length < engine.splice_min_chars \
            or not _after_sentence(key, start) or not HAN_RE.match(other, at - 1) \
            or len(page.holders(key[start:])) != 2:
        return None
    if _cut_in_word(other, at, lexicon):
        why = "starts inside a word"
    elif (start_rule := continuing_start(key[start:], lexicon)) is not None:
        why = f"opens as no sentence opens ({start_rule.removeprefix('tail ')})"
    else:
        return None
    return target, (start, len(key)), source, (at, len(other)), \
        f"a short tail after a finished sentence here {why} in p{page.doc[source].ids[0]}", 1.0


def _join_breaks(key: str, span: tuple[int, int], other_key: str, other_span: tuple[int, int],
                 lexicon: Lexicon) -> str | None:
    """Why the repeated span was spliced onto ``key`` rather than written after the text before it
    in ``other_key``, or None. Where OCR splices, the text across the join never stood together;
    where the span was written, it runs on from what stands before it:

    * a dictionary word runs across the join there and not here (慈善救|助等 against
      并不赞成。|助等);
    * else, the span follows a finished sentence here while there a Han character stands before
      it, and it does not open the way paragraphs open (the character n-gram model reads its
      first two characters at a paragraph start no more often than inside one): it starts
      mid-clause, where it was cut out (…并不赞成。助等帮扶力度 against …慈善救助等帮扶力度).
      A span that opens a sentence (接下来,福州… after …绿网。 and after …弹劾案将) says nothing.

    On the corpus (a tail of 20 or more characters of one paragraph put after another paragraph,
    whole or cut at any point; ``benchmarks/language_checks.py``, test half) the word points to
    where the tail was put 2,115 times in 5,000 and to where it was written 15 times; the
    finished sentence, where no word decides, 949 and 18 times (without the opening check 1,199
    and 34)."""
    at, there = span[0], other_span[0]
    if at == 0 or there == 0:
        return None
    word = lexicon.word_across(other_key[:there], other_key[there:])
    here = lexicon.word_across(key[:at], key[at:])
    if word is not None and here is None:
        return f"a word runs across the join where the span was written ({word})"
    if word is None and here is None and _after_sentence(key, at) and HAN_RE.match(other_key, there - 1) \
            and lexicon.opening(key[at:]) <= 0:
        return "span follows a finished sentence here but starts mid-clause"
    return None


def _choose_splice(page: _Page, a: int, b: int, rel: Relation, removed: dict[int, _Edge],
                   config: DedupConfig, lexicon: Lexicon | None) -> _Trim | None:
    """Which paragraph loses the repeated tail: the one where its join breaks the text, else the
    one whose article it does not fit.

    Two paragraphs ending in the same long span may both be right (a legal
    formula: 已由…通过,现予公布,自2018年7月1日起施行。). OCR splices text across
    columns, so only paragraphs of different articles qualify. The span goes
    where the text across its join never stood together (:func:`_join_breaks`;
    needs the dictionary). Otherwise it goes only where it is foreign: it
    must share ``splice_fit_ratio`` times more vocabulary with the other
    paragraph and its neighbours than with the trimmed paragraph's own head
    and neighbours.
    """
    if page.article[a] == page.article[b]:
        return None  # same article: parallel sentences end alike on purpose
    key_a, key_b = page.keys[a], page.keys[b]
    span_a, span_b = (rel.other_span, rel.dup_span) if rel.dup == 1 else (rel.dup_span, rel.other_span)

    def fit(index: int, key: str, span: tuple[int, int]) -> float:
        rest = key[: span[0]] + key[span[1] :]
        return _affinity(key[span[0] : span[1]],
                         _bigrams(rest) | _near_vocabulary(page, index, config.splice_context_paragraphs))

    sides = [(a, key_a, span_a, b, key_b, span_b), (b, key_b, span_b, a, key_a, span_a)]
    if rel.dup is not None:
        sides = [sides[rel.dup]]
    sides = [side for side in sides if not _written_together(page, side[0], side[2], removed, config)]
    for target, key, span, other, other_key, other_span in sides:
        why = _join_breaks(key, span, other_key, other_span, lexicon) if lexicon is not None else None
        if why is not None:
            return target, span, other, other_span, f"{why} in p{page.doc[other].ids[0]}", rel.similarity
    fits = {a: fit(a, key_a, span_a), b: fit(b, key_b, span_b)}
    for target, _, span, other, _, other_span in sides:
        own, foreign = fits[target], fits[other]
        if foreign > 0 and foreign >= config.splice_fit_ratio * own:
            return target, span, other, other_span, f"span fits the other article {foreign:.2f} vs {own:.2f}", \
                rel.similarity
    return None


def _trims(page: _Page, splices: list[tuple[int, int, Relation]], short: list[_Trim], removed: dict[int, _Edge],
           config: DedupConfig, lexicon: Lexicon | None) -> tuple[list[Block], list[Edit]]:
    """The blocks after trimming spliced spans (``short``: tails too short for the engine, see
    :func:`_short_splices`), and a ``splice_trimmed`` edit for each."""
    doc = page.doc
    blocks = list(doc)
    edits: list[Edit] = []
    trims = [_choose_splice(page, a, b, rel, removed, config, lexicon)
             for a, b, rel in sorted(splices) if a not in removed and b not in removed]
    trims += [trim for trim in short if trim[0] not in removed and trim[2] not in removed]
    for trim in trims:
        if trim is None or blocks[trim[0]] is not doc[trim[0]]:
            continue  # no trim, or already trimmed against another paragraph: spans no longer hold
        target, span, other, other_span, rule, similarity = trim
        block = blocks[target]
        start, end = _text_span(block.text, span)
        if end >= len(block.text.rstrip()):
            while start > 0 and block.text[start - 1] == " ":
                start -= 1
        else:
            while end < len(block.text) and block.text[end] == " ":
                end += 1
        edits.append(Edit("splice_trimmed", STAGE, target, block.ids, block.text[start:end], start, {
            "matched": doc[other].ids[0], "matched_text": doc[other].text,
            "similarity": round(similarity, 4), "span_in_matched": list(other_span), "rule": rule}))
        blocks[target] = replace(block, text=block.text[:start] + block.text[end:],
                                 end_trimmed=block.end_trimmed or end >= len(block.text.rstrip()))
    return blocks, edits


def _apply(page: _Page, removed: dict[int, _Edge], splices: list[tuple[int, int, Relation]], short: list[_Trim],
           config: DedupConfig, lexicon: Lexicon | None) -> tuple[Document, list[Edit]]:
    """The page without the removed blocks and with the splices trimmed, and the edits."""
    doc = page.doc
    blocks, edits = _trims(page, splices, short, removed, config, lexicon)
    for index in sorted(removed, reverse=True):
        edge = removed[index]
        block, keeper = doc[index], doc[edge.keep]
        matched_text = keeper.text + (doc[edge.keep_also].text if edge.keep_also is not None else "")
        evidence = {
            "matched": keeper.ids[0], "matched_text": matched_text,
            "similarity": round(edge.relation.similarity, 4),
            "span_in_matched": list(edge.keep_span), "rule": edge.rule, "gap": block.gap,
        }
        if edge.relation.kind == "contaminated":
            key = page.keys[index]
            s, e = edge.dup_span
            evidence["glued_on"] = key[:s] + ("…" if s and e < len(key) else "") + key[e:]
        edits.append(Edit(_REASON[edge.relation.kind], STAGE, index, block.ids, block.text, 0, evidence))
    # Edits were recorded from the last block to the first, so each index holds when applied.
    return tuple(b for i, b in enumerate(blocks) if i not in removed), edits
