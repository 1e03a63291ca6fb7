# ruff: noqa: E501 - tables of paths
"""The dev server's parts that need no browser: which change is which (a table), bursts of
saves, the served folder's walls, and rebuilds that render only what a change changes but
always end with the same files a fresh build makes."""

from __future__ import annotations

import filecmp
import os
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, PROJECT
from sitegen.pipeline import BuildOptions, build
from sitegen.serve.changes import Change, Kind, classify, plan
from sitegen.serve.debounce import Debouncer
from sitegen.serve.files import resolve
from sitegen.serve.server import ServeOptions, preview_build
from sitegen.serve.session import Session

LOCAL = "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    ("path", "kind", "key"),
    [
        ("site.yaml", Kind.CONFIG, ()),
        ("layouts/base.html", Kind.LAYOUT, ()),
        ("layouts/components/faq.html", Kind.LAYOUT, ()),
        ("layouts/sedX4zk2a", Kind.LAYOUT, ()),  # sed -i's scratch file, or a folder (Session)
        ("assets/css/site.css", Kind.ASSET, ()),
        ("assets/images/photos/team.jpg", Kind.ASSET, ()),
        ("content/programs/day-program.md", Kind.PROGRAM, ("day-program",)),
        ("content/programs/day-program.markdown", Kind.PROGRAM, ("day-program",)),
        ("content/pages/contact.md", Kind.PAGE, ("contact",)),
        ("content/locations/springfield.yaml", Kind.LOCATION, ("springfield",)),
        ("content/locations/springfield.yml", Kind.LOCATION, ("springfield",)),
        ("content/locations/springfield/day-program.md", Kind.LOCAL_TEXT, ("springfield", "day-program")),
        ("content/locations/springfield", Kind.CONTENT, ()),  # a folder of local texts
        ("content/programs/notes.txt", Kind.CONTENT, ()),  # not read, but a build warns of it
        ("content/locations/.springfield.yaml.swp", Kind.IGNORED, ()),  # vim
        ("content/locations/springfield.yaml~", Kind.IGNORED, ()),  # backup copies
        ("content/locations/.#springfield.yaml", Kind.IGNORED, ()),  # emacs lock
        ("content/locations/#springfield.yaml#", Kind.IGNORED, ()),  # emacs autosave
        ("content/locations/4913", Kind.IGNORED, ()),  # vim's write test
        ("content/.DS_Store", Kind.IGNORED, ()),
        (".git/index", Kind.IGNORED, ()),
        ("public/index.html", Kind.IGNORED, ()),
        ("README.md", Kind.IGNORED, ()),
        ("layouts", Kind.LAYOUT, ()),  # the folder itself: replaced, or moved away
        ("assets", Kind.ASSET, ()),
        ("content", Kind.CONTENT, ()),
        ("content\\pages\\contact.md", Kind.PAGE, ("contact",)),  # Windows separators
    ],
)  # fmt: skip
def test_each_changed_path_is_classified(path, kind, key):
    change = classify(path)
    assert (change.kind, change.key) == (kind, key)


def test_a_plan_reads_again_only_content_files_and_reloads_layouts_for_assets_and_config():
    content = plan([classify("content/locations/a.yaml"), classify("content/pages/b.md")])
    assert content.files == {"content/locations/a.yaml", "content/pages/b.md"}
    assert not content.everything
    assets = plan([classify("assets/css/site.css")])
    assert assets.assets and assets.layouts and assets.everything  # fingerprinted URLs
    config = plan([classify("site.yaml")])
    assert config.config and config.layouts  # layouts hold the base URL
    assert plan([Change(Kind.IGNORED, "x")]).empty
    assert plan([]).empty


def test_a_burst_of_saves_is_one_batch_after_a_quiet_moment():
    d = Debouncer(quiet=0.05, longest=1.0)
    assert d.wait(0.0) is None and d.due(0.0) == set()
    d.add({"a.yaml"}, 0.00)
    d.add({"a.yaml", "b.md"}, 0.03)  # the editor writes again
    assert d.due(0.06) == set()  # only 30 ms of quiet so far
    assert d.wait(0.06) == pytest.approx(0.02)
    assert d.due(0.08) == {"a.yaml", "b.md"}
    assert d.due(0.20) == set() and d.wait(0.20) is None  # nothing is left over


def test_a_tool_that_never_stops_writing_still_gets_a_rebuild():
    d = Debouncer(quiet=0.05, longest=0.2)
    t = 0.0
    while t < 0.19:
        d.add({"a.yaml"}, t)
        assert d.due(t) == set()
        t += 0.01
    d.add({"b.yaml"}, 0.2)
    assert d.due(0.2) == {"a.yaml", "b.yaml"}  # the longest wait is over


def test_an_empty_burst_does_not_start_a_batch():
    d = Debouncer()
    d.add(set(), 0.0)
    assert d.wait(0.0) is None


@pytest.fixture
def served(tmp_path: Path) -> Path:
    folder = tmp_path / "served"
    (folder / "a").mkdir(parents=True)
    (folder / "index.html").write_text("home")
    (folder / "a" / "index.html").write_text("a")
    (folder / "style.css").write_text("css")
    (tmp_path / "secret.txt").write_text("secret")
    os.symlink(tmp_path / "secret.txt", folder / "leak.txt")
    os.symlink(tmp_path, folder / "up")
    os.symlink(folder / "style.css", folder / "inside.css")
    return Path(os.path.realpath(folder))


@pytest.mark.parametrize(
    ("path", "status", "file"),
    [
        ("/", 200, "index.html"),
        ("/a/", 200, "a/index.html"),
        ("/style.css", 200, "style.css"),
        ("/inside.css", 200, "style.css"),  # a symlink that stays inside is fine
        ("/a", 301, None),  # a folder's page is at its slash
        ("//a", 301, None),  # ... on this server, not at the host "a"
        ("/b/", 404, None),
        ("/b", 404, None),
        ("/../secret.txt", 403, None),
        ("/a/../../secret.txt", 403, None),
        ("/./index.html", 403, None),
        ("/..\\secret.txt", 403, None),
        ("/leak.txt", 403, None),  # a symlink out of the folder
        ("/up/secret.txt", 403, None),  # a folder symlink out of it
        ("/up/", 403, None),
        ("/up", 403, None),  # whether it is a folder out there is not told either
        ("/index.html\0.css", 403, None),
        ("relative", 403, None),
    ],
)
def test_no_path_leads_out_of_the_served_folder(served, path, status, file):
    answer = resolve(str(served), path)
    assert answer.status == status
    assert answer.file == (os.path.realpath(served / file) if file else None)
    if status == 301:
        assert answer.location == "/a/"


# -- rebuilds ----------------------------------------------------------------------------


@pytest.fixture
def session(tmp_path: Path) -> Session:
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "multi", root)
    s = Session(BuildOptions(root=root, out=tmp_path / "out", base_url=LOCAL, drafts=True))
    assert s.build().ok
    return s


def edit(session: Session, path: str, old: str, new: str) -> set[str]:
    file = session.root / path
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return {str(file)}


def rendered(session: Session, paths: set[str]) -> int:
    outcome = session.rebuild(paths)
    assert outcome is not None and outcome.ok, outcome and outcome.errors
    return outcome.pages


def pages_of(session: Session, program: str | None = None, location: str | None = None) -> int:
    return sum(
        (program is None or r.program_slug == program)
        and (location is None or r.location_slug == location)
        for r in session.routes
    )


def same_as_a_fresh_build(session: Session, tmp_path: Path) -> None:
    """The served folder holds exactly what `build` makes from the same sources."""
    fresh = tmp_path / "fresh"
    build(BuildOptions(root=session.root, out=fresh, base_url=LOCAL, drafts=True))
    compared = filecmp.dircmp(session.options.out, fresh)
    _assert_same(compared)


def _assert_same(compared: filecmp.dircmp) -> None:
    assert not compared.left_only and not compared.right_only, (
        compared.left_only,
        compared.right_only,
    )
    _match, mismatch, errors = filecmp.cmpfiles(
        compared.left, compared.right, compared.common_files, shallow=False
    )
    assert not mismatch and not errors, (compared.left, mismatch, errors)
    for sub in compared.subdirs.values():
        _assert_same(sub)


def test_a_location_text_edit_renders_only_that_locations_pages(session, tmp_path):
    changed = edit(session, "content/locations/springfield.yaml", "Local text for", "Words for")
    assert rendered(session, changed) == pages_of(session, location="springfield") == 4
    assert "Words for Springfield" in (session.options.out / "springfield/index.html").read_text()
    same_as_a_fresh_build(session, tmp_path)


def test_a_location_card_change_renders_every_page_that_could_list_it(session, tmp_path):
    """Its name is on other pages (program hubs, footers): every page is rendered again."""
    changed = edit(
        session, "content/locations/shelbyville.yaml", "name: Shelbyville", "name: Shelby"
    )
    assert rendered(session, changed) == len(session.routes)
    same_as_a_fresh_build(session, tmp_path)


def test_a_program_edit_renders_its_hub_and_its_pages_at_every_location(session, tmp_path):
    text = (session.root / "content/programs/residential.md").read_text()
    body = text.split("---", 2)[2].strip().splitlines()[0]
    changed = edit(session, "content/programs/residential.md", body, body + " More words.")
    assert rendered(session, changed) == pages_of(session, program="residential")
    same_as_a_fresh_build(session, tmp_path)


def test_a_local_text_or_a_page_renders_only_its_own_page(session, tmp_path):
    local = "content/locations/springfield/day-program.md"
    assert rendered(session, edit(session, local, "own words", "very own words")) == 1
    page = "content/pages/coverage.md"
    assert rendered(session, edit(session, page, "We accept", "We take")) == 1
    same_as_a_fresh_build(session, tmp_path)


def test_layouts_site_yaml_and_assets_render_everything(session, tmp_path):
    layout = edit(session, "layouts/base.html", "</body>", "<!-- x --></body>")
    assert rendered(session, layout) == len(session.routes)
    css = session.root / "assets/css/site.css"
    css.write_text(css.read_text() + "\np { margin: 0 }\n")
    assert rendered(session, {str(css)}) == len(session.routes)
    same_as_a_fresh_build(session, tmp_path)


def test_added_and_deleted_files_add_and_remove_pages(session, tmp_path):
    new = session.root / "content/locations/ogdenville.yaml"
    new.write_text(
        "name: Ogdenville\ncity: Ogdenville\nstate: IL\ndescription: Care in Ogdenville.\n"
        "summary: Our Ogdenville location.\nprograms: [day-program]\n"
    )
    assert rendered(session, {str(new)}) == len(session.routes)
    assert (session.options.out / "ogdenville/index.html").is_file()
    new.unlink()
    assert rendered(session, {str(new)}) == len(session.routes)
    assert not (session.options.out / "ogdenville").exists()
    same_as_a_fresh_build(session, tmp_path)


def test_a_broken_edit_keeps_the_last_good_site_until_it_is_fixed(session, tmp_path):
    out = session.options.out
    before = (out / "springfield/index.html").read_bytes()
    broken = edit(session, "content/locations/springfield.yaml", "state: IL", "state: [IL")
    outcome = session.rebuild(broken)
    assert outcome is not None and not outcome.ok
    error = outcome.errors[0]
    assert str(error.source).startswith("content/locations/springfield.yaml:3")
    assert session.errors == outcome.errors
    assert (out / "springfield/index.html").read_bytes() == before
    # while broken, a layout changes too: the good build after the fix must not lose it
    edit(session, "layouts/base.html", "</body>", "<!-- later --></body>")
    session.rebuild({str(session.root / "layouts/base.html")})
    fixed = edit(session, "content/locations/springfield.yaml", "state: [IL", "state: IL")
    outcome = session.rebuild(fixed)
    assert outcome is not None and outcome.ok and session.errors == []
    assert outcome.pages == len(session.routes)
    assert "<!-- later -->" in (out / "springfield/index.html").read_text()
    same_as_a_fresh_build(session, tmp_path)


def test_files_the_generator_does_not_read_do_not_rebuild(session):
    scratch = session.root / "content/locations/.springfield.yaml.swp"
    scratch.write_text("x")
    assert session.rebuild({str(scratch), "/elsewhere/file.yaml"}) is None
    gone = session.root / "content/locations/sedTmp123"  # a tool's file, renamed away
    assert session.rebuild({str(gone)}) is None
    assert session.rebuild({str(session.root / "assets/css/sedTmp9")}) is None


def test_drafts_are_in_the_preview_but_not_in_a_build_without_drafts(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "multi", root)
    (root / "content/pages/upcoming.md").write_text(
        "---\ntitle: Coming soon\ndescription: A page that is not ready yet.\ndraft: true\n"
        "---\nNot yet.\n"
    )
    preview = Session(preview_build(ServeOptions(root, port=8123), tmp_path / "preview"))
    assert preview.build().ok
    assert preview.options.base_url == "http://127.0.0.1:8123"
    assert "Coming soon" in (tmp_path / "preview/upcoming/index.html").read_text()
    build(BuildOptions(root=root, out=tmp_path / "public"))
    assert (tmp_path / "public/index.html").is_file()
    assert not (tmp_path / "public/upcoming").exists()


def test_the_overlay_shows_the_offending_line_escaped_and_reads_nothing_outside(tmp_path):
    from sitegen.errors import SiteError, SourceRef
    from sitegen.serve.overlay import overlay_html

    (tmp_path / "content").mkdir()
    (tmp_path / "content/a.yaml").write_text("name: A\nstate: [<b>CA\ncity: A\n")
    (tmp_path.parent / "outside.txt").write_text("not for the browser\n")
    errors = [
        SiteError("bad <value>", SourceRef("content/a.yaml", 2, 8), "close the [ <here>"),
        SiteError("elsewhere", SourceRef("../outside.txt", 1)),
        SiteError("no such line", SourceRef("content/a.yaml", 99)),
        SiteError("no file at all"),
    ]
    html = overlay_html(errors, tmp_path)
    assert "<title>Build failed: 4 errors</title>" in html
    assert "content/a.yaml:2:8" in html and "bad &lt;value&gt;" in html
    assert "close the [ &lt;here&gt;" in html
    assert '<span class="offending"><span class="number">2</span>state: [&lt;b&gt;CA</span>' in html
    assert '<span class="number"></span>       ^</span>' in html  # under column 8
    assert "not for the browser" not in html
    assert "<b>" not in html


def test_the_overlay_counts_lines_as_the_build_does_and_shows_a_long_line_around_the_error(
    tmp_path,
):
    """splitlines() ended lines at U+2028, NEL and form feeds too, so the excerpt showed
    another line than the one named; a line of 1.5 MB was shown whole on every page, and
    a message quoting it too (found by a fresh tester)."""
    from sitegen.errors import SiteError, SourceRef
    from sitegen.serve.overlay import SHOWN_COLUMNS, overlay_html

    (tmp_path / "content").mkdir()
    long = "word " * 300_000
    text = f"name: A\u2028B\x0cC\ncity: x\nsummary: {long}#cut\nstate: CA\n"
    (tmp_path / "content/a.yaml").write_text(text, encoding="utf-8")
    near = len(f"summary: {long}")
    errors = [
        SiteError("city", SourceRef("content/a.yaml", 2, 7)),
        SiteError(f"cut: {long}", SourceRef("content/a.yaml", 3, near + 1), "quote it"),
    ]
    html = overlay_html(errors, tmp_path)
    assert '<span class="offending"><span class="number">2</span>city: x</span>' in html
    assert '<span class="number">1</span>name: A\\u2028B\\x0cC</span>' in html
    assert len(html) < 20_000
    offending = html.split('<span class="offending"><span class="number">3</span>')[1]
    shown = offending.split("</span>")[0]
    assert shown.startswith("...") and shown.endswith("#cut")
    assert len(shown) <= SHOWN_COLUMNS + 6
    caret = offending.split('<span class="caret"><span class="number"></span>')[1]
    assert caret.index("^") == shown.index("#cut")  # under the '#', as the column says


def test_the_overlay_reads_a_file_as_the_build_does_and_places_the_caret_by_cells(tmp_path):
    """A byte order mark showed as \\ufeff and moved the caret; short lines beside a long
    one were cut to its window; a caret after CJK or emoji fell short (found by a fresh
    tester)."""
    from sitegen.errors import SiteError, SourceRef
    from sitegen.serve.overlay import overlay_html

    (tmp_path / "content").mkdir()
    long = "x" * 400
    text = f"\ufeffstate: California\n---\ntitle: 联系我们😀, layout: contactt\n{long}: y\n# note\n"
    (tmp_path / "content/a.md").write_text(text, encoding="utf-8")
    html = overlay_html(
        [
            SiteError("state", SourceRef("content/a.md", 1, 8)),
            SiteError(
                "layout", SourceRef("content/a.md", 3, text.split("\n")[2].index("contactt") + 1)
            ),
            SiteError("long", SourceRef("content/a.md", 4, 390)),
        ],
        tmp_path,
    )
    caret = '<span class="caret"><span class="number"></span>'
    first, second, third = html.split('<pre class="source">')[1:]
    assert '<span class="number">1</span>state: California</span>' in first
    assert caret + " " * 7 + "^</span>" in first  # under the C
    assert caret + " " * 27 + "^</span>" in second  # 7 + 4 wide + 2 for the emoji + 8
    assert '<span class="number">5</span># note</span>' in third  # whole, not "..."
    assert '<span class="number">2</span>---</span>' in third


def test_a_failure_of_the_generator_itself_is_shown_and_does_not_end_the_session(
    session, monkeypatch, capsys
):
    import sitegen.serve.session as module

    def broken(*args, **kwargs):
        raise KeyError("a bug")

    with monkeypatch.context() as patched:
        patched.setattr(module, "pages_to_render", broken)
        outcome = session.rebuild(edit(session, "content/pages/coverage.md", "We", "They"))
    assert outcome is not None and not outcome.ok
    assert "the generator failed: KeyError" in outcome.errors[0].message
    assert "Traceback" in capsys.readouterr().err
    outcome = session.rebuild({str(session.root / "content/pages/coverage.md")})
    assert outcome is not None and outcome.ok and outcome.pages == len(session.routes)


@pytest.fixture
def example(tmp_path: Path) -> Session:
    """A session on a copy of the example project, whose layouts reuse rendered partials
    (the header, footer and contact block) across pages."""
    root = tmp_path / "site"
    root.mkdir()
    for name in ("content", "layouts", "assets"):
        shutil.copytree(PROJECT / name, root / name)
    shutil.copy2(PROJECT / "site.yaml", root / "site.yaml")
    s = Session(BuildOptions(root=root, out=tmp_path / "out", base_url=LOCAL, drafts=True))
    assert s.build().ok
    return s


def test_partials_reused_across_pages_are_not_reused_across_rebuilds(example, tmp_path):
    """The contact block is rendered once per location and the footer once per build: a new
    phone number and a new name must reach them on the next rebuild."""
    location = "content/locations/los-angeles.yaml"
    text = (example.root / location).read_text()
    phone = 'phone: "(310) 555-0142"\n'
    (example.root / location).write_text(text.replace("state: CA\n", "state: CA\n" + phone))
    assert rendered(example, {str(example.root / location)}) < len(example.routes)
    assert "(310) 555-0142" in (example.options.out / "los-angeles/index.html").read_text()
    same_as_a_fresh_build(example, tmp_path)
    changed = edit(example, location, "name: Los Angeles", "name: Downtown Los Angeles")
    assert rendered(example, changed) == len(example.routes)
    assert "Downtown Los Angeles" in (example.options.out / "contact/index.html").read_text()
    same_as_a_fresh_build(example, tmp_path)


def test_a_folder_of_local_texts_moved_away_is_a_change(session, tmp_path):
    """File managers delete to the trash by moving: the watcher reports the folder alone."""
    folder = session.root / "content/locations/springfield"
    shutil.move(folder, tmp_path / "trash")
    outcome = session.rebuild({str(folder)})
    assert outcome is not None and outcome.ok
    same_as_a_fresh_build(session, tmp_path)


def test_a_folder_renamed_edited_and_renamed_back_is_read_again(session, tmp_path):
    folder = session.root / "content/locations/springfield"
    moved = folder.with_name("springfield-old")
    folder.rename(moved)
    assert session.rebuild({str(folder), str(moved)}) is not None
    text = moved / "day-program.md"
    text.write_text(text.read_text().replace("own words", "newest words"))
    session.rebuild({str(text)})
    moved.rename(folder)
    assert session.rebuild({str(folder), str(moved)}) is not None
    page = session.options.out / "springfield/day-program/index.html"
    assert "newest words" in page.read_text()
    same_as_a_fresh_build(session, tmp_path)


def test_on_loopback_only_loopback_host_names_are_answered():
    assert ServeOptions(Path("."), port=8000).hosts == {
        "127.0.0.1:8000",
        "localhost:8000",
        "[::1]:8000",
    }
    assert ServeOptions(Path("."), host="0.0.0.0").hosts is None  # asked for the network
    assert ServeOptions(Path("."), host="0.0.0.0").url == "http://127.0.0.1:8000"


def test_a_layout_folder_renamed_away_is_a_change_and_a_scratch_file_gone_is_not(example):
    root = example.root
    (root / "layouts/sedX4zk2a").write_text("scratch")
    (root / "layouts/sedX4zk2a").unlink()
    assert example.rebuild({str(root / "layouts/sedX4zk2a")}) is None
    (root / "layouts/partials").rename(root / "layouts/old")
    outcome = example.rebuild({str(root / "layouts/partials"), str(root / "layouts/old")})
    assert outcome is not None and not outcome.ok
    assert "layout file not found: partials/" in str(outcome.errors[0])


def test_the_title_of_a_page_above_others_renders_the_pages_below_it(example, tmp_path):
    """/programs/ is a crumb of every program hub: a new title reaches their breadcrumbs;
    its body alone renders only itself."""
    page = "content/pages/programs.md"
    assert rendered(example, edit(example, page, "Each program below", "Every program")) == 1
    changed = edit(example, page, "title: Treatment programs", "title: All our programs")
    assert rendered(example, changed) == len(example.routes)
    hub = example.options.out / "programs/outpatient-program/index.html"
    assert ">All our programs</a>" in hub.read_text(encoding="utf-8")
    same_as_a_fresh_build(example, tmp_path)


def test_an_svg_given_a_script_through_a_hard_link_is_refused_at_the_next_rebuild(session):
    """The watcher sees no change in assets/ when a file linked there is edited elsewhere
    (a hard link, a folder link): every rebuild reads the SVGs again (found by a fresh
    tester, once they were read only when assets/ changed)."""
    shared = session.root / "shared.svg"
    source = next((session.root / "assets/images").glob("*.svg"))
    shared.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    os.link(shared, session.root / "assets/images/linked.svg")
    assert session.rebuild({str(session.root / "assets/images/linked.svg")}).ok
    with shared.open("r+", encoding="utf-8") as file:  # in place: the same inode
        text = file.read()
        file.seek(0)
        file.write(text.replace("</svg>", "<script>alert(1)</script></svg>"))
    changed = edit(session, "content/locations/springfield.yaml", "Local text for", "Words for")
    outcome = session.rebuild(changed)
    assert outcome is not None and not outcome.ok
    assert any("assets/images/linked.svg" in str(e.source) for e in outcome.errors)
    assert "<script>" not in (session.options.out / "assets/images/linked.svg").read_text()
