"""A build, top to bottom: load -> validate -> resolve links -> render -> write (atomically)."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path

from builder.crossref import cross_index
from builder.diagnostics import Diagnostics
from builder.output import check_output_folder, write_site
from builder.pages import output_file, plan_pages
from builder.pdf import PdfUnavailable, card_pdfs, check_weasyprint
from builder.render import Renderer, TemplateProblem
from builder.theme import static_files, theme_folders
from builder.validate import load_guide

__all__ = ["BuildOptions", "BuildResult", "build"]


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


@dataclass(frozen=True)
class BuildResult:
    pages: int
    files: int
    written: int
    unchanged: int
    seconds: float
    pdf_problem: str = ""


def build(options: BuildOptions, diagnostics: Diagnostics) -> BuildResult | None:
    """Build the site into `options.output`; None, with `diagnostics` saying why, leaves the output untouched."""
    started = time.perf_counter()
    folders = theme_folders(options.templates)
    protected = [("content folder", options.content), ("project folder", Path.cwd()), ("home folder", Path.home())]
    protected += [("templates folder", folder) for folder in folders]
    output = check_output_folder(options.output, protected)
    guide = load_guide(options.content, diagnostics, drafts=options.drafts)
    if guide is None:
        return None
    overrides: dict[str, object] = {"offline": guide.settings.offline or options.offline}
    if options.base_url is not None:
        overrides["base_url"] = options.base_url
    guide = dataclasses.replace(guide, settings=dataclasses.replace(guide.settings, **overrides))
    plans = plan_pages(guide, cross_index(guide))
    pdf_problem = ""
    if options.pdf:
        try:
            check_weasyprint()
        except PdfUnavailable as problem:
            pdf_problem = str(problem)
    make_pdfs = options.pdf and not pdf_problem
    renderer = Renderer(guide, folders, pdf=make_pdfs)
    files: dict[str, bytes] = {}
    for plan in plans:
        try:
            files[output_file(plan.path)] = renderer.render(plan)
        except TemplateProblem as problem:
            diagnostics.items.append(problem.diagnostic)
    if diagnostics:
        return None
    files.update({name: path.read_bytes() for name, path in static_files(folders).items()})
    if make_pdfs:
        cards = [output_file(plan.path) for plan in plans if plan.template == "card.html"]
        files.update(card_pdfs(files, cards, options.cache))
    summary = write_site(output, files)
    seconds = time.perf_counter() - started
    return BuildResult(len(plans), len(files), summary.written, summary.unchanged, seconds, pdf_problem)
