#!/usr/bin/python3
"""The baseline for bench_pdf_render: the same filled form drawn by ReportLab
(boxes, labels, values shrunk to fit, title, footer, subset IPAex Mincho).
Reads the form as JSON (argv[1]), renders it argv[2] times, writes the last
PDF to argv[3] and prints "seconds_per_page bytes"."""
import json
import sys
import time

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

spec = json.load(open(sys.argv[1], encoding="utf-8"))
runs = int(sys.argv[2])
pdfmetrics.registerFont(TTFont("Mincho", spec["font"]))  # once, like our process-wide font cache
H = A4[1]


def fitted(text, w, size, min_size):
    while size > min_size and pdfmetrics.stringWidth(text, "Mincho", size) > w:
        size -= 0.5
    return size


def render(path):
    c = canvas.Canvas(path, pagesize=A4)
    c.setTitle(spec["title"])
    c.setFont("Mincho", 18)
    c.drawCentredString(A4[0] / 2, H - 18 * mm, spec["title"])
    for it in spec["items"]:
        x, y, w, h = it["x"] * mm, it["y"] * mm, it["w"] * mm, it["h"] * mm
        if it["kind"] == "box":
            c.setLineWidth(0.6)
            c.rect(x, H - y - h, w, h)
        if it.get("label"):
            c.setFont("Mincho", 7.5)
            c.drawString(x + 1.5 * mm, H - y - 1 * mm - 7.5 * 0.88, it["label"])
        text = it.get("value", "")
        if text:
            size = fitted(text, w - 3 * mm, it["size"], 7)
            c.setFont("Mincho", size)
            base = H - y - h + (h - 3.6 * mm) / 2 - size * 0.38
            if it["align"] == "right":
                c.drawRightString(x + w - 1.5 * mm, base, text)
            elif it["align"] == "center":
                c.drawCentredString(x + w / 2, base, text)
            else:
                c.drawString(x + 1.5 * mm, base, text)
    c.setFont("Mincho", 8)
    c.drawString(20 * mm, H - 287 * mm, spec["footer"])
    c.showPage()
    c.save()


render(sys.argv[3])  # warm-up
start = time.perf_counter()
for _ in range(runs):
    render(sys.argv[3])
elapsed = time.perf_counter() - start
import os

print(elapsed / runs, os.path.getsize(sys.argv[3]))
