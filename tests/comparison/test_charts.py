"""The heatmap's layout and legend: the picture (and the PNG drawn from it) is sized from the
labels and the numbers of rows and columns, so the last code key is not clipped, and it carries a
colour legend from 0 to the maximum."""

from __future__ import annotations

import math
import re
from typing import Any

from django.test import Client
from django.urls import reverse

from coding.comparison.charts import (
    CHAR_WIDTH,
    KEY_ANGLE,
    LEGEND_WIDTH,
    _blue,
    heatmap_layout,
)


def _fits(layout: Any, keys: list[str]) -> None:
    """Every turned key stays inside the picture: right of the last column and above the grid."""
    for column, key in enumerate(keys):
        length = len(key) * CHAR_WIDTH
        x = layout.label_width + column * layout.cell + layout.cell / 2 + 3
        assert x + length * math.cos(math.radians(KEY_ANGLE)) <= layout.width, key
        assert layout.top - 6 - length * math.sin(math.radians(KEY_ANGLE)) >= 0, key


def test_the_layout_grows_with_the_codes_and_fits_the_last_key() -> None:
    rows = ["D01", "D02", "D03"]
    keys = [f"K{n}" for n in range(39)] + ["OUT.TRUST.LONG.KEY.X"]  # 20 characters, last
    few = heatmap_layout(code_keys=keys[20:], row_labels=rows)
    many = heatmap_layout(code_keys=keys, row_labels=rows)
    assert many.width - few.width == 20 * many.cell
    _fits(few, keys[20:])
    _fits(many, keys)
    # The old fixed margin (20 px right of the grid) clipped a long last key.
    grid_right = many.label_width + many.cell * len(keys)
    assert many.width > grid_right + 20
    # More rows, a taller picture; the legend sits below the grid and inside the picture.
    tall = heatmap_layout(code_keys=keys, row_labels=rows * 10)
    assert tall.height - many.height == 27 * tall.cell
    for layout, count in ((many, 3), (tall, 30)):
        assert layout.legend_y >= layout.top + layout.cell * count
        assert layout.legend_y + 6 + 10 + 12 <= layout.height
        assert layout.legend_x + LEGEND_WIDTH <= layout.width


def test_long_dyad_labels_widen_the_label_column() -> None:
    short = heatmap_layout(code_keys=["A"], row_labels=["D1"])
    long = heatmap_layout(code_keys=["A"], row_labels=["A long dyad label"])
    assert short.label_width < long.label_width
    assert long.label_width >= 16 * CHAR_WIDTH + 6  # the clipped label and its gap


def test_the_heatmap_svg_has_a_legend_and_room_for_its_keys(
    hand_study: dict[str, Any], viewer: Any
) -> None:
    client = Client()
    client.force_login(viewer)
    study = hand_study["study"]
    svg = client.get(reverse("study-comparison-chart", args=[study.slug, "heatmap"])).content
    body = svg.decode()
    size = re.search(r'width="(\d+)" height="(\d+)"', body)
    assert size is not None
    width, height = (int(v) for v in size.groups())
    keys = re.findall(r'rotate\(-60\)" font-size="10" fill="#1a202c">([^<]+)</text>', body)
    assert keys
    rows = re.findall(r'text-anchor="end" fill="#1a202c">([^<]+)</text>', body)
    layout = heatmap_layout(code_keys=keys, row_labels=rows)
    assert (layout.width, layout.height) == (width, height)
    _fits(layout, keys)
    legend = re.search(r'<g id="chart-heatmap-legend">(.*?)</g>', body)
    assert legend is not None
    assert f'stop-color="{_blue(0.0)}"' in legend.group(1)
    assert f'stop-color="{_blue(1.0)}"' in legend.group(1)
    assert 'fill="url(#chart-heatmap-scale)"' in legend.group(1)
    bar = re.search(r'<rect x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)"', legend.group(1))
    assert bar is not None
    x, y, w, h = (int(v) for v in bar.groups())
    assert x + w <= width
    assert y + h <= height
    assert ">0</text>" in legend.group(1)
