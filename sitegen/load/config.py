"""site.yaml -> SiteConfig."""

from __future__ import annotations

import difflib
from pathlib import Path

from sitegen.errors import SiteError, SourceRef
from sitegen.load.textfiles import read_text
from sitegen.load.validate import validate
from sitegen.load.yamlfile import parse_yaml
from sitegen.model.check_rules import RULES
from sitegen.model.project import CONFIG_FILE
from sitegen.model.records import SiteConfig
from sitegen.model.site_schema import SiteFields


def load_config(root: Path, base_url: str | None = None) -> SiteConfig:
    """Read site.yaml; `base_url` (from the command line) replaces the file's value."""
    path = root / CONFIG_FILE
    if not path.is_file():
        raise SiteError(
            f"no {CONFIG_FILE} in {root.resolve()}",
            SourceRef(CONFIG_FILE),
            "run the command from the project folder, or create site.yaml",
        )
    doc = parse_yaml(read_text(path, root), SourceRef(CONFIG_FILE))
    if base_url is not None and isinstance(doc.data, dict):
        doc.data["base_url"] = base_url
    fields = validate(SiteFields, doc, CONFIG_FILE)
    return SiteConfig(fields, doc, root)


def check_settings_errors(config: SiteConfig) -> list[SiteError]:
    """Unknown rule ids in site.yaml's check.rules, at their line."""
    errors = []
    for rule in config.fields.check.rules:
        if rule not in RULES:
            close = difflib.get_close_matches(rule, list(RULES), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "rules: " + ", ".join(RULES)
            errors.append(
                SiteError(
                    f"unknown check rule '{rule}'", config.doc.ref(("check", "rules", rule)), hint
                )
            )
    return errors
