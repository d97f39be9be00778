import os
import stat

import pytest
from django.core.checks import run_checks

from media_pipeline import ffmpeg


@pytest.fixture(autouse=True)
def fresh_cache():
    ffmpeg.locate_ffmpeg.cache_clear()
    yield
    ffmpeg.locate_ffmpeg.cache_clear()


def test_finds_a_working_ffmpeg_without_configuration(settings):
    settings.FFMPEG_BINARY = ""
    info = ffmpeg.locate_ffmpeg()
    assert info.source in {"system", "imageio-ffmpeg"}
    assert os.access(info.path, os.X_OK)
    assert info.version


def test_setting_wins_and_is_never_silently_replaced(settings, tmp_path):
    fake = tmp_path / "ffmpeg"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    settings.FFMPEG_BINARY = str(fake)
    with pytest.raises(ffmpeg.FFmpegNotFound, match=str(fake)):
        ffmpeg.locate_ffmpeg()


def test_system_check_reports_a_missing_ffmpeg(settings, tmp_path):
    settings.FFMPEG_BINARY = str(tmp_path / "nowhere" / "ffmpeg")
    errors = [e for e in run_checks() if e.id == "media_pipeline.E001"]
    assert len(errors) == 1
    assert "FFMPEG_BINARY" in errors[0].hint
    settings.FFMPEG_BINARY = ""
    ffmpeg.locate_ffmpeg.cache_clear()
    assert not [e for e in run_checks() if e.id == "media_pipeline.E001"]
