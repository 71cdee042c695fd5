"""Pictures for the demo newsroom, drawn with Pillow so nothing is downloaded: scenes, portraits, posters."""

from __future__ import annotations

import io
import math
from functools import lru_cache
from pathlib import Path
from random import Random

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]

Colour = tuple[int, int, int]

# Palettes: (sky top, sky bottom, far land, near land, accent)
PALETTES: dict[str, tuple[Colour, Colour, Colour, Colour, Colour]] = {
    "dusk": ((38, 43, 84), (236, 138, 92), (92, 70, 104), (46, 38, 66), (255, 214, 150)),
    "desert": ((120, 170, 210), (246, 214, 170), (214, 160, 110), (176, 112, 72), (255, 244, 214)),
    "sea": ((24, 60, 102), (120, 190, 210), (40, 96, 120), (18, 52, 74), (236, 250, 255)),
    "olive": ((70, 96, 74), (214, 220, 176), (120, 140, 96), (66, 84, 58), (250, 246, 220)),
    "night": ((10, 14, 34), (58, 54, 110), (34, 32, 70), (16, 16, 36), (250, 226, 160)),
    "clay": ((150, 70, 50), (244, 196, 150), (170, 100, 70), (110, 58, 44), (255, 236, 210)),
    "slate": ((44, 62, 80), (176, 190, 200), (90, 110, 126), (52, 66, 80), (240, 244, 248)),
    "dawn": ((88, 120, 170), (250, 200, 170), (150, 130, 160), (80, 78, 110), (255, 240, 200)),
}


@lru_cache(maxsize=16)
def font(
    size: int, bold: bool = True, serif: bool = True
) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = f"DejaVu{'Serif' if serif else 'Sans'}{'-Bold' if bold else ''}.ttf"
    for directory in FONT_DIRS:
        if (directory / name).exists():
            return ImageFont.truetype(str(directory / name), size)
    return ImageFont.load_default(size=size)


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _gradient(size: tuple[int, int], top: Colour, bottom: Colour) -> Image.Image:
    width, height = size
    column = Image.new("RGB", (1, height))
    for y in range(height):
        column.putpixel((0, y), _mix(top, bottom, y / max(1, height - 1)))
    return column.resize((width, height))


def _ridge(
    width: int, base: float, amplitude: float, seed: int, phase: float = 0.0
) -> list[tuple[float, float]]:
    rng = Random(seed)  # noqa: S311 (pictures, not secrets)
    waves = [
        (rng.uniform(0.5, 2.5), rng.uniform(0, math.tau), rng.uniform(0.3, 1.0)) for _ in range(3)
    ]
    points = []
    for x in range(0, width + 8, 8):
        u = x / width
        y = (
            base
            - amplitude * sum(w * math.sin(f * math.tau * u + p + phase) for f, p, w in waves) / 2
        )
        points.append((float(x), y))
    return points


def scene(
    size: tuple[int, int],
    palette: str,
    seed: int,
    *,
    sun_at: float = 0.7,
    boat_at: float | None = None,
    ripple: float = 0.0,
) -> Image.Image:
    """A landscape: graded sky, a sun, two ridges and water with light on it."""
    width, height = size
    sky_top, sky_bottom, far, near, light = PALETTES[palette]
    image = _gradient(size, sky_top, sky_bottom)
    # The glow is drawn small and scaled up: a cheap blur.
    scale = 8
    glow = Image.new("RGBA", (width // scale, height // scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(glow)
    sun_x, sun_y, radius = width * sun_at, height * 0.42, height * 0.11
    for step in range(6, 0, -1):
        r = radius * (1 + step * 0.45) / scale
        x, y = sun_x / scale, sun_y / scale
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*light, 16))
    glow = glow.filter(ImageFilter.GaussianBlur(1.5)).resize(size, Image.Resampling.BILINEAR)
    image = Image.alpha_composite(image.convert("RGBA"), glow)
    ImageDraw.Draw(image).ellipse(
        (sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius), fill=(*light, 255)
    )
    draw = ImageDraw.Draw(image)
    horizon = height * 0.68
    far_ridge = _ridge(width, height * 0.55, height * 0.12, seed)
    draw.polygon([(0, height), *far_ridge, (width, height)], fill=far)
    near_ridge = _ridge(width, height * 0.64, height * 0.08, seed + 1)
    draw.polygon([(0, height), *near_ridge, (width, height)], fill=near)
    water_top = _mix(sky_bottom, near, 0.45)
    water = _gradient((width, int(height - horizon)), water_top, _mix(sky_top, near, 0.6))
    image.paste(water, (0, int(horizon)))
    rng = Random(seed + 2)  # noqa: S311 (pictures, not secrets)
    for index in range(26):
        y = horizon + (height - horizon) * (index + 1) / 28
        spread = radius * (0.6 + index * 0.12)
        wobble = math.sin(ripple * math.tau + index) * spread * 0.25
        x0 = sun_x - spread + rng.uniform(-6, 6) + wobble
        draw.line((x0, y, x0 + spread * 2 * rng.uniform(0.4, 1.0), y), fill=(*light, 255), width=2)
    if boat_at is not None:
        bx, by = width * boat_at, horizon + (height - horizon) * 0.35
        hull = [(bx - 34, by), (bx + 34, by), (bx + 24, by + 10), (bx - 24, by + 10)]
        draw.polygon(hull, fill=(20, 20, 28))
        draw.line((bx, by, bx, by - 44), fill=(20, 20, 28), width=3)
        draw.polygon([(bx + 2, by - 42), (bx + 28, by - 6), (bx + 2, by - 6)], fill=(245, 240, 230))
    return image.convert("RGB")


def _shadowed_text(image: Image.Image, xy: tuple[float, float], text: str, size: int) -> None:
    draw = ImageDraw.Draw(image)
    face = font(size)
    draw.text((xy[0] + 2, xy[1] + 2), text, font=face, fill=(0, 0, 0))
    draw.text(xy, text, font=face, fill=(255, 255, 255))


def featured_image(title: str, palette: str, seed: int, label: str = "") -> bytes:
    """A 1600x900 JPEG: a scene with a small label, for an article's featured image."""
    rng = Random(seed)  # noqa: S311 (pictures, not secrets)
    image = scene(
        (1600, 900),
        palette,
        seed,
        sun_at=rng.uniform(0.2, 0.8),
        boat_at=rng.uniform(0.15, 0.85) if seed % 3 == 0 else None,
    )
    if label:
        band = Image.new("RGBA", (1600, 900), (0, 0, 0, 0))
        ImageDraw.Draw(band).rectangle(
            (48, 780, 48 + 22 * len(label) + 48, 846), fill=(163, 32, 29, 230)
        )
        image = Image.alpha_composite(image.convert("RGBA"), band).convert("RGB")
        _shadowed_text(image, (72, 790), label.upper(), 34)
    return _jpeg(image)


def poster_image(title: str) -> bytes:
    """The video's poster frame with its title."""
    image = scene((1280, 720), "dusk", 7, sun_at=0.62, boat_at=0.3)
    _shadowed_text(image, (56, 48), title, 44)
    return _jpeg(image)


def portrait(name: str, hue_seed: int) -> bytes:
    """A 400x400 initials portrait on a soft gradient, for an author."""
    rng = Random(hue_seed)  # noqa: S311 (pictures, not secrets)
    top = (rng.randint(60, 140), rng.randint(60, 120), rng.randint(90, 160))
    bottom = (rng.randint(180, 240), rng.randint(150, 210), rng.randint(140, 200))
    image = _gradient((400, 400), top, bottom)
    draw = ImageDraw.Draw(image)
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    face = font(150, serif=True)
    box = draw.textbbox((0, 0), initials, font=face)
    x = (400 - (box[2] - box[0])) / 2 - box[0]
    y = (400 - (box[3] - box[1])) / 2 - box[1]
    draw.text((x + 3, y + 3), initials, font=face, fill=_mix(top, (0, 0, 0), 0.4))
    draw.text((x, y), initials, font=face, fill=(255, 255, 255))
    return _jpeg(image)


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=84, optimize=True, progressive=True)
    return buffer.getvalue()
