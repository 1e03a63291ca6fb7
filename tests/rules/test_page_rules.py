# ruff: noqa: E501 - tables of test pages
"""Each checker rule on a page (or pages) that must trigger it and one that must not."""

from __future__ import annotations

import json

import pytest

from sitegen.check import site_rules
from sitegen.check.page import read_page
from sitegen.check.site_rules import Site
from sitegen.manifest import PageSource
from sitegen.rules.model import PageContext, PageFacts, Thresholds

ORIGIN = "https://www.example.com"
CTX = PageContext(ORIGIN, True, Thresholds())
GOOD_HEAD = (
    '<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>Intensive outpatient care in Springfield, IL</title>"
    '<meta name="description" content="Day and evening intensive outpatient treatment in '
    'Springfield for addiction and mental health, close to home.">'
)


def page(body: str = "<h1>Care</h1>", head: str = GOOD_HEAD, url: str = "/a/", canonical=True,
         lang: str = ' lang="en"', ctx: PageContext = CTX) -> tuple[PageFacts, set[str]]:  # fmt: skip
    link = f'<link rel="canonical" href="{ORIGIN}{url}">' if canonical else ""
    html = f"<!doctype html><html{lang}><head>{head}{link}</head><body>{body}</body></html>"
    facts, findings = read_page(html.encode(), url, ctx)
    return facts, {f.rule for f in findings}


def rules_of(**kwargs) -> set[str]:
    return page(**kwargs)[1]


def test_a_good_page_has_no_findings():
    assert rules_of() == set()


@pytest.mark.parametrize(
    ("head", "rule"),
    [
        (GOOD_HEAD.replace("<title>Intensive outpatient care in Springfield, IL</title>", ""), "title-missing"),
        (GOOD_HEAD.replace("Intensive outpatient care in Springfield, IL", "Care"), "title-length"),
        (GOOD_HEAD.replace("Intensive outpatient care in Springfield, IL", "x" * 61), "title-length"),
        (GOOD_HEAD.split('<meta name="description"')[0], "description-missing"),
        (GOOD_HEAD.replace("Day and evening intensive", "Short.\" x=\""), "description-length"),
        (GOOD_HEAD.replace('<meta name="viewport" content="width=device-width, initial-scale=1">', ""), "viewport-missing"),
    ],
)  # fmt: skip
def test_head_rules(head, rule):
    assert rule in rules_of(head=head)


def test_lengths_are_not_judged_on_pages_kept_out_of_search():
    head = GOOD_HEAD.replace("Intensive outpatient care in Springfield, IL", "Short")
    assert "title-length" in rules_of(head=head)
    assert "title-length" not in rules_of(head=head + '<meta name="robots" content="noindex">')


def test_one_h1_and_no_skipped_heading_levels():
    assert "h1-count" in rules_of(body="<p>No heading</p>")
    assert "h1-count" in rules_of(body="<h1>One</h1><h1>Two</h1>")
    assert "heading-order" in rules_of(body="<h1>A</h1><h3>C</h3>")
    assert "heading-order" not in rules_of(body="<h1>A</h1><h2>B</h2><h3>C</h3><h2>D</h2>")


def test_lang_is_required():
    assert "lang-missing" in rules_of(lang="")


def test_canonical_rules():
    assert "canonical-missing" in rules_of(canonical=False)
    assert "canonical-missing" not in rules_of(canonical=False, url="/404.html")
    bad = GOOD_HEAD + '<link rel="canonical" href="/a/">'
    assert "canonical-invalid" in rules_of(head=bad, canonical=False)
    other = GOOD_HEAD + f'<link rel="canonical" href="{ORIGIN}/b/">'
    assert "canonical-invalid" in rules_of(head=other, canonical=False)
    assert "canonical-invalid" in rules_of(
        head=GOOD_HEAD + f'<link rel="canonical" href="{ORIGIN}/a/">'
    )


def test_noindex_in_production_unless_the_page_is_meant_to_be():
    head = GOOD_HEAD + '<meta name="robots" content="noindex">'
    ours = PageContext(ORIGIN, True, Thresholds(), PageSource("content/pages/a.md"))
    assert "noindex-in-production" in rules_of(head=head, ctx=ours)
    meant = PageContext(ORIGIN, True, Thresholds(), PageSource("content/pages/a.md", noindex=True))
    assert "noindex-in-production" not in rules_of(head=head, ctx=meant)
    preview = PageContext(ORIGIN, False, Thresholds(), PageSource("content/pages/a.md"))
    assert "noindex-in-production" not in rules_of(head=head, ctx=preview)
    # a folder that is not ours: its sitemap says which pages are meant for search (a rule
    # across pages, tests/check/test_origin_preview.py)
    assert "noindex-in-production" not in rules_of(head=head)


@pytest.mark.parametrize(
    "meta",
    [
        '<meta name="robots" content="noindex">',
        '<meta name="ROBOTS" content="NoIndex, follow">',
        '<meta name="robots" content="none">',
        '<meta name="googlebot" content="noindex">',
        '<meta name="googlebot" content="nofollow,none">',
    ],
)
def test_every_way_google_reads_noindex_is_noindex(meta):
    assert page(head=GOOD_HEAD + meta)[0].noindex


@pytest.mark.parametrize(
    "meta",
    [
        '<meta name="robots" content="nofollow">',
        '<meta name="bingbot" content="noindex">',
        '<meta name="robots" content="noindexes">',
        '<meta name="googlebot-news" content="noindex">',
    ],
)
def test_other_robots_directives_are_not_noindex(meta):
    assert not page(head=GOOD_HEAD + meta)[0].noindex


def test_a_preview_judges_lengths_as_production_will_have_the_page():
    title = "<title>Intensive outpatient care in Springfield, IL</title>"
    head = GOOD_HEAD.replace(title, "<title>IOP</title>") + '<meta name="robots" content="noindex">'
    preview = PageContext(ORIGIN, False, Thresholds(), PageSource("content/pages/a.md"))
    assert "title-length" in rules_of(head=head, ctx=preview)  # the preview's noindex aside
    meant = PageContext(ORIGIN, False, Thresholds(), PageSource("content/pages/a.md", noindex=True))
    assert "title-length" not in rules_of(head=head, ctx=meant)
    assert "title-length" not in rules_of(head=head)  # production: noindex is out of search


def test_image_rules():
    good = '<h1>A</h1><img src="/x.png" alt="A group" width="10" height="10">'
    assert rules_of(body=good) == set()
    assert "img-alt" in rules_of(body='<h1>A</h1><img src="/x.png" width="1" height="1">')
    assert "img-alt" in rules_of(body='<h1>A</h1><img src="/x.png" alt="" width="1" height="1">')
    decorative = '<h1>A</h1><img src="/x.png" alt="" aria-hidden="true" width="1" height="1">'
    assert "img-alt" not in rules_of(body=decorative)
    assert "img-dimensions" in rules_of(body='<h1>A</h1><img src="/x.png" alt="A">')


def test_link_rules():
    assert "link-text" in rules_of(body='<h1>A</h1><a href="/b/">Click here</a>')
    assert "link-text" not in rules_of(body='<h1>A</h1><a href="/b/">Insurance we accept</a>')
    assert "tel-invalid" in rules_of(body='<h1>A</h1><a href="tel:(323) 555-0100">Call</a>')
    assert "tel-invalid" not in rules_of(body='<h1>A</h1><a href="tel:+13235550100">Call</a>')
    assert "http-self-link" in rules_of(body='<h1>A</h1><a href="http://www.example.com/b/">B</a>')
    assert "http-self-link" not in rules_of(body='<h1>A</h1><a href="http://other.org/">Other</a>')


def jsonld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


CLINIC = {
    "@context": "https://schema.org",
    "@type": "MedicalClinic",
    "@id": f"{ORIGIN}/springfield/#clinic",
    "name": "Example Care Springfield",
    "telephone": "+13235550100",
    "address": {"@type": "PostalAddress", "addressLocality": "Springfield", "addressRegion": "IL",
                "streetAddress": "100 Example Street"},
    "geo": {"@type": "GeoCoordinates", "latitude": 1, "longitude": 2},
    "openingHours": ["Mo-Fr 09:00-17:00"],
}  # fmt: skip
SHOWN = (
    "<h1>Example Care Springfield</h1><p>100 Example Street, Springfield, IL</p>"
    '<a href="tel:+13235550100">(323) 555-0100</a>'
)


def test_structured_data_parses_and_has_context_and_type():
    assert "jsonld-invalid" in rules_of(
        body=SHOWN + '<script type="application/ld+json">{x</script>'
    )
    assert "jsonld-invalid" in rules_of(body=SHOWN + jsonld({"@type": "Thing"}))
    assert rules_of(body=SHOWN + jsonld(CLINIC)) == set()


def test_clinic_needs_name_address_and_id_and_must_match_the_page():
    assert "clinic-required" in rules_of(body=SHOWN + jsonld({**CLINIC, "address": None}))
    assert "clinic-required" in rules_of(
        body=SHOWN + jsonld({k: v for k, v in CLINIC.items() if k != "@id"})
    )
    assert "clinic-mismatch" in rules_of(
        body=SHOWN + jsonld({**CLINIC, "telephone": "+13235550199"})
    )
    other_town = {**CLINIC, "address": {**CLINIC["address"], "addressLocality": "Shelbyville"}}
    assert "clinic-mismatch" in rules_of(body=SHOWN + jsonld(other_town))
    assert "clinic-mismatch" in rules_of(body=SHOWN + jsonld({**CLINIC, "name": "Other Clinic"}))


def test_missing_recommended_clinic_facts_are_a_warning_that_says_what_they_cost():
    bare = {k: v for k, v in CLINIC.items() if k not in ("geo", "openingHours")}
    _, findings = read_page(
        f'<html lang="en"><head>{GOOD_HEAD}<link rel="canonical" href="{ORIGIN}/a/"></head>'
        f"<body>{SHOWN}{jsonld(bare)}</body></html>".encode(),
        "/a/",
        CTX,
    )
    [finding] = [f for f in findings if f.rule == "clinic-recommended"]
    assert "geo" in finding.message and "openingHours (results show no hours)" in finding.message


def test_breadcrumb_positions_and_items():
    def crumbs(items):
        return jsonld(
            {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}
        )

    good = [{"@type": "ListItem", "position": 1, "name": "Home", "item": f"{ORIGIN}/"},
            {"@type": "ListItem", "position": 2, "name": "A", "item": f"{ORIGIN}/a/"}]  # fmt: skip
    assert "breadcrumb-invalid" not in rules_of(body="<h1>A</h1>" + crumbs(good))
    assert "breadcrumb-invalid" in rules_of(body="<h1>A</h1>" + crumbs(good[::-1]))
    relative = [{**good[0], "item": "/"}, good[1]]
    assert "breadcrumb-invalid" in rules_of(body="<h1>A</h1>" + crumbs(relative))


def test_faq_markup_only_for_questions_the_page_shows():
    faq = {"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": [
        {"@type": "Question", "name": "Is parking free?", "acceptedAnswer": {"@type": "Answer", "text": "Yes."}}]}  # fmt: skip
    shown = "<h1>A</h1><details><summary><h3>Is parking free?</h3></summary>Yes.</details>"
    assert "faq-not-visible" not in rules_of(body=shown + jsonld(faq))
    assert "faq-not-visible" in rules_of(body="<h1>A</h1>" + jsonld(faq))


# --- rules across pages -------------------------------------------------------------------


def facts(url: str, **fields) -> PageFacts:
    defaults = {"title": f"Title of {url}", "description": f"About {url}", "h1": f"H {url}"}
    return PageFacts(url=url, **{**defaults, **fields})


def found(findings) -> set[tuple[str, str]]:
    return {(f.rule, f.url) for f in findings}


def test_duplicates_of_indexable_pages():
    pages = {"/a/": facts("/a/", title="Same"), "/b/": facts("/b/", title="Same"),
             "/c/": facts("/c/", title="Same", noindex=True)}  # fmt: skip
    result = found(site_rules.duplicates(Site(pages, {}, ORIGIN)))
    assert result == {("duplicate-title", "/b/")}


def test_broken_links_fragments_redirects_and_heavy_images():
    files = {"/a/index.html": 1, "/b/index.html": 1, "/img/big.png": 400 * 1024, "/img/ok.png": 10}
    pages = {
        "/a/": facts("/a/", links=[("/b/", "there", "a"), ("/b/", "nowhere", "a"), ("/gone/", "", "a"),
                                   ("/old/", "", "a"), ("/img/ok.png", "", "img")],
                     images=["/img/big.png", "/img/ok.png"]),
        "/b/": facts("/b/", ids=frozenset({"there"})),
    }  # fmt: skip
    site = Site(pages, files, ORIGIN, redirects=[("/old/", "/b/")])
    messages = {(f.rule, f.message) for f in site_rules.links(site, Thresholds())}
    rules = [rule for rule, _ in messages]
    assert sorted(rules) == ["broken-fragment", "broken-link", "img-file-size", "redirect-link"]
    assert ("broken-fragment", "#nowhere is not an id on /b/") in messages


def test_near_duplicates_and_doorway_pages_name_the_closest_sibling():
    from sitegen.check import similarity

    shared = "Our program offers group therapy and individual sessions every week. " * 20
    texts = {
        "/springfield/iop/": ("Springfield", shared + "Visit us in Springfield."),
        "/shelbyville/iop/": ("Shelbyville", shared + "Visit us in Shelbyville."),
        "/capital/iop/": ("Capital City", "A different text about Capital City, its team, its buses "
                          "and the park next door where groups meet in summer. " * 10),
    }  # fmt: skip
    pages, sources = {}, {}
    for url, (city, text) in texts.items():
        pages[url] = facts(url, sketch=similarity.sketch(text),
                           masked_sketch=similarity.sketch(similarity.mask(text, [city])))  # fmt: skip
        sources[url] = PageSource("x.md", group="iop", terms=(city,))
    result = list(
        site_rules.near_duplicates(Site(pages, {}, ORIGIN, sources=sources), Thresholds())
    )
    assert found(result) == {("doorway", "/springfield/iop/"), ("doorway", "/shelbyville/iop/")}
    assert "/shelbyville/iop/" in next(f.message for f in result if f.url == "/springfield/iop/")


def test_sitemap_must_list_exactly_the_indexable_pages():
    pages = {"/a/": facts("/a/"), "/b/": facts("/b/"), "/n/": facts("/n/", noindex=True)}
    site = Site(pages, {}, ORIGIN, sitemap=[f"{ORIGIN}/a/", f"{ORIGIN}/n/", f"{ORIGIN}/x/"])
    result = found(site_rules.sitemap(site))
    # not our folder: the sitemap says /n/ is meant for search, so its noindex is the fault
    assert result == {
        ("sitemap-missing", "/b/"),
        ("sitemap-extra", "/sitemap.xml"),
        ("noindex-in-production", "/n/"),
    }
    assert len(list(site_rules.sitemap(site))) == 3  # one finding per cause
    # ours: the build meant /n/ to be noindex, so listing it is the sitemap's fault
    sources = {url: PageSource("content/pages/x.md", noindex=url == "/n/") for url in pages}
    ours = Site(pages, {}, ORIGIN, sitemap=site.sitemap, sources=sources)
    result = found(site_rules.sitemap(ours))
    assert result == {("sitemap-missing", "/b/"), ("sitemap-extra", "/sitemap.xml")}
    assert len(list(site_rules.sitemap(ours))) == 3  # /n/ and /x/ are both extra
    # a preview: every page says noindex; judged as the build meant them
    said = {url: facts(url, noindex=True) for url in pages}
    preview = Site(said, {}, ORIGIN, sitemap=site.sitemap, sources=sources, production=False)
    assert found(site_rules.sitemap(preview)) == result


def test_a_preview_page_must_say_noindex_in_its_head_or_headers():
    pages = {"/a/": facts("/a/", noindex=True), "/b/": facts("/b/"), "/c/": facts("/c/")}
    site = Site(pages, {}, ORIGIN, production=False)
    assert found(site_rules.preview(site)) == {
        ("preview-indexable", "/b/"),
        ("preview-indexable", "/c/"),
    }
    headers = [("/b/*", [("X-Robots-Tag", "noindex")]), ("/c/", [("X-Frame-Options", "DENY")])]
    site = Site(pages, {}, ORIGIN, production=False, headers=headers)
    assert found(site_rules.preview(site)) == {("preview-indexable", "/c/")}
    site = Site(
        pages,
        {},
        ORIGIN,
        production=False,
        headers=[("/*", [("x-robots-tag", "noindex, nofollow")])],
    )
    assert found(site_rules.preview(site)) == set()
    assert found(site_rules.preview(Site(pages, {}, ORIGIN))) == set()  # production


def test_orphans_are_sitemap_pages_no_other_page_links_to():
    pages = {"/": facts("/", links=[("/a/", "", "a")]), "/a/": facts("/a/", links=[("/a/", "", "a")]),
             "/b/": facts("/b/")}  # fmt: skip
    site = Site(pages, {}, ORIGIN, sitemap=[f"{ORIGIN}/", f"{ORIGIN}/a/", f"{ORIGIN}/b/"])
    assert found(site_rules.orphans(site)) == {("orphan-page", "/b/")}


def test_redirect_chains_and_redirects_over_pages():
    files = {"/page/index.html": 1}
    site = Site({}, files, ORIGIN, redirects=[("/a/", "/b/"), ("/b/", "/c/"), ("/page/", "/c/")])
    messages = [f.message for f in site_rules.redirects(site)]
    assert any("/a/ redirects to /b/, which redirects again" in m for m in messages)
    assert any("/page/ is a page of the build" in m for m in messages)
    clean = Site({}, files, ORIGIN, redirects=[("/a/", "/page/")])
    assert list(site_rules.redirects(clean)) == []


def test_the_checker_and_site_yaml_have_the_same_default_thresholds():
    """Two homes for the defaults (the checker starts without pydantic): they must agree."""
    from dataclasses import asdict

    from sitegen.model.site_schema import CheckThresholdsFields

    assert asdict(Thresholds()) == CheckThresholdsFields().model_dump()


def test_in_large_groups_the_closest_sibling_is_found_among_neighbours():
    """Past ALL_PAIRS_UP_TO distinct texts, pages are compared with their neighbours in
    sketch order: a near-copy among many different pages is still found."""
    from sitegen.check import similarity

    words = [f"word{i}" for i in range(4000)]
    texts = {f"/p{i}/": " ".join(words[i * 30 : i * 30 + 120]) for i in range(100)}
    texts["/copy/"] = texts["/p42/"] + " one more sentence at the end"
    sketches = {url: similarity.sketch(text) for url, text in texts.items()}
    assert len(set(sketches.values())) > similarity.ALL_PAIRS_UP_TO
    best = similarity.closest(sketches)
    assert best["/copy/"][0] == "/p42/" and best["/copy/"][1] > 0.8
    assert best["/p42/"][0] == "/copy/"


@pytest.mark.parametrize(
    ("text", "terms", "masked"),
    [
        ("Visit Silver Creek, CO. Call (323) 555-0103 today.", ("Silver Creek", "CO", "(323) 555-0103"),
         "visit zzlocation zzlocation call zzlocation today"),
        ("CO co Co", ("CO",), "zzlocation zzlocation zzlocation"),  # one right after another
        ("Cologne, Costa and Denver", ("CO", "Denver"), "cologne costa and zzlocation"),  # whole words only
        ("Springfield Heights and Springfield", ("Springfield", "Springfield Heights"),
         "zzlocation and zzlocation"),  # the longer name first
        ("ZÜRICH and Zürich", ("Zürich",), "zzlocation and zzlocation"),  # any case, not only ASCII
        ("Silver\n  Creek's team", ("Silver Creek",), "zzlocation s team"),  # any spaces between words
        ("Nothing to mask", (), "nothing to mask"),
        ("Springfield\u2019s clinic \u2014 near \u201cSpringfield\u201d\u2026", ("Springfield",),
         "zzlocation s clinic near zzlocation"),  # typographic punctuation parts words
        ("Silver\u00a0Creek\u2009team", ("Silver Creek",), "zzlocation team"),  # no-break spaces
        ("Spring\u00adfield care", ("Springfield",), "zzlocation care"),  # a soft hyphen joins
    ],
)  # fmt: skip
def test_masking_replaces_the_location_names_as_whole_words(text, terms, masked):
    from sitegen.check import similarity

    assert similarity.mask(text, terms) == masked
    assert similarity.masked_sketch(text, terms) == similarity.sketch(masked)


def test_the_main_text_leaves_out_navigation_forms_and_scripts_and_keeps_words_apart():
    from sitegen.check import similarity

    body = ("<header>Site name</header><main><h1>Alpha</h1><nav>menu</nav>beta<form>field"
            "</form>gamma <script>var x</script>delta<aside>aside</aside>epsilon</main>"
            "<footer>footer</footer>")  # fmt: skip
    facts, _ = page(body=body)
    # the heading is a block of its own: no shingle runs from it into the text after it
    assert facts.sketch == similarity.sketch(
        f"Alpha{similarity.BLOCK_MARK}beta gamma delta epsilon"
    )
    assert facts.sketch != similarity.sketch("Alpha beta gamma delta epsilon")
    assert facts.sketch != similarity.sketch("Alpha\x7fbeta gamma deltaepsilon")


ODD_VALUES = [None, 1, 1.5, True, "x", [], [1, 2], ["a"], {}, {"@id": 3}, [{"a": 1}, 2], {"x": []}]


@pytest.mark.parametrize(
    "kind", ["MedicalClinic", "BreadcrumbList", "FAQPage", ["MedicalClinic", "Place"]]
)
def test_json_ld_of_any_shape_gives_findings_never_an_exception(kind):
    """Every property the data rules read, holding each kind of JSON value."""
    properties = ["name", "telephone", "address", "geo", "openingHours", "itemListElement",
                  "mainEntity", "@id", "parentOrganization", "url"]  # fmt: skip
    for value in ODD_VALUES:
        for prop in properties:
            item = {"@context": "https://schema.org", "@type": kind, prop: value}
            nested = {**item, "address": {"streetAddress": value}, "mainEntity": [{"name": value}]}
            for data in (item, nested, {"@context": "https://schema.org", "@graph": [item, value]}):
                block = json.dumps(data)
                body = f'<h1>A</h1><script type="application/ld+json">{block}</script>'
                page(body=body)  # raises nothing
