"""The preview shows drafts, so a navigation link to a draft works there while the
published build refuses it: the preview warns, in the terminal and on every served page,
naming the draft's file and saying that the published build will fail."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from tornado import web
from tornado.testing import AsyncHTTPTestCase

from conftest import FIXTURES
from sitegen.cli import main
from sitegen.serve.handler import SiteHandler
from sitegen.serve.server import ServeOptions, _print_outcome, preview_build
from sitegen.serve.session import Session

PAGE = "content/pages/coverage.md"
WARNING = (
    "site.yaml:12:29: navigation links to /insurance/, which is a draft "
    f"({PAGE} has draft: true): the preview shows it, but the published build "
    "(python build.py) will fail until it is published"
)
HINT = (
    "publish the page (remove draft: true), or take the link out of the navigation until "
    "it is ready"
)


def _site(folder: Path) -> Path:
    root = folder / "site"
    shutil.copytree(FIXTURES / "multi", root)
    return root


def _draft(root: Path, draft: bool = True) -> set[str]:
    page = root / PAGE
    text = page.read_text()
    if draft:
        text = text.replace("permalink: /insurance/\n", "permalink: /insurance/\ndraft: true\n")
    else:
        text = text.replace("draft: true\n", "")
    page.write_text(text)
    return {str(page)}


def test_a_navigation_link_to_a_draft_is_a_warning_of_the_preview(tmp_path, capsys):
    root = _site(tmp_path)
    session = Session(preview_build(ServeOptions(root), tmp_path / "preview"))
    assert session.build().ok and session.warnings == []
    outcome = session.rebuild(_draft(root))
    assert outcome is not None and outcome.ok
    assert [str(w) for w in session.warnings] == [f"{WARNING}\n  hint: {HINT}"]
    assert (tmp_path / "preview/insurance/index.html").is_file()  # the preview shows it
    _print_outcome(outcome, set())
    assert f"warning: {WARNING}\n  hint: {HINT}\n" in capsys.readouterr().err
    # the published build fails, as the warning says
    assert main(["build", "--root", str(root), "--out", str(tmp_path / "public")]) == 1
    assert "navigation links to /insurance/, but that page is a draft" in capsys.readouterr().err
    # published again: the warning goes
    outcome = session.rebuild(_draft(root, draft=False))
    assert outcome is not None and outcome.ok and session.warnings == []


def test_a_navigation_link_to_a_published_page_is_no_warning(tmp_path):
    root = _site(tmp_path)
    (root / "content/pages/upcoming.md").write_text(
        "---\ntitle: Coming soon\ndescription: Not ready yet.\ndraft: true\n---\nSoon.\n"
    )
    session = Session(preview_build(ServeOptions(root), tmp_path / "preview"))
    assert session.build().ok and session.warnings == []


class TestTheServedPagesShowTheWarning(AsyncHTTPTestCase):
    """Through the preview's HTTP handler: every page carries the warning panel while the
    draft is linked; the built file itself never does."""

    def get_app(self) -> web.Application:
        self.folder = Path(tempfile.mkdtemp(prefix="sitegen-test-"))
        self.root = _site(self.folder)
        _draft(self.root)
        self.session = Session(preview_build(ServeOptions(self.root), self.folder / "preview"))
        assert self.session.build().ok
        settings = {
            "folder": self.session.options.out,
            "root": self.session.root,
            "errors": lambda: self.session.errors,
            "warnings": lambda: self.session.warnings,
        }
        return web.Application([(r"/(.*)", SiteHandler, settings)])

    def tearDown(self) -> None:
        super().tearDown()
        shutil.rmtree(self.folder, ignore_errors=True)

    def test_every_page_shows_the_warning_with_its_line(self) -> None:
        for url in ("/", "/insurance/", "/springfield/"):
            response = self.fetch(url)
            assert response.code == 200
            html = response.body.decode()
            assert '<aside class="sitegen-warnings" role="status">' in html, url
            assert html.index("sitegen-warnings") < html.rindex("</body>")
            assert "Preview: 1 warning" in html
            assert "<code>site.yaml:12:29</code>" in html
            assert f"({PAGE} has draft: true)" in html
            assert "the published build (python build.py) will fail" in html
            assert '<span class="number">12</span>' in html  # the offending line, shown
        built = (self.session.options.out / "index.html").read_text()
        assert "sitegen-warnings" not in built
        css = self.fetch("/assets/css/" + _css(self.session.options.out))
        assert b"sitegen-warnings" not in css.body

    def test_the_panel_goes_once_the_page_is_published(self) -> None:
        assert self.session.rebuild(_draft(self.root, draft=False)) is not None
        assert "sitegen-warnings" not in self.fetch("/").body.decode()


def _css(out: Path) -> str:
    return next((out / "assets/css").glob("*.css")).name


@pytest.mark.parametrize("page", [b"<html><body>x</body></html>", b"no body tag"])
def test_the_panel_is_placed_before_the_end_of_the_body(page):
    from sitegen.serve.overlay import with_panel

    placed = with_panel(page, "<aside>w</aside>")
    assert b"<aside>w</aside>" in placed
    if b"</body>" in page:
        assert placed.endswith(b"<aside>w</aside></body></html>")


def test_the_preview_reports_the_page_rules_as_the_build_does(tmp_path):
    """A broken link in a body: the preview's overlay gets the build's error, at its line;
    a link without its trailing slash, the build's warning for the panel."""
    root = _site(tmp_path)
    session = Session(preview_build(ServeOptions(root), tmp_path / "preview"))
    assert session.build().ok
    body = next((root / "content/programs").glob("*.md"))
    name = body.relative_to(root).as_posix()
    body.write_text(body.read_text() + "\nSee [the team](/no-such-page/).\n")
    line = body.read_text().split("\n").index("See [the team](/no-such-page/).") + 1
    outcome = session.rebuild({str(body)})
    assert outcome is not None and not outcome.ok
    assert [str(e.source) for e in session.errors] == [f"{name}:{line}:16"]
    assert "broken-link: <a> points at /no-such-page/" in session.errors[0].message
    text = body.read_text().replace("/no-such-page/", "/insurance")
    body.write_text(text)
    outcome = session.rebuild({str(body)})
    assert outcome is not None and outcome.ok
    assert [w.message.split(":")[0] for w in session.warnings] == ["redirect-link"]


def test_a_body_link_to_a_draft_is_a_warning_of_the_preview(tmp_path):
    """The preview shows the draft, so the link works there; the build will refuse it."""
    root = _site(tmp_path)
    session = Session(preview_build(ServeOptions(root), tmp_path / "preview"))
    assert session.build().ok
    body = next((root / "content/programs").glob("*.md"))
    body.write_text(body.read_text() + "\nSee [coverage](/insurance/).\n")
    line = body.read_text().split("\n").index("See [coverage](/insurance/).") + 1
    outcome = session.rebuild(_draft(root) | {str(body)})
    assert outcome is not None and outcome.ok
    name = body.relative_to(root).as_posix()
    warnings = [str(w) for w in session.warnings if "draft" in w.message and name in str(w)]
    assert warnings == [
        f"{name}:{line}:16: links to /insurance/, which is a draft ({PAGE} has draft: true): "
        "the preview shows it, but the published build (python build.py) will fail until it "
        "is published\n  hint: publish the page (remove draft: true), or take the link out "
        "until it is ready"
    ]
