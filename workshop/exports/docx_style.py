"""Word styles of the DOCX export: A4, TH Sarabun New on every style, Thai as the
complex-script language, and the font table entry (see workshop/exports/docx_export.py)."""

from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Cm, Pt
from lxml import etree

FONT = "TH Sarabun New"
FONT_ALT = "Sarabun"
THAI_LANG = "th-TH"
TABLE_TEXT = "Table Text"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Order of the children of w:rPr (ECMA-376 CT_RPr), to insert elements where they belong.
# fmt: off
_RPR_ORDER = [
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
    "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
    "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect",
    "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
    "specVanish", "oMath",
]
# fmt: on
_THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
# Sizes (points) of the styles used; Thai readers expect 16 pt body text in Sarabun.
# Keys are the names stored in styles.xml (lower case for the built-in ones).
_SIZES = {
    "normal": 16,
    TABLE_TEXT.lower(): 14,
    "title": 32,
    "subtitle": 20,
    "heading 1": 22,
    "heading 2": 18,
    "heading 3": 16,  # the opinion groups' sub-headings
    "intense quote": 18,
}
_SARABUN_FONT_ENTRY = (
    f'<w:font xmlns:w="{W}" w:name="{FONT}"><w:altName w:val="{FONT_ALT}"/>'
    '<w:panose1 w:val="020B0500040200020003"/><w:charset w:val="DE"/>'
    '<w:family w:val="swiss"/><w:pitch w:val="variable"/>'
    '<w:sig w:usb0="A100006F" w:usb1="5000205A" w:usb2="00000000" w:usb3="00000000" '
    'w:csb0="00010183" w:csb1="00000000"/></w:font>'
)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def child(parent, tag: str, order: list[str] = _RPR_ORDER):
    """The ``w:tag`` child of ``parent``, created in schema order when missing."""
    found = parent.find(w(tag))
    if found is not None:
        return found
    element = parent.makeelement(w(tag), {})
    later = {w(t) for t in order[order.index(tag) + 1 :]}
    for sibling in parent:
        if sibling.tag in later:
            sibling.addprevious(element)
            break
    else:
        parent.append(element)
    return element


def _thai_fonts(rpr, size_pt: int | None = None) -> None:
    """TH Sarabun New for every script of a run-properties element, Thai language."""
    fonts = child(rpr, "rFonts")
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(w(attr), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(w(attr), FONT)
    if size_pt is not None:
        child(rpr, "sz").set(w("val"), str(size_pt * 2))
        child(rpr, "szCs").set(w("val"), str(size_pt * 2))
    child(rpr, "lang").set(w("bidi"), THAI_LANG)


def setup(document) -> None:
    """A4 page, TH Sarabun New on every style, Thai as the complex-script language."""
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    styles = document.styles
    table_text = styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)  # table cells
    table_text.base_style = styles["Normal"]
    table_text.paragraph_format.space_after = Pt(0)
    table_text.paragraph_format.line_spacing = 1.0
    root = styles.element
    defaults = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
    if defaults is not None:
        _thai_fonts(defaults, _SIZES["normal"])
        defaults.find(w("lang")).set(w("val"), "en-US")
    for style in root.findall(w("style")):
        name = style.find(w("name"))
        size = _SIZES.get(name.get(w("val")).lower() if name is not None else "")
        if style.get(w("type")) == "numbering":
            continue
        _thai_fonts(style.get_or_add_rPr(), size)
    for name in ("Intense Quote", "Subtitle"):  # Thai is not set in italics
        rpr = styles[name].element.rPr
        for tag in ("i", "iCs"):
            for element in rpr.findall(w(tag)):
                rpr.remove(element)
    settings = document.settings.element
    lang = settings.find(w("themeFontLang"))
    if lang is not None:
        lang.set(w("bidi"), THAI_LANG)
    add_font_entry(document)


def add_font_entry(document) -> None:
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/word/fontTable.xml" and hasattr(part, "_blob"):
            fonts = etree.fromstring(part.blob)
            fonts.append(etree.fromstring(_SARABUN_FONT_ENTRY))
            part._blob = etree.tostring(
                fonts, xml_declaration=True, encoding="UTF-8", standalone=True
            )
