"""Shared judgement for the monitoring-software checks (DS-PROC-010/020, DS-INPUT-010/020).

How serious a match is (category, how the product presents itself, how well the indicator is
verified, whether a caseworker marked it known), how many signals agree (confidence), the plain
wording shown to the person, and file fingerprints (SHA-256) for the evidence.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Iterable

from digisafe.core.check import SAFETY_CAUTION
from digisafe.core.model import Confidence, Severity
from digisafe.core.safefile import open_regular

if TYPE_CHECKING:
    from digisafe.core.context import Context
    from digisafe.indicators import IndicatorDatabase, Match, Matcher, Product
    from digisafe.monitoring.autostart import AutostartEntry

HASH_MAX_BYTES = 200 * 1024 * 1024  # bigger programs get no hash (reading them would be slow)

# Category -> (severity, what it can do, in plain words).
_CATEGORY = {
    "stalkerware": (Severity.HIGH, "secretly record what you do on this laptop and send it to someone else"),
    "keylogger": (Severity.HIGH, "record every key you type, including passwords and messages"),
    "rat": (Severity.HIGH, "let someone else secretly see and control this laptop"),
    "monitoring": (Severity.HIGH, "record your screen, keystrokes, websites and messages for someone else"),
    "parental": (Severity.LOW, "let someone else see what you do online and where, and limit it"),
    "remote-access": (Severity.MEDIUM, "let someone else see or control this laptop from another computer"),
}
_LABEL = {
    "stalkerware": "stalkerware",
    "keylogger": "a keylogger",
    "rat": "a remote-access trojan",
    "monitoring": "monitoring software",
    "parental": "parental-control software",
    "remote-access": "a remote-access tool",
}
DUAL_USE_WARNING = "If you did not install this, someone may be able to see or control this laptop."
_STRONG_SIGNALS = frozenset({"install-path", "service", "autostart", "bundle-id", "signer"})


def _lower(severity: Severity) -> Severity:
    order = list(Severity)
    return order[max(1, order.index(severity) - 1)]  # never below LOW for a real match


def load_indicators(ctx: Context) -> tuple[IndicatorDatabase, Matcher]:
    """The database for this context, compiled for its platform; records its version in ctx.sources."""
    from digisafe.indicators import describe_for_report, load_database

    db = load_database(ctx.data_dir)
    ctx.sources["indicators"] = describe_for_report(db, ctx.now(), ctx.platform)
    return db, db.matcher(ctx.platform)


def stale_warning(ctx: Context) -> str | None:
    info = ctx.sources.get("indicators") or {}
    return info.get("warning") if isinstance(info, dict) else None


def autostart_matches(entry: AutostartEntry, matcher: Matcher) -> list[Match]:
    """What an autostart entry shows of a product: its command line, and the name of a service or unit."""
    found = list(matcher.autostart(entry.text))
    if entry.kind in ("service", "systemd", "launchd"):
        found += matcher.service(entry.name)
        if entry.display_name:
            found += matcher.service(entry.display_name)
    return found


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def is_known(product: Product, known_tools: Iterable[str]) -> bool:
    """True when a caseworker marked this product known and consented (--known NAME or profile)."""
    wanted = {_norm(k) for k in known_tools if _norm(k)}
    if not wanted:
        return False
    names = {_norm(product.id), *(_norm(n) for n in product.names)}
    return bool(wanted & names)


@dataclass(frozen=True)
class Verdict:
    severity: Severity
    confidence: Confidence
    known: bool
    trusted: bool


def base_severity(product: Product) -> Severity:
    """Keyloggers, RATs and covert monitoring > dual-use remote access > visible
    monitoring and parental control > work agents and tunnels (relevance medium) > everyday tools."""
    severity, _ = _CATEGORY.get(product.category, (Severity.MEDIUM, ""))
    if product.category == "monitoring" and product.presentation == "visible":
        severity = Severity.MEDIUM
    if product.relevance == "medium":
        severity = min(severity, Severity.LOW)
    return severity


def judge(product: Product, matches: list[Match], known_tools: Iterable[str], masquerade: bool = False) -> Verdict:
    """Severity x confidence for one product seen through ``matches`` (all for this product).

    Covert stalkerware seen with high confidence through a verified host indicator is critical; an unverified
    indicator lowers one step; relevance "low" (everyday tools) is information; --known is
    information."""
    signals = {m.signal for m in matches}
    trusted = any(m.trusted for m in matches)
    unverified = all(m.verified == "unverified" for m in matches) if matches else False
    if masquerade or len(signals) >= 3 or (signals & _STRONG_SIGNALS and len(signals) >= 2):
        confidence = Confidence.HIGH
    elif signals & _STRONG_SIGNALS or len(signals) >= 2:
        confidence = Confidence.MEDIUM if not trusted else Confidence.HIGH
    else:
        confidence = Confidence.MEDIUM if trusted else Confidence.LOW
    if not trusted and confidence is Confidence.HIGH and not masquerade:
        confidence = Confidence.MEDIUM  # unverified facts never back a high-confidence finding alone
    severity = base_severity(product)
    if unverified and not masquerade:
        severity, confidence = _lower(severity), Confidence.LOW
    if product.relevance == "low" and not masquerade:
        severity = Severity.INFO  # an everyday program: recorded, never an alarm on its own
    if masquerade:
        severity = max(severity, Severity.HIGH)
    host_trusted = any(m.trusted and m.signal != "domain" for m in matches)
    covert_stalkerware = product.category == "stalkerware" and product.presentation == "covert"
    if covert_stalkerware and host_trusted and confidence is Confidence.HIGH:
        severity = Severity.CRITICAL  # confirmed covert stalkerware on the laptop: the worst we report
    known = is_known(product, known_tools)
    if known:
        severity = Severity.INFO
    return Verdict(severity, confidence, known, trusted)


def describe(product: Product, verdict: Verdict, where: str) -> tuple[str, str, str]:
    """(title, detail, advice) in plain words. ``where`` says how it was seen ("is running")."""
    _, can_do = _CATEGORY.get(product.category, (Severity.MEDIUM, "watch or control this laptop"))
    label = _LABEL.get(product.category, "monitoring software")
    if verdict.known:
        title = f"{product.name} {where} (marked as known and agreed to)"
        detail = (
            f"{product.name} is {label}. A caseworker marked it as known and agreed to, "
            "so it is listed for the record only."
        )
        return title, detail, "Nothing to do if you still agree to it. " + SAFETY_CAUTION
    title = f"{product.name} {where}: it can {can_do}"
    detail = f"{product.name} is {label}" + (f" made by {product.vendor}" if product.vendor else "") + "."
    if product.relevance == "low":
        detail += " It is an everyday program that can also reach other computers; listed for information only."
    elif product.relevance == "medium" and product.category == "remote-access":
        detail += (
            " Companies and IT support use it to manage computers: if this is a work laptop, this is probably "
            "your IT department. " + DUAL_USE_WARNING
        )
    elif product.presentation == "dual-use" or product.category == "remote-access":
        detail += " People also use it for ordinary reasons (IT support, working from home). " + DUAL_USE_WARNING
    elif product.presentation == "covert":
        detail += " It is built to stay hidden from the person using the laptop."
    if verdict.confidence is Confidence.LOW:
        detail += " This is a weak match (a name only, or facts we could not confirm): it may be something else."
    advice = (product.advice + " " if product.advice else "") + SAFETY_CAUTION
    return title, detail, advice


def judge_first(
    matches: list[Match], known_tools: Iterable[str], where: str
) -> tuple[Verdict, tuple[str, str, str], dict[str, Any]]:
    """The first product in ``matches``, judged on its own matches: verdict, (title, detail, advice), evidence."""
    product = matches[0].product
    same = [m for m in matches if m.product.id == product.id]
    verdict = judge(product, same, known_tools)
    return verdict, describe(product, verdict, where), product_evidence(product, same)


def product_evidence(product: Product, matches: list[Match]) -> dict[str, Any]:
    return {
        "product": product.id,
        "product_name": product.name,
        "category": product.category,
        "presentation": product.presentation,
        "verified": product.verified,
        "signals": sorted({m.signal for m in matches}),
        "indicators": sorted({f"{m.signal}: {m.pattern}" for m in matches}),
        "sources": [s.url or s.name for s in product.sources][:5],
    }


def utc_iso(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    try:
        return datetime.fromtimestamp(timestamp, timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    except (OverflowError, OSError, ValueError):
        return None


_HASHES: dict[tuple[str, int, int], str] = {}
_HASH_LOCK = threading.Lock()


def file_fingerprint(path: os.PathLike[str] | str, max_bytes: int = HASH_MAX_BYTES) -> dict[str, Any]:
    """SHA-256, size and modification time of a program file; cached by path, size and mtime."""
    try:
        info = os.stat(path)
    except OSError as exc:
        return {"sha256": None, "hash_note": f"could not read the file ({exc.strerror or exc})"}
    result: dict[str, Any] = {"size": info.st_size, "modified": utc_iso(info.st_mtime)}
    if info.st_size > max_bytes:
        result.update(sha256=None, hash_note=f"not hashed: larger than {max_bytes // (1024 * 1024)} MiB")
        return result
    key = (os.fspath(path), info.st_size, info.st_mtime_ns)
    with _HASH_LOCK:
        cached = _HASHES.get(key)
    if cached is None:
        digest = hashlib.sha256()
        try:
            with open_regular(path) as handle:
                for block in iter(lambda: handle.read(1024 * 1024), b""):
                    digest.update(block)
        except OSError as exc:
            result.update(sha256=None, hash_note=f"could not read the file ({exc.strerror or exc})")
            return result
        cached = digest.hexdigest()
        with _HASH_LOCK:
            _HASHES[key] = cached
    result["sha256"] = cached
    return result


def hash_cache_size() -> int:
    return len(_HASHES)
