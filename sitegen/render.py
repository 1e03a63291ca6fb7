"""Route -> HTML string: builds each page's view objects and renders its layout.

Rendering returns strings; only the output module writes files. Everything that does not
depend on the page (cards, a program's view, a location's view) is built once and shared.
"""

from __future__ import annotations

import contextlib
from functools import cached_property

from markupsafe import Markup

from .assets import AssetCatalog
from .deploy import Deploy
from .errors import SiteError
from .head import Head
from .layouts import Layouts
from .markup import ContentRenderer, fill_components, split_intro
from .model import ContentText, LocalText, Location, Program, Route, SiteConfig, SiteContent
from .model import text_at as _at
from .routes import is_not_found
from .seo import canonical_url
from .usstates import US_STATES
from .variables import content_variables
from .views import (
    BenefitView,
    FaqView,
    ImageView,
    LinkView,
    LocationCard,
    LocationView,
    PageView,
    ProgramCard,
    ProgramView,
    QuoteView,
    SiteView,
    evolve,
    image_ref_view,
    image_view,
    location_card,
    navigation,
    organization_view,
    phone_view,
    program_card,
)

_EMPTY = Markup("")


def content_renderer(layouts: Layouts, catalog: AssetCatalog) -> ContentRenderer:
    """The renderer of editors' texts for these layouts (their components) and assets (the
    sizes of images placed in Markdown)."""

    def image_size(url: str) -> tuple[int, int] | None:
        """The size of an image of assets/ by its URL (/assets/images/x.svg), if known."""
        name = url.removeprefix("/assets/")
        if name == url or not catalog.has(name):
            return None
        try:
            return catalog.image_size(name)
        except (OSError, ValueError):
            return None  # not an image the catalogue can measure: left as the editor wrote it

    return ContentRenderer(layouts.component_names(), image_size)


class SiteRenderer:
    def __init__(
        self,
        config: SiteConfig,
        content: SiteContent,
        routes: list[Route],
        catalog: AssetCatalog,
        layouts: Layouts,
        deploy: Deploy | None = None,
        texts: ContentRenderer | None = None,  # kept by the dev server between rebuilds
    ):
        self.config = config
        self.content = content
        self.catalog = catalog
        self.layouts = layouts
        self.text = texts or content_renderer(layouts, catalog)
        self.lang = config.fields.language
        self.pair_urls = {
            (r.program, r.location): r.url for r in routes if r.kind == "program_at_location"
        }
        self.program_urls = {r.program: r.url for r in routes if r.kind == "program"}
        self.location_urls = {r.location: r.url for r in routes if r.kind == "location"}
        self.home_url = "/" if any(r.url == "/" for r in routes) else None
        self.organization = organization_view(config)
        self.head = Head(config, catalog, deploy or Deploy(), self.organization)
        self.programs = sorted(
            content.programs.values(), key=lambda p: (p.fields.order, p.fields.title)
        )
        self.locations = sorted(
            content.locations.values(), key=lambda loc: (loc.fields.order, loc.fields.name)
        )
        self._program_views: dict[str, ProgramView] = {}
        self._location_views: dict[str, LocationView] = {}
        self._site_views: dict[str | None, SiteView] = {}
        self._nav_urls = {item.url for item in config.fields.navigation}
        self._texts: dict[tuple[int, str], ContentText | None] = {}

    # -- the whole site ---------------------------------------------------------------

    def prepare(self) -> None:
        """Work every page of a program shares, done once before the pages are shared out
        among worker processes: program views and program bodies."""
        for program in self.programs:
            with contextlib.suppress(SiteError):  # reported with its page, by the worker
                self._program_view(program, None)
                self.text.prepare(program.body)

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
        variables = content_variables(self.config, program, location)
        pf, lf = program.fields, location.fields
        description = self.text.text(
            self._text_of(local, "description") or self._text_of(program, "description"),
            variables,
        )
        banner = self._text_of(local, "banner") or self._text_of(program, "banner")
        program_view = self._program_view(program, local)
        if banner:
            program_view = evolve(program_view, banner=self.text.text(banner, variables))
        hero = local.fields.hero if local and local.fields.hero else pf.hero
        heading = f"{pf.title} in {lf.city}, {lf.state}"
        location_view = self._location_view(location)
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
            trail=((lf.name, self.location_urls[location.slug]), (pf.short_name, None)),
            image=image_ref_view(self.catalog, hero),
            local=self._html(local.body, variables) if local else _EMPTY,
            data=(self.head.clinic(location_view),),
        )
        context = {"program": program_view, "location": location_view}
        return self._with_body(route, page, context, program.body, variables)

    def _location_hub(self, route: Route) -> str:
        location = self.content.locations[route.location]
        lf = location.fields
        view = self._location_view(location)
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

    def _program_hub(self, route: Route) -> str:
        program = self.content.programs[route.program]
        pf = program.fields
        view = self._program_view(program, None, hub=True)
        page = self._page_view(
            route,
            heading=pf.title,
            title_values={"heading": pf.title, "program": pf.title, "short_name": pf.short_name},
            description=pf.summary,
            trail=((pf.short_name, None),),
            image=view.hero,
        )
        return self._layout(route, page, {"program": view})

    def _page(self, route: Route) -> str:
        source = self.content.pages[route.page]
        pf = source.fields
        home = route.url == self.home_url
        page = self._page_view(
            route,
            heading=pf.title,
            title_values={"heading": pf.title, "title": pf.title},
            description=pf.description,
            trail=() if home or is_not_found(route.url) else ((pf.title, None),),
            data=self.head.home() if home else (),
            home=home,
        )
        variables = content_variables(self.config, None, None)
        return self._with_body(route, page, {}, source.body, variables)

    # -- shared steps -----------------------------------------------------------------

    def _page_view(
        self,
        route: Route,
        *,
        heading: str,
        title_values: dict[str, str],
        description: str,
        trail: tuple,
        image: ImageView | None = None,
        content: Markup = _EMPTY,
        local: Markup = _EMPTY,
        data: tuple[Markup, ...] = (),
        home: bool = False,
    ) -> PageView:
        crumbs = [LinkView("Home", "/")] if self.home_url and trail else []
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
            body=_EMPTY,
            local=local,
            image=image,
            lang=self.lang,
            structured_data=data,
            robots=self.head.robots(route),
            social=self.head.social(image),
            locale=self.head.locale,
        )

    def _with_body(self, route, page: PageView, extra, body: ContentText, variables) -> str:
        rendered = self.text.markdown(body, variables)
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

    def _layout(self, route: Route, page: PageView, extra: dict[str, object]) -> str:
        return self.layouts.render(f"{route.layout}.html", self._context(route, page, extra))

    def _context(self, route: Route, page: PageView, extra: dict[str, object]) -> dict:
        return {"site": self._site_view(route), "page": page, **extra}

    def _site_view(self, route: Route) -> SiteView:
        """The site's view; one object per navigation state (which menu item is current)."""
        current = route.url if route.url in self._nav_urls else None
        view = self._site_views.get(current)
        if view is None:
            nav = navigation(self.config, route.url)
            f = self.config.fields
            view = self._site_views[current] = SiteView(
                name=f.name,
                base_url=f.base_url,
                language=f.language,
                organization=self.organization,
                navigation=nav,
                programs=self.program_cards,
                locations=self.location_cards,
            )
        return view

    @cached_property
    def program_cards(self) -> tuple[ProgramCard, ...]:
        return tuple(
            program_card(p, self.program_urls[p.slug], self.catalog) for p in self.programs
        )

    @cached_property
    def location_cards(self) -> tuple[LocationCard, ...]:
        return tuple(location_card(loc, self.location_urls[loc.slug]) for loc in self.locations)

    def _program_view(
        self, program: Program, local: LocalText | None, hub: bool = False
    ) -> ProgramView:
        """The program's view without its banner (which may name a city); a local text's
        FAQ entries are added to the shared view. FAQ markup: see ProgramView.faq_schema."""
        view = self._program_views.get(program.slug)
        if view is None:
            view = self._program_views[program.slug] = self._build_program_view(program)
        if hub:
            return evolve(view, faq_schema=self.head.faq(view.faq))
        if local and local.fields.faq:
            variables = content_variables(self.config, program, None)
            extra = tuple(self._faq(local, variables))
            view = evolve(view, faq=view.faq + extra, faq_schema=self.head.faq(extra))
        return view

    def _build_program_view(self, program: Program) -> ProgramView:
        f = program.fields
        variables = content_variables(self.config, program, None)  # no city: hub pages too
        return ProgramView(
            slug=program.slug,
            title=f.title,
            short_name=f.short_name,
            summary=f.summary,
            url=self.program_urls[program.slug],
            hero=image_ref_view(self.catalog, f.hero),
            banner=None,
            benefits=tuple(
                BenefitView(b.title, b.text, image_view(self.catalog, b.image, b.alt))
                for b in f.benefits
            ),
            quote=QuoteView(f.quote.text, f.quote.attribution) if f.quote else None,
            faq=tuple(self._faq(program, variables)),
            locations=tuple(
                location_card(
                    loc, self.location_urls[loc.slug], self.pair_urls[(program.slug, loc.slug)]
                )
                for loc in self.locations
                if (program.slug, loc.slug) in self.pair_urls
            ),
        )

    def _faq(self, record: Program | LocalText, variables: dict[str, object]):
        for i, item in enumerate(record.fields.faq):
            answer = self._html(_at(record, ("faq", i, "answer"), item.answer), variables)
            yield FaqView(item.question, answer)

    def _location_view(self, location: Location) -> LocationView:
        if location.slug in self._location_views:
            return self._location_views[location.slug]
        f = location.fields
        variables = content_variables(self.config, None, location)
        about = self._html(_at(location, ("about",), f.about), variables) if f.about else _EMPTY
        view = LocationView(
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
        self._location_views[location.slug] = view
        return view

    def _text_of(self, record: Program | LocalText | None, name: str) -> ContentText | None:
        """A text field of a front matter as ContentText, at the line of its value."""
        if record is None:
            return None
        key = (id(record), name)  # records live as long as the renderer
        if key not in self._texts:
            value = getattr(record.fields, name)
            self._texts[key] = _at(record, (name,), value) if value else None
        return self._texts[key]

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
