"""Running one app's checks in several processes, for large apps on multi-core machines.

Checks are independent functions of the app, so the process forks before reading it; then
parent and children take checks from a shared counter until none are left, each reading
(lazily) the files its checks need, and each child sends its findings back through a pipe.
Reading happens in every process at once instead of before any check can start, and only
findings are ever serialised. The result is exactly what a sequential run gives: findings
are merged in check order, the parent still reads every file (so no loader finding is
missed), and a check whose process did not report back is run again in the parent.

Only `studio validate` uses this. Forking a process that runs other threads (the designer,
a test runner's worker) is unsafe in general, so `worker_count` says 1 there.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app_runtime.app import App
from app_runtime.checks.registry import Check
from schemas.diagnostics import Finding

LARGE_APP_BYTES = 1_000_000
"""Apps with fewer bytes of files than this validate faster in one process than in two."""

MAX_WORKERS = 4
"""More processes than this only add fork and copy-on-write costs for the number of checks
there are."""

RunOne = Callable[[Check, App], list[Finding]]


def can_fork() -> bool:
    """Whether forking is available and safe here: a POSIX fork, and no other threads."""
    return hasattr(os, "fork") and threading.active_count() == 1


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worker_count(app: App, requested: int | None = None) -> int:
    """How many processes to validate `app` with: `requested` when given (capped by what
    the machine has), else more than one only for a large app on a multi-core machine."""
    if not can_fork():
        return 1
    cores = available_cores()
    if requested is not None:
        return max(1, min(requested, cores, MAX_WORKERS))
    if cores < 2 or source_bytes(app.app_dir) < LARGE_APP_BYTES:
        return 1
    return 2  # each process reads the app itself: more would mostly repeat that work


def source_bytes(folder: Path, limit: int = LARGE_APP_BYTES) -> int:
    """Bytes of the JSON and XML files under `folder` (symlinks not followed), counting
    only until `limit` is reached: all the caller wants to know is whether it is."""
    total = 0
    pending = [folder]
    while pending and total < limit:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append(Path(entry.path))
            elif entry.name.endswith(_SOURCE_SUFFIXES) and entry.is_file(follow_symlinks=False):
                total += entry.stat(follow_symlinks=False).st_size
    return total


_SOURCE_SUFFIXES = (".json", ".xsd", ".xml", ".bpmn")


def run_forked(
    app: App, checks: Sequence[Check], workers: int, run_one: RunOne
) -> list[list[Finding]]:
    """Every check's findings, in check order, computed by `workers` processes."""
    import multiprocessing

    counter: Any = multiprocessing.get_context("fork").Value("i", 0)
    children: list[tuple[int, int]] = []
    for _ in range(workers - 1):
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: work, report, and leave without running any cleanup
            os.close(reader)
            _child(app, checks, counter, run_one, writer)
        os.close(writer)
        children.append((pid, reader))

    app.load_everything()  # the children read, lazily, only what their checks need
    results: dict[int, list[Finding]] = dict(_take_checks(app, checks, counter, run_one))
    for pid, reader in children:
        reported = _receive(reader)
        os.waitpid(pid, 0)
        if reported is not None:
            done, load_findings, read_there = reported
            results.update(done)
            for finding in load_findings:
                app._report(finding)
            for name in read_there:
                app.json(name)  # so findings in files only a child read get positions
    for index, registered in enumerate(checks):
        if index not in results:  # its process died before reporting: run it here
            results[index] = run_one(registered, app)
    return [results[index] for index in range(len(checks))]


def _take_checks(
    app: App, checks: Sequence[Check], counter: Any, run_one: RunOne
) -> list[tuple[int, list[Finding]]]:
    done: list[tuple[int, list[Finding]]] = []
    while True:
        with counter.get_lock():
            index = counter.value
            counter.value = index + 1
        if index >= len(checks):
            return done
        done.append((index, run_one(checks[index], app)))


def _child(app: App, checks: Sequence[Check], counter: Any, run_one: RunOne, writer: int) -> None:
    code = 1
    try:
        done = _take_checks(app, checks, counter, run_one)
        read = [name for name in app._json_cache if name.endswith(".json")]
        payload = pickle.dumps((done, app.load_findings, read), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(writer, "wb") as stream:
            stream.write(payload)
        code = 0
    finally:
        os._exit(code)


Report = tuple[list[tuple[int, list[Finding]]], list[Finding], list[str]]
"""What a child sends back: (check index, findings) pairs, loader findings, JSON files read."""


def _receive(reader: int) -> Report | None:
    with os.fdopen(reader, "rb") as stream:
        payload = stream.read()
    if not payload:
        return None
    try:
        reported: Report = pickle.loads(payload)
    except Exception:  # a truncated report: its checks are run again by the parent
        return None
    return reported
