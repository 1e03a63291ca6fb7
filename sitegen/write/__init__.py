"""Write: HTML strings -> the output folder (staging and atomic commit, site files, lastmod)."""
