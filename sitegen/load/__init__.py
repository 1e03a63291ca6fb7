"""Load: source files -> validated records (site.yaml, content, assets), each problem at
its file and line."""
