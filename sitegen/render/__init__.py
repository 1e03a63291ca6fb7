"""Render: routes -> HTML strings (view models, layouts, head, structured data, worker pool)."""
