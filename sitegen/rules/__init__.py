"""The rules of one page, shared by the build (which runs those about editors' text on
every page it renders) and `check` (which runs them all on a folder of HTML):

model (a finding, a page's facts) -> tree (lxml helpers) -> head_rules, content_rules,
data_rules (the rules, each a function of a parsed tree or of facts) -> links (where an
address leads in a build) -> ids, attribution."""
