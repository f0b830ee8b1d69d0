"""Learning themes: the register's own list in wbcr.yaml (`themes:`), and the themes a case's findings
and recommendations carry (`themes:` in recommendations.yaml).

Plain data in, plain data out: the checks (`wbcr.validation`), the recording commands and the themes
report (`wbcr.reports.themes`) read them from here, so a theme means one thing everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    description: str | None = None


def register_themes(config: Any) -> list[Theme]:
    """The themes wbcr.yaml lists, in its order (entries without a usable id are skipped: `validate`
    reports them against the schema)."""
    items = config.get("themes") if isinstance(config, dict) else None
    out: list[Theme] = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"]:
            label = item.get("label") if isinstance(item.get("label"), str) and item.get("label") else item["id"]
            text = item.get("description") if isinstance(item.get("description"), str) else None
            out.append(Theme(item["id"], label, text))
    return out


def theme_ids(config: Any) -> list[str]:
    return list(dict.fromkeys(t.id for t in register_themes(config)))


def known_themes_hint(config: Any) -> str:
    """What a message about an unknown theme says to do: the ids wbcr.yaml lists, or that it lists none."""
    ids = theme_ids(config)
    if not ids:
        return "wbcr.yaml lists no themes: add a themes: list (id and label of each) to it"
    return "themes in wbcr.yaml: " + ", ".join(ids) + " (a new theme goes in its themes: list first)"


def iter_case_themes(recommendations: Any) -> Iterator[tuple[tuple, str, str]]:
    """(json path, theme id, "finding F1" / "recommendation R2") for every theme a recommendations.yaml
    record carries, findings first."""
    if not isinstance(recommendations, dict):
        return
    for key, noun in (("findings", "finding"), ("recommendations", "recommendation")):
        items = recommendations.get(key)
        for i, item in enumerate(items if isinstance(items, list) else []):
            if not isinstance(item, dict):
                continue
            themes = item.get("themes")
            for j, theme in enumerate(themes if isinstance(themes, list) else []):
                if isinstance(theme, str):
                    yield (key, i, "themes", j), theme, f"{noun} {item.get('id', i + 1)}"
