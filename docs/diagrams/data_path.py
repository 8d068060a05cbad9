#!/usr/bin/env python3
"""Draws docs/diagrams/data-path.svg, the picture in docs/architecture.md.

The picture is the small declarative description below (boxes, arrows, labels), placed by hand on a
fixed grid. Before writing, the script checks that it stays legible: every line of text fits inside its
box, no label overlaps a box, another label or a line, and no arrow crosses a box it does not start or
end at. Text is measured with the advance widths of DejaVu Sans (the first font the SVG asks for; the
fallbacks are narrower), so a check that passes here holds wherever the SVG is shown.

Run it from anywhere with Python 3 (standard library only):  python3 docs/diagrams/data_path.py
The output is the same byte for byte on every run; commit the SVG together with any change to this file.
"""

import os
import sys
from dataclasses import dataclass, field

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data-path.svg")
WIDTH, HEIGHT = 1200, 720
FONT = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"

# Box fill and border by who runs the code in the box (the legend says the same).
THREADS = {
    "ui": ("#dbeafe", "#2563eb", "the UI thread (coalesced asyncExec)"),
    "jetty": ("#ffedd5", "#ea580c", "Jetty threads"),
    "lock": ("#fee2e2", "#dc2626", "under the session's fan-out lock"),
    "store": ("#dcfce7", "#16a34a", "the gateway's store thread"),
    "presence": ("#ede9fe", "#7c3aed", "a presence thread of its own"),
    "agent": ("#f3f4f6", "#4b5563", "the agent's own thread"),
    "file": ("#ffffff", "#6b7280", "files on disk"),
}


@dataclass
class Box:
    name: str
    x: int
    y: int
    w: int
    h: int
    kind: str
    lines: list  # the first line is the box's title (bold)

    def side(self, where, at=0.5):
        """A point on one side of the box: at=0 is its left (top) end, at=1 its right (bottom) end."""
        if where == "top":
            return (self.x + self.w * at, self.y)
        if where == "bottom":
            return (self.x + self.w * at, self.y + self.h)
        if where == "left":
            return (self.x, self.y + self.h * at)
        if where == "right":
            return (self.x + self.w, self.y + self.h * at)
        raise ValueError(where)


@dataclass
class Label:
    x: int
    y: int  # baseline of the first line
    lines: list
    step: str = ""  # a step number drawn as a badge before the first line
    italic: bool = False
    anchor: str = "start"


@dataclass
class Arrow:
    src: tuple  # (box name, side, position along the side) or a point
    dst: tuple
    via: list = field(default_factory=list)  # corner points between
    label: Label = None
    wire: bool = False  # the WebSocket between the devices: drawn heavier


@dataclass
class Panel:
    x: int
    y: int
    w: int
    h: int
    title: str


PANELS = [
    Panel(20, 48, 370, 562, "Device A: the Eclipse workbench (viewer)"),
    Panel(640, 150, 540, 460, "Device B: the gateway (host)"),
]

BOXES = [
    # device A, read bottom to top
    Box("chat", 40, 84, 330, 66, "ui", ["Chat editor (one per session)", "renders its SessionModel, sends prompts"]),
    Box("connector", 40, 186, 330, 152, "jetty", [
        "GatewayConnector, AttachedSession",
        "a pool of connections, one active",
        "one SessionModel per attached session",
        "events applied on Jetty's reader thread,",
        "in frame order; numbered ones once only",
        "redials, re-attaches with since_seq",
    ]),
    Box("live", 40, 380, 330, 62, "ui", ["Live on other devices view", "one row per remote session, by device"]),
    Box("tracker", 40, 484, 330, 80, "presence", [
        "PresenceTracker",
        "the local gateway's session.presence_list",
        "and a presence folder, if one is set;",
        "every 5 s; derives RemoteSessions",
    ]),
    # device B
    Box("rpc", 660, 186, 280, 152, "jetty", [
        "GatewayServer, RpcDispatcher",
        "WebSocket at /api/ws",
        "token, then Host and Origin, checked",
        "before anything else; gateway.ready",
        "requests become typed calls; results",
        "and events are written by core",
    ]),
    Box("session", 660, 380, 280, 92, "lock", [
        "LiveSession, EventLog, Turns",
        "state, turn queue, submission ids,",
        "seq numbers, replay log, send to every",
        "viewer; no disk or presence I/O here",
    ]),
    Box("agent", 1010, 380, 150, 92, "agent", ["Agent", "echo, exec or openai", "reports deltas,", "tools, asks, end"]),
    Box("store", 660, 510, 280, 70, "store", [
        "StoreWriter, TranscriptStore",
        "SQLite sessions.db (WAL), one thread;",
        "an acknowledgement waits for its commit",
    ]),
    Box("publisher", 1010, 510, 150, 70, "presence", ["PresencePublisher", "writes what changed,", "rewrites every 30 s"]),
    # between the devices
    Box("folder", 420, 636, 360, 62, "file", [
        "Presence folder",
        "<instance>.<session>.json, one per live session",
        "synced between devices, or served by a gateway",
    ]),
]

ARROWS = [
    Arrow(("publisher", "bottom", 0.5), ("folder", "right", 0.5), via=[(1085, 667)],
          label=Label(800, 658, ["record written whole, TTL 90 s"], step="1")),
    Arrow(("folder", "left", 0.5), ("tracker", "bottom", 0.5), via=[(205, 667)],
          label=Label(222, 658, ["tolerant scan"], step="2")),
    Arrow(("tracker", "top", 0.5), ("live", "bottom", 0.5),
          label=Label(222, 467, ["RemoteSessions, newest first"], step="3")),
    Arrow(("live", "top", 0.5), ("connector", "bottom", 0.5),
          label=Label(222, 363, ["click: dial the endpoint"], step="4")),
    Arrow(("connector", "right", (236 - 186) / 152), ("rpc", "left", (236 - 186) / 152), wire=True,
          label=Label(392, 212, ["session.activate (or .resume)", "viewer_device, since_seq"], step="5")),
    Arrow(("rpc", "left", (284 - 186) / 152), ("connector", "right", (284 - 186) / 152), wire=True,
          label=Label(392, 260, ["snapshot or replay, then the", "session's events, numbered"], step="6")),
    Arrow(("connector", "right", (330 - 186) / 152), ("rpc", "left", (330 - 186) / 152), wire=True,
          label=Label(392, 306, ["prompt.submit: submission_id,", "sender_device (remote only)"], step="7")),
    Arrow(("connector", "top", 0.24), ("chat", "bottom", 0.24),
          label=Label(132, 172, ["repaint, coalesced"])),
    Arrow(("chat", "bottom", 0.76), ("connector", "top", 0.76),
          label=Label(302, 172, ["prompt"])),
    Arrow(("rpc", "bottom", 0.22), ("session", "top", 0.22),
          label=Label(731, 363, ["calls"])),
    Arrow(("session", "top", 0.78), ("rpc", "bottom", 0.78),
          label=Label(889, 363, ["fan-out"], step="9")),
    Arrow(("session", "right", (405 - 380) / 92), ("agent", "left", (405 - 380) / 92),
          label=Label(948, 399, ["turn"], step="8")),
    Arrow(("agent", "left", (447 - 380) / 92), ("session", "right", (447 - 380) / 92),
          label=Label(948, 441, ["events"])),
    Arrow(("session", "bottom", 0.3), ("store", "top", 0.3),
          label=Label(760, 495, ["rows"], step="10")),
    Arrow(("session", "bottom", (920 - 660) / 280), ("publisher", "top", 0.5), via=[(920, 494), (1085, 494)],
          label=Label(1095, 503, ["status"])),
]

LABELS = [
    Label(515, 176, ["one WebSocket per gateway, JSON-RPC 2.0"], italic=True, anchor="middle"),
]

# ---------------------------------------------------------------------------------------- text widths

# Advance widths of DejaVu Sans and DejaVu Sans Bold, characters 32..126, in thousandths of an em.
_REGULAR = (
    "318 401 460 838 636 950 780 275 390 390 500 838 318 361 318 337 636 636 636 636 636 636 636 636 636 636 "
    "337 337 838 838 838 531 1000 684 686 698 770 632 575 775 752 295 295 656 557 863 748 787 603 787 695 635 "
    "611 732 684 989 685 611 685 390 337 390 838 500 500 613 635 550 635 615 352 635 634 278 278 579 278 974 "
    "634 612 635 635 411 521 392 634 592 818 592 592 525 636 337 636 838")
_BOLD = (
    "348 456 521 838 696 1002 872 306 457 457 523 838 380 415 380 365 696 696 696 696 696 696 696 696 696 696 "
    "400 400 838 838 838 580 1000 774 762 734 830 683 683 821 837 372 372 775 637 995 837 850 733 850 770 720 "
    "682 812 774 1103 771 724 725 457 365 457 838 500 500 675 716 593 716 678 435 716 712 343 343 665 343 1042 "
    "712 687 716 716 493 595 478 712 652 924 645 652 582 712 365 712 838")
WIDTHS = {False: [int(v) for v in _REGULAR.split()], True: [int(v) for v in _BOLD.split()]}

TITLE_SIZE, TEXT_SIZE, LABEL_SIZE = 12.5, 11, 11
LINE = 14.5  # distance between the baselines of a box's lines
PAD = 8  # room kept between text and a box's border


def text_width(text, size, bold=False):
    total = 0
    for ch in text:
        code = ord(ch)
        if not 32 <= code <= 126:
            raise ValueError("only ASCII is measured: %r" % ch)
        total += WIDTHS[bold][code - 32]
    return total * size / 1000.0


# ---------------------------------------------------------------------------------------- geometry

def point(ref):
    if isinstance(ref[0], str):
        name, where, at = ref
        return BY_NAME[name].side(where, at)
    return ref


def arrow_points(a):
    return [point(a.src)] + list(a.via) + [point(a.dst)]


BADGE_R = 8


def label_rects(lab):
    """The rectangles a label's text (and badge) covers, as (x0, y0, x1, y1)."""
    rects = []
    indent = 2 * BADGE_R + 4 if lab.step else 0
    for i, line in enumerate(lab.lines):
        w = text_width(line, LABEL_SIZE) + indent  # every line starts after the badge
        base = lab.y + i * (LABEL_SIZE + 3)
        x0 = lab.x - w / 2 if lab.anchor == "middle" else lab.x
        rects.append((x0, base - LABEL_SIZE * 0.8, x0 + w, base + LABEL_SIZE * 0.25))
    return rects


def box_rect(b):
    return (b.x, b.y, b.x + b.w, b.y + b.h)


def overlaps(r, s):
    return r[0] < s[2] and s[0] < r[2] and r[1] < s[3] and s[1] < r[3]


def segment_hits(rect, p, q, margin=0.0):
    """Whether the axis-parallel segment p-q passes through the inside of rect (grown by margin)."""
    x0, y0, x1, y1 = rect[0] - margin, rect[1] - margin, rect[2] + margin, rect[3] + margin
    (px, py), (qx, qy) = p, q
    if px == qx:
        lo, hi = sorted((py, qy))
        return x0 < px < x1 and lo < y1 and y0 < hi
    if py == qy:
        lo, hi = sorted((px, qx))
        return y0 < py < y1 and lo < x1 and x0 < hi
    raise ValueError("arrows run horizontally and vertically only: %s -> %s" % (p, q))


def check():
    problems = []
    for b in BOXES:
        for i, line in enumerate(b.lines):
            size = TITLE_SIZE if i == 0 else TEXT_SIZE
            if text_width(line, size, bold=i == 0) > b.w - 2 * PAD:
                problems.append("box %s: %r is wider than the box" % (b.name, line))
        if 12 + len(b.lines) * LINE > b.h:
            problems.append("box %s: %d lines do not fit its height" % (b.name, len(b.lines)))
    labels = [a.label for a in ARROWS if a.label] + LABELS
    for i, lab in enumerate(labels):
        for r in label_rects(lab):
            for b in BOXES:
                if overlaps(r, box_rect(b)):
                    problems.append("label %r overlaps box %s" % (lab.lines[0], b.name))
            for other in labels[i + 1:]:
                if any(overlaps(r, s) for s in label_rects(other)):
                    problems.append("labels %r and %r overlap" % (lab.lines[0], other.lines[0]))
            for a in ARROWS:
                pts = arrow_points(a)
                for p, q in zip(pts, pts[1:]):
                    if segment_hits(r, p, q, margin=1.5):
                        problems.append("label %r lies on an arrow" % lab.lines[0])
    for a in ARROWS:
        pts = arrow_points(a)
        ends = {n for n in (a.src[0], a.dst[0]) if isinstance(n, str)}
        for p, q in zip(pts, pts[1:]):
            for b in BOXES:
                if b.name not in ends and segment_hits(box_rect(b), p, q):
                    problems.append("an arrow %s -> %s crosses box %s" % (a.src[0], a.dst[0], b.name))
        for ref in (a.src, a.dst):
            if isinstance(ref[0], str):
                x, y = point(ref)
                b = BY_NAME[ref[0]]
                if not (b.x <= x <= b.x + b.w and b.y <= y <= b.y + b.h):
                    problems.append("an arrow end is not on box %s" % b.name)
    return problems


# ---------------------------------------------------------------------------------------- SVG

def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def num(v):
    return ("%.1f" % v).rstrip("0").rstrip(".")


def svg():
    out = []
    add = out.append
    add('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
        'font-family="%s">' % (WIDTH, HEIGHT, WIDTH, HEIGHT, FONT))
    add('<title>Agent Channels: the data path from a presence record to a prompt and back</title>')
    add('<defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#1f2937"/></marker></defs>')
    add('<rect width="%d" height="%d" fill="#ffffff"/>' % (WIDTH, HEIGHT))
    add('<text x="20" y="30" font-size="16" font-weight="bold" fill="#111827">'
        'Agent Channels: the data path</text>')
    for p in PANELS:
        add('<rect x="%d" y="%d" width="%d" height="%d" rx="10" fill="#f9fafb" stroke="#9ca3af"/>'
            % (p.x, p.y, p.w, p.h))
        add('<text x="%d" y="%d" font-size="13" font-weight="bold" fill="#374151">%s</text>'
            % (p.x + 14, p.y + 24, esc(p.title)))
    # legend: box colour is who runs the code
    add('<text x="660" y="74" font-size="12" font-weight="bold" fill="#374151">Box colour: who runs it</text>')
    for i, kind in enumerate(["ui", "jetty", "lock", "store", "presence", "agent"]):
        fill, stroke, text = THREADS[kind]
        x, y = 660 + (i % 2) * 260, 88 + (i // 2) * 20
        add('<rect x="%d" y="%d" width="14" height="12" rx="2" fill="%s" stroke="%s"/>' % (x, y, fill, stroke))
        add('<text x="%d" y="%d" font-size="11" fill="#374151">%s</text>' % (x + 20, y + 10, esc(text)))
    for b in BOXES:
        fill, stroke, _ = THREADS[b.kind]
        dash = ' stroke-dasharray="5,3"' if b.kind == "file" else ""
        add('<rect x="%d" y="%d" width="%d" height="%d" rx="6" fill="%s" stroke="%s" stroke-width="1.5"%s/>'
            % (b.x, b.y, b.w, b.h, fill, stroke, dash))
        top = b.y + (b.h - len(b.lines) * LINE) / 2 + 11
        for i, line in enumerate(b.lines):
            weight = ' font-weight="bold"' if i == 0 else ""
            size = TITLE_SIZE if i == 0 else TEXT_SIZE
            add('<text x="%s" y="%s" font-size="%s"%s fill="#111827">%s</text>'
                % (num(b.x + PAD + 2), num(top + i * LINE), num(size), weight, esc(line)))
    for a in ARROWS:
        pts = " ".join("%s,%s" % (num(x), num(y)) for x, y in arrow_points(a))
        width = "2.2" if a.wire else "1.4"
        add('<polyline points="%s" fill="none" stroke="#1f2937" stroke-width="%s" marker-end="url(#head)"/>'
            % (pts, width))
    for lab in [a.label for a in ARROWS if a.label] + LABELS:
        indent = 0
        if lab.step:
            indent = 2 * BADGE_R + 4
            cx, cy = lab.x + BADGE_R, lab.y - LABEL_SIZE * 0.35
            add('<circle cx="%s" cy="%s" r="%d" fill="#111827"/>' % (num(cx), num(cy), BADGE_R))
            size = 10 if len(lab.step) == 1 else 8.5
            add('<text x="%s" y="%s" font-size="%s" font-weight="bold" fill="#ffffff" text-anchor="middle">%s</text>'
                % (num(cx), num(cy + size * 0.36), num(size), esc(lab.step)))
        style = ' font-style="italic" fill="#4b5563"' if lab.italic else ' fill="#1f2937"'
        anchor = ' text-anchor="middle"' if lab.anchor == "middle" else ""
        for i, line in enumerate(lab.lines):
            add('<text x="%s" y="%s" font-size="%s"%s%s>%s</text>'
                % (num(lab.x + indent), num(lab.y + i * (LABEL_SIZE + 3)), num(LABEL_SIZE), style, anchor, esc(line)))
    add('</svg>')
    return "\n".join(out) + "\n"


BY_NAME = {b.name: b for b in BOXES}

if __name__ == "__main__":
    found = check()
    if found:
        sys.stderr.write("the picture would not be legible:\n  " + "\n  ".join(found) + "\n")
        sys.exit(1)
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(svg())
    print("wrote " + os.path.relpath(OUT))
