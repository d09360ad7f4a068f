#!/usr/bin/python3
"""The Python peer of pgal's ingest, for bench/ingest.sh: the same work
done the way the seed's stack does it. python3-pil with draft() for the
preview and the thumbnail, ImageOps.exif_transpose for orientation,
exifread for EXIF, hashlib for SHA-256; then the original, the preview and
the thumbnail are stored as files (temp file, fsync, rename), like the
local blob store does.

usage: ingest_pil.py FILE OUTDIR [PREVIEW_PX THUMB_PX]
"""
import hashlib
import os
import sys

import exifread
from PIL import Image, ImageOps


def put(outdir, name, data):
    tmp = os.path.join(outdir, "." + name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.rename(tmp, os.path.join(outdir, name))


def rendition(path, edge):
    """Decode at the smallest DCT scale that still covers edge, orient,
    fit into edge x edge, return JPEG bytes."""
    import io
    with Image.open(path) as im:
        im.draft("RGB", (edge, edge))
        im = ImageOps.exif_transpose(im)
        if im.mode != "RGB":
            im = im.convert("RGB")
        im.thumbnail((edge, edge), Image.LANCZOS)
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=82)
        return buf.getvalue(), im.size


def main():
    if len(sys.argv) not in (3, 5):
        sys.stderr.write(__doc__)
        return 1
    path, outdir = sys.argv[1], sys.argv[2]
    preview_px, thumb_px = 1600, 256
    if len(sys.argv) == 5:
        preview_px, thumb_px = int(sys.argv[3]), int(sys.argv[4])
    with open(path, "rb") as f:
        original = f.read()
    sha = hashlib.sha256(original).hexdigest()
    with open(path, "rb") as f:
        tags = exifread.process_file(f, details=False)
    with Image.open(path) as im:
        size = im.size  # the header: type and pixel count before decoding
        if size[0] * size[1] > 100000000:
            sys.stderr.write("too many pixels\n")
            return 5
    preview, psize = rendition(path, preview_px)
    thumb, tsize = rendition(path, thumb_px)
    put(outdir, sha, original)
    put(outdir, "preview.jpg", preview)
    put(outdir, "thumb.jpg", thumb)
    print(sha, size, "preview", psize, "thumb", tsize, len(tags), "tags")
    return 0


if __name__ == "__main__":
    sys.exit(main())
