"""Text: editors' Markdown and content variables -> HTML fragments.

One job a module, each importing only those before it (and sitegen.model, sitegen.errors):
tags (how tags are written), plain (the fast path of Markdown), headings (heading ids),
images (image sizes), variables (which names a text may use, their values), convert
(Markdown -> HTML once per text, tags kept), template (the content template language: compile
once, run per page, errors at the content line), names (unknown names found before
rendering), components (component placeholders, the introduction), renderer (the facade
the build uses, with its caches).
"""
