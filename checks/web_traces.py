"""DS-BRW-040: visits to monitoring-software websites, control panels and download hosts in browser history.

What it looks at: the history and downloads of every profile of Chrome, Chromium, Edge, Brave,
Vivaldi, Opera (the ``History`` file: ``urls``, ``visits``, ``downloads``) and Firefox
(``places.sqlite``: ``moz_places``, ``moz_historyvisits``, download annotations). Each visited
host is compared with the hosts of the monitoring-software database: the vendor's website, the
product's control panel or data server, and the hosts its installers are downloaded from. Files
are read from a private copy; nothing is changed and nothing is sent.

What the report shows: the product, the kind of page (vendor site, control panel or service,
download host), the host, the first and last visit and how many visits, and the name of any file
downloaded from such a host. Nothing else of the browsing history is read into the report.

Why it matters: a visit to a stalkerware control panel from this laptop may mean this laptop was
used to watch someone (or to set the product up on another device); an installer downloaded
from a vendor may have been installed here.

False positives: looking a product up is not being watched. A person worried about stalkerware
often visits exactly these websites, and so do caseworkers. Visits to remote-access vendors
(TeamViewer, AnyDesk...) are common and listed for information only.

What to do: do not clear the history: it is evidence. Keep the report and talk to a stalking
advocate (ISAC) about what the visits may mean.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from digisafe.core.check import SAFETY_CAUTION, Check, CheckSkipped, Yielded

if TYPE_CHECKING:
    from digisafe.core.context import Context
    from digisafe.indicators import Matcher, Product
    from digisafe.monitoring.collect import Indicators
    from digisafe.traces.model import WebHistory

CHECK_ID = "DS-BRW-040"
MAX_EVIDENCE = 20


def web_matches(history: WebHistory, matcher: Matcher) -> dict[str, dict[str, Any]]:
    """product id -> {"product", "visits": [...], "downloads": [...]} for listed hosts only."""
    found: dict[str, dict[str, Any]] = {}
    for profile in history.profiles:
        where = {"browser": profile.browser, "profile": profile.profile, "file": profile.file}
        for host, visits in profile.hosts.items():
            for match in matcher.domain(host):
                slot = found.setdefault(match.product.id, {"product": match.product, "visits": [], "downloads": []})
                slot["visits"].append({
                    **where, "host": host, "page": match.kind, "indicator": match.pattern,
                    "first_visit": visits.first, "last_visit": visits.last, "visits": visits.count,
                })  # fmt: skip
        for download in profile.downloads:
            for host in download.hosts:
                for match in matcher.domain(host):
                    slot = found.setdefault(match.product.id, {"product": match.product, "visits": [], "downloads": []})
                    slot["downloads"].append({
                        **where, "host": host, "page": match.kind, "indicator": match.pattern,
                        "file_name": download.file_name, "started": download.started,
                    })  # fmt: skip
    return found


class WebTracesCheck(Check):
    id = CHECK_ID
    title = "Visits to monitoring-software websites, control panels and downloads"
    category = "monitoring"
    why = "A stalkerware control panel opened on this laptop, or an installer downloaded here, is a lead."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.monitoring.collect import indicators
        from digisafe.traces.collect import collect_web_history

        found = indicators(ctx)
        yield from self.judge(collect_web_history(ctx), found)

    def judge(self, history: WebHistory, found: Indicators) -> Iterable[Yielded]:
        """Products whose websites appear in the browsing history; no Context needed."""
        if not history.profiles and not history.limitations:
            raise CheckSkipped(
                "no Chrome, Chromium, Edge, Brave, Vivaldi, Opera or Firefox profile was found; if you use "
                "another browser, look at its history by hand for the websites of monitoring products"
            )
        if found.warning:
            yield self.limitation(found.warning)
        for problem in history.limitations:
            yield self.limitation(problem)
        matches = web_matches(history, found.matcher)
        for product_id in sorted(matches):
            yield self._finding(found, matches[product_id])

    def _finding(self, found: Indicators, slot: dict[str, Any]) -> Yielded:
        from digisafe.monitoring.judgement import is_known
        from digisafe.traces.judgement import PAGE_KIND, trace_verdict, visit_words, worst

        product: Product = slot["product"]
        known = is_known(product, found.known_tools)
        verdicts = [trace_verdict(product, "visit", v["page"], known) for v in slot["visits"]]
        verdicts += [trace_verdict(product, "download", "", known) for _ in slot["downloads"]]
        severity, confidence = worst(verdicts)
        kinds = {v["page"] for v in slot["visits"]} | ({"download"} if slot["downloads"] else set())
        visits = sorted(slot["visits"], key=lambda v: v["last_visit"] or "", reverse=True)
        pages = ", ".join(PAGE_KIND[k] for k in ("agent", "download", "website") if k in kinds)
        detail = visit_words(product, kinds)
        if slot["downloads"]:
            names = sorted({d["file_name"] for d in slot["downloads"] if d["file_name"]})
            detail += f" A file was downloaded from its hosts ({', '.join(names[:3]) or 'name not recorded'})."
        if known:
            detail += " A caseworker marked it as known and agreed to, so it is listed for the record only."
        firsts = [v["first_visit"] for v in visits if v["first_visit"]]
        lasts = [v["last_visit"] for v in visits if v["last_visit"]]
        evidence = {
            "product": product.id,
            "product_name": product.name,
            "category": product.category,
            "signals": ["browser-history"] + (["browser-download"] if slot["downloads"] else []),
            "pages": sorted(kinds),
            "first_visit": min(firsts) if firsts else None,
            "last_visit": max(lasts) if lasts else None,
            "visits": visits[:MAX_EVIDENCE],
            "downloads": slot["downloads"][:MAX_EVIDENCE],
            "sources": [s.url or s.name for s in product.sources][:5],
            "indicator_version": found.version,
        }
        hosts = {v["host"] for v in visits} | {d["host"] for d in slot["downloads"]}
        verb = "downloaded from and visited" if slot["downloads"] and visits else (
            "downloaded from" if slot["downloads"] else "visited")
        return self.finding(
            severity,
            f"{product.name} ({pages}) {verb} in this laptop's browser",
            subject=f"{product.name}: {', '.join(sorted(hosts))[:200]}",
            detail=detail,
            confidence=confidence,
            evidence=evidence,
            advice="Do not clear the browsing history: it is evidence. " + SAFETY_CAUTION,
            guidance="laptop.monitoring-software",
        )
