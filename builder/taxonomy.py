"""taxonomy.yml read into the vocabulary that front matter refers to by id."""

from __future__ import annotations

from pathlib import Path

from builder.diagnostics import Diagnostics
from builder.fields import SLUG, Fields, slug_hint
from builder.model import Equipment, Muscle, Region, Taxonomy
from builder.source import read_yaml_file

__all__ = ["TAXONOMY_FILE", "load_taxonomy"]

TAXONOMY_FILE = "taxonomy.yml"


def load_taxonomy(content: Path, diagnostics: Diagnostics) -> Taxonomy | None:
    path = content / TAXONOMY_FILE
    node = read_yaml_file(path, diagnostics, "the taxonomy file")
    if node is None:
        return None
    top = Fields(node, path, diagnostics, ("regions", "muscles", "equipment"))
    seen: dict[str, tuple[str, int]] = {}
    regions = {}
    for fields in _entries(top, "regions", ("id", "name", "description"), seen):
        region = Region(fields.text("id"), fields.text("name", True, 60), fields.text("description", max_length=300))
        regions[region.id] = region
    muscles = {}
    for fields in _entries(top, "muscles", ("id", "name", "region"), seen):
        muscle = Muscle(fields.text("id"), fields.text("name", True, 60), fields.choice("region", regions))
        muscles[muscle.id] = muscle
    equipment = {}
    for fields in _entries(top, "equipment", ("id", "name"), seen):
        item = Equipment(fields.text("id"), fields.text("name", True, 60))
        equipment[item.id] = item
    top.finish()
    return Taxonomy(regions, muscles, equipment)


def _entries(top: Fields, key: str, known: tuple[str, ...], seen: dict[str, tuple[str, int]]) -> list[Fields]:
    """The valid-id entries of one list; ids are unique across lists as `[[id]]` links reach them all."""
    valid = []
    for item in top.list_nodes(key, required=key != "equipment"):
        if item.kind != "mapping":
            top.error(
                item.line, f"each entry of '{key}' must be a mapping with {', '.join(known)}, found {item.describe()}"
            )
            continue
        fields = Fields(item, top.path, top.diagnostics, known)
        identifier = fields.text("id", required=True)
        fields.finish()
        if not identifier:
            continue
        if not SLUG.fullmatch(identifier):
            fields.error(
                fields.line("id"),
                f"id '{identifier}' is not valid: use lowercase letters, digits and hyphens",
                slug_hint(identifier),
            )
        elif identifier in seen:
            where, line = seen[identifier]
            fields.error(fields.line("id"), f"id '{identifier}' is already used in '{where}' at line {line}")
        else:
            seen[identifier] = (key, fields.line("id"))
            valid.append(fields)
    return valid
