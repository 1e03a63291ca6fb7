"""`python build.py check`: SEO and HTML rules over a folder of built pages."""
