"""Opening hours in words."""

from __future__ import annotations

import pytest

from sitegen.render.hours import readable_hours


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("Mo-Fr 09:00-17:00", "Monday to Friday, 9 am to 5 pm"),
        ("Sa 10:00-14:30", "Saturday, 10 am to 2:30 pm"),
        ("Mo,We,Fr 08:00-12:00", "Monday, Wednesday and Friday, 8 am to noon"),
        ("Su 18:00-24:00", "Sunday, 6 pm to midnight"),
        ("Tu-Th 00:00-23:59", "Tuesday to Thursday, midnight to 11:59 pm"),
        ("open late", "open late"),
    ],
)
def test_hours_read_as_words(value, words):
    assert readable_hours(value) == words


def test_a_location_with_hours_shows_them_in_words(minimal_site, build_cli):
    location = minimal_site / "content/locations/springfield.yaml"
    location.write_text(location.read_text() + 'hours: ["Mo-Fr 09:00-17:00"]\n')
    layout = minimal_site / "layouts/location.html"
    layout.write_text(
        layout.read_text().replace(
            "{% endblock %}",
            '{% for h in location.hours %}<p class="hours">{{ h | readable_hours }}</p>'
            "{% endfor %}{% endblock %}",
        )
    )
    assert build_cli(minimal_site).code == 0
    html = (minimal_site / "public/springfield/index.html").read_text()
    assert '<p class="hours">Monday to Friday, 9 am to 5 pm</p>' in html
