"""Text: editors' Markdown and content variables -> HTML fragments."""
