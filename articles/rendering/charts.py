"""Geometry for the server-rendered SVG charts under "who is quoted"; templates only place it."""

from __future__ import annotations

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


def month_bars(months: list[dict], width: float = 560, height: float = 160) -> dict:
    """A vertical bar per month, oldest left; at most the last MONTHS_SHOWN months."""
    months = months[-MONTHS_SHOWN:]
    top = max((m["quotes"] for m in months), default=0) or 1
    step = width / max(1, len(months))
    plot = height - AXIS_ROOM
    bars = []
    for i, m in enumerate(months):
        h = max(1.0, round(plot * m["quotes"] / top, 1))
        bars.append(
            Bar(
                label=m["month"].strftime("%b %Y"),
                value=m["quotes"],
                url="",
                x=round(i * step + 1, 1),
                y=round(plot - h, 1),
                width=max(1.0, round(step - 2, 1)),
                height=h,
            )
        )
    return {
        "bars": bars,
        "width": width,
        "height": height,
        "baseline": plot,
        "caption_y": height - TEXT_INSET,
    }
