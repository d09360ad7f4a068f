#!/usr/bin/python3
"""How far a photo's preview on a terminal is from the photo, cell by cell.

Usage: colour-error.py CAPTURE PHOTO FIRST_ROW LAST_ROW LAST_COL

CAPTURE is `tmux capture-pane -e` output; the preview is the box of cells
with a background colour inside rows FIRST_ROW..LAST_ROW (1-based) and
columns 1..LAST_COL. Each cell shows its character in the foreground
colour over the background colour, so what the eye averages over the cell
is fg * coverage + bg * (1 - coverage), coverage being the part of the cell
the character inks (block elements exactly, box-drawing lines roughly).
The reference is the photo itself (PIL, EXIF orientation applied) averaged
over each cell's area (a box filter to the preview's size in cells), never
anything pgal made. Prints: mean CIE76 delta E over the cells, the cells
measured, the preview's size in cells. xterm's palette for indexed colours
(16..255: the 6x6x6 cube and the grey ramp; pgal uses no others in 256
colours)."""
import re
import sys

from PIL import Image, ImageOps

CUBE = [0, 95, 135, 175, 215, 255]
BASIC = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205),
         (0, 205, 205), (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0),
         (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255)]


def xterm(n):
    if n < 16:
        return BASIC[n]
    if n < 232:
        n -= 16
        return (CUBE[n // 36], CUBE[n // 6 % 6], CUBE[n % 6])
    v = 8 + 10 * (n - 232)
    return (v, v, v)


def coverage(ch):
    c = ord(ch)
    if ch == ' ':
        return 0.0
    if 0x2581 <= c <= 0x2588:          # lower eighths .. full block
        return (c - 0x2580) / 8
    if 0x2589 <= c <= 0x258f:          # left seven eighths .. one eighth
        return (0x2590 - c) / 8
    table = {0x2580: .5, 0x2590: .5, 0x2591: .25, 0x2592: .5, 0x2593: .75, 0x2594: .125,
             0x2595: .125, 0x2596: .25, 0x2597: .25, 0x2598: .25, 0x2599: .75, 0x259a: .5,
             0x259b: .75, 0x259c: .75, 0x259d: .25, 0x259e: .5, 0x259f: .75}
    if c in table:
        return table[c]
    if 0x2500 <= c <= 0x257f:          # box drawing: a line or two of 8
        return 0.2
    return 0.3                         # anything else: some ink


def srgb_to_lab(rgb):
    def lin(v):
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(v) for v in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116
    fx, fy, fz = f(x), f(y), f(z)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def cells(capture):
    """rows of (char, fg, bg) with colours as RGB or None"""
    out = []
    for line in capture.split('\n'):
        row, fg, bg, rev, i = [], None, None, False, 0
        while i < len(line):
            m = re.match(r'\x1b\[([0-9;:]*)m', line[i:])
            if m:
                p = [int(x) if x else 0 for x in re.split('[;:]', m.group(1) or '0')]
                j = 0
                while j < len(p):
                    if p[j] == 0:
                        fg = bg = None
                        rev = False
                    elif p[j] == 7:
                        rev = True
                    elif p[j] == 27:
                        rev = False
                    elif p[j] == 39:
                        fg = None
                    elif p[j] == 49:
                        bg = None
                    elif 30 <= p[j] <= 37:
                        fg = xterm(p[j] - 30)
                    elif 40 <= p[j] <= 47:
                        bg = xterm(p[j] - 40)
                    elif 90 <= p[j] <= 97:
                        fg = xterm(p[j] - 82)
                    elif 100 <= p[j] <= 107:
                        bg = xterm(p[j] - 92)
                    elif p[j] in (38, 48) and j + 2 < len(p) and p[j + 1] == 5:
                        col = xterm(p[j + 2])
                        if p[j] == 38:
                            fg = col
                        else:
                            bg = col
                        j += 2
                    elif p[j] in (38, 48) and j + 4 < len(p) and p[j + 1] == 2:
                        col = tuple(p[j + 2:j + 5])
                        if p[j] == 38:
                            fg = col
                        else:
                            bg = col
                        j += 4
                    j += 1
                i += m.end()
                continue
            row.append((line[i], bg if rev else fg, fg if rev else bg))
            i += 1
        out.append(row)
    return out


def main():
    capture = open(sys.argv[1], encoding='utf-8', errors='replace').read()
    photo = sys.argv[2]
    r0, r1, c1 = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    grid = cells(capture)
    box = [(y, x) for y in range(r0 - 1, min(r1, len(grid)))
           for x in range(min(c1, len(grid[y]))) if grid[y][x][2] is not None]
    if not box:
        print('no coloured cells')
        sys.exit(1)
    y0 = min(y for y, _ in box)
    y1 = max(y for y, _ in box)
    x0 = min(x for _, x in box)
    x1 = max(x for _, x in box)
    w, h = x1 - x0 + 1, y1 - y0 + 1
    img = ImageOps.exif_transpose(Image.open(photo)).convert('RGB')
    ref = img.resize((w, h), Image.BOX)
    seen = {}
    for y in range(h):
        for x in range(w):
            ch, fg, bg = grid[y0 + y][x0 + x]
            if bg is None:
                continue
            k = coverage(ch)
            fgc = fg if fg is not None else bg
            seen[(x, y)] = tuple(fgc[i] * k + bg[i] * (1 - k) for i in range(3))
    results = []
    for blk in (1, 2):
        # blocks of blk x blk cells: what the eye mixes from a little further
        refb = img.resize((w // blk, h // blk), Image.BOX)
        total, count = 0.0, 0
        for by in range(h // blk):
            for bx in range(w // blk):
                part = [seen.get((bx * blk + i, by * blk + j))
                        for i in range(blk) for j in range(blk)]
                if None in part:
                    continue
                mean = tuple(sum(p[c] for p in part) / len(part) for c in range(3))
                a = srgb_to_lab(mean)
                b = srgb_to_lab(refb.getpixel((bx, by)))
                total += sum((a[i] - b[i]) ** 2 for i in range(3)) ** 0.5
                count += 1
        results.append((total / count, count))
    print('%.2f %d %dx%d %.2f' % (results[0][0], results[0][1], w, h, results[1][0]))


main()
