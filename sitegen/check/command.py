"""`python build.py check [DIR]` and `build --check`: which folder, whose settings, and
what the build knows about the pages (its manifest, when the folder is ours)."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.check.model import CheckOptions, CheckReport
from sitegen.check.runner import run_check
from sitegen.errors import ErrorList, UsageError
from sitegen.lock import output_lock, waiting_line
from sitegen.manifest import Manifest, load_manifest, page_sources, save_manifest
from sitegen.model.check_rules import RULES
from sitegen.model.journal import journal_path
from sitegen.model.project import CONFIG_FILE, MARKER
from sitegen.rules.model import Thresholds

if TYPE_CHECKING:  # annotations only: `check` starts without pydantic and the schema
    from sitegen.model.records import SiteConfig, SiteContent
    from sitegen.model.routes import Route


def options_from(
    config: SiteConfig | None,
    folder: Path,
    root: Path,
    site_url: str | None,
    production: bool,
    use_cache: bool = True,
) -> CheckOptions:
    """The checker's settings: site.yaml's `check` section when there is a site.yaml."""
    if config is None:
        return CheckOptions(folder, root, site_url, production, use_cache=use_cache)
    c = config.fields.check
    return CheckOptions(
        folder,
        root,
        site_url,
        production,
        base_url=config.base_url,
        severities=dict(c.rules),
        thresholds=Thresholds(**c.thresholds.model_dump()),
        use_cache=use_cache,
    )


def is_ours(folder: Path) -> bool:
    """Whether the generator made `folder` (it holds the output marker)."""
    return (folder / MARKER).is_file()


@contextmanager
def reading(folder: Path) -> Iterator[None]:
    """Hold `folder`'s lock shared for the block (a build into it waits, and a build
    running into it is waited for, with a line on stderr), refusing a half-committed
    folder: one a build was stopped in while moving its files in (its journal is still
    beside it), which holds part of the old site and part of the new. Raises UsageError."""

    def waiting() -> None:
        print(waiting_line(folder), file=sys.stderr)

    with output_lock(folder, shared=True, waiting=waiting):
        journal = journal_path(folder)
        if journal.exists():
            raise UsageError(
                f"{folder} is half-committed: a build was stopped while moving its files in, "
                f"so it holds part of the old site and part of the new (its journal "
                f"{journal} is still there); build into it again (python build.py build "
                f"--out {folder}), which first finishes that commit, then check"
            )
        yield


def check_build(options: CheckOptions, content: SiteContent, routes: list[Route]) -> CheckReport:
    """`build --check`: the build's own routes give each page's source. Raises UsageError
    for a half-committed folder (`reading`)."""
    with reading(options.folder):
        return run_check(options, page_sources(content, routes))


def check_command(
    folder: Path, root: Path, site_url: str | None, production: bool, use_cache: bool
) -> CheckReport:
    """`check DIR`: settings from site.yaml when the project has one; the pages' sources
    when the folder is this project's output (else the rules that need them are skipped).
    Raises BuildFailed when site.yaml (or, without a manifest, the project) has errors, and
    UsageError for a half-committed folder (`reading`)."""
    with reading(folder):
        return _check_folder(folder, root, site_url, production, use_cache)


def _check_folder(
    folder: Path, root: Path, site_url: str | None, production: bool, use_cache: bool
) -> CheckReport:
    if not (root / CONFIG_FILE).is_file():
        return run_check(options_from(None, folder, root, site_url, production, use_cache))
    sources = load_manifest(folder) if is_ours(folder) else None
    options = _quick_options(root, folder, site_url, production, use_cache)
    if options is None or (sources is None and is_ours(folder)):
        config, found = _project(root, folder, with_manifest=sources is None and is_ours(folder))
        sources = sources if found is None else found
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
        text = (root / CONFIG_FILE).read_text(encoding="utf-8")
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        check = data.get("check") or {}
        rules = {k: ("off" if v is False else v) for k, v in (check.get("rules") or {}).items()}
        thresholds = Thresholds(**(check.get("thresholds") or {}))
        base_url = str(data["base_url"]).rstrip("/")
    except (OSError, yaml.YAMLError, AttributeError, TypeError, KeyError, ValueError):
        return None
    if any(r not in RULES or v not in ("error", "warning", "off") for r, v in rules.items()):
        return None
    if not _sound(thresholds):
        return None
    return CheckOptions(
        folder,
        root,
        site_url,
        production,
        base_url=base_url,
        severities=rules,
        thresholds=thresholds,
        use_cache=use_cache,
    )


def _project(root: Path, folder: Path, with_manifest: bool) -> tuple[SiteConfig, Manifest | None]:
    """site.yaml validated, and with `with_manifest` the manifest of the project's pages
    (loaded and routed as a build would, drafts included), saved for the next check."""
    from sitegen import pipeline  # the build's public steps, imported only when needed

    if not with_manifest:
        config = pipeline.load_settings(root)
        return config, None
    errors = ErrorList()
    options = pipeline.BuildOptions(root=root, out=folder, drafts=True)
    site = pipeline.load_site(options, [], errors)
    routes, _aliases = pipeline.route_site(site, errors)
    manifest = page_sources(site.content, routes)
    save_manifest(folder, manifest)
    return site.config, manifest


def _sound(thresholds: Thresholds) -> bool:
    """Whether thresholds read without validation meet site.yaml's schema
    (CheckThresholdsFields): whole numbers of 1 or more, similarities in (0, 1], and
    image_oversize a number of 1 or more."""
    for field in dataclasses.fields(thresholds):
        value = getattr(thresholds, field.name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        if field.name in ("near_duplicate", "doorway"):
            if not 0 < value <= 1:
                return False
        elif field.name == "image_oversize":
            if value < 1:
                return False
        elif not isinstance(value, int) or value < 1:
            return False
    return True
