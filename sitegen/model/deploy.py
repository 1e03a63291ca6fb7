"""Where a build will be served: the production site, or a preview of it.

Netlify tells the build its deploy context in `CONTEXT` (production, deploy-preview,
branch-deploy, dev) and a preview's own address in `DEPLOY_PRIME_URL`. A preview keeps
canonical URLs pointing at production, and is kept out of search engines everywhere:
meta robots, an X-Robots-Tag header and robots.txt.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from sitegen.errors import UsageError
from sitegen.model.environments import ENVIRONMENTS, PREVIEW, PRODUCTION

__all__ = ["ENVIRONMENTS", "PREVIEW", "PRODUCTION", "Deploy", "resolve_deploy"]


@dataclass(frozen=True)
class Deploy:
    """Where a build will be served: `env` production or preview (from Netlify's deploy
    context, https://docs.netlify.com/site-deploys/overview/#deploy-contexts), and a
    preview's own origin without a trailing slash (https://x.netlify.app), if known."""

    env: str = PRODUCTION
    url: str | None = None  # the preview's own address (for absolute image URLs), if known

    @property
    def production(self) -> bool:
        """Whether this is the production site's build, not a preview (kept out of search)."""
        return self.env == PRODUCTION


def resolve_deploy(env: str | None, deploy_url: str | None, environ: Mapping[str, str]) -> Deploy:
    """The command line's --env and --deploy-url, else Netlify's CONTEXT and
    DEPLOY_PRIME_URL; a build outside Netlify (no CONTEXT) is a production build."""
    if env is None:
        context = environ.get("CONTEXT", PRODUCTION).strip() or PRODUCTION
        env = PRODUCTION if context == PRODUCTION else PREVIEW
    if env not in ENVIRONMENTS:
        raise UsageError(f"--env must be one of {', '.join(ENVIRONMENTS)}, not '{env}'")
    if env == PRODUCTION:
        return Deploy(PRODUCTION)
    url = deploy_url or environ.get("DEPLOY_PRIME_URL") or None
    if url is not None:
        url = url.rstrip("/")
        if not re.fullmatch(r"https?://[a-z0-9.-]+(:\d+)?", url):
            raise UsageError(f"the deploy URL '{url}' is not an address like https://x.netlify.app")
    return Deploy(PREVIEW, url)
