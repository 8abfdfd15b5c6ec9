"""Command line: ``xcclean clean PAGE`` prints the cleaned page.

``xcclean clean PAGE --explain`` prints the edit log (one JSON object per
line) to stderr as well. ``-`` reads standard input. Errors are one line on
stderr and exit status 1 -- never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__


def _read(path: str) -> str:
    data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    if b"\0" in data[:8192]:
        raise ValueError(f"{path}: looks like a binary file, not a text page")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError as err:
            raise ValueError(f"{path}: neither UTF-8 nor GB18030 text ({err.reason})") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xcclean", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"xcclean {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    clean = sub.add_parser("clean", help="clean one page and print it")
    clean.add_argument("page", help="a text file, or - for standard input")
    clean.add_argument("--explain", action="store_true", help="also print the edit log (JSON lines) to stderr")
    clean.add_argument("-o", "--output", help="write the cleaned page here instead of standard output")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from .pipeline import Cleaner

    try:
        text = _read(args.page)
        result = Cleaner().explain(text)
        if args.output:
            if Path(args.output).resolve() == Path(args.page).resolve():
                raise ValueError("refusing to overwrite the input page; choose another --output")
            Path(args.output).write_text(result.text + "\n", encoding="utf-8")
        else:
            sys.stdout.write(result.text + "\n")
        if args.explain:
            for edit in result.edits:
                sys.stderr.write(json.dumps(edit.to_dict(), ensure_ascii=False) + "\n")
    except (OSError, ValueError) as err:
        sys.stderr.write(f"xcclean: {err}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
