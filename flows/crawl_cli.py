"""`orgwork crawl` and `orgwork serve`: added to the main command by ``add_commands``.

Runs on its own too: ``python -m orgwork.flows.crawl_cli crawl --sources corpus/sources.toml``.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
from pathlib import Path

from orgwork.flows.prefect_env import quiet_after_interrupt, quiet_prefect

DEFAULT_SOURCES = "corpus/sources.toml"
DEPLOYMENT = "orgwork-refresh"


def cmd_crawl(args: argparse.Namespace) -> int:
    if not Path(args.sources).is_file():
        print(f"orgwork crawl: no sources file {args.sources}", file=sys.stderr)
        return 2
    from orgwork.crawler.crawl import load_sources

    try:
        load_sources(args.sources)
    except (ValueError, OSError) as exc:
        print(f"orgwork crawl: {exc}", file=sys.stderr)
        return 2
    quiet_prefect()
    from orgwork.flows.embedded_api import start_embedded_api

    # Prefect's API for the crawl, unless one is configured: ours, which ends with this
    # process even when it is killed (Prefect's own temporary server outlived a kill -9).
    api = start_embedded_api()
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from orgwork.flows.crawl import TOTALS, crawl_sources

    if api is not None:
        try:
            api.wait_ready(float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"]))
        except RuntimeError as exc:
            print(f"orgwork crawl: {exc}", file=sys.stderr)
            return 2
    embedded = temporary_settings({PREFECT_API_URL: api.url}) if api else contextlib.nullcontext()
    with quiet_after_interrupt(), embedded:
        state = crawl_sources(args.sources, args.corpus, args.db, return_state=True)
    if not state.is_completed():
        print(f"orgwork crawl: {state.message}", file=sys.stderr)
        return 1
    summary = state.result()
    for row in summary["per_source"]:
        print(f"{row['source']}: " + ", ".join(f"{k} {row.get(k, 0)}" for k in TOTALS))
    print(f"crawl database: {summary['db']}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    quiet_prefect()
    from orgwork.crawler.crawl import load_sources

    try:
        config = load_sources(args.sources)
    except (ValueError, OSError) as exc:
        print(f"orgwork serve: {exc}", file=sys.stderr)
        return 2
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():
        # Without a standing server the schedule would never fire: say so instead of waiting.
        print(
            "orgwork serve: PREFECT_API_URL is not set. Start a server with "
            "`prefect server start` and set PREFECT_API_URL=http://127.0.0.1:4200/api "
            "(see docs/crawl.md).",
            file=sys.stderr,
        )
        return 2
    cron = args.cron or config.schedule.cron
    if not cron and not args.interval:
        print(
            "orgwork serve: no schedule: give --cron or --interval, or [schedule] cron",
            file=sys.stderr,
        )
        return 2
    from prefect.deployments.runner import EntrypointType
    from prefect.schedules import Cron, Interval

    from orgwork.flows.crawl import refresh_dataset

    if args.interval:
        schedule = Interval(args.interval)
    else:
        schedule = Cron(cron, timezone=config.schedule.timezone or None)
    out = args.out or config.schedule.out or "outputs"
    # Absolute paths: scheduled runs start in a process whose folder is not ours to assume.
    parameters = {
        "sources_file": str(Path(args.sources).resolve()),
        "corpus_dir": str(Path(args.corpus).resolve()),
        "out": str(Path(out).resolve()),
    }
    if args.db:
        parameters["db_path"] = str(Path(args.db).resolve())
    # MODULE_PATH: runs import orgwork.flows.crawl by name, which works from any working folder
    # where the project is installed (pip install -e .).
    refresh_dataset.serve(
        name=args.name,
        schedules=[schedule],
        parameters=parameters,
        description="Crawl the sources, extract the dataset, on a schedule",
        entrypoint_type=EntrypointType.MODULE_PATH,
        limit=1,  # two refreshes at once would crawl the same hosts twice over
    )
    return 0


def positive_seconds(text: str) -> float:
    """An argparse type: a finite number of seconds above 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0, not {text}")
    return value


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add `crawl` and `serve` to the `orgwork` command's subparsers."""

    crawl = subparsers.add_parser("crawl", help="fetch new reports from the sources file")
    crawl.add_argument("--sources", default=DEFAULT_SOURCES, help="sources file (TOML)")
    crawl.add_argument("--corpus", default="corpus", help="corpus folder (pages go to crawled/)")
    crawl.add_argument("--db", default=None, help="crawl database (default: from the sources file)")
    crawl.set_defaults(func=cmd_crawl)

    serve = subparsers.add_parser(
        "serve", help="crawl and extract on a schedule (needs a running Prefect server)"
    )
    serve.add_argument("--sources", default=DEFAULT_SOURCES, help="sources file (TOML)")
    when = serve.add_mutually_exclusive_group()
    when.add_argument("--cron", help="cron expression (default: [schedule] cron)")
    when.add_argument(
        "--interval", type=positive_seconds, help="seconds between runs instead of a cron"
    )
    serve.add_argument("--out", default=None, help="dataset folder (default: [schedule] out)")
    serve.add_argument("--corpus", default="corpus", help="corpus folder")
    serve.add_argument("--db", default=None, help="crawl database (default: from the sources file)")
    serve.add_argument("--name", default=DEPLOYMENT, help="deployment name")
    serve.set_defaults(func=cmd_serve)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="orgwork", description="crawl and serve")
    add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
