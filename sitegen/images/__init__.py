"""Raster images: read each source's header (source), plan the variants the layouts'
slots need (plan), encode them with Pillow (encode) on every core (produce) into a
persistent cache (store)."""
