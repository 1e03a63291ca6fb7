"""The records every stage passes on: the schema editors' files must meet, the loaded
site, its routes, and the names of a project's files."""
