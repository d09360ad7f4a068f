#!/usr/bin/env python3
"""make-png.py OUT WIDTH HEIGHT BIT_DEPTH COLOUR_TYPE INTERLACE: an all-black
PNG written row by row (never the whole image in memory here), so a small
file can declare a huge image: `make-png.py bomb.png 10000 10000 16 2 1` is
a 16-bit RGB Adam7-interlaced PNG of a few hundred kB whose decoder must
hold 600 MB. COLOUR_TYPE as in IHDR: 0 grey, 2 RGB, 4 grey+alpha, 6 RGBA."""
import struct
import sys
import zlib

out = sys.argv[1]
w, h, depth, ctype, interlace = (int(a) for a in sys.argv[2:7])
bytes_px = {0: 1, 2: 3, 4: 2, 6: 4}[ctype] * depth // 8


def chunk(kind, data):
    crc = zlib.crc32(kind + data) & 0xffffffff
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


# Adam7: (first column, first row, column step, row step) of each pass
passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4),
          (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)] if interlace else [(0, 0, 1, 1)]
z = zlib.compressobj(9)
idat = []
for x0, y0, dx, dy in passes:
    pw = (w - x0 + dx - 1) // dx if w > x0 else 0
    ph = (h - y0 + dy - 1) // dy if h > y0 else 0
    if pw and ph:
        row = bytes(1 + pw * bytes_px)  # filter type 0, then black pixels
        for _ in range(ph):
            idat.append(z.compress(row))
idat.append(z.flush())
with open(out, "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n")
    f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, interlace)))
    f.write(chunk(b"IDAT", b"".join(idat)))
    f.write(chunk(b"IEND", b""))
