"""Guide and checklist as a victim reads them (issue 12): no step IDs or source lists in the way,
only the chosen devices, and FOUND steps that say what to do (on screen and on paper)."""

from __future__ import annotations

import io
import json

import pypdf
import pytest

from digisafe.cli import main
from digisafe.guidance import words
from digisafe.guidance.checklist import render_plan
from digisafe.guidance.loader import load_guidance
from digisafe.guidance.tailor import plan_checklist
from digisafe.render import render
from tests.render.paper_checks import orphaned_headings
from tests.sample_report import sample_report


def run(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out, err = capsys.readouterr()
    return exc.value.code, out, err


def test_guide_on_screen_has_no_step_ids_and_sources_once_per_topic(capsys) -> None:
    code, out, _ = run(["guide", "all"], capsys)
    assert code == 0
    assert "Source:" not in out and "[safety-first.talk-first]" not in out and "digisafe checks:" not in out
    guidance = load_guidance()
    assert out.count("Sources for this topic:") == len(guidance.topics)
    # each source once per topic (a topic runs from its heading to the next one)
    starts = [out.index(topic.title.upper() + "\n") for topic in guidance.topics] + [len(out)]
    for topic, start, end in zip(guidance.topics, starts, starts[1:]):
        chunk = out[start:end]
        for url in {s.url for i in topic.items for s in i.sources}:
            assert chunk.count(url) <= 1, (topic.id, url)
    code, out, _ = run(["guide", "safety-first", "--details"], capsys)
    assert "[safety-first.talk-first]" in out  # caseworkers can still ask for them


def test_guide_for_windows_names_nothing_for_a_mac(capsys) -> None:
    code, out, _ = run(["guide", "laptop", "--platform", "windows", "--details"], capsys)
    assert code == 0 and "DS-WIN-" in out
    assert "DS-MAC-" not in out and "for macOS" not in out
    code, out, _ = run(["guide", "laptop", "--platform", "windows", "--format", "markdown"], capsys)
    assert "DS-MAC-" not in out and "for macOS" not in out


def test_checklist_platform(tmp_path, capsys) -> None:
    code, out, _ = run(["checklist", "--platform", "windows"], capsys)
    assert code == 0
    guidance = load_guidance()
    others = [i for i in guidance.items if "any" not in i.platforms and "windows" not in i.platforms]
    assert others and not [i.title for i in others if i.id in out or f"{i.title}  [" in out]
    code, _, err = run(["checklist", "--platform", "amiga"], capsys)
    assert code == 2 and "unknown platform" in err


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "pdf"])
def test_found_steps_say_what_to_do(tmp_path, capsys, fmt) -> None:
    saved = tmp_path / "a.json"
    saved.write_text(render(sample_report(), "json"))
    suffix = {"text": "txt", "markdown": "md", "html": "html", "pdf": "pdf"}[fmt]
    out_file = tmp_path / f"c.{suffix}"
    code, _, _ = run(["checklist", "--from-report", str(saved), "-o", str(out_file)], capsys)
    assert code == 0
    if fmt == "pdf":
        text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(out_file.read_bytes())).pages)
    else:
        text = out_file.read_text()
    plan = plan_checklist(load_guidance(), sample_report())
    first = plan.first_steps(plan.found[0].item)[0]
    flat = " ".join(text.split())
    assert f"{words.WHAT_TO_DO}:" in flat and " ".join(first.split())[:30] in flat
    assert "(s)" not in flat


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_pdf_checklist_keeps_each_heading_with_its_first_step(paper) -> None:
    plan = plan_checklist(load_guidance(), sample_report())
    data = render_plan(plan, "pdf", paper)
    texts = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages]
    sections = [(words.FOUND_HEADING, plan.found[0].item.title)]
    sections += [(topic.title, items[0].title) for topic, items in plan.sections]
    assert not orphaned_headings(texts, sections)


def test_checklist_reasons_are_plain(tmp_path, capsys) -> None:
    report = json.loads(render(sample_report(), "json"))
    report["results"][3]["reason"] = 'OSError: [Errno 5] systemctl said "Failed to connect to bus"'
    saved = tmp_path / "a.json"
    saved.write_text(json.dumps(report))
    code, out, _ = run(["checklist", "--from-report", str(saved)], capsys)
    assert code == 0 and "Failed to connect to bus" not in out and "Errno" not in out
