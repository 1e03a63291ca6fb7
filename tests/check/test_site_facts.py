# ruff: noqa: E501 - hand-written HTML pages
"""Facts of a page that rules across pages compare: the JSON-LD nodes stated under an
@id (jsonld-id-conflict, jsonld-id-split), a form's action as a link (orphan-page,
broken-link), a page lxml cannot read (page-unparseable); and the link and id rules on a
folder that is not ours (redirect-link, duplicate-id)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import write_files
from sitegen.check import node_rules
from sitegen.check.page import read_page
from sitegen.check.site_rules import Site
from sitegen.cli import main
from sitegen.rules.jsonld_nodes import nodes, normal
from sitegen.rules.model import PageContext, PageFacts, Thresholds
from sitegen.rules.tree import parse

ORIGIN = "https://shop.example.net"


def page(
    url: str, title: str, body: str = "", data: tuple[object, ...] = (), head: str = ""
) -> str:
    """A sound page at `url` (its canonical URL), with `body` in its <main> and each of
    `data` as a JSON-LD block."""
    blocks = "".join(f'<script type="application/ld+json">{json.dumps(d)}</script>' for d in data)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width"><title>{title} at the garden tool shop</title>
<meta name="description" content="{title}: garden tools made to last, sold by a small family shop that repairs what it sells.">
<link rel="canonical" href="{ORIGIN}{url}">{head}{blocks}</head>
<body><main><h1>{title}</h1><a href="/">Home of the shop</a>{body}</main></body></html>"""


def org(ident: str, **facts: object) -> dict[str, object]:
    """An Organization node (not a clinic: the clinic rules of one page stay quiet)."""
    return {"@context": "https://schema.org", "@type": "Organization", "@id": ident, **facts}


def check(folder: Path, capsys) -> tuple[int, list[dict[str, object]]]:
    """Check `folder` (not ours: no manifest) with the command line; (exit code, findings)."""
    code = main(["check", str(folder), "--root", str(folder.parent), "--format", "json"])
    return code, json.loads(capsys.readouterr().out)["findings"]


def of(findings: list[dict[str, object]], rule: str) -> list[tuple[object, object]]:
    """(url, message) of each finding of `rule`, in the report's order."""
    return [(f["url"], f["message"]) for f in findings if f["rule"] == rule]


# -- the nodes of a page ---------------------------------------------------------------


def test_nodes_are_collected_nested_and_from_a_graph_with_their_facts_normalised():
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "MedicalClinic",
                "@id": "#clinic",  # relative: this page's node
                "name": "  Garden   Clinic ",
                "telephone": "+1 (323) 555-0100",
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": "12 Main St.",
                    "addressLocality": "Springfield",
                    "addressCountry": {"@type": "Country", "name": "US"},
                },
                "parentOrganization": {
                    "@id": "https://shop.example.net/#org",
                    "name": "Garden Group",
                    "url": "https://shop.example.net/",
                },
            },
            {
                "@type": "WebPage",
                "@id": "https://shop.example.net/a/#page",  # only its type: no statement
                "provider": {"@id": "https://shop.example.net/#org"},  # a reference
                "about": {"@id": "_:b0", "name": "a blank node"},  # local to the document
            },
        ],
    }
    html = page("/a/", "Clinic", data=(graph,))
    facts, findings = read_page(html.encode(), "/a/", PageContext(ORIGIN, True, Thresholds()))
    assert "jsonld-invalid" not in {f.rule for f in findings}  # a graph has no @type of its own
    assert facts.nodes == [
        (
            "https://shop.example.net/a/#clinic",
            (
                ("@type", "MedicalClinic", "MedicalClinic"),
                ("name", "Garden Clinic", "garden clinic"),
                ("telephone", "+1 (323) 555-0100", "13235550100"),
                ("address", "12 Main St., Springfield, US", "12 main st springfield us"),
            ),
        ),
        (
            "https://shop.example.net/#org",
            (
                ("name", "Garden Group", "garden group"),
                ("url", "https://shop.example.net/", "https://shop.example.net/"),
            ),
        ),
    ]


@pytest.mark.parametrize("in_graph", [False, True], ids=["alone", "in a graph"])
def test_a_node_of_several_types_is_checked_by_the_type_a_rule_knows(in_graph):
    clinic = {"@type": ["MedicalClinic", "LocalBusiness"], "@id": "#clinic", "name": "Clinic"}
    data = {"@context": "https://schema.org", **({"@graph": [clinic]} if in_graph else clinic)}
    html = page("/a/", "Clinic", data=(data,))
    facts, found = read_page(html.encode(), "/a/", PageContext(ORIGIN, True, Thresholds()))
    assert ("clinic-required", "MedicalClinic without address") in {
        (f.rule, f.message) for f in found
    }
    assert facts.nodes[0][1][0] == (
        "@type",
        "MedicalClinic; LocalBusiness",  # as written; compared in any order
        "LocalBusiness|MedicalClinic",
    )


def test_a_node_without_an_id_or_without_facts_is_no_statement():
    assert nodes({"@type": "Organization", "name": "No id"}, "/") == []
    assert nodes({"@id": "#x"}, "/") == []
    assert nodes({"@id": "#x", "@type": "Organization"}, "/") == []  # a typed reference
    assert nodes({"@id": "#x", "address": {"@id": "#address"}}, "/") == []  # refers on
    deep: object = {"@id": "#x", "name": "Deep"}
    for _ in range(5000):  # deeper than Python's recursion limit: walked without recursion
        deep = [deep]
    assert nodes(deep, "/p/") == [("/p/#x", (("name", "Deep", "deep"),))]


# -- jsonld-id-conflict ------------------------------------------------------------------


def test_one_id_with_two_phones_on_two_pages_is_a_conflict_named_once(tmp_path, capsys):
    ident = f"{ORIGIN}/#org"
    site = write_files(
        tmp_path / "shop",
        {
            "a.html": page(
                "/a.html",
                "Apples",
                data=(org(ident, name="Garden Shop", telephone="+13235550100"),),
            ),
            # the same number written otherwise: no conflict
            "b.html": page(
                "/b.html",
                "Bulbs",
                data=(org(ident, name="Garden Shop", telephone="+1 (323) 555-0100"),),
            ),
            "c.html": page(
                "/c.html",
                "Chives",
                data=(org(ident, name="Garden Shop", telephone="+1 323 555 0199"),),
            ),
            # a page that only refers to it, and one that leaves the phone out
            "d.html": page(
                "/d.html",
                "Dill",
                data=(
                    {
                        "@context": "https://schema.org",
                        "@type": "WebPage",
                        "publisher": {"@id": ident},
                    },
                ),
            ),
            "e.html": page("/e.html", "Eggplant", data=(org(ident, name="Garden Shop"),)),
        },
    )
    code, findings = check(site, capsys)
    assert code == 1
    assert of(findings, "jsonld-id-conflict") == [
        (
            "/c.html",
            f"the JSON-LD @id {ident} names one thing, but its facts differ: telephone "
            "'+1 323 555 0199' here but '+13235550100' on /a.html. Give it the same facts "
            "on every page (or give a different thing an @id of its own)",
        )
    ]
    assert {f["severity"] for f in findings if f["rule"] == "jsonld-id-conflict"} == {"error"}


def test_the_value_most_pages_state_is_the_ids_and_each_other_page_is_named(tmp_path, capsys):
    ident = f"{ORIGIN}/#org"
    site = write_files(
        tmp_path / "shop",
        {
            "a.html": page(
                "/a.html", "Apples", data=(org(ident, name="Garden Shop Old", url=f"{ORIGIN}/"),)
            ),
            "b.html": page("/b.html", "Bulbs", data=(org(ident, name="Garden Shop"),)),
            "c.html": page(
                "/c.html", "Chives", data=(org(ident, name="garden  SHOP"),)
            ),  # same name
        },
    )
    _code, findings = check(site, capsys)
    conflicts = of(findings, "jsonld-id-conflict")
    assert [url for url, _ in conflicts] == ["/a.html"]
    assert "name 'Garden Shop Old' here but 'Garden Shop' on /b.html" in str(conflicts[0][1])


def test_one_id_with_two_names_on_one_page_is_a_conflict(tmp_path, capsys):
    ident = f"{ORIGIN}/#org"
    clinic = {
        "@context": "https://schema.org",
        "@type": "Store",
        "@id": f"{ORIGIN}/#store",
        "name": "Garden Store",
        "parentOrganization": {"@id": ident, "name": "Garden Group"},
    }
    site = write_files(
        tmp_path / "shop",
        {"a.html": page("/a.html", "Apples", data=(org(ident, name="Garden Shop"), clinic))},
    )
    _code, findings = check(site, capsys)
    assert of(findings, "jsonld-id-conflict") == [
        (
            "/a.html",
            f"the JSON-LD @id {ident} names one thing, but its facts differ: name 'Garden "
            "Group' here but 'Garden Shop' elsewhere on this page. Give it the same facts on "
            "every page (or give a different thing an @id of its own)",
        )
    ]


# -- jsonld-id-split ---------------------------------------------------------------------


def test_one_thing_under_two_ids_on_two_pages_is_a_split_named_once_per_id(tmp_path, capsys):
    facts = {"name": "Garden Shop", "telephone": "+13235550100"}
    site = write_files(
        tmp_path / "shop",
        {  # "#org" is relative: on each page it names that page's node, another @id
            "a.html": page("/a.html", "Apples", data=(org("#org", **facts),)),
            "b.html": page("/b.html", "Bulbs", data=(org("#org", **facts),)),
            "c.html": page("/c.html", "Chives", data=(org("#org", **facts),)),
            "d.html": page("/d.html", "Dill", data=(org(f"{ORIGIN}/a.html#org", **facts),)),  # a's
        },
    )
    code, findings = check(site, capsys)
    assert code == 1
    splits = of(findings, "jsonld-id-split")
    assert splits == [
        (
            url,
            # one relative @id on every page: one message, so one cause (test_break_seo)
            "the JSON-LD @id #org is relative, so each page that states it names another "
            "thing: the same name 'Garden Shop' and telephone '+13235550100' as the @id "
            f"{ORIGIN}/a.html#org on /a.html. Write one absolute @id (such as "
            f"{ORIGIN}/a.html#org) on every page",
        )
        for url in ("/b.html", "/c.html")  # not N x N: each once, against the first
    ]
    assert "jsonld-id-conflict" not in {f["rule"] for f in findings}


def test_two_ids_on_one_page_with_one_name_and_address_are_a_split(tmp_path, capsys):
    shop = org(
        f"{ORIGIN}/#shop",
        name="Garden Shop",
        address={
            "@type": "PostalAddress",
            "streetAddress": "12 Main St",
            "addressLocality": "Springfield",
        },
    )
    store = org(f"{ORIGIN}/#store", name="Garden Shop", address="12 Main St., Springfield")
    site = write_files(tmp_path / "shop", {"a.html": page("/a.html", "Apples", data=(shop, store))})
    _code, findings = check(site, capsys)
    assert of(findings, "jsonld-id-split") == [
        (
            "/a.html",
            f"the JSON-LD @id {ORIGIN}/#store states the same name 'Garden Shop' and address "
            f"'12 Main St., Springfield' as the @id {ORIGIN}/#shop on this page: one thing "
            "under two @ids is two things to search engines. Use one @id for it on every page",
        )
    ]


def test_one_name_at_two_addresses_or_without_a_place_is_no_split(tmp_path, capsys):
    phone = "+13235550100"
    site = write_files(
        tmp_path / "shop",
        {  # a chain: one name and one phone, two addresses
            "a.html": page(
                "/a.html",
                "Apples",
                data=(
                    org(
                        "#shop",
                        name="Garden Shop",
                        telephone=phone,
                        address="1 North Rd, Springfield",
                    ),
                ),
            ),
            "b.html": page(
                "/b.html",
                "Bulbs",
                data=(
                    org(
                        "#shop",
                        name="Garden Shop",
                        telephone=phone,
                        address="9 South Rd, Shelbyville",
                    ),
                ),
            ),
            # a name alone says nothing of where
            "c.html": page(
                "/c.html", "Chives", data=(org("#site", name="Garden Shop", url=f"{ORIGIN}/"),)
            ),
            # another name, the same phone
            "d.html": page(
                "/d.html", "Dill", data=(org("#group", name="Garden Group", telephone=phone),)
            ),
        },
    )
    _code, findings = check(site, capsys)
    assert of(findings, "jsonld-id-split") == []


def facts_of(**facts: str) -> tuple[tuple[str, str, str], ...]:
    """A node's facts as jsonld_nodes collects them."""
    return tuple((name, value, normal(name, value)) for name, value in facts.items())


def test_a_split_is_found_by_what_the_ids_share_however_many_share_a_name():
    phone, other = "+13235550100", "+13235550199"
    chain = {  # 3,000 locations of one name and one phone: no split among them
        f"/l{i:04}/": PageFacts(
            f"/l{i:04}/",
            nodes=[(f"#l{i}", facts_of(name="Garden Shop", telephone=phone, address=f"{i} Rd"))],
        )
        for i in range(3000)
    }
    pages = {
        **chain,
        # the phone of one and no address: that one (the first with that phone)
        "/m1/": PageFacts("/m1/", nodes=[("#m1", facts_of(name="Garden Shop", telephone=phone))]),
        # an address of one, its phone and the name on a later page: that one
        "/m2/": PageFacts("/m2/", nodes=[("#m2", facts_of(address="7 Rd"))]),
        "/m3/": PageFacts("/m3/", nodes=[("#m2", facts_of(name="Garden Shop", telephone=phone))]),
        # the address of one, another phone: a location of its own
        "/m4/": PageFacts(
            "/m4/", nodes=[("#m4", facts_of(name="Garden Shop", telephone=other, address="8 Rd"))]
        ),
    }
    found = [(f.url, f.message.split(" states")[0], f.message.split(" as the @id ")[1].split(":")[0])
             for f in node_rules.splits(Site(pages, {}, ORIGIN))]  # fmt: skip
    assert found == [
        ("/m1/", "the JSON-LD @id #m1", "#l0 on /l0000/"),
        ("/m2/", "the JSON-LD @id #m2", "#l7 on /l0007/"),
    ]


def test_the_id_rules_run_again_only_when_a_pages_nodes_changed(tmp_path, capsys, monkeypatch):
    ident = f"{ORIGIN}/#org"
    site = write_files(
        tmp_path / "shop",
        {
            "a.html": page(
                "/a.html",
                "Apples",
                data=(org(ident, name="Garden Shop", telephone="+13235550100"),),
            ),
            "b.html": page(
                "/b.html", "Bulbs", data=(org(ident, name="Garden Shop", telephone="+13235550100"),)
            ),
        },
    )
    calls: list[str] = []
    for name in ("conflicts", "splits"):
        rule = getattr(node_rules, name)
        monkeypatch.setattr(
            node_rules, name, lambda s, rule=rule, name=name: calls.append(name) or rule(s)
        )
    assert of(check(site, capsys)[1], "jsonld-id-conflict") == []
    assert calls == ["conflicts", "splits"]
    b = site / "b.html"
    b.write_text(b.read_text().replace("</main>", "<p>Open on Sundays.</p></main>"))
    check(site, capsys)
    assert calls == ["conflicts", "splits"]  # the page changed, its nodes did not
    b.write_text(b.read_text().replace('"+13235550100"', '"+13235550199"'))
    assert [url for url, _ in of(check(site, capsys)[1], "jsonld-id-conflict")] == ["/b.html"]
    assert calls == ["conflicts", "splits"] * 2


# -- page-unparseable --------------------------------------------------------------------

UNPARSEABLE = {
    "empty": b"",
    "whitespace": b" \r\n\t \n",
    "a comment": b"<!-- the page was never written -->",
    "a doctype": b"<!doctype html>\n",
}


@pytest.mark.parametrize("data", UNPARSEABLE.values(), ids=UNPARSEABLE.keys())
def test_a_page_lxml_cannot_parse_is_page_unparseable_with_empty_facts(tmp_path, capsys, data):
    with pytest.raises(ValueError):
        parse(data)  # really: lxml gives no tree for these bytes
    facts, found = read_page(data, "/broken.html", PageContext(ORIGIN, True, Thresholds()))
    assert [f.rule for f in found] == ["page-unparseable"]
    assert (facts.title, facts.h1, facts.links, facts.nodes, facts.ids) == (
        None,
        None,
        [],
        [],
        frozenset(),
    )
    site = write_files(tmp_path / "shop", {"index.html": page("/", "Home"), "broken.html": data})
    code, findings = check(site, capsys)
    assert code == 1
    assert of(findings, "page-unparseable") == [
        (
            "/broken.html",
            "the file cannot be read as HTML (it has no element: it is empty, or only "
            "whitespace, comments or a doctype), so no other rule could check it and search "
            "engines see an empty page: write the page again (a build or upload cut short "
            "leaves empty files), or delete the file if it is not a page",
        )
    ]
    assert not [f for f in findings if f["url"] == "/broken.html" and f["rule"] == "h1-count"]


# -- a form's action ---------------------------------------------------------------------

FORM = '<form method="POST" action="{action}"><label>Message <textarea name="m"></textarea></label><button>Send</button></form>'


def shop_with_form(action: str, thanks_noindex: bool, thanks_in_sitemap: bool) -> dict[str, str]:
    """A home page linking to the contact page, whose form is sent to `action`, a thank-you
    page that nothing links to, and a sitemap."""
    robots = '<meta name="robots" content="noindex">' if thanks_noindex else ""
    locs = ["/", "/contact/", "/lonely/", *(["/contact/thanks/"] if thanks_in_sitemap else [])]
    return {
        "index.html": page("/", "Home", '<a href="/contact/">Write to the shop</a>'),
        "contact/index.html": page("/contact/", "Contact", FORM.format(action=action)),
        "contact/thanks/index.html": page("/contact/thanks/", "Thank you", head=robots),
        "lonely/index.html": page("/lonely/", "Lonely"),
        "sitemap.xml": "<urlset>"
        + "".join(f"<url><loc>{ORIGIN}{u}</loc></url>" for u in locs)
        + "</urlset>",
    }


@pytest.mark.parametrize(("noindex", "in_sitemap"), [(True, False), (True, True), (False, True)])
def test_a_forms_thank_you_page_is_no_orphan(tmp_path, capsys, noindex, in_sitemap):
    site = write_files(tmp_path / "shop", shop_with_form("/contact/thanks/", noindex, in_sitemap))
    _code, findings = check(site, capsys)
    assert [url for url, _ in of(findings, "orphan-page")] == ["/lonely/"]  # only the real one
    assert of(findings, "broken-link") == of(findings, "redirect-link") == []


def test_a_noindex_page_nothing_reaches_is_no_orphan(tmp_path, capsys):
    site = write_files(tmp_path / "shop", shop_with_form("", True, True))  # sent to itself
    _code, findings = check(site, capsys)
    assert [url for url, _ in of(findings, "orphan-page")] == ["/lonely/"]
    # not our folder: the sitemap says the page is meant for search, so its noindex is wrong
    assert [url for url, _ in of(findings, "noindex-in-production")] == ["/contact/thanks/"]
    assert of(findings, "sitemap-extra") == []  # one cause, one finding


def test_a_form_sent_to_a_missing_page_or_a_redirect_is_reported(tmp_path, capsys):
    for action, rule, message in [
        (
            "/contact/thank-you/",
            "broken-link",
            "<form> points at /contact/thank-you/, which is not in the build",
        ),
        (
            "/contact/thanks",
            "redirect-link",
            "/contact/thanks redirects to /contact/thanks/ (the page's URL ends with a slash); link /contact/thanks/",
        ),
    ]:
        site = write_files(tmp_path / rule, shop_with_form(action, True, False))
        _code, findings = check(site, capsys)
        assert of(findings, rule) == [("/contact/", message)]
    # Netlify's functions are no files of a build
    site = write_files(
        tmp_path / "functions", shop_with_form("/.netlify/functions/send", True, False)
    )
    _code, findings = check(site, capsys)
    assert of(findings, "broken-link") == []


@pytest.fixture
def example(example_site: Path) -> Path:
    """A copy of the example project (conftest.example_site): its output and cache are the
    test's own."""
    return example_site


def build_and_check(project: Path, capsys) -> tuple[int, list[dict[str, object]]]:
    code = main(["build", "--root", str(project), "--check", "--format", "json"])
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    return code, report["findings"]


def test_our_noindex_thank_you_page_is_no_orphan_and_its_form_is_a_link(example, capsys):
    assert "\nnoindex: true" in (example / "content/pages/contact-thanks.md").read_text()
    code, findings = build_and_check(example, capsys)
    assert code == 0
    assert of(findings, "orphan-page") == []
    assert "/contact/thanks/" not in (example / "public/sitemap.xml").read_text()
    assert (
        '<meta name="robots" content="noindex'
        in (example / "public/contact/thanks/index.html").read_text()
    )
    # the form is on every page: sent to a page that is not there, each says so
    partial = example / "layouts/partials/contact.html"
    partial.write_text(
        partial.read_text().replace('action="/contact/thanks/"', 'action="/contact/thank-you/"')
    )
    code, findings = build_and_check(example, capsys)
    broken = of(findings, "broken-link")
    assert code == 1 and broken
    assert {message for _url, message in broken} == {
        "<form> points at /contact/thank-you/, which is not in the build"
    }


def test_the_example_sites_structured_data_names_each_thing_once(example, capsys):
    code, findings = build_and_check(example, capsys)
    assert code == 0
    assert not {f["rule"] for f in findings} & {
        "jsonld-id-conflict",
        "jsonld-id-split",
        "orphan-page",
    }


# -- links and ids on a folder that is not ours --------------------------------------------


def test_a_foreign_folder_gets_redirect_links_and_duplicate_ids(tmp_path, capsys):
    site = write_files(
        tmp_path / "shop",
        {
            "index.html": page(
                "/",
                "Home",
                '<a href="/about">About the shop</a> <a href="/old-tools/">Old tools</a>'
                '<p id="hours">Open daily</p><p id="hours">Closed on Mondays</p>',
            ),
            "about/index.html": page("/about/", "About"),
            "tools/index.html": page("/tools/", "Tools"),
            "_redirects": "# moved\n/old-tools/  /tools/  301\n",
        },
    )
    _code, findings = check(site, capsys)
    assert of(findings, "redirect-link") == [
        ("/", "/about redirects to /about/ (the page's URL ends with a slash); link /about/"),
        ("/", "/old-tools/ redirects; link its target instead"),
    ]
    assert of(findings, "duplicate-id") == [("/", 'id="hours" is on more than one element')]
