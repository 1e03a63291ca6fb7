"""`python build.py check [DIR]` and `build --check`: which folder, whose settings, and
what the build knows about the pages (when the folder is ours)."""

from __future__ import annotations

import contextlib
import difflib
from pathlib import Path

from ..errors import SiteError
from ..model import SiteConfig
from ..output import MARKER
from .model import PageSource, Thresholds
from .rules import RULES
from .runner import CheckOptions, CheckReport, run_check
from .sources import cache_path, load, page_sources, save


def settings_errors(config: SiteConfig) -> list[SiteError]:
    """Unknown rule ids in site.yaml's check.rules, at their line."""
    errors = []
    for rule in config.fields.check.rules:
        if rule not in RULES:
            close = difflib.get_close_matches(rule, list(RULES), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "rules: " + ", ".join(RULES)
            errors.append(
                SiteError(
                    f"unknown check rule '{rule}'", config.doc.ref(("check", "rules", rule)), hint
                )
            )
    return errors


def options_from(
    config: SiteConfig | None,
    folder: Path,
    root: Path,
    site_url: str | None,
    production: bool,
    use_cache: bool = True,
) -> CheckOptions:
    if config is None:
        return CheckOptions(folder, root, site_url, production, use_cache=use_cache)
    c = config.fields.check
    return CheckOptions(
        folder,
        root,
        site_url or config.base_url,
        production,
        severities=dict(c.rules),
        thresholds=Thresholds(**c.thresholds.model_dump()),
        use_cache=use_cache,
    )


def is_ours(folder: Path) -> bool:
    return (folder / MARKER).is_file()


def remember_sources(root: Path, out: Path, sources: dict[str, PageSource]) -> None:
    """After a build: what `check` needs to know about its pages, without reloading. Only a
    cache: a project folder that cannot be written to just makes the next check slower."""
    with contextlib.suppress(OSError):
        save(
            cache_path(out, "sources"),
            {url: (s.source, s.line, s.noindex, s.group, s.terms) for url, s in sources.items()},
        )


def known_sources(root: Path, folder: Path) -> dict[str, PageSource] | None:
    found = load(cache_path(folder, "sources"))
    if not isinstance(found, dict):
        return None
    return {url: PageSource(*values) for url, values in found.items()}


def check_build(options: CheckOptions, content, routes) -> CheckReport:
    """`build --check`: the build's own routes give each page's source."""
    sources = page_sources(content, routes)
    remember_sources(options.root, options.folder, sources)
    return run_check(options, sources)


def check_command(
    folder: Path, root: Path, site_url: str | None, production: bool, use_cache: bool
) -> CheckReport:
    """`check DIR`: settings from site.yaml when the project has one; the pages' sources
    when the folder is this project's output (else the rules that need them are skipped)."""
    from ..config import CONFIG_FILE, load_config

    config = load_config(root) if (root / CONFIG_FILE).is_file() else None
    sources = None
    if config is not None and is_ours(folder):
        sources = known_sources(root, folder) or _sources_from_project(root, folder)
    options = options_from(config, folder, root, site_url, production, use_cache)
    return run_check(options, sources or {})


def _sources_from_project(root: Path, folder: Path) -> dict[str, PageSource]:
    from ..errors import ErrorList
    from ..pipeline import BuildOptions, load_site, route_site

    errors = ErrorList()
    site = load_site(BuildOptions(root=root, out=folder, drafts=True), [], errors)
    routes, _aliases = route_site(site, errors)
    sources = page_sources(site.content, routes)
    remember_sources(root, folder, sources)
    return sources
