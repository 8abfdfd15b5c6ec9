"""Pages damaged by a real OCR engine: rendered test articles read by Tesseract from layout crops.

:mod:`benchmarks.damage` writes the damage it injects; here the engine makes
it. Articles of one half of the corpus (:mod:`benchmarks.corpus_split`:
*tune* for tuning and training, *test* for published figures) are typeset as
narrow newspaper columns with Pillow and a Noto CJK font (title in bold sans,
body in serif with a two-character indent, photo captions in sans), degraded
like a scan (character jitter, uneven ink, a slight skew, blur, noise, specks,
JPEG), and read by Tesseract (``chi_sim``, ``--psm 6``) **block by block from
image crops**, the way a layout analysis feeds a recogniser.

The truth of a page is the engine's own reading of each *whole* block (the
crop of all its lines), so misreads that no cleaner could undo are not
counted against it. The faults are what a layout analysis does wrong, each
made by OCRing another crop of the same scan:

``exact`` / ``near_copy``  a block read twice from a shifted, re-scaled crop; ``exact`` when the
                           two readings agree, else a near copy with the engine's own misreads
``fragment``               a crop of the first (``prefix``), last (``suffix``) or some inner
                           (``inner``) lines of a block: a line-aligned fragment, down to one line
``split``                  a paragraph broken at a column end: its head and tail lines read as
                           two blocks, sometimes with a photo caption between them
``contaminated``           a crop that takes in the previous block's last line (``side: front``)
                           or the next block's first line (``side: back``): a "spilled" copy

Plus undamaged pages (no faults), to count false joins and removals on real
engine noise at paragraph ends. Pages have the format of
:class:`benchmarks.damage.Page` and are scored by :mod:`benchmarks.quality`.

    python benchmarks/ocr_pages.py --half test --pages 100 --undamaged 30 --seed 0 --workers 2
    python benchmarks/ocr_pages.py --half test --score        # build (or load) and score

Results are cached in ``benchmarks/.cache/ocr-<half>-<seed>.jsonl`` (git-ignored;
never commit pages made from the corpus). If Tesseract, its ``chi_sim`` data
or the font is missing, the CLI says so in one line and exits 2;
:func:`load_pages` raises :class:`OcrUnavailable` with that reason.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rapidfuzz.distance import Levenshtein  # noqa: E402

from benchmarks.corpus_split import HALVES, Half, load  # noqa: E402
from benchmarks.damage import Page  # noqa: E402

CACHE = ROOT / "benchmarks" / ".cache"
RESULTS = ROOT / "benchmarks" / "results"
FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONTS = {"body": "NotoSerifCJK-Regular.ttc", "title": "NotoSansCJK-Bold.ttc", "caption": "NotoSansCJK-Regular.ttc"}
FONT_INDEX = 2  # the Simplified Chinese face (SC) in each Noto CJK collection
LANG = "chi_sim"
PSM = "6"  # "a single uniform block of text": what a layout analysis hands over for each crop
# The default set: about 4.6 CPU-seconds a page (render + OCR), so 130 pages a half take 5 minutes
# on two idle cores (8 on a loaded machine), both halves within 20.
DEFAULT_PAGES, DEFAULT_UNDAMAGED = 100, 30
VERSION = 2  # bump when a change alters the pages a seed gives: old caches are then rebuilt

# Line-breaking rules of Chinese typesetting (kinsoku): these never start a line / never end one.
NO_LINE_START = set("，。、；：？！”’）》」』】〕…—%％,.;:?!)")
NO_LINE_END = set("“‘（《「『【〔(")
ASCII_RUN = re.compile(r"[A-Za-z0-9０-９Ａ-Ｚａ-ｚ.．%％+\-]+")
HAN = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\u2014\u2026\u201c\u201d\u2018\u2019\u00b7"
SPACE_NEAR_CJK = re.compile(rf"(?<=[{HAN}])\s+|\s+(?=[{HAN}])")
SPACE_IN_NUMBER = re.compile(r"(?<=\d)\s+(?=[\d.%])|(?<=[\d.])\s+(?=\d)")
_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


class OcrUnavailable(RuntimeError):
    """Tesseract, its chi_sim data or the CJK font is missing (the message says which)."""


# -- the engine's output ------------------------------------------------------------------------

def postprocess(text: str) -> str:
    """Tesseract's text of one crop as one paragraph.

    Exactly this and nothing more, so the engine's misreads stay as they are:
    form feeds and surrounding blanks dropped; the lines joined with nothing
    between them (the typesetting broke lines without adding a space or a
    hyphen); then whitespace next to a CJK character or fullwidth mark
    removed (Tesseract's ``chi_sim`` puts spaces between some Chinese
    characters), and whitespace inside a number (it spaces out fullwidth
    digits: ``1 9 9 8`` for ``１９９８``; Chinese never separates digits by
    spaces); a space between two Latin or digit runs (``App 5G``) is kept,
    as one space. Width is not folded: the scorer folds both sides.

    >>> postprocess("下午4时 ， 成立大 会\\n开始 ，全场\\n\\n")
    '下午4时，成立大会开始，全场'
    >>> postprocess("i许 昌 App 5G\\n基站\\f")
    'i许昌App 5G基站'
    >>> postprocess("1 9 9 8年 增长 3 . 5 %")
    '1998年增长3.5%'
    """
    lines = [line.strip() for line in text.replace("\f", "\n").split("\n")]
    joined = SPACE_NEAR_CJK.sub("", "".join(line for line in lines if line))
    return re.sub(r"\s+", " ", SPACE_IN_NUMBER.sub("", joined)).strip()


def raw_lines(text: str) -> list[str]:
    """The non-empty lines of Tesseract's text of one crop, each post-processed."""
    return [p for p in (postprocess(line) for line in text.split("\n")) if p]


def canonical(text: str) -> str:
    """Text as the CER compares it: fullwidth ASCII folded, whitespace removed (layout is not a misread)."""
    return re.sub(r"\s+", "", text.translate(_WIDTH))


def char_errors(reading: str, source: str) -> int:
    """Character edits between the engine's reading and the source text (both :func:`canonical`)."""
    return int(Levenshtein.distance(canonical(reading), canonical(source)))


# -- finding the engine and the font ------------------------------------------------------------

def engine_problem() -> str | None:
    """Why real-OCR pages cannot be built here (one line), or None when they can."""
    if shutil.which("tesseract") is None:
        return "tesseract not found (apt-get install -y tesseract-ocr tesseract-ocr-chi-sim)"
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False).stdout
    if LANG not in langs.split():
        return f"tesseract has no {LANG} data (apt-get install -y tesseract-ocr-chi-sim)"
    missing = [name for name in FONTS.values() if not (FONT_DIR / name).exists()]
    if missing:
        return f"font {FONT_DIR / missing[0]} not found (apt-get install -y fonts-noto-cjk)"
    try:
        import PIL  # noqa: F401
    except ImportError:
        return "Pillow not installed (pip install -e '.[ocr]')"
    return None


@cache
def tesseract_version() -> str:
    """The first line of ``tesseract --version`` (the cache records it: readings are per version)."""
    out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, check=False)
    return (out.stdout or out.stderr).splitlines()[0].strip()


def environment() -> dict[str, str]:
    """What the pages depend on besides the parameters: engine, traineddata size, Pillow, FreeType."""
    import PIL
    from PIL import features

    data = next(Path(p) for p in ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                                  os.environ.get("TESSDATA_PREFIX", "/nonexistent")) if Path(p).exists())
    traineddata = data / f"{LANG}.traineddata"
    return {"tesseract": tesseract_version(), "pillow": PIL.__version__,
            "freetype": str(features.version("freetype2")),
            "traineddata_bytes": str(traineddata.stat().st_size if traineddata.exists() else -1)}


def tesseract_ocr(crops: Sequence[Crop]) -> list[str]:
    """Tesseract's raw text of each crop, in one engine run (the model loads once a page).

    The crops go in as PNG files named in a list file; Tesseract separates
    the pages of such a run by one form feed, so N crops give N parts.
    ``OMP_THREAD_LIMIT=1``: parallelism comes from worker processes, and a
    single thread keeps the readings reproducible.
    """
    if not crops:
        return []
    with tempfile.TemporaryDirectory(prefix="ocr-pages-") as tmp:
        names = []
        for n, crop in enumerate(crops):
            if crop.image is None:
                raise ValueError("tesseract_ocr needs rendered crops (render=True)")
            name = f"{tmp}/{n:04d}.png"
            crop.image.save(name)
            names.append(name)
        listing = Path(tmp) / "crops.txt"
        listing.write_text("\n".join(names) + "\n", encoding="utf-8")
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        out = subprocess.run(["tesseract", str(listing), "stdout", "-l", LANG, "--psm", PSM],
                             capture_output=True, text=True, env=env, check=True, timeout=600)
    parts = out.stdout.split("\f")
    if len(parts) == len(crops) + 1 and not parts[-1].strip():
        parts.pop()
    if len(parts) != len(crops):
        raise RuntimeError(f"tesseract returned {len(parts)} pages for {len(crops)} crops")
    return parts


# -- typesetting --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Style:
    """How one page is typeset and scanned (drawn per page, recorded in its stats).

    The ranges were set by measuring the engine's character error rate on
    tune-half pages (1-3 % a block is the aim: enough misreads to make near
    copies differ, not so many that text becomes garbage).
    """

    size: int = 28             # body character size in pixels (about 9-10 pt scanned at 200-230 dpi)
    columns: int = 13          # characters a line: a narrow newspaper column
    pitch: float = 1.5         # line pitch in character sizes
    jitter: float = 0.04       # per-character offset, in character sizes (uneven printing)
    ink: int = 40              # darkest ink grey varies between 0 and this
    skew: float = 0.2          # rotation of the scanned column, degrees
    blur: float = 0.6          # Gaussian blur radius, pixels
    noise: float = 12.0        # Gaussian noise sigma, grey levels
    specks: float = 0.0005     # share of pixels turned to dark specks
    jpeg: int = 60             # JPEG quality of the scan


def draw_style(rng: random.Random) -> Style:
    """A page's style: every parameter drawn from the calibrated range."""
    return Style(size=rng.randint(26, 32), columns=rng.randint(11, 15), pitch=round(rng.uniform(1.4, 1.65), 3),
                 jitter=round(rng.uniform(0.01, 0.035), 3), ink=rng.randint(0, 60),
                 skew=round(rng.uniform(-0.3, 0.3), 3), blur=round(rng.uniform(0.35, 0.7), 3),
                 noise=round(rng.uniform(4, 12), 2), specks=round(rng.uniform(0.0, 0.0003), 5),
                 jpeg=rng.randint(50, 85))


KIND_SCALE = {"title": 1.35, "body": 1.0, "caption": 0.85}
Measure = Callable[[str, str, int], float]  # (character, block kind, size) -> advance in pixels


def em_measure(char: str, kind: str, size: int) -> float:
    """Advance without a font: ASCII half a character, everything else a full one (for tests)."""
    return size * (0.5 if ord(char) < 0x80 else 1.0)


@cache
def font(kind: str, size: int) -> Any:
    from PIL import ImageFont

    return ImageFont.truetype(str(FONT_DIR / FONTS[kind]), size, index=FONT_INDEX)


def font_measure(char: str, kind: str, size: int) -> float:
    """The font's own advance of one character."""
    return float(font(kind, size).getlength(char))


def kind_size(kind: str, style: Style) -> int:
    return round(style.size * KIND_SCALE[kind])


def wrap(text: str, kind: str, style: Style, measure: Measure) -> list[str]:
    """Lines of a block in a column ``style.columns`` body characters wide.

    Body paragraphs open with a two-character indent (drawn, not part of the
    text). Kinsoku: a mark that may not start a line hangs at the end of the
    previous one, an opening mark moves down, and a run of Latin letters or
    digits is not broken unless it is longer than a line.
    """
    size = kind_size(kind, style)
    width = style.columns * style.size
    lines: list[str] = []
    line, used = "", (2 * size if kind == "body" else 0.0)
    for token in _tokens(text):
        advance = sum(measure(c, kind, size) for c in token)
        if line and used + advance > width and token[0] not in NO_LINE_START:
            carry = ""
            while line and line[-1] in NO_LINE_END:
                line, carry = line[:-1], line[-1] + carry
            if line:
                lines.append(line)
                line, used = carry, sum(measure(c, kind, size) for c in carry)
        line += token
        used += advance
    if line:
        lines.append(line)
    return lines


def _tokens(text: str) -> Iterable[str]:
    """Characters, with short Latin/digit runs kept whole (a run longer than 8 is broken like text)."""
    pos = 0
    for match in ASCII_RUN.finditer(text):
        yield from text[pos : match.start()]
        run = match.group()
        yield from ([run] if len(run) <= 8 else run)
        pos = match.end()
    yield from text[pos:]


@dataclass
class Placed:
    """A block typeset in a column: its lines and the top of each line in the column image."""

    kind: str
    text: str
    lines: list[str]
    tops: list[int]
    size: int


@dataclass
class Column:
    """One column image's blocks (an article's title and body, or one caption)."""

    blocks: list[Placed]
    width: int
    height: int
    margin: int
    image: Any = None  # the degraded scan, when rendered


def set_column(items: Sequence[tuple[str, str]], style: Style, measure: Measure) -> Column:
    """Typeset (kind, text) blocks one under another; no extra space between paragraphs (indents mark them)."""
    margin = round(1.5 * style.size)  # room for a hanging mark and a re-crop's wider margin
    y = margin
    placed = []
    for kind, text in items:
        size = kind_size(kind, style)
        pitch = round(size * style.pitch)
        lines = wrap(text, kind, style, measure)
        tops = [y + k * pitch for k in range(len(lines))]
        placed.append(Placed(kind, text, lines, tops, size))
        y += pitch * len(lines) + (round(0.6 * size) if kind == "title" else 0)
    return Column(placed, style.columns * style.size + 2 * margin, y + margin, margin)


def render(column: Column, style: Style, seed: int) -> None:
    """Draw and degrade the column (sets ``column.image``): print at 2x, skew, shrink, blur, noise, specks, JPEG."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    rng = np.random.default_rng(seed)
    scale = 2
    page = Image.new("L", (column.width * scale, column.height * scale), 255)
    draw = ImageDraw.Draw(page)
    for block in column.blocks:
        face = font(block.kind, block.size * scale)
        for k, (line, top) in enumerate(zip(block.lines, block.tops, strict=True)):
            x = column.margin + (2 * block.size if block.kind == "body" and k == 0 else 0)
            if block.kind == "title":
                x = column.margin + max(0, (column.width - 2 * column.margin - face.getlength(line) / scale) / 2)
            x *= scale
            for char in line:
                dx, dy = rng.normal(0, style.jitter * block.size * scale, 2)
                ink = int(rng.integers(0, style.ink + 1))
                draw.text((x + dx, (top + 0.88 * block.size) * scale + dy), char, font=face, fill=ink, anchor="ls")
                x += face.getlength(char)
    page = page.rotate(style.skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    page = page.resize((column.width, column.height), Image.Resampling.LANCZOS)
    page = page.filter(ImageFilter.GaussianBlur(style.blur))
    pixels = np.asarray(page, dtype=np.float32) + rng.normal(0, style.noise, (column.height, column.width))
    pixels[rng.random(pixels.shape) < style.specks] = 40
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=style.jpeg)
    column.image = Image.open(io.BytesIO(buffer.getvalue())).convert("L")


# -- crops --------------------------------------------------------------------------------------

@dataclass
class Crop:
    """A region of a column handed to the recogniser: the lines it covers and how it was cut."""

    column: int
    lines: list[tuple[int, int]]  # (block index in the column, line index) of each line covered
    text: list[str]               # the source text of those lines (fake OCR and CER use it)
    box: tuple[int, int, int, int] = (0, 0, 0, 0)
    scale: float = 1.0
    image: Any = None


def cut(columns: list[Column], column: int, lines: list[tuple[int, int]], style: Style,
        rng: random.Random | None) -> Crop:
    """The crop of ``lines`` of one column: with ``rng``, shifted and re-scaled like a second layout pass.

    The proper crop leaves a third of the inter-line gap above and below and
    0.4 (left) / 0.6 (right: a hanging mark) of a character at the sides. A
    re-crop draws each vertical margin from 0.12-0.6 of the gap (never into
    the neighbouring line: a crop that takes a neighbour's line in is a
    spill, planned as such), the side margins from 0.1-0.7 / 0.45-0.9 of a
    character, and is resampled by 0.85-1.2, as pipelines resize crops for
    the recogniser. Those shifts alone make the engine read differently.
    """
    col = columns[column]
    first, last = col.blocks[lines[0][0]], col.blocks[lines[-1][0]]
    gap = first.size * (style.pitch - 1)
    above, below, lpad, rpad, scale = 1 / 3, 1 / 3, 0.4, 0.6, 1.0
    if rng is not None:
        above, below = rng.uniform(0.12, 0.6), rng.uniform(0.12, 0.6)
        lpad, rpad = rng.uniform(0.1, 0.7), rng.uniform(0.45, 0.9)
        scale = round(rng.uniform(0.85, 1.2), 3)
    top = first.tops[lines[0][1]] - round(above * gap)
    bottom = last.tops[lines[-1][1]] + last.size + round(below * gap)
    left = col.margin - round(lpad * style.size)
    right = col.margin + style.columns * style.size + round(rpad * style.size)
    box = (max(0, left), max(0, top), min(col.width, right), min(col.height, bottom))
    text = [col.blocks[b].lines[k] for b, k in lines]
    return Crop(column, lines, text, box, scale)


def crop_image(columns: list[Column], crop: Crop) -> None:
    """Cut the crop's image from its rendered column (sets ``crop.image``), resampled by its scale."""
    from PIL import Image

    image = columns[crop.column].image.crop(crop.box)
    if crop.scale != 1.0:
        size = (max(1, round(image.width * crop.scale)), max(1, round(image.height * crop.scale)))
        image = image.resize(size, Image.Resampling.BICUBIC)
    crop.image = image


def block_lines(column: Column, block: int, first: int = 0, stop: int | None = None) -> list[tuple[int, int]]:
    """(block, line) pairs of lines ``first``..``stop`` of one block."""
    count = len(column.blocks[block].lines)
    return [(block, k) for k in range(first, count if stop is None else stop)]


# -- planning a page ----------------------------------------------------------------------------

@dataclass
class Params:
    """What a page set depends on besides the half and the seed (the cache key)."""

    articles_per_page: tuple[int, int] = (2, 3)
    paragraphs: int = 5            # body paragraphs taken from an article, at most
    max_paragraph: int = 260       # longer paragraphs are skipped (OCR time)
    caption_rate: float = 0.25     # an article gets a standalone photo caption
    fault_rates: dict[str, float] = field(default_factory=lambda: {
        "reread": 0.9, "fragment": 0.9, "split": 0.9, "spill": 0.8})
    second_fault: float = 0.35     # chance of a second fault of the same kind on a page
    version: int = VERSION


@dataclass
class Slot:
    """A truth block: where it was typeset and what the page does with it."""

    kind: str
    text: str
    column: int
    block: int  # index of the block in its column
    article: int


@dataclass
class Fault:
    """One planned fault: its manifest entry (parameters so far) and the crops it needs read."""

    kind: str  # reread | fragment | split | spill
    source: int  # slot index
    entry: dict[str, Any]
    crops: list[Crop]


@dataclass
class Plan:
    style: Style
    slots: list[Slot]
    columns: list[Column]
    faults: list[Fault]


def article_blocks(article: dict[str, Any], params: Params) -> list[tuple[str, str]]:
    """(kind, text) of an article's title and first usable body paragraphs (no repeats)."""
    body: list[str] = []
    for para in article["paragraphs"]:
        para = para.strip()
        if para and len(para) <= params.max_paragraph and para not in body:
            body.append(para)
        if len(body) >= params.paragraphs:
            break
    return [("title", article["title"].strip()), *(("body", p) for p in body)]


def caption_for(text: str, rng: random.Random) -> str:
    """A short photo caption made from a paragraph's opening, like damage.py's: ``图为…现场。``."""
    return f"图为{text[: rng.randint(8, 14)].rstrip(',，、。')}现场。"


def plan_page(articles: list[dict[str, Any]], params: Params, rng: random.Random, measure: Measure,
              damaged: bool) -> Plan:
    """Typeset the page's articles (one column each, captions in their own) and plan its faults."""
    style = draw_style(rng)
    columns: list[Column] = []
    slots: list[Slot] = []
    for number, article in enumerate(articles):
        items = article_blocks(article, params)
        columns.append(set_column(items, style, measure))
        column_slots = [Slot(kind, text, len(columns) - 1, b, number) for b, (kind, text) in enumerate(items)]
        if len(items) > 2 and rng.random() < params.caption_rate:
            at = rng.randint(2, len(items) - 1)  # after a body paragraph, never first
            columns.append(set_column([("caption", caption_for(items[at][1], rng))], style, measure))
            column_slots.insert(at + 1, Slot("caption", columns[-1].blocks[0].text, len(columns) - 1, 0, number))
        slots += column_slots
    plan = Plan(style, slots, columns, [])
    if damaged:
        plan_faults(plan, params, rng, measure)
    return plan


def plan_faults(plan: Plan, params: Params, rng: random.Random, measure: Measure) -> None:
    """At least one fault; each kind drawn with its rate, sometimes twice; one fault a source block."""
    used: set[int] = set()
    makers = {"reread": plan_reread, "fragment": plan_fragment, "split": plan_split, "spill": plan_spill}
    for _ in range(10):  # redraw the (rare) page on which no fault could be placed
        for kind, rate in params.fault_rates.items():
            for attempt in range(2):
                if rng.random() < (rate if attempt == 0 else params.second_fault):
                    fault = makers[kind](plan, used, rng, measure)
                    if fault is not None:
                        plan.faults.append(fault)
                        used.add(fault.source)
        if plan.faults:
            return


def _pick(plan: Plan, used: set[int], rng: random.Random, min_lines: int,
          extra: Callable[[Slot], bool] = lambda s: True) -> int | None:
    """A free body slot with at least ``min_lines`` lines."""
    free = [i for i, s in enumerate(plan.slots) if s.kind == "body" and i not in used and extra(s)
            and len(plan.columns[s.column].blocks[s.block].lines) >= min_lines]
    return rng.choice(free) if free else None


def _placement(rng: random.Random) -> dict[str, Any]:
    """Where a copy goes: after (60 %) or before its source; adjacent (70 %) or 2-4 blocks away."""
    return {"position": "after" if rng.random() < 0.6 else "before",
            "offset": 1 if rng.random() < 0.7 else rng.randint(2, 4)}


def plan_reread(plan: Plan, used: set[int], rng: random.Random, measure: Measure) -> Fault | None:
    """A block read a second time from a shifted, re-scaled crop."""
    source = _pick(plan, used, rng, 1)
    if source is None:
        return None
    slot = plan.slots[source]
    lines = block_lines(plan.columns[slot.column], slot.block)
    crop = cut(plan.columns, slot.column, lines, plan.style, rng)
    return Fault("reread", source, {"scale": crop.scale, **_placement(rng)}, [crop])


def plan_fragment(plan: Plan, used: set[int], rng: random.Random, measure: Measure) -> Fault | None:
    """A crop of the first, last or some inner lines of a block (at least one line left out).

    One line 20 % of the time (the short fragments a narrow column makes),
    else any number of lines that leaves at least one out.
    """
    source = _pick(plan, used, rng, 2)
    if source is None:
        return None
    slot = plan.slots[source]
    column = plan.columns[slot.column]
    count = len(column.blocks[slot.block].lines)
    shapes = ["prefix", "suffix"] + (["inner"] if count >= 3 else [])
    shape = rng.choice(shapes)
    most = count - 2 if shape == "inner" else count - 1
    size = 1 if rng.random() < 0.2 else rng.randint(1, most)  # one line of a narrow column: under 20 characters
    first = rng.randint(1, count - 1 - size) if shape == "inner" else 0 if shape == "prefix" else count - size
    crop = cut(plan.columns, slot.column, block_lines(column, slot.block, first, first + size), plan.style, rng)
    entry = {"shape": shape, "lines": size, "of_lines": count, "first_line": first, **_placement(rng)}
    return Fault("fragment", source, entry, [crop])


def plan_split(plan: Plan, used: set[int], rng: random.Random, measure: Measure) -> Fault | None:
    """A paragraph broken at a column end: head lines and tail lines read as two crops.

    A one-line head (the last line of a column) a quarter of the time, else a
    cut after any line; a photo caption between the halves 30 % of the time.
    """
    source = _pick(plan, used, rng, 2)
    if source is None:
        return None
    slot = plan.slots[source]
    column = plan.columns[slot.column]
    count = len(column.blocks[slot.block].lines)
    head = 1 if rng.random() < 0.25 else rng.randint(1, count - 1)
    crops = [cut(plan.columns, slot.column, block_lines(column, slot.block, 0, head), plan.style, None),
             cut(plan.columns, slot.column, block_lines(column, slot.block, head), plan.style, None)]
    entry: dict[str, Any] = {"head_lines": head, "tail_lines": count - head, "caption": rng.random() < 0.3}
    if entry["caption"]:
        plan.columns.append(set_column([("caption", caption_for(slot.text, rng))], plan.style, measure))
        caption = len(plan.columns) - 1
        crops.append(cut(plan.columns, caption, block_lines(plan.columns[caption], 0), plan.style, None))
    return Fault("split", source, entry, crops)


def plan_spill(plan: Plan, used: set[int], rng: random.Random, measure: Measure) -> Fault | None:
    """A re-crop of a block that takes in the previous block's last line (or, a fifth of the time, the next's first).

    The neighbour must be typeset right above (below) in the same column, so
    the crop really covers its line.
    """
    side = "front" if rng.random() < 0.8 else "back"
    blocks_in = {c: len(col.blocks) for c, col in enumerate(plan.columns)}
    if side == "front":
        source = _pick(plan, used, rng, 1, lambda s: s.block > 0)
    else:
        source = _pick(plan, used, rng, 1, lambda s: s.block < blocks_in[s.column] - 1)
    if source is None:
        return None
    slot = plan.slots[source]
    column = plan.columns[slot.column]
    lines = block_lines(column, slot.block)
    if side == "front":
        lines = [(slot.block - 1, len(column.blocks[slot.block - 1].lines) - 1), *lines]
    else:
        lines = [*lines, (slot.block + 1, 0)]
    crop = cut(plan.columns, slot.column, lines, plan.style, rng)
    return Fault("spill", source, {"side": side, "scale": crop.scale, **_placement(rng)}, [crop])


def truth_crops(plan: Plan) -> list[Crop]:
    """The proper crop of every whole block: its reading is the page's truth."""
    return [cut(plan.columns, s.column, block_lines(plan.columns[s.column], s.block), plan.style, None)
            for s in plan.slots]


# -- assembling the page ------------------------------------------------------------------------

@dataclass
class Out:
    """A raw block: its text, the blank lines before it, and the fault (manifest entry) it belongs to."""

    text: str
    gap: int = 1
    fault: int | None = None


def assemble(plan: Plan, truth: list[str], readings: list[list[str]]) -> tuple[Page, dict[str, Any]]:
    """The page from the readings: ``truth[i]`` of slot i, ``readings[f]`` of fault f (raw Tesseract text).

    Blocks whose whole reading is empty are dropped (the engine saw nothing
    there), with the faults on them; so is a fault whose crop read empty.
    Raw order: each kept block's copies placed before it, its own block(s)
    (a split's pieces and caption), the copies placed after it.
    """
    keep = [i for i, text in enumerate(truth) if text]
    index = {slot: n for n, slot in enumerate(keep)}
    before: dict[int, list[Out]] = {n: [] for n in range(len(keep))}
    after: dict[int, list[Out]] = {n: [] for n in range(len(keep))}
    own = {n: [Out(truth[slot], 2 if plan.slots[slot].kind == "caption" else 1)] for n, slot in enumerate(keep)}
    truth_blocks = [[truth[slot]] for slot in keep]
    manifest: list[dict[str, Any]] = []
    for fault, texts in zip(plan.faults, readings, strict=True):
        if fault.source not in index or not all(postprocess(t) for t in texts):
            continue
        n = index[fault.source]
        entry = describe(fault, truth[fault.source], texts, plan.slots[fault.source].text)
        entry["truth"] = n
        manifest.append(entry)
        made = [Out(text, gap, len(manifest) - 1) for text, gap in entry.pop("_blocks")]
        if fault.kind == "split":
            own[n] = made
            truth_blocks[n] = [entry["truth_text"], *([entry["caption_text"]] if entry["caption"] else [])]
            continue
        if entry.pop("_swap", False):  # the re-crop read better: it is the truth, the proper crop the copy
            own[n] = [Out(made[0].text, own[n][0].gap, made[0].fault)]
            made = [Out(entry["truth_text"])]
            truth_blocks[n] = [entry["truth_text"]]
        step = 1 if entry["position"] == "after" else -1
        anchor = min(max(0, n + (entry["offset"] - 1) * step), len(keep) - 1)
        (after if step == 1 else before)[anchor].extend(made)
    raw = [out for n in range(len(keep)) for out in (*before[n], *own[n], *after[n])]
    finish(manifest, raw, truth_blocks)
    raw_text = "".join(("\n" * (b.gap + 1) if i else "") + b.text for i, b in enumerate(raw))
    page = Page(raw_text, "\n\n".join(t for group in truth_blocks for t in group), manifest)
    return page, {"kept_blocks": len(keep), "dropped_blocks": len(truth) - len(keep)}


def describe(fault: Fault, source: str, texts: list[str], printed: str) -> dict[str, Any]:
    """The manifest entry of one fault from its readings (``_blocks``: the raw blocks it makes, with gaps).

    ``source`` is the proper crop's reading of the block, ``printed`` the
    text that was typeset. Two readings of one block are equally the
    engine's: the truth is the one closer to the print (the proper crop's on
    a tie), so a cleaner that keeps the better reading is right (``_swap``
    when it is the re-crop's). An exact copy is indistinguishable from its
    source, so it is always placed after it (keeping the first is right).
    """
    entry: dict[str, Any] = {"ocr": True, **fault.entry}
    read = [postprocess(t) for t in texts]
    if fault.kind == "reread":
        if read[0] == source:
            entry |= {"type": "exact", "truth_text": source, "position": "after"}
            entry["_blocks"] = [(read[0], 1)]
            return entry
        swap = char_errors(read[0], printed) < char_errors(source, printed)
        entry |= {"type": "near_copy", "truth_text": read[0] if swap else source, "truth_from": "re-crop" if swap
                  else "proper crop", "_swap": swap, "misreads": int(Levenshtein.distance(read[0], source))}
        entry["_blocks"] = [(source if swap else read[0], 1)]
    elif fault.kind == "fragment":
        entry |= {"type": "fragment", "truth_text": source, "chars": len(read[0])}
        entry["_blocks"] = [(read[0], 1)]
    elif fault.kind == "split":
        joined = read[0] + read[1]
        entry |= {"type": "split", "pieces": 2, "truth_text": joined, "whole_reading_agrees": joined == source,
                  "head_chars": len(read[0]), "tail_chars": len(read[1])}
        entry["_blocks"] = [(read[0], 1), (read[1], 1)]
        if entry["caption"]:
            entry["caption_text"] = read[2]
            entry["_blocks"] = [(read[0], 1), (read[2], 2), (read[1], 1)]
    else:  # spill: the neighbour's line is the first (front) or last (back) line Tesseract returned
        lines = raw_lines(texts[0])
        glued = lines[0] if entry["side"] == "front" else lines[-1]
        entry |= {"type": "contaminated", "truth_text": source, "glued": glued, "glued_chars": len(glued),
                  "rest_agrees": "".join(lines[1:] if entry["side"] == "front" else lines[:-1]) == source}
        entry["_blocks"] = [(read[0], 1)]
    return entry


def finish(manifest: list[dict[str, Any]], raw: list[Out], truth_blocks: list[list[str]]) -> None:
    """Fill in each entry's raw block indices and, for copies, the distance to the source's nearest block."""
    for i, block in enumerate(raw):
        if block.fault is not None:
            manifest[block.fault]["blocks"] = [*manifest[block.fault].get("blocks", []), i]
    starts = [sum(len(group) for group in truth_blocks[:n]) for n in range(len(truth_blocks))]
    for entry in manifest:
        entry["truth"] = starts[entry["truth"]]
        entry.pop("offset", None)
        if entry["type"] == "split":
            continue
        copy = entry["blocks"][0]
        sources = [i for i, b in enumerate(raw) if b.fault is None and b.text == entry["truth_text"]]
        nearest = min(sources, key=lambda i: abs(i - copy)) if sources else None
        entry["distance"] = abs(copy - nearest) if nearest is not None else None
        if nearest is not None:
            entry["position"] = "after" if copy > nearest else "before"
    for entry in manifest:
        order = ["type", "blocks", "truth", "truth_text"]
        entry_sorted = {k: entry[k] for k in order} | {k: v for k, v in entry.items() if k not in order}
        entry.clear()
        entry.update(entry_sorted)


# -- one page, end to end -----------------------------------------------------------------------

OcrFunction = Callable[[Sequence[Crop]], list[str]]


def build_page(half: str, seed: int, index: int, damaged: bool, articles: list[dict[str, Any]], params: Params,
               ocr: OcrFunction = tesseract_ocr, measure: Measure = font_measure,
               render_images: bool = True) -> dict[str, Any]:
    """Typeset, scan, crop, read and assemble one page; returns its cache record.

    The page's random stream is seeded by (half, seed, damaged, index) only,
    so a page is the same whichever worker builds it and however many pages
    are asked for.
    """
    rng = random.Random(f"ocr-pages/{half}/{seed}/{'damaged' if damaged else 'undamaged'}/{index}")
    plan = plan_page(articles, params, rng, measure, damaged)
    whole = truth_crops(plan)
    crops = whole + [c for f in plan.faults for c in f.crops]
    if render_images:
        for n, column in enumerate(plan.columns):
            render(column, plan.style, rng.getrandbits(63) + n)
        for crop in crops:
            crop_image(plan.columns, crop)
    start = time.perf_counter()
    texts = ocr(crops)
    seconds = time.perf_counter() - start
    truth = [postprocess(t) for t in texts[: len(whole)]]
    readings, pos = [], len(whole)
    for fault in plan.faults:
        readings.append(texts[pos : pos + len(fault.crops)])
        pos += len(fault.crops)
    page, info = assemble(plan, truth, readings)
    cer = [[s.kind, len(canonical(s.text)), char_errors(t, s.text), canonical(t)[-1:] == canonical(s.text)[-1:]]
           for s, t in zip(plan.slots, truth, strict=True)]
    stats = {"style": asdict(plan.style), "crops": len(crops), "ocr_seconds": round(seconds, 3),
             "ocr_chars": sum(len("".join(c.text)) for c in crops), "cer": cer, **info}
    return {"half": half, "seed": seed, "index": index, "undamaged": not damaged, **page.to_json(), "stats": stats,
            "engine_text": texts}


# -- page sets and the cache --------------------------------------------------------------------

ArticlesOf = Callable[[bool, int], list[dict[str, Any]]]


def page_articles(half: Half, seed: int, params: Params, limit: int | None = None) -> ArticlesOf:
    """The articles of (damaged?, index): a page does not depend on how many pages are built.

    The half's usable articles are shuffled by the seed; page ``index`` owns
    the slots ``index * 3`` to ``index * 3 + 2`` of that order (damaged pages
    from the front, undamaged ones from the back, so they never share an
    article) and uses its first two or three.
    """
    pool = [a for a in load(half, limit=limit) if any(len(p.strip()) <= params.max_paragraph and p.strip()
                                                      for p in a["paragraphs"])]
    random.Random(f"ocr-pages/{half}/{seed}/articles").shuffle(pool)
    width = params.articles_per_page[1]

    def articles(damaged: bool, index: int) -> list[dict[str, Any]]:
        rng = random.Random(f"ocr-pages/{half}/{seed}/{damaged}/{index}/count")
        start = index * width
        if start + width > len(pool) // 2:
            raise ValueError(f"not enough {half} articles for page {index}")
        chosen = pool[start : start + width] if damaged else pool[::-1][start : start + width]
        return chosen[: rng.randint(*params.articles_per_page)]

    return articles


def cache_path(half: str, seed: int) -> Path:
    return CACHE / f"ocr-{half}-{seed}.jsonl"


def header(params: Params) -> dict[str, Any]:
    return {"params": asdict(params) | {"articles_per_page": list(params.articles_per_page)},
            "lang": LANG, "psm": PSM, "fonts": FONTS}


def read_cache(path: Path, params: Params, engine: dict[str, str] | None) -> dict[tuple[bool, int], dict[str, Any]]:
    """Cached page records usable for ``params`` (all of them, or none when the key or engine differs)."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as handle:
        head = json.loads(handle.readline())
        if head.get("key") != header(params) or (engine and head.get("environment") != engine):
            return {}
        records = [json.loads(line) for line in handle if line.strip()]
    return {(r["undamaged"], r["index"]): r for r in records}


def write_cache(path: Path, params: Params, engine: dict[str, str], records: Iterable[dict[str, Any]],
                seconds: float) -> None:
    """All records, damaged first, atomically (a half-written cache is never read)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ordered = sorted(records, key=lambda r: (r["undamaged"], r["index"]))
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        head = {"key": header(params), "environment": engine, "build_seconds": round(seconds, 1)}
        handle.write(json.dumps(head, ensure_ascii=False) + "\n")
        for record in ordered:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    tmp.replace(path)


def _work(job: tuple[str, int, int, bool, list[dict[str, Any]], Params]) -> dict[str, Any]:
    half, seed, index, damaged, articles, params = job
    return build_page(half, seed, index, damaged, articles, params)


def build_records(half: Half, seed: int, pages: int, undamaged: int, params: Params, workers: int = 2,
                  progress: bool = False) -> list[dict[str, Any]]:
    """The cache records of the set, building (in ``workers`` processes) the pages the cache lacks."""
    problem = engine_problem()
    engine = environment() if problem is None else None
    path = cache_path(half, seed)
    cached = read_cache(path, params, engine)
    wanted = [(False, i) for i in range(pages)] + [(True, i) for i in range(undamaged)]
    missing = [key for key in wanted if key not in cached]
    if missing:
        if problem is not None:
            raise OcrUnavailable(problem)
        assert engine is not None
        articles = page_articles(half, seed, params)
        jobs = [(half, seed, i, not undone, articles(not undone, i), params) for undone, i in missing]
        start = time.perf_counter()
        for n, record in enumerate(_map(jobs, workers)):
            cached[(record["undamaged"], record["index"])] = record
            if n % 20 == 19:  # a long build interrupted keeps what it made
                write_cache(path, params, engine, cached.values(), time.perf_counter() - start)
            if progress:
                print(f"\r{half}: {n + 1}/{len(jobs)} pages", end="", file=sys.stderr, flush=True)
        if progress:
            print(file=sys.stderr)
        write_cache(path, params, engine, cached.values(), time.perf_counter() - start)
    return [cached[key] for key in wanted]


def _map(jobs: list[Any], workers: int) -> Iterable[dict[str, Any]]:
    if workers <= 1:
        yield from map(_work, jobs)
        return
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        yield from pool.imap(_work, jobs)


def load_pages(half: Half, seed: int = 0, pages: int = DEFAULT_PAGES, undamaged: int = DEFAULT_UNDAMAGED,
               workers: int = 2, params: Params | None = None) -> list[Page]:
    """``pages`` damaged pages then ``undamaged`` undamaged ones (empty manifest), from the cache or built.

    Raises :class:`OcrUnavailable` (its message: the reason) when pages must
    be built and Tesseract, chi_sim or the font is missing.
    """
    if half not in HALVES:
        raise ValueError(f"half must be one of {HALVES}")
    params = params or Params()
    records = build_records(half, seed, pages, undamaged, params, workers)
    return pages_of_records(records, params)


def pages_of_records(records: list[dict[str, Any]], params: Params) -> list[Page]:
    """Cache records as pages, each with its articles as typeset (:func:`written_text`)."""
    articles: dict[tuple[str, int], ArticlesOf] = {}
    pages = []
    for r in records:
        if (r["half"], r["seed"]) not in articles:
            articles[r["half"], r["seed"]] = page_articles(r["half"], r["seed"], params)
        pages.append(Page(r["raw"], r["truth"], r["manifest"], written_text(r, articles[r["half"], r["seed"]], params)))
    return pages


def written_text(record: dict[str, Any], articles: ArticlesOf, params: Params) -> str:
    """A page's articles as typeset, before the engine read them: each title and body paragraph
    (a caption is a paragraph's opening and adds no text of its own). Where the truth reading
    misread a glyph and another reading of that block did not, this has the glyph right."""
    chosen = articles(not record["undamaged"], record["index"])
    return "\n\n".join(text for article in chosen for _, text in article_blocks(article, params))


# -- measuring ----------------------------------------------------------------------------------

def summary(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Cost and character error rate of the engine, and counts of each fault type.

    CER is per whole block (the truth reading against the typeset text, both
    :func:`canonical`); ``blocks_end_misread``: share of blocks whose last
    character was misread or lost (the noise that tempts a cleaner to join).
    """
    rows = [row for r in records for row in r["stats"]["cer"]]
    rates = sorted(e / n for _, n, e, _ in rows if n)
    body = [(n, e) for kind, n, e, _ in rows if kind == "body"]
    faults: dict[str, int] = {}
    for r in records:
        for entry in r["manifest"]:
            faults[entry["type"]] = faults.get(entry["type"], 0) + 1
    crops = sum(r["stats"]["crops"] for r in records)
    seconds = sum(r["stats"]["ocr_seconds"] for r in records)
    chars = sum(r["stats"]["ocr_chars"] for r in records)
    return {"pages": sum(not r["undamaged"] for r in records), "undamaged": sum(r["undamaged"] for r in records),
            "blocks": len(rows), "cer": sum(e for _, _, e, _ in rows) / max(1, sum(n for _, n, _, _ in rows)),
            "body_cer": sum(e for _, e in body) / max(1, sum(n for n, _ in body)),
            "median_block_cer": rates[len(rates) // 2] if rates else 0.0,
            "blocks_error_free": sum(r == 0 for r in rates) / max(1, len(rates)),
            "blocks_over_5pct": sum(r > 0.05 for r in rates) / max(1, len(rates)),
            "blocks_end_misread": sum(not ok for *_, ok in rows) / max(1, len(rows)),
            "crops": crops, "ocr_seconds": round(seconds, 1), "seconds_per_crop": seconds / max(1, crops),
            "ms_per_char": 1000 * seconds / max(1, chars), "faults": dict(sorted(faults.items()))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--half", choices=HALVES, default="test")
    parser.add_argument("--pages", type=int, default=DEFAULT_PAGES, help=f"damaged pages ({DEFAULT_PAGES})")
    parser.add_argument("--undamaged", type=int, default=DEFAULT_UNDAMAGED,
                        help=f"undamaged pages ({DEFAULT_UNDAMAGED})")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--score", action="store_true", help="score xcclean and MinHash on the pages")
    parser.add_argument("--output", type=Path, default=None, help="with --score: also write the report here")
    args = parser.parse_args(argv)
    try:
        records = build_records(args.half, args.seed, args.pages, args.undamaged, Params(), args.workers,
                                progress=True)
    except OcrUnavailable as error:
        print(f"ocr_pages: {error}", file=sys.stderr)
        return 2
    print(json.dumps(summary(records), indent=1))
    if args.score:
        from benchmarks.ocr_score import report

        text = report(records, f"python benchmarks/ocr_pages.py {' '.join(sys.argv[1:] if argv is None else argv)}")
        if args.output:
            args.output.write_text(text, encoding="utf-8")
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
