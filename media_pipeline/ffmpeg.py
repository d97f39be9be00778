"""Where ffmpeg comes from, decided in one place.

Order: the FFMPEG_BINARY setting, the system ``ffmpeg`` on PATH, then the static
build that the ``imageio-ffmpeg`` wheel ships, so a fresh machine needs nothing.
"""

from __future__ import annotations

import functools
import shutil
import subprocess  # noqa: S404 - argv lists only, never a shell
from dataclasses import dataclass

from django.conf import settings


class FFmpegNotFound(RuntimeError):
    pass


@dataclass(frozen=True)
class FFmpegInfo:
    path: str
    source: str  # "setting", "system" or "imageio-ffmpeg"
    version: str


def _candidates() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    configured = settings.FFMPEG_BINARY
    if configured:
        found.append((configured, "setting"))
        return found  # an explicit setting is never silently replaced
    system = shutil.which("ffmpeg")
    if system:
        found.append((system, "system"))
    try:
        import imageio_ffmpeg

        found.append((imageio_ffmpeg.get_ffmpeg_exe(), "imageio-ffmpeg"))
    except (ImportError, RuntimeError):
        pass
    return found


def _version(path: str) -> str | None:
    try:
        out = subprocess.run(  # noqa: S603
            [path, "-hide_banner", "-version"],
            capture_output=True,
            text=True,
            timeout=15,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0 or not out.stdout.startswith("ffmpeg version"):
        return None
    return out.stdout.split("\n", 1)[0].removeprefix("ffmpeg version ").split(" ", 1)[0]


@functools.cache
def locate_ffmpeg() -> FFmpegInfo:
    """The first candidate that runs ``ffmpeg -version``; raises FFmpegNotFound."""
    tried = []
    for path, source in _candidates():
        version = _version(path)
        if version:
            return FFmpegInfo(path=path, source=source, version=version)
        tried.append(f"{path} ({source})")
    raise FFmpegNotFound(
        "No working ffmpeg found. Tried: "
        + (
            ", ".join(tried)
            or "nothing (FFMPEG_BINARY unset, no ffmpeg on PATH, no imageio-ffmpeg)"
        )
    )


def ffmpeg_binary() -> str:
    return locate_ffmpeg().path
