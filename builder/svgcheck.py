"""The gate for SVG images an author puts in a guide, which are published byte for byte.

An SVG is a document, not a picture: opened on its own it can run script,
load other documents and style sheets, and fetch from anywhere. Its bytes
may come from a stranger's pull request, so they are refused unless they can
do none of that, rather than cleaned: a cleaned copy would differ from what
the author reviewed, and a cleaner that misses one trick publishes it. The
rules are deliberately narrower than what browsers do, because the cost of a
false refusal is a message to the author and the cost of a miss is script on
the site. The parser refuses DTDs, entities and external references before
they are expanded, so a hostile file costs no more than its size to check.

The width and height are read here too, because a page needs them to lay out
an image before it arrives, and an SVG without them has no intrinsic size.
"""

from __future__ import annotations

import math
import re
import unicodedata
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

__all__ = ["MAX_SIDE", "SvgRejected", "svg_size"]

MAX_SIDE = 20000
"""The largest width or height in CSS pixels: beyond it a browser spends memory on what no page shows."""

_SVG = "http://www.w3.org/2000/svg"
_XLINK = "http://www.w3.org/1999/xlink"
_XML = "http://www.w3.org/XML/1998/namespace"

_REFUSED_ELEMENTS = frozenset(
    ["script", "foreignobject", "iframe", "embed", "object", "audio", "video", "handler", "listener"]
)
"""Lower-case local names of elements that run code or embed another document, in any namespace."""

_LINK_ATTRIBUTES = frozenset(["href", "src", "ping"])
"""Local names of attributes that load what they name, in any namespace (so xlink:href too); SVG 2 gives <a> ping."""

_FETCHING_FUNCTIONS = ("image-set(", "image(", "src(", "attr(")
"""CSS functions that fetch without `url(`: from a plain string, or (attr) from a URL in another attribute."""

_UNITS = {"": 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}
"""CSS pixels in one unit: CSS fixes an inch at 96 pixels."""

_LENGTH = re.compile(r"([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([A-Za-z]*|%)")
_SEPARATORS = re.compile(r"[\s,]+")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_URL = re.compile(r"url\(([^)]*)", re.IGNORECASE)
_ENCODING = re.compile(r"\A\ufeff?<\?xml\s[^>]*?\bencoding\s*=\s*[\"']([^\"']*)[\"']")

_RUN_HINT = "remove it: SVGs are published as they are, so nothing in them may run code"
_ELEMENT_HINT = "remove it: SVGs are published as they are"
_OUTSIDE_HINT = (
    "draw images inline and refer only to parts of the same SVG, by #id: "
    "SVGs are published as they are, so nothing in them may fetch from elsewhere"
)


class SvgRejected(Exception):
    """An SVG that cannot be published; the message says what was found, `hint` what to do about it.

    The message is one short sentence for the author, so it can follow a file
    name and line in a build report; the hint is kept apart for the same report.
    """

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


class _Builder(TreeBuilder):
    """Notes processing instructions, which the tree leaves out but a browser follows (xml-stylesheet)."""

    def __init__(self) -> None:
        super().__init__()
        self.instructions: list[str] = []

    def pi(self, target: str, text: str | None = None, /) -> Element:
        self.instructions.append(target)
        return super().pi(target, text)


def svg_size(data: bytes) -> tuple[int, int]:
    """Check the SVG and return its intrinsic (width, height) in CSS pixels, rounded, at least 1 each.

    Raises SvgRejected at the first problem, so an author fixes one thing at a time and each message is precise.
    """
    root = _parse(data)
    if root.tag != f"{{{_SVG}}}svg":
        raise SvgRejected(
            "the file is not an SVG image",
            f'its root element is <{_show(_local(root.tag))}>; an SVG starts with <svg xmlns="{_SVG}">',
        )
    for element in root.iter():
        _check_element(element)
    return _size(root)


def _parse(data: bytes) -> Element:
    """The document's root, parsed the way defusedxml's fromstring does, with processing instructions kept."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SvgRejected("the SVG is not encoded in UTF-8", "save it as UTF-8") from None
    declared = _ENCODING.match(text)
    if declared and declared.group(1).strip().lower() != "utf-8":
        # Anything else could make a browser, told the charset by the server, read other markup than we checked.
        raise SvgRejected(
            f'the SVG declares encoding "{_show(declared.group(1))}" rather than UTF-8',
            'save it as UTF-8 and write encoding="UTF-8" in its first line',
        )
    builder = _Builder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    try:
        parser.feed(data)
        root: Element = parser.close()
    except DefusedXmlException:
        raise SvgRejected(
            "the SVG declares a DOCTYPE or entities",
            "remove the <!DOCTYPE …> and any <!ENTITY …>: an SVG needs neither",
        ) from None
    except ParseError as error:
        raise SvgRejected(
            f"the SVG is not well-formed XML ({error})", "fix the markup at that line and column"
        ) from None
    if builder.instructions:
        raise SvgRejected(
            f"the SVG holds a processing instruction <?{_show(builder.instructions[0])} …?>",
            "remove it: a browser would follow it to load a style sheet or a transform",
        )
    return root


def _check_element(element: Element) -> None:
    namespace, name = _split(element.tag)
    if name.lower() in _REFUSED_ELEMENTS:
        raise SvgRejected(f"the SVG holds a <{_show(name)}> element", _ELEMENT_HINT)
    if namespace != _SVG:
        where = f"namespace {_show(namespace)}" if namespace else "no namespace"
        raise SvgRejected(
            f"the SVG holds a <{_show(name)}> element that is not SVG ({where})",
            "remove it: only SVG elements are published (Inkscape: save as Plain SVG)",
        )
    for key, value in element.attrib.items():
        _check_attribute(name, key, value)
    if name == "style":
        problem = _css_problem("".join(element.itertext()))
        if problem:
            raise SvgRejected(f"{problem[0]} in a <style> element", problem[1])


def _check_attribute(element: str, key: str, value: str) -> None:
    namespace, name = _split(key)

    def shown() -> str:
        return f'{_attribute_name(namespace, name)}="{_show(value)}" on <{_show(element)}>'

    if name.lower().startswith("on"):
        raise SvgRejected(f"the SVG has an event handler {shown()}", _RUN_HINT)
    if "javascript:" in _squeeze(value):
        raise SvgRejected(f"the SVG has a javascript: URL in {shown()}", _RUN_HINT)
    if name.lower() in _LINK_ATTRIBUTES and not value.strip(" \t\n\r\f").startswith("#"):
        raise SvgRejected(f"the SVG has an external reference {shown()}", _OUTSIDE_HINT)
    if namespace == _XML and name == "base":
        # A base makes even "#id" point at another document.
        raise SvgRejected(f"the SVG has an xml:base attribute on <{_show(element)}>", "remove it")
    if name == "attributeName":
        # <set attributeName="href" to="…"> would make a link that no href attribute shows.
        animated = _split_prefix(value.strip()).lower()
        if animated in _LINK_ATTRIBUTES or animated.startswith("on"):
            raise SvgRejected(
                f"the SVG animates the {_show(value.strip())} attribute with <{_show(element)}>",
                "remove the animation: it could turn a link or a handler into anything",
            )
    if not namespace:
        # Attributes without a namespace include every presentation attribute, which browsers read as CSS.
        problem = _css_problem(value)
        if problem:
            raise SvgRejected(f"{problem[0]} in {shown()}", problem[1])


def _css_problem(css: str) -> tuple[str, str] | None:
    """What in a style sheet, style attribute or presentation attribute runs code or fetches, and the hint for it.

    Returned rather than raised, so the caller words where it is only when there is something to say.
    """
    if "\\" in css:
        # An escape such as u\72l( is url( to a browser; refusing backslashes keeps the checks below exact.
        return "the SVG has a CSS escape (a backslash)", "write the CSS without backslash escapes"
    squeezed = _squeeze(css)
    if "javascript:" in squeezed:
        return "the SVG has a javascript: URL", _RUN_HINT
    if "expression(" in squeezed:
        return "the SVG has a CSS expression()", _RUN_HINT
    folded = css.casefold()
    if "@import" in folded:
        return "the SVG has an @import", _OUTSIDE_HINT
    for found in _URL.finditer(css):
        target = found.group(1).strip(" \t\n\r\f")
        if not target.lstrip("'\"").startswith("#"):
            return f"the SVG has an external reference url({_show(target)})", _OUTSIDE_HINT
    for function in _FETCHING_FUNCTIONS:
        if function in folded:
            return f"the SVG has a CSS {function})", _OUTSIDE_HINT
    return None


def _size(root: Element) -> tuple[int, int]:
    width = _length(root, "width")
    height = _length(root, "height")
    if width is None or height is None:
        box = _view_box(root)
        if box is None:
            raise SvgRejected(
                "the SVG has neither width and height nor a viewBox", 'add a viewBox such as viewBox="0 0 800 500"'
            )
        box_width, box_height = box
        if width is not None:
            height = width * box_height / box_width
        elif height is not None:
            width = height * box_width / box_height
        else:
            width, height = box_width, box_height
    if width > MAX_SIDE or height > MAX_SIDE:
        raise SvgRejected(
            f"the SVG is {_pixels(width)} by {_pixels(height)} pixels, over the limit of {MAX_SIDE} a side",
            f"make width and height (or the viewBox) at most {MAX_SIDE}, keeping the same proportions",
        )
    return max(1, math.floor(width + 0.5)), max(1, math.floor(height + 0.5))


def _length(root: Element, name: str) -> float | None:
    """The attribute in CSS pixels; None when absent or relative (a percentage or auto), so the viewBox decides."""
    text = root.get(name, "").strip()
    if not text or text.lower() == "auto":
        return None
    match = _LENGTH.fullmatch(text)
    if match and match.group(2) == "%":
        return None
    unit = match.group(2).lower() if match else ""
    if match is None or unit not in _UNITS:
        raise SvgRejected(
            f'the SVG\'s {name} "{_show(text)}" is not a length in px, pt, pc, mm, cm or in',
            f'write a number of pixels such as {name}="800", or leave it out and keep the viewBox',
        )
    pixels = float(match.group(1)) * _UNITS[unit]
    if not pixels > 0:
        raise SvgRejected(f'the SVG\'s {name} "{_show(text)}" is not above zero', "give it a positive length")
    return pixels


def _view_box(root: Element) -> tuple[float, float] | None:
    """The viewBox's width and height, or None when there is none."""
    text = root.get("viewBox", "").strip()
    if not text:
        return None
    parts = [part for part in _SEPARATORS.split(text) if part]
    if len(parts) != 4 or not all(_NUMBER.fullmatch(part) for part in parts):
        raise SvgRejected(
            f'the SVG\'s viewBox "{_show(text)}" is not four numbers', 'write it as viewBox="0 0 800 500"'
        )
    width, height = float(parts[2]), float(parts[3])
    if not (width > 0 and height > 0 and math.isfinite(width) and math.isfinite(height)):
        raise SvgRejected(
            f'the SVG\'s viewBox "{_show(text)}" has a width or height that is not above zero',
            "its third and fourth numbers are the width and height, and must be above zero",
        )
    return width, height


def _squeeze(text: str) -> str:
    """Case-folded, without whitespace or control characters: how a URL parser sees "java&#9;script:"."""
    if text.isascii() and text.isprintable():
        return text.lower().replace(" ", "")
    return "".join(
        character
        for character in text.casefold()
        if not character.isspace() and not unicodedata.category(character).startswith("C")
    )


def _split(tag: str) -> tuple[str, str]:
    """A Clark-notation name such as {http://www.w3.org/2000/svg}svg as (namespace, local name)."""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _local(tag: str) -> str:
    return _split(tag)[1]


def _split_prefix(name: str) -> str:
    """The local part of a prefixed name as written in a value, such as xlink:href."""
    return name.rpartition(":")[2]


def _attribute_name(namespace: str, name: str) -> str:
    prefix = {_XLINK: "xlink:", _XML: "xml:"}.get(namespace, "")
    return _show(prefix + name)


def _pixels(value: float) -> str:
    return f"{value:.0f}" if value < 1e9 else f"{value:.3g}"


def _show(text: str, limit: int = 60) -> str:
    """Text for a message: control characters escaped so they can be seen, and cut short if long."""
    shown = "".join(
        character if character.isprintable() else character.encode("unicode_escape").decode("ascii")
        for character in text[:limit]
    )
    return shown if len(text) <= limit else shown + "…"
