"""The one configuration object: every threshold xcclean uses, with its reason.

Override a value with :func:`dataclasses.replace` (or keyword arguments)::

    >>> from xcclean import Config
    >>> Config().near_copy_min_similarity
    0.9
    >>> Config(near_copy_min_similarity=0.95).near_copy_min_similarity
    0.95
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Sentence-final marks. A paragraph that ends in one of them is complete; a
# split is never repaired after one (the prior-art notes measured 188/188
# non-joins after 。！？!?;… on the seed pages; MinerU uses the same stop set).
TERMINAL_PUNCTUATION = "。！？!?…;；:：."
# Closing marks that may follow a terminal mark: ``…说。”`` is still complete.
CLOSING_MARKS = "”’」』)）】》\"'"


@dataclass(frozen=True)
class Config:
    """Thresholds and switches for every stage, with documented defaults.

    Normalise
        ``fix_unicode``: repair mojibake, control characters and ligatures with
        ftfy (configured for Chinese: quotes are never uncurled, no NFKC, so
        “” 《》 、。 ㎡ survive).
        ``fold_width``: turn fullwidth ASCII forms (``，：（ＡＰＰ``) into ASCII, the
        convention the Xuchang Daily OCR uses for 99 % of its punctuation.
        ``min_chinese_share``: a page whose letters are less Chinese than this
        is only normalised; the other stages are rules for Chinese text.

    Segment / classify
        ``caption_min_gap``: blank lines before a block that set it off as a
        photo caption (seed pages: captions follow 2-3 blank lines, ordinary
        paragraphs 1).
        ``caption_max_chars``: a set-off block longer than this is a caption
        only if it carries a photo credit (…摄, 摄影, 供图), which makes any
        block a caption wherever it stands.
        ``headline_max_chars``: an unterminated block up to this length is a
        headline or deck unless the split evidence says it is a cut paragraph;
        the seeds' cut fragments that are this short all carry strong evidence.
        ``subheading_max_chars``: the same limit for a line with a comma inside
        (抓大事、谋大事,当好发展“智囊团” is 17 characters); a longer unfinished
        line with a comma is prose.
        ``byline_max_chars``: bylines (本报记者 …) are short lines.
        ``echo_min_share``: a block whose ``shingle_size``-grams recur at
        least this much in the next block is not cut from it (a title and
        the lede that quotes it: 0.77 and 0.84 in the synthetic pages; a cut
        paragraph's halves share next to none).

    Deduplicate
        ``shingle_size``: character n-gram length used for candidate search.
        4 keeps chance overlaps between different paragraphs of one article
        low while a fragment of ``min_fragment_chars`` still has 17 shingles.
        Measured at 100k paragraphs (benchmarks/dedup_speed.py corpus):
        n=3 is 20 % slower and finds 0.5 % fewer truncated copies (more chance
        candidates, more boilerplate grams); n=5 is as fast, with 0.1 % fewer
        near copies (each misread kills n shingles).
        ``candidate_min_containment``: share of a paragraph's shingles found in
        another before the pair is aligned at all (a cheap, recall-oriented
        filter; alignment decides). Pairs sharing enough shingles for a
        ``splice_min_chars`` span are aligned too, whatever their share.
        ``max_shingle_df``: shingles in more paragraphs than this are ignored
        for candidate search and not counted in containment (formulae; keeps
        the pair count linear: a shingle held by d paragraphs makes d(d-1)/2
        pairs; at 100k paragraphs of benchmarks/dedup_speed.py the shingles
        held by 17-64 made 60 % of all pairs, cost 10 % more time and found
        0.1 % more truncated copies). A paragraph left with mostly ignored
        shingles (a text repeated more often) is banded, and a band held by
        more paragraphs pairs its first holder with each other one (100
        copies of a notice with misreads: 95 of 99 found, 5 before).
        ``exact_overlap_max_shingles`` / ``anchor_sample``: above this many
        shingles in one input, candidate search keeps one shingle in
        ``anchor_sample`` (a consistent hash sample, so containment survives;
        1 in 4 still gives a 20-character fragment 17 chances of an anchor).
        Texts left with
        fewer than ``lsh_max_anchors`` anchors (short ones) are also banded on
        MinHash signatures (``num_perm``, ``lsh_bands``), where a misread or
        two could take all their anchors (4 rather than 8: 12 % faster at
        100k paragraphs for 0.2 % fewer truncated copies found).
        ``near_copy_min_similarity``: normalised Levenshtein similarity for
        two paragraphs of similar length to be copies (OCR misreads are a few
        characters in a hundred).
        ``fragment_min_similarity``: similarity of a fragment to the span of
        the longer paragraph it aligns with.
        ``max_internal_gap``: longest run of characters inserted or deleted
        in an alignment. OCR misreads substitute characters; an inserted word
        (该工程), even an inserted comma or 了, is how an editor rewords a
        repeated sentence, and it stays (seen in the clean corpus).
        ``max_misread_run``: longest run of substituted characters (OCR
        misreads one glyph at a time; 烟叶税法 vs 船舶吨税法 is different wording).
        2 finds more synthetic near copies (0.991 vs 0.955 of 110), but on
        the clean corpus it removed a parallel decree (第二十四号主席令…劳动法…
        vs 第二十三号主席令…电力法…): two neighbouring characters replaced by
        a real word are rewording.
        ``max_broken_misread_run``: on a page (where the dictionary is
        loaded), a run of up to this many substituted Han characters is a
        misread too when on one side it stands in no dictionary word
        (最头疼 -> 南事疼, 认罪认罚 -> 认罪审审); word for word (劳动法 ->
        电力法) it stays rewording. The corpus API does not load the dictionary.
        ``max_misread_share``: share of substituted characters allowed.
        ``min_fragment_chars``: shorter paragraphs are never removed as
        fragments: names and formulae of up to ~20 characters legitimately
        recur (体、许昌市魏都区文峰社区免费爱心粥屋。 repeats a name from the
        lede of its article).
        ``min_copy_chars``: shorter paragraphs are never removed as copies:
        labels such as 图片: or (完) legitimately repeat.
        ``contamination_max_chars``: a later copy with at most this many extra
        characters glued on front or back, around the whole of a complete
        paragraph, is a contaminated copy and goes. A fragment must match with
        nothing glued on: two paragraphs that each add a few characters of
        their own to a shared formula (X总统Y2日下午前往北京天安门广场…) both stay.
        ``splice_min_chars``: a repeated tail at least this long, after a
        unique head, is a splice candidate.
        ``splice_fit_ratio``: the spliced tail is trimmed only if it shares
        this many times more vocabulary with the other paragraph's article
        than with its own (001's spliced tail: 0.17 vs 0.08); a formula that
        fits both stays in both.
        ``affinity_ratio``: of equal copies keep the one that fits its article
        best: the share of its character bigrams found in the rest of its
        article (up to the nearest headline or jump note each side) and in
        its headline (which lifted misplaced copies found from 0.958 to
        0.966, and from 0.892 to 0.942 with generator seed 1). Fits are
        compared on a log scale in buckets of this ratio, a total order over
        any number of copies; copies in the same bucket are equally at home
        and the first is kept. (On 200 synthetic pages this beat ±2-neighbour
        overlap in fixed buckets: misplaced copies found 0.958 vs 0.933, a
        TF-IDF cosine 0.966 at twice the cost.)

    Repair splits
        ``max_captions_between``: captions skipped between two halves.
        ``split_context_chars``: a suffix fragment whose preceding block is
        unfinished and ends with the same this many characters as precede
        the fragment in the paragraph it repeats is the tail of a cut
        paragraph: it stays, to be rejoined (a chance match of 8 characters
        at exactly that place is rare; the synthetic cases share 12 and 40).
        ``max_rounds``: deduplicate-then-repair rounds; a repaired paragraph
        can show another to be a fragment of it, so the pipeline repeats
        until nothing changes (two rounds suffice on every page seen so far).
        ``terminal_punctuation`` / ``closing_marks``: see module constants.

    Stray tokens
        ``allow_tokens``: Latin tokens always kept (case-insensitive).
        ``deny_tokens``: Latin tokens always removed inside Chinese prose.
        ``stray_min_zipf``: wordfreq Zipf frequency from which a lowercase
        token is a real English word (principle = 4.34; 3 = once per million).
        ``stray_min_letters``: shorter lowercase tokens are kept as suspects.
        ``stray_min_han_share``: a line must be at least this Chinese for a
        token in it to be stray (XUCHANG DAILY stands on its own).
    """

    fix_unicode: bool = True
    fold_width: bool = True
    min_chinese_share: float = 0.2

    caption_min_gap: int = 2
    caption_max_chars: int = 40
    headline_max_chars: int = 40
    subheading_max_chars: int = 24
    byline_max_chars: int = 40
    echo_min_share: float = 0.5

    shingle_size: int = 4
    candidate_min_containment: float = 0.5
    max_shingle_df: int = 16
    exact_overlap_max_shingles: int = 2_000_000
    anchor_sample: int = 4
    lsh_max_anchors: int = 4
    num_perm: int = 128
    lsh_bands: int = 32
    near_copy_min_similarity: float = 0.9
    fragment_min_similarity: float = 0.9
    max_internal_gap: int = 0
    max_misread_run: int = 1
    max_broken_misread_run: int = 2
    max_misread_share: float = 0.1
    min_fragment_chars: int = 20
    min_copy_chars: int = 10
    contamination_max_chars: int = 12
    splice_min_chars: int = 20
    splice_fit_ratio: float = 2.0
    affinity_ratio: float = 1.5

    max_captions_between: int = 2
    split_context_chars: int = 8
    max_rounds: int = 3
    terminal_punctuation: str = TERMINAL_PUNCTUATION
    closing_marks: str = CLOSING_MARKS

    allow_tokens: frozenset[str] = field(
        default_factory=lambda: frozenset(
            {"app", "ems", "gdp", "cpi", "ppi", "pm", "id", "wifi", "vip", "logo",
             "ok", "ai", "5g", "4g", "km", "kg", "cm", "mm", "kw", "kwh", "mw"}
        )
    )
    deny_tokens: frozenset[str] = field(default_factory=frozenset)
    stray_min_zipf: float = 3.0
    stray_min_letters: int = 3
    stray_min_han_share: float = 0.8

    def __post_init__(self) -> None:
        for name in ("near_copy_min_similarity", "fragment_min_similarity",
                     "candidate_min_containment", "max_misread_share",
                     "stray_min_han_share", "min_chinese_share"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"Config.{name} must be between 0 and 1, got {value!r}")
        if self.shingle_size < 1:
            raise ValueError("Config.shingle_size must be at least 1")
        if self.num_perm % self.lsh_bands:
            raise ValueError("Config.num_perm must be a multiple of Config.lsh_bands")
        # Normalise the token lists so callers may pass any iterable and case.
        object.__setattr__(self, "allow_tokens", frozenset(t.lower() for t in self.allow_tokens))
        object.__setattr__(self, "deny_tokens", frozenset(t.lower() for t in self.deny_tokens))
