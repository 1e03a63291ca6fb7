"""What a page's <head> says to search engines and social networks: the document title,
robots, the shared-link picture and JSON-LD, ready for the layouts to print."""

from __future__ import annotations

import re

from markupsafe import Markup

from sitegen.model.assets import RASTER_TYPES, AssetCatalog
from sitegen.model.deploy import Deploy
from sitegen.model.images import MEDIA_TYPES
from sitegen.model.records import Route, SiteConfig
from sitegen.render import jsonld as sd
from sitegen.render.pictures import href
from sitegen.render.seo import json_for_script
from sitegen.render.titles import document_title
from sitegen.render.view_parts import image_ref_view
from sitegen.render.views import (
    FaqView,
    ImageView,
    LinkView,
    LocationView,
    OrganizationView,
    SocialImageView,
)

MAX_CRUMBS = 10_000  # breadcrumb items kept (a location's is on each of its pages)


class Head:
    """The <head> parts of one build's pages: document titles, meta robots, the shared-link
    picture (Open Graph, https://ogp.me) and JSON-LD. What many pages share (a picture's
    og:image, a location's clinic, the home page's nodes) is made once and reused.
    JSON-LD URLs are production ones; a preview's pictures are its own."""

    def __init__(
        self,
        config: SiteConfig,
        catalog: AssetCatalog,
        deploy: Deploy,
        organization: OrganizationView,
    ):
        self.config = config
        self.deploy = deploy
        self.organization = organization
        self.catalog = catalog
        self.base_url = config.base_url  # production: canonical URLs and JSON-LD
        # absolute URLs of pictures: a preview shows its own files, production the site's
        self.asset_base = deploy.url if deploy.url and not deploy.production else self.base_url
        seo = config.fields.seo
        self.default_image = image_ref_view(catalog, seo.image) if seo.image else None
        logo = config.fields.organization.logo
        self.logo_url = self.base_url + catalog.url(logo) if logo else None
        self.locale = config.fields.language.replace("-", "_")
        self._clinics: dict[str, Markup] = {}
        self._social: dict[ImageView | None, SocialImageView | None] = {}
        self._home: tuple[Markup, ...] | None = None
        self._crumbs: dict[tuple[str, str, int], str] = {}

    def title(self, route: Route, values: dict[str, str], home: bool) -> str:
        """The page's <title>: site.yaml's seo.titles pattern of its kind (`home` for the
        home page) filled in with `values`, the site's and the organization's names."""
        return document_title(self.config, "home" if home else route.kind, values)

    def robots(self, route: Route) -> str | None:
        """The content of <meta name="robots">: "noindex" for drafts, noindex pages and every
        page of a preview build, else None (no tag: indexable)."""
        return "noindex" if route.noindex or not self.deploy.production else None

    def social(self, image: ImageView | None) -> SocialImageView | None:
        """The page's own picture when social networks can show it, else the site's (the
        same object for every page with the same picture: the head's shared part is then
        rendered once per picture)."""
        if image in self._social:
            return self._social[image]
        found = self._social[image] = self._social_of(image)
        return found

    def _social_of(self, image: ImageView | None) -> SocialImageView | None:
        for candidate in (image, self.default_image):
            if candidate is None:
                continue
            crop = self.catalog.pictures.social.get((candidate.asset, candidate.focus))
            if crop is not None:
                url = self.asset_base + href(crop.url)  # a name with spaces: one valid URL
                media = MEDIA_TYPES[crop.format]
                return SocialImageView(url, candidate.alt, crop.width, crop.height, media)
            kind = RASTER_TYPES.get(_suffix(candidate.src))
            if kind:
                url = self.asset_base + href(candidate.src)
                return SocialImageView(url, candidate.alt, candidate.width, candidate.height, kind)
        return None

    def home(self) -> tuple[Markup, ...]:
        """The organisation and the web site, on the home page."""
        if self._home is None:
            f = self.config.fields
            org = sd.organization(
                self.base_url, self.organization, self.logo_url, f.organization.same_as
            )
            site = sd.website(self.base_url, f.name, f.language)
            self._home = (_json(org), _json(site))
        return self._home

    def clinic(self, location: LocationView) -> Markup:
        """A location's MedicalClinic: the same on its hub and on each of its program pages."""
        found = self._clinics.get(location.slug)
        if found is None:
            photo = next((p for p in location.photos if _suffix(p.src) in RASTER_TYPES), None)
            image = self.base_url + href(photo.src) if photo else None  # JSON-LD: production
            data = sd.clinic(self.base_url, location, self.organization, image)
            found = self._clinics[location.slug] = _json(data)
        return found

    def breadcrumbs(self, crumbs: list[LinkView]) -> Markup:
        """The BreadcrumbList of the visible trail. Written from a template with only the
        names and URLs serialised: it is on every page (the same JSON as json_for_script
        of the schema.org object gives, which a test checks)."""
        items = ",".join(
            self._crumbs.get((c.url, c.title, i)) or self._crumb(c.url, c.title, i)
            for i, c in enumerate(crumbs, start=1)
        )
        return Markup(
            f'{{"@context":"https://schema.org","@type":"BreadcrumbList","itemListElement":[{items}]}}'
        )

    def _crumb(self, url: str, title: str, position: int) -> str:
        """One ListItem of a BreadcrumbList, kept (a location's is on each of its pages)."""
        item = (
            f'{{"@type":"ListItem","item":{_string(self.base_url + url)},'
            f'"name":{_string(title)},"position":{position}}}'
        )
        if len(self._crumbs) >= MAX_CRUMBS:
            self._crumbs.clear()
        self._crumbs[(url, title, position)] = item
        return item

    def faq(self, entries: tuple[FaqView, ...]) -> Markup:
        """The FAQPage JSON-LD of the questions the page shows, serialised for <script>;
        empty Markup when there are none. Google's rules for it:
        https://developers.google.com/search/docs/appearance/structured-data/faqpage"""
        data = sd.faq_page(entries)
        return _json(data) if data else Markup("")


def _json(data: object) -> Markup:
    return Markup(json_for_script(data))


_PLAIN_JSON = re.compile(r'[^"\\<>&\x00-\x1f\u2028\u2029]*')  # what JSON writes as it is


def _string(text: str) -> str:
    """A JSON string safe inside <script>, as json_for_script writes it (a name or URL
    with no character JSON or <script> must escape is only quoted)."""
    if _PLAIN_JSON.fullmatch(text):
        return f'"{text}"'
    return json_for_script(text)


def _suffix(src: str) -> str:
    name = src.rsplit("/", 1)[-1]
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
