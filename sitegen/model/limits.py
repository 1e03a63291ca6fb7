"""The build's fixed limits on editors' input: a hostile pull request (Netlify builds its
deploy preview with the site's secrets) must end in a clear error, never in a build that
runs unbounded or dies with a traceback.

They are constants, not site.yaml settings: the pull request that sends a hostile input
could raise a limit written in site.yaml in the same commit. Each is far above what a real
site needs (the example site's largest file is 20 KB, its deepest YAML 5 levels, its
deepest list 2).
"""

from __future__ import annotations

MAX_SOURCE_BYTES = 2 * 1024 * 1024
"""Bytes a source file (site.yaml, a location file, a Markdown file) may have: 2 MiB (a
long novel; Python-Markdown converts about a megabyte a second)."""

MAX_YAML_DEPTH = 64
"""Levels a YAML value may nest (a mapping in a list in a mapping... counts 3)."""

MAX_YAML_ALIAS_NODES = 10_000
"""Values a YAML file's aliases (`*name`) may produce in all, counted as they are expanded:
the guard against alias bombs ("billion laughs"). A recursive alias is refused outright."""

MAX_YAML_VALUES = 100_000
"""Values (each scalar, list, mapping and alias) one YAML text may have: a location file
has a few hundred, a FAQ of a thousand answers three thousand. 2 MB of nested lists hold a
million, which took 31 s to read and check."""

MAX_MARKDOWN_DEPTH = 32
"""Levels lists, block quotes and raw HTML elements may nest in a Markdown text."""

MAX_TEMPLATE_DEPTH = 32
"""Levels a content template may nest its `{% if %}` blocks and expressions."""

MAX_TEMPLATE_TAGS = 2_000
"""Tags a text may have when it needs the template engine (a condition or a filter
anywhere in it): Jinja spends about a millisecond a tag compiling. A text of plain
variables and components only (`{{ city }}`) is filled without it and has no such
limit."""

MAX_OUTPUT_BYTES = 1024 * 1024
"""Characters a rendered editor text may have beyond `OUTPUT_PER_SOURCE` times its source:
the second line of defence behind the template language, which cannot multiply text."""

OUTPUT_PER_SOURCE = 10
"""How many times its source a rendered editor text may be (see MAX_OUTPUT_BYTES)."""

MAX_TEXT_SECONDS = 5.0
"""Seconds of CPU time converting one Markdown text may take (where the build can interrupt
it: in the main thread of a process; see text/deadline.py). The largest text a file can
hold converts in about 2 s."""

MAX_BUILD_MARKDOWN_SECONDS = 60.0
"""Seconds of CPU time converting all of a build's Markdown texts may take together (one
file can hold many texts: a FAQ of a thousand answers). A real site of a thousand
locations converts its texts in about a second."""


def output_limit(source_length: int) -> int:
    """The most characters a text of `source_length` characters may render to."""
    return OUTPUT_PER_SOURCE * source_length + MAX_OUTPUT_BYTES


MAX_ERRORS_PER_TEXT = 20
"""Findings of one kind reported for one text (unknown names, constructs outside the
language, single braces, what the HTML policy removes), then one line saying how many
more: enough to fix, and placing and suggesting for each costs time."""

MAX_FOLDER_DEPTH = 32
"""Levels folders may nest under content/, layouts/ or assets/: deeper is an error before
anything is read (the output would nest as deep, past what the file system's tools and
Python's recursive folder functions handle)."""

MAX_SOURCE_NAMES = 500_000
"""Files and folders under content/, layouts/ and assets/ that the build cache's snapshot
lists (links followed) before it stops: past that, a link leads into a large tree outside
the project (`content/programs` -> `/`), which the build then refuses as it refuses every
link leading out, at once instead of after walking the whole disk. A 100,000-page site
has some 110,000."""

MAX_COMPONENTS_PER_TEXT = 20
"""Components a text may place (`{{ component("faq") }}`): each repeats a whole part of a
page (a local text, a form), so a text placing one hundreds of times made pages of tens
of megabytes."""

MAX_PICTURE_WIDTHS = 16
"""Widths a picture may be made in (site.yaml's images.slots at every viewport and
density, images.plan.ladder): each is encoded in every format for every picture, so
slots chosen to make dozens (37 made a single 8,000 px picture take 75 s of CPU) are an
error. The example makes 6; Next.js's defaults are 16."""

MAX_SVG_BYTES = 16 * 1024 * 1024
"""Bytes of an SVG in assets/: more than any drawing needs; a larger one is refused
unread (load.svgcheck)."""

MAX_SVG_TAGS = 250_000
"""Tags of an SVG (each `<`, which XML allows in markup only): a detailed map has some
thousands; more is refused before it is parsed, as 16 MB of `<g/>` took 7 s of CPU and
1.2 GB of memory to parse and judge (load.svgcheck)."""

MAX_SVG_ATTRIBUTES = 100
"""Attributes of one SVG element (a drawing's have a handful): lxml reads an element's
attribute values in time that grows with the square of their number (one element of
100,000 attributes, a 1 MB file, took 35 s to check), so more is refused, counted before
any value is read (load.svgcheck)."""

MAX_SITE_SVG_BYTES = 32 * 1024 * 1024
MAX_SITE_SVG_TAGS = 1_000_000
"""All the SVGs of assets/ together (a site's drawings are some megabytes): a build holds
each one's bytes from its check until it is published (load.assets), and judges each
element and attribute, about 4 s for a 15 MB file within the limits of one; a thousand
files of 16 MB (which git keeps in a few kilobytes when they repeat) would otherwise take
16 GB and hours. The SVG that goes over is an error; those after it are not read."""
