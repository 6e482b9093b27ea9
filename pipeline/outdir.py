"""The output folder of `orgwork run`: a lock, one hidden folder per run, one atomic switch.

Layout of ``<out>``::

    .runs/<id>/      one run's whole dataset: the six tables (also as .parquet, .dta when
                     asked), datapackage.json, texts/, run.json, report.html
    current          symlink → .runs/<id>: the dataset now; switched by one rename
    articles.csv …   symlinks current/articles.csv …, the same for every run (the names
                     users open; report.html only when the current run has one)
    .lock            held (flock) by the run or report working on the folder
    .cache/          the document cache (orgwork.batch)

A run writes everything into a fresh ``.runs/<id>/`` (texts unchanged since the previous run
hard-linked from it, not written again), then renames a new ``current`` link over the old
one: a reader, and a run killed at any moment, finds either the old run's complete dataset
or the new one's, never a mix. The lock is an flock on ``.lock``: the kernel drops it when
the process holding it dies, however it dies, so a killed run never leaves the folder
locked; what a killed run left (its run folder, temporary files) is removed by the next one,
under the lock, so never the files of a live run.
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import os
import secrets
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

RUNS = ".runs"
CURRENT = "current"
LOCK = ".lock"
# The names a user opens, each a symlink into current/.
_TABLES = ("articles", "measures", "programs", "comparison", "panel", "errors")
DATASET_NAMES = (
    *(f"{t}.csv" for t in _TABLES), "datapackage.json", "texts", "run.json", "report.html",
)  # fmt: skip
# The tables in other forms, when the run wrote them (orgwork run --format): linked the same way.
FORMAT_NAMES = tuple(f"{t}{suffix}" for suffix in (".parquet", ".dta") for t in _TABLES)
_TMP_SUFFIX = ".tmp"


class FolderInUse(Exception):
    """Another process holds the output folder's lock."""

    def __init__(self, folder: Path, holder: str) -> None:
        self.folder = folder
        by = f" (process {holder})" if holder else ""
        super().__init__(
            f"{folder}/ is in use by another orgwork run or report{by}; "
            "wait for it to end, or choose another folder"
        )


def folder_problem(path: str | Path) -> str | None:
    """Why ``path`` cannot be an output folder (a sentence), or None. Checked before a run
    touches anything, so a bad --out costs one line, not a traceback."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        return f"{folder} is a file, not a folder"
    existing = folder
    while not existing.exists():  # the nearest part of the path that exists
        if existing.is_symlink():
            return f"{existing} is a broken symbolic link"
        existing = existing.parent
    if not existing.is_dir():
        return f"{folder} cannot be made: {existing} is a file"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"{existing} is not writable"
    return None


# Locks this process holds, by real path: (descriptor, how many holders). Reentrant, since
# the command takes the lock before Prefect starts and the flow takes it again.
_held: dict[str, list[int]] = {}
_held_guard = threading.Lock()


def _forget_locks_in_child() -> None:
    """A forked child (Prefect's API server) must not keep the command's lock alive: it closes
    its copies (closing a copy releases nothing while the command holds the original)."""
    for fd, _ in _held.values():
        with contextlib.suppress(OSError):
            os.close(fd)
    _held.clear()


os.register_at_fork(after_in_child=_forget_locks_in_child)


@contextlib.contextmanager
def output_lock(out: str | Path) -> Iterator[Path]:
    """Hold ``<out>/.lock`` for the block (made with the folder if missing); FolderInUse when
    another process holds it. The lock file stays (removing it would race with a taker)."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    key = os.path.realpath(folder)
    with _held_guard:
        if key in _held:
            _held[key][1] += 1
            fd = None
        else:
            fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
            try:
                # fcntl.flock by hand: one call; the kernel releases it with the process.
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
                os.close(fd)
                raise FolderInUse(folder, holder) from None
            except BaseException:
                os.close(fd)
                raise
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)  # who holds it, for the message
            _held[key] = [fd, 1]
    try:
        yield folder
    finally:
        with _held_guard:
            entry = _held.get(key)
            if entry is not None:
                entry[1] -= 1
                if entry[1] == 0:
                    del _held[key]
                    os.close(entry[0])  # releases the lock


def holds_lock(out: str | Path) -> bool:
    return os.path.realpath(out) in _held


def current_run(out: str | Path) -> Path | None:
    """The folder holding the dataset now: the run ``current`` points to, else ``out`` itself
    when it holds tables as plain files (a folder written before run folders, or by
    write_dataset), else None."""
    folder = Path(out)
    link = folder / CURRENT
    if link.is_symlink():
        target = folder / os.readlink(link)
        return target if target.is_dir() else None
    if (folder / "articles.csv").is_file() and not (folder / "articles.csv").is_symlink():
        return folder
    return None


def dataset_folder(out: str | Path) -> Path:
    """Where the files of the dataset in ``out`` really are (``out`` itself if flat)."""
    run = current_run(out)
    return run if run is not None else Path(out)


def dataset_name(folder: str | Path) -> str:
    """The name a user knows a dataset by: the output folder's, also for one of its runs."""
    resolved = Path(folder).resolve()
    if resolved.parent.name == RUNS:
        return resolved.parent.parent.name
    return resolved.name


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def clean_stale(out: str | Path) -> list[Path]:
    """Remove what dead runs left in ``out``: run folders other than the current one, hidden
    temporary files (``.*.tmp``) beside the dataset and in the current run. Only with the
    lock held: a live run's files are then never among them. Returns what was removed."""
    folder = Path(out)
    if not holds_lock(folder):
        raise RuntimeError(f"clean_stale({folder}) without the folder's lock")
    removed: list[Path] = []
    current = current_run(folder)
    keep = os.path.realpath(current) if current is not None else None
    runs = folder / RUNS
    if runs.is_dir():
        for entry in runs.iterdir():
            if os.path.realpath(entry) != keep:
                _remove(entry)
                removed.append(entry)
    for place in {folder, current} - {None}:
        for entry in place.glob(f".*{_TMP_SUFFIX}"):  # type: ignore[union-attr]
            _remove(entry)
            removed.append(entry)
    return removed


_names = itertools.count()  # next() is atomic: unique names across threads


def temporary_name(path: Path) -> Path:
    """A hidden name beside ``path`` for this process (clean_stale removes it if we die)."""
    return path.with_name(f".{path.name}.{os.getpid()}.{next(_names)}{_TMP_SUFFIX}")


def _symlink_atomic(target: str, link: Path) -> None:
    """Make ``link`` a symlink to ``target`` in one rename (over a file or link there)."""
    tmp = temporary_name(link)
    os.symlink(target, tmp)
    try:
        os.replace(tmp, link)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _replace_folder_by_link(folder: Path, target: str) -> None:
    """Make the name of a folder a symlink to ``target`` (rename cannot put a file over a
    folder): on Linux the two swapped in one step (renameat2 RENAME_EXCHANGE), elsewhere,
    or where the file system cannot, the folder renamed aside first (the name is missing for
    a moment)."""
    import ctypes

    tmp = temporary_name(folder)
    os.symlink(target, tmp)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        at_fdcwd, rename_exchange = -100, 2
        swapped = (
            libc.renameat2(at_fdcwd, os.fsencode(tmp), at_fdcwd, os.fsencode(folder),
                           rename_exchange) == 0
        )  # fmt: skip
    except (OSError, AttributeError):  # no renameat2 in this C library
        swapped = False
    if not swapped:
        aside = temporary_name(folder)
        os.rename(folder, aside)
        os.replace(tmp, folder)
        tmp = aside
    shutil.rmtree(tmp, ignore_errors=True)  # the old folder, now under the temporary name


def _is_link_to(link: Path, target: str) -> bool:
    return link.is_symlink() and os.readlink(link) == target


class RunFolder:
    """The hidden folder a run writes its dataset into; ``commit`` makes it the current one.
    Made with the output folder's lock held (clean_stale runs first)."""

    def __init__(self, out: str | Path) -> None:
        self.out = Path(out)
        clean_stale(self.out)
        self.previous = current_run(self.out)
        runs = self.out / RUNS
        runs.mkdir(exist_ok=True)
        # Never a name used before: a reader holding the resolved path of a removed run must
        # not find another run's files there (a name of time and pid came back within a second).
        while True:
            self.path = runs / f"{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"
            try:
                self.path.mkdir()
                break
            except FileExistsError:
                continue
        (self.path / "texts").mkdir()

    def commit(self) -> None:
        """Switch the dataset to this run in one rename, point the user-facing names into
        current/, and remove the previous run's folder."""
        if self.previous is not None and self.previous.resolve() == self.out.resolve():
            self._adopt_flat_dataset()
        _symlink_atomic(f"{RUNS}/{self.path.name}", self.out / CURRENT)
        self._link_names(self.path)
        clean_stale(self.out)  # the previous run's folder, now unused

    def abort(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def _link_names(self, run: Path) -> None:
        """Each user-facing name a symlink into current/ (report.html only if the run has one:
        a link to nothing would look like a report)."""
        for name in (*DATASET_NAMES, *FORMAT_NAMES):
            link, target = self.out / name, f"{CURRENT}/{name}"
            if not (run / name).exists():
                if link.is_symlink():
                    link.unlink()
                continue
            if _is_link_to(link, target):
                continue
            if link.is_dir() and not link.is_symlink():  # a flat dataset's texts/ (adopted)
                _replace_folder_by_link(link, target)
            else:
                _symlink_atomic(target, link)

    def _adopt_flat_dataset(self) -> None:
        """``out`` holds a dataset as plain files (written before run folders): first make it a
        run folder of its own (hard links, no copy) and the current one, its names links into
        it, so that the names show the same bytes at every moment of the change; the switch
        to the new run is then one rename as always."""
        legacy = self.out / RUNS / f"{self.path.name}-before"
        legacy.mkdir()
        for name in (*DATASET_NAMES, *FORMAT_NAMES):
            source = self.out / name
            if source.is_symlink() or not source.exists():
                continue
            if source.is_dir():
                (legacy / name).mkdir()
                for item in source.iterdir():
                    if item.is_file():
                        link_or_copy(item, legacy / name / item.name)
            else:
                link_or_copy(source, legacy / name)
        _symlink_atomic(f"{RUNS}/{legacy.name}", self.out / CURRENT)
        self._link_names(legacy)


def refresh_report_link(out: str | Path) -> None:
    """After `orgwork report` wrote report.html into the current run: its name in ``out``
    links there (a run made with --no-report has none)."""
    folder = Path(out)
    target = f"{CURRENT}/report.html"
    if (folder / CURRENT).is_symlink() and not _is_link_to(folder / "report.html", target):
        _symlink_atomic(target, folder / "report.html")


def link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links
        shutil.copy2(source, target)


def link_unchanged(previous: Path, target: Path, data: bytes) -> bool:
    """Hard-link ``previous`` as ``target`` when it holds exactly ``data``; False otherwise."""
    try:
        if os.stat(previous).st_size != len(data) or previous.read_bytes() != data:
            return False
        os.link(previous, target)
        return True
    except OSError:
        return False
