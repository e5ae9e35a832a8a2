"""Command line: `crosswire analyze`, `report`, `changes` and `eval` (Typer + Rich); the
live-source commands (`add`, `watch`, `feeds`) are in `cli_live`."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import click
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress

from crosswire import pipeline
from crosswire.ingest import DEFAULT_MAX_BYTES
from crosswire.model import published_instant

if TYPE_CHECKING:
    from crosswire.store import Store

app = typer.Typer(
    help="Turn news articles from many outlets into deduplicated, cross-checked stories.",
    no_args_is_help=True,
    add_completion=False,
)
eval_app = typer.Typer(help="Score a stage on gold data; the last output line is JSON.")
app.add_typer(eval_app, name="eval")
train_app = typer.Typer(help="Fit a learned component's weights on gold data.")
app.add_typer(train_app, name="train")

err = Console(stderr=True)
out = Console(highlight=False, soft_wrap=True)


class RichStages(pipeline.Progress):
    """A progress bar that only appears once a run has taken over a second."""

    def __init__(self, console: Console, delay: float = 1.0) -> None:
        self._bar = RichProgress(
            TextColumn("{task.description:<8}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._t0 = time.monotonic()
        self._delay = delay
        self._shown = False
        self._task: TaskID | None = None

    def stage(self, name: str, total: int | None) -> None:
        if self._task is not None:
            self._bar.update(self._task, visible=False)
        self._task = self._bar.add_task(name, total=total)
        self._maybe_show()

    def advance(self, n: int = 1) -> None:
        if self._task is not None:
            self._bar.advance(self._task, n)
        self._maybe_show()

    def _maybe_show(self) -> None:
        if not self._shown and time.monotonic() - self._t0 > self._delay:
            self._bar.start()
            self._shown = True

    def close(self) -> None:
        if self._shown:
            self._bar.stop()


@app.callback()
def _root(
    debug: Annotated[
        bool, typer.Option("--debug", help="On an internal error, print the traceback.")
    ] = False,
) -> None:
    _state["debug"] = debug


_state = {"debug": False}


@app.command()
def analyze(
    paths: Annotated[list[Path], typer.Argument(help="Files and folders (searched recursively).")],
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for report.json/.md/.html.")],
    db: Annotated[
        str | None,
        typer.Option(help="Store URL (sqlite:///file.db, postgresql://...). Default: per-user."),
    ] = None,
    no_store: Annotated[bool, typer.Option("--no-store", help="Do not write to a store.")] = False,
    max_bytes: Annotated[
        int, typer.Option(help="Inputs larger than this are reported, not read.")
    ] = DEFAULT_MAX_BYTES,
    since: Annotated[
        str | None,
        typer.Option(help="List per story what changed after this ISO time (2025-02-27T00:00Z)."),
    ] = None,
    batch_size: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Commit to the store every this many inputs (default: all at once).",
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="On an internal error, print the traceback.")
    ] = False,
) -> None:
    """Analyze articles and write a report.

    Exit 0 all good, 1 some inputs reported in errors, 2 usage error, 3 internal error.
    """
    _state["debug"] = _state["debug"] or debug
    missing = [str(p) for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        _usage_error(f"no such file or folder: {', '.join(missing)}")
    since_at = _parse_since(since)
    _check_out_dir(out_dir)
    from crosswire.report import write_reports

    store = None if no_store else _open_store(db)
    stages = RichStages(err)
    try:
        result = pipeline.analyze(
            paths,
            store=store,
            progress=stages,
            max_bytes=max_bytes,
            since=since_at,
            exclude=[out_dir],
            batch_size=batch_size,
        )
    finally:
        stages.close()
        if store is not None:
            store.close()
    written = write_reports(result.report, out_dir)

    copies = sum(1 for a in result.articles if a.duplicate_of)
    outlets = {a.outlet for a in result.articles if a.outlet}
    out.print(
        f"{_n(len(result.stories), 'story', 'stories')} from "
        f"{_n(len(result.articles), 'article')} by {_n(len(outlets), 'outlet')}; "
        f"{_n(copies, 'copy', 'copies')} of another article; "
        f"{_n(len(result.errors), 'input')} with errors"
    )
    claims = sum(len(s.claims) for s in result.stories)
    conflicts = sum(1 for s in result.stories for f in s.facets if f.status == "conflicting")
    out.print(
        f"{_n(claims, 'claim')} in {_n(sum(len(s.facets) for s in result.stories), 'facet')}"
        f" checked across outlets; {_n(conflicts, 'conflict')}"
    )
    for story in result.stories[:10]:
        n_conflicts = sum(1 for f in story.facets if f.status == "conflicting")
        _echo(
            f"  - {story.headline}  ({len(story.articles)} articles"
            + (f", {n_conflicts} conflict{'s' if n_conflicts > 1 else ''})" if n_conflicts else ")")
        )
    if len(result.stories) > 10:
        out.print(f"  ... and {len(result.stories) - 10} more")
    for error in result.errors:
        out.print(f"  [yellow]error[/yellow] {_plain(error.input)}: {_plain(error.error)}")
    if store is not None and result.new_in_store is not None:
        out.print(f"store: {_plain(store.url)} ({result.new_in_store} new articles)")
    _report_line(written)
    if result.errors:
        raise typer.Exit(1)


def _usage_error(message: str) -> NoReturn:
    err.print(f"[red]error:[/red] {_plain(message)}")
    raise typer.Exit(2)


def _check_out_dir(out_dir: Path) -> None:
    """Fail before any work when the report could not be written at the end."""
    if out_dir.exists() and not out_dir.is_dir():
        _usage_error(f"--out {out_dir} is a file, not a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = out_dir / f".crosswire-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        _usage_error(f"--out {out_dir} is not writable ({exc.strerror or exc})")


def _open_store(db: str | None) -> Store:
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

    from crosswire.store import Store

    try:
        return Store(db)
    except (ArgumentError, NoSuchModuleError) as exc:
        _usage_error(f"--db {db!r} is not a store URL crosswire can use ({exc})")
    except ModuleNotFoundError as exc:
        _usage_error(f"--db {db!r} needs the Python package {exc.name!r}, which is not installed")
    except OperationalError as exc:
        _usage_error(f"cannot open the store {db or 'at the default place'}: {exc.orig}")


def _report_line(written: dict[str, Path]) -> None:
    out.print(
        f"report: {_plain(str(written['html']))}"
        " (a page per story in stories/, .html and .md; also report.json, report.md)"
    )


@app.command()
def report(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for report.json/.md/.html.")],
    db: Annotated[
        str | None,
        typer.Option(help="Store URL (sqlite:///file.db, postgresql://...). Default: per-user."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(help="List per story what changed after this ISO time (2025-02-27T00:00Z)."),
    ] = None,
) -> None:
    """Write the report of everything in the store, reading no input again.

    The same report.json / .md / .html that `analyze` writes; its errors are those of
    the store's most recent run.
    """
    since_at = _parse_since(since)
    _check_out_dir(out_dir)
    from crosswire.compare import changes_since
    from crosswire.report import build_report, write_reports

    store = _open_store(db)
    try:
        articles = store.load_articles()
        stories = store.load_stories()
        errors = store.last_run_errors()
    finally:
        store.close()
    if since_at is not None:
        for story in stories:
            story.changes = changes_since(story, since_at)
    written = write_reports(
        build_report(articles, stories, errors, pipeline.generated_at()), out_dir
    )
    out.print(
        f"{_n(len(stories), 'story', 'stories')} from {_n(len(articles), 'article')} in the store"
    )
    _report_line(written)


@app.command()
def changes(
    since: Annotated[str, typer.Option(help="ISO time: list what changed after it.")],
    db: Annotated[
        str | None,
        typer.Option(help="Store URL (sqlite:///file.db, postgresql://...). Default: per-user."),
    ] = None,
) -> None:
    """What changed in the stored stories since a time: new facets, conflicts, revisions.

    The last line is JSON: one object per story with changes.
    """
    since_at = _parse_since(since)
    assert since_at is not None
    from dataclasses import asdict

    from crosswire.compare import changes_since
    from crosswire.store import Store

    store = Store(db)
    try:
        stories = store.load_stories()
    finally:
        store.close()
    found = []
    for story in stories:
        change = changes_since(story, since_at)
        if not (change.new_claims or change.new_facets or change.revised):
            continue
        labels = {facet.id: facet.label for facet in story.facets}
        found.append({"story": story.id, "headline": story.headline, **asdict(change)})
        out.print(f"[bold]{story.headline}[/bold]")
        for name, ids in (
            ("new facet", change.new_facets),
            ("new conflict", change.new_conflicts),
            ("new independent confirmation", change.new_confirmations),
        ):
            for facet_id in ids:
                _echo(f"  {name}: {labels.get(facet_id, facet_id)}")
        for revision in change.revised:
            _echo(
                f"  revised by {revision.origin.removeprefix('outlet:')}: {revision.old_value}"
                f" ({revision.old_published}) -> {revision.new_value} ({revision.new_published})"
            )
        _echo(f"  {len(change.new_claims)} new claims")
    out.print(f"{_n(len(found), 'story', 'stories')} changed since {since_at.isoformat()}")
    print(json.dumps(found, sort_keys=True))


def _parse_since(value: str | None) -> datetime | None:
    """An ISO time with a zone; a bare date or zoneless time is read as UTC."""
    if value is None:
        return None
    moment = published_instant(value)
    if moment is None:
        _usage_error(f"--since wants an ISO 8601 time, got {value!r}")
    return moment


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"[bold]{count}[/bold] {one if count == 1 else many or one + 's'}"


def _print_metrics(metrics: Mapping[str, object]) -> None:
    # The last line is machine-readable by contract; keep it plain JSON.
    print(json.dumps(metrics, sort_keys=True))


def _echo(line: str) -> None:
    out.print(_strip_controls(line), markup=False)


# CSI and OSC sequences (colours, cursor moves, window titles), then any other
# control character: text from articles and file names must not drive the terminal.
_ESCAPES_RE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x9b[0-?]*[ -/]*[@-~]"
)
_CONTROLS_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _strip_controls(text: str) -> str:
    text = _ESCAPES_RE.sub("", text)
    return _CONTROLS_RE.sub("", text.replace("\n", " ").replace("\t", " "))


def _plain(text: str) -> str:
    """TEXT safe to put inside a line printed with console markup: no terminal
    control, and its own brackets shown, not read as markup."""
    return escape(_strip_controls(text))


@eval_app.command("extraction")
def eval_extraction(
    path: Annotated[Path, typer.Argument(help="Folder with html/*.html.gz and ground-truth.json.")],
) -> None:
    """HTML main-text extraction: word 4-gram shingle precision/recall/F1."""
    from crosswire.eval.extraction import evaluate_extraction

    if not (path / "ground-truth.json").is_file():
        err.print(f"[red]error:[/red] {path} has no ground-truth.json")
        raise typer.Exit(2)
    _print_metrics(evaluate_extraction(path, echo=_echo))


@eval_app.command("stories")
def eval_stories(
    path: Annotated[Path, typer.Argument(help="JSONL: id, title, text, published, outlet, label.")],
    stream: Annotated[
        bool,
        typer.Option(
            "--stream",
            help="Feed the records one at a time in publication order through the "
            "incremental story index instead of clustering the file at once.",
        ),
    ] = False,
) -> None:
    """Story grouping: B-cubed and pairwise precision/recall/F1 and ARI against the gold
    labels."""
    from crosswire.eval.stories import evaluate_stories

    if not path.is_file():
        err.print(f"[red]error:[/red] no such file: {path}")
        raise typer.Exit(2)
    _print_metrics(evaluate_stories(path, echo=_echo, stream=stream))


def _require(path: Path) -> None:
    if not path.exists():
        err.print(f"[red]error:[/red] no such file or folder: {path}")
        raise typer.Exit(2)


@eval_app.command("numbers")
def eval_numbers(
    path: Annotated[
        Path, typer.Argument(help="Recognizers-Text Number specs folder, or quantulum3 folder.")
    ],
) -> None:
    """Numbers and ranges: exact span+value accuracy and value accuracy per case."""
    from crosswire.eval.numbers import evaluate_numbers

    _require(path)
    _print_metrics(evaluate_numbers(path, echo=_echo))


@eval_app.command("time")
def eval_time(
    path: Annotated[Path, typer.Argument(help="Folder of TimeML .tml files (TempEval-3).")],
) -> None:
    """Time expressions: strict/relaxed span F1 and value accuracy against the DCT."""
    from crosswire.eval.time import evaluate_time

    _require(path)
    _print_metrics(evaluate_time(path, echo=_echo))


@eval_app.command("attribution")
def eval_attribution(
    path: Annotated[Path, typer.Argument(help="brat folder with text/ and attributions/.")],
) -> None:
    """Attribution: exact and token-overlap F1 of source, cue and content spans."""
    from crosswire.eval.attribution import evaluate_attribution

    _require(path)
    _print_metrics(evaluate_attribution(path, echo=_echo))


@eval_app.command("facets")
def eval_facets(
    path: Annotated[
        Path,
        typer.Argument(
            help="Gold facets JSON beside its corpus, or a gold.json + articles.jsonl folder."
        ),
    ],
    folds: Annotated[
        int,
        typer.Option(
            help="Regroup figures by weights fitted on the other folds of events (for the"
            " folder the shipped weights were fitted on); 0: the shipped weights.",
            min=0,
        ),
    ] = 0,
) -> None:
    """Triangulation: pairwise F1 of facet grouping and status accuracy.

    A folder with articles.jsonl + gold.json is scored figure by figure (mention recall,
    pair P/R/F1, status, conflict P/R, claimant accuracy); a JSON file claim by claim.
    """
    from crosswire.eval.facets import evaluate_facets
    from crosswire.eval.figures import evaluate_figures, is_figure_gold

    _require(path)
    if path.is_dir():
        if not is_figure_gold(path):
            _usage_error(f"{path} holds no gold.json and articles.jsonl")
        if folds == 1:
            _usage_error("--folds needs 2 or more folds (or 0)")
        _print_metrics(evaluate_figures(path, echo=_echo, folds=folds))
        return
    if folds:
        _usage_error("--folds needs a gold.json + articles.jsonl folder")
    _print_metrics(evaluate_facets(path, echo=_echo))


@train_app.command("facets")
def train_facets(
    path: Annotated[Path, typer.Argument(help="A gold.json + articles.jsonl folder.")],
    out: Annotated[
        Path | None,
        typer.Option(help="Where to write the weights; default: the shipped pair_model.json."),
    ] = None,
) -> None:
    """Fit the pairwise same-measure weights on every event of a gold folder.

    Score them on events they did not see with `crosswire eval facets DIR --folds 5`.
    """
    from crosswire.eval.figures import is_figure_gold
    from crosswire.eval.pair_training import train

    _require(path)
    if not is_figure_gold(path):
        _usage_error(f"{path} holds no gold.json and articles.jsonl")
    if out is None:
        from crosswire.compare.pairs import MODEL_FILE

        out = Path(__file__).parent / "compare" / MODEL_FILE
    model = train(path)
    out.write_text(model.to_json(), encoding="utf-8")
    _echo(f"wrote {out} ({model.trained_on})")


# the live-source commands register themselves on `app`; imported here, after the
# helpers they share are defined
import crosswire.cli_live  # noqa: E402
import crosswire.cli_notify  # noqa: E402
import crosswire.cli_serve  # noqa: E402, F401


def main() -> None:
    """The `crosswire` command: exit 3 with one line on an internal error
    (`--debug` for the traceback), never a traceback a user did not ask for."""
    try:
        code = app(standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        err.print("aborted")
        sys.exit(130)
    except Exception as exc:
        if _state["debug"]:
            err.print_exception()
        detail = " ".join(str(exc).split())[:300]
        err.print(
            f"[red]internal error:[/red] {_plain(type(exc).__name__)}: {_plain(detail)}"
            " (run with --debug for the traceback)"
        )
        sys.exit(3)
    sys.exit(code if isinstance(code, int) else 0)
