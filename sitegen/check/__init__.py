"""`python build.py check`: SEO and HTML rules over a folder of built pages.

The rules of one page are sitegen.rules (shared with the build); this package reads a
folder with them and adds the rules across pages. Its modules import each other one way
only, from the records up to the command: model (settings, report); similarity
(main-text sketches), folder (the folder's files), version (the cache key); main_text,
report, site_rules (rules across pages); page (one page); incremental (the cache of
findings); workers (many pages, forked); runner (one check); command (the command line's
entry points).
"""
