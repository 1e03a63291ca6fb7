"""render.pool.split: how the pages are cut into the chunks the workers take one by one."""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable

import pytest

from sitegen.errors import SourceRef
from sitegen.model.routes import LocationRoute, ProgramAtLocationRoute, ProgramRoute, Route
from sitegen.render.pool import MIN_CHUNK, split

SOURCE = SourceRef("content/x.yaml")


def location_routes(slug: str, programs: int) -> list[Route]:
    """A location's hub and its page of each of `programs` programs."""
    hub: Route = LocationRoute(url=f"/{slug}/", layout="location", source=SOURCE, location=slug)
    pages: list[Route] = [
        ProgramAtLocationRoute(
            url=f"/{slug}/p{p}/",
            layout="program-location",
            source=SOURCE,
            program=f"p{p}",
            location=slug,
        )
        for p in range(programs)
    ]
    return [hub, *pages]


def site_routes(locations: int, programs: int) -> list[Route]:
    """The routes of a site in the order routing gives them: hubs of programs, then each
    location's hub and its program pages."""
    routes: list[Route] = [
        ProgramRoute(url=f"/programs/p{p}/", layout="program", source=SOURCE, program=f"p{p}")
        for p in range(programs)
    ]
    for n in range(locations):
        routes += location_routes(f"l{n}", programs)
    return routes


def finish_times(
    chunks: list[list[Route]], jobs: int, cost: Callable[[Route], float], slow_until: float
) -> list[float]:
    """When each of `jobs` workers is done, each taking the next chunk when it is free;
    worker 0 runs at half speed until `slow_until` (another process shares its core)."""
    free = [(0.0, worker) for worker in range(jobs)]
    done = [0.0] * jobs
    for chunk in chunks:
        at, worker = heapq.heappop(free)
        work = sum(cost(route) for route in chunk)
        took = work
        if worker == 0 and at < slow_until:
            slow_work = (slow_until - at) / 2  # what it gets done before it has its core
            took = 2 * work if work <= slow_work else (slow_until - at) + work - slow_work
        done[worker] = at + took
        heapq.heappush(free, (done[worker], worker))
    return done


@pytest.mark.parametrize(
    ("locations", "programs", "jobs"), [(1000, 10, 2), (30, 10, 2), (500, 3, 4)]
)
def test_each_page_is_in_one_chunk_with_its_location_and_hubs_first(locations, programs, jobs):
    routes = site_routes(locations, programs)
    chunks = split(routes, jobs)
    flat = [route for chunk in chunks for route in chunk]
    assert sorted(r.url for r in flat) == sorted(r.url for r in routes)
    chunk_of: dict[str, int] = {}
    for index, chunk in enumerate(chunks):
        for route in chunk:
            slug = route.location_slug
            if slug is not None:
                assert chunk_of.setdefault(slug, index) == index  # a location in one chunk
    assert all(r.location_slug is None for r in flat[:programs])  # hubs of programs first


@pytest.mark.parametrize(
    ("locations", "jobs", "seed", "slow"),
    [(1000, 2, 1, 1500), (1000, 2, 2, 4000), (200, 2, 3, 300), (1000, 3, 4, 2000), (30, 2, 5, 0)],
)
def test_the_workers_finish_within_a_small_chunk_of_each_other(locations, jobs, seed, slow):
    """Pages do not cost the same (a location with a long text, a program's hub listing
    every location) and a core is not always the worker's alone, and the split cannot know
    either. With equal shares, one worker was left rendering for 0.27 s of 2.5 while the
    other idled (11,000 pages on this machine). Chunks that shrink toward the end keep the
    workers' finishing times within about the last chunk's cost of each other."""
    routes = site_routes(locations, 10)
    chunks = split(routes, jobs)
    rng = random.Random(seed)
    weight = {f"l{n}": rng.uniform(0.5, 2.0) for n in range(locations)}

    def cost(route: Route) -> float:  # a program's hub lists its locations: about 60
        slug = route.location_slug  # times a page's cost at 1,000 (measured)
        return 0.06 * locations if slug is None else weight[slug]

    done = finish_times(chunks, jobs, cost, slow_until=slow)
    assert max(done) - min(done) <= 2.0 * (MIN_CHUNK + 11)  # a last chunk, one location more
    if locations >= 200:
        sizes = [len(chunk) for chunk in chunks]
        assert sizes[0] > 4 * sizes[-1]  # large first, small last
    assert len(chunks) < 40  # not a chunk a page: each costs a round trip to a worker


def test_a_small_site_still_gives_each_job_a_chunk():
    """`--jobs 2` on a site of a few pages forks two workers (Ctrl+C's tests rely on it)."""
    routes = site_routes(2, 1)  # a program's hub, and two locations' hub and page
    assert len(split(routes, 2)) == 2
    assert len(split(site_routes(3, 10), 2)) >= 2


@pytest.mark.parametrize("jobs", [2, 3])
def test_a_location_with_many_pages_is_not_left_for_last(jobs):
    """A location's pages stay in one chunk, so one with many pages that came last in URL
    order left one worker rendering it alone (found by the second tester: 7,611 against an
    ideal 6,511 at 2 jobs); the largest locations go first."""
    routes = site_routes(1000, 10) + location_routes("zzz-large", 2000)
    chunks = split(routes, jobs)
    done = finish_times(chunks, jobs, lambda route: 1.0, slow_until=0)
    assert max(done) - len(routes) / jobs <= MIN_CHUNK + 11


def test_a_chunk_is_not_made_larger_than_its_share_by_a_location():
    """A small site: one page of no location and a location of three, at 2 jobs, is two
    chunks, not one of four."""
    routes = site_routes(1, 2)  # two programs' hubs, a location's hub and its two pages
    assert len(split(routes, 2)) == 2
