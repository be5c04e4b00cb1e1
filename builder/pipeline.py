"""A build, top to bottom: load -> validate -> resolve links -> render -> write (atomically)."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.cache import CODE_STAMP, BuildCache, CompiledTemplates
from builder.cards import CARD_PICTURE_WIDTH, QrCodes
from builder.crossref import cross_index
from builder.diagnostics import Diagnostics
from builder.files import list_files, regular_file
from builder.incremental import Fingerprints
from builder.mediaread import MediaReader
from builder.model import Guide
from builder.output import (
    check_output_folder,
    commit_site,
    keep_file,
    put_file,
    replace_file,
    site_files,
    site_token,
    staged_site,
)
from builder.pages import PRINTED, PagePlan, output_file, plan_pages
from builder.parallel import render_pages
from builder.pdf import PdfUnavailable, check_weasyprint, printed_pdfs
from builder.probe import Probe, read_probe_table
from builder.publish_media import publish_media, site_media, updating_media
from builder.quick import LastBuild
from builder.render import Renderer, template_environment
from builder.scratch import scratch_folder
from builder.search import BUNDLE as SEARCH_BUNDLE
from builder.search import ENTRY, Indexing, indexed
from builder.social import RECIPE as SHARE_RECIPE
from builder.social import find_fonts, share_cards
from builder.source import DocumentCache
from builder.theme import static_files, theme_folders
from builder.urls import site_path
from builder.validate import load_guide
from builder.webapp import WORKER, manifest_files, worker_file
from builder.words import catalog_digest

__all__ = ["BuildOptions", "BuildResult", "Builder", "build"]

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BuildOptions:
    content: Path
    output: Path
    templates: Path | None = None
    drafts: bool = False
    offline: bool = False
    base_url: str | None = None
    pdf: bool = False
    cache: Path | None = None
    jobs: int = os.cpu_count() or 1
    worker: bool = False
    """Whether to write the service worker: `guide build` does; the preview never (it would serve stale pages)."""


@dataclass(frozen=True)
class BuildResult:
    pages: int
    rendered: int
    unchanged: int
    cached: int
    seconds: float
    pdf_problem: str = ""
    note: str = ""
    """Something the author should know although nothing failed."""
    made: int = 0
    """Pictures and share images made from their sources, rather than carried over or taken from the cache."""


NO_BASE_URL = (
    "no base_url: the feed, the sitemap, canonical links, share images, Open Graph tags and structured data "
    "need absolute URLs and are left out; set base_url in site.yml or pass --base-url"
)


def build(options: BuildOptions, diagnostics: Diagnostics, progress: Progress | None = None) -> BuildResult | None:
    """Build the site into `options.output`; None, with `diagnostics` saying why, leaves the output untouched."""
    return Builder(options).build(diagnostics, progress)


class Builder:
    """Builds one guide again and again, keeping what it parsed, converted and fingerprinted in memory.

    The preview server holds one and calls `rebuild` with the paths its
    watcher saw change; each build is as safe as a first one.
    """

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self.documents = DocumentCache()
        self.cache = BuildCache(options.cache)
        self.environment = template_environment(theme_folders(options.templates), CompiledTemplates(self.cache))
        self.probe = Probe(dict(self.cache.table("probe", read_probe_table)))
        self.last: LastBuild | None = None

    def build(self, diagnostics: Diagnostics, progress: Progress | None = None) -> BuildResult | None:
        self.documents.only = None
        return _build(self.options, diagnostics, progress, self, reindex=True)

    def rebuild(self, changed_paths: Iterable[Path], diagnostics: Diagnostics) -> BuildResult | None:
        """Build again after edits to `changed_paths`, reading no other content file parsed before.

        Edits to Markdown bodies alone take the quick path (`builder.quick`);
        the search index is carried over rather than made again (Pagefind
        takes seconds on a large guide): `index_search` and `adopt_search` bring it up to date afterwards.
        """
        changed = list(changed_paths)
        self.documents.only = {os.path.abspath(path) for path in changed}
        folders = [folder.resolve() for folder in theme_folders(self.options.templates)]
        if any(folder in path.resolve().parents for path in changed for folder in folders):
            self.environment.cache.clear()  # type: ignore[union-attr]  # Jinja would miss a template added over another
        return self._quick(changed) or _build(self.options, diagnostics, None, self, reindex=False)

    def search_stale(self) -> bool:
        """Whether the site in the output carries an index older than its pages, as a rebuild leaves it."""
        state = self.cache.table("state", _read_state)
        return _describes(state, self.options.output.resolve()) and not state.get("search_current")

    def index_search(self) -> Indexing:
        """Pagefind, at a low priority, over the pages now in the output; builds must wait until it has started."""
        output = self.options.output.resolve()
        return Indexing(output, beside=output, yielding=True)

    def adopt_search(self, files: dict[str, bytes]) -> None:
        """Put the index `index_search` made in place of the site's, in place; no build may have run in between.

        Pagefind names its data files by their content, so the new files go
        in beside the old ones, its entry file (which names the rest) goes in
        last, and the old files go only then: a search that loaded the old entry still finds its files.
        """
        output = self.options.output.resolve()
        state = self.cache.table("state", _read_state)
        entry = f"{SEARCH_BUNDLE}/{ENTRY}"
        for name, data in sorted(files.items(), key=lambda item: item[0] == entry):
            replace_file(output, name, data)
        old = _bundle_files(state)
        for name in old - files.keys():
            (output / name).unlink(missing_ok=True)
        self.cache.replace("state", {**state, "files": (state["files"] - old) | files.keys(), "search_current": True})
        self.cache.save()

    def prepare(self) -> None:
        """Load the guide and compile its templates if the last build did not need to, so the first edit is quick."""
        if self.last is None:
            _build(self.options, Diagnostics(), None, self, reindex=False, trust_times=False)
        if self.last is not None:
            self.last.warm_up()

    def _quick(self, changed: list[Path]) -> BuildResult | None:
        """The quick path's build, or None when it does not apply and the full build must run."""
        started = time.perf_counter()
        last, output = self.last, self.options.output.resolve()
        state = self.cache.table("state", _read_state)
        if last is None or last.token != state.get("site") or not _describes(state, output):
            return None
        if self.options.worker:
            return None  # the worker names a digest of the routines' pages: the full build writes it again
        edits = last.edits(changed, self.documents)
        if edits is None or (edits.pictures and self.options.pdf):  # card PDFs are made by the full build alone
            return None
        with updating_media(edits.made, output, self.cache, self.options.jobs) as media:
            rendered = last.render(edits, output)
        if rendered is None or media.failed:
            for name in set(media.files) - state["files"]:
                (output / name).unlink(missing_ok=True)
            return None
        written, self.last = rendered
        unknown = dict.fromkeys(written, "")  # the next full build renders these again rather than trust them
        pages, files = state["pages"] | unknown, (state["files"] | set(media.files) | set(written)) - edits.retired
        state = {**state, "pages": pages, "files": files, "inputs": "", "search_current": False}
        self.cache.replace("state", state)
        self.remember_probes()
        self.cache.save()
        for name, data in written.items():
            replace_file(output, name, data)
        for name in edits.retired:
            (output / name).unlink(missing_ok=True)
        seconds = time.perf_counter() - started
        return BuildResult(len(pages), len(written), len(pages) - len(written), 0, seconds, made=media.made)

    def remember_probes(self) -> None:
        """Keep the facts of the media files this builder's builds used, for the next builder to trust."""
        self.cache.replace("probe", {path: self.probe.table[path] for path in self.probe.used})


def _build(
    options: BuildOptions,
    diagnostics: Diagnostics,
    progress: Progress | None,
    builder: Builder,
    reindex: bool,
    trust_times: bool = True,
) -> BuildResult | None:
    started = time.perf_counter()
    folders = theme_folders(options.templates)
    output = _output_folder(options, folders)
    last = builder.cache.table("state", _read_state)
    inputs = _inputs(options, folders)
    static = {name: path.read_bytes() for name, path in static_files(folders, diagnostics).items()}
    if (
        not diagnostics
        and trust_times
        and last.get("inputs") == inputs
        and _index_as_asked(last, reindex)
        and _unchanged(output, static, last)
    ):
        pages = len(last["pages"])
        return BuildResult(pages, 0, pages, 0, time.perf_counter() - started)
    builder.last = None
    builder.probe.used.clear()
    guide = load_guide(
        options.content, diagnostics, options.drafts, _overrides(options), builder.documents, builder.probe, folders
    )
    if guide is None or diagnostics:
        return None
    builder.remember_probes()
    media = MediaReader(options.content, guide.settings, builder.probe)
    pdf_problem = _pdf_problem() if options.pdf else ""
    make_pdfs = options.pdf and not pdf_problem
    bodies, qr_codes = builder.cache.table("bodies", _text_table), builder.cache.table("qr", _text_table)
    renderer = Renderer(
        guide, folders, pdf=make_pdfs, bodies=bodies, environment=builder.environment, qr_codes=QrCodes(qr_codes)
    )
    plans = plan_pages(guide, cross_index(guide))
    words = catalog_digest(folders, guide.settings.language)
    shaping = f"pdf={make_pdfs} {SHARE_RECIPE} fonts={find_fonts(folders).digest} words={words}"
    work = _Work.since(last, plans, Fingerprints(guide, renderer.environment, extra=shaping), output)
    if work.nothing_to_do(last, reindex) and _unchanged(output, static, last):
        builder.cache.replace("state", {**last, "inputs": inputs if not pdf_problem else ""})
        builder.cache.save()
        builder.last = LastBuild.of(guide, renderer, last["site"], plans, media)
        seconds = time.perf_counter() - started
        return BuildResult(len(plans), 0, len(plans), 0, seconds, pdf_problem, _note(guide))
    searched = [plan for plan in work.changed if indexed(output_file(plan.path))]
    others = [plan for plan in work.changed if not indexed(output_file(plan.path))]
    report = _Progress(progress or _no_progress, len(work.changed))
    with staged_site(output) as staging, ExitStack() as stack:
        for name in work.kept:
            keep_file(staging, output, name)
        shared = share_cards(guide, folders).values() if guide.settings.base_url else ()
        trusted = last.get("files", set()) if _describes(last, output) else set()
        published = publish_media(site_media(guide), shared, staging, output, trusted, builder.cache, options.jobs)
        if published.problems:
            diagnostics.items.extend(published.problems)
            return None
        summary = render_pages(renderer, searched, staging, output, options.jobs, report.part(0))
        carried, exact = _last_index(last, output, work, summary.written)
        keep_index = summary.problems or (carried and (exact or not reindex))
        indexing = None if keep_index else stack.enter_context(Indexing(staging, beside=output))
        summary.add(render_pages(renderer, others, staging, output, options.jobs, report.part(len(searched))))
        if summary.problems:
            diagnostics.items.extend(summary.problems)
            return None
        for name, data in static.items():
            put_file(staging, output, name, data)
        if not guide.settings.offline:
            app = manifest_files(renderer, find_fonts(folders))
            if options.worker:
                app[WORKER] = worker_file(renderer, staging, *_kept_offline(guide), app)
            for name, data in app.items():
                put_file(staging, output, name, data)
        search_current = _finish_search(indexing, staging, output, last, exact)
        if make_pdfs:
            printed = {
                output_file(plan.path): plan.path + PRINTED[plan.template]
                for plan in sorted(plans, key=lambda plan: plan.path)
                if plan.template in PRINTED
            }
            pictures = [exercise.main_image for exercise in guide.exercises.values() if exercise.main_image]
            shown = {picture.rendition(CARD_PICTURE_WIDTH).path for picture in pictures}
            printable = {name: (staging / name).read_bytes() for name in [*printed, *shown]} | static
            with scratch_folder(output, "pdf") as workspace:
                for name, data in printed_pdfs(printable, printed, builder.cache, workspace).items():
                    put_file(staging, output, name, data)
        files = site_files(staging)
        token = commit_site(staging, output)
    for name, table, made, used in (
        ("bodies", bodies, summary.converted, summary.used),
        ("qr", qr_codes, summary.qr_made, summary.qr_used),
    ):
        known = table | made
        builder.cache.replace(name, known if work.kept else {key: known[key] for key in used})
    state = {"site": token, "pages": work.pages, "files": files, "search_current": search_current}
    state["inputs"] = inputs if not pdf_problem else ""
    builder.cache.replace("state", state)
    builder.cache.save()
    builder.last = LastBuild.of(guide, renderer, token, plans, media)
    seconds = time.perf_counter() - started
    changed, kept = len(work.changed), len(work.kept)
    return BuildResult(len(plans), changed, kept, summary.cached, seconds, pdf_problem, _note(guide), published.made)


def _kept_offline(guide: Guide) -> tuple[list[str], list[str]]:
    """The pages the service worker keeps (the routines and the history of sessions), and the players."""
    slugs = sorted(guide.routines)
    pages = [site_path("routines"), site_path("history"), *(site_path("routine", slug) for slug in slugs)]
    return pages, [site_path("play", slug) for slug in slugs]


def _note(guide: Guide) -> str:
    return "" if guide.settings.base_url else NO_BASE_URL


def _read_state(raw: Any) -> dict[str, Any]:
    """The last build's state as the cache gives it back, checked field by field, its file list a set again."""
    state = {
        "site": raw["site"],
        "pages": _text_table(raw["pages"]),
        "files": set(raw["files"]),
        "search_current": raw["search_current"],
        "inputs": raw["inputs"],
    }
    texts = [state["site"], state["inputs"], *state["files"]]
    if not all(isinstance(text, str) for text in texts) or not isinstance(state["search_current"], bool):
        raise TypeError("not a build state")
    return state


def _text_table(raw: Any) -> dict[str, str]:
    """A table of text by text, as the cache gives it back: the converted bodies, or the pages' fingerprints."""
    if not all(isinstance(key, str) and isinstance(value, str) for key, value in raw.items()):
        raise TypeError("not a table of text")
    return dict(raw)


def _inputs(options: BuildOptions, folders: list[Path]) -> str:
    """The size and time of every content and theme file, with the options and the code: if none moved, nothing did.

    This lets a build with nothing to do skip even reading the guide, as make
    and ninja do; any change of a file's bytes changes its time or size. The
    files are those a build would list (`builder.files`), what is wrong with them included.
    """
    shaping = (options.content, options.templates, options.drafts, options.offline, options.base_url)
    digest = hashlib.blake2b(f"{CODE_STAMP}\0{shaping!r}\0{options.pdf}".encode(), digest_size=16)
    problems = Diagnostics()
    for folder in (options.content, *folders):
        for path in list_files(folder, folder, "", problems):
            try:
                stat = path.stat()
            except OSError:  # gone since it was listed: the build that reads it will say so
                digest.update(f"{path}\0gone\0".encode())
                continue
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    digest.update(repr(problems.items).encode())
    return digest.hexdigest()


def _no_progress(done: int, total: int) -> None:
    """Progress reported to no one."""


def _output_folder(options: BuildOptions, folders: list[Path]) -> Path:
    """The resolved output folder, after refusing one that holds what a build must never replace."""
    protected = [("content folder", options.content), ("project folder", Path.cwd()), ("home folder", Path.home())]
    protected += [("templates folder", folder) for folder in folders]
    return check_output_folder(options.output, protected)


def _overrides(options: BuildOptions) -> dict[str, object]:
    """Settings the command line sets over site.yml."""
    overrides: dict[str, object] = {"offline": True} if options.offline else {}
    if options.base_url is not None:
        overrides["base_url"] = options.base_url
    return overrides


@dataclass(frozen=True)
class _Work:
    """The pages of this build by fingerprint: those to render, and those the last build left as they must be."""

    pages: dict[str, str]
    kept: frozenset[str]
    changed: list[PagePlan]

    @classmethod
    def since(cls, last: dict[str, Any], plans: list[PagePlan], fingerprints: Fingerprints, output: Path) -> _Work:
        pages = {output_file(plan.path): fingerprints.of(plan) for plan in plans}
        same = pages.items() & last.get("pages", {}).items() if _describes(last, output) else set()
        kept = frozenset(name for name, _ in same if regular_file(output / name))
        return cls(pages, kept, [plan for plan in plans if output_file(plan.path) not in kept])

    def nothing_to_do(self, last: dict[str, Any], reindex: bool) -> bool:
        """No page to render, none gone, and a search index as current as asked for."""
        return not self.changed and self.pages.keys() == last.get("pages", {}).keys() and _index_as_asked(last, reindex)


def _index_as_asked(last: dict[str, Any], reindex: bool) -> bool:
    """Whether the last build's index will do: it is current, or this build was asked to carry it over."""
    return bool(last.get("search_current")) or not reindex


def _last_index(last: dict[str, Any], output: Path, work: _Work, searched_written: int) -> tuple[bool, bool]:
    """Whether the last build's index can be carried over (its files are in `output`), and whether it is still exact.

    Pagefind's index depends on the indexed pages' files alone: when none of
    them was written with new bytes (`searched_written`) and none came or
    went, the last index, if it was current, is the one Pagefind would make now.
    """
    carried = _describes(last, output) and bool(_bundle_files(last))
    pages, last_pages = ({name for name in names if indexed(name)} for names in (work.pages, last.get("pages", {})))
    return carried, carried and bool(last.get("search_current")) and not searched_written and pages == last_pages


def _finish_search(indexing: Indexing | None, staging: Path, output: Path, last: dict[str, Any], exact: bool) -> bool:
    """Put the new index into the site, or carry the last one over; whether the index is now current."""
    if indexing is not None:
        for name, data in indexing.files().items():
            put_file(staging, output, name, data)
        return True
    for name in _bundle_files(last):
        keep_file(staging, output, name)
    return exact


def _bundle_files(last: dict[str, Any]) -> set[str]:
    """The files of the last build's search index."""
    return {name for name in last.get("files", ()) if name.startswith(f"{SEARCH_BUNDLE}/")}


@dataclass(frozen=True)
class _Progress:
    """One progress report over a build that renders its pages in several parts."""

    report: Progress
    total: int

    def part(self, before: int) -> Progress:
        """The report for a part that starts after `before` pages."""
        return lambda done, _: self.report(before + done, self.total)


def _unchanged(output: Path, static: dict[str, bytes], last: dict[str, Any]) -> bool:
    """Whether the output is still exactly the site the last build left: its files, and this theme's static files."""
    if not _describes(last, output) or site_files(output) != last.get("files"):
        return False
    return all((output / name).read_bytes() == data for name, data in static.items())


def _describes(last: dict[str, Any], output: Path) -> bool:
    """Whether the last build's state is of the site now in `output`: it names the token that site was built with."""
    return bool(last.get("site")) and site_token(output) == last["site"]


def _pdf_problem() -> str:
    """Why card PDFs cannot be made here, or nothing when they can."""
    try:
        check_weasyprint()
    except PdfUnavailable as problem:
        return str(problem)
    return ""
