"""Icons, screenshots and logos of the demo, drawn locally with Pillow.

Every picture is a function of its text and a seed string only, so the same app always gets
the same bytes: `load_demo` recognises images it already stored by their SHA-1.
"""

import io
import random
import re
import unicodedata
from functools import cache

from PIL import Image, ImageDraw, ImageFont

# Colours of the French government design system (DSFR), dark enough for white text.
PALETTE = [
    "#000091",
    "#3558A2",
    "#0063CB",
    "#009081",
    "#18753C",
    "#66673D",
    "#A558A0",
    "#6E445A",
    "#8D533E",
    "#B34000",
    "#CE0500",
    "#7F7F7F",
]
BACKGROUND = "#F6F6F6"
INK = "#3A3A3A"
LINE = "#DDDDDD"

ICON_SIZE = 512
SCREEN_SIZE = (540, 960)
SCREENS = ["Accueil", "Résultats de recherche", "Fiche détaillée"]
SMALL_WORDS = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "en", "à", "a", "pour"}


@cache
def font(size: int) -> ImageFont.ImageFont:
    # DejaVu has the accented capitals; Pillow's bundled font (no "é") is the fallback.
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default(size=size)


def seeded(seed: str) -> random.Random:
    # Reproducible drawings, not secrets.
    return random.Random(seed)


def colour_for(seed: str) -> str:
    return seeded(seed).choice(PALETTE)


def initials(name: str) -> str:
    words = [w for w in re.split(r"[\s'’\-]+", name) if w and w.lower() not in SMALL_WORDS]
    letters = "".join(word[0] for word in words[:2]) or name[:1]
    return unicodedata.normalize("NFC", letters.upper())


def tint(hex_colour: str, amount: float) -> tuple[int, int, int]:
    """The colour mixed with white; amount 0 is the colour, 1 is white."""
    rgb = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    return tuple(round(c + (255 - c) * amount) for c in rgb)


def to_png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def icon(name: str, seed: str) -> bytes:
    """A rounded square in the app's colour, with its initials."""
    colour = colour_for(seed)
    rng = seeded(f"{seed}:icon")
    image = Image.new("RGBA", (ICON_SIZE, ICON_SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, ICON_SIZE - 1, ICON_SIZE - 1), radius=112, fill=colour)
    # A pale disc in one corner, so two icons of the same colour still differ.
    x, y = rng.choice([(-120, -120), (300, -120), (-120, 300), (300, 300)])
    draw.ellipse((x, y, x + 330, y + 330), fill=(*tint(colour, 0.25), 255))
    draw.rounded_rectangle(
        (0, 0, ICON_SIZE - 1, ICON_SIZE - 1), radius=112, outline=colour, width=8
    )
    letters = initials(name)
    draw.text(
        (ICON_SIZE / 2, ICON_SIZE / 2),
        letters,
        font=font(230 if len(letters) == 1 else 190),
        fill="white",
        anchor="mm",
    )
    # Clip the disc to the rounded square.
    mask = Image.new("L", image.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle(
        (0, 0, ICON_SIZE - 1, ICON_SIZE - 1), radius=112, fill=255
    )
    image.putalpha(mask)
    return to_png(image)


def logo(name: str, seed: str) -> bytes:
    """A publisher's logo: its initials in a disc, on white."""
    colour = colour_for(seed)
    image = Image.new("RGB", (400, 400), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((40, 40, 360, 360), fill=colour)
    draw.text((200, 200), initials(name), font=font(140), fill="white", anchor="mm")
    return to_png(image)


def screenshot(name: str, seed: str, index: int) -> bytes:
    """A phone screen of the app: header bar, a few placeholder blocks, a tab bar."""
    colour = colour_for(seed)
    rng = seeded(f"{seed}:screen:{index}")
    width, height = SCREEN_SIZE
    image = Image.new("RGB", SCREEN_SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)

    draw.rectangle((0, 0, width, 150), fill=colour)
    draw.text((24, 18), "9:41", font=font(18), fill="white", anchor="lm")
    size = 34
    while size > 18 and draw.textlength(name, font=font(size)) > width - 56:
        size -= 2
    draw.text((28, 80), name, font=font(size), fill="white", anchor="lm")
    draw.text((28, 122), SCREENS[index % 3], font=font(20), fill=tint(colour, 0.7), anchor="lm")

    [home_screen, results_screen, detail_screen][index % 3](draw, colour, rng, width)

    # Tab bar.
    draw.rectangle((0, height - 90, width, height), fill="white")
    draw.line((0, height - 90, width, height - 90), fill=LINE, width=2)
    for tab in range(4):
        cx = width * (2 * tab + 1) / 8
        fill = colour if tab == index % 3 else tint(INK, 0.6)
        draw.ellipse((cx - 14, height - 64, cx + 14, height - 36), fill=fill)
    return to_png(image)


def text_lines(draw, x, y, widths, height=12, gap=22, fill=LINE):
    for line_width in widths:
        draw.rounded_rectangle((x, y, x + line_width, y + height), radius=6, fill=fill)
        y += gap
    return y


def home_screen(draw, colour, rng, width):
    draw.rounded_rectangle((24, 180, width - 24, 236), radius=28, fill="white", outline=LINE)
    draw.text((56, 208), "Rechercher…", font=font(22), fill=tint(INK, 0.5), anchor="lm")
    draw.rounded_rectangle((24, 264, width - 24, 444), radius=20, fill=tint(colour, 0.85))
    draw.text((48, 300), "Pour vous", font=font(26), fill=colour, anchor="lm")
    text_lines(draw, 48, 340, [rng.randint(250, 420), rng.randint(200, 380)], fill="white")
    draw.rounded_rectangle((48, 392, 220, 428), radius=18, fill=colour)
    y = 476
    for _ in range(4):
        draw.ellipse((24, y, 88, y + 64), fill=tint(colour, rng.uniform(0.3, 0.7)))
        text_lines(draw, 108, y + 12, [rng.randint(200, 380), rng.randint(120, 300)])
        y += 92


def results_screen(draw, colour, rng, width):
    y = 176
    for _ in range(5):
        draw.rounded_rectangle((24, y, width - 24, y + 128), radius=16, fill="white")
        text_lines(draw, 48, y + 24, [rng.randint(160, 280)], height=16, fill=tint(INK, 0.55))
        text_lines(draw, 48, y + 58, [rng.randint(260, 440), rng.randint(180, 360)])
        pill = rng.randint(90, 150)
        draw.rounded_rectangle(
            (width - 48 - pill, y + 20, width - 48, y + 48), radius=14, fill=tint(colour, 0.8)
        )
        y += 144


def detail_screen(draw, colour, rng, width):
    draw.rounded_rectangle((24, 176, width - 24, 436), radius=20, fill=tint(colour, 0.6))
    draw.ellipse((width / 2 - 60, 246, width / 2 + 60, 366), fill=tint(colour, 0.3))
    y = text_lines(draw, 24, 468, [rng.randint(300, 460)], height=22, gap=44, fill=tint(INK, 0.5))
    widths = [rng.randint(380, width - 48) for _ in range(7)]
    text_lines(draw, 24, y, widths)
    draw.rounded_rectangle((24, 780, width - 24, 844), radius=32, fill=colour)
    draw.text((width / 2, 812), "Continuer", font=font(26), fill="white", anchor="mm")
