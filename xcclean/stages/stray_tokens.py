"""Stage 6: remove stray English words that OCR (or a translation leak) left inside Chinese prose.

Every Latin token in a mostly Chinese line is decided by the first rule that
applies (:data:`RULES`), and the rule is logged:

1. ``TokensConfig.deny_tokens`` → removed.
2. ``TokensConfig.allow_tokens`` (App, EMS, GDP, units …) → kept.
3. a digit inside (5G, PM2.5, C919, CN41—0013), a URL or an email → kept.
4. a capital letter (NAPA, II, iPhone, Beijing) → kept: names, acronyms,
   roman numerals.
5. one or two letters glued to Chinese (i许昌, x光) → kept.
6. part of a phrase of Latin words, quoted/bracketed (“principle”), set
   after a dash (精神分析说——psychoanalysis), or followed by a footnote
   reference (romantic〔20〕) → kept, logged as
   ``suspect_token``: a mention, not debris.
7. an English word Chinese writers use (wordfreq's Chinese list has it at
   Zipf ≥ ``loanword_min_zipf``, more often than quoted English explains:
   bug, pdf, blog, online) → kept as a ``suspect_token``: a loanword in use.
8. an English word with weaker evidence of Chinese use (Zipf ≥
   ``mixed_loanword_min_zipf`` in Chinese text: deadline, emo, hold) in text
   that writes Latin at a writer's rate (a word in Latin letters -- a name,
   a term, an English word; acronyms and codes aside -- per
   ``mixed_han_per_word`` Chinese characters or more) → kept as a
   ``suspect_token``.
9. on a page that code-switches (``code_switch_min_words`` distinct English
   words or more in its Chinese prose, or as many distinct Latin words --
   names, terms, identifiers -- at a writer's rate: a technical page), or a
   word the page's prose holds
   ``term_min_uses`` times or more (透传 attribute) → kept as a
   ``suspect_token``: the writer mixes languages on purpose; OCR leaves one
   or two strays a page, each once.
10. lowercase, at least ``stray_min_letters`` letters, a real English word
   (wordfreq Zipf ≥ ``stray_min_zipf``), set apart by spaces or glued to the
   Chinese around it (``的 principle,``, ``的principle,``) → removed with the
   spaces around it.
11. anything else → kept, logged as ``suspect_token``.

Lines less than ``stray_min_han_share`` Chinese are left alone (the masthead
XUCHANG DAILY, an English abstract).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..chars import FOOTNOTE_REF, HAN_RE, LATIN_LETTER_RE, LATIN_TOKEN_RE, chinese_share
from ..config import TokensConfig
from ..lexicon import Lexicon
from ..model import Block, Document, Edit, Kind

STAGE = "stray_tokens"

_URLISH = re.compile(r"(://|@|^www\.|\.(com|cn|net|org|gov)\b)", re.IGNORECASE)
_QUOTES = "“”‘’\"'《》〈〉「」『』()（）【】[]"
_KINDS = (Kind.BODY, Kind.CAPTION, Kind.DECK, Kind.HEADLINE)
_FOOTNOTE = re.compile(r"\s*" + FOOTNOTE_REF)
# The paragraph names the English language: 英语的doll, yes 英语:是的, 翻译成英文…外国人知道panda.
_NAMES_ENGLISH = re.compile(r"英语|英文|英語|英译")
_DASHES = frozenset("—–－-―")


@dataclass(frozen=True)
class Token:
    """A Latin token of a line and what stands around it."""

    text: str
    line: str
    start: int
    end: int
    code_switched: bool  # the page mixes English words into its Chinese on purpose
    mixed: bool = False  # the page holds a Latin word per mixed_han_per_word Chinese characters or more
    uses: int = 1  # how many times the word (case folded) stands in the page's Chinese prose

    @property
    def before(self) -> str:
        return self.line[self.start - 1] if self.start else ""

    @property
    def after(self) -> str:
        return self.line[self.end] if self.end < len(self.line) else ""

    @property
    def left(self) -> str:
        """The nearest character before, spaces skipped."""
        rest = self.line[: self.start].rstrip(" ")
        return rest[-1] if rest else ""

    @property
    def right(self) -> str:
        rest = self.line[self.end :].lstrip(" ")
        return rest[0] if rest else ""


Verdict = tuple[str, str]  # ("remove" | "keep" | "suspect", rule)
Rule = Callable[[Token, TokensConfig, Lexicon], Verdict | None]


def _denied(t: Token, config: TokensConfig, lexicon: Lexicon) -> Verdict | None:
    """Tokens the user lists as always stray."""
    return ("remove", "deny list") if t.text.lower() in config.deny_tokens else None


def _allowed(t: Token, config: TokensConfig, lexicon: Lexicon) -> Verdict | None:
    """Tokens the user (or the defaults: App, EMS, GDP, units) lists as always kept."""
    return ("keep", "allow list") if t.text.lower() in config.allow_tokens else None


def _code(t: Token, config: TokensConfig, lexicon: Lexicon) -> Verdict | None:
    """A digit, a URL or an e-mail address: a code, a model, a number (5G, CN41—0013, i.xuchang.gov.cn)."""
    if any(c.isdigit() for c in t.text) or _URLISH.search(t.text):
        return "keep", "code, number or address"
    return None


def _capitalised(t: Token, config: TokensConfig, lexicon: Lexicon) -> Verdict | None:
    """A capital letter: a name, an acronym, a roman numeral (NAPA, II, iPhone). OCR debris and
    translation leaks are lowercase words."""
    return ("keep", "capitalised: name, acronym or numeral") if any(c.isupper() for c in t.text) else None


def _short_prefix(t: Token, config: TokensConfig, lexicon: Lexicon) -> Verdict | None:
    """One or two letters glued to Chinese: part of a name or term (i许昌, x光, e时代)."""
    if len(t.text) <= 2 and (HAN_RE.match(t.before) or HAN_RE.match(t.after)):
        return "keep", "short prefix glued to Chinese"
    return None


def _mentioned(t: Token, config: TokensConfig, lexicon: Lexicon) -> Verdict | None:
    """Part of a Latin phrase, quoted or bracketed (“principle”), set after a dash (精神分析说——
    psychoanalysis, a term glossed with its original), followed by a footnote reference
    (普通认为romantic〔20〕的), or in a paragraph that names the English language (所以英语的doll,
    即…; yes 英语:是的; 翻译成英文的中国词…外国人不光知道panda): the word is talked about, or
    annotated by the writer. OCR and translation leaks fall between words, not after a dash."""
    if (t.left.isascii() and t.left.isalpha()) or (t.right.isascii() and t.right.isalpha()):
        return "suspect", "part of a Latin phrase"
    if t.left and t.left in _QUOTES and t.right and t.right in _QUOTES:
        return "suspect", "quoted or bracketed"
    if t.left in _DASHES:
        return "suspect", "glossed after a dash"
    if _FOOTNOTE.match(t.line, t.end):
        return "suspect", "annotated: a footnote reference follows"
    if _NAMES_ENGLISH.search(t.line):
        return "suspect", "in a paragraph about English"
    return None


def _loanword(t: Token, config: TokensConfig, lexicon: Lexicon) -> Verdict | None:
    """An English word Chinese writers use as their own: wordfreq's Chinese list (text written in
    Chinese) has it at ``loanword_min_zipf`` or more (once per million words: bug 3.73, pdf 4.12,
    blog 3.90), and less than ``loanword_max_gap`` below its English frequency. Chinese text quotes
    English (titles, names, whole sentences), so every English word shows in it at about its
    English frequency less 2 -- the, of, and, for, in stand 2.0-2.1 below, and none of them is
    borrowed; a word used as Chinese stands out above that (bug 0.47 below). A leaked word of
    translation is rare in Chinese text (principle 0.02)."""
    zh = lexicon.zipf(t.text, "zh")
    if zh >= config.loanword_min_zipf and lexicon.zipf(t.text) - zh < config.loanword_max_gap:
        return "suspect", "an English word used in Chinese text"
    return None


def _mixed_loanword(t: Token, config: TokensConfig, lexicon: Lexicon) -> Verdict | None:
    """A word with weaker evidence of Chinese use (``mixed_loanword_min_zipf`` or more in Chinese
    text: deadline 2.34, emo 2.45, hold 3.18, which quoted English explains) in text that writes
    Latin as writers who mix languages do: a word in Latin letters (a name, a term, an English
    word) per ``mixed_han_per_word`` Chinese characters or more (这个项目的 deadline 是下周五; a
    post, a chat message; a technical page with Vue, shallowRef and props). At that frequency any
    English word shows in Chinese text (dancer 2.47, barn 2.65): only the rate tells use from
    debris, since OCR or a translation leak leaves one or two words on a page of print, and news
    writes little but acronyms in Latin (1,600 generated tune pages: 358 characters a word or more,
    strays counted; the seed pages 944 or more)."""
    if t.mixed and lexicon.zipf(t.text, "zh") >= config.mixed_loanword_min_zipf:
        return "suspect", "an English word used in Chinese text that mixes English in"
    return None


def _code_switching(t: Token, config: TokensConfig, lexicon: Lexicon) -> Verdict | None:
    """The page mixes English words into its Chinese throughout, or uses this one again and again
    (``term_min_uses``: 透传 attribute in a technical text): a writer's choice. A leak or an OCR
    insertion is a one-off."""
    if t.code_switched:
        return "suspect", "the page code-switches"
    return ("suspect", "a term the page uses again") if t.uses >= config.term_min_uses else None


def _english_word(t: Token, config: TokensConfig, lexicon: Lexicon) -> Verdict | None:
    """A lowercase English word of ``stray_min_letters`` or more, frequent enough in English to be
    a real word: stray, spaced (的 principle,) or glued (的principle,)."""
    if not t.text.isalpha() or len(t.text) < config.stray_min_letters:
        return None
    return ("remove", "English word inside Chinese prose") \
        if lexicon.zipf(t.text) >= config.stray_min_zipf else None


RULES: tuple[Rule, ...] = (_denied, _allowed, _code, _capitalised, _short_prefix, _mentioned, _loanword,
                           _mixed_loanword, _code_switching, _english_word)


def decide(t: Token, config: TokensConfig, lexicon: Lexicon) -> Verdict:
    """The first rule that speaks, else a suspect."""
    for rule in RULES:
        verdict = rule(t, config, lexicon)
        if verdict is not None:
            return verdict
    return "suspect", "unknown lowercase token"


def _removal_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The token plus the spaces around it, keeping one space between Latin/digits."""
    s, e = start, end
    while s > 0 and text[s - 1] == " ":
        s -= 1
    while e < len(text) and text[e] == " ":
        e += 1
    left = text[s - 1] if s else ""
    right = text[e] if e < len(text) else ""
    if left.isascii() and left.isalnum() and right.isascii() and right.isalnum() and e > end:
        e -= 1
    return s, e


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """The Latin tokens of a line that hold a letter (trailing joiners stripped)."""
    out = []
    for match in LATIN_TOKEN_RE.finditer(text):
        token = match.group().rstrip(".-—/:'’")
        if LATIN_LETTER_RE.search(token):
            out.append((token, match.start(), match.start() + len(token)))
    return out


def _prose_lines(doc: Document, config: TokensConfig) -> list[tuple[int, float]]:
    """The blocks whose tokens are weighed, with their Chinese share."""
    out = []
    for i, block in enumerate(doc):
        if block.kind in _KINDS and LATIN_LETTER_RE.search(block.text):
            share = chinese_share(block.text)
            if share >= config.stray_min_han_share:
                out.append((i, share))
    return out


def _code_switched(tokens: list[str], config: TokensConfig, lexicon: Lexicon) -> bool:
    """Whether the page's Chinese prose (its ``tokens``) holds ``code_switch_min_words`` distinct
    lowercase English words."""
    words = {token for token in tokens
             if token.isalpha() and token.islower() and len(token) >= config.stray_min_letters
             and token not in config.allow_tokens and lexicon.zipf(token) >= config.stray_min_zipf}
    return len(words) >= config.code_switch_min_words


def _technical(words: list[str], mixed: bool, config: TokensConfig) -> bool:
    """Whether the page writes Latin at a writer's rate (``mixed``) and holds
    ``code_switch_min_words`` distinct Latin words or more (names, terms, identifiers: Vue,
    createApp, innerHTML, template): a technical page, whose English words are the writer's terms
    (provide + inject, the template option) however rarely Chinese text borrows them. OCR and
    translation leaks leave one or two words on a page of print, and news writes little but
    acronyms in Latin."""
    return mixed and len({word.lower() for word in words}) >= config.code_switch_min_words


def _latin_words(tokens: list[str], config: TokensConfig) -> list[str]:
    """The words among a page's ``tokens`` written in Latin letters: names, terms, identifiers and
    lowercase words alike (Vue, shallowRef, v-bind, props, deadline), with ``stray_min_letters``
    letters or more; acronyms (GDP, APEC) and anything with a digit (CN41—0013, 5G) left out: news
    writes these, and little else, in Latin."""
    return [token for token in tokens
            if sum(c.isascii() and c.isalpha() for c in token) >= config.stray_min_letters
            and not token.isupper() and not any(c.isdigit() for c in token)]


def _han_count(doc: Document) -> int:
    """The Chinese characters of the page's prose, headlines and captions."""
    return sum(len(HAN_RE.findall(block.text)) for block in doc if block.kind in _KINDS)


def _scan(block: Block, index: int, share: float, page: tuple[bool, bool], uses: Counter[str],
          config: TokensConfig, lexicon: Lexicon) -> tuple[str, list[Edit]]:
    """The block with its stray tokens removed, and an edit per token. ``page``: whether the page
    code-switches and whether it writes Latin at a writer's rate (:class:`Token`'s fields)."""
    switched, mixed = page
    text = block.text
    edits: list[Edit] = []
    removals: list[tuple[int, int, Edit]] = []
    for token, start, end in _tokens(text):
        t = Token(token, text, start, end, code_switched=switched, mixed=mixed, uses=uses[token.lower()])
        verdict, rule = decide(t, config, lexicon)
        evidence = {"token": token, "rule": rule, "zipf": round(lexicon.zipf(token), 2) if token.isalpha() else None,
                    "zh_zipf": round(lexicon.zipf(token, "zh"), 2) if token.isalpha() else None,
                    "chinese_share": round(share, 3)}
        if verdict == "remove":
            s, e = _removal_span(text, start, end)
            removals.append((s, e, Edit("stray_token", STAGE, index, block.ids, text[s:e], s, evidence)))
        elif verdict == "suspect":
            edits.append(Edit("suspect_token", STAGE, index, block.ids, "", start, evidence))
    # Remove right to left so each edit's offset holds when it is applied.
    for s, e, edit in sorted(removals, key=lambda r: -r[0]):
        text = text[:s] + text[e:]
        edits.append(edit)
    return text, edits


def remove_stray_tokens(doc: Document, config: TokensConfig, lexicon: Lexicon) -> tuple[Document, list[Edit]]:
    """Remove stray English words from Chinese prose (see the module docstring)."""
    blocks = list(doc)
    edits: list[Edit] = []
    lines = _prose_lines(doc, config)
    tokens = [token for i, _ in lines for token, _, _ in _tokens(doc[i].text)]
    words = _latin_words(tokens, config)
    # most pages hold no Latin word: their Chinese characters need no counting
    mixed = bool(words) and len(words) * config.mixed_han_per_word >= _han_count(doc)
    switched = _code_switched(tokens, config, lexicon) or _technical(words, mixed, config)
    uses = Counter(token.lower() for token in tokens)
    for i, share in lines:
        text, found = _scan(blocks[i], i, share, (switched, mixed), uses, config, lexicon)
        edits.extend(found)
        if text != blocks[i].text:
            blocks[i] = replace(blocks[i], text=text)
    return tuple(blocks), edits
