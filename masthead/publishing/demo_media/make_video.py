"""How demo_media/river-at-dusk.webm was made (run once by a developer; the demo never needs ffmpeg).

.venv/bin/python masthead/publishing/demo_media/make_video.py   # needs ffmpeg on PATH
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from masthead.publishing.demo_art import scene

HERE = Path(__file__).resolve().parent
SIZE = (640, 360)
FPS = 24
SECONDS = 6


def main() -> None:
    frames = FPS * SECONDS
    encoder = subprocess.Popen(  # noqa: S603
        [  # noqa: S607
            "ffmpeg",
            "-y",
            "-loglevel",
            "error",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "-s",
            f"{SIZE[0]}x{SIZE[1]}",
            "-r",
            str(FPS),
            "-i",
            "-",
            "-c:v",
            "libvpx-vp9",
            "-b:v",
            "0",
            "-crf",
            "42",
            "-row-mt",
            "1",
            "-an",
            str(HERE / "river-at-dusk.webm"),
        ],
        stdin=subprocess.PIPE,
    )
    if encoder.stdin is None:
        raise RuntimeError("ffmpeg has no stdin")
    for index in range(frames):
        t = index / frames
        frame = scene(SIZE, "dusk", 7, sun_at=0.62 - 0.05 * t, boat_at=0.15 + 0.5 * t, ripple=t * 3)
        encoder.stdin.write(frame.tobytes())
    encoder.stdin.close()
    encoder.wait()


if __name__ == "__main__":
    main()
