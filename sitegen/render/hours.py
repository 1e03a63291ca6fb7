"""Opening hours as people read them: "Mo-Fr 09:00-17:00" (schema.org's form, which the
location files use) becomes "Monday to Friday, 9 am to 5 pm"."""

from __future__ import annotations

DAYS = {"Mo": "Monday", "Tu": "Tuesday", "We": "Wednesday", "Th": "Thursday",
        "Fr": "Friday", "Sa": "Saturday", "Su": "Sunday"}  # fmt: skip


def readable_hours(value: str) -> str:
    """One validated hours line in words; the line as it is if it is not in that form."""
    try:
        days, times = value.split(" ")
        start, end = times.split("-")
        groups = [_days(group) for group in days.split(",")]
    except (ValueError, KeyError):
        return value
    named = groups[0] if len(groups) == 1 else ", ".join(groups[:-1]) + " and " + groups[-1]
    return f"{named}, {_time(start)} to {_time(end)}"


def _days(group: str) -> str:
    if "-" in group:
        first, last = group.split("-")
        return f"{DAYS[first]} to {DAYS[last]}"
    return DAYS[group]


def _time(value: str) -> str:
    hours, minutes = (int(part) for part in value.split(":"))
    if hours in (0, 24) and minutes == 0:
        return "midnight"
    if hours == 12 and minutes == 0:
        return "noon"
    suffix = "am" if hours < 12 else "pm"
    shown = hours % 12 or 12
    return f"{shown} {suffix}" if minutes == 0 else f"{shown}:{minutes:02d} {suffix}"
