"""Route -> HTML string: builds each page's view objects and renders its layout.

Rendering returns strings; only the output module writes files.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from markupsafe import Markup

from .assets import AssetCatalog
from .errors import SiteError
from .layouts import Layouts
from .markup import ContentRenderer, fill_components, split_intro
from .model import ContentText, LocalText, Location, Program, Route, SiteConfig, SiteContent
from .seo import breadcrumb_list, canonical_url
from .usstates import US_STATES
from .views import (
    BenefitView,
    FaqView,
    LinkView,
    LocationView,
    PageView,
    ProgramView,
    QuoteView,
    SiteView,
    image_ref_view,
    image_view,
    location_card,
    navigation,
    organization_view,
    phone_view,
    program_card,
)


@dataclass(frozen=True)
class RenderedPage:
    route: Route
    html: str


class SiteRenderer:
    def __init__(
        self,
        config: SiteConfig,
        content: SiteContent,
        routes: list[Route],
        catalog: AssetCatalog,
        layouts: Layouts,
    ):
        self.config = config
        self.content = content
        self.catalog = catalog
        self.layouts = layouts
        self.text = ContentRenderer(layouts.component_names())
        self.pair_urls = {
            (r.program, r.location): r.url for r in routes if r.kind == "program_at_location"
        }
        self.program_urls = {r.program: r.url for r in routes if r.kind == "program"}
        self.location_urls = {r.location: r.url for r in routes if r.kind == "location"}
        self.home_url = "/" if any(r.url == "/" for r in routes) else None
        self.organization = organization_view(config)
        self.programs = sorted(
            content.programs.values(), key=lambda p: (p.fields.order, p.fields.title)
        )
        self.locations = sorted(
            content.locations.values(), key=lambda loc: (loc.fields.order, loc.fields.name)
        )

    # -- the whole site ---------------------------------------------------------------

    def render_all(self, routes: list[Route]) -> tuple[list[RenderedPage], list[SiteError]]:
        pages: list[RenderedPage] = []
        errors: dict[tuple, SiteError] = {}
        for route in routes:
            try:
                pages.append(RenderedPage(route, self.render(route)))
            except SiteError as error:
                errors.setdefault((str(error.source), error.message), error)
        return pages, list(errors.values())

    def render(self, route: Route) -> str:
        if route.kind == "program_at_location":
            return self._program_at_location(route)
        if route.kind == "location":
            return self._location_hub(route)
        if route.kind == "program":
            return self._program_hub(route)
        return self._page(route)

    # -- one page per kind ------------------------------------------------------------

    def _program_at_location(self, route: Route) -> str:
        program = self.content.programs[route.program]
        location = self.content.locations[route.location]
        local = self.content.local_texts.get((location.slug, program.slug))
        variables = self._variables(program, location)
        pf, lf = program.fields, location.fields
        description = self.text.text(
            _field_text(local, "description") or _field_text(program, "description"), variables
        )
        hero = local.fields.hero if local and local.fields.hero else pf.hero
        local_html = self._html(local.body, variables) if local else Markup("")
        program_view = self._program_view(program, variables, local, current=location.slug)
        location_view = self._location_view(location, variables)
        page = PageView(
            kind=route.kind,
            url=route.url,
            canonical=self._canonical(route),
            title=f"{pf.title} in {lf.city}, {lf.state}",
            heading=f"{pf.title} in {lf.city}, {lf.state}",
            description=description,
            breadcrumbs=self._crumbs(
                route, (lf.name, self.location_urls.get(location.slug)), (pf.short_name, None)
            ),
            content=Markup(""),
            intro=Markup(""),
            body=Markup(""),
            local=local_html,
            image=image_ref_view(self.catalog, hero),
            lang=self.config.fields.language,
        )
        context = {"program": program_view, "location": location_view}
        return self._with_body(route, page, context, program.body, variables, place_local=True)

    def _location_hub(self, route: Route) -> str:
        location = self.content.locations[route.location]
        lf = location.fields
        variables = self._variables(None, location)
        view = self._location_view(location, variables)
        page = PageView(
            kind=route.kind,
            url=route.url,
            canonical=self._canonical(route),
            title=f"Treatment programs in {lf.city}, {lf.state}",
            heading=f"Treatment programs in {lf.city}, {lf.state}",
            description=lf.description,
            breadcrumbs=self._crumbs(route, (lf.name, None)),
            content=view.about,
            intro=view.about,
            body=Markup(""),
            local=Markup(""),
            image=view.photos[0] if view.photos else None,
            lang=self.config.fields.language,
        )
        return self._layout(route, page, {"location": view})

    def _program_hub(self, route: Route) -> str:
        program = self.content.programs[route.program]
        pf = program.fields
        view = self._program_view(program, self._variables(program, None), None, current=None)
        page = PageView(
            kind=route.kind,
            url=route.url,
            canonical=self._canonical(route),
            title=pf.title,
            heading=pf.title,
            description=pf.summary,
            breadcrumbs=self._crumbs(route, (pf.short_name, None)),
            content=Markup(""),
            intro=Markup(""),
            body=Markup(""),
            local=Markup(""),
            image=view.hero,
            lang=self.config.fields.language,
        )
        return self._layout(route, page, {"program": view})

    def _page(self, route: Route) -> str:
        source = self.content.pages[route.page]
        pf = source.fields
        variables = self._variables(None, None)
        is_home = route.url == self.home_url
        page = PageView(
            kind=route.kind,
            url=route.url,
            canonical=self._canonical(route),
            title=pf.title,
            heading=pf.title,
            description=pf.description,
            breadcrumbs=() if is_home else self._crumbs(route, (pf.title, None)),
            content=Markup(""),
            intro=Markup(""),
            body=Markup(""),
            local=Markup(""),
            image=None,
            lang=self.config.fields.language,
        )
        return self._with_body(route, page, {}, source.body, variables, place_local=False)

    # -- shared steps -----------------------------------------------------------------

    def _with_body(self, route, page, extra, body: ContentText, variables, place_local) -> str:
        rendered = self.text.markdown(body, variables)
        if place_local and page.local and not any(c.name == "local" for c in rendered.components):
            intro, rest = split_intro(rendered.html)
            rendered.html = f"{intro}\n{page.local}\n{rest}"
        context = self._context(route, page, extra)
        html = fill_components(
            rendered.html,
            rendered.components,
            lambda name: self.layouts.render_component(name, context),
        )
        intro, rest = split_intro(html)
        page = dataclasses.replace(
            page, content=Markup(html), intro=Markup(intro), body=Markup(rest)
        )
        return self._layout(route, page, extra)

    def _layout(self, route: Route, page: PageView, extra: dict[str, object]) -> str:
        if len(page.breadcrumbs) > 1:
            crumbs = [(c.title, c.url) for c in page.breadcrumbs]
            data = (breadcrumb_list(crumbs, self.config.base_url),)
            page = dataclasses.replace(page, structured_data=data)
        return self.layouts.render(f"{route.layout}.html", self._context(route, page, extra))

    def _context(self, route: Route, page: PageView, extra: dict[str, object]) -> dict[str, object]:
        return {"site": self._site_view(route), "page": page, **extra}

    def _site_view(self, route: Route) -> SiteView:
        f = self.config.fields
        return SiteView(
            name=f.name,
            base_url=f.base_url,
            language=f.language,
            organization=self.organization,
            navigation=navigation(self.config, route.url),
            programs=tuple(
                program_card(p, self.program_urls[p.slug], self.catalog) for p in self.programs
            ),
            locations=tuple(
                location_card(loc, self.location_urls[loc.slug]) for loc in self.locations
            ),
        )

    def _program_view(
        self, program: Program, variables, local: LocalText | None, current: str | None
    ) -> ProgramView:
        f = program.fields
        banner_text = _field_text(local, "banner") or _field_text(program, "banner")
        faq_variables = self._variables(program, None)  # answers show on the hub page too
        faq_sources = [(item, program, i) for i, item in enumerate(f.faq)]
        if local:
            faq_sources += [(item, local, i) for i, item in enumerate(local.fields.faq)]
        return ProgramView(
            slug=program.slug,
            title=f.title,
            short_name=f.short_name,
            summary=f.summary,
            url=self.program_urls[program.slug],
            hero=image_ref_view(self.catalog, f.hero),
            banner=self.text.text(banner_text, variables) if banner_text and current else None,
            benefits=tuple(
                BenefitView(b.title, b.text, image_view(self.catalog, b.image, b.alt))
                for b in f.benefits
            ),
            quote=QuoteView(f.quote.text, f.quote.attribution) if f.quote else None,
            faq=tuple(
                FaqView(
                    item.question,
                    self._html(_at(rec, ("faq", i, "answer"), item.answer), faq_variables),
                )
                for item, rec, i in faq_sources
            ),
            locations=tuple(
                location_card(
                    loc, self.location_urls[loc.slug], self.pair_urls[(program.slug, loc.slug)]
                )
                for loc in self.locations
                if (program.slug, loc.slug) in self.pair_urls and loc.slug != current
            ),
        )

    def _location_view(self, location: Location, variables) -> LocationView:
        f = location.fields
        about = self._html(_at(location, ("about",), f.about), variables) if f.about else Markup("")
        return LocationView(
            slug=location.slug,
            name=f.name,
            city=f.city,
            state=f.state,
            state_name=US_STATES[f.state],
            url=self.location_urls[location.slug],
            summary=f.summary,
            about=about,
            photos=tuple(image_ref_view(self.catalog, p) for p in f.photos),
            phone=phone_view(f.phone) if f.phone else self.organization.phone,
            address=f.address,
            geo=f.geo,
            hours=tuple(f.hours),
            programs=tuple(
                program_card(p, self.pair_urls[(p.slug, location.slug)], self.catalog)
                for p in self.programs
                if (p.slug, location.slug) in self.pair_urls
            ),
        )

    def _html(self, text: ContentText, variables: dict[str, object]) -> Markup:
        """Markdown without components (FAQ answers, local texts, a location's about)."""
        rendered = self.text.markdown(text, variables)
        if rendered.components:
            raise SiteError(
                "components can only be placed in the body of a program or page",
                text.source,
                "remove the {{ component(...) }} call from this text",
            )
        return Markup(rendered.html)

    def _variables(self, program: Program | None, location: Location | None) -> dict[str, object]:
        org = self.config.fields.organization
        variables: dict[str, object] = {
            "site_name": self.config.fields.name,
            "phone": org.phone,
            "text_phone": org.text_phone or org.phone,
        }
        if location:
            lf = location.fields
            variables.update(
                city=lf.city,
                state=lf.state,
                state_name=US_STATES[lf.state],
                location_name=lf.name,
                phone=lf.phone or org.phone,
            )
        if program:
            variables.update(program=program.fields.title, short_name=program.fields.short_name)
        return variables

    def _canonical(self, route: Route) -> str | None:
        return canonical_url(self.config.base_url, route.url)

    def _crumbs(self, route: Route, *trail: tuple[str, str | None]) -> tuple[LinkView, ...]:
        crumbs = [LinkView("Home", "/")] if self.home_url else []
        crumbs += [LinkView(title, url or route.url, current=url is None) for title, url in trail]
        return tuple(crumbs)


def _field_text(record: Program | LocalText | None, name: str) -> ContentText | None:
    """A text field of a front matter as ContentText, starting at the line of its value."""
    if record is None:
        return None
    value = getattr(record.fields, name)
    return _at(record, (name,), value) if value else None


def _at(record, path: tuple, value: str) -> ContentText:
    doc = record.doc
    return ContentText(value, doc.source.at(doc.text_start_line(path)))
