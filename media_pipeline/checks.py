"""System check: the media pipeline cannot work without a runnable ffmpeg."""

from django.core.checks import Error, register

from .ffmpeg import FFmpegNotFound, locate_ffmpeg


@register("media_pipeline")
def ffmpeg_available(app_configs, **kwargs):
    try:
        locate_ffmpeg()
    except FFmpegNotFound as exc:
        return [
            Error(
                str(exc),
                hint=(
                    "Install ffmpeg (apt-get install ffmpeg), install the imageio-ffmpeg "
                    "package, or set FFMPEG_BINARY to a working ffmpeg executable."
                ),
                id="media_pipeline.E001",
            )
        ]
    return []
