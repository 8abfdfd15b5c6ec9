"""Dictionaries, loaded lazily and once per :class:`Lexicon`.

jieba's dictionary takes ~0.6 s to load and wordfreq's English list ~0.1 s;
neither is touched at ``import xcclean`` time, and a :class:`~xcclean.Cleaner`
keeps one Lexicon for all the pages it cleans.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from typing import Any

from .ngram import shipped_table


class Lexicon:
    """Word-boundary and word-frequency look-ups used as evidence."""

    def __init__(self) -> None:
        self._jieba: Any = None
        self._lock = threading.Lock()
        # Split repair weighs most cuts of a page twice (before and after
        # deduplication); the cache lives for one page (see new_page).
        self._across: dict[tuple[str, str], str | None] = {}
        self._last: dict[str, str] = {}
        # A paragraph is compared with each of its copies: segment it once a page.
        self._in_words: dict[str, frozenset[int]] = {}

    def new_page(self) -> None:
        """Forget the previous page's look-ups."""
        self._across = {}
        self._last = {}
        self._in_words = {}

    def _tokenizer(self) -> Any:
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    import jieba

                    jieba.setLogLevel(logging.WARNING)
                    tokenizer = jieba.Tokenizer()
                    tokenizer.initialize()
                    self._jieba = tokenizer
        return self._jieba

    def word_across(self, head: str, tail: str, window: int = 6) -> str | None:
        """The dictionary word that spans the cut between ``head`` and ``tail``.

        jieba segments the text around the cut with its dictionary only
        (``HMM=False``: the HMM invents words such as 压何 across any cut).

        >>> Lexicon().word_across("积极推进学", "校建设")
        '学校'
        >>> Lexicon().word_across("工作会议", "魏都区召开") is None
        True
        """
        left = head[-window:]
        right = tail[:window]
        key = (left, right)
        cache = self._across  # one read: another thread's new_page() may swap the dict
        if key in cache:
            return cache[key]
        found = None
        cut = len(left)
        for word, start, end in self._tokenizer().tokenize(left + right, HMM=False):
            if start < cut < end:
                found = str(word)
                break
        cache[key] = found
        return found

    def in_words(self, text: str) -> frozenset[int]:
        """Positions of ``text`` that fall inside a dictionary word of two or more characters."""
        cache = self._in_words  # one read, as in word_across
        found = cache.get(text)
        if found is None:
            found = frozenset(i for _word, start, end in self._tokenizer().tokenize(text, HMM=False)
                              if end - start > 1 for i in range(start, end))
            cache[text] = found
        return found

    @staticmethod
    def log_likelihood(text: str, start: int, end: int) -> float:
        """How likely news text is to read ``text[start:end]`` there (the shipped character n-gram
        table, :meth:`xcclean.ngram.NgramTable.log_likelihood`)."""
        return shipped_table().log_likelihood(text, start, end)

    @staticmethod
    def opening(text: str) -> float:
        """How much ``text`` opens the way paragraphs open (:meth:`xcclean.ngram.NgramTable.opening`)."""
        return shipped_table().opening(text)

    def last_word(self, text: str) -> str:
        """The last dictionary word of ``text`` (for a cut after 对 or 又).

        >>> Lexicon().last_word("用于对"), Lexicon().last_word("首都")
        ('对', '首都')
        """
        key = text[-6:]
        cache = self._last  # one read, as in word_across
        if key not in cache:
            words = [str(word) for word, _start, _end in self._tokenizer().tokenize(key, HMM=False)]
            cache[key] = words[-1] if words else ""
        return cache[key]

    def first_word(self, text: str) -> str:
        """The first dictionary word of ``text`` (for particles such as 了)."""
        for word, _start, _end in self._tokenizer().tokenize(text[:6], HMM=False):
            return str(word)
        return ""

    @staticmethod
    def zipf(token: str, language: str = "en") -> float:
        """wordfreq's Zipf frequency of a word in English (or, ``language="zh"``, in text written in
        Chinese); 0 when unknown."""
        return _zipf(token.lower(), language)


@lru_cache(maxsize=8192)
def _zipf(token: str, language: str) -> float:
    import wordfreq

    return float(wordfreq.zipf_frequency(token, language))
