"""The decrypted log as a timeline: what `show`, `list` and the exports present.

Pure data: renderers (text here; HTML, PDF and CSV in export_*.py) only format it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from digisafe.records.chain import verify_chain
from digisafe.records.entry import FIELDS, LABELS, iso, utc_now
from digisafe.records.errors import LogError
from digisafe.records.reader import Opened, UnlockedLog

EXPORT_WARNING = ("This export is not encrypted. A log given to the police may be disclosed to the other "
                  "side in court. Keep it safe and share it only with people you trust.")


@dataclass
class Item:
    seq: int
    kind: str
    hash_hex: str
    data: dict[str, Any]
    error: str = ""
    amended_by: list[int] = field(default_factory=list)
    files: list[int] = field(default_factory=list)

    @property
    def is_attachment(self) -> bool:
        return self.kind == "attachment"

    def title(self) -> str:
        if self.error:
            return "(cannot be decrypted)"
        if self.is_attachment:
            return f"File: {self.data.get('name', '')}"
        prefix = f"Amends #{self.data['amends']}: " if self.data.get("amends") else ""
        text = (self.data.get("fields") or {}).get("what_happened") or self.data.get("amend_reason") or ""
        first = " ".join(str(text).split())
        return prefix + (first[:70] + "..." if len(first) > 73 else first)

    def occurred(self) -> str:
        when = self.data.get("occurred_at", "")
        if when and self.data.get("time_known") == "no":
            when += " (time not known)"
        return f"{when} ({self.data['occurred_tz']})" if when and self.data.get("occurred_tz") else when

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) pairs to show, in the police-form order, empty ones left out."""
        if self.error:
            return [("Problem", self.error)]
        d = self.data
        if self.is_attachment:
            pairs = [("File name", d.get("name", "")), ("Size", f"{d.get('size', 0):,} bytes"),
                     ("SHA-256", d.get("sha256", "")), ("Added", d.get("recorded_at", "")),
                     ("Belongs to entry", f"#{d['entry']}" if d.get("entry") else ""),
                     ("Note", d.get("note", "")), ("Added by", d.get("source", ""))]
        else:
            fields = d.get("fields") or {}
            pairs = [(LABELS["recorded_at"], d.get("recorded_at", "")), (LABELS["occurred_at"], self.occurred()),
                     (LABELS["amends"], f"#{d['amends']}" if d.get("amends") else ""),
                     ("Reason for the amendment", d.get("amend_reason", ""))]
            pairs += [(f.label, str(fields.get(f.key, ""))) for f in FIELDS]
        if self.files:
            pairs.append(("Files", ", ".join(f"#{n}" for n in self.files)))
        if self.amended_by:
            pairs.append(("Amended by", ", ".join(f"#{n}" for n in self.amended_by)))
        return [(k, v) for k, v in pairs if v]


@dataclass
class Timeline:
    items: list[Item]
    head_hex: str
    chain_ok: bool
    chain_problems: list[str]
    exported_at: str

    @property
    def errors(self) -> list[str]:
        return [i.error for i in self.items if i.error] + self.chain_problems


def _item(opened: Opened) -> Item:
    return Item(opened.seq, opened.row.kind, opened.row.hash.hex(), opened.data, opened.error)


def build_timeline(log: UnlockedLog, numbers: tuple[int, ...] = ()) -> Timeline:
    """Every record (or only ``numbers``), with the chain checked first."""
    chain = verify_chain(log.store)
    problems = [p.line() for p in chain.problems] + ([chain.unreadable] if chain.unreadable else [])
    items: list[Item] = []
    try:
        for opened in log.records():
            items.append(_item(opened))
    except LogError as exc:  # a damaged file: keep what was read, say why it stopped
        if str(exc) not in problems:
            problems.append(str(exc))
    by_seq = {i.seq: i for i in items}
    for item in items:
        amended = by_seq.get(item.data.get("amends") or 0)
        if amended is not None and not item.is_attachment:
            amended.amended_by.append(item.seq)
        owner = by_seq.get(item.data.get("entry") or 0)
        if owner is not None and item.is_attachment:
            owner.files.append(item.seq)
    if numbers:
        items = [by_seq[n] for n in numbers if n in by_seq]
    return Timeline(items, chain.head.hex(), chain.ok, problems, iso(utc_now()))


def render_text(timeline: Timeline) -> str:
    out = []
    for item in timeline.items:
        out.append(f"#{item.seq}  {item.title()}")
        width = max((len(k) for k, _ in item.rows()), default=0)
        for label, value in item.rows():
            lines = value.splitlines() or [""]
            out.append(f"  {label.ljust(width)}  {lines[0]}")
            out.extend(f"  {' ' * width}  {line}" for line in lines[1:])
        out.append(f"  {'Hash'.ljust(width)}  {item.hash_hex}")
        out.append("")
    return "\n".join(out)
