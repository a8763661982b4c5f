"""How serious a trace of a monitoring product's host is, and the honest words for it.

A trace is weaker evidence than the program itself: a visit to a vendor's website often means
someone looked the product up (a person checking whether they are being watched does exactly
that). A visit to a product's control panel or a download of its installer from this laptop may
mean this laptop was used to watch someone else, or that the product was installed here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from digisafe.core.model import Confidence, Severity

if TYPE_CHECKING:
    from digisafe.indicators import Product

PAGE_KIND = {
    "website": "vendor site",
    "agent": "control panel or service",
    "download": "download host",
}
WATCHING = frozenset({"stalkerware", "monitoring", "keylogger", "rat"})
_LABEL = {
    "stalkerware": "stalkerware",
    "monitoring": "monitoring software",
    "keylogger": "a keylogger",
    "rat": "a remote-access trojan",
    "parental": "parental-control software",
    "remote-access": "a remote-access tool",
}

# (trace, page kind) -> (severity for products that watch people, severity for the others)
_LADDER = {
    ("visit", "website"): (Severity.LOW, Severity.INFO),
    ("visit", "agent"): (Severity.MEDIUM, Severity.INFO),
    ("visit", "download"): (Severity.MEDIUM, Severity.INFO),
    ("download", ""): (Severity.MEDIUM, Severity.LOW),
    ("hosts-block", ""): (Severity.INFO, Severity.INFO),
    ("hosts-redirect", ""): (Severity.MEDIUM, Severity.LOW),
    ("dns", "website"): (Severity.LOW, Severity.INFO),
    ("dns", "agent"): (Severity.MEDIUM, Severity.LOW),
    ("dns", "download"): (Severity.MEDIUM, Severity.LOW),
    ("connection", ""): (Severity.HIGH, Severity.MEDIUM),
}
_CONFIDENCE = {
    "visit": Confidence.LOW,
    "download": Confidence.MEDIUM,
    "hosts-block": Confidence.LOW,
    "hosts-redirect": Confidence.LOW,
    "dns": Confidence.MEDIUM,
    "connection": Confidence.MEDIUM,
}


def trace_verdict(product: Product, trace: str, kind: str, known: bool) -> tuple[Severity, Confidence]:
    watching, other = _LADDER.get((trace, kind if trace in ("visit", "dns") else ""), (Severity.LOW, Severity.INFO))
    severity = watching if product.category in WATCHING else other
    if product.category == "parental" and severity > Severity.LOW:
        severity = Severity.LOW
    if product.relevance != "high" or known:
        severity = Severity.INFO
    return severity, _CONFIDENCE.get(trace, Confidence.LOW)


def worst(verdicts: Iterable[tuple[Severity, Confidence]]) -> tuple[Severity, Confidence]:
    items = list(verdicts)
    return max(items, key=lambda v: (v[0], v[1])) if items else (Severity.INFO, Confidence.LOW)


def label(product: Product) -> str:
    return _LABEL.get(product.category, "monitoring software")


def visit_words(product: Product, kinds: set[str]) -> str:
    """The honest reading of browser visits to a product's pages."""
    name = product.name
    words = f"This laptop's browser history shows visits to pages of {name}, {label(product)}. "
    if kinds & {"agent", "download"}:
        words += (
            f"A visit to {name}'s control panel or download pages from this laptop may mean this laptop "
            "was used to watch someone (or to set the product up on another device), or that someone "
            "looked the product up, for example to find out whether it is on their own phone. "
        )
    else:
        words += (
            "Visiting a vendor's website usually means someone looked the product up (people checking "
            "whether they are being watched do exactly that); on its own it is not a sign of monitoring. "
        )
    if product.category not in WATCHING:
        words += "It is also used for ordinary reasons. "
    return words.strip()
