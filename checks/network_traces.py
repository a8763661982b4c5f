r"""DS-NET-020: monitoring-software servers in the hosts file, the DNS cache and open connections.

What it looks at, without sending anything: the hosts file (/etc/hosts,
C:\Windows\System32\drivers\etc\hosts), the Windows DNS cache (the names this laptop looked up
recently, listed by the read-only `Get-DnsClientCache`), and the laptop's open connections. Each
name is compared with the hosts of the monitoring-software database; each connection's address
with the database's listed command-and-control addresses. macOS and Linux do not list their DNS
cache without writing to the system log, so it is not read there (the report says so).

Why it matters: a lookup of a product's server, or a connection to it, means something on this
laptop (a program, or a browser) talked to it recently. A hosts-file entry sending a product's
name somewhere else is unusual and may have been set up on purpose.

False positives: an ad- or tracker-blocking list in the hosts file blocks many such names (shown
as information: blocking is not monitoring); a browser visit to a vendor's website also fills the
DNS cache. Addresses change hands, so a connection to a listed address is a lead, not proof.

What to do: do not edit the hosts file or disconnect anything yet. Keep the report and talk to a
stalking advocate (ISAC).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from digisafe.core.check import SAFETY_CAUTION, Check, Yielded

if TYPE_CHECKING:
    from digisafe.core.context import Context
    from digisafe.indicators import Matcher, Product
    from digisafe.monitoring.collect import Indicators
    from digisafe.traces.model import NetworkTraces

CHECK_ID = "DS-NET-020"
_WHERE = {
    "hosts-block": "is blocked in the hosts file",
    "hosts-redirect": "is redirected in the hosts file",
    "dns": "was looked up by this laptop recently (DNS cache)",
    "connection": "has an open connection from this laptop",
}


def _blocking(address: str) -> bool:
    import ipaddress  # NOTE: here, not at the top: `digisafe checks` imports every check module

    ip = ipaddress.ip_address(address)
    return ip.is_unspecified or ip.is_loopback


def network_matches(traces: NetworkTraces, matcher: Matcher) -> dict[str, dict[str, Any]]:
    """product id -> {"product", "traces": [{"trace", "kind", ...}]}."""
    found: dict[str, dict[str, Any]] = {}

    def add(match: Any, trace: str, **evidence: Any) -> None:
        slot = found.setdefault(match.product.id, {"product": match.product, "traces": []})
        slot["traces"].append({"trace": trace, "page": match.kind, "indicator": match.pattern, **evidence})

    for entry in traces.hosts_entries:
        for match in matcher.domain(entry.name):
            trace = "hosts-block" if _blocking(entry.address) else "hosts-redirect"
            add(match, trace, name=entry.name, address=entry.address, file=traces.hosts_file, line=entry.line)
    for name in traces.dns_names:
        for match in matcher.domain(name):
            add(match, "dns", name=name)
    for conn in traces.connections:
        for match in matcher.domain(conn.remote):
            add(match, "connection", address=conn.remote, port=conn.port, pid=conn.pid,
                program=conn.process_name, status=conn.status)  # fmt: skip
    return found


class NetworkTracesCheck(Check):
    id = CHECK_ID
    title = "Monitoring-software servers in the hosts file, DNS cache and open connections"
    category = "monitoring"
    why = "A lookup of, or a connection to, a stalkerware server shows something on this laptop talked to it."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.monitoring.collect import indicators
        from digisafe.traces.collect import collect_network_traces

        found = indicators(ctx)
        yield from self.judge(collect_network_traces(ctx), found)

    def judge(self, traces: NetworkTraces, found: Indicators) -> Iterable[Yielded]:
        """Products whose servers appear in the traces; no Context needed."""
        if found.warning:
            yield self.limitation(found.warning)
        for problem in traces.limitations:
            yield self.limitation(problem)
        matches = network_matches(traces, found.matcher)
        for product_id in sorted(matches):
            yield self._finding(found, matches[product_id])

    def _finding(self, found: Indicators, slot: dict[str, Any]) -> Yielded:
        from digisafe.monitoring.judgement import is_known
        from digisafe.traces.judgement import label, trace_verdict, worst

        product: Product = slot["product"]
        known = is_known(product, found.known_tools)
        traces = slot["traces"]
        severity, confidence = worst(trace_verdict(product, t["trace"], t["page"], known) for t in traces)
        seen = {t["trace"] for t in traces}
        kinds = [k for k in ("connection", "dns", "hosts-redirect", "hosts-block") if k in seen]
        detail = f"A server of {product.name}, {label(product)}, " + "; it ".join(_WHERE[k] for k in kinds) + "."
        if "connection" in kinds:
            programs = sorted({str(t.get("program") or "an unidentified program") for t in traces if t.get("program")})
            detail += f" The connection belongs to {', '.join(programs) or 'a program that could not be identified'}."
        if "dns" in kinds:
            detail += " A lookup can also come from a browser visit to the product's website."
        if kinds == ["hosts-block"]:
            detail += " Blocking a product's server is not monitoring: ad and tracker blocklists do this."
        if known:
            detail += " A caseworker marked it as known and agreed to, so it is listed for the record only."
        evidence = {
            "product": product.id,
            "product_name": product.name,
            "category": product.category,
            "signals": kinds,
            "traces": traces[:20],
            "sources": [s.url or s.name for s in product.sources][:5],
            "indicator_version": found.version,
        }
        return self.finding(
            severity,
            f"{product.name}: a server of this product {_WHERE[kinds[0]]}",
            subject=f"{product.name}: {traces[0].get('name') or traces[0].get('address')}",
            detail=detail,
            confidence=confidence,
            evidence=evidence,
            advice="Do not edit the hosts file or disconnect anything yet. " + SAFETY_CAUTION,
            guidance="laptop.monitoring-software",
        )
