"""The Jinja environment of layouts/, and errors that point at a layout's file and line."""

from __future__ import annotations

import difflib
import functools
import re
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    meta,
    nodes,
    pass_context,
)
from jinja2.runtime import Context
from markupsafe import Markup, escape
from markupsafe import _escape_inner as _escape_str

from .assets import AssetCatalog
from .errors import SiteError, SourceRef, relative_path
from .seo import json_for_script

LAYOUTS_DIR = "layouts"
COMPONENTS = "components"
CONTRACT = "see docs/content-format.md, 'What layouts receive'"


@dataclass(frozen=True)
class ComponentReads:
    variables: frozenset[str]
    program_fields: frozenset[str] | None  # None: the whole `program` object is used


def _getattr_count(tree: nodes.Template) -> int:
    return sum(
        1
        for g in tree.find_all(nodes.Getattr)
        if isinstance(g.node, nodes.Name) and g.node.name == "program"
    )


def fast_escape(value: object, _new=str.__new__) -> Markup:
    """markupsafe.escape with the same results, in half the time for the two types layouts
    print most: str, and Markup (returned as it is, since Markup is immutable). A layout
    page prints a hundred or more values; this saves about a fifth of its render time."""
    kind = type(value)
    if kind is str:
        return _new(Markup, _escape_str(value))
    if kind is Markup:
        return value  # type: ignore[return-value]
    return escape(value)


class LayoutTemplate(Template):
    """Templates whose output tags use `fast_escape`."""

    @classmethod
    def from_code(cls, environment, code, globals, uptodate=None):  # type: ignore[no-untyped-def]
        template = super().from_code(environment, code, globals, uptodate)
        template.root_render_func.__globals__["escape"] = fast_escape
        return template


class LayoutProblem(Exception):
    """Raised by a layout helper (asset_url of a missing file)."""


class Layouts:
    def __init__(self, root: Path, catalog: AssetCatalog, base_url: str):
        self.root = root
        self.folder = root / LAYOUTS_DIR
        self.env = Environment(
            loader=FileSystemLoader(str(self.folder)),
            undefined=StrictUndefined,
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # one build never sees a layout change; saves a stat per include
        )
        self.env.template_class = LayoutTemplate

        def asset_url(name: str) -> str:
            try:
                return catalog.url(name)
            except KeyError as exc:
                raise LayoutProblem(exc.args[0]) from None

        def absolute_url(path: str) -> str:
            return base_url + path if path.startswith("/") else path

        def json_ld(data: object) -> Markup:
            return Markup(json_for_script(data))

        fragments: dict[tuple, Markup] = {}

        @pass_context
        def cached(context: Context, name: str, *key: object) -> Markup:
            """The partial `name`, rendered once per `key` (like Hugo's partialCached): for
            fragments that repeat on many pages, such as the header, footer and contact form.
            Everything the partial shows must be fixed by `key`."""
            html = fragments.get((name, key))
            if html is None:
                html = Markup(self.env.get_template(name).render(context.get_all()))
                fragments[(name, key)] = html
            return html

        def without(items: Iterable[Any], slug: str) -> list[Any]:
            """The items whose slug is not `slug` (a faster `rejectattr('slug', ...)`)."""
            return [item for item in items if item.slug != slug]

        self.env.filters["without"] = without
        self.env.globals.update(
            asset_url=asset_url, absolute_url=absolute_url, json_ld=json_ld, cached=cached
        )
        self._component_cache: dict[tuple, Markup] = {}

    def component_names(self) -> set[str]:
        folder = self.folder / COMPONENTS
        return {p.stem for p in folder.glob("*.html")} if folder.is_dir() else set()

    def syntax_errors(self) -> list[SiteError]:
        """Compile every layout now, so a typo is reported with the content errors."""
        errors = []
        for name in self.env.list_templates(extensions=["html", "xml", "txt"]):
            try:
                self.env.get_template(name)
            except TemplateSyntaxError as exc:
                errors.append(self._error(exc))
        return errors

    def render(self, name: str, context: Mapping[str, object]) -> str:
        try:
            return self.env.get_template(name).render(context)
        except (TemplateError, LayoutProblem, TypeError, ValueError, LookupError) as exc:
            raise self._error(exc) from None

    def render_component(
        self, name: str, context: Mapping[str, object], cache_key: tuple | None = None
    ) -> Markup:
        """A component's HTML; rendered once per `cache_key` when one is given."""
        if cache_key is not None and (name, cache_key) in self._component_cache:
            return self._component_cache[(name, cache_key)]
        html = Markup(self.render(f"{COMPONENTS}/{name}.html", context).strip())
        if cache_key is not None:
            self._component_cache[(name, cache_key)] = html
        return html

    @functools.cache  # noqa: B019 - one Layouts per build
    def component_reads(self, name: str) -> ComponentReads:
        """What a component reads, so that the renderer knows when it can reuse its HTML."""
        source = self.env.loader.get_source(self.env, f"{COMPONENTS}/{name}.html")[0]
        tree = self.env.parse(source)
        program_names = [n for n in tree.find_all(nodes.Name) if n.name == "program"]
        fields = {
            g.attr
            for g in tree.find_all(nodes.Getattr)
            if isinstance(g.node, nodes.Name) and g.node.name == "program"
        }
        return ComponentReads(
            frozenset(meta.find_undeclared_variables(tree)),
            frozenset(fields)
            if len(fields) and len(program_names) == _getattr_count(tree)
            else None,
        )

    def _error(self, exc: Exception) -> SiteError:
        if isinstance(exc, TemplateSyntaxError):
            path = Path(exc.filename) if exc.filename else self.folder / str(exc.name)
            return SiteError(
                f"layout syntax error: {exc.message}",
                SourceRef(relative_path(path, self.root), exc.lineno),
                "check that every {% ... %} block is closed and every {{ ... }} is complete",
            )
        where = self._innermost_layout_frame(exc)
        if isinstance(exc, UndefinedError):
            return SiteError(f"undefined in layout: {exc.message}", where, _undefined_hint(exc))
        if isinstance(exc, TemplateNotFound):
            return SiteError(
                f"layout file not found: {exc.name}",
                where,
                _close(exc.name, self.env.list_templates()),
            )
        return SiteError(f"error in layout: {exc}", where)

    def _innermost_layout_frame(self, exc: BaseException) -> SourceRef | None:
        folder = str(self.folder.resolve())
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.startswith(folder):
                return SourceRef(relative_path(Path(frame.filename), self.root), frame.lineno)
        return None


def _undefined_hint(exc: UndefinedError) -> str:
    if re.search(r"has no attribute", exc.message or ""):
        return f"that field does not exist; {CONTRACT}"
    return f"use {{% if ... %}} for optional values; {CONTRACT}"


def _close(name: str, choices: list[str]) -> str | None:
    found = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return f"did you mean '{found[0]}'?" if found else None
