"""The configuration: one frozen part per stage, each threshold with its reason.

A :class:`Config` holds one part per stage (``normalise``, ``classify``,
``splits``, ``dedup``, ``tokens``) and the relation engine's settings
(``engine``), shared by the page stage and the corpus API. Each stage is
given only its part. Change values with :meth:`Config.replace`, which finds
each field in its part (field names are unique across parts), or build the
parts yourself::

    >>> from xcclean import Config
    >>> Config().engine.near_copy_min_similarity
    0.9
    >>> Config().replace(near_copy_min_similarity=0.95).engine.near_copy_min_similarity
    0.95
    >>> Config(tokens=TokensConfig(stray_min_zipf=4.0)).tokens.stray_min_zipf
    4.0

Every value is validated when a part is made: a negative length or a share
outside [0, 1] is refused with a ValueError that names the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any


def _check_share(part: object, *names: str) -> None:
    for name in names:
        value = getattr(part, name)
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{type(part).__name__}.{name} must be between 0 and 1, got {value!r}")


def _check_count(part: object, minimum: int, *names: str) -> None:
    for name in names:
        value = getattr(part, name)
        if not isinstance(value, int) or value < minimum:
            raise ValueError(f"{type(part).__name__}.{name} must be an integer >= {minimum}, got {value!r}")


def _check_positive(part: object, *names: str) -> None:
    for name in names:
        value = getattr(part, name)
        if not value > 0:
            raise ValueError(f"{type(part).__name__}.{name} must be positive, got {value!r}")


@dataclass(frozen=True)
class NormaliseConfig:
    """Unicode and whitespace repair.

    ``fix_unicode``: repair mojibake, control characters and ligatures with
    ftfy (configured for Chinese: quotes are never uncurled, no NFKC, so
    “” 《》 、。 ㎡ survive).
    ``fold_width``: turn fullwidth ASCII forms (``，：（ＡＰＰ``) into ASCII, the
    convention the Xuchang Daily OCR uses for 99 % of its punctuation.
    """

    fix_unicode: bool = True
    fold_width: bool = True


@dataclass(frozen=True)
class ClassifyConfig:
    """What each block is (headline, byline, caption, …).

    ``caption_min_gap``: blank lines before a block that set it off as a
    photo caption (seed pages: captions follow 2-3 blank lines, ordinary
    paragraphs 1).
    ``caption_max_chars``: a set-off block longer than this is a caption
    only if it carries a photo credit (…摄, 摄影, 供图), which makes any
    block a caption wherever it stands.
    ``headline_max_chars``: an unterminated block up to this length is a
    headline or deck unless the split evidence says it is a cut paragraph;
    the seeds' cut fragments that are this short all carry strong evidence.
    ``deck_max_chars``: a dashed line under a headline (——记…) is a deck up to
    this length, twice a headline's (a deck names a person and a feat).
    ``subheading_max_chars``: the same limit for a line with a comma inside
    (抓大事、谋大事,当好发展“智囊团” is 17 characters); a longer unfinished
    line with a comma is prose.
    ``byline_max_chars``: bylines (本报记者 …) are short lines.
    """

    caption_min_gap: int = 2
    caption_max_chars: int = 40
    headline_max_chars: int = 40
    deck_max_chars: int = 80
    subheading_max_chars: int = 24
    byline_max_chars: int = 40

    def __post_init__(self) -> None:
        _check_count(self, 1, "caption_min_gap")
        _check_count(self, 0, "caption_max_chars", "headline_max_chars", "deck_max_chars", "subheading_max_chars",
                     "byline_max_chars")


@dataclass(frozen=True)
class SplitsConfig:
    """Rejoining paragraphs that OCR cut in two.

    ``max_captions_between``: captions skipped between two halves.
    ``prose_min_chars``: a short unterminated line longer than this (longer
    than any headline, ``ClassifyConfig.headline_max_chars``) reads like
    prose: ``reconsider`` lets a word across the cut make it body text.
    ``join_min_probability``: the boundary model's probability from which a
    cut is joined: the lowest whose out-of-fold joins on the tune half were
    99.5 % right (``benchmarks/train_splits.py`` prints it; retraining sets
    it anew). ``suspect_min_probability``: a headline head weighed at least
    this likely is logged as ``suspect_split`` (a body head always is).
    ``explain_features``: how many of the features that raised a join's
    probability most its edit names.
    ``echo_gram_chars`` / ``echo_min_share``: a block whose side-by-side
    ``echo_gram_chars``-grams recur at least this much in the next block is
    not cut from it (a title and the lede that quotes it: 0.77 and 0.84 in
    the synthetic pages; a cut paragraph's halves share next to none).
    ``max_rounds``: deduplicate-then-repair rounds; a repaired paragraph
    can show another to be a fragment of it, so the pipeline repeats
    until nothing changes (two rounds suffice on every page seen so far).
    ``cut_window_chars``: after a join, the text across the cut (this many
    characters on one side, one on the other) is looked up in the other
    blocks: only a join whose seam recurs elsewhere can have made a block
    the source of a copy its halves were too short to show. 4 is the
    candidate shingle's length (``EngineConfig.shingle_size``): a copy of the
    head that runs on by a single character (…提出意见和) is one.
    ``copied_end_chars``: a head whose last this many characters stand in
    another block that goes on with other text is not joined: its unfinished
    end is that block's text, a truncated or spliced copy (…向老一辈革命家致敬!老
    spliced from another article), not half of a paragraph cut in two. 16 is
    longer than a formula recurs with another ending on a page (以人民为中心的发展思想,
    is 12); a real split's head is its paragraph's own text.
    ``model_min_head_chars``: a shorter head goes to the boundary model only
    where a mark or a particle shows the cut (:data:`~xcclean.stages.cuts.MARKED`:
    the head ends in a comma or leaves a quote open, the tail opens with ，、
    or 了: 日前 / ,魏都区召开…); otherwise it stays apart. A column break
    leaves at least a paragraph's first line above it, and a line that short
    standing alone is a title, a name or a label (关雎 above 关关雎鸠,…; 苏易简
    above his 词), while the model learned its short heads from the
    generator's cuts at any glyph. Such a line ends in whole words, and that
    its last glyph makes a dictionary word with the next line's first
    (柳永 / 远岸收残雨。: 永远; 学而篇 / 子曰: 篇子) or that a short sentence
    stands under it (寇准 / 春早。) is chance, not evidence of a cut.
    ``unstopped_page_share``: on a page where more than this share of the
    body paragraphs end without a stop, the writer does not close them
    (Weibo posts, chat), and an unfinished end says nothing: only rule
    evidence (a comma, an open quote, a word across the cut…) joins there,
    not the model alone. OCR cuts a few paragraphs a page: at most 31 % of
    the body blocks end unfinished on a real-OCR tune page, 26 % on a damaged
    tune page, 25 % on a seed page; half or more on most pages of Weibo posts.
    """

    max_captions_between: int = 2
    prose_min_chars: int = 40
    echo_gram_chars: int = 4
    echo_min_share: float = 0.5
    max_rounds: int = 3
    cut_window_chars: int = 4
    copied_end_chars: int = 16
    join_min_probability: float = 0.935
    suspect_min_probability: float = 0.2
    explain_features: int = 3
    model_min_head_chars: int = 5
    unstopped_page_share: float = 0.5

    def __post_init__(self) -> None:
        _check_count(self, 0, "max_captions_between", "prose_min_chars", "model_min_head_chars")
        _check_count(self, 1, "echo_gram_chars", "max_rounds", "cut_window_chars", "explain_features",
                     "copied_end_chars")
        _check_share(self, "echo_min_share", "join_min_probability", "suspect_min_probability", "unstopped_page_share")


@dataclass(frozen=True)
class EngineConfig:
    """The relation engine: candidate search and pair-by-pair alignment, for a page and a corpus.

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
    pairs). A paragraph left with mostly ignored shingles (a text repeated
    more often) is banded, and a band held by more paragraphs pairs its
    first holder with each other one.
    ``exact_overlap_max_shingles`` / ``anchor_sample``: above this many
    shingles in one input, candidate search keeps one shingle in
    ``anchor_sample`` (a consistent hash sample, so containment survives;
    1 in 4 still gives a 20-character fragment 17 chances of an anchor).
    Texts left with fewer than ``lsh_max_anchors`` anchors (short ones) are
    also banded on MinHash signatures (``num_perm``, ``lsh_bands``), where a
    misread or two could take all their anchors.
    ``near_copy_min_similarity``: normalised Levenshtein similarity for
    two paragraphs of similar length to be copies (OCR misreads are a few
    characters in a hundred).
    ``fragment_min_similarity``: similarity of a fragment to the span of
    the longer paragraph it aligns with.
    ``max_indel_marks``: longest run of marks (not Han characters) one copy
    has and the other lacks: OCR drops or doubles a comma, a closing quote, a
    hyphen (支- 柱 for 文柱). Two or more Han characters on one side only (该工程)
    are a word an editor added: never noise.
    ``max_han_indel_share``: share of Han characters dropped or doubled, one
    at a time (a faint glyph lost, one read twice). Within a verbatim excerpt
    of whole sentences none is allowed but a doubled one: an editor echoing
    a sentence adds 也 or 该. Where a dictionary is at hand and two or more
    differences show a misread, a dropped glyph that leaves a word broken
    (新疆 / 疆, 出席 / 席) or a doubled one counts under
    ``max_shown_misread_share`` instead: an editor leaves out whole words
    (等, 了), OCR loses a glyph wherever it falls.
    ``max_misread_run``: longest run of substituted characters (OCR
    misreads one glyph at a time; 烟叶税法 vs 船舶吨税法 is different wording;
    two neighbouring characters replaced by a real word are rewording:
    …劳动法… vs …电力法… in a parallel decree).
    ``max_broken_misread_run``: where a dictionary is at hand (a page), a
    run of up to this many substituted Han characters is a misread too when
    on one side it stands in no dictionary word (最头疼 -> 南事疼, 认罪认罚 ->
    认罪审审); word for word (劳动法 -> 电力法) it stays rewording, and so does a
    run that is one whole word on the intact side (汪洋 -> 韩正, 普京 -> 邦戈: the
    dictionary lacks most names, so the new name looks broken).
    ``max_garbled_run``, ``garbled_min_drop``: where a language model is at
    hand (a page), a substituted run of up to ``max_garbled_run`` characters
    that the dictionary rules call a word put for a word is still a misread
    when one side breaks a word and the character n-gram model finds each of
    its characters (and the one after it) at least ``garbled_min_drop`` nats
    less likely than the other side's: OCR puts glyphs for glyphs whatever
    the language (美国 / 到飞), an editor writes language (出席 / 参加, 普京 /
    邦戈 about 3.4 nats a character, 张庆黎 / 王家瑞 2.7: names of people and
    places are rare strings too, hence a margin above them).
    ``inserted_mark_min_nats``: of two readings that differ by one comma or
    enumeration comma between Han characters, where a language model is at
    hand (a page), the one with it is the misread (a speck read as a mark)
    when the character n-gram model reads it at least this many nats less
    likely there (改革、开放 9.8, 改革开,放 23); otherwise the one without it
    lost it: OCR drops small marks where clauses meet (Tesseract on the
    real-OCR tune pages lost 96 single commas against the typeset text and
    added none; 邀请,他都 / 邀请他都 1.5 nats, 当前,两国 0.5). Used in
    choosing which near copy to keep. Colons and semicolons keep the older
    test (the words beside the gap): no evidence either way there, and the
    model reads 时期:从 8 nats less likely than 时期从 though OCR dropped it.
    ``dropped_figure_min_nats``: a figure is distinct content (two reports
    that differ in their figures are two reports), but where a language model
    is at hand (a page) a figure on one side only whose absence leaves the
    other side at least this many nats less likely there is a digit OCR
    dropped, its unit left orphaned (到今年4月。 / 到今年月。, 5月1日起 /
    5月日起): an editor's other figure reads as language (86% / 6%, 2014年 /
    201年: digits are one symbol to the model). On the tune half's near
    copies refused for their figures (3 seeds x 200 pages) the margins of
    such drops were 9.5 and 12.3 nats for orphaned units, 4.5 for 30多 / 3多,
    and under 3.3 where the rest reads as language (这一理念 / 这理念 3.2,
    中央4日 / 中央日 1.5): those stay refused.
    ``misread_numeral_min_nats``: likewise, Chinese numerals put for one
    another where one reading is at least this many nats less likely than
    the other are a glyph OCR misread (近二名 / 近千名 12.7, 三干多 / 三千多
    10.3, 一带二路 26.7: real-OCR tune pages and the corpus), while a report
    that states another figure reads as language on both sides (三中全会 /
    六中全会 3.9, 两国 / 三国 1.8, 五成 / 三成 1.3): about twice the largest
    such margin seen. Arabic digits are one symbol to the model and always
    stay distinct.
    ``misreads_per_word``: where a dictionary is at hand (a page), runs
    that read as a word put for a word (``max_misread_run``,
    ``max_broken_misread_run``) do not refuse a copy by themselves: they are
    rewording unless the other differences show at least this many misreads
    (a word broken on one side only, a garbled run, a doubled glyph) for
    each of them. An editor's variant changes a word or two and breaks no
    word elsewhere (汪洋 / 韩正, …会见。/ …会谈。); OCR misreads glyphs
    wherever they fall, and now and then the glyphs it puts make words among
    the many that do not. Two, so that two parallel reports that were both
    misread once (a broken word each) still differ by their one name.
    ``max_misread_share``: share of differing characters allowed in all
    (substituted, dropped or added) where no misread shows; the
    similarity limits above read the same way (a difference that shows a
    misread counts as equal there).
    ``max_shown_misread_share``: where a dictionary is at hand (a page),
    differences, two or more, that each show a misread there (a word broken
    on one side only, a doubled glyph; not a run only the language model
    finds garbled) may take the differing share up to this:
    an editor never breaks a word, so each such difference is OCR's however
    many there are (a degraded column reads one glyph in five wrong). Past a
    fifth two texts share too little to be told from two reports of one
    event written to one formula; the page's candidate search, which needs
    half the 4-grams whole (``candidate_min_containment``), pairs few
    copies misread beyond a sixth anyway. A limit below
    ``max_misread_share`` counts as that limit.
    ``min_line_end_variations``, ``verse_line_max_chars``: two texts in
    verse (no clause longer than ``verse_line_max_chars``: 诗经's four
    characters, a 词's three to seven; prose runs longer) whose
    substitutions, ``min_line_end_variations`` or more, each sit right
    before a clause mark in both (or before a line-final particle and then a
    mark: 爰采唐矣? / 爰采麦矣?) are stanzas that vary their last words
    (绿衣黄裹。…曷维其已! / 绿衣黄裳。…曷维其亡!), not copies. In prose a
    misread lands before a mark as readily as anywhere (热闹。 read 热闲。).
    ``min_unevidenced_chars``: where a dictionary is at hand (a page), a text
    shorter than this whose substitutions break no word on one side only is
    not shown to be a copy: short parallel lines differ by a word on purpose
    (军乐团奏朝中两国国歌 / …老中…, the stanzas of a song); a misread of a
    longer paragraph need not break a word to be one.
    ``min_fragment_chars``: shorter paragraphs are never removed as
    fragments: names and formulae of up to ~20 characters legitimately
    recur (体、许昌市魏都区文峰社区免费爱心粥屋。 repeats a name from the
    lede of its article).
    ``min_unique_fragment_chars``: down to this length a fragment goes when
    its text occurs only in the paragraph it was cut from (a cut piece of one
    paragraph is found there alone; a name or formula recurs elsewhere).
    ``min_copy_chars``: shorter paragraphs are never removed as copies:
    labels such as 图片: or (完) legitimately repeat.
    ``contamination_max_chars``: a later copy with at most this many extra
    characters glued on front or back, around the whole of a complete
    paragraph, is a contaminated copy. A fragment must match with nothing
    glued on: two paragraphs that each add a few characters of their own to
    a shared formula (X总统Y2日下午前往北京天安门广场…) both stay. Longer glued
    text is a spill when it is found elsewhere on the page.
    ``min_spill_chars``: glued text shorter than this is not looked for
    elsewhere: a string of a few characters recurs on any page by chance.
    ``junk_min_opening``: so fewer letters or digits (报记 of 本报记者, the end
    of a byline's name) in front of a complete paragraph are OCR junk glued
    on, and the longer goes, when the character n-gram model reads the
    shorter's first two characters at a paragraph start at least e to this
    power times as much more often than the longer's (至此 against 报记至此).
    A copy that lost its first characters starts inside the paragraph,
    where the complete one opened as paragraphs open (报道 against 据报道).
    On the test half's paragraphs (the model is trained on the tune half),
    1-3 characters cut from the start, or 1-3 characters of another
    paragraph glued on: 2.5 takes 51 of 3,736 cut copies for the complete
    one and finds 2,385 of 3,320 glued ones; the shorter's own opening
    against a fixed 2.5 took 77 and found 1,307
    (``python benchmarks/language_checks.py --half test``). The same margin
    makes longer glued text a spill where another block of the page holds it
    whole up to OCR noise (a line of the block above read again, misreads and
    all: ``align._spill_before_opening``): on the tune half's damaged pages
    (seeds 0-1) and real-OCR pages (seeds 0-1), a fragment cut from inside a
    paragraph opens that much better than its source 0-4 % of the time, a
    paragraph behind a spill 59-75 %.
    ``misread_junk_max_chars``: text in front of a misread copy of a
    complete paragraph is junk, up to this length, where the shorter opens
    far better (``junk_min_opening``) and the longer's copy is the worse
    reading (``align._junk_before_misread_copy``): OCR glues on one line of a
    neighbouring block, and the longest line of a page is a headline's
    (``ClassifyConfig.headline_max_chars``, 40).
    ``spill_context_chars``: a block that holds the glued text and goes on
    with these many characters of the paragraph itself is another copy of
    the paragraph, not the block the text spilled from.
    ``splice_min_chars``: a repeated tail at least this long, after a
    unique head, is a splice candidate.
    ``splice_bridge_chars``: inside a repeated tail, uncovered stretches
    this short are misread characters, not the end of the repeat.
    ``parallel_min_pairs``: a corpus pass (``xcclean.dedup``) with
    ``workers`` > 1 sends its candidate pairs to worker processes only from
    this many up: a fork and the results' trip back cost tens of
    milliseconds, what aligning about 10,000 pairs here costs (3-5 us a
    pair), so a smaller input is aligned in this process. It changes only
    the time, never an answer.
    ``parallel_min_texts``: likewise, the numpy stages of the candidate
    search (shingles, MinHash, joins) run on ``workers`` threads only for
    inputs of this many texts (a thread pool costs a fraction of a
    millisecond; a page of a hundred paragraphs is done sooner alone).
    """

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
    max_indel_marks: int = 2
    max_han_indel_share: float = 0.02
    max_misread_run: int = 1
    max_broken_misread_run: int = 2
    max_garbled_run: int = 3
    garbled_min_drop: float = 3.5
    dropped_figure_min_nats: float = 4.0
    misread_numeral_min_nats: float = 8.0
    inserted_mark_min_nats: float = 4.0
    misreads_per_word: int = 2
    max_misread_share: float = 0.1
    max_shown_misread_share: float = 0.2
    min_line_end_variations: int = 2
    verse_line_max_chars: int = 7
    min_unevidenced_chars: int = 40
    min_fragment_chars: int = 20
    min_unique_fragment_chars: int = 8
    min_copy_chars: int = 10
    contamination_max_chars: int = 12
    min_spill_chars: int = 4
    junk_min_opening: float = 2.5
    misread_junk_max_chars: int = 40
    spill_context_chars: int = 2
    splice_min_chars: int = 20
    splice_bridge_chars: int = 3
    parallel_min_pairs: int = 20_000
    parallel_min_texts: int = 20_000

    def __post_init__(self) -> None:
        _check_share(self, "candidate_min_containment", "near_copy_min_similarity", "fragment_min_similarity",
                     "max_misread_share", "max_shown_misread_share", "max_han_indel_share")
        _check_count(self, 1, "shingle_size", "max_shingle_df", "anchor_sample", "num_perm", "lsh_bands")
        _check_count(self, 0, "exact_overlap_max_shingles", "lsh_max_anchors", "max_indel_marks",
                     "max_misread_run", "max_broken_misread_run", "misreads_per_word", "max_garbled_run",
                     "min_fragment_chars", "min_unique_fragment_chars", "min_copy_chars", "contamination_max_chars",
                     "misread_junk_max_chars", "min_spill_chars", "spill_context_chars", "splice_min_chars",
                     "min_unevidenced_chars", "splice_bridge_chars", "parallel_min_pairs", "parallel_min_texts")
        _check_count(self, 1, "min_line_end_variations", "verse_line_max_chars")
        _check_positive(self, "garbled_min_drop", "junk_min_opening", "dropped_figure_min_nats",
                        "misread_numeral_min_nats", "inserted_mark_min_nats")
        if self.min_unique_fragment_chars > self.min_fragment_chars:
            raise ValueError("EngineConfig.min_unique_fragment_chars must not exceed min_fragment_chars")
        if self.num_perm % self.lsh_bands:
            raise ValueError("EngineConfig.num_perm must be a multiple of EngineConfig.lsh_bands")


@dataclass(frozen=True)
class DedupConfig:
    """The page stage's choices among the engine's verdicts.

    ``splice_fit_ratio``: a spliced tail is trimmed only if it shares this
    many times more vocabulary with the other paragraph's article than with
    its own; a formula that fits both stays in both.
    ``affinity_ratio``: of equal copies keep the one that fits its article
    best (the share of its character bigrams found in the rest of its
    article and in its headline), compared on a log scale in buckets of this
    ratio: a total order over any number of copies; copies in the same
    bucket are equally at home. Exact copies that fit alike are then
    compared the same way by their share found in the body paragraphs
    right before and after them (where the text runs), then the first is
    kept.
    ``split_context_chars``: a suffix fragment whose preceding block is
    unfinished and ends with the same this many characters as precede the
    fragment in the paragraph it repeats is the tail of a cut paragraph: it
    stays, to be rejoined (a chance match of 8 characters at exactly that
    place is rare). Likewise a headline whose last this many characters and
    the next block's first stand together in another block is the head of a
    copy cut in two, not a title (titles are lines glued on whole).
    ``splice_context_paragraphs``: body paragraphs each side that count as
    a splice's article when its fit is weighed.
    ``splice_junction_chars``: a spliced tail is no splice where the text
    across the join, this many characters each side, stands in a third
    paragraph that does not open as this one: head and tail were written
    together there (OCR joins text that never stood together; 8 characters
    across one exact place match by chance rarely).
    ``medoid_max_readings``: of three or more distinct readings of one
    paragraph that the misread rules cannot tell apart, the one nearest all
    the others is kept (OCR misreads each copy on its own); past this many
    readings (never seen on a page; a pathological page repeats one reading)
    the distances are not summed, so the cost stays linear.
    ``likelier_min_nats``: of near copies still tied, the one the character
    n-gram model reads likelier where they differ stays, where it is at least
    this many nats likelier (summed over its near copies); below, position
    decides. Calibrated on the tune half's damaged pages (3,116 source/copy
    pairs, 10 generator seeds): at a margin under 1 nat the model is right
    half the time, 1-2 nats 65 %, 2-4 nats 81 %, 4 or more 99 %.
    ``refrain_max_chars`` / ``repeat_max_distance``: OCR repeats a block
    where it read it; a short line (a dateline, a refrain, a slogan) of up to
    ``refrain_max_chars`` recurs by design, so its exact copy counts only
    within ``repeat_max_distance`` blocks of another, in the same article.
    """

    splice_fit_ratio: float = 2.0
    affinity_ratio: float = 1.5
    split_context_chars: int = 8
    splice_context_paragraphs: int = 2
    splice_junction_chars: int = 4
    medoid_max_readings: int = 16
    likelier_min_nats: float = 4.0
    refrain_max_chars: int = 30
    repeat_max_distance: int = 3

    def __post_init__(self) -> None:
        _check_positive(self, "splice_fit_ratio", "likelier_min_nats")
        if not self.affinity_ratio > 1:
            raise ValueError(f"DedupConfig.affinity_ratio must be above 1, got {self.affinity_ratio!r}")
        _check_count(self, 0, "split_context_chars", "splice_context_paragraphs", "refrain_max_chars",
                     "repeat_max_distance")
        _check_count(self, 1, "splice_junction_chars", "medoid_max_readings")


_DEFAULT_ALLOW = frozenset({"app", "ems", "gdp", "cpi", "ppi", "pm", "id", "wifi", "vip", "logo", "ok", "ai",
                            "5g", "4g", "km", "kg", "cm", "mm", "kw", "kwh", "mw"})


@dataclass(frozen=True)
class TokensConfig:
    """Stray foreign tokens.

    ``allow_tokens``: Latin tokens always kept (case-insensitive).
    ``deny_tokens``: Latin tokens always removed inside Chinese prose.
    ``stray_min_zipf``: wordfreq Zipf frequency from which a lowercase
    token is a real English word (principle = 4.34; 3 = once per million).
    ``stray_min_letters``: shorter lowercase tokens are kept as suspects.
    ``stray_min_han_share``: a line must be at least this Chinese for a
    token in it to be stray (XUCHANG DAILY stands on its own).
    ``loanword_min_zipf``: an English word this frequent in text written in
    Chinese (wordfreq ``zh``; 3 = once per million words) and less than
    ``loanword_max_gap`` below its English frequency is a loanword in use and
    stays: bug 3.73 (0.47 below), pdf 4.12, blog 3.90. Chinese text quotes
    English, so every English word shows in it about 2 below its English
    frequency (the 2.00, of 2.00, for 2.02, and 2.09: never borrowed);
    ``loanword_max_gap`` 1.5 asks for three times that background or more.
    ``mixed_loanword_min_zipf``: a word at least this frequent in Chinese text
    (2 = once in ten million words: deadline 2.34, emo 2.45; hold 3.18, which
    the background explains) stays where the page writes Latin at a
    writer's rate: a word in Latin letters (a name, a term, an English word;
    acronyms and codes aside) per ``mixed_han_per_word`` Chinese characters
    or more (a sentence of chat: 这个项目的 deadline 是下周五; a technical
    page). OCR and translation leaks leave one or two words on a page of
    print (thousands of characters; news writes little but acronyms in
    Latin). principle (0.02) and growth (0.60) are no loans anywhere.
    ``code_switch_min_words``: a page whose Chinese prose holds this many
    distinct lowercase English words or more code-switches on purpose (a
    blog, a chat), and so does a page holding this many distinct Latin words
    (names, terms, identifiers: Vue, createApp, template) at the rate of
    ``mixed_han_per_word`` (a technical page: provide + inject); OCR leaves
    one or two strays on a page (one in the five seed pages), so their words
    are kept there.
    ``term_min_uses``: a lowercase English word that stands this many times
    or more in a page's Chinese prose is a term the writer uses (透传
    attribute, again and again in a technical text); a leak or an OCR
    insertion is a one-off.
    """

    allow_tokens: frozenset[str] = field(default_factory=lambda: _DEFAULT_ALLOW)
    deny_tokens: frozenset[str] = field(default_factory=frozenset)
    stray_min_zipf: float = 3.0
    stray_min_letters: int = 3
    stray_min_han_share: float = 0.8
    loanword_min_zipf: float = 3.0
    loanword_max_gap: float = 1.5
    mixed_loanword_min_zipf: float = 2.0
    mixed_han_per_word: int = 300
    code_switch_min_words: int = 4
    term_min_uses: int = 2

    def __post_init__(self) -> None:
        _check_share(self, "stray_min_han_share")
        _check_count(self, 1, "stray_min_letters", "code_switch_min_words", "term_min_uses", "mixed_han_per_word")
        _check_positive(self, "loanword_max_gap")
        # Normalise the token lists so callers may pass any iterable and case.
        object.__setattr__(self, "allow_tokens", frozenset(t.lower() for t in self.allow_tokens))
        object.__setattr__(self, "deny_tokens", frozenset(t.lower() for t in self.deny_tokens))


_PARTS = ("normalise", "classify", "splits", "dedup", "tokens", "engine")


@dataclass(frozen=True)
class Config:
    """Every stage's settings (see each part), plus the pipeline's own.

    ``min_chinese_share``: a page whose letters are less Chinese than this
    is only normalised; the other stages are rules for Chinese text.
    """

    normalise: NormaliseConfig = field(default_factory=NormaliseConfig)
    classify: ClassifyConfig = field(default_factory=ClassifyConfig)
    splits: SplitsConfig = field(default_factory=SplitsConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    tokens: TokensConfig = field(default_factory=TokensConfig)
    engine: EngineConfig = field(default_factory=EngineConfig)
    min_chinese_share: float = 0.2

    def __post_init__(self) -> None:
        _check_share(self, "min_chinese_share")
        for name in _PARTS:
            expected = _PART_TYPES[name]
            if not isinstance(getattr(self, name), expected):
                raise TypeError(f"Config.{name} must be a {expected.__name__}")

    def replace(self, **changes: Any) -> Config:
        """A copy with the named fields changed, wherever they live.

        >>> Config().replace(fold_width=False, min_copy_chars=8).normalise.fold_width
        False
        """
        parts: dict[str, dict[str, Any]] = {}
        own: dict[str, Any] = {}
        for name, value in changes.items():
            part = _FIELD_PART.get(name)
            if part is None:
                raise TypeError(f"Config has no field {name!r}")
            if part:
                parts.setdefault(part, {})[name] = value
            else:
                own[name] = value
        updated = {part: replace(getattr(self, part), **values) for part, values in parts.items()}
        return replace(self, **updated, **own)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (token sets as sorted lists), as :meth:`from_dict` reads them."""
        out: dict[str, Any] = {"min_chinese_share": self.min_chinese_share}
        for part in _PARTS:
            values = getattr(self, part)
            out[part] = {f.name: sorted(v) if isinstance(v := getattr(values, f.name), frozenset) else v
                         for f in fields(values)}
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Config:
        """The Config :meth:`to_dict` wrote; unknown fields (from another version) are ignored."""
        if not any(part in data for part in _PARTS):  # written by xcclean 0.1: one flat Config
            flat = {k: frozenset(v) if isinstance(v, list) else v for k, v in data.items() if k in _FIELD_PART}
            return cls().replace(**flat)
        parts: dict[str, Any] = {}
        for part in _PARTS:
            kind = _PART_TYPES[part]
            known = {f.name for f in fields(kind)}
            values = {k: frozenset(v) if isinstance(v, list) else v
                      for k, v in dict(data.get(part, {})).items() if k in known}
            parts[part] = kind(**values)
        share = data.get("min_chinese_share", cls.min_chinese_share)
        return cls(**parts, min_chinese_share=share)


_PART_TYPES: dict[str, type] = {"normalise": NormaliseConfig, "classify": ClassifyConfig, "splits": SplitsConfig,
                                "dedup": DedupConfig, "tokens": TokensConfig, "engine": EngineConfig}
# Field name -> the part that holds it ("" for Config's own); names are unique across parts
# (tests/test_config.py checks), which is what lets Config.replace take plain names.
_FIELD_PART: dict[str, str] = {"min_chinese_share": ""} | {
    f.name: part for part, kind in _PART_TYPES.items() for f in fields(kind)}
