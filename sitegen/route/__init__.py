"""Route: records -> the URL table (pages, permalinks, aliases, collisions)."""
