"""Rendering pages on several cores: forked workers each render and stage a share of routes.

Workers are forked after the site is loaded, so they share the loaded site without copying
or pickling it; each returns only its errors and a count.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from .errors import SiteError
from .model import Route
from .output import Staging
from .render import SiteRenderer

MIN_PAGES_PER_WORKER = 300
CHUNKS_PER_WORKER = 8  # workers take chunks as they finish: none waits long for the other


@dataclass(frozen=True)
class RenderJob:
    renderer: SiteRenderer  # made and prepared in the parent; each worker gets a copy by fork
    chunks: list[list[Route]]
    staging: Staging
    workers: int = 1


def make_job(renderer: SiteRenderer, routes: list[Route], staging: Staging, workers: int):
    """The routes cut into chunks for `workers` processes (one chunk for one process)."""
    chunks = split(routes, workers * CHUNKS_PER_WORKER) if workers > 1 else [routes]
    return RenderJob(renderer, [c for c in chunks if c], staging, workers)


_job: RenderJob | None = None  # set in the parent just before forking; read by workers


def default_jobs(pages: int) -> int:
    """One worker per core, but not for small sites where forking costs more than it saves."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, pages // MIN_PAGES_PER_WORKER))


def render_and_stage(job: RenderJob, alongside: Callable[[], None]) -> list[SiteError]:
    """Render every route of `job` into its staging folder, and run `alongside` meanwhile
    (in this process, which would otherwise only wait); the errors, one of each."""
    global _job
    if job.workers == 1 or len(job.chunks) == 1:
        errors: list[SiteError] = []
        for index in range(len(job.chunks)):
            errors += _render_chunk(job, index)[0]
        alongside()
        return _one_of_each(errors)
    _job = job
    job.renderer.prepare()
    gc.freeze()  # the loaded site is never garbage: keep the collector off its pages after fork
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(job.workers, mp_context=context) as pool:
            futures = [pool.submit(_worker, index) for index in range(len(job.chunks))]
            alongside()
            results = [future.result() for future in futures]
    finally:
        _job = None
        gc.unfreeze()
    for _errors, staged in results:
        job.staging.staged.update(staged)
    return _one_of_each(error for found, _staged in results for error in found)


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


def _worker(index: int) -> tuple[list[SiteError], list[str]]:
    assert _job is not None
    gc.set_threshold(50_000, 20, 20)  # rendering makes short-lived, acyclic garbage
    return _render_chunk(_job, index)


def _render_chunk(job: RenderJob, index: int) -> tuple[list[SiteError], list[str]]:
    """Render and stage one chunk; its errors and the paths it staged."""
    renderer = job.renderer
    errors: list[SiteError] = []
    staged: list[str] = []
    for route in job.chunks[index]:
        try:
            html = renderer.render(route)
        except SiteError as error:
            errors.append(error)
            continue
        if not errors and job.staging.put(route.output, html.encode("utf-8")):
            staged.append(route.output)  # after an error nothing is staged: it would be lost
    return _one_of_each(errors), staged


def _one_of_each(errors: Iterable[SiteError]) -> list[SiteError]:
    """A layout error repeats on every page that uses the layout: report it once."""
    unique: dict[tuple[str, str], SiteError] = {}
    for error in errors:
        unique.setdefault((str(error.source), error.message), error)
    return list(unique.values())
