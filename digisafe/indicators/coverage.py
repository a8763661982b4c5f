"""Honest coverage: per category, how many products this laptop's checks can recognise, by which
signal, and which ones only a phone can show.

Signals, per laptop system:

- **program**: a program name, install folder, service, start-up entry, bundle ID or signer for
  that system (DS-PROC-010 running programs, DS-PROC-020 start-up entries and folders, DS-PROC-030
  installed programs);
- **web only**: no program fact for that system, but hosts or addresses: the laptop can show only
  visits to the product's sites, downloads, lookups or connections (DS-BRW-040, DS-NET-020). Most
  stalkerware is a phone app: this is how a laptop can hold a trace of it;
- **phone only**: nothing a laptop can show (Android package names and signing certificates only):
  only the phone audit can find it.
"""

from __future__ import annotations

from typing import Any, Iterable

from digisafe.core.platforms import LAPTOP_PLATFORMS, Platform
from digisafe.indicators.schema import CATEGORIES, Product

LAPTOPS = tuple(p.value for p in (Platform.WINDOWS, Platform.MACOS, Platform.LINUX) if p in LAPTOP_PLATFORMS)


def _network(product: Product) -> bool:
    return bool(product.domains or product.websites or product.ips or product.download_hosts)


def signal_of(product: Product, platform: str) -> str:
    """"program", "web" or "phone" for one product on one laptop system ("none": nothing at all)."""
    if not product.host(platform).is_empty():
        return "program"
    if _network(product):
        return "web"
    if not product.android.is_empty():
        return "phone"
    return "none"


def coverage(products: Iterable[Product], platforms: Iterable[str] = LAPTOPS) -> dict[str, Any]:
    """{"platforms": [...], "categories": {category: {"products": n, "<platform>": {"program": n,
    "web": n}, "phone_only": n}}, "phone_only": [names]}."""
    systems = [Platform.parse(p).value for p in platforms]
    table: dict[str, dict[str, Any]] = {}
    phone_only: list[str] = []
    for product in products:
        row = table.setdefault(product.category, {"products": 0, "phone_only": 0,
                                                  **{s: {"program": 0, "web": 0} for s in systems}})
        row["products"] += 1
        signals = {s: signal_of(product, s) for s in systems}
        for system, signal in signals.items():
            if signal in ("program", "web"):
                row[system][signal] += 1
        laptop = any(not product.host(p).is_empty() for p in LAPTOPS) or _network(product)
        if not laptop:
            row["phone_only"] += 1
            phone_only.append(product.name)
    ordered = {c: table[c] for c in CATEGORIES if c in table}
    return {"platforms": systems, "categories": ordered, "phone_only": sorted(phone_only, key=str.lower)}


def coverage_lines(cov: dict[str, Any]) -> list[str]:
    """Plain lines, one per category: 'stalkerware: 169 products; Windows 9 by program + 140 by web
    traces only; ...; 20 only on a phone'."""
    lines = []
    for category, row in cov["categories"].items():
        parts = []
        for system in cov["platforms"]:
            counts = row[system]
            missing = row["products"] - counts["program"] - counts["web"] - row["phone_only"]
            part = f"{Platform.parse(system).label} {counts['program']} by program + {counts['web']} by web traces only"
            parts.append(part + (f" ({missing} not recognisable there)" if missing > 0 else ""))
        text = f"{category}: {row['products']} products; " + "; ".join(parts)
        if row["phone_only"]:
            text += f"; {row['phone_only']} only on a phone"
        lines.append(text)
    return lines


def for_report(products: Iterable[Product], platform: str) -> dict[str, Any]:
    """The coverage of one laptop system, for Report.sources["indicators"]["coverage"]."""
    cov = coverage(products, [platform])
    system = cov["platforms"][0]
    return {
        "platform": system,
        "categories": {
            c: {"products": r["products"], "program": r[system]["program"], "web_only": r[system]["web"],
                "phone_only": r["phone_only"]}
            for c, r in cov["categories"].items()
        },
        "summary": [_short(c, r, system) for c, r in cov["categories"].items()],
    }


def _short(category: str, row: dict[str, Any], system: str) -> str:
    """'stalkerware 149 (4 by program, 126 by web traces only, 19 only on a phone)'."""
    counts = row[system]
    parts = [f"{counts['program']} by program", f"{counts['web']} by web traces only"]
    missing = row["products"] - counts["program"] - counts["web"] - row["phone_only"]
    if row["phone_only"]:
        parts.append(f"{row['phone_only']} only on a phone")
    if missing > 0:
        parts.append(f"{missing} not on {Platform.parse(system).label}")
    return f"{category} {row['products']} ({', '.join(parts)})"


def coverage_markdown(cov: dict[str, Any]) -> str:
    """The table docs/indicators.md carries (a test keeps the two in step)."""
    labels = [Platform.parse(s).label for s in cov["platforms"]]
    head = "| category | products | " + " | ".join(f"{x}: by program / web traces only" for x in labels)
    lines = [head + " | only on a phone |", "|---|---:|" + "---:|" * len(labels) + "---:|"]
    for category, row in cov["categories"].items():
        cells = [f"{row[s]['program']} / {row[s]['web']}" for s in cov["platforms"]]
        lines.append(f"| {category} | {row['products']} | " + " | ".join(cells) + f" | {row['phone_only']} |")
    return "\n".join(lines)
