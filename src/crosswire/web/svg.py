"""The story page's two charts, drawn on the server as inline SVG (no script, no
external file): a timeline of publication, one lane per outlet, and a propagation
chart of who printed a text first and who ran a copy of it, with the lag.

Every string in them comes from articles, so each one is escaped here; the markup
around them is fixed. Sizes are in viewBox units and the SVG scales to its box, so it
fits a phone's width without scrolling sideways.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

from markupsafe import Markup, escape

WIDTH = 760
LABEL_W = 170
RIGHT = 24
LANE_H = 24
TOP = 12
AXIS_H = 30
MAX_LANES = 40
MAX_ROWS = 60


@dataclass(frozen=True, slots=True)
class Point:
    """One article on a chart."""

    id: str
    outlet: str
    title: str
    at: float | None  # UTC epoch seconds
    copy_of: str | None


def _clip(text: str, n: int = 24) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _x(at: float, start: float, span: float) -> float:
    return LABEL_W + (WIDTH - LABEL_W - RIGHT) * ((at - start) / span)


def _range(times: Sequence[float]) -> tuple[float, float]:
    start, end = min(times), max(times)
    if end - start < 600:  # one instant (or nearly): an hour either side to see it
        return start - 3600, end + 3600
    pad = (end - start) * 0.03
    return start - pad, end + pad


def _stamp(at: float, with_day: bool = True) -> str:
    moment = datetime.fromtimestamp(at, UTC)
    return moment.strftime("%b %d %H:%M" if with_day else "%H:%M")


def _axis(start: float, end: float, y: float) -> list[str]:
    span = end - start
    parts = [f'<line class="axis" x1="{LABEL_W}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}"/>']
    for i in range(5):
        at = start + span * (i + 0.5) / 5
        x = _x(at, start, span)
        parts.append(
            f'<line class="tick" x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick-label" x="{x:.1f}" y="{y + 16:.1f}" text-anchor="middle">'
            f"{escape(_stamp(at))} UTC</text>"
        )
    return parts


def _svg(height: float, label: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def _link(point: Point, inner: str) -> str:
    href = f"/articles/{quote(point.id, safe='')}"
    when = f"{_stamp(point.at)} UTC" if point.at is not None else "time unknown"
    title = escape(f"{point.outlet}: {point.title} ({when})")
    return f'<a href="{escape(href)}"><title>{title}</title>{inner}</a>'


def timeline(points: Sequence[Point]) -> Markup | None:
    """Publication times, one lane per outlet (first to publish on top); copies hollow."""
    dated = [p for p in points if p.at is not None]
    if not dated:
        return None
    start, end = _range([p.at for p in dated if p.at is not None])
    span = end - start
    lanes: dict[str, float] = {}
    for p in sorted(dated, key=lambda p: (p.at, p.outlet)):
        if p.outlet not in lanes and len(lanes) < MAX_LANES:
            lanes[p.outlet] = min(q.at for q in dated if q.outlet == p.outlet and q.at is not None)
    body: list[str] = []
    for n, outlet in enumerate(lanes):
        y = TOP + n * LANE_H + LANE_H / 2
        body.append(
            f'<text class="lane-label" x="{LABEL_W - 8}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(_clip(outlet))}</text>"
            f'<line class="lane" x1="{LABEL_W}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}"/>'
        )
    for p in dated:
        if p.outlet not in lanes or p.at is None:
            continue
        y = TOP + list(lanes).index(p.outlet) * LANE_H + LANE_H / 2
        cls = "dot copy" if p.copy_of else "dot"
        body.append(
            _link(p, f'<circle class="{cls}" cx="{_x(p.at, start, span):.1f}" cy="{y:.1f}" r="6"/>')
        )
    axis_y = TOP + len(lanes) * LANE_H + 4
    body.extend(_axis(start, end, axis_y))
    return _svg(axis_y + AXIS_H, "Timeline of publication by outlet", body)


def _lag(seconds: float) -> str:
    minutes = round(abs(seconds) / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days}d"] if days else []
    if hours:
        parts.append(f"{hours}h")
    if minutes or not parts:
        parts.append(f"{minutes}m")
    sign = "-" if seconds < 0 else "+"
    return sign + " ".join(parts)


def copy_chains(points: Sequence[Point]) -> list[tuple[Point, list[Point]]]:
    """Each original that was copied, with its copies in time order (a copy of a copy
    counts as the first original's)."""
    by_id = {p.id: p for p in points}

    def root(p: Point) -> Point:
        seen = {p.id}
        while p.copy_of and p.copy_of in by_id and p.copy_of not in seen:
            p = by_id[p.copy_of]
            seen.add(p.id)
        return p

    chains: dict[str, list[Point]] = {}
    for p in points:
        if p.copy_of:
            chains.setdefault(root(p).id, []).append(p)
    never = float("inf")
    return sorted(
        (
            (by_id[r], sorted(copies, key=lambda c: (c.at if c.at is not None else never, c.id)))
            for r, copies in chains.items()
            if r in by_id
        ),
        key=lambda chain: (chain[0].at if chain[0].at is not None else never, chain[0].id),
    )


def propagation(points: Sequence[Point]) -> Markup | None:
    """Who printed each text first and who ran it after, each copy a bar from the
    original's time to its own, labelled with the lag."""
    chains = copy_chains(points)
    rows: list[tuple[Point, Point | None]] = []
    for first, copies in chains:
        rows.append((first, None))
        rows.extend((c, first) for c in copies)
    rows = rows[:MAX_ROWS]
    times = [p.at for p, _ in rows if p.at is not None]
    if not times:
        return None
    start, end = _range(times)
    span = end - start
    body: list[str] = []
    for n, (p, original) in enumerate(rows):
        y = TOP + n * LANE_H + LANE_H / 2
        label = p.outlet if original is None else f"↳ {p.outlet}"
        body.append(
            f'<text class="lane-label{" first" if original is None else ""}" x="{LABEL_W - 8}" '
            f'y="{y + 4:.1f}" text-anchor="end">{escape(_clip(label))}</text>'
        )
        if p.at is None:
            continue
        x = _x(p.at, start, span)
        if original is None:
            body.append(_link(p, f'<circle class="dot" cx="{x:.1f}" cy="{y:.1f}" r="6"/>'))
            body.append(
                f'<text class="note" x="{min(x + 10, WIDTH - RIGHT - 60):.1f}" y="{y + 4:.1f}">'
                "first</text>"
            )
            continue
        if original.at is not None:
            x0 = _x(original.at, start, span)
            body.append(f'<line class="lag" x1="{x0:.1f}" y1="{y:.1f}" x2="{x:.1f}" y2="{y:.1f}"/>')
            lag = escape(_lag(p.at - original.at))
            # beside the dot, or above the bar's end when the dot is at the right edge
            right = x > WIDTH - RIGHT - 80
            tx, ty = (x - 8, y - 6) if right else (x + 10, y + 4)
            body.append(
                f'<text class="note" x="{tx:.1f}" y="{ty:.1f}" '
                f'text-anchor="{"end" if right else "start"}">{lag}</text>'
            )
        body.append(_link(p, f'<circle class="dot copy" cx="{x:.1f}" cy="{y:.1f}" r="6"/>'))
    axis_y = TOP + len(rows) * LANE_H + 4
    body.extend(_axis(start, end, axis_y))
    return _svg(axis_y + AXIS_H, "Who published first and who copied whom", body)


def histogram(times: Sequence[float], label: str, bins: int = 30) -> Markup | None:
    """How many stories started per period, as bars: an outlet's or entity's stories
    over time."""
    if not times:
        return None
    start, end = _range(times)
    step = (end - start) / bins
    counts = [0] * bins
    for t in times:
        counts[min(bins - 1, int((t - start) / step))] += 1
    top = max(counts)
    height = 120.0
    plot_h = height - AXIS_H - TOP
    body: list[str] = [
        f'<text class="lane-label" x="{LABEL_W - 8}" y="{TOP + 10}" text-anchor="end">'
        f"{top} per bar</text>"
    ]
    bar_w = (WIDTH - LABEL_W - RIGHT) / bins
    for i, n in enumerate(counts):
        if not n:
            continue
        h = plot_h * n / top
        x = LABEL_W + i * bar_w
        when = f"{_stamp(start + i * step)} – {_stamp(start + (i + 1) * step)} UTC"
        body.append(
            f'<rect class="bar" x="{x + 1:.1f}" y="{TOP + plot_h - h:.1f}" '
            f'width="{max(bar_w - 2, 1):.1f}" height="{h:.1f}">'
            f"<title>{escape(f'{n} from {when}')}</title></rect>"
        )
    body.extend(_axis(start, end, TOP + plot_h))
    return _svg(height, label, body)
