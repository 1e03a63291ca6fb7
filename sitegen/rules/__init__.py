"""The rules of one page, shared by the build (which runs those about editors' text on
every page it renders) and `check` (which runs them all on a folder of HTML):

model (a finding, a page's facts) -> tree (lxml helpers) -> links (where an address leads
in a build) -> head_rules, content_rules, data_rules (the rules, each a function of a
parsed tree or of facts) -> fragment (the rules run on one editor text's HTML), page_scan
(what the build reads from a whole page by string search), attribution (which file and
line a finding is about)."""
