"""schema.org structured data (JSON-LD) for a page: what search engines read instead of guessing from the HTML.

Exercises and routines are `ExercisePlan`s, articles `Article`s; every page
below the home page gets a `BreadcrumbList`, and a main image becomes an
`ImageObject` carrying its license and credit, which is how image search
shows who made a picture and on what terms. Every URL in it is absolute, so
nothing here is written without a `base_url`.

The data is built as plain dicts, each key only when its value is known, so
that a test can read them back with `json.loads` exactly as a crawler would.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from builder.dose import Dose, Span, format_dose
from builder.media import Picture
from builder.model import Article, Exercise, Page, Routine, Settings, Taxonomy
from builder.pages import PagePlan
from builder.words import Words

__all__ = ["breadcrumb_list", "image_object", "iso_duration", "json_ld", "structured_data"]

JsonObject = dict[str, Any]
Absolute = Callable[[str], str]
"""A site path (`exercises/plank/`) to its absolute URL."""

_CONTEXT = "https://schema.org"
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}
"""Characters JSON may spell as escapes, escaped so no text can end the script (`</script>`) or make the
HTML parser read on past its end (`<!--<script>`); `json.loads` reads them back unchanged."""


def structured_data(
    plan: PagePlan, settings: Settings, taxonomy: Taxonomy, absolute: Absolute, words: Words
) -> list[JsonObject]:
    """The JSON-LD objects of one page: its own kind's, then its breadcrumbs; empty without a `base_url`.

    Text meant for people (a dose as `additionalVariable`) is in the page's language, `words`.
    """
    if not settings.base_url:
        return []
    found: list[JsonObject] = []
    page = plan.body
    if isinstance(page, Exercise):
        found.append(_exercise_plan(page, plan.path, settings, taxonomy, absolute, words))
    elif isinstance(page, Routine):
        found.append(_routine_plan(page, plan.path, settings, absolute))
    elif isinstance(page, Article):
        found.append(_article(page, plan.path, settings, absolute))
    if plan.crumbs:
        found.append(breadcrumb_list(plan.crumbs, plan.title, plan.path, absolute))
    return found


def json_ld(item: JsonObject) -> Markup:
    """A `<script type="application/ld+json">` holding one object, safe to place in HTML whatever its texts hold."""
    text = json.dumps(item, ensure_ascii=False)
    for character, escape in _SCRIPT_ESCAPES.items():
        text = text.replace(character, escape)
    return Markup(f'<script type="application/ld+json">{text}</script>')


def breadcrumb_list(crumbs: tuple[tuple[str, str], ...], title: str, path: str, absolute: Absolute) -> JsonObject:
    """The trail the page shows above its title, ending with the page itself, numbered from 1 as schema.org asks."""
    trail = [*crumbs, (title, path)]
    return {
        "@context": _CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": label, "item": absolute(target)}
            for number, (label, target) in enumerate(trail, start=1)
        ],
    }


def image_object(picture: Picture, absolute: Absolute) -> JsonObject:
    """The published picture browsers fall back to, with whatever is known of its caption, credit and license."""
    rendition = picture.fallback
    attribution = picture.attribution
    found: JsonObject = {
        "@type": "ImageObject",
        "contentUrl": absolute(rendition.path),
        "width": rendition.width,
        "height": rendition.height,
    }
    if attribution.caption:
        found["caption"] = attribution.caption
    if attribution.license:
        found["license"] = attribution.license_url
    if attribution.credit:
        found["creditText"] = attribution.credit
        found["creator"] = {"@type": "Person", "name": attribution.credit}
    if attribution.source:
        found["acquireLicensePage"] = attribution.source
    return found


def iso_duration(seconds: int) -> str:
    """A time as ISO 8601 spells a duration, as schema.org's `Duration` asks: `PT30S`, `PT1M30S`, `PT1H`."""
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{value}{unit}" for value, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if value]
    return "PT" + ("".join(parts) or "0S")


def _count(span: Span) -> int | JsonObject:
    """A count, or a range of counts as a `QuantitativeValue`, which schema.org takes where it takes a number."""
    if not span.is_range:
        return span.low
    return {"@type": "QuantitativeValue", "minValue": span.low, "maxValue": span.high}


def _time(span: Span) -> str | JsonObject:
    """A time as a `Duration`, or a range of times in seconds (unit code `SEC`), since a duration has no range."""
    if not span.is_range:
        return iso_duration(span.low)
    return {"@type": "QuantitativeValue", "minValue": span.low, "maxValue": span.high, "unitCode": "SEC"}


def _creative_work(kind: str, page: Page, path: str, settings: Settings, absolute: Absolute) -> JsonObject:
    """What every page with a body has in common: its name, summary, address, language, tags and main image."""
    found: JsonObject = {"@context": _CONTEXT, "@type": kind, "name": page.title, "url": absolute(path)}
    if page.summary:
        found["description"] = page.summary
    found["inLanguage"] = settings.language
    if page.tags:
        found["keywords"] = ", ".join(page.tags)
    if page.main_image is not None:
        found["image"] = image_object(page.main_image, absolute)
    return found


def _dose_fields(dose: Dose, words: Words) -> JsonObject:
    """The parts of a dose schema.org has properties for; the whole of it, sets included, as the page words it."""
    found: JsonObject = {}
    if dose.reps is not None:
        found["repetitions"] = _count(dose.reps)
    if dose.duration is not None:
        found["activityDuration"] = _time(dose.duration)
    if dose.rest is not None:
        found["restPeriods"] = _time(dose.rest)
    found["additionalVariable"] = format_dose(dose, words)
    return found


def _exercise_plan(
    exercise: Exercise, path: str, settings: Settings, taxonomy: Taxonomy, absolute: Absolute, words: Words
) -> JsonObject:
    found = _creative_work("ExercisePlan", exercise, path, settings, absolute)
    found["exerciseType"] = taxonomy.regions[exercise.region].name
    found["educationalLevel"] = exercise.level
    found.update(_dose_fields(exercise.prescription, words))
    return found


def _routine_plan(routine: Routine, path: str, settings: Settings, absolute: Absolute) -> JsonObject:
    """A routine as one plan: its estimated time is how long it takes, its frequency how often to do it."""
    found = _creative_work("ExercisePlan", routine, path, settings, absolute)
    found["educationalLevel"] = routine.level
    found["activityDuration"] = iso_duration(routine.estimate.high)
    if routine.frequency:
        found["activityFrequency"] = routine.frequency
    return found


def _article(article: Article, path: str, settings: Settings, absolute: Absolute) -> JsonObject:
    """An article, credited to its author, or to the site when it names nobody."""
    found = _creative_work("Article", article, path, settings, absolute)
    found["headline"] = article.title
    found["datePublished"] = article.date.isoformat()
    publisher = {"@type": "Organization", "name": settings.title, "url": absolute("")}
    found["author"] = {"@type": "Person", "name": article.author} if article.author else publisher
    found["publisher"] = publisher
    found["mainEntityOfPage"] = absolute(path)
    return found
