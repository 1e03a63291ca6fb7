"""`python build.py check`: SEO and HTML rules over a folder of built pages.

Its modules import each other one way only, from the records up to the command:
model (records); tree (lxml), similarity (main-text sketches), folder (the folder's
files), version (the cache key); the rules of one page (head_rules, content_rules,
data_rules, main_text), report, site_rules (rules across pages); page (one page);
incremental (the cache of findings); workers (many pages, forked); runner (one check);
command (the command line's entry points).
"""
