"""The Jinja environment of layouts/, and errors that point at a layout's file and line."""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import sys
import traceback
from collections.abc import Iterable, Mapping, MutableMapping
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

from sitegen.errors import SiteError, SourceRef, relative_path
from sitegen.model.assets import AssetCatalog
from sitegen.model.facts import spoken_list
from sitegen.model.project import COMPONENTS_DIR as COMPONENTS
from sitegen.model.project import LAYOUTS_DIR
from sitegen.render.hours import readable_hours
from sitegen.render.pictures import picture_helper
from sitegen.render.seo import json_for_script
from sitegen.text.template import unclosed_block

CONTRACT = "see docs/content-format.md, 'What layouts receive'"
MAX_CACHED_COMPONENTS = 20_000  # a worker's cache stays a few MB on the largest sites
MAX_KEY_ITEMS = 50
MAX_SAME = 10_000  # cached() partials kept by the identity of their keys
MAX_PICTURES = 10_000  # picture() markups kept per build (about 20 MB at most)


@dataclass(frozen=True)
class ComponentReads:
    """The context variables a component reads: for each, the attributes it reads
    (`program.banner`), or None when it uses the variable in another way."""

    fields: dict[str, tuple[str, ...] | None]


def reads_of(tree: nodes.Template, global_names: Iterable[str]) -> ComponentReads:
    """What a parsed component reads from its context: each variable that is not one of
    `global_names`, with the attributes read from it, or None when it is also used whole
    (passed on, looped over, indexed)."""
    undeclared = meta.find_undeclared_variables(tree) - set(global_names)
    loads = {name: 0 for name in undeclared}
    attrs: dict[str, set[str]] = {name: set() for name in undeclared}
    for name in tree.find_all(nodes.Name):
        if name.name in loads:
            loads[name.name] += 1
    for get in tree.find_all(nodes.Getattr):
        if isinstance(get.node, nodes.Name) and get.node.name in attrs:
            attrs[get.node.name].add(get.attr)
            loads[get.node.name] -= 1  # a plain attribute read, not a use of the whole
    return ComponentReads(
        {name: tuple(sorted(attrs[name])) if loads[name] == 0 else None for name in undeclared}
    )


_REFERENCED = re.compile(
    r"""\{%-?\s*(?:extends|include|import|from)\s+["']([^"']+)["']|cached\(\s*["']([^"']+)["']"""
)
_LITERAL_ID = re.compile(r"""\bid=["']([A-Za-z][\w.:-]*)["']""")
MAX_ESCAPED = 10_000  # strings whose escaped form is kept (about 2 MB at most)
_escaped: dict[str, Markup] = {}


def fast_escape(value: object) -> Markup:
    """markupsafe.escape with the same results, in a third of the time for what layouts
    print most. Markup is returned as it is (it is immutable and escaped already); a str's
    escaped form is kept, since most strings a page prints (the site's name, the menu, a
    program's title, a location's address) are the very same objects on every page."""
    if type(value) is str:
        found = _escaped.get(value)
        if found is None:
            found = escape(value)
            if len(_escaped) >= MAX_ESCAPED:  # full of older pages' strings: start again
                _escaped.clear()
            _escaped[value] = found
        return found
    if type(value) is Markup:
        return value
    return escape(value)


class LayoutTemplate(Template):
    """Templates whose output tags use `fast_escape`."""

    @classmethod
    def from_code(cls, environment, code, globals, uptodate=None):  # type: ignore[no-untyped-def]
        """Jinja's from_code, with the compiled template's `escape` made fast_escape."""
        template = super().from_code(environment, code, globals, uptodate)
        template.root_render_func.__globals__["escape"] = fast_escape
        return template


class LayoutContext(Context):
    """Jinja's template context, with a shorter way to call what layouts call on every
    page: a helper that takes no context (asset_url, picture) is called directly, and a
    partial that cached() has rendered already is returned without the derived context (a
    dict of every variable) Jinja would make for the call. Macros are called as Jinja
    calls them (a shortcut would need Jinja's private attributes)."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Context.call, in fewer steps for plain helpers and cached() hits."""
        kind = getattr(__obj, "sitegen_call", None)
        if kind is _CACHED:
            if args:  # the same objects (a site's navigation) found by identity first
                same = (args[0], *map(id, args[1:]))  # unique: the entry keeps `args` alive
                kept = __obj.same.get(same)
                if kept is not None:
                    return kept[1]
                found = __obj.fragments.get((args[0], args[1:]))
                if found is not None:
                    if len(__obj.same) < MAX_SAME:
                        __obj.same[same] = (args, found)
                    return found
        elif kind is _PLAIN:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined(_STOPPED)
        return super().call(__obj, *args, **kwargs)


_STOPPED = "value was undefined because a callable raised a StopIteration exception"
_PLAIN = "plain"  # a helper called with its arguments only
_CACHED = "cached"  # cached(): its hits need no context


class LayoutEnvironment(Environment):
    """Jinja's environment, tuned for rendering thousands of pages with the same layouts."""

    template_class = LayoutTemplate
    context_class = LayoutContext

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._loaded: dict[str, Template] = {}  # by name: see get_template

    def get_template(
        self,
        name: str | Template,
        parent: str | None = None,
        globals: MutableMapping[str, Any] | None = None,
    ) -> Template:
        """Jinja's get_template, from a plain dict once a layout is loaded: layouts load,
        extend and import several templates on every page, and with auto_reload off a
        loaded template is never read again anyway."""
        if globals is None and type(name) is str:
            found = self._loaded.get(name)
            if found is None:
                found = self._loaded[name] = super().get_template(name, parent)
            return found
        return super().get_template(name, parent, globals)

    def make_globals(self, d):  # type: ignore[no-untyped-def]
        """A plain dict instead of Jinja's ChainMap: every `{% from ... import %}` compares
        the template's globals with the importer's, which costs a ChainMap several times
        what it costs a dict. Globals are all set before the first layout is loaded."""
        return {**self.globals, **(d or {})}


class LayoutProblem(Exception):
    """Raised by a layout helper (asset_url of a missing file)."""


class Layouts:
    """The Jinja layouts of a project (layouts/, autoescaped, StrictUndefined), with the
    helpers they may call: asset_url, absolute_url, json_ld and cached, and the filters
    without, readable_hours and spoken_list. A mistake in a layout is raised as a SiteError at the
    layout's file and line."""

    def __init__(self, root: Path, catalog: AssetCatalog, base_url: str):
        self.root = root
        self.folder = root / LAYOUTS_DIR
        self.env = LayoutEnvironment(
            loader=FileSystemLoader(str(self.folder)),
            undefined=StrictUndefined,
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # one build never sees a layout change; saves a stat per include
        )

        def asset_url(name: str) -> str:
            try:
                return catalog.url(name)
            except KeyError as exc:
                raise LayoutProblem(exc.args[0]) from None

        def absolute_url(path: str) -> str:
            return base_url + path if path.startswith("/") else path

        def json_ld(data: object) -> Markup:
            if isinstance(data, Markup):  # page.structured_data: serialised already
                return data
            return Markup(json_for_script(data))

        self._fragments: dict[tuple, Markup] = {}
        self._same_fragments: dict[tuple, tuple[tuple, Markup]] = {}  # see LayoutContext.call
        # what chain, literal_ids and component_reads found, by name: kept with this object
        # (a functools.cache on the methods kept every Layouts a process made, its
        # environment and templates with it: about 340 KB a build in the resident process)
        self._chains: dict[str, tuple[tuple[str, str], ...]] = {}
        self._literal_ids: dict[str, frozenset[str]] = {}
        self._component_reads: dict[str, ComponentReads] = {}
        fragments = self._fragments

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

        pictures = picture_helper(catalog)

        made: dict[tuple, Markup] = {}
        plan = [catalog.pictures]  # what `made` was made from (a rebuild may plan anew)

        def picture(image: object, slot: str, priority: bool = False, **attrs: object) -> Markup:
            """render.pictures.picture_helper's picture(), its mistakes at the layout's line;
            made once for each image, slot and attributes (a program's hero is the same on
            a thousand pages)."""
            if plan[0] is not catalog.pictures:
                made.clear()
                plan[0] = catalog.pictures
            try:
                named = ((k, type(v), v) for k, v in sorted(attrs.items()))
                key = (image, slot, bool(priority), *named)
                found = made.get(key)
            except TypeError:  # an unhashable value: made every time
                key, found = None, None
            if found is None:
                try:
                    found = pictures(image, slot, priority, **attrs)
                except KeyError as exc:
                    raise LayoutProblem(exc.args[0]) from None
                if key is not None and len(made) < MAX_PICTURES:
                    made[key] = found
            return found

        for helper in (asset_url, absolute_url, json_ld, picture):
            setattr(helper, "sitegen_call", _PLAIN)  # noqa: B010 - read by LayoutContext.call
        setattr(cached, "sitegen_call", _CACHED)  # noqa: B010
        setattr(cached, "fragments", fragments)  # noqa: B010
        setattr(cached, "same", self._same_fragments)  # noqa: B010
        self.env.filters["without"] = without
        self.env.filters["readable_hours"] = readable_hours
        self.env.filters["spoken_list"] = spoken_list  # as the content variables word lists
        self.env.globals.update(
            asset_url=asset_url,
            absolute_url=absolute_url,
            json_ld=json_ld,
            cached=cached,
            picture=picture,
        )
        self._component_cache: dict[tuple, Markup] = {}
        self._component_ids: dict[tuple, tuple[tuple, Markup]] = {}  # see render_component
        self.folders = _folders(self.folder)

    def start_build(self) -> None:
        """Forget what the last build rendered (the dev server renders many builds with the
        same layouts): the partials of `cached()`, whose keys (a location's slug, the
        navigation) stand for their content within one build only, and the components, so
        that their cache holds this build's values and not a long session's."""
        self._fragments.clear()
        self._same_fragments.clear()
        self._component_cache.clear()
        self._component_ids.clear()

    def attributes_read(self, name: str, variable: str) -> set[str]:
        """The attributes of `variable` (`program.faq` -> faq) that the layout `name` reads,
        itself or through the templates it extends, includes, imports or renders through
        cached() (found in their text: a read in a Jinja comment counts too)."""
        read = re.compile(rf"\b{re.escape(variable)}\.([A-Za-z_]\w*)")
        return {attr for source in self._sources_of(name) for attr in read.findall(source)}

    def _sources_of(self, name: str) -> tuple[str, ...]:
        """The sources of the layout `name`'s chain (see `chain`)."""
        return tuple(source for _name, source in self.chain(name))

    def chain(self, name: str) -> tuple[tuple[str, str], ...]:
        """(template name, source) of the layout `name` and of every template it names with
        a fixed name (extends, include, import, from, cached), the layout first; one that
        cannot be read is left out (its error is reported elsewhere). Found once."""
        found = self._chains.get(name)
        if found is None:
            found = self._chains[name] = self._chain(name)
        return found

    def _chain(self, name: str) -> tuple[tuple[str, str], ...]:
        sources: list[tuple[str, str]] = []
        seen: set[str] = set()
        pending = [name]
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            try:
                assert self.env.loader is not None  # set in __init__
                source = self.env.loader.get_source(self.env, current)[0]
            except (TemplateError, OSError):
                continue
            sources.append((current, source))
            pending += [a or b for a, b in _REFERENCED.findall(source)]
        return tuple(sources)

    def literal_ids(self, name: str) -> frozenset[str]:
        """Every id written as is (`<section id="contact">`) in the layout `name` and the
        templates it extends, includes, imports or renders through cached(): a heading of
        an editor's text on its pages never takes one, or a link to it would land
        elsewhere. Found once."""
        kept = self._literal_ids.get(name)
        if kept is None:
            found: set[str] = set()
            for source in self._sources_of(name):
                found.update(_LITERAL_ID.findall(source))
            kept = self._literal_ids[name] = frozenset(found)
        return kept

    def component_names(self) -> set[str]:
        """The components editors may place with {{ component("name") }}: the .html files
        of layouts/components/, without .html (none without that folder)."""
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
        """The layout `name` (a path in layouts/, page.html) rendered with `context`.
        Raises SiteError, at the innermost layout line when known, for an undefined value,
        a missing file, a missing asset or another error raised while rendering."""
        try:
            return self.env.get_template(name).render(context)
        except (TemplateError, LayoutProblem, TypeError, ValueError, LookupError) as exc:
            raise self._error(exc) from None

    def render_component(self, name: str, context: Mapping[str, object]) -> Markup:
        """A component's HTML. It is rendered once for each set of values it reads (the
        program's benefits are the same on a thousand pages), when those can be told.
        The very objects a page passes (a program's benefits: one tuple on every page of
        the program) find their HTML by identity first, without hashing what they hold."""
        parts = self._component_parts(name, context)
        key: tuple | None = None
        if parts is not None:
            same = (name, *map(id, parts))  # unique: the entry keeps `parts` alive
            kept = self._component_ids.get(same)
            if kept is not None:
                return kept[1]
            key = (name, *(item for part in parts for item in (type(part), part)))
            try:  # one hash of the values (a program's benefits are many values to hash)
                found = self._component_cache.get(key)
            except TypeError:  # a value that cannot be hashed
                key = found = None
            if found is not None:
                if len(self._component_ids) < MAX_CACHED_COMPONENTS:
                    self._component_ids[same] = (parts, found)
                return found
        html = Markup(self.render(f"{COMPONENTS}/{name}.html", context).strip())
        full = len(self._component_cache) >= MAX_CACHED_COMPONENTS
        if key is not None and parts is not None and not full:
            self._component_cache[key] = html
            self._component_ids[same] = (parts, html)
        return html

    def _component_parts(self, name: str, context: Mapping[str, object]) -> tuple | None:
        """The values `name` reads from `context` (its key, with their types: see
        render_component); None when they cannot be told (a variable used other than by
        reading its attributes, or a long tuple)."""
        parts: list[object] = []
        for variable, fields in self.component_reads(name).fields.items():
            if fields is None or variable not in context:
                return None
            value = context[variable]
            for field in fields:
                part = getattr(value, field, None)
                if isinstance(part, tuple) and len(part) > MAX_KEY_ITEMS:
                    return None  # hashing it for every page would cost more than rendering
                parts.append(part)
        return tuple(parts)

    def component_reads(self, name: str) -> ComponentReads:
        """What a component reads, so that the renderer knows when it can reuse its HTML.
        Found once."""
        kept = self._component_reads.get(name)
        if kept is None:
            assert self.env.loader is not None  # set in __init__
            source = self.env.loader.get_source(self.env, f"{COMPONENTS}/{name}.html")[0]
            kept = self._component_reads[name] = reads_of(self.env.parse(source), self.env.globals)
        return kept

    def _error(self, exc: Exception) -> SiteError:
        if isinstance(exc, TemplateSyntaxError):
            path = Path(exc.filename) if exc.filename else self.folder / str(exc.name)
            source = exc.source or ""
            block = unclosed_block(exc, source)
            if block is not None:  # Jinja named the line where it noticed
                name, offset = block
                return SiteError(
                    f"layout syntax error: the {{% {name} %}} opened on this line is not "
                    f"closed ({exc.message})",
                    SourceRef(relative_path(path, self.root), source.count("\n", 0, offset) + 1),
                    f"end what it shows with {{% end{name} %}}",
                )
            return SiteError(
                f"layout syntax error: {exc.message}",
                SourceRef(relative_path(path, self.root), exc.lineno),
                "check that every {% ... %} block is closed and every {{ ... }} is complete",
            )
        where = self._innermost_layout_frame(exc)
        if isinstance(exc, UndefinedError):
            names = re.findall(r"'([^']+)'", exc.message or "")  # the last: the missing name
            where = self._with_column(where, names[-1] if names else None)
            return SiteError(f"undefined in layout: {exc.message}", where, _undefined_hint(exc))
        if isinstance(exc, TemplateNotFound):
            return SiteError(
                f"layout file not found: {exc.name}",
                where,
                _close(str(exc.name), self.env.list_templates()),
            )
        return SiteError(
            f"error in layout: {exc}",
            self._with_column(where, None),
            "a tag on this line failed with the values of this page; test the value first "
            "({% if ... %}) or change the expression",
        )

    def _with_column(self, where: SourceRef | None, word: str | None) -> SourceRef | None:
        """`where` (a layout file and line) with the 1-based column of `word` on that line,
        or else of the line's first tag; as it was when neither is there."""
        if where is None or where.line is None:
            return where
        try:
            lines = (self.root / where.path).read_text(encoding="utf-8").split("\n")
            line = lines[where.line - 1]
        except (OSError, UnicodeDecodeError, IndexError):
            return where
        found = re.search(rf"\b{re.escape(word)}\b", line) if word else None
        found = found or re.search(r"\{\{|\{%", line)
        return where.at(where.line, found.start() + 1) if found else where

    def _innermost_layout_frame(self, exc: BaseException) -> SourceRef | None:
        """The layout file and line the error was raised at (the innermost frame in a file
        of layouts/, whether the project was named by a relative or an absolute path)."""
        folder = os.path.realpath(self.folder) + os.sep
        root = Path(os.path.realpath(self.root))
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            real = os.path.realpath(frame.filename)
            if real.startswith(folder):
                return SourceRef(relative_path(Path(real), root), frame.lineno)
        return None


def _undefined_hint(exc: UndefinedError) -> str:
    missing = re.search(r"'([\w.]+) object' has no attribute '(\w+)'", exc.message or "")
    if missing:
        fields = _view_fields(missing.group(1))
        close = difflib.get_close_matches(missing.group(2), fields, n=1, cutoff=0.6)
        if close:
            return f"did you mean '{close[0]}'? that field does not exist; {CONTRACT}"
        return f"that field does not exist; {CONTRACT}"
    return f"use {{% if ... %}} for optional values; {CONTRACT}"


def _view_fields(qualified: str) -> list[str]:
    """The public fields and properties of the view class named `qualified` (a class of
    sitegen's, as Jinja names it in its message); none for another."""
    module, _, name = qualified.rpartition(".")
    found = getattr(sys.modules.get(module), name, None) if module.startswith("sitegen.") else None
    if not isinstance(found, type):
        return []
    names = (
        {f.name for f in dataclasses.fields(found)} if dataclasses.is_dataclass(found) else set()
    )
    names |= {n for n, v in vars(found).items() if isinstance(v, property)}
    return sorted(n for n in names if not n.startswith("_"))


def _close(name: str, choices: list[str]) -> str | None:
    found = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return f"did you mean '{found[0]}'?" if found else None


def _folders(top: Path) -> frozenset[Path]:
    """The folders under `top` (partials/, components/, ...), as they are now: the dev
    server tells a folder of layouts renamed or deleted since from a tool's scratch file."""
    found: set[Path] = set()
    for folder, names, _files in os.walk(top):
        found.update(Path(folder, name) for name in names)
    return frozenset(found)
