"""Progress on stderr: a one-line bar on a terminal, a log line every few seconds otherwise."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


# Seconds of pages done before a rate (and an ETA) is given.
_MIN_SPAN = 1.0


class Progress:
    """Counts pages and shows how far a run has got (pages, pages/s, ETA).

    The rate is measured from the first page done, not from the start: the
    start-up (dictionaries, worker processes, the first batch) would make the
    first ETA absurd (an hour for a 10-second run). Until pages have been
    coming for ``_MIN_SPAN`` seconds there is no rate: the bar shows ``?``, and
    no log line is written.

    On a terminal the line is redrawn at most ``redraw`` times a second; on a
    pipe or file a plain line is written every ``every`` seconds. ``note``
    prints a message (a failure) without garbling the bar.
    """

    def __init__(self, total: int, stream: TextIO, enabled: bool = True, every: float = 5.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.total, self.stream, self.clock = total, stream, clock
        self.done = 0
        self.enabled = enabled
        self.tty = enabled and stream.isatty()
        self.every = 0.1 if self.tty else every
        self.last = clock()
        self.first: tuple[float, int] | None = None  # when the first pages were done, and how many
        self.drawn = False

    def _rate(self) -> float | None:
        """Pages a second since the first were done (None until that is measurable)."""
        if self.first is None or self.clock() - self.first[0] < _MIN_SPAN or self.done == self.first[1]:
            return None
        return (self.done - self.first[1]) / (self.clock() - self.first[0])

    def line(self) -> str:
        rate = self._rate()
        if rate is None:
            return f"{self.done}/{self.total} pages, ? pages/s, ETA ?"
        left = max(self.total - self.done, 0)
        return f"{self.done}/{self.total} pages, {rate:.1f} pages/s, ETA {_clock(left / rate)}"

    def advance(self, pages: int = 1) -> None:
        self.done += pages
        now = self.clock()
        if self.first is None:
            self.first = (now, self.done)
        if not self.enabled or now - self.last < self.every or (not self.tty and self._rate() is None):
            return  # a log line says something only once there is a rate
        self.last = now
        if self.tty:
            self.stream.write("\r\x1b[K" + self.line())
            self.drawn = True
        else:
            self.stream.write(f"xcclean: {self.line()}\n")
        self.stream.flush()

    def _clear(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.drawn = False

    def note(self, message: str) -> None:
        self._clear()
        self.stream.write(message + "\n")
        self.stream.flush()

    def close(self) -> None:
        self._clear()
        self.stream.flush()
