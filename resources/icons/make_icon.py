"""Draw Loupe's app icon: a magnifying glass (a loupe) over a small grid of tiles, the app's
two ideas (look closely, sort images) in one mark. Drawn with Pillow at 4x and scaled down, so
the edges are smooth; deterministic, so running it again gives the same files.

    python resources/icons/make_icon.py

writes beside itself:
- loupe.png (512 px) and loupe-256.png: the window icon (QIcon) and the Linux .desktop icon;
- loupe.ico (16-256 px): the Windows executable's icon;
- loupe.icns (16-1024 px): the macOS app bundle's icon.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
SIZE = 1024  # the master; every file is scaled from it
SCALE = 4  # drawn this much larger, then reduced (anti-aliasing)

BACKGROUND = (31, 58, 96)  # deep blue rounded square
TILES = ((0, 114, 178), (230, 159, 0), (0, 158, 115), (86, 180, 233))  # the app's class colours
LENS_RIM = (242, 244, 247)
LENS_GLASS = (200, 228, 250, 140)
HANDLE = (242, 244, 247)


def draw(size: int = SIZE) -> Image.Image:
    big = size * SCALE
    s = big / 1024  # coordinates below are on a 1024 grid
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((40 * s, 40 * s, 984 * s, 984 * s), radius=200 * s, fill=BACKGROUND)
    # A 2x2 grid of image tiles, upper left, seen through and around the lens.
    tile, gap, left, top = 190 * s, 36 * s, 170 * s, 170 * s
    for i, colour in enumerate(TILES):
        x = left + (i % 2) * (tile + gap)
        y = top + (i // 2) * (tile + gap)
        pen.rounded_rectangle((x, y, x + tile, y + tile), radius=28 * s, fill=colour)
    # The lens: a glass disc over the grid's corner, then its rim.
    cx, cy, r = 470 * s, 470 * s, 230 * s
    glass = Image.new("RGBA", image.size, (0, 0, 0, 0))
    ImageDraw.Draw(glass).ellipse((cx - r, cy - r, cx + r, cy + r), fill=LENS_GLASS)
    image = Image.alpha_composite(image, glass)
    pen = ImageDraw.Draw(image)
    rim = 58 * s
    pen.ellipse((cx - r, cy - r, cx + r, cy + r), outline=LENS_RIM, width=round(rim))
    # The handle, at 45 degrees from the rim towards the lower right corner.
    start = cx + (r + rim * 0.2) * 0.7071
    end = 860 * s
    pen.line((start, start, end, end), fill=HANDLE, width=round(110 * s))
    half = 55 * s
    pen.ellipse((end - half, end - half, end + half, end + half), fill=HANDLE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    master = draw()
    master.resize((512, 512), Image.Resampling.LANCZOS).save(HERE / "loupe.png", optimize=True)
    master.resize((256, 256), Image.Resampling.LANCZOS).save(HERE / "loupe-256.png", optimize=True)
    master.save(HERE / "loupe.ico", sizes=[(n, n) for n in (16, 24, 32, 48, 64, 128, 256)])
    master.save(HERE / "loupe.icns")
    for name in ("loupe.png", "loupe-256.png", "loupe.ico", "loupe.icns"):
        print(f"wrote {HERE / name}")


if __name__ == "__main__":
    main()
