"""Route -> HTML string: the page view of each kind of page, its body with components
filled in, and its layout rendered with the view models. Rendering returns strings; only
sitegen.write writes files."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from markupsafe import Markup

from sitegen.errors import SiteError
from sitegen.model.assets import AssetCatalog
from sitegen.model.deploy import Deploy
from sitegen.model.records import ContentText, SiteConfig, SiteContent
from sitegen.model.routes import (
    LocationRoute,
    PageRoute,
    ProgramAtLocationRoute,
    ProgramRoute,
    Route,
)
from sitegen.model.urls import is_not_found
from sitegen.render.head import Head
from sitegen.render.layouts import Layouts
from sitegen.render.pictures import content_pictures
from sitegen.render.seo import canonical_url
from sitegen.render.view_parts import (
    ancestors,
    image_ref_view,
    organization_view,
    section_pages,
)
from sitegen.render.viewmodels import EMPTY, SiteUrls, ViewMemo, ViewModels
from sitegen.render.views import ImageView, LinkView, PageView, evolve
from sitegen.text.components import fill_components, split_intro
from sitegen.text.policy import HtmlPolicy
from sitegen.text.renderer import ContentRenderer, RenderedMarkdown
from sitegen.text.variables import content_variables


def content_renderer(
    layouts: Layouts, catalog: AssetCatalog, iframe_hosts: Collection[str] = ()
) -> ContentRenderer:
    """The renderer of editors' texts for these layouts (their components) and assets (the
    sizes of images placed in Markdown), with the HTML policy that shows iframes of
    `iframe_hosts` (site.yaml's html.iframe_hosts)."""

    images = content_pictures(catalog)
    return ContentRenderer(layouts.component_names(), images, HtmlPolicy(iframe_hosts))


class PageRenderer:
    """Renders any route of one build to its HTML (raises SiteError with the file and line
    of a content or layout mistake)."""

    def __init__(
        self,
        config: SiteConfig,
        content: SiteContent,
        routes: list[Route],
        catalog: AssetCatalog,
        layouts: Layouts,
        deploy: Deploy | None = None,
        texts: ContentRenderer | None = None,  # kept by the dev server between rebuilds
        memo: ViewMemo | None = None,  # the same
    ):
        self.config = config
        self.content = content
        self.catalog = catalog
        self.layouts = layouts
        self.text = texts or content_renderer(layouts, catalog)
        self.lang = config.fields.language
        self.urls = SiteUrls(routes)
        self.sections = section_pages(content, routes)
        organization = organization_view(config)
        self.head = Head(config, catalog, deploy or Deploy(), organization)
        self.views = ViewModels(
            config, content, self.urls, catalog, self.text, self.head, organization, memo
        )

    def prepare(self) -> None:
        """Work every page of a program shares, done once before the pages are shared out
        among worker processes."""
        layout = f"{self.config.fields.layouts.program_at_location}.html"
        self.views.prepare(self.layouts.literal_ids(layout))

    def render(self, route: Route) -> str:
        """The page's complete HTML document; raises SiteError (a content text or layout
        mistake, at its file and line)."""
        match route:
            case ProgramAtLocationRoute():
                return self._program_at_location(route)
            case LocationRoute():
                return self._location_hub(route)
            case ProgramRoute():
                return self._program_hub(route)
            case PageRoute():
                return self._page(route)

    # -- one page per kind ------------------------------------------------------------

    def _program_at_location(self, route: ProgramAtLocationRoute) -> str:
        program = self.content.programs[route.program]
        location = self.content.locations[route.location]
        local = self.content.local_texts.get((location.slug, program.slug))
        variables = content_variables(self.config, program, location)
        pf, lf = program.fields, location.fields
        views = self.views
        described = views.text_of(local, "description") or views.text_of(program, "description")
        assert described is not None  # a program's description is required
        description = self.text.text(described, variables)
        banner = views.text_of(local, "banner") or views.text_of(program, "banner")
        program_view = views.program(program, local)
        if banner:
            program_view = evolve(program_view, banner=self.text.text(banner, variables))
        hero = local.fields.hero if local and local.fields.hero else pf.hero
        heading = f"{pf.title} in {lf.city}, {lf.state}"
        location_view = views.location(location)
        page = self._page_view(
            route,
            heading=heading,
            title_values={
                "heading": heading,
                "program": pf.title,
                "short_name": pf.short_name,
                "city": lf.city,
                "state": lf.state,
                "location": lf.name,
            },
            description=description,
            trail=((lf.name, self.urls.locations[location.slug]), (pf.short_name, None)),
            image=image_ref_view(self.catalog, hero),
            data=(self.head.clinic(location_view),),
        )
        layout_ids = self.layouts.literal_ids(f"{route.layout}.html")
        body = self.text.markdown(program.body, variables, layout_ids)
        if local:  # the local text's headings take no id of the layout's or the body's
            reserved = layout_ids | _ids_for(body, local.body)
            page = evolve(page, local=views.html(local.body, variables, reserved))
        context = {"program": program_view, "location": location_view}
        return self._with_body(route, page, context, body)

    def _location_hub(self, route: LocationRoute) -> str:
        location = self.content.locations[route.location]
        lf = location.fields
        view = self.views.location(location)
        heading = f"Treatment programs in {lf.city}, {lf.state}"
        page = self._page_view(
            route,
            heading=heading,
            title_values={
                "heading": heading,
                "city": lf.city,
                "state": lf.state,
                "location": lf.name,
            },
            description=lf.description,
            trail=((lf.name, None),),
            image=view.photos[0] if view.photos else None,
            content=view.about,
            data=(self.head.clinic(view),),
        )
        return self._layout(route, page, {"location": view})

    def _program_hub(self, route: ProgramRoute) -> str:
        program = self.content.programs[route.program]
        pf = program.fields
        view = self.views.program(program, None, hub=True)
        page = self._page_view(
            route,
            heading=pf.title,
            title_values={"heading": pf.title, "program": pf.title, "short_name": pf.short_name},
            description=pf.summary,
            trail=((pf.short_name, None),),
            image=view.hero,
        )
        return self._layout(route, page, {"program": view})

    def _page(self, route: PageRoute) -> str:
        source = self.content.pages[route.page]
        pf = source.fields
        home = route.url == self.urls.home
        variables = content_variables(self.config, None, None)
        described = self.views.text_of(source, "description")
        assert described is not None  # a page's description is required
        page = self._page_view(
            route,
            heading=pf.title,
            title_values={"heading": pf.title, "title": pf.title},
            description=self.text.text(described, variables),
            trail=() if home or is_not_found(route.url) else ((pf.title, None),),
            data=self.head.home() if home else (),
            home=home,
        )
        layout_ids = self.layouts.literal_ids(f"{route.layout}.html")
        body = self.text.markdown(source.body, variables, layout_ids)
        return self._with_body(route, page, {}, body)

    # -- shared steps -----------------------------------------------------------------

    def _page_view(
        self,
        route: Route,
        *,
        heading: str,
        title_values: dict[str, str],
        description: str,
        trail: tuple[tuple[str, str | None], ...],
        image: ImageView | None = None,
        content: Markup = EMPTY,
        local: Markup = EMPTY,
        data: tuple[Markup, ...] = (),
        home: bool = False,
    ) -> PageView:
        crumbs = [LinkView("Home", "/")] if self.urls.home and trail else []
        if trail and self.sections:  # the pages of the folders above the trail's first
            crumbs += [
                LinkView(title, url)
                for title, url in ancestors(self.sections, trail[0][1] or route.url)
            ]
        crumbs += [LinkView(title, url or route.url, url is None) for title, url in trail]
        if crumbs:
            data = (*data, self.head.breadcrumbs(crumbs))
        return PageView(
            kind=route.kind,
            url=route.url,
            canonical=canonical_url(self.config.base_url, route.url),
            title=self.head.title(route, title_values, home),
            heading=heading,
            description=description,
            breadcrumbs=tuple(crumbs),
            content=content,
            intro=content,
            body=EMPTY,
            local=local,
            image=image,
            lang=self.lang,
            structured_data=data,
            robots=self.head.robots(route),
            social=self.head.social(image),
            locale=self.head.locale,
        )

    def _with_body(
        self,
        route: Route,
        page: PageView,
        extra: Mapping[str, object],
        rendered: RenderedMarkdown,
    ) -> str:
        html = rendered.html
        if page.local and not any(c.name == "local" for c in rendered.components):
            intro, rest = split_intro(html)
            html = f"{intro}\n{page.local}\n{rest}"
        context = self._context(route, page, extra)
        html = fill_components(
            html, rendered.components, lambda name: self.layouts.render_component(name, context)
        )
        intro, rest = split_intro(html)
        page = evolve(page, content=Markup(html), intro=Markup(intro), body=Markup(rest))
        return self._layout(route, page, extra)

    def _layout(self, route: Route, page: PageView, extra: Mapping[str, object]) -> str:
        try:
            return self.layouts.render(f"{route.layout}.html", self._context(route, page, extra))
        except SiteError as error:
            raise self._chosen_layout(route, error) from None

    def _chosen_layout(self, route: Route, error: SiteError) -> SiteError:
        """`error`, or, when an ordinary page chose (`layout:`) a layout made for another
        kind of page and it reads what that kind has (`location`, `program`), that
        mistake, at the page's `layout:` value: the layout itself is right."""
        if not isinstance(route, PageRoute):
            return error
        source = self.content.pages[route.page]
        missing = _UNDEFINED.match(error.message)
        if not source.fields.layout or missing is None or missing[1] not in _OTHER_KINDS:
            return error
        default = self.config.fields.layouts.page
        return SiteError(
            f"layout '{route.layout}' is made for another kind of page: it reads "
            f"'{missing[1]}', which an ordinary page does not have ({error.source})",
            source.doc.value_ref(("layout",)),
            f"choose a layout made for pages, such as '{default}', or leave out 'layout:' "
            f"to use '{default}'",
        )

    def _context(
        self, route: Route, page: PageView, extra: Mapping[str, object]
    ) -> dict[str, object]:
        return {"site": self.views.site(route.url), "page": page, **extra}


_UNDEFINED = re.compile(r"undefined in layout: '([^']+)' is undefined")
_OTHER_KINDS = frozenset({"location", "program"})  # what pages of other kinds are given
_MAY_HAVE_IDS = re.compile(r"#|<h[1-6]|\n[=-]|\[\^|\bid=")


def _ids_for(body: RenderedMarkdown, other: ContentText) -> frozenset[str]:
    """The ids of `body` that a heading or footnote of the text `other` could otherwise
    take (none when `other` has neither: then they do not matter)."""
    if not _MAY_HAVE_IDS.search(other.text):
        return frozenset()
    return body.ids
