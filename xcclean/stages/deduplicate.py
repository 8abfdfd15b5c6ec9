"""Stage 4: remove repeated body paragraphs and trim spliced repeats.

Only body paragraphs take part: headlines, bylines, captions, lists and jump
notes legitimately repeat (a deck echoed in the body, the same byline twice).

1. Candidate pairs come from :func:`xcclean.engine.candidates.find_candidates`.
2. Each pair is aligned by :func:`xcclean.engine.align.relate`, which says whether
   and how one repeats the other (exact, near copy, prefix/suffix/inner
   fragment, contaminated copy, splice) -- or that it is an editorial echo.
3. Which copy goes: a fragment goes in favour of the paragraph it was cut
   from, a contaminated copy in favour of the clean one (unless it has an
   exact twin: then it is real and the other is its fragment). Of two equal
   copies the one whose neighbours share less vocabulary with it (a copy
   dropped into an unrelated article) goes; if neither stands out, the later.
4. Verdicts are applied without transitive chaining: a paragraph is removed
   only for a verified relation to a paragraph that is *kept*. Two repairs
   follow: a half of a split paragraph is kept over a floating fragment of
   the whole paragraph, and the short other half of a removed split copy
   goes with it when it continues that copy exactly.
5. A splice (a paragraph whose tail repeats the tail of a paragraph in
   another article) loses only the repeated span, and only where the span
   starts mid-clause in the other paragraph but after a finished sentence
   here, or is foreign to its article.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, replace

from rapidfuzz.distance import Levenshtein

from ..chars import CLOSING_MARKS, HAN, HAN_RE, TERMINAL_PUNCTUATION, compare_key
from ..config import DedupConfig, EngineConfig
from ..engine.align import Relation, relate
from ..engine.candidates import find_candidates
from ..lexicon import Lexicon
from ..model import Document, Edit, Kind
from .cuts import ends_sentence

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
# Preference among several relations of one paragraph to kept ones.
_STRENGTH = {"exact": 0, "near_copy": 1, "contaminated": 2, "prefix": 3, "suffix": 3, "inner": 4}


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


def _article(doc: Document, index: int, exclude: set[int], reach: int | None = None) -> tuple[int, ...]:
    """Body paragraphs of the article ``index`` stands in (headlines and jump notes
    bound it), at most ``reach`` each side, leaving out ``exclude``; and the
    article's headline, its most topical line."""
    out = []
    for step in (-1, 1):
        found, j = 0, index + step
        while 0 <= j < len(doc) and doc[j].kind not in (Kind.HEADLINE, Kind.JUMP):
            if doc[j].kind is Kind.BODY and j not in exclude and (reach is None or found < reach):
                out.append(j)
                found += 1
            j += step
        if step == -1 and j >= 0 and doc[j].kind is Kind.HEADLINE:
            out.append(j)
    return tuple(sorted(out))


def _words(doc: Document, members: tuple[int, ...]) -> set[str]:
    """The vocabulary (Han bigrams) of some paragraphs."""
    words: set[str] = set()
    for j in members:
        words |= _bigrams(doc[j].text)
    return words


def _affinity(text: str, context: set[str]) -> float:
    grams = _bigrams(text)
    return len(grams & context) / len(grams) if grams else 0.0


def _text_span(text: str, key_span: tuple[int, int]) -> tuple[int, int]:
    """Map a span of ``compare_key(text)`` back onto ``text``."""
    positions = [i for i, ch in enumerate(text) if not ch.isspace()]
    return positions[key_span[0]], positions[key_span[1] - 1] + 1


def deduplicate(doc: Document, config: DedupConfig, engine: EngineConfig, lexicon: Lexicon | None = None,
                focus: set[int] | None = None,
                memo: dict[tuple[str, str], Relation | None] | None = None) -> tuple[Document, list[Edit]]:
    """Remove repeated body paragraphs; see the module docstring for the rules.

    ``lexicon``: with it, of two near copies the one whose differing
    characters sit inside dictionary words is kept (a misread breaks a word:
    4日上午 vs 4日上。). ``memo``: alignments already made on this page.
    ``focus`` (later rounds): only candidate pairs with at least one of these
    block indices are aligned, and the ``memo`` pairs still on the page are
    judged again, since their context may have changed.
    """
    body = [i for i, block in enumerate(doc) if block.kind is Kind.BODY]
    memo = {} if memo is None else memo
    if len(body) < 2 or (focus is not None and not focus and not memo):
        return doc, []
    keys = [compare_key(doc[i].text) for i in body]
    pairs: set[tuple[int, int]] = set()
    if focus is None or focus:
        cands = find_candidates(keys, engine)
        pairs = {(left, right) for left, right in zip(cands.left.tolist(), cands.right.tolist(), strict=True)
                 if focus is None or body[left] in focus or body[right] in focus}
    if focus is not None and memo:
        # A later round: the pairs already aligned on this page are judged again
        # (their context may have changed), with no new candidate search.
        where: dict[str, list[int]] = defaultdict(list)
        for k, key in enumerate(keys):
            where[key].append(k)
        pairs |= {(min(x, y), max(x, y)) for (a, b), rel in memo.items() if rel is not None
                  for x in where.get(a, ()) for y in where.get(b, ()) if x != y}
    relations: list[tuple[int, int, Relation]] = []
    for left, right in sorted(pairs):
        pair = (keys[left], keys[right])
        if pair not in memo:
            memo[pair] = relate(*pair, engine, words=lexicon.in_words if lexicon is not None else None)
        rel = memo[pair]
        if rel is not None:
            relations.append((body[left], body[right], rel))
    if not relations:
        return doc, []
    relations = _twins_are_not_contaminated(relations)

    # Neighbours that repeat something themselves say nothing about where a
    # copy belongs: affinity is measured against the other paragraphs only.
    repeated = {i for a, b, _ in relations for i in (a, b)}

    affinity: dict[int, float] = {}

    articles: dict[tuple[int, ...], set[str]] = {}  # vocabulary of each article, shared by its copies

    def rank(i: int) -> tuple[int, int]:
        """Which copy to keep: the one that fits its article best (share of its
        vocabulary found in the rest of its article, compared on a relative
        scale), then the earlier. A total order: three copies never vote in a circle."""
        if i not in affinity:
            members = _article(doc, i, repeated)
            if members not in articles:
                articles[members] = _words(doc, members)
            affinity[i] = _affinity(doc[i].text, articles[members])
        fit = affinity[i]
        return (-math.floor(math.log(fit) / math.log(config.affinity_ratio)) if fit > 0 else 10**6), i

    edges: list[_Edge] = []
    splices: list[tuple[int, int, Relation]] = []
    for a, b, rel in relations:
        if rel.kind == "splice":
            splices.append((a, b, rel))
            continue
        if rel.dup is not None:
            dup, keep = (a, b) if rel.dup == 0 else (b, a)
            edges.append(_Edge(dup, keep, rel, rel.dup_span, rel.other_span, "completeness"))
            continue
        broken_a, broken_b = (_broken_words(doc[a].text, doc[b].text, lexicon)
                              if rel.kind == "near_copy" and lexicon is not None else (0, 0))
        if broken_a != broken_b:
            keep, dup = (a, b) if broken_a < broken_b else (b, a)
            rule = f"fewer words broken by misreads ({min(broken_a, broken_b)} vs {max(broken_a, broken_b)})"
        else:
            keep, dup = sorted((a, b), key=rank)
            same_bucket = rank(keep)[0] == rank(dup)[0]
            rule = "first copy kept" if same_bucket else f"fits its article {affinity[keep]:.2f} vs {affinity[dup]:.2f}"
        spans = (rel.dup_span, rel.other_span) if dup == a else (rel.other_span, rel.dup_span)
        edges.append(_Edge(dup, keep, rel, spans[0], spans[1], rule))

    removed = _resolve(edges, {i: len(keys[k]) for k, i in enumerate(body)})
    _prefer_split_halves(doc, removed)
    _keep_tails_of_cut_paragraphs(doc, removed, config)
    removed.update(_split_remainders(doc, removed))

    edits: list[Edit] = []
    new_blocks = list(doc)
    for a, b, rel in splices:
        if a in removed or b in removed:
            continue
        trim = _choose_splice(doc, a, b, rel, repeated, config)
        if trim is None:
            continue
        target, span, other, other_span, rule = trim
        if new_blocks[target] is not doc[target]:
            continue  # already trimmed against another paragraph: spans no longer hold
        block = new_blocks[target]
        start, end = _text_span(block.text, span)
        if end >= len(block.text.rstrip()):
            while start > 0 and block.text[start - 1] == " ":
                start -= 1
        else:
            while end < len(block.text) and block.text[end] == " ":
                end += 1
        removed_text = block.text[start:end]
        edits.append(Edit("splice_trimmed", STAGE, target, block.ids, removed_text, start, {
            "matched": doc[other].ids[0], "matched_text": doc[other].text,
            "similarity": round(rel.similarity, 4), "span_in_matched": list(other_span),
            "rule": rule}))
        new_blocks[target] = replace(block, text=block.text[:start] + block.text[end:],
                                     end_trimmed=block.end_trimmed or end >= len(block.text.rstrip()))

    for index in sorted(removed, reverse=True):
        edge = removed[index]
        block = doc[index]
        keeper = doc[edge.keep]
        matched_text = keeper.text + (doc[edge.keep_also].text if edge.keep_also is not None else "")
        evidence = {
            "matched": keeper.ids[0], "matched_text": matched_text,
            "similarity": round(edge.relation.similarity, 4),
            "span_in_matched": list(edge.keep_span), "rule": edge.rule,
            "gap": block.gap,
        }
        if edge.relation.junk:
            key = compare_key(block.text)
            s, e = edge.dup_span
            evidence["glued_on"] = key[:s] + ("…" if s and e < len(key) else "") + key[e:]
        edits.append(Edit(_REASON[edge.relation.kind], STAGE, index, block.ids, block.text, 0, evidence))
    # Edits were recorded from the last block to the first, so each index holds when applied.
    return tuple(b for i, b in enumerate(new_blocks) if i not in removed), edits


def _broken_words(a: str, b: str, lexicon: Lexicon) -> tuple[int, int]:
    """For each text, how many of the characters where the two differ are outside dictionary words."""
    diff_a, diff_b = [], []
    for op in Levenshtein.editops(a, b):
        if op.tag == "replace":
            diff_a.append(op.src_pos)
            diff_b.append(op.dest_pos)
    words_a, words_b = lexicon.in_words(a), lexicon.in_words(b)
    return sum(i not in words_a for i in diff_a), sum(i not in words_b for i in diff_b)


def _twins_are_not_contaminated(relations: list[tuple[int, int, Relation]]) -> list[tuple[int, int, Relation]]:
    """A paragraph with an exact or near twin elsewhere is a real paragraph.

    Its "glued-on" text is its own (日前 + a fragment of it that starts at the
    comma): the shorter paragraph is a fragment of it, not the other way round.
    """
    twins = {i for a, b, rel in relations if rel.kind in ("exact", "near_copy") for i in (a, b)}
    out = []
    for a, b, rel in relations:
        if rel.kind == "contaminated" and rel.dup is not None and (a, b)[rel.dup] in twins:
            front = rel.dup_span[0]
            back = rel.junk - front
            kind = "inner" if front and back else "suffix" if front else "prefix"
            rel = Relation(kind, 1 - rel.dup, rel.similarity, rel.other_span, rel.dup_span)
        out.append((a, b, rel))
    return out


def _resolve(edges: list[_Edge], sizes: dict[int, int]) -> dict[int, _Edge]:
    """Removed paragraph -> the edge to a *kept* paragraph that justifies it."""
    out: dict[int, list[_Edge]] = defaultdict(list)
    copies_of: dict[int, list[_Edge]] = defaultdict(list)  # copy edges where the node is the keeper
    nodes: set[int] = set()
    for edge in edges:
        out[edge.dup].append(edge)
        if edge.relation.kind in ("exact", "near_copy"):
            copies_of[edge.keep].append(edge)
        nodes |= {edge.dup, edge.keep}
    kept: set[int] = set()
    removed: dict[int, _Edge] = {}
    undecided = set(nodes)
    while undecided:
        ready = [n for n in undecided if all(e.keep not in undecided for e in out[n])]
        if not ready:  # a cycle of verdicts: keep its most complete member and go on
            first = min(undecided, key=lambda n: (-sizes[n], n))
            kept.add(first)
            undecided.discard(first)
            continue
        for node in ready:
            # A copy of a kept paragraph goes whichever way the pair was oriented.
            to_kept = [e for e in out[node] if e.keep in kept] + [
                _Edge(node, e.dup, e.relation, e.keep_span, e.dup_span, "copy of a paragraph kept in a cycle")
                for e in copies_of[node] if e.dup in kept]
            if to_kept:
                removed[node] = min(to_kept, key=lambda e: (_STRENGTH[e.relation.kind],
                                                            -e.relation.similarity, e.keep))
            else:
                kept.add(node)
            undecided.discard(node)
    return removed


def _unfinished_head(doc: Document, tail: int, removed: dict[int, _Edge]) -> int | None:
    """The kept body block before ``tail`` (captions skipped), if it does not end a sentence."""
    head = tail - 1
    while head >= 0 and doc[head].kind is Kind.CAPTION:
        head -= 1
    if head < 0 or head in removed or doc[head].kind is not Kind.BODY or ends_sentence(doc[head].text):
        return None
    return head


def _prefer_split_halves(doc: Document, removed: dict[int, _Edge]) -> None:
    """A half of a split paragraph beats a floating fragment of the whole paragraph.

    ``…20多名施工人员和十多辆`` / ``机械正进行…开挖。`` is one paragraph cut in two;
    ``长臂挥舞…十多辆机械正进行…开挖。`` elsewhere is a fragment of it. The tail
    half looks like a suffix of that fragment, but the fragment is made of the
    head half's end plus the tail half: it is the fragment that goes.
    """
    keepers: dict[int, int] = defaultdict(int)
    for edge in removed.values():
        keepers[edge.keep] += 1
    for tail, edge in list(removed.items()):
        keeper, start = edge.keep, edge.keep_span[0]
        if edge.relation.kind != "suffix" or keepers[keeper] != 1 or start == 0:
            continue
        head = _unfinished_head(doc, tail, removed)
        if head is None:
            continue
        key_head, key_keeper = compare_key(doc[head].text), compare_key(doc[keeper].text)
        if not key_head.endswith(key_keeper[:start]):
            continue
        offset = len(key_head) - start
        span = (offset, offset + len(key_keeper))
        relation = Relation("suffix" if offset else "exact", 0, edge.relation.similarity,
                            (0, len(key_keeper)), span)
        del removed[tail]
        removed[keeper] = _Edge(keeper, head, relation, (0, len(key_keeper)), span,
                                f"copy of the split paragraph p{doc[head].ids[0]} + p{doc[tail].ids[0]}",
                                keep_also=tail)


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
            j, (start, end) = index, edge.keep_span
            while True:
                j += step
                while 0 <= j < len(doc) and doc[j].kind is Kind.CAPTION:
                    j += step
                if not 0 <= j < len(doc) or doc[j].kind is not Kind.BODY \
                        or j in removed or j in extra or j in keepers:
                    break
                piece = compare_key(doc[j].text)
                if step == 1 and end < len(keeper) and keeper.startswith(piece, end):
                    start, end = end, end + len(piece)
                elif step == -1 and start > 0 and keeper[:start].endswith(piece):
                    start, end = start - len(piece), start
                else:
                    break
                kind = "prefix" if start == 0 else "suffix" if end >= len(keeper) else "inner"
                relation = Relation(kind, 0, 1.0, (0, len(piece)), (start, end))
                extra[j] = _Edge(j, edge.keep, relation, (0, len(piece)), (start, end),
                                 f"continues the removed copy p{doc[index].ids[0]} inside this paragraph")
    return extra


def _after_sentence(key: str, start: int) -> bool:
    """Whether ``key[start:]`` follows a finished sentence."""
    before = key[:start].rstrip(CLOSING_MARKS)
    return start > 0 and bool(before) and before[-1] in TERMINAL_PUNCTUATION


def _choose_splice(doc: Document, a: int, b: int, rel: Relation, repeated: set[int],
                   config: DedupConfig) -> tuple[int, tuple[int, int], int, tuple[int, int], str] | None:
    """Which paragraph loses the repeated tail: the one whose article it does not fit.

    Two paragraphs ending in the same long span may both be right (a legal
    formula: 已由…通过,现予公布,自2018年7月1日起施行。). OCR splices text across
    columns, so only paragraphs of different articles (a headline or jump
    note between them) qualify. The span goes where it visibly does not
    belong: after a finished sentence in one paragraph while it starts
    mid-clause in the other (…并不赞成。助等帮扶力度 against …慈善救助等帮扶力度).
    Otherwise it goes only where it is foreign: it must share
    ``splice_fit_ratio`` times more vocabulary with the other paragraph and
    its neighbours than with the trimmed paragraph's own head and neighbours.
    """
    if not any(doc[j].kind in (Kind.HEADLINE, Kind.JUMP) for j in range(min(a, b) + 1, max(a, b))):
        return None  # same article: parallel sentences end alike on purpose
    key_a, key_b = compare_key(doc[a].text), compare_key(doc[b].text)
    span_a, span_b = rel.dup_span, rel.other_span
    if rel.dup == 1:
        span_a, span_b = rel.other_span, rel.dup_span

    def fit(index: int, key: str, span: tuple[int, int]) -> float:
        rest = key[: span[0]] + key[span[1] :]
        near = _article(doc, index, repeated, reach=config.splice_context_paragraphs)
        return _affinity(key[span[0] : span[1]], _bigrams(rest) | _words(doc, near))

    sides = [(a, key_a, span_a, b, key_b, span_b), (b, key_b, span_b, a, key_a, span_a)]
    if rel.dup is not None:
        sides = [sides[rel.dup]]
    for target, key, span, other, other_key, other_span in sides:
        if _after_sentence(key, span[0]) and other_span[0] > 0 \
                and HAN_RE.match(other_key, other_span[0] - 1):
            return target, span, other, other_span, \
                f"span follows a finished sentence here but starts mid-clause in p{doc[other].ids[0]}"
    fits = {a: fit(a, key_a, span_a), b: fit(b, key_b, span_b)}
    for target, _, span, other, _, other_span in sides:
        own, elsewhere = fits[target], fits[other]
        if elsewhere > 0 and elsewhere >= config.splice_fit_ratio * own:
            return target, span, other, other_span, f"span fits the other article {elsewhere:.2f} vs {own:.2f}"
    return None
