#!/usr/bin/env python3
"""The growth chart (docs/growth.svg) from tools/growth.sh's table: CPU µs per record and
peak MiB per 1,000 records against records (log scale), as a plain SVG (no plotting library)."""
import math
import sys

rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
head, rows = rows[0], rows[1:]
col = {name: i for i, name in enumerate(head)}
pts = [(int(r[col["records"]]), float(r[col["cpu_us_per_record"]]),
        float(r[col["peak_mib"]]) * 1000 / int(r[col["records"]])) for r in rows]
W, H, L, B, T, R = 640, 360, 60, 50, 30, 60
xs = [math.log10(p[0]) for p in pts]
x0, x1 = math.floor(min(xs)), math.ceil(max(xs))
y1 = max(max(p[1] for p in pts), max(p[2] for p in pts)) * 1.15 or 1
def X(r): return L + (math.log10(r) - x0) / max(x1 - x0, 1) * (W - L - R)
def Y(v): return H - B - v / y1 * (H - B - T)
out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
       f'<rect width="{W}" height="{H}" fill="white"/>',
       f'<text x="{L}" y="18">bangfu report DIR: cost per record as the year grows (tools/growth.sh)</text>',
       f'<line x1="{L}" y1="{H-B}" x2="{W-R}" y2="{H-B}" stroke="black"/>',
       f'<line x1="{L}" y1="{T}" x2="{L}" y2="{H-B}" stroke="black"/>']
for e in range(x0, x1 + 1):
    x = L + (e - x0) / max(x1 - x0, 1) * (W - L - R)
    out.append(f'<line x1="{x:.1f}" y1="{H-B}" x2="{x:.1f}" y2="{H-B+5}" stroke="black"/>')
    out.append(f'<text x="{x:.1f}" y="{H-B+18}" text-anchor="middle">10^{e}</text>')
for k in range(6):
    v = y1 * k / 5
    out.append(f'<text x="{L-6}" y="{Y(v)+4:.1f}" text-anchor="end">{v:.1f}</text>')
    out.append(f'<line x1="{L}" y1="{Y(v):.1f}" x2="{W-R}" y2="{Y(v):.1f}" stroke="#ddd"/>')
out.append(f'<text x="{(W)/2}" y="{H-10}" text-anchor="middle">records in the year (log scale)</text>')
for idx, colour, name in ((1, "#c0392b", "CPU µs per record"), (2, "#2c7fb8", "peak MiB per 1,000 records")):
    path = " ".join(f"{X(p[0]):.1f},{Y(p[idx]):.1f}" for p in pts)
    out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
    for p in pts:
        out.append(f'<circle cx="{X(p[0]):.1f}" cy="{Y(p[idx]):.1f}" r="3" fill="{colour}"/>')
    ly = T + 14 * idx
    out.append(f'<rect x="{W-R-190}" y="{ly-9}" width="10" height="10" fill="{colour}"/>')
    out.append(f'<text x="{W-R-175}" y="{ly}">{name}</text>')
out.append("</svg>")
open(sys.argv[2], "w").write("\n".join(out) + "\n")
