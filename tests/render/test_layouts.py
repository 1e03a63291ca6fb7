"""The layout environment: escaping, and reusing a component's HTML across pages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup, escape

from conftest import write_files
from sitegen.cli import main
from sitegen.model.assets import AssetCatalog
from sitegen.render.layouts import Layouts, fast_escape, reads_of


class HtmlObject:
    def __html__(self) -> str:
        return "<b>own html</b>"


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        "<script>&\"'",
        "",
        Markup("<em>kept</em>"),
        42,
        None,
        1.5,
        HtmlObject(),
        type("Sub", (str,), {})("<sub>"),
    ],
)
def test_fast_escape_gives_what_markupsafe_gives(value: object) -> None:
    fast = fast_escape(value)
    assert fast == escape(value)
    assert isinstance(fast, Markup)
    assert fast_escape(value) == fast  # the second time from the kept escaped form


@given(st.text())
def test_fast_escape_of_any_text_twice_is_markupsafes(text: str) -> None:
    assert fast_escape(text) == escape(text) == fast_escape(text)
    assert type(fast_escape(text)) is Markup


@dataclass(frozen=True)
class Program:
    banner: str | None
    title: str = "Intensive Outpatient"
    faq: tuple[str, ...] = ()


def make_layouts(root: Path, components: dict[str, str]) -> Layouts:
    write_files(root, {f"layouts/components/{n}.html": t for n, t in components.items()})
    return Layouts(root, AssetCatalog(), "https://example.com")


def test_reads_are_the_attributes_a_component_reads(tmp_path: Path) -> None:
    layouts = make_layouts(
        tmp_path,
        {
            "banner": "{% if program.banner %}<p>{{ program.banner }}</p>{% endif %}",
            "whole": "{{ program }}",
            "loop": "{% for q in program.faq %}{{ q }} {{ page.url }}{% endfor %}",
            "helper": "{{ asset_url('x.css') }}{{ program.title | upper }}",
        },
    )
    assert layouts.component_reads("banner").fields == {"program": ("banner",)}
    assert layouts.component_reads("whole").fields == {"program": None}
    assert layouts.component_reads("loop").fields == {"program": ("faq",), "page": ("url",)}
    assert layouts.component_reads("helper").fields == {"program": ("title",)}  # no globals
    tree = layouts.env.parse("{{ program['title'] }}")
    assert reads_of(tree, layouts.env.globals).fields == {"program": None}


def test_a_component_is_rendered_once_per_distinct_values(tmp_path, monkeypatch) -> None:
    layouts = make_layouts(
        tmp_path, {"banner": "{% if program.banner %}<p>{{ program.banner }}</p>{% endif %}"}
    )
    rendered: list[str] = []
    real = Layouts.render
    monkeypatch.setattr(
        Layouts, "render", lambda self, name, ctx: rendered.append(name) or real(self, name, ctx)
    )
    pages = [
        layouts.render_component("banner", {"program": Program(banner)})
        for banner in ["Open in Reno", "Open in Reno", "Open <now> in Elko", None, None]
    ]
    assert pages == [
        "<p>Open in Reno</p>",
        "<p>Open in Reno</p>",
        "<p>Open &lt;now&gt; in Elko</p>",
        "",
        "",
    ]
    assert len(rendered) == 3  # Reno, Elko, no banner


def test_equal_text_of_another_type_is_not_taken_for_the_same(tmp_path) -> None:
    layouts = make_layouts(tmp_path, {"banner": "{{ program.banner }}"})
    as_text = layouts.render_component("banner", {"program": Program("<b>x</b>")})
    as_html = layouts.render_component("banner", {"program": Program(Markup("<b>x</b>"))})
    assert (as_text, as_html) == ("&lt;b&gt;x&lt;/b&gt;", "<b>x</b>")


def test_a_component_that_uses_a_whole_object_is_rendered_every_time(tmp_path, monkeypatch):
    layouts = make_layouts(tmp_path, {"whole": "{{ program.title }}{{ program | string }}"})
    rendered: list[str] = []
    real = Layouts.render
    monkeypatch.setattr(
        Layouts, "render", lambda self, name, ctx: rendered.append(name) or real(self, name, ctx)
    )
    for _ in range(3):
        layouts.render_component("whole", {"program": Program("b")})
    assert len(rendered) == 3


@pytest.mark.parametrize("relative", [True, False], ids=["root .", "absolute root"])
def test_an_error_inside_a_layout_names_its_file_and_line_however_the_root_is_given(
    minimal_site: Path, monkeypatch, capsys, relative: bool
) -> None:
    layout = minimal_site / "layouts/page.html"
    lines = layout.read_text().splitlines()
    where = next(i for i, line in enumerate(lines) if "{{ page.content }}" in line)
    lines[where] = lines[where].replace("{{ page.content }}", "{{ page.no_such_field }}")
    layout.write_text("\n".join(lines) + "\n")
    monkeypatch.chdir(minimal_site)
    root = "." if relative else str(minimal_site)
    assert main(["build", "--root", root]) == 1
    err = capsys.readouterr().err
    column = lines[where].index("no_such_field") + 1  # the column of the name not there
    assert f"layouts/page.html:{where + 1}:{column}: undefined in layout" in err


def test_an_undefined_name_in_a_cached_partial_names_the_partial(minimal_site, monkeypatch, capsys):
    """`{{ no_such_name }}` in a footer partial rendered through cached(): the partial's file
    and line, with the project given as `--root .`."""
    (minimal_site / "layouts/partials").mkdir()
    (minimal_site / "layouts/partials/footer.html").write_text("<p>x</p>\n{{ no_such_name }}\n")
    base = minimal_site / "layouts/base.html"
    base.write_text(
        base.read_text().replace("</body>", "{{ cached('partials/footer.html') }}</body>")
    )
    monkeypatch.chdir(minimal_site)
    assert main(["build", "--root", "."]) == 1
    err = capsys.readouterr().err
    where = "layouts/partials/footer.html:2:4"  # line 2, column of the name
    assert f"{where}: undefined in layout: 'no_such_name' is undefined" in err
