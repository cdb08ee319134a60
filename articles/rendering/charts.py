"""Geometry for the server-rendered SVG charts under "who is quoted"; templates only place it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

# Room beside a bar for the speaker's name, and past its end for the count.
LABEL_WIDTH = 180.0
VALUE_ROOM = 40.0
BAR_GAP = 6  # between two rows of bars
TEXT_INSET = 4  # a bar's value sits this far above its bottom edge
MONTHS_SHOWN = 36
AXIS_ROOM = 20  # below the month bars, for their captions


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    url: str
    x: float
    y: float
    width: float
    height: float

    @property
    def text_y(self) -> float:
        return self.y + self.height - TEXT_INSET


def speaker_bars(ranked: list[dict], width: float = 560, row: float = 22) -> dict:
    """A horizontal bar per speaker; geometry computed here so the template only places it."""
    top = max((r["quotes"] for r in ranked), default=0) or 1
    label_width, bar_room = LABEL_WIDTH, width - LABEL_WIDTH - VALUE_ROOM
    bars = [
        Bar(
            label=r["actor"].name,
            value=r["quotes"],
            url=r["actor"].get_absolute_url(),
            x=label_width,
            y=i * row,
            width=max(1.0, round(bar_room * r["quotes"] / top, 1)),
            height=row - BAR_GAP,
        )
        for i, r in enumerate(ranked)
    ]
    return {
        "bars": bars,
        "width": width,
        "height": max(row, len(bars) * row),
        "label_x": label_width - BAR_GAP,
    }


def _months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def month_bars(months: list[dict], width: float = 560, height: float = 160) -> dict:
    """A bar per calendar month on a time axis, oldest left, months without quotes shown empty; at most the
    last MONTHS_SHOWN months. Each January (and the first month) gets a tick with its label."""
    counts = {m["month"].replace(day=1): m["quotes"] for m in months}
    axis = _months_between(min(counts), max(counts))[-MONTHS_SHOWN:] if counts else []
    top = max((counts.get(month, 0) for month in axis), default=0) or 1
    step = width / max(1, len(axis))
    plot = height - AXIS_ROOM
    bars, ticks = [], []
    for i, month in enumerate(axis):
        value = counts.get(month, 0)
        h = round(plot * value / top, 1) if value else 0.0
        x = round(i * step + 1, 1)
        bars.append(
            Bar(
                label=month.strftime("%b %Y"),
                value=value,
                url="",
                x=x,
                y=round(plot - h, 1),
                width=max(1.0, round(step - 2, 1)),
                height=h,
            )
        )
        if i == 0 or month.month == 1:
            label = month.strftime("%b %Y") if i == 0 or len(axis) <= 12 else month.strftime("%Y")
            ticks.append({"x": x, "label": label})
    return {
        "bars": bars,
        "ticks": ticks,
        "width": width,
        "height": height,
        "baseline": plot,
        "caption_y": height - TEXT_INSET,
    }
