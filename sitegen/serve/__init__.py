"""`python build.py serve`: the editor's preview, rebuilt and reloaded on every save."""
