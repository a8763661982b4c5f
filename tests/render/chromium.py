"""Print HTML to PDF in real headless Chromium and read the pages back with poppler's pdftotext.

Chromium is a system package (Debian: `apt-get install chromium`); no PyPI package ships a
usable headless Chromium inside its wheel (the ones that exist download a browser at run time,
which cannot work offline), so the tests that need it skip with this reason when it is absent.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
SKIP_REASON = ("headless Chromium and poppler's pdftotext are needed to print the HTML report and checklist "
               "(Debian/Ubuntu: apt-get install chromium poppler-utils); no PyPI wheel ships a usable Chromium")


def chromium() -> str | None:
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def available() -> bool:
    return chromium() is not None and shutil.which("pdftotext") is not None


def print_pdf(html_file: Path, pdf_file: Path, profile: Path) -> None:
    """``html_file`` printed by headless Chromium (no header or footer of its own) to ``pdf_file``."""
    argv = [chromium() or "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--no-pdf-header-footer", f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf_file}", html_file.resolve().as_uri()]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    if not pdf_file.exists():
        raise AssertionError(f"chromium printed nothing: {done.stderr[-2000:]}")


@dataclass(frozen=True)
class Line:
    text: str
    x_min: float
    x_max: float
    y_min: float
    y_max: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    lines: tuple[Line, ...]

    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_LINE = re.compile(r'<line xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</line>', re.S)
_WORD = re.compile(r"<word [^>]*>(.*?)</word>", re.S)


def pages(pdf_file: Path) -> list[Page]:
    """Every page with its text lines (in reading order, top to bottom) and their boxes, in points."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf_file), "-"], capture_output=True, text=True,
                         timeout=60, check=True).stdout
    result = []
    for width, height, body in _PAGE.findall(out):
        lines = [Line(" ".join(html.unescape(w) for w in _WORD.findall(words)), float(x0), float(x1), float(y0),
                      float(y1)) for x0, y0, x1, y1, words in _LINE.findall(body)]
        lines.sort(key=lambda line: (round(line.y_min), line.x_min))
        result.append(Page(float(width), float(height), tuple(lines)))
    return result


def paper_css(html_text: str, paper: str) -> str:
    """The report chooses no paper size (the printer's own); the tests set one, as a print dialog does."""
    return html_text.replace("</style>", f"@page{{size:{paper}}}</style>", 1)
