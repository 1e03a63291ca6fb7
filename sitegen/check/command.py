"""`python build.py check [DIR]` and `build --check`: which folder, whose settings, and
what the build knows about the pages (when the folder is ours)."""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BuildFailed, SiteError
from ..output import MARKER
from .model import PageSource, Thresholds
from .rules import RULES
from .runner import CheckOptions, CheckReport, run_check
from .sources import cache_path, load, page_sources, save

if TYPE_CHECKING:
    from ..model import SiteConfig


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


def remember_sources(
    root: Path, out: Path, sources: dict[str, PageSource] | dict[str, tuple]
) -> None:
    """After a build: what `check` needs to know about its pages, without reloading. Only a
    cache: a project folder that cannot be written to just makes the next check slower."""
    plain = {u: s if isinstance(s, tuple) else _as_tuple(s) for u, s in sources.items()}
    with contextlib.suppress(OSError):
        save(cache_path(out, "sources"), plain)


def _as_tuple(s: PageSource) -> tuple:
    return (s.source, s.line, s.noindex, s.group, s.terms, s.local_text)


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
    if not (root / "site.yaml").is_file():
        return run_check(options_from(None, folder, root, site_url, production, use_cache))
    sources = known_sources(root, folder) if is_ours(folder) else None
    options = _quick_options(root, folder, site_url, production, use_cache)
    if options is None or (sources is None and is_ours(folder)):
        from ..config import load_config  # the full validation, when needed

        config = load_config(root)
        errors = settings_errors(config)
        if errors:
            raise BuildFailed(errors)
        if sources is None and is_ours(folder):
            sources = _sources_from_project(root, folder)
        options = options_from(config, folder, root, site_url, production, use_cache)
    return run_check(options, sources or {})


def _quick_options(
    root: Path, folder: Path, site_url: str | None, production: bool, use_cache: bool
) -> CheckOptions | None:
    """The settings the checker needs from site.yaml, read without validating the whole
    file (a build did that) so that a re-check starts fast; None if anything looks off,
    and the full validation then says what."""
    import yaml

    try:
        text = (root / "site.yaml").read_text(encoding="utf-8")
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        check = data.get("check") or {}
        rules = {k: ("off" if v is False else v) for k, v in (check.get("rules") or {}).items()}
        thresholds = Thresholds(**(check.get("thresholds") or {}))
        base_url = str(data["base_url"]).rstrip("/")
    except (OSError, yaml.YAMLError, AttributeError, TypeError, KeyError):
        return None
    if any(r not in RULES or v not in ("error", "warning", "off") for r, v in rules.items()):
        return None
    values = dataclasses.astuple(thresholds)
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and v > 0 for v in values):
        return None
    return CheckOptions(
        folder,
        root,
        site_url or base_url,
        production,
        severities=rules,
        thresholds=thresholds,
        use_cache=use_cache,
    )


def _sources_from_project(root: Path, folder: Path) -> dict[str, PageSource]:
    from ..errors import ErrorList
    from ..pipeline import BuildOptions, load_site, route_site

    errors = ErrorList()
    site = load_site(BuildOptions(root=root, out=folder, drafts=True), [], errors)
    routes, _aliases = route_site(site, errors)
    sources = page_sources(site.content, routes)
    remember_sources(root, folder, sources)
    return sources
