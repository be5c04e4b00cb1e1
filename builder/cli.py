"""The `guide` command line: parse arguments, run one command, turn its outcome into an exit code."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import webbrowser
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from builder import __version__
from builder.cache import CACHE_FOLDER
from builder.diagnostics import Diagnostics
from builder.output import OutputRefused
from builder.pipeline import BuildOptions, build
from builder.probe import Probe
from builder.progress import ProgressBar
from builder.scaffold import (
    PAGE_KINDS,
    WORKFLOW,
    ScaffoldError,
    ignore_built_files,
    init_guide,
    new_page,
    publish_workflow,
)
from builder.search import SearchProblem
from builder.server import PortInUse, PreviewServer, preview_folder
from builder.settings import normalise_base_url
from builder.theme import theme_folders
from builder.validate import load_guide
from builder.words import languages, missing_messages

__all__ = ["main"]

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A command that cannot run as asked; reported on one line with exit code 2."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, as a service manager or `kill` sends it: stopped and cleaned up exactly as Ctrl-C is."""


def _terminate(number: int, frame: object) -> None:
    raise Terminated


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM raises `Terminated` while the command runs, so every `finally` and `with` block cleans up.

    Python's default for SIGTERM ends the process on the spot, leaving the staged site and Pagefind's folder behind.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _report(diagnostics: Diagnostics) -> int:
    for diagnostic in diagnostics.sorted():
        print(diagnostic, file=sys.stderr)
    print(f"guide: {_count(len(diagnostics.sorted()), 'error')}", file=sys.stderr)
    return EXIT_CONTENT


def _content_folder(arguments: argparse.Namespace) -> Path:
    content: Path = arguments.content
    if not content.is_dir():
        raise UsageError(f"no content folder at '{content}'; use --content DIR, or 'guide init' to start a guide")
    return content


def _check(arguments: argparse.Namespace) -> int:
    diagnostics = Diagnostics()
    theme = theme_folders(_templates_folder(arguments))
    content = _content_folder(arguments)
    guide = load_guide(content, diagnostics, drafts=arguments.drafts, probe=Probe(thorough=True), theme=theme)
    if guide is None:
        return _report(diagnostics)
    counts = ", ".join(_count(len(pages), kind) for kind, pages in guide.pages_by_kind().items())
    print(f"{arguments.content}: {counts}; no errors")
    missing = missing_messages(theme, guide.settings.language)
    if missing:
        language = guide.settings.language
        lacking = _count(len(missing), "message")
        print(f"note: the '{language}' catalog lacks {lacking}, written in English: {', '.join(missing)}")
    return EXIT_OK


def _templates_folder(arguments: argparse.Namespace) -> Path | None:
    """`--templates DIR` must exist; without it a local templates/ is used when there is one."""
    templates: Path | None = arguments.templates
    if templates is not None:
        if not templates.is_dir():
            raise UsageError(f"no templates folder at '{templates}'")
        return templates
    local = Path("templates")
    return local if local.is_dir() else None


def _base_url(arguments: argparse.Namespace) -> str | None:
    if arguments.base_url is None:
        return None
    try:
        return normalise_base_url(arguments.base_url)
    except ValueError as error:
        raise UsageError(f"--base-url {error}") from error


def _options(arguments: argparse.Namespace, **specific: Any) -> BuildOptions:
    """The build options `build` and `serve` share, from their common arguments, plus each one's own."""
    return BuildOptions(
        content=_content_folder(arguments),
        templates=_templates_folder(arguments),
        drafts=arguments.drafts,
        base_url=_base_url(arguments),
        **specific,
    )


def _build(arguments: argparse.Namespace) -> int:
    options = _options(
        arguments,
        output=arguments.output,
        offline=arguments.offline,
        pdf=arguments.pdf,
        cache=None if arguments.no_cache else arguments.content.parent / CACHE_FOLDER,
        jobs=arguments.jobs,
        worker=True,
    )
    diagnostics = Diagnostics()
    with ProgressBar(enabled=sys.stdout.isatty()) as progress:
        result = build(options, diagnostics, progress.update)
    if result is None:
        return _report(diagnostics)
    made = f"; {_count(result.made, 'picture')} made" if result.made else ""
    print(
        f"built {_count(result.pages, 'page')} in {result.seconds:.1f} s "
        f"({result.rendered} rendered, {result.unchanged} unchanged, {result.cached} cached{made})"
    )
    if result.note:
        print(f"note: {result.note}")
    if not options.offline:
        print(f"view it: python3 -m http.server --directory {arguments.output}  (then open http://127.0.0.1:8000/)")
    if result.pdf_problem:
        print(f"guide: the site was built without card and log PDFs: {result.pdf_problem}", file=sys.stderr)
        return EXIT_CONTENT
    return EXIT_OK


def _serve(arguments: argparse.Namespace) -> int:
    """Preview in a temporary folder, removed on Ctrl-C; the output folder is never touched."""
    cache = arguments.content.parent / CACHE_FOLDER / "serve"
    with preview_folder(cache) as site:
        server = PreviewServer(_options(arguments, output=site, cache=cache), arguments.host, arguments.port)
        try:
            if not server.loopback:
                print(
                    f"guide: warning: bound to {arguments.host}, the preview is reachable from the network",
                    file=sys.stderr,
                )
            if arguments.port and server.port != arguments.port:
                print(f"guide: port {arguments.port} is in use; using {server.port}")
            server.start()
            print(f"serving {server.url} (Ctrl-C to stop); watching {arguments.content} and the templates")
            if arguments.open:
                webbrowser.open(server.url)
            threading.Event().wait()
        except KeyboardInterrupt:
            print("guide: preview stopped")
        finally:
            server.stop()
    return EXIT_OK


def _new(arguments: argparse.Namespace) -> int:
    diagnostics = Diagnostics()
    path = new_page(_content_folder(arguments), arguments.kind, arguments.title, diagnostics)
    if path is None:
        return _report(diagnostics)
    print(f"wrote {path}")
    return EXIT_OK


def _init(arguments: argparse.Namespace) -> int:
    folder: Path = arguments.dir
    content = arguments.content if arguments.content.is_absolute() else folder / arguments.content
    name = folder.resolve().name.replace("-", " ").replace("_", " ").strip()
    diagnostics = Diagnostics()
    known = languages(theme_folders(None))
    if arguments.language not in known:
        raise UsageError(f"no catalog for language '{arguments.language}'; choose one of {', '.join(known)}")
    written = init_guide(content, name.capitalize() or "My exercise guide", arguments.language, diagnostics)
    if diagnostics:
        return _report(diagnostics)
    for path in written:
        print(f"wrote {path}")
    ignored = ignore_built_files(folder)
    if ignored is not None:
        print(f"{'wrote' if ignored.new else 'added the output and cache folders to'} {ignored.path}")
    workflow = publish_workflow(folder, content)
    print(f"wrote {workflow}" if workflow else f"kept {folder / WORKFLOW}, which was there already")
    print(f"next: cd {folder} && guide check")
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="guide", description="Build exercise guides from Markdown and YAML.")
    parser.add_argument("--version", action="version", version=f"guide {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument(
            "--content", type=Path, default=Path("content"), metavar="DIR", help="the content folder (default: content)"
        )
        return sub

    def site_command(name: str, help_text: str) -> argparse.ArgumentParser:
        """A command that builds the site: `build` and `serve`."""
        sub = command(name, help_text)
        sub.add_argument("--templates", type=Path, metavar="DIR", help="templates overriding the default theme")
        sub.add_argument("--drafts", action="store_true", help="include pages marked draft: true")
        sub.add_argument("--base-url", metavar="URL", help="the site's absolute URL, overriding site.yml")
        return sub

    build_command = site_command(
        "build", "build the site into the output folder, replacing it only if the build succeeds"
    )
    build_command.add_argument("--output", type=Path, default=Path("output"), metavar="DIR", help="default: output")
    build_command.add_argument("--offline", action="store_true", help="links end in index.html, to open from disk")
    build_command.add_argument(
        "--pdf", action="store_true", help="also write card.pdf and log.pdf beside each routine card and training log"
    )
    build_command.add_argument(
        "--jobs",
        type=_positive,
        default=os.cpu_count() or 1,
        metavar="N",
        help="processes to render with (default: all cores)",
    )
    build_command.add_argument("--no-cache", action="store_true", help=f"neither read nor write {CACHE_FOLDER}/")

    build_command.set_defaults(run=_build)

    serve = site_command(
        "serve", "build into a temporary folder, serve it, rebuild on every save and reload the browser"
    )
    serve.add_argument("--port", type=int, default=8000, metavar="N", help="default: 8000, or the next free port")
    serve.add_argument("--host", default="127.0.0.1", metavar="H", help="default: 127.0.0.1 (this computer only)")
    serve.add_argument("--open", action="store_true", help="open the preview in the web browser")
    serve.set_defaults(run=_serve)

    check = command("check", "validate the whole guide and write nothing")
    check.add_argument("--drafts", action="store_true", help="check as a build with drafts would")
    check.add_argument("--templates", type=Path, metavar="DIR", help="the theme the guide is built with")
    check.set_defaults(run=_check)

    new = command("new", "write a new exercise, routine or article that passes 'guide check'")
    new.add_argument("kind", choices=list(PAGE_KINDS))
    new.add_argument("title")
    new.set_defaults(run=_new)

    init = command("init", "start a new guide in DIR: content/ with settings, taxonomy and one page of each kind")
    init.add_argument("dir", nargs="?", type=Path, default=Path("."), metavar="DIR")
    init.add_argument(
        "--language", default="en", metavar="LANG", help="the language the site is written in (default: en)"
    )
    init.set_defaults(run=_init)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    try:
        with _sigterm_as_interrupt():
            return int(arguments.run(arguments))
    except (UsageError, ScaffoldError, OutputRefused, PortInUse, SearchProblem) as error:
        print(f"guide: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as interrupt:
        terminated = isinstance(interrupt, Terminated)
        print("guide: terminated" if terminated else "guide: interrupted", file=sys.stderr)
        return 128 + (signal.SIGTERM if terminated else signal.SIGINT)
