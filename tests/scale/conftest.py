"""Fixtures of the scale tests: a local S3 API server and settings pointing at it."""

from __future__ import annotations

import pytest

from lms.settings.base import s3_storages
from media_pipeline.testing import make_test_clip

from .servers import moto_server, s3_env


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory) -> str:
    """moto's standalone S3 server on 127.0.0.1 with the two buckets, for the session."""
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with moto_server(log=log) as endpoint:
        yield endpoint


@pytest.fixture
def s3(s3_endpoint, settings, monkeypatch) -> dict[str, str]:
    """This process's storages on the S3 server, built by the same code as base.py's."""
    env = s3_env(s3_endpoint)
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, env[key])
    public, private = s3_storages(env)
    settings.STORAGES = {**settings.STORAGES, "default": public, "private": private}
    return env


@pytest.fixture(scope="session")
def short_clip(tmp_path_factory):
    return make_test_clip(
        tmp_path_factory.mktemp("scale-clips") / "lesson.mp4", seconds=4, width=320, height=180
    )
