"""Benchmark: designer latency on the validator benchmark's large synthetic app.

Times, in one run and process:

* first screen: from creating the designer to its first screen painted (the dashboard, as
  recorded by the app itself), for the large app (100 pages x 50 components, a 5,000-field model) and for an empty app made by
  `studio new`; validation runs in a worker afterwards and is not part of first paint;
* edit revalidated: after changing one property of one component, the time until the
  validation panel has the new findings (shadow sync + checks), the median of several edits.

Ends with `first_screen_vs_empty = <ratio>` and `edit_revalidated_ms = <ms>`.
Run: python bench/designer.py [--rounds N] [--edits N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for entry in (ROOT, ROOT / "bench"):
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))

from validate import build_app  # noqa: E402  (bench-local helper)


async def _first_screen(app_path: Path) -> float:
    from studio.designer.app import DesignerApp

    designer = DesignerApp(app_path)
    async with designer.run_test(size=(120, 40)) as pilot:
        while designer.first_screen_seconds is None:
            await pilot.pause(0.005)
        await designer.workers.wait_for_complete()
    return designer.first_screen_seconds


def first_screen(app_path: Path, rounds: int) -> float:
    return min(asyncio.run(_first_screen(app_path)) for _ in range(rounds))


def edit_revalidated(app_path: Path, edits: int) -> tuple[float, float, str]:
    """(median ms from an edit to fresh findings, ms of the first full validation, how
    many checks the last edit re-ran)."""
    from app_runtime.editing.form import PageSet, set_property
    from app_runtime.editing.workspace import AppWorkspace

    workspace = AppWorkspace(app_path)
    try:
        started = time.perf_counter()
        workspace.validate()
        full_ms = (time.perf_counter() - started) * 1000
        layout_set = workspace.layout_sets()[0]
        pages = PageSet.of(workspace.app.relpath(layout_set.folder))
        page_ids = list(layout_set.pages)
        all_checks = len(workspace.revalidated_checks)
        timings: list[float] = []
        for index in range(edits):
            page = page_ids[index % len(page_ids)]
            component = workspace.session.read(pages.page(page))["data"]["layout"][0]["id"]
            with workspace.session.transaction("bench edit") as tx:
                set_property(tx, pages, component, ["readOnly"], index % 2 == 0)
            started = time.perf_counter()
            workspace.changed()
            workspace.validate()
            timings.append((time.perf_counter() - started) * 1000)
        rerun = f"{len(workspace.revalidated_checks)} of {all_checks}"
        return statistics.median(timings), full_ms, rerun
    finally:
        workspace.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--edits", type=int, default=9)
    args = parser.parse_args()

    from studio.commands.new import create_app, plan_new_app

    with tempfile.TemporaryDirectory(prefix="studio-bench-") as folder:
        big = Path(folder) / "big-app"
        build_app(big, 100, 50, 5000)
        create_app(plan_new_app("empty-app", "ttd", Path(folder)))
        empty = Path(folder) / "empty-app"
        first_screen(empty, 1)  # warm imports so both measurements start equal
        empty_s = first_screen(empty, args.rounds)
        big_s = first_screen(big, args.rounds)
        edit_ms, full_ms, rerun = edit_revalidated(big, args.edits)
    print(f"first screen, empty app: {empty_s * 1000:.0f} ms")
    print(f"first screen, large app: {big_s * 1000:.0f} ms")
    print(f"full validation of the large app: {full_ms:.0f} ms")
    print(f"checks re-run after a page edit: {rerun} (the others' findings reused)")
    print(f"first_screen_empty_ms = {empty_s * 1000:.0f}")
    print(f"first_screen_large_ms = {big_s * 1000:.0f}")
    print(f"first_screen_vs_empty = {big_s / empty_s:.2f}")
    print(f"edit_revalidated_ms = {edit_ms:.0f}")


if __name__ == "__main__":
    main()
