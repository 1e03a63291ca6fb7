"""The view models of one build: the plain objects layouts receive for the site, each
program and each location, built from the records once and shared by every page that
shows them (a program's view is the same on a thousand location pages)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import cached_property

from markupsafe import Markup

from sitegen.errors import SiteError
from sitegen.memo import RecordMemo, per_record
from sitegen.model.assets import AssetCatalog
from sitegen.model.records import (
    ContentText,
    LocalText,
    Location,
    Page,
    Program,
    SiteConfig,
    SiteContent,
)
from sitegen.model.records import text_at as _at
from sitegen.model.routes import (
    LocationRoute,
    ProgramAtLocationRoute,
    ProgramRoute,
    Route,
)
from sitegen.render.head import Head
from sitegen.render.view_parts import (
    image_ref_view,
    image_view,
    location_card,
    navigation,
    phone_view,
    program_card,
)
from sitegen.render.views import (
    AddressView,
    BenefitView,
    FaqView,
    GeoView,
    LocationCard,
    LocationView,
    OrganizationView,
    ProgramCard,
    ProgramView,
    QuoteView,
    SiteView,
    evolve,
)
from sitegen.text.renderer import ContentRenderer
from sitegen.text.variables import content_variables

EMPTY = Markup("")


class SiteUrls:
    """The URL of each page by what it shows."""

    def __init__(self, routes: list[Route]):
        self.pairs: dict[tuple[str, str], str] = {}
        self.programs: dict[str, str] = {}
        self.locations: dict[str, str] = {}
        self.home: str | None = None
        for route in routes:  # isinstance: a third faster than `match` here
            if isinstance(route, ProgramAtLocationRoute):
                self.pairs[(route.program, route.location)] = route.url
            elif isinstance(route, ProgramRoute):
                self.programs[route.program] = route.url
            elif isinstance(route, LocationRoute):
                self.locations[route.location] = route.url
            if route.url == "/":
                self.home = "/"


class ViewMemo:
    """What the views of one build take over from the last one's (sitegen.memo): each
    location's card, by location record, and each program's copy of it (linking to the
    program's page there), by card; and each program's list of those copies, by program
    slug, with the cards and pages it was made from (`program_lists`: the same list when
    they are equal, compared by value)."""

    def __init__(self) -> None:
        self.cards: RecordMemo[Location, LocationCard] = RecordMemo()
        self.program_cards: dict[str, RecordMemo[LocationCard, LocationCard]] = {}
        self.program_lists: dict[str, tuple[tuple, tuple, tuple[LocationCard, ...]]] = {}


class ViewModels:
    """Builds and keeps the views of one build's site, programs and locations."""

    def __init__(
        self,
        config: SiteConfig,
        content: SiteContent,
        urls: SiteUrls,
        catalog: AssetCatalog,
        texts: ContentRenderer,
        head: Head,
        organization: OrganizationView,
        memo: ViewMemo | None = None,
    ):
        self.config = config
        self.content = content
        self.urls = urls
        self.catalog = catalog
        self.texts = texts
        self.head = head
        self.organization = organization
        self.programs = content.programs_in_order()
        self.locations = content.locations_in_order()
        self._program_views: dict[str, ProgramView] = {}
        self._location_views: dict[str, LocationView] = {}
        self._site_views: dict[str | None, SiteView] = {}
        self._nav_urls = {item.url for item in config.fields.navigation}
        self._texts: dict[tuple[int, str], ContentText | None] = {}
        self.memo = memo  # None: a build of its own, which keeps nothing for a next one
        if memo is not None:
            for slug in set(memo.program_cards) - set(content.programs):
                del memo.program_cards[slug]  # a program removed: nothing to take over
            for slug in set(memo.program_lists) - set(content.programs):
                del memo.program_lists[slug]

    def prepare(self, reserved: frozenset[str] = frozenset()) -> None:
        """Build the views every page of a program shares, and convert the program bodies
        (their headings taking none of the `reserved` ids, the layout's), before the pages
        are shared out among worker processes."""
        for program in self.programs:
            with contextlib.suppress(SiteError):  # reported with its page, by the worker
                self.program(program, None)
                self.texts.prepare(program.body, reserved)

    def site(self, url: str) -> SiteView:
        """The site's view; one object per navigation state (which menu item is current)."""
        current = url if url in self._nav_urls else None
        view = self._site_views.get(current)
        if view is None:
            f = self.config.fields
            view = self._site_views[current] = SiteView(
                name=f.name,
                base_url=f.base_url,
                language=f.language,
                organization=self.organization,
                navigation=navigation(self.config, url),
                programs=self.program_cards,
                locations=self.location_cards,
            )
        return view

    @cached_property
    def program_cards(self) -> tuple[ProgramCard, ...]:
        """Every program's card, linking to its hub, in site order (`site.programs`)."""
        return tuple(
            program_card(p, self.urls.programs[p.slug], self.catalog) for p in self.programs
        )

    @cached_property
    def _hub_cards(self) -> dict[str, ProgramCard]:
        """Every program's card by its slug, linking to its hub."""
        return {card.slug: card for card in self.program_cards}

    @cached_property
    def location_cards(self) -> tuple[LocationCard, ...]:
        """Every location's card, linking to its hub, in site order (`site.locations`)."""
        hubs = self.urls.locations

        def card(location: Location) -> LocationCard:
            return location_card(location, hubs[location.slug])

        memo = self.memo.cards if self.memo is not None else None
        return tuple(per_record(memo, self.locations, lambda loc: hubs[loc.slug], card))

    def program(self, program: Program, local: LocalText | None, hub: bool = False) -> ProgramView:
        """The program's view without its banner (which may name a city); a local text's
        FAQ entries are added to the shared view. FAQ markup: see ProgramView.faq_schema."""
        view = self._program_views.get(program.slug)
        if view is None:
            view = self._program_views[program.slug] = self._build_program(program)
        if hub:
            return evolve(view, faq_schema=self.head.faq(view.faq))
        if local and local.fields.faq:
            variables = content_variables(self.config, program, None)
            extra = tuple(self._faq(local, variables))
            view = evolve(view, faq=view.faq + extra, faq_schema=self.head.faq(extra))
        return view

    def _build_program(self, program: Program) -> ProgramView:
        f = program.fields
        variables = content_variables(self.config, program, None)  # no city: hub pages too
        return ProgramView(
            slug=program.slug,
            title=f.title,
            short_name=f.short_name,
            summary=f.summary,
            url=self.urls.programs[program.slug],
            hero=image_ref_view(self.catalog, f.hero),
            banner=None,
            benefits=tuple(
                BenefitView(b.title, b.text, image_view(self.catalog, b.image, b.alt))
                for b in f.benefits
            ),
            quote=QuoteView(f.quote.text, f.quote.attribution) if f.quote else None,
            faq=tuple(self._faq(program, variables)),
            locations=self._program_cards(program.slug),
        )

    def _program_cards(self, slug: str) -> tuple[LocationCard, ...]:
        """The card of each location offering program `slug`, copied with the program's
        page there."""
        pairs = self.urls.pairs
        offering = tuple(card for card in self.location_cards if (slug, card.slug) in pairs)
        pages = tuple(pairs[(slug, card.slug)] for card in offering)
        if self.memo is None:
            return tuple(evolve(c, program_url=url) for c, url in zip(offering, pages, strict=True))
        last = self.memo.program_lists.get(slug)
        if last is not None and last[0] == offering and last[1] == pages:  # equal values:
            return last[2]  # cards of plain fields, all compared
        memo = self.memo.program_cards.setdefault(slug, RecordMemo())

        def page(card: LocationCard) -> str:
            return pairs[(slug, card.slug)]

        cards = tuple(per_record(memo, offering, page, lambda c: evolve(c, program_url=page(c))))
        self.memo.program_lists[slug] = (offering, pages, cards)
        return cards

    def _faq(self, record: Program | LocalText, variables: dict[str, object]) -> Iterator[FaqView]:
        for i, item in enumerate(record.fields.faq):
            question = self.texts.text(
                _at(record, ("faq", i, "question"), item.question), variables
            )
            where = _at(record, ("faq", i, "answer"), item.answer)
            kind = "local-faq" if isinstance(record, LocalText) else "faq"
            answer = self.html(where, variables, namespace=f"{kind}{i + 1}")
            yield FaqView(question, answer)

    def location(self, location: Location) -> LocationView:
        """The location's view, built once: its about text as HTML, its phone (else the
        organization's), and cards of the programs offered there, each linking to its
        program-at-location page. Raises SiteError for a mistake in the about text."""
        if location.slug in self._location_views:
            return self._location_views[location.slug]
        f = location.fields
        variables = content_variables(self.config, None, location)
        about = (
            self.html(_at(location, ("about",), f.about), variables, namespace="about")
            if f.about
            else EMPTY
        )
        pairs = self.urls.pairs
        view = LocationView(
            slug=location.slug,
            name=f.name,
            city=f.city,
            state=f.state,
            state_name=location.state_name,
            url=self.urls.locations[location.slug],
            summary=f.summary,
            about=about,
            photos=tuple(image_ref_view(self.catalog, p) for p in f.photos),
            phone=phone_view(f.phone) if f.phone else self.organization.phone,
            address=AddressView(f.address.street, f.address.postal_code) if f.address else None,
            geo=GeoView(f.geo.latitude, f.geo.longitude) if f.geo else None,
            hours=tuple(f.hours),
            programs=tuple(  # the hub's cards, linking to the pages here
                evolve(self._hub_cards[p.slug], url=pairs[(p.slug, location.slug)])
                for p in self.programs
                if (p.slug, location.slug) in pairs
            ),
        )
        self._location_views[location.slug] = view
        return view

    def text_of(self, record: Program | LocalText | Page | None, name: str) -> ContentText | None:
        """A text field of a front matter as ContentText, at the line of its value."""
        if record is None:
            return None
        key = (id(record), name)  # records live as long as the view models
        if key not in self._texts:
            value = getattr(record.fields, name)
            self._texts[key] = _at(record, (name,), value) if value else None
        return self._texts[key]

    def html(
        self,
        text: ContentText,
        variables: dict[str, object],
        reserved: frozenset[str] = frozenset(),
        namespace: str = "",
    ) -> Markup:
        """Markdown without components (FAQ answers, local texts, a location's about), its
        headings taking none of the `reserved` ids (those of the page's other texts), or
        their ids in `namespace` (text.namespaces: for a text shown on several pages)."""
        rendered = self.texts.markdown(text, variables, reserved, namespace)
        if rendered.components:
            raise SiteError(
                "components can only be placed in the body of a program or page",
                text.source,
                "remove the {{ component(...) }} call from this text",
            )
        return Markup(rendered.html)
