"""Rendering pages on several cores: forked workers each render and stage a share of routes.

Workers are forked after the site is loaded, so they share the loaded site without copying
or pickling it; each returns only its errors and a count.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from .errors import SiteError
from .model import Route
from .output import Staging
from .render import SiteRenderer

MIN_PAGES_PER_WORKER = 300


@dataclass(frozen=True)
class RenderJob:
    renderer: SiteRenderer  # made and prepared in the parent; each worker gets a copy by fork
    chunks: list[list[Route]]
    staging: Staging


_job: RenderJob | None = None  # set in the parent just before forking; read by workers


def default_jobs(pages: int) -> int:
    """One worker per core, but not for small sites where forking costs more than it saves."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, pages // MIN_PAGES_PER_WORKER))


def render_and_stage(job: RenderJob) -> list[SiteError]:
    """Render every route of `job` into its staging folder; the errors, one of each."""
    global _job
    if len(job.chunks) == 1:
        return _render_chunk(job, 0)
    _job = job
    job.renderer.prepare()
    gc.freeze()  # the loaded site is never garbage: keep the collector off its pages after fork
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(len(job.chunks), mp_context=context) as pool:
            results = list(pool.map(_worker, range(len(job.chunks))))
    finally:
        _job = None
        gc.unfreeze()
    return _one_of_each(error for found in results for error in found)


def split(routes: list[Route], jobs: int) -> list[list[Route]]:
    """Shares of about equal size that keep each location's pages together, so a location's
    own text is converted by one worker only."""
    groups: dict[str, list[Route]] = {}
    for route in routes:
        groups.setdefault(route.location or route.url, []).append(route)
    shares: list[list[Route]] = [[] for _ in range(jobs)]
    for group in sorted(groups.values(), key=len, reverse=True):
        min(shares, key=len).extend(group)
    return shares


def _worker(index: int) -> list[SiteError]:
    assert _job is not None
    gc.set_threshold(50_000, 20, 20)  # rendering makes short-lived, acyclic garbage
    return _render_chunk(_job, index)


def _render_chunk(job: RenderJob, index: int) -> list[SiteError]:
    renderer = job.renderer
    errors: list[SiteError] = []
    for route in job.chunks[index]:
        try:
            html = renderer.render(route)
        except SiteError as error:
            errors.append(error)
            continue
        if not errors:  # after an error nothing will be written: stop staging
            job.staging.put(route.output, html.encode("utf-8"))
    return _one_of_each(errors)


def _one_of_each(errors: Iterable[SiteError]) -> list[SiteError]:
    """A layout error repeats on every page that uses the layout: report it once."""
    unique: dict[tuple[str, str], SiteError] = {}
    for error in errors:
        unique.setdefault((str(error.source), error.message), error)
    return list(unique.values())
