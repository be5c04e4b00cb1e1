"""SVG images are published as they are, so any that could run code or fetch from elsewhere must be refused.

Each refused case asserts the exact message, so a rule that stops firing, or
fires for another reason first, fails its case.
"""

from __future__ import annotations

import time

import pytest

from builder.svgcheck import SvgRejected, svg_size

NAMESPACES = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
XHTML = "http://www.w3.org/1999/xhtml"


def svg(body: str = "", size: str = 'viewBox="0 0 800 500"') -> bytes:
    return f"<svg {NAMESPACES} {size}>{body}</svg>".encode()


def rejection(data: bytes) -> SvgRejected:
    with pytest.raises(SvgRejected) as caught:
        svg_size(data)
    return caught.value


@pytest.mark.parametrize(
    ("data", "size"),
    [
        pytest.param(svg(), (800, 500), id="viewbox"),
        pytest.param(svg(size='viewBox="0,0,800,500"'), (800, 500), id="viewbox-commas"),
        pytest.param(svg(size='viewBox="-5 -5 10.4 10.6"'), (10, 11), id="viewbox-rounded"),
        pytest.param(svg(size='viewBox="0 0 0.2 0.2"'), (1, 1), id="at-least-one"),
        pytest.param(svg(size='viewBox="0 0 2.5 4.5"'), (3, 5), id="halves-round-up"),
        pytest.param(svg(size='width="320" height="240"'), (320, 240), id="plain-numbers"),
        pytest.param(svg(size='width=" 320px " height="240px"'), (320, 240), id="px"),
        pytest.param(svg(size='width="72pt" height="36pt"'), (96, 48), id="pt"),
        pytest.param(svg(size='width="1pc" height="2pc"'), (16, 32), id="pc"),
        pytest.param(svg(size='width="25.4mm" height="12.7mm"'), (96, 48), id="mm"),
        pytest.param(svg(size='width="2.54cm" height="1cm"'), (96, 38), id="cm"),
        pytest.param(svg(size='width="1in" height="0.5in"'), (96, 48), id="in"),
        pytest.param(svg(size='width="1e2" height="5E1"'), (100, 50), id="exponent"),
        pytest.param(svg(size='width="100%" height="100%" viewBox="0 0 800 500"'), (800, 500), id="percent"),
        pytest.param(svg(size='width="auto" height="" viewBox="0 0 800 500"'), (800, 500), id="auto-and-empty"),
        pytest.param(svg(size='width="400" viewBox="0 0 800 500"'), (400, 250), id="width-only"),
        pytest.param(svg(size='height="100" viewBox="0 0 800 500"'), (160, 100), id="height-only"),
        pytest.param(svg(size='width="100" viewBox="0 0 800 500"'), (100, 63), id="derived-rounds-half-up"),
        pytest.param(svg(size='width="20000" height="1"'), (20000, 1), id="at-the-limit"),
        pytest.param(
            svg(
                '<defs><linearGradient id="grad"><stop offset="0"/></linearGradient>'
                '<rect id="r" width="10" height="10"/></defs>'
                '<rect fill="url(#grad)" style="stroke: URL( #grad )"/>'
                '<use href="#r"/><use xlink:href=" #r"/><a href="#r"><text>link</text></a>'
                "<style><![CDATA[ rect { fill: url('#grad') } circle { fill: url( \"#grad\" ) } ]]></style>"
                '<set attributeName="fill" to="url(#grad)"/>'
            ),
            (800, 500),
            id="references-within",
        ),
        pytest.param(
            b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!-- by hand -->\n' + svg(),
            (800, 500),
            id="bom-declaration-comment",
        ),
        pytest.param(
            svg("<title>No javascript: URLs, no &lt;script&gt;</title><desc>url(http://example.com)</desc>"),
            (800, 500),
            id="text-is-not-code",
        ),
        pytest.param(
            svg('<text xml:space="preserve" font-family="Noto Sans, sans-serif">Plank \u2013 30 s</text>'),
            (800, 500),
            id="unicode-and-xml-space",
        ),
    ],
)
def test_accepted(data: bytes, size: tuple[int, int]) -> None:
    assert svg_size(data) == size


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY lol0 "lol">\n'
    + b"".join(
        b'<!ENTITY lol%d "%s">\n' % (level, b"".join(b"&lol%d;" % (level - 1) for _ in range(10)))
        for level in range(1, 10)
    )
    + b"]>\n<svg "
    + NAMESPACES.encode()
    + b' viewBox="0 0 8 5"><text>&lol9;</text></svg>'
)

MARKUP = [
    pytest.param(
        svg("<g></svg>"), "the SVG is not well-formed XML (mismatched tag: line 1, column 110)", id="mismatched-tag"
    ),
    pytest.param(b"", "the SVG is not well-formed XML (no element found: line 1, column 0)", id="empty"),
    pytest.param(
        b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">' + svg(),
        "the SVG declares a DOCTYPE or entities",
        id="doctype",
    ),
    pytest.param(
        b'<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>' + svg("<text>&secret;</text>"),
        "the SVG declares a DOCTYPE or entities",
        id="external-entity",
    ),
    pytest.param(
        svg("<text>&nbsp;</text>"),
        "the SVG is not well-formed XML (undefined entity: line 1, column 111)",
        id="undeclared-entity",
    ),
    pytest.param(
        b'<?xml-stylesheet type="text/css" href="https://example.com/a.css"?>' + svg(),
        "the SVG holds a processing instruction <?xml-stylesheet …?>",
        id="xml-stylesheet",
    ),
    pytest.param(svg("<g><?php echo 1 ?></g>"), "the SVG holds a processing instruction <?php …?>", id="inner-pi"),
    pytest.param(
        svg("<text>caf\xe9</text>").replace(b"\xc3\xa9", b"\xe9"), "the SVG is not encoded in UTF-8", id="latin-1"
    ),
    pytest.param(
        b'<?xml version="1.0" encoding="ISO-8859-1"?>' + svg(),
        'the SVG declares encoding "ISO-8859-1" rather than UTF-8',
        id="declared-latin-1",
    ),
    pytest.param(b'<html xmlns="http://www.w3.org/1999/xhtml"/>', "the file is not an SVG image", id="xhtml-root"),
    pytest.param(b'<svg viewBox="0 0 8 5"/>', "the file is not an SVG image", id="svg-without-namespace"),
]

ELEMENTS = [
    pytest.param(svg("<script>alert(1)</script>"), "the SVG holds a <script> element", id="script"),
    pytest.param(svg("<g><SCRIPT>alert(1)</SCRIPT></g>"), "the SVG holds a <SCRIPT> element", id="script-uppercase"),
    pytest.param(
        svg(f'<h:script xmlns:h="{XHTML}">alert(1)</h:script>'),
        "the SVG holds a <script> element",
        id="xhtml-script",
    ),
    pytest.param(
        svg(f'<foreignObject width="80" height="50"><div xmlns="{XHTML}">hi</div></foreignObject>'),
        "the SVG holds a <foreignObject> element",
        id="foreign-object-xhtml",
    ),
    *(
        pytest.param(svg(f"<{name}/>"), f"the SVG holds a <{name}> element", id=name)
        for name in ["iframe", "embed", "object", "audio", "video", "handler", "listener"]
    ),
    pytest.param(
        svg(f'<div xmlns="{XHTML}"><img src="#a"/></div>'),
        f"the SVG holds a <div> element that is not SVG (namespace {XHTML})",
        id="xhtml-element",
    ),
    pytest.param(
        svg('<sodipodi:namedview xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"/>'),
        "the SVG holds a <namedview> element that is not SVG (namespace http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd)",
        id="inkscape-element",
    ),
    pytest.param(svg('<g xmlns=""/>'), "the SVG holds a <g> element that is not SVG (no namespace)", id="no-namespace"),
]

ATTRIBUTES = [
    pytest.param(
        svg(size='viewBox="0 0 8 5" onload="alert(1)"'),
        'the SVG has an event handler onload="alert(1)" on <svg>',
        id="onload-on-root",
    ),
    pytest.param(
        svg('<rect ONCLICK="alert(1)"/>'), 'the SVG has an event handler ONCLICK="alert(1)" on <rect>', id="ONCLICK"
    ),
    pytest.param(
        svg('<a href="java\tscript:alert(1)"/>'),
        'the SVG has a javascript: URL in href="java script:alert(1)" on <a>',
        id="javascript-literal-tab",
    ),
    pytest.param(
        svg('<a href="java&#9;script:alert(1)"/>'),
        'the SVG has a javascript: URL in href="java\\tscript:alert(1)" on <a>',
        id="javascript-tab-reference",
    ),
    pytest.param(
        svg('<a xlink:href=" &#106;ava&#x0A;Script :alert(1)"/>'),
        'the SVG has a javascript: URL in xlink:href=" java\\nScript :alert(1)" on <a>',
        id="javascript-mixed",
    ),
    pytest.param(
        svg('<animate attributeName="fill" values="red;JAVASCRIPT:alert(1)"/>'),
        'the SVG has a javascript: URL in values="red;JAVASCRIPT:alert(1)" on <animate>',
        id="javascript-anywhere",
    ),
    pytest.param(
        svg('<image xlink:href="http://example.com/a.png"/>'),
        'the SVG has an external reference xlink:href="http://example.com/a.png" on <image>',
        id="xlink-href-http",
    ),
    pytest.param(
        svg('<image href="data:image/png;base64,iVBORw0KGgo="/>'),
        'the SVG has an external reference href="data:image/png;base64,iVBORw0KGgo=" on <image>',
        id="href-data",
    ),
    pytest.param(
        svg('<use href="sprites.svg#arm"/>'),
        'the SVG has an external reference href="sprites.svg#arm" on <use>',
        id="use-other-file",
    ),
    pytest.param(svg('<image src="a.png"/>'), 'the SVG has an external reference src="a.png" on <image>', id="src"),
    pytest.param(svg('<a href=""/>'), 'the SVG has an external reference href="" on <a>', id="empty-href"),
    pytest.param(
        svg('<a href="#top" ping="https://example.com/"/>'),
        'the SVG has an external reference ping="https://example.com/" on <a>',
        id="ping",
    ),
    pytest.param(
        svg('<a href="\u00a0#top"/>'),
        'the SVG has an external reference href="\\xa0#top" on <a>',
        id="non-ascii-space-before-hash",
    ),
    pytest.param(
        svg('<g xml:base="https://example.com/"><use href="#a"/></g>'),
        "the SVG has an xml:base attribute on <g>",
        id="xml-base",
    ),
    pytest.param(
        svg('<a href="#a"><set attributeName="xlink:href" to="https://example.com/"/></a>'),
        "the SVG animates the xlink:href attribute with <set>",
        id="animated-href",
    ),
    pytest.param(
        svg('<animate attributeName=" onbegin " to="x"/>'),
        "the SVG animates the onbegin attribute with <animate>",
        id="animated-handler",
    ),
]

STYLES = [
    pytest.param(
        svg('<rect style="background:url(http://x)"/>'),
        'the SVG has an external reference url(http://x) in style="background:url(http://x)" on <rect>',
        id="style-url",
    ),
    pytest.param(
        svg("<rect fill=\"URL('https://example.com/p.svg#grad')\"/>"),
        "the SVG has an external reference url('https://example.com/p.svg#grad') in "
        "fill=\"URL('https://example.com/p.svg#grad')\" on <rect>",
        id="presentation-url",
    ),
    pytest.param(
        svg('<rect style="fill:url(#ok); stroke:url(data:image/svg+xml,x)"/>'),
        "the SVG has an external reference url(data:image/svg+xml,x) in "
        'style="fill:url(#ok); stroke:url(data:image/svg+xml,x)" on <rect>',
        id="second-url",
    ),
    pytest.param(
        svg('<style>@font-face { src: url("https://example.com/f.woff") }</style>'),
        'the SVG has an external reference url("https://example.com/f.woff") in a <style> element',
        id="style-element-url",
    ),
    pytest.param(
        svg('<style>@IMPORT "https://example.com/a.css";</style>'),
        "the SVG has an @import in a <style> element",
        id="import",
    ),
    pytest.param(
        svg('<rect style="width: expression (alert(1))"/>'),
        'the SVG has a CSS expression() in style="width: expression (alert(1))" on <rect>',
        id="expression",
    ),
    pytest.param(
        svg("<style>rect { fill: url(Java Script:alert(1)) }</style>"),
        "the SVG has a javascript: URL in a <style> element",
        id="style-javascript",
    ),
    pytest.param(
        svg("<style>rect { fill: u\\72l(https://example.com/) }</style>"),
        "the SVG has a CSS escape (a backslash) in a <style> element",
        id="css-escape",
    ),
    pytest.param(
        svg("<rect style=\"background: -webkit-image-set('https://x.org/a.png' 1x)\"/>"),
        "the SVG has a CSS image-set() in style=\"background: -webkit-image-set('https://x.org/a.png' 1x)\" on <rect>",
        id="image-set",
    ),
    pytest.param(
        svg("<rect style=\"fill: image('https://x.org/a.png')\"/>"),
        "the SVG has a CSS image() in style=\"fill: image('https://x.org/a.png')\" on <rect>",
        id="image",
    ),
    pytest.param(
        svg('<style>rect { background: src("https://x.org/a.png") }</style>'),
        "the SVG has a CSS src() in a <style> element",
        id="src-function",
    ),
    pytest.param(
        svg('<rect data-u="https://x.org/a.png" style="background-image: attr(data-u type(&lt;url&gt;))"/>'),
        'the SVG has a CSS attr() in style="background-image: attr(data-u type(<url>))" on <rect>',
        id="attr-function",
    ),
]

SIZES = [
    pytest.param(svg(size=""), "the SVG has neither width and height nor a viewBox", id="no-size"),
    pytest.param(svg(size='width="400"'), "the SVG has neither width and height nor a viewBox", id="width-only"),
    pytest.param(
        svg(size='width="100%" height="100%"'), "the SVG has neither width and height nor a viewBox", id="percent-only"
    ),
    pytest.param(
        svg(size='width="10em" height="10"'),
        'the SVG\'s width "10em" is not a length in px, pt, pc, mm, cm or in',
        id="em",
    ),
    pytest.param(svg(size='width="100" height="-5"'), 'the SVG\'s height "-5" is not above zero', id="negative-height"),
    pytest.param(svg(size='width="0" height="5"'), 'the SVG\'s width "0" is not above zero', id="zero-width"),
    pytest.param(
        svg(size='viewBox="0 0 eight five"'),
        'the SVG\'s viewBox "0 0 eight five" is not four numbers',
        id="viewbox-words",
    ),
    pytest.param(
        svg(size='viewBox="0 0 0 5"'),
        'the SVG\'s viewBox "0 0 0 5" has a width or height that is not above zero',
        id="viewbox-empty",
    ),
    pytest.param(
        svg(size='viewBox="0 0 5 -1"'),
        'the SVG\'s viewBox "0 0 5 -1" has a width or height that is not above zero',
        id="viewbox-negative-height",
    ),
    pytest.param(
        svg(size='viewBox="0 0 8 5 9"'), 'the SVG\'s viewBox "0 0 8 5 9" is not four numbers', id="viewbox-five"
    ),
    pytest.param(
        svg(size='width="30000px" height="10"'),
        "the SVG is 30000 by 10 pixels, over the limit of 20000 a side",
        id="too-wide",
    ),
    pytest.param(
        svg(size='viewBox="0 0 10 20001"'),
        "the SVG is 10 by 20001 pixels, over the limit of 20000 a side",
        id="viewbox-too-tall",
    ),
    pytest.param(
        svg(size='width="100" viewBox="0 0 1 1000"'),
        "the SVG is 100 by 100000 pixels, over the limit of 20000 a side",
        id="derived-too-tall",
    ),
    pytest.param(
        svg(size='width="1e999" height="1"'),
        "the SVG is inf by 1 pixels, over the limit of 20000 a side",
        id="infinite",
    ),
]


@pytest.mark.parametrize(("data", "message"), [*MARKUP, *ELEMENTS, *ATTRIBUTES, *STYLES, *SIZES])
def test_refused(data: bytes, message: str) -> None:
    error = rejection(data)
    assert str(error) == message
    assert error.hint


@pytest.mark.parametrize(
    ("data", "hint"),
    [
        pytest.param(svg(size=""), 'add a viewBox such as viewBox="0 0 800 500"', id="no-size"),
        pytest.param(svg("<script/>"), "remove it: SVGs are published as they are", id="element"),
        pytest.param(
            svg('<image href="data:,"/>'),
            "draw images inline and refer only to parts of the same SVG, by #id: "
            "SVGs are published as they are, so nothing in them may fetch from elsewhere",
            id="external",
        ),
        pytest.param(
            svg(size='viewBox="0 0 8 5" onload="alert(1)"'),
            "remove it: SVGs are published as they are, so nothing in them may run code",
            id="handler",
        ),
        pytest.param(
            b'<svg viewBox="0 0 8 5"/>',
            'its root element is <svg>; an SVG starts with <svg xmlns="http://www.w3.org/2000/svg">',
            id="root",
        ),
    ],
)
def test_hint(data: bytes, hint: str) -> None:
    assert rejection(data).hint == hint


def test_billion_laughs_is_refused_before_expanding() -> None:
    started = time.perf_counter()
    error = rejection(BILLION_LAUGHS)
    assert str(error) == "the SVG declares a DOCTYPE or entities"
    assert time.perf_counter() - started < 1


def test_the_first_problem_in_document_order_is_reported() -> None:
    data = svg('<image href="http://example.com/a.png"/><script/>', size='width="1e999"')
    assert str(rejection(data)) == 'the SVG has an external reference href="http://example.com/a.png" on <image>'


def test_long_and_invisible_values_are_shown_short_and_visibly() -> None:
    data = svg(f'<image href="http://example.com/{"a" * 100}"/>')
    assert str(rejection(data)) == (
        f'the SVG has an external reference href="http://example.com/{"a" * 41}…" on <image>'
    )
