"""The `orgwork` command: run, eval, and the commands of later stages."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from orgwork.flows.gcfreeze import loading_phase
from orgwork.flows.prefect_env import deferred_interrupts, quiet_prefect

if TYPE_CHECKING:
    from orgwork.flows.embedded_api import EmbeddedAPI
    from orgwork.pipeline.ingest import Source


class RunRefused(Exception):
    """A run that cannot start (a path, the output folder, the API): nothing was written."""


def cmd_run(args: argparse.Namespace) -> int:
    try:
        code, summary = run_dataset(args)
    except RunRefused as exc:
        print(f"orgwork run: {exc}", file=sys.stderr)
        return 2
    if summary.get("up_to_date"):  # the previous run's summary, without its start-up
        print_summary(
            {k: v for k, v in summary.items() if k not in ("startup_seconds", "up_to_date")}
        )
        print(
            "nothing changed since that run (same inputs, same pipeline version): the dataset "
            "is current; --force runs the flow anyway"
        )
    else:
        print_summary(summary)
    if summary.get("report_error") and not summary.get("up_to_date"):
        print(f"orgwork run: report.html not written: {summary['report_error']}", file=sys.stderr)
    return code


def run_dataset(args: argparse.Namespace) -> tuple[int, dict]:
    """What `orgwork run` does: (exit status, the run's summary); RunRefused when it cannot
    start. ``args`` as build_parser() makes them for `run`."""
    started = time.perf_counter()
    quiet_prefect()
    paths = args.paths or ["corpus"]
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise RunRefused(f"no such file or folder: {', '.join(missing)}")
    # Prefect records a flow's parameters as JSON, which holds no surrogate escapes (the
    # request failed with a traceback); names inside the folders given may be anything.
    if not_utf8 := [p for p in [*paths, args.out] if not _encodes_as_utf8(p)]:
        from orgwork.pipeline.ingest import readable_name

        names = ", ".join(readable_name(p) for p in not_utf8)
        raise RunRefused(
            f"not a UTF-8 path: {names}; rename it (the files and folders "
            "inside a folder given may have any names)"
        )
    from orgwork.pipeline.outdir import FolderInUse, folder_problem, output_lock

    if problem := folder_problem(args.out):
        raise RunRefused(f"--out: {problem}")
    # The folder is ours from here to the end (the kernel drops the lock if we die).
    try:
        with output_lock(args.out):
            return _run_locked(args, paths, started)
    except FolderInUse as exc:
        raise RunRefused(str(exc)) from None
    except OSError as exc:  # the folder went away or filled up before the flow began
        raise RunRefused(f"{args.out}: {exc.strerror or exc}") from None


def _run_locked(args: argparse.Namespace, paths: list[str], started: float) -> tuple[int, dict]:
    from orgwork.batch import list_sources
    from orgwork.pipeline.outdir import clean_stale

    clean_stale(args.out)  # what a killed run left (the lock is ours: no live run's files)

    sources = list_sources(paths)  # for the up-to-date check and the first batches
    if not (args.no_cache or args.force) and (previous := _up_to_date(sources, args)):
        return (1 if previous["failures"] else 0), {**previous, "up_to_date": True}
    workers = 1 if args.cluster else (args.workers or os.cpu_count() or 1)
    # Imports and start-up without garbage collection (orgwork.flows.gcfreeze).
    with loading_phase():
        from orgwork.batch import batch_options
        from orgwork.flows.embedded_api import start_embedded_api

        options = batch_options(args.out, cache=not args.no_cache)
        if workers > 1:
            from orgwork.flows.parallel import prepare_workers, start_pool

            prepare_workers()  # the fork server loads the dictionaries while Prefect is imported
        # Then Prefect's API (`prefect server start`), when no API is configured: it starts
        # while this process imports the flows.
        api = start_embedded_api()
        from prefect.settings import (
            PREFECT_API_URL,
            PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
            temporary_settings,
        )

        from orgwork.flows.extract import run_extract

        if workers > 1:
            start_pool(workers)

        if api is not None and PREFECT_API_URL.value():
            api.stop()  # the active Prefect profile (or a test harness) names an API: use it
            api = None
        if args.cluster and api is not None:
            api.stop()
            # The embedded API listens on this machine's loopback for this command only: the
            # cluster's workers could not report their task runs to it.
            raise RunRefused(
                "--cluster needs a Prefect API the cluster's workers can reach: start one "
                "(`prefect server start --host 0.0.0.0`) and set PREFECT_API_URL to it "
                "(http://<this host>:4200/api) in this shell and on the workers"
            )
        if api is not None:
            _import_flow_modules()  # this process would only wait for the API meanwhile
            try:
                api.wait_ready(
                    float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"])
                )
            except RuntimeError as exc:
                raise RunRefused(str(exc)) from None
    ready = time.perf_counter()
    # With the embedded API, no flow run heartbeats: they serve to notice a crashed run on a
    # server that outlives it, and ending their thread cost up to a second at the flow's end.
    embedded = {PREFECT_API_URL: api.url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None} if api else {}
    try:
        with (
            deferred_interrupts(on_second=api.terminate if api else lambda: None),
            temporary_settings(embedded) if api else contextlib.nullcontext(),
        ):
            summary = run_extract(
                workers=workers,
                cluster=args.cluster,
                paths=paths,
                out=args.out,
                batch_size=args.batch_size,
                options=options,
                progress=not args.no_progress and sys.stderr.isatty(),
                report=not args.no_report,
                formats=list(getattr(args, "formats", ("csv",))),
            )
    except KeyboardInterrupt:
        print(
            "orgwork run: interrupted. Tables are put in place only when complete; run the "
            "command again to finish (documents already processed come from the cache).",
            file=sys.stderr,
        )
        _end_interrupted_run(api)
    # The server stops at exit, after Prefect has flushed its events to it (atexit order).
    # What a run costs before and around the work itself, for the benchmark and the curious.
    summary["startup_seconds"] = round(ready - started, 2)
    summary["wall_seconds"] = round(time.perf_counter() - started, 2)
    return (1 if summary["failures"] else 0), summary


def _encodes_as_utf8(path: str) -> bool:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# An interrupted run sends Prefect what it still holds (the runs' states) for this long.
INTERRUPT_DRAIN_SECONDS = 3


def _end_interrupted_run(api: EmbeddedAPI | None) -> NoReturn:
    """End the process within seconds of a Ctrl-C, whatever the flow's task threads and the
    worker pool are doing: a normal exit waits for every batch in flight and for Prefect's
    threads, which an interrupt can leave waiting on each other."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    from orgwork.flows.parallel import stop_pool

    for service in (EventsWorker, APILogWorker):
        with contextlib.suppress(Exception):
            service.drain_all(timeout=INTERRUPT_DRAIN_SECONDS)
    stop_pool(wait=False)
    if api is not None:
        api.stop()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(130)


def _import_flow_modules() -> None:
    """What the flow's first call imports: FastAPI's encoder, which Prefect loads to record
    the flow's parameters (~0.5 s), and the report."""
    import fastapi.encoders  # noqa: F401

    import orgwork.report.render  # noqa: F401


def _up_to_date(sources: list[Source], args: argparse.Namespace) -> dict | None:
    """The last run's summary when the dataset in --out is what a run would write now: same
    input bytes and pipeline version, tables untouched since, the report there if wanted.
    Checked before Prefect starts, so an unchanged corpus costs no start-up at all."""
    from orgwork.batch import inputs_fingerprint
    from orgwork.pipeline.dataset import dataset_fingerprint

    out = Path(args.out)
    try:
        previous = json.loads((out / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not (out / "texts").is_dir() or (not args.no_report and not previous.get("report")):
        return None
    if not args.no_report and not (out / "report.html").is_file():
        return None
    if previous.get("formats", ["csv"]) != list(getattr(args, "formats", ("csv",))):
        return None  # the tables in other formats than the last run wrote
    if previous.get("dataset_sha256") != dataset_fingerprint(out):
        return None
    if previous.get("inputs_sha256") != inputs_fingerprint(sources):
        return None
    return previous


def print_summary(summary: dict) -> None:
    stages = ", ".join(f"{k} {v:.2f}" for k, v in summary["stage_seconds"].items())
    print(
        f"documents: {summary['documents']}  articles: {summary['articles']} "
        f"(relevant {summary['relevant']})  measures: {summary['measures']}  "
        f"programmes: {summary['programs']}  failures: {summary['failures']}  "
        f"from cache: {summary['cached']}  seconds: {summary['seconds']:.1f}"
    )
    if stages:
        print(f"stage seconds: {stages}")
    if "startup_seconds" in summary:
        print(
            f"start-up (imports, Prefect API, worker warm-up) {summary['startup_seconds']:.1f} s, "
            f"flow {summary['seconds']:.1f} s, total {summary['wall_seconds']:.1f} s"
        )
    print(f"dataset written to {summary['out']}/")
    if summary.get("report"):
        print(f"report: {summary['report']}")
    if summary["failures"]:
        print(f"{summary['failures']} document(s) failed: see {summary['out']}/errors.csv")


def cmd_eval(args: argparse.Namespace) -> int:
    from orgwork.evaluation.evaluate import (
        bootstrap_intervals,
        check_floors,
        evaluate_dataset,
        format_intervals,
        format_report,
        load_floors,
    )
    from orgwork.pipeline.outdir import folder_problem

    for option, folder in (("--gold", args.gold), ("--dataset", args.dataset)):
        if not Path(folder).is_dir():
            print(f"orgwork eval: {option}: no such folder: {folder}", file=sys.stderr)
            return 2
    if not (Path(args.dataset) / "articles.csv").is_file():
        print(f"orgwork eval: no dataset in {args.dataset}/ (no articles.csv)", file=sys.stderr)
        return 2
    if args.floors and not Path(args.floors).is_file():
        print(f"orgwork eval: --floors: no such file: {args.floors}", file=sys.stderr)
        return 2
    if args.out and (problem := folder_problem(args.out)):
        print(f"orgwork eval: --out: {problem}", file=sys.stderr)
        return 2
    report = evaluate_dataset(args.dataset, args.gold)
    print(format_report(report))
    if args.intervals:
        report["intervals"] = bootstrap_intervals(report)
        print(format_intervals(report["intervals"]))
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "eval.json").write_text(
            json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8"
        )
    if args.floors:
        failed = check_floors(report, load_floors(args.floors))
        for line in failed:
            print(f"below floor: {line}", file=sys.stderr)
        return 1 if failed else 0
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from orgwork.pipeline.outdir import (
        FolderInUse,
        dataset_folder,
        output_lock,
        refresh_report_link,
    )

    if not Path(args.out).is_dir() or not (Path(args.out) / "articles.csv").exists():
        print(
            f"orgwork report: no dataset in {args.out}/ (run `orgwork run` first)", file=sys.stderr
        )
        return 2
    from orgwork.report.render import build_report

    try:
        # Locked: a run switching the dataset meanwhile would remove the folder written to.
        with output_lock(args.out):
            build_report(dataset_folder(args.out))
            refresh_report_link(args.out)
    except FolderInUse as exc:
        print(f"orgwork report: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"orgwork report: {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"report: {Path(args.out) / 'report.html'}")
    return 0


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (a batch of -1 documents once wrote an
    empty dataset over the last one)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def format_list(text: str) -> tuple[str, ...]:
    """An argparse type: ``csv,parquet,stata`` (pipeline/formats.py)."""
    from orgwork.pipeline.formats import parse_formats

    try:
        return parse_formats(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="orgwork", description="Chinese organization-work reports → research datasets"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="extract the dataset from files and folders of reports")
    run.add_argument("paths", nargs="*", help="files or folders (default: corpus/)")
    run.add_argument("--out", default="outputs", help="output folder (default: outputs/)")
    run.add_argument(
        "--batch-size",
        type=positive_int,
        help="documents per task (default: about 4 tasks per worker)",
    )
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    run.add_argument(
        "--workers", type=positive_int, help="processes on this machine (default: one per core)"
    )
    run.add_argument("--cluster", help="address of a running Dask cluster (tcp://host:8786)")
    run.add_argument(
        "--no-cache", action="store_true", help="process every document again (no cache)"
    )
    run.add_argument("--no-report", action="store_true", help="do not write report.html")
    run.add_argument(
        "--format",
        dest="formats",
        type=format_list,
        default=("csv",),
        help="the tables also as parquet, stata (.dta): e.g. csv,parquet,stata (default: csv)",
    )
    run.add_argument(
        "--force",
        action="store_true",
        help="run the flow even when nothing changed since the last run",
    )
    run.set_defaults(func=cmd_run)

    from orgwork.flows.crawl_cli import add_commands as add_crawl_commands

    add_crawl_commands(sub)  # crawl, serve

    rep = sub.add_parser("report", help="write report.html from a dataset folder")
    rep.add_argument("--out", default="outputs", help="dataset folder (default: outputs/)")
    rep.set_defaults(func=cmd_report)

    ev = sub.add_parser("eval", help="score a dataset against gold annotations")
    ev.add_argument("--gold", required=True, help="folder of gold JSON files")
    ev.add_argument("--dataset", default="outputs", help="dataset folder (default: outputs/)")
    ev.add_argument("--out", help="folder for eval.json (misses and false hits)")
    ev.add_argument("--floors", help="TOML of minimum scores; exit 1 below any")
    ev.add_argument(
        "--intervals",
        action="store_true",
        help="also print 95%% bootstrap intervals of the scores (resampling documents)",
    )
    ev.set_defaults(func=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


def console_main() -> int:
    """The `orgwork` command: main(), its exit code for the console script's sys.exit.

    The process then ends the ordinary way: the exit handlers (Prefect's event flush, the
    worker pool's shutdown, the embedded API's stop), then the interpreter's teardown
    (measured: 0.1-0.15 s on top of the handlers)."""
    try:
        code = main()
        # The work is done; the exit (the embedded API's stop, the pool's) takes a moment
        # and is not interrupted half-way (a Ctrl-C then printed a traceback).
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        return code
    except KeyboardInterrupt:  # outside a command's own handling (start-up, other commands)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the exit, as above
        print("orgwork: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of the output went away (orgwork eval | head)
        # What is still buffered would fail again at exit: it goes nowhere instead.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(console_main())
