"""Command line: ``xcclean clean INPUT... [-o OUT]`` and ``xcclean explain PAGE --html OUT``.

``xcclean clean PAGE`` prints the cleaned page; with directories, JSONL
files or several inputs it writes a cleaned tree under ``-o OUTDIR`` (see
``docs/cli.md``). Errors are one line on stderr, never a traceback; the exit
status is 0 if every page was cleaned, 1 if anything failed (or a full disk
stopped the run), 2 for a usage error, 130 when interrupted (Ctrl-C) and
143 when terminated (SIGTERM).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack, contextmanager
from functools import partial
from types import FrameType

from .. import __version__
from .inputs import PlanError, Source, check_not_inputs, count_pages, is_jsonl, layout, plan, records
from .jsonl import Fields
from .output import ReportFile, Stop, Writer, remove_pending, remove_stale_temps, write_atomic
from .parallel import BATCH, Mapper, PoolMap, Result, clean_records
from .progress import Progress
from .report import Summary

_RESUME = "run again with --resume to finish"
# Reads and cleans sources: every page with its outcome, in input order (``blocks``: keep the cleaned blocks).
Produce = Callable[[list[Source], Fields, bool], Iterator[Result]]


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that it stops the run as Ctrl-C does."""


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xcclean", description=__doc__.split("\n")[0].replace("``", ""))
    parser.add_argument("--version", action="version", version=f"xcclean {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    clean = sub.add_parser("clean", help="clean pages, directories of pages or JSONL files",
                           description="Clean pages. One page goes to standard output (or -o FILE); "
                                       "directories, JSONL files and several inputs go under -o OUTDIR.")
    clean.set_defaults(subparser=clean)  # its usage line for usage errors found after parsing
    clean.add_argument("inputs", nargs="+", metavar="INPUT",
                       help="a page, a directory (searched recursively), a .jsonl file, or - for standard input")
    clean.add_argument("-o", "--output", metavar="OUT",
                       help="output file (one input) or directory (several inputs, a directory, "
                            "or OUT ending in / or already a directory)")
    clean.add_argument("--glob", action="append", metavar="PATTERN",
                       help="files to take from directories, matched against their path inside the "
                            "directory (default *.txt; repeat for several)")
    clean.add_argument("--field", default="text",
                       help="the page field of JSONL records: a string, or a list of paragraph strings "
                            "(default: text)")
    clean.add_argument("--title-field", metavar="FIELD",
                       help="JSONL: a headline field, put first, cleaned with the page and written back")
    clean.add_argument("--workers", type=_positive, default=_cores(), metavar="N",
                       help=f"worker processes (default: all cores, here {_cores()}); 1 cleans in this process")
    clean.add_argument("--resume", action="store_true",
                       help="skip inputs whose output already exists (after an interrupted run)")
    clean.add_argument("--report", metavar="FILE", help="write every edit of every page here (JSON lines)")
    clean.add_argument("--explain", nargs="?", const="table", choices=("table", "json"),
                       help="one page only: also print its edits to stderr, as a table or (--explain=json) "
                            "JSON lines")
    clean.add_argument("--across-pages", action="store_true",
                       help="also remove body paragraphs repeating a paragraph of an earlier page "
                            "(input order, or --date-field), keeping the earliest page's copy")
    clean.add_argument("--date-field", metavar="FIELD",
                       help="with --across-pages: order JSONL records by this field (oldest first)")
    clean.add_argument("--index", metavar="FILE",
                       help="with --across-pages: an archive index (created if missing, updated after the "
                            "run) so that later runs deduplicate against every page cleaned before")
    clean.add_argument("--scheduler", metavar="ADDRESS",
                       help="read and clean on a Dask cluster: tcp://HOST:PORT, or local:N to start N local "
                            "worker processes (needs pip install 'xcclean[dask]'); everything else as without it")
    explain = sub.add_parser("explain", help="show a page's edits side by side in an HTML page",
                             description="Render one page, raw and cleaned side by side, every edit "
                                         "highlighted with its reason, as a self-contained HTML page.")
    explain.add_argument("page", help="a text file, or - for standard input")
    explain.add_argument("--html", metavar="FILE", help="write the HTML here (default: standard output)")
    return parser


def _usage(args: argparse.Namespace) -> None:
    """Reject option combinations that make no sense (exit 2, with the ``clean`` usage line)."""
    error = args.subparser.error
    where = layout(args.inputs, args.output)
    single_page = len(args.inputs) == 1 and not os.path.isdir(args.inputs[0]) and not is_jsonl(args.inputs[0])
    if "-" in args.inputs and (len(args.inputs) > 1 or where == "dir"):
        error("- (standard input) must be the only input, with no -o or -o FILE")
    if where == "stdout" and not (len(args.inputs) == 1 and not os.path.isdir(args.inputs[0])):
        error("several inputs or a directory need -o OUTDIR")
    if args.explain and not single_page:
        error("--explain is for one page; use --report FILE for a corpus")
    if args.resume and where == "stdout":
        error("--resume needs -o")
    if (args.index or args.date_field) and not args.across_pages:
        error("--index and --date-field go with --across-pages")


def _check_report(path: str | None, sources: list[Source]) -> None:
    """Refuse a ``--report`` that is an input or an output."""
    if path is None:
        return
    check_not_inputs([path], [s.path for s in sources])
    if os.path.realpath(path) in {os.path.realpath(s.output) for s in sources if s.output}:
        raise PlanError(f"the report {path} would overwrite an output; choose another --report")


@contextmanager
def _engine(args: argparse.Namespace, total: int) -> Iterator[tuple[Produce, int]]:
    """Where pages are read and cleaned, and by how many workers: here or in local worker processes
    (``--workers``), or in Dask tasks (``--scheduler``) -- the same reading and cleaning code."""
    if args.scheduler:
        with _on_dask(args.scheduler) as engine:
            yield engine
        return
    workers = max(min(args.workers, -(-total // BATCH)), 1)
    mapper: Mapper = PoolMap(workers) if workers > 1 else map

    def produce(sources: list[Source], fields: Fields, blocks: bool) -> Iterator[Result]:
        return clean_records(records(sources, fields), mapper, blocks=blocks)

    yield produce, workers


@contextmanager
def _on_dask(scheduler: str) -> Iterator[tuple[Produce, int]]:
    try:
        from .dask import clean_sources, connect, threads
    except ImportError:
        raise PlanError("--scheduler needs Dask: pip install 'xcclean[dask]'") from None
    with ExitStack() as stack:
        try:
            client = stack.enter_context(connect(scheduler))
        except ValueError as err:  # not a scheduler address
            raise PlanError(f"--scheduler: {err}") from None
        except OSError as err:
            raise PlanError(f"--scheduler: cannot reach the Dask scheduler {scheduler} ({err})") from None
        yield partial(clean_sources, client), threads(client)


def _clean(args: argparse.Namespace) -> int:
    where = layout(args.inputs, args.output)
    sources, problems = plan(args.inputs, args.output, args.glob or ["*.txt"], args.resume)
    _check_report(args.report, sources)
    todo = [s for s in sources if not s.skip]
    total = count_pages(todo)
    with _engine(args, total) as (produce, workers):
        if args.resume and where == "dir":
            remove_stale_temps(args.output)
        summary = Summary(skipped=len(sources) - len(todo))
        progress = Progress(total, sys.stderr, enabled=total > 1)
        for message in problems:
            summary.failed += 1
            progress.note(f"xcclean: {message}")
        # --resume keeps the report lines of the outputs it skips
        report = ReportFile(args.report, {s.path for s in sources if s.skip} if args.resume else None) \
            if args.report else None
        writer = Writer(summary, progress, sys.stdout.buffer, report, sys.stderr if args.explain else None,
                        args.explain == "json")
        stopped = False
        try:
            _write(args, sources if args.across_pages else todo, writer, produce)
        except Stop as err:
            stopped = True
            writer.abandon()
            progress.note(f"xcclean: {err}; stopped: what was written is listed below ({_RESUME})")
        except BaseException:
            writer.abandon()
            remove_pending()
            raise
        finally:
            progress.close()
            if report:
                report.close()
    # One page to a file or stdout needs no table; a corpus (a directory, or JSONL records) does.
    if where == "dir" or report or summary.pages + summary.failed > 1:
        sys.stderr.write("xcclean summary\n" + summary.table(workers) + "\n")
    return 1 if summary.failed or stopped else 0


def _write(args: argparse.Namespace, sources: list[Source], writer: Writer, produce: Produce) -> None:
    """Clean the pages of ``sources`` (with --across-pages, skipped ones too: they are compared, not
    written), remove cross-page duplicates, write everything, then update the index."""
    fields = Fields(args.field, args.title_field)
    results = produce(sources, fields, args.across_pages or fields.title is not None)
    index = None
    if args.across_pages:
        from .cross_run import deduplicate_across, open_index, save_index

        index = open_index(args.index, args.resume)
        results = iter(deduplicate_across(list(results), args.date_field, index))
    for record, outcome in results:
        writer.add(record, outcome)
    if index is not None and index.changed:
        save_index(index, args.index)


def _explain(args: argparse.Namespace) -> int:
    from .decoding import decode
    from .html_report import explain_html
    from .inputs import read_bytes

    if args.html:
        check_not_inputs([args.html], [args.page])
    try:
        text, decoding = decode(read_bytes(args.page))
    except OSError as err:
        return _fail(f"{args.page}: cannot read ({err.strerror})")
    except ValueError as err:
        return _fail(f"{args.page}: {err}")
    page = explain_html(text, title=args.page, encoding=decoding.encoding).encode("utf-8")
    if not args.html:
        sys.stdout.buffer.write(page)
        return 0
    try:
        write_atomic(args.html, page)
    except OSError as err:
        return _fail(f"{args.html}: cannot write ({err.strerror})")
    return 0


def _fail(message: str) -> int:
    sys.stderr.write(f"xcclean: {message}\n")
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "clean":
        _usage(args)
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return _run(args)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(args: argparse.Namespace) -> int:
    """The command, with every error as one line (a bug too: never a traceback)."""
    try:
        return _clean(args) if args.command == "clean" else _explain(args)
    except PlanError as err:
        return _fail(str(err))
    except BrokenPipeError:  # the reader of standard output went away (| head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as err:
        return _fail(f"{err.filename}: {err.strerror}" if err.filename else str(err))
    except KeyboardInterrupt:
        sys.stderr.write(f"\nxcclean: interrupted; finished outputs are kept: {_RESUME}\n")
        return 130
    except Terminated:
        sys.stderr.write(f"xcclean: terminated; finished outputs are kept: {_RESUME}\n")
        return 143
    except BrokenProcessPool:
        return _fail(f"a worker process died (out of memory?); finished outputs are kept: {_RESUME}")
    except Exception as err:  # a bug: still one line, never a traceback
        return _fail(f"internal error, please report it: {type(err).__name__}: {err}")


if __name__ == "__main__":
    sys.exit(main())
