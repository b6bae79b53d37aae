"""The comparison page in Chromium: switching layer and subgroups changes the figures as worked
out by hand (tests/comparison/conftest.py), parent columns open, and charts download as SVG
(from the server) and PNG (drawn in the browser)."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest

from coding.comparison.charts import LEGEND_HEIGHT, LEGEND_WIDTH, heatmap_layout
from tests.browser.conftest import login
from tests.comparison.conftest import hand_study  # noqa: F401 - the hand-made study fixture

pytestmark = pytest.mark.django_db(transaction=True)


def cell_text(page: Any, table: str, code: str, column: int) -> str:
    row = page.locator(f"#{table} tbody tr[data-code='{code}']")
    return str(row.locator("th, td").nth(column).inner_text()).strip()


def test_switching_layer_and_subgroup_changes_the_figures(
    page: Any,
    hand_study: dict[str, Any],  # noqa: F811
    coder: Any,
) -> None:
    login(page, "lead")
    page.goto("/studies/study/comparison/?view=prevalence")
    # The default "best" layer: no interview is consensus-complete, so the coders' union.
    assert page.locator("#comparison-scope [data-layer]").inner_text().startswith("Best available")
    assert "coders' union for 4" in page.locator("#layer-usage").inner_text()
    # Columns: code, name, N, either, patient, clinician, both.
    assert cell_text(page, "prevalence-table", "VAL", 5).startswith("3 ")
    assert cell_text(page, "prevalence-table", "VAL", 6).startswith("2 ")
    page.get_by_label("Layer").select_option(f"coder:{coder.pk}")
    page.wait_for_url(f"**layer=coder%3A{coder.pk}**")
    # Only the first coder: D3's clinician side (coded by the second coder) is empty.
    assert page.locator("#comparison-scope [data-layer]").inner_text().startswith("Coder: ")
    assert cell_text(page, "prevalence-table", "VAL", 5).startswith("2 ")
    assert cell_text(page, "prevalence-table", "VAL", 6).startswith("1 ")

    page.get_by_role("link", name="Subgroups").click()
    page.get_by_label("Group dyads by").select_option("clinician.type")
    page.wait_for_url("**group_by=clinician.type**")
    heads = page.locator("#subgroups-table thead .group-head").all_inner_texts()
    assert [h.split("(")[0].strip() for h in heads] == ["MD", "NP"]
    # The layer stays chosen; VAL in MD dyads: D1 and D2; in NP dyads: D3 (patient side only).
    assert cell_text(page, "subgroups-table", "VAL", 1).startswith("2/2")
    assert cell_text(page, "subgroups-table", "VAL", 3).startswith("1/2")
    page.get_by_label("Layer").select_option("all")
    page.wait_for_url("**layer=all**")
    assert cell_text(page, "subgroups-table", "VAL", 3).startswith("1/2")
    page.get_by_label("Present on").select_option("both")
    page.wait_for_url("**basis=both**")
    # Concordant: D1 among the MD dyads, D3 (both coders together) among the NP dyads.
    assert cell_text(page, "subgroups-table", "VAL", 1).startswith("1/2")
    assert cell_text(page, "subgroups-table", "VAL", 3).startswith("1/2")
    assert page.script_errors == []


def test_matrix_opens_sub_codes_and_sorts(page: Any, hand_study: dict[str, Any]) -> None:  # noqa: F811
    login(page, "viewer")
    page.goto("/studies/study/comparison/")
    sub_code = page.locator("#matrix-table thead th[title^='VAL.PRES ']")
    assert sub_code.is_hidden()
    page.get_by_role("button", name="Sub-codes of VAL").click()
    assert sub_code.is_visible()
    page.get_by_role("button", name="Parents only").click()
    assert sub_code.is_hidden()
    visible = page.locator("#matrix-table thead th[data-code]:visible button.sort")
    assert visible.all_inner_texts()[:2] == ["VAL", "POW"]
    # Concordant VAL in D1 and D3 (2), then OUT.TRUST in D1 (1); the rest keep codebook order.
    page.get_by_label("Codes", exact=True).select_option("total")
    assert visible.all_inner_texts()[:3] == ["VAL", "OUT.TRUST", "POW"]
    page.get_by_label("Codes", exact=True).select_option("codebook")
    assert visible.all_inner_texts()[:2] == ["VAL", "POW"]
    page.locator("#matrix-table thead button.sort", has_text="Dyad").click()
    labels = page.locator("#matrix-table tbody th").all_inner_texts()
    assert labels == sorted(labels, reverse=True)
    assert page.script_errors == []


def test_charts_download_as_svg_and_png(
    page: Any,
    hand_study: dict[str, Any],  # noqa: F811
    tmp_path: Path,
) -> None:
    login(page, "coder")
    page.goto("/studies/study/comparison/?view=prevalence&threshold=75")
    assert page.locator("#chart-prevalence title").first.text_content().startswith("Prevalence")
    with page.expect_download() as svg_download:
        page.get_by_role("link", name="SVG").click()
    svg = svg_download.value
    assert svg.suggested_filename == "study-prevalence.svg"
    svg_path = tmp_path / "chart.svg"
    svg.save_as(svg_path)
    assert svg_path.read_text().startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    with page.expect_download() as png_download:
        page.get_by_role("button", name="PNG").click()
    png = png_download.value
    assert png.suggested_filename == "study-prevalence.png"
    png_path = tmp_path / "chart.png"
    png.save_as(png_path)
    data = png_path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 5_000
    page.goto("/studies/study/comparison/?view=process-outcome")
    with page.expect_download() as po_png:
        page.get_by_role("button", name="PNG").click()
    assert po_png.value.suggested_filename == "study-process-outcome.png"
    assert page.script_errors == []


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of an 8-bit RGBA, non-interlaced PNG (what a canvas writes):
    enough of a decoder to read a few pixels without an imaging library."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, chunks, header = 8, b"", b""
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks += body
        offset += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert (depth, colour, interlace) == (8, 6, 0)
    raw, stride, rows, previous = zlib.decompress(chunks), width * 4, [], bytes(width * 4)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            a = line[i - 4] if i >= 4 else 0
            b = previous[i]
            c = previous[i - 4] if i >= 4 else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        previous = rows[-1]
    return width, height, rows


def test_the_heatmap_png_has_its_legend_and_the_last_key_whole(
    page: Any,
    hand_study: dict[str, Any],  # noqa: F811
    tmp_path: Path,
) -> None:
    login(page, "coder")
    page.goto("/studies/study/comparison/?view=matrix")
    with page.expect_download() as svg_download:
        page.get_by_role("link", name="SVG").click()
    svg_path = tmp_path / "heatmap.svg"
    svg_download.value.save_as(svg_path)
    svg = svg_path.read_text()
    size = re.search(r'width="(\d+)" height="(\d+)"', svg)
    assert size is not None
    width, height = (int(v) for v in size.groups())
    keys = re.findall(r'rotate\(-60\)" font-size="10" fill="#1a202c">([^<]+)</text>', svg)
    rows = re.findall(r'text-anchor="end" fill="#1a202c">([^<]+)</text>', svg)
    layout = heatmap_layout(code_keys=keys, row_labels=rows)
    with page.expect_download() as png_download:
        page.get_by_role("button", name="PNG").click()
    assert png_download.value.suggested_filename == "study-heatmap.png"
    png_path = tmp_path / "heatmap.png"
    png_download.value.save_as(png_path)
    png_width, png_height, pixels = _png_pixels(png_path.read_bytes())
    assert (png_width, png_height) == (2 * width, 2 * height)  # drawn at twice the size

    def rgb(x: float, y: float) -> tuple[int, ...]:
        row = pixels[round(2 * y)]
        return tuple(row[round(2 * x) * 4 : round(2 * x) * 4 + 3])

    # The legend's bar runs from the lightest colour (0) to the darkest (the maximum).
    bar_y = layout.legend_y + 6 + LEGEND_HEIGHT / 2
    light = rgb(layout.legend_x + 2, bar_y)
    dark = rgb(layout.legend_x + LEGEND_WIDTH - 2, bar_y)
    assert all(abs(a - b) <= 12 for a, b in zip(light, (247, 251, 255), strict=True)), light
    assert all(abs(a - b) <= 12 for a, b in zip(dark, (8, 69, 148), strict=True)), dark
    # The last key, turned up to the right, is drawn beyond the grid's right edge, and there is
    # white margin after it: nothing runs off the picture.
    grid_right = layout.label_width + layout.cell * len(keys)
    inked = [
        x
        for x in range(2 * grid_right, 2 * width)
        for y in range(0, 2 * layout.top)
        if sum(pixels[y][4 * x : 4 * x + 3]) < 3 * 160
    ]
    assert inked, "the last key is not drawn right of the grid"
    assert max(inked) < 2 * width - 8
    assert page.script_errors == []
