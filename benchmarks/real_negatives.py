"""Clean text of other genres must pass through unchanged: what xcclean does to it.

Nothing in the damage generator or in ``../shared/corpus`` is literature, an
essay, wire copy or chat: all of it is one daily's news. This script cleans
real text of any genre that nobody damaged and reports every removal, trim,
join and token it took out (each one a false alarm), with examples, so that a
rule written for news can be checked against prose it was never shown.

The texts are not part of the repository (bring your own, under their
licence): a folder of UTF-8 ``.txt`` files, one genre a sub-folder (or a
file), paragraphs separated by blank lines. Hard-wrapped lines inside a
paragraph are joined, as a reader sees them (a line that is not a paragraph
of its own never ends where the paragraph ends). Consecutive paragraphs are
cleaned as pages of ``--page-paragraphs``.

Normalisation (ftfy, full-width to ASCII marks) is not counted: it changes no
word, and ``restore()`` undoes it.

Run from the repository root::

    python benchmarks/real_negatives.py DIR [--page-paragraphs 30] [--output F]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from xcclean import Cleaner
from xcclean.chars import HAN_RE
from xcclean.model import NOTES

_BLANK = re.compile(r"\n\s*\n")
_INDENT = " \t\u3000"


def paragraphs(text: str) -> list[str]:
    r"""The text's paragraphs: blocks between blank lines, their hard-wrapped lines joined (an
    indented line inside a block is no sure paragraph start: editions indent quoted verse too).

    >>> paragraphs("　　俄国的盲诗人带了他那六弦琴\n到北京。\n\n    他说:\n“寂寞呀!”\n\n1998")
    ['俄国的盲诗人带了他那六弦琴到北京。', '他说:“寂寞呀!”']
    """
    out = []
    for block in _BLANK.split(text.replace("\r\n", "\n")):
        joined = "".join(line.strip(_INDENT) for line in block.split("\n"))
        if HAN_RE.search(joined):
            out.append(joined)
    return out


def genres(root: Path) -> dict[str, list[Path]]:
    """Files by genre: a sub-folder's name, or a top-level file's stem."""
    found: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(root.rglob("*.txt")):
        relative = path.relative_to(root)
        found[relative.parts[0] if len(relative.parts) > 1 else path.stem].append(path)
    return dict(found)


def pages(files: list[Path], size: int) -> Iterator[str]:
    """Pages of ``size`` consecutive paragraphs, file by file."""
    for path in files:
        paras = paragraphs(path.read_text(encoding="utf-8"))
        for at in range(0, len(paras), size):
            yield "\n\n".join(paras[at : at + size])


def weigh(cleaner: Cleaner, files: list[Path], size: int) -> dict[str, object]:
    """Pages, characters, pages changed, and each kind of change with examples."""
    kinds: Counter[str] = Counter()
    removed: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    n_pages = chars = changed = 0
    for page in pages(files, size):
        n_pages += 1
        chars += len(page)
        result = cleaner.explain(page)
        edits = [e for e in result.edits if e.kind not in NOTES and e.stage != "normalise"]
        changed += bool(edits)
        for edit in edits:
            key = f"{edit.kind}: {edit.evidence.get('rule', '')}".rstrip(": ")
            kinds[key] += 1
            removed[key] += len(edit.text)
            if len(examples[key]) < 3:
                examples[key].append(_example(edit.kind, edit.text, edit.evidence))
    return {"pages": n_pages, "chars": chars, "changed": changed, "kinds": kinds, "removed": removed,
            "examples": examples}


def _example(kind: str, text: str, evidence: object) -> str:
    assert isinstance(evidence, dict)
    around = evidence.get("matched_text") or evidence.get("next_text") or ""
    if kind == "split_joined":
        return f"`…{evidence.get('head_end', '')}` + `{text[:30]}…` (p={evidence.get('probability')})"
    return f"`{_short(text)}`" + (f" against `{_short(str(around))}`" if around else "")


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width // 2] + "…" + text[-width // 2 :]


def report(root: Path, size: int) -> str:
    cleaner = Cleaner()
    lines = [f"# Real text of other genres through xcclean ({root.name})", "",
             f"Command: `python benchmarks/real_negatives.py {root} --page-paragraphs {size}`", "",
             "| genre | pages | characters | pages changed | edits | characters taken out |",
             "|---|---:|---:|---:|---:|---:|"]
    details = []
    for genre, files in genres(root).items():
        found = weigh(cleaner, files, size)
        kinds, removed = found["kinds"], found["removed"]
        assert isinstance(kinds, Counter) and isinstance(removed, Counter)
        lines.append(f"| {genre} | {found['pages']} | {found['chars']:,} | {found['changed']} | "
                     f"{sum(kinds.values())} | {sum(removed.values())} |")
        examples = found["examples"]
        assert isinstance(examples, dict)
        for key, count in kinds.most_common():
            details.append(f"- {genre}, {key} ×{count} ({removed[key]} characters): " + "; ".join(examples[key]))
    return "\n".join([*lines, "", "## What changed", "", *(details or ["- nothing"]), ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("root", type=Path, help="a folder of UTF-8 .txt files, one genre a sub-folder or file")
    parser.add_argument("--page-paragraphs", type=int, default=30)
    parser.add_argument("--output", type=Path, help="write the report here (default: print it)")
    args = parser.parse_args()
    if not args.root.is_dir():
        parser.error(f"{args.root} is not a folder")
    text = report(args.root, args.page_paragraphs)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
