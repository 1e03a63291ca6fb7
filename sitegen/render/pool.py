"""Rendering pages on several cores: forked workers (sitegen.forks) each render and stage a
share of the routes; only their errors and the paths they staged come back."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sitegen.errors import BuildFailed, SiteError
from sitegen.forks import cores, fork_map
from sitegen.model.routes import Route
from sitegen.render.gate import PageGate
from sitegen.render.pages import PageRenderer
from sitegen.write.staging import Staging

MIN_PAGES_PER_WORKER = 300
MIN_CHUNK = 40  # pages: about what one worker may still render when the others are done


def default_jobs(pages: int) -> int:
    """One worker per core, but not for small sites where forking costs more than it saves."""
    return max(1, min(cores(), pages // MIN_PAGES_PER_WORKER))


def render_pages(
    renderer: PageRenderer,
    routes: list[Route],
    staging: Staging,
    jobs: int,
    alongside: Callable[[], None],
    gate: PageGate | None = None,
    by_page: dict[str, list[SiteError]] | None = None,
) -> dict[str, list[SiteError]]:
    """Render every route into `staging` on `jobs` processes, running `alongside` in this
    one meanwhile, and the page rules of `gate` on each page; returns their warnings by
    page URL (pages without any left out; `page_warnings` makes the build's list; also put
    in `by_page` when given, even when the render fails), raises BuildFailed with every
    render error and page rule error (one of each). The broken links' "did you mean" are
    worked out here, from what every worker found (PageGate.guess_hints); `gate.guesses`
    is then the number of broken addresses that wanted one."""
    chunks = split(routes, jobs) if jobs > 1 else [routes]
    chunks = [chunk for chunk in chunks if chunk]
    if gate is not None:  # before prepare: the texts it renders (a FAQ answer) are checked
        renderer.text.watch = gate.watch  # too, with the first page of each worker
    if jobs > 1 and len(chunks) > 1:
        renderer.prepare()  # once here, not once in each worker
        if gate is not None:
            gate.prepared()

    def work(index: int) -> Rendered:
        return _render_chunk(renderer, chunks[index], staging, gate)

    try:
        results = fork_map(work, len(chunks), jobs if jobs > 1 else 0, alongside=alongside)
    finally:
        renderer.text.watch = None
    by_page = {} if by_page is None else by_page
    for _errors, found, staged in results:
        staging.staged.update(staged)
        by_page.update(found)
    errors = _one_of_each(error for found, *_rest in results for error in found)
    if gate is not None:
        gate.guess_hints([*errors, *(w for found in by_page.values() for w in found)])
    if errors:
        raise BuildFailed(errors, page_warnings(routes, by_page))
    return by_page


def page_warnings(routes: list[Route], by_page: dict[str, list[SiteError]]) -> list[SiteError]:
    """The warnings of the pages of `routes`, one of each, by file and line: the same list
    whichever page a text shared by several pages was checked with (the first one a
    worker rendered; a build of some pages renders others)."""
    found = _one_of_each(w for route in routes for w in by_page.get(route.url, ()))
    return sorted(found, key=SiteError.sort_key)


def split(routes: list[Route], jobs: int) -> list[list[Route]]:
    """The routes in chunks for `jobs` workers that take the next chunk as they finish one.
    Each location's pages are in one chunk (its own text is converted by one worker only);
    the pages of no location come first (the hubs listing every location take longest),
    then the locations with the most pages (one that came last would leave a worker
    rendering it alone). Each chunk takes about 1/(2 x jobs) of the pages not yet in one,
    at least MIN_CHUNK (a small site: 1/jobs of its pages), which is guided
    self-scheduling (Polychronopoulos and Kuck, IEEE Trans. Computers C-36(12), 1987):
    the first chunks are large, the last ones small, so that no worker is left rendering
    a large chunk while the others have nothing to do."""
    groups: dict[str, list[Route]] = {}
    for route in routes:
        groups.setdefault(route.location_slug or route.url, []).append(route)
    ordered = sorted(groups.values(), key=lambda g: (g[0].location_slug is not None, -len(g)))
    chunks: list[list[Route]] = []
    left, size = len(routes), 0
    least = min(MIN_CHUNK, -(-left // jobs))  # a small site still has a chunk for each job
    for group in ordered:
        if not chunks or (chunks[-1] and len(chunks[-1]) + len(group) > size):
            chunks.append([])
            size = max(least, -(-left // (2 * jobs)))  # 1/(2 x jobs) of what is left
        chunks[-1].extend(group)
        left -= len(group)
    return chunks


Rendered = tuple[list[SiteError], dict[str, list[SiteError]], list[str]]
"""What a share of the routes gave: its errors, its warnings by page URL, the paths it
staged."""


def _render_chunk(
    renderer: PageRenderer, routes: list[Route], staging: Staging, gate: PageGate | None
) -> Rendered:
    """Render, check (with `gate`) and stage some routes."""
    errors: list[SiteError] = []
    warnings: dict[str, list[SiteError]] = {}
    staged: list[str] = []
    for route in routes:
        try:
            html = renderer.render(route)
        except SiteError as error:
            errors.append(error)
            if gate is not None:
                gate.forget()
            continue
        if gate is not None:
            found = gate.page(route, html)
            errors += found.errors
            if found.warnings:
                warnings[route.url] = _one_of_each(found.warnings)
        if not errors and staging.put(route.output, html.encode("utf-8")):
            staged.append(route.output)  # after an error nothing is staged: it would be lost
    return _one_of_each(errors), warnings, staged


def _one_of_each(errors: Iterable[SiteError]) -> list[SiteError]:
    """A layout error repeats on every page that uses the layout: report it once."""
    unique: dict[tuple[str, str], SiteError] = {}
    for error in errors:
        unique.setdefault((str(error.source), error.message), error)
    return list(unique.values())
