"""A dyad's case study as a Word document (python-docx) or Markdown: per component group a
heading, the figures table (patient | clinician), the team's synthesis, the evidence and the
passages with their speakers. Built from ``case_study_data``, so it shows what the page shows."""

from __future__ import annotations

import io
import re

from docx import Document
from docx.document import Document as DocxDocument

from coding.casestudy.selectors import CaseMemo, CaseStudyData, Component, Excerpt, SideFigures

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
}
SIDE_LABELS = {"patient": "Patient", "clinician": "Clinician"}


def case_study_filename(*, data: CaseStudyData, fmt: str) -> str:
    label = re.sub(r"[^A-Za-z0-9._-]+", "-", data.dyad.label).strip("-") or f"dyad-{data.dyad.pk}"
    return f"{data.dyad.study.slug}-case-study-{label}.{fmt}"


def case_study_file(
    *, data: CaseStudyData, fmt: str, memos: list[CaseMemo] | None = None
) -> tuple[bytes, str]:
    """The case study as Word or Markdown, ending with ``memos`` (the dyad's and its
    interviews', ``case_study_memos``) when given."""
    if fmt == "docx":
        return case_study_docx(data, memos or []), CONTENT_TYPES["docx"]
    return case_study_markdown(data, memos or []).encode("utf-8"), CONTENT_TYPES["md"]


def _memo_line(memo: CaseMemo) -> str:
    return f"{memo.type_label} memo on {memo.about} · {memo.author} · {memo.written}"


def _figures(side: SideFigures) -> str:
    if not side.interviewed:
        return "no interview"
    if not side.present:
        return "absent"
    passages = "passage" if side.count == 1 else "passages"
    return f"{side.count} {passages}, {side.coverage:.1%} of the text"


def _source(excerpt: Excerpt) -> str:
    side = SIDE_LABELS.get(excerpt.perspective, excerpt.perspective)
    who = excerpt.speaker or side
    return f"{who}, {side.lower()} interview, {excerpt.code_key} [{excerpt.start}–{excerpt.end})"


def _header(data: CaseStudyData) -> list[tuple[str, str]]:
    dyad = data.dyad
    rows = [
        ("Study", dyad.study.title),
        ("Dyad", dyad.label),
        ("Clinician", dyad.clinician.pseudonym if dyad.clinician else "not recorded"),
        ("Patient", dyad.patient.pseudonym if dyad.patient else "not recorded"),
        ("Layer", data.layer_label + (f" — {data.layer_source}" if data.layer_source else "")),
    ]
    for side in ("patient", "clinician"):
        interviews = data.interviews.get(side, [])
        rows.append(
            (
                f"{SIDE_LABELS[side]} interview",
                ", ".join(f"{i.word_count:,} words" for i in interviews) or "none",
            )
        )
    return rows


# --- Markdown -----------------------------------------------------------------------------------


def _md_escape(text: str) -> str:
    """Inline text that cannot turn into Markdown structure or HTML."""
    text = text.replace("\\", "\\\\").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([`*_\[\]#|])", r"\\\1", text)


def _md_block(text: str) -> list[str]:
    return [_md_escape(line) for line in text.split("\n")]


def _md_quote(text: str) -> list[str]:
    return ["> " + line if line else ">" for line in _md_block(text)]


def _md_component(component: Component, level: int, out: list[str]) -> None:
    node = component.node
    out += [f"{'#' * level} {_md_escape(node.name)} ({_md_escape(node.key)})", ""]
    out += [
        f"Concordance: **{component.concordance_label}**"
        + (" (figures include the sub-codes)" if component.children else ""),
        "",
        "| | Patient | Clinician |",
        "|---|---|---|",
        f"| Present | {_present(component.patient)} | {_present(component.clinician)} |",
        f"| Passages | {component.patient.count} | {component.clinician.count} |",
        f"| Coverage | {component.patient.coverage:.1%} | {component.clinician.coverage:.1%} |",
        "",
    ]
    out += ["**Synthesis**", ""]
    out += _md_block(component.writing.text) if component.writing.text else ["_Not written yet._"]
    out.append("")
    if component.evidence:
        out += ["**Evidence**", ""]
        for excerpt in component.evidence:
            out += _md_quote(excerpt.quote)
            out += [f"> — {_md_escape(_source(excerpt))}", ""]
    for side in component.sides:
        if side.excerpts:
            out += [f"**Passages, {SIDE_LABELS[side.perspective].lower()} interview**", ""]
            for excerpt in side.excerpts:
                out += _md_quote(excerpt.quote)
                out += [f"> — {_md_escape(_source(excerpt))}", ""]
    for child in component.children:
        _md_component(child, min(level + 1, 6), out)


def _present(side: SideFigures) -> str:
    if not side.interviewed:
        return "no interview"
    return "yes" if side.present else "no"


def case_study_markdown(data: CaseStudyData, memos: list[CaseMemo] | None = None) -> str:
    out = [f"# Case study: dyad {_md_escape(data.dyad.label)}", ""]
    out += [f"- **{name}**: {_md_escape(value)}" for name, value in _header(data)]
    out += ["", "## Overall summary", ""]
    out += _md_block(data.summary.text) if data.summary.text else ["_Not written yet._"]
    out.append("")
    for group in data.groups:
        out += [f"## {group.label}", ""]
        for component in group.components:
            _md_component(component, 3, out)
    if memos:
        out += ["## Memos", ""]
        for memo in memos:
            out += [f"### {_md_escape(memo.title or _memo_line(memo))}", ""]
            out += [f"_{_md_escape(_memo_line(memo))}_", ""]
            out += _md_block(memo.body)
            out.append("")
    return "\n".join(out).rstrip() + "\n"


# --- Word ---------------------------------------------------------------------------------------


def _clean_xml(text: str) -> str:
    """Characters XML 1.0 cannot hold (control characters) would make python-docx fail."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text)


def _docx_component(document: DocxDocument, component: Component, level: int) -> None:
    node = component.node
    document.add_heading(_clean_xml(f"{node.name} ({node.key})"), level=min(level, 9))
    note = f"Concordance: {component.concordance_label}"
    if component.children:
        note += " (figures include the sub-codes)"
    document.add_paragraph(note)
    table = document.add_table(rows=4, cols=3)
    table.style = "Table Grid"
    rows = [
        ("", "Patient", "Clinician"),
        ("Present", _present(component.patient), _present(component.clinician)),
        ("Passages", str(component.patient.count), str(component.clinician.count)),
        (
            "Coverage",
            f"{component.patient.coverage:.1%}",
            f"{component.clinician.coverage:.1%}",
        ),
    ]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    document.add_paragraph().add_run("Synthesis").bold = True
    document.add_paragraph(_clean_xml(component.writing.text) or "Not written yet.")
    if component.evidence:
        document.add_paragraph().add_run("Evidence").bold = True
        for excerpt in component.evidence:
            _docx_quote(document, excerpt)
    for side in component.sides:
        if side.excerpts:
            heading = f"Passages, {SIDE_LABELS[side.perspective].lower()} interview"
            document.add_paragraph().add_run(heading).bold = True
            for excerpt in side.excerpts:
                _docx_quote(document, excerpt)
    for child in component.children:
        _docx_component(document, child, level + 1)


def _docx_quote(document: DocxDocument, excerpt: Excerpt) -> None:
    paragraph = document.add_paragraph(style="Quote")
    paragraph.add_run(_clean_xml(excerpt.quote))
    source = document.add_paragraph()
    source.add_run(_clean_xml(f"— {_source(excerpt)}")).italic = True


def case_study_docx(data: CaseStudyData, memos: list[CaseMemo] | None = None) -> bytes:
    document = Document()
    document.core_properties.title = f"Case study: dyad {data.dyad.label}"
    document.add_heading(_clean_xml(f"Case study: dyad {data.dyad.label}"), level=0)
    header = document.add_table(rows=0, cols=2)
    header.style = "Table Grid"
    for name, value in _header(data):
        cells = header.add_row().cells
        cells[0].text = name
        cells[1].text = _clean_xml(value)
    document.add_heading("Overall summary", level=1)
    document.add_paragraph(_clean_xml(data.summary.text) or "Not written yet.")
    for group in data.groups:
        document.add_heading(group.label, level=1)
        for component in group.components:
            _docx_component(document, component, 2)
    if memos:
        document.add_heading("Memos", level=1)
        for memo in memos:
            document.add_heading(_clean_xml(memo.title or _memo_line(memo)), level=2)
            document.add_paragraph().add_run(_clean_xml(_memo_line(memo))).italic = True
            document.add_paragraph(_clean_xml(memo.body))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
