"""The list of pages a guide makes: where each goes, which template draws it, and what it shows.

Pure planning, no rendering: each plan holds model values, so pages can be
rendered in any order, or again on their own when their sources change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from builder.cards import CARD_SIZES
from builder.crossref import CrossIndex
from builder.model import Exercise, Guide, Page, Routine
from builder.progressions import Neighbours
from builder.steps import Timing, player_plans
from builder.urls import site_path

__all__ = ["PRINTED", "PagePlan", "output_file", "plan_pages"]

Crumb = tuple[str, str]
FOUR_UP_PAPERS = ("a4", "letter")
"""Papers on which A6 cards are printed four to a page, for clubs that print a stack."""
PRINTED = {"card.html": "card.pdf", "log.html": "log.pdf"}
"""Templates of pages made to be printed, and the PDF that `--pdf` writes beside each."""


@dataclass(frozen=True)
class PagePlan:
    """One output file at `path`, its place in the site (`exercises/plank/`).

    `body` is the page whose Markdown the file shows, if any.
    """

    path: str
    template: str
    title: str
    values: dict[str, object] = field(default_factory=dict)
    crumbs: tuple[Crumb, ...] = ()
    body: Page | None = None
    in_sitemap: bool = True


def output_file(path: str) -> str:
    """The file a page path is written to: folders get an index.html."""
    return path + "index.html" if not path or path.endswith("/") else path


def plan_pages(guide: Guide, index: CrossIndex) -> list[PagePlan]:
    """Every page of the guide; the guide's words name the pages it does not name itself (`Exercises`, `Home`)."""
    _ = guide.words.gettext
    taxonomy = guide.taxonomy
    home: Crumb = (_("Home"), site_path("home"))
    exercises_crumb: Crumb = (_("Exercises"), site_path("exercises"))
    routines_crumb: Crumb = (_("Routines"), site_path("routines"))
    articles_crumb: Crumb = (_("Articles"), site_path("articles"))
    plans = [
        PagePlan(
            site_path("home"),
            "home.html",
            guide.settings.title,
            {"regions": list(taxonomy.regions.values()), "routines": index.routines, "articles": index.articles[:3]},
        ),
        PagePlan(site_path("exercises"), "exercises.html", _("Exercises"), {"exercises": index.exercises}, (home,)),
        PagePlan(site_path("routines"), "routines.html", _("Routines"), {"routines": index.routines}, (home,)),
        PagePlan(site_path("search"), "search.html", _("Search"), {}, (home,)),
        PagePlan(site_path("history"), "history.html", _("Your sessions"), {}, (home,), in_sitemap=False),
        PagePlan("404.html", "404.html", _("Page not found"), in_sitemap=False),
    ]
    for exercise in index.exercises:
        plans.append(
            PagePlan(
                site_path("exercise", exercise.slug),
                "exercise.html",
                exercise.title,
                {
                    "exercise": exercise,
                    "related": [guide.exercises[slug] for slug in exercise.related if slug in guide.exercises],
                    "ladder": _ladder(exercise, guide, index),
                    "uses": index.uses.get(exercise.slug, ()),
                    "mentions": index.mentions.get(exercise.slug, ()),
                },
                (home, exercises_crumb),
                body=exercise,
            )
        )
    for routine in index.routines:
        values = {
            "routine": routine,
            "exercises": _exercises_of((routine,), guide),
            "neighbours": _neighbours_of((routine,), guide, index),
        }
        routine_path = site_path("routine", routine.slug)
        plans.append(PagePlan(routine_path, "routine.html", routine.title, values, (home, routines_crumb), routine))
        plans.append(
            PagePlan(
                site_path("play", routine.slug),
                "play.html",
                _("%(title)s: player") % {"title": routine.title},
                {**values, "plans": player_plans(routine.items, Timing.of(guide.settings))},
                (home, routines_crumb, (routine.title, routine_path)),
                in_sitemap=False,
            )
        )
        printed = (("card", "card.html", _("%(title)s: card")), ("log", "log.html", _("%(title)s: training log")))
        for kind, template, title in printed:
            plans.append(
                PagePlan(
                    site_path(kind, routine.slug),
                    template,
                    title % {"title": routine.title},
                    values,
                    (home, routines_crumb, (routine.title, routine_path)),
                    in_sitemap=False,
                )
            )
    cards_crumbs = (home, routines_crumb, (_("Print all cards"), site_path("cards")))
    plans.append(
        PagePlan(
            site_path("cards"),
            "cards.html",
            _("Print all cards"),
            {
                "routines": index.routines,
                "exercises": _exercises_of(index.routines, guide),
                "neighbours": _neighbours_of(index.routines, guide, index),
            },
            (home, routines_crumb),
            in_sitemap=False,
        )
    )
    four_up = tuple(r for r in index.routines if r.card_size == "a6")
    for paper in FOUR_UP_PAPERS:
        plans.append(
            PagePlan(
                site_path("cards-sheet", paper),
                "cards-sheet.html",
                _("A6 cards, four to a %(paper)s page") % {"paper": _(CARD_SIZES[paper].label)},
                {
                    "routines": four_up,
                    "paper": CARD_SIZES[paper],
                    "exercises": _exercises_of(four_up, guide),
                    "neighbours": _neighbours_of(four_up, guide, index),
                },
                cards_crumbs,
                in_sitemap=False,
            )
        )
    for article in index.articles:
        plans.append(
            PagePlan(
                site_path("article", article.slug),
                "article.html",
                article.title,
                {"article": article, "mentions": index.mentions.get(article.slug, ())},
                (home, articles_crumb),
                body=article,
            )
        )
    per_page = guide.settings.articles_per_page
    page_count = max(1, math.ceil(len(index.articles) / per_page))
    for number in range(1, page_count + 1):
        plans.append(
            PagePlan(
                site_path("articles-page", number),
                "articles.html",
                _("Articles") if number == 1 else _("Articles, page %(number)d") % {"number": number},
                {
                    "articles": index.articles[(number - 1) * per_page : number * per_page],
                    "page_number": number,
                    "page_count": page_count,
                },
                (home,) if number == 1 else (home, articles_crumb),
            )
        )
    for region in taxonomy.regions.values():
        plans.append(
            PagePlan(
                site_path("region", region.id),
                "region.html",
                region.name,
                {
                    "region": region,
                    "muscles": [m for m in taxonomy.muscles.values() if m.region == region.id],
                    "exercises": index.in_region.get(region.id, ()),
                    "mentions": index.mentions.get(region.id, ()),
                },
                (home,),
            )
        )
    for muscle in taxonomy.muscles.values():
        region = taxonomy.regions[muscle.region]
        plans.append(
            PagePlan(
                site_path("muscle", muscle.id),
                "muscle.html",
                muscle.name,
                {
                    "muscle": muscle,
                    "region": region,
                    "primary_for": index.primary_for.get(muscle.id, ()),
                    "secondary_for": index.secondary_for.get(muscle.id, ()),
                    "routines": index.routines_for_muscle(muscle.id),
                    "mentions": index.mentions.get(muscle.id, ()),
                },
                (home, (region.name, site_path("region", region.id))),
            )
        )
    for item in taxonomy.equipment.values():
        plans.append(
            PagePlan(
                site_path("equipment", item.id),
                "equipment.html",
                item.name,
                {"equipment": item, "exercises": index.with_equipment.get(item.id, ())},
                (home, exercises_crumb),
            )
        )
    for tag, pages in sorted(index.tagged.items()):
        plans.append(
            PagePlan(
                site_path("tag", tag),
                "tag.html",
                _("Tagged “%(tag)s”") % {"tag": tag},
                {"tag": tag, "pages": pages},
                (home,),
            )
        )
    return plans + _machine_files(guide, index, plans)


def _exercises_of(routines: tuple[Routine, ...], guide: Guide) -> dict[str, Exercise]:
    """The exercises some routines use: all a card shows, and all its fingerprint needs."""
    return {item.exercise: guide.exercises[item.exercise] for routine in routines for item in routine.items}


def _neighbours_of(routines: tuple[Routine, ...], guide: Guide, index: CrossIndex) -> dict[str, Neighbours]:
    """The easier and harder forms of every exercise some routines use, offered beside each item."""
    used = _exercises_of(routines, guide)
    return {slug: index.ladders.neighbours(slug, guide.exercises) for slug in used}


def _ladder(exercise: Exercise, guide: Guide, index: CrossIndex) -> tuple[Exercise, ...]:
    """The exercise's ladder from its easiest form to its hardest, or nothing when it stands on none."""
    ladder = index.ladders.ladder(exercise.slug)
    return tuple(guide.exercises[slug] for slug in ladder) if len(ladder) > 1 else ()


def _machine_files(guide: Guide, index: CrossIndex, pages: list[PagePlan]) -> list[PagePlan]:
    """robots.txt always; the feed and the sitemap only with a `base_url`, as both need absolute URLs."""
    files = [PagePlan("robots.txt", "robots.txt", "robots.txt", in_sitemap=False)]
    if guide.settings.base_url:
        listed = [page.path for page in pages if page.in_sitemap]
        files.append(
            PagePlan("feed.xml", "feed.xml", guide.settings.title, {"articles": index.articles}, in_sitemap=False)
        )
        files.append(PagePlan("sitemap.xml", "sitemap.xml", "sitemap", {"paths": listed}, in_sitemap=False))
    return files
