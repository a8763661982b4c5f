"""Printable HTML timeline (A4 or Letter via CSS @page); one self-contained file, no scripts."""

from __future__ import annotations

from html import escape

from digisafe.records.timeline import EXPORT_WARNING, Item, Timeline

_CSS = ("body{font:11pt/1.4 Helvetica,Arial,sans-serif;max-width:180mm;margin:auto;color:#000}"
        "h1{font-size:18pt}.warn{border:2px solid #000;padding:6px;font-weight:bold}"
        "section{border-top:2px solid #000;margin-top:10px;page-break-inside:avoid}"
        "th{text-align:left;vertical-align:top;width:33%;padding-right:8px}td{white-space:pre-wrap}"
        "code,.hash{font-family:Courier,monospace;font-size:8pt;word-break:break-all}.problem{font-weight:bold}")


def _item(item: Item) -> str:
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in item.rows())
    return (f'<section id="r{item.seq}"><h2>#{item.seq} {escape(item.title())}</h2><table>{rows}</table>'
            f'<p class="hash">Record hash: {item.hash_hex}</p></section>')


def render_html(timeline: Timeline, paper: str = "a4") -> str:
    size = "letter" if paper == "letter" else "A4"
    chain = "intact: nothing was changed, removed or reordered" if timeline.chain_ok else "BROKEN (see below)"
    problems = "".join(f'<p class="problem">Problem: {escape(p)}</p>' for p in timeline.errors)
    body = "".join(_item(i) for i in timeline.items)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            f"<title>Incident and evidence log</title><style>{_CSS}@page{{size:{size};margin:14mm}}</style></head>"
            f"<body><h1>Incident and evidence log</h1><p>Exported {escape(timeline.exported_at)} (UTC) by digisafe. "
            f"{len(timeline.items)} records.</p><p>Hash chain: {chain}. Head hash: "
            f"<code>{timeline.head_hex}</code></p><p class=\"warn\">{escape(EXPORT_WARNING)}</p>{problems}{body}"
            "</body></html>\n")
