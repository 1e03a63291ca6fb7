"""The navigation of site.yaml checked against the URL table: each internal link must lead
to a page of this build, by the page's own URL (a URL without its final slash costs every
visitor a redirect on Netlify), and a link to a draft says that it is one: an error in a
build without drafts, a warning in one with them (the preview), where the link works but
the published build will fail."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping

from sitegen.errors import SiteError
from sitegen.model.records import SiteConfig, SiteContent
from sitegen.model.routes import Route


def navigation_errors(
    config: SiteConfig, routes: list[Route], drafts: Callable[[], Mapping[str, str]]
) -> list[SiteError]:
    """An error at the line of each navigation link to a path that is not a page's URL.
    `drafts` gives the file that makes each page left out a draft, by the page's URL
    (asked for only when a link leads nowhere)."""
    urls = {r.url for r in routes}
    errors: list[SiteError] = []
    for index, item in enumerate(config.fields.navigation):
        path = item.url.split("#", 1)[0].split("?", 1)[0]
        if not item.url.startswith("/") or path in urls:
            continue
        where = config.doc.value_ref(("navigation", index, "url"))
        if path + "/" in urls:
            errors.append(
                SiteError(
                    f"navigation links to {item.url}; the page's URL is {path}/ (without the "
                    "final '/', every visitor and crawler is sent through a redirect)",
                    where,
                    f"write url: {item.url.replace(path, path + '/', 1)}",
                )
            )
            continue
        left_out = drafts()
        draft = left_out.get(path) or left_out.get(path + "/")
        if draft is not None:
            errors.append(
                SiteError(
                    f"navigation links to {item.url}, but that page is a draft "
                    f"({draft} has draft: true), so this build leaves it out",
                    where,
                    "publish the page (remove draft: true), or take the link out of the "
                    "navigation until it is ready; `build --drafts` and `serve` show drafts",
                )
            )
            continue
        close = difflib.get_close_matches(path, sorted(urls), n=1, cutoff=0.8)
        errors.append(
            SiteError(
                f"navigation links to {item.url}, but no page has that URL",
                where,
                f"did you mean {close[0]}?"
                if close
                else "no page's URL is close to it; each page's URL comes from its file name "
                "or its permalink",
            )
        )
    return errors


def draft_link_warnings(
    config: SiteConfig, content: SiteContent, routes: list[Route]
) -> list[SiteError]:
    """In a build that shows drafts (the preview, `--drafts`): a warning at the line of each
    navigation link to a page that is there only because drafts are shown, naming the file
    that makes it a draft; the published build refuses such a link (navigation_errors)."""
    by_url = {r.url: r for r in routes}
    warnings: list[SiteError] = []
    for index, item in enumerate(config.fields.navigation):
        route = by_url.get(item.url.split("#", 1)[0].split("?", 1)[0])
        draft = content.draft_file(route) if route is not None else None
        if draft is not None:
            warnings.append(
                SiteError(
                    f"navigation links to {item.url}, which is a draft ({draft} has draft: "
                    "true): the preview shows it, but the published build (python build.py) "
                    "will fail until it is published",
                    config.doc.value_ref(("navigation", index, "url")),
                    "publish the page (remove draft: true), or take the link out of the "
                    "navigation until it is ready",
                )
            )
    return warnings
