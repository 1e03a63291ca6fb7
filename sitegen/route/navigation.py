"""The navigation of site.yaml checked against the URL table: each internal link must lead
to a page of this build, by the page's own URL (a URL without its final slash costs every
visitor a redirect on Netlify), and a link to a draft says that it is one."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping

from sitegen.errors import SiteError
from sitegen.model.records import SiteConfig
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
        where = config.doc.ref(("navigation", index, "url"))
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
