"""Where an internal address leads in a build, and what is wrong with it: a file that is
not there, a redirect on the way (an alias, or a page asked for without its trailing
slash), an address relative to the page. The build judges editors' links with it while
it renders; `check` judges every page's links with it afterwards."""

from __future__ import annotations

from collections.abc import Collection, Container, Mapping

from sitegen.rules.model import Finding


def resolve(path: str, files: Mapping[str, int] | Collection[str]) -> str | None:
    """The file (URL path, /x/index.html) that the URL path `path` is served from, or
    None. Like Netlify, /x/ is served from /x/index.html and /x from the file /x, else
    /x.html, else /x/index.html (https://docs.netlify.com/routing/redirects/
    redirect-options/#trailing-slash: a file wins over a rule; /x.html answers /x)."""
    if path.endswith("/"):
        candidate = path + "index.html"
        return candidate if candidate in files else None
    if path in files:
        return path
    if path + ".html" in files:
        return path + ".html"
    return path + "/index.html" if path + "/index.html" in files else None


def judge(
    path: str, tag: str, url: str, target: str | None, redirected: Container[str]
) -> Finding | None:
    """The finding of one internal address (`path`, without its fragment, on the page at
    `url`, in a `tag` element), or None when it leads straight to a file of the build.
    `target` is resolve(path, the build's files). redirect-link: the path is the source
    of a redirect rule (`redirected`, with and without its trailing slash), or a page's
    URL without its trailing slash, which Netlify answers with a 301 to the form with the slash
    (https://docs.netlify.com/site-deploys/post-processing/#pretty-urls);
    broken-link: no file serves it."""
    if path in redirected or path.rstrip("/") in redirected:
        return Finding(
            "redirect-link", f"{path} redirects; link its target instead", url, tag, path
        )
    if target is None:
        return Finding(
            "broken-link", f"<{tag}> points at {path}, which is not in the build", url, tag, path
        )
    if not path.endswith("/") and target == path + "/index.html":
        return Finding(
            "redirect-link",
            f"{path} redirects to {path}/ (the page's URL ends with a slash); link {path}/",
            url,
            tag,
            path,
        )
    return None
