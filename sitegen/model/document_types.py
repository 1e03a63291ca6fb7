"""The file types a browser opens as a document that can run script: what an asset may
not be (load.assets.active_asset_errors), as no script may run on the site's own address
from an editor's file (docs/threat-model.md).

A browser renders a file as a page when its server names an HTML MIME type (text/html) or
an XML MIME type (text/xml, application/xml, or a subtype ending in "+xml": XHTML, SVG,
MathML, Atom, RDF...), which can hold XHTML's <script> (WHATWG MIME Sniffing, "MIME type
groups"). Servers name a file's type by its extension, so these are the extensions that
some common table maps to one of those types: mime-db 1.54.0 (jshttp's, from IANA's
registry, Apache's and nginx's tables, which Node servers and many hosts use), Python's
own table (`mimetypes`), Debian's media-types 10.0.0 (/etc/mime.types, which Apache, nginx's
packages and Python's `mimetypes.guess_type` read there: 18 more), and .mht/.mhtml (web
archives), .shtm and .mml (nginx's text/mathml). An extension no table knows is served as bytes to
download, not rendered. .svg is not among them: an SVG is judged by its content
(load.svgcheck) and published as checked.
"""

from __future__ import annotations

_LISTED = (  # one string: 175 words read better in lines than one a line
    "1km ac aml atom atomcat atomdeleted atomsvc bdo bmml ccxml cdfx cdxml cpl csl "
    "dae davmount dbk dcmp dd2 ddf dtb dwd emma emotionml es3 et3 fdt fo gml gpx "
    "grxml hal held htm html ink inkml irp its kml lasxml lbe lgr link66 lostxml mads "
    "maei mathml meta4 metalink mets mht mhtml mml mods mpd mpf mpkg mpp mrcx mscml "
    "musd musicxml mxml ncx obgx omdoc opf osfpvg osm owl pls provx pskcxml rapd rdf "
    "relo res rif rl rld rng rs rsat rsd rsheet rss rusd sbml sdkd sdkm senmlx "
    "sensmlx shf shtm shtml sls smi smil sru srx ssdl ssml stpx svgz swidtag td tei "
    "teicorpus tfi ttml uo uoml uvt uvvt vxml wadl wbs wif wsdl wspolicy x3d x3dz "
    "xaml xav xca xcs xdcf xdf xdm xdp xdssc xel xenc xer xht xhtm xhtml xhvml xlf "
    "xml xns xop xpdl xpl xsd xsf xsl xslt xsm xspf xul xvm xvml yin zaz zmm "
    # Debian's media-types 10.0.0 (/etc/mime.types) adds these
    "apxml atomsrv ccmp cellml cl clue dist distz gsheet lostsyncxml moml odd pkg "
    "rfcxml scl sml uis xmls"
)
DOCUMENT_EXTENSIONS = frozenset(_LISTED.split())
"""Lowercase extensions without their dot: see the module's text."""


def document_extension(name: str) -> str | None:
    """The extension of the file `name` (any letter case) when a browser opens such a file
    as a document (DOCUMENT_EXTENSIONS), lowercased with its dot (".xhtml"); else None."""
    extension = name.rpartition(".")[2].lower() if "." in name.rpartition("/")[2] else ""
    return f".{extension}" if extension in DOCUMENT_EXTENSIONS else None
