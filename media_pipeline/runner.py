"""Run one ffmpeg process in its own process group, watching ``-progress`` output.

The process is killed (with its whole group) when the deadline passes, when no
progress arrives for ``stall_seconds``, or when the calling code is interrupted
(Celery's soft time limit raises inside the loop).
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess  # noqa: S404 - argv lists only, never a shell
import tempfile
import time
from collections.abc import Callable

from .errors import PipelineError


def _die_with_parent() -> None:
    """In the child before exec: get SIGKILL if the worker that started us dies (Linux)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def run_ffmpeg(
    argv: list[str],
    *,
    on_progress: Callable[[float], None] | None = None,
    deadline: float | None = None,
    stall_seconds: float = 120.0,
    on_start: Callable[[int], None] | None = None,
) -> None:
    """Run ``argv``; ``on_progress`` gets seconds of output written so far.

    Raises PipelineError("timeout") on deadline or stall, PipelineError("transcode_failed")
    on a non-zero exit.
    """
    with tempfile.TemporaryFile() as errfile:
        proc = subprocess.Popen(  # noqa: S603
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errfile,
            start_new_session=True,  # own process group, killed as one
            close_fds=True,
            preexec_fn=_die_with_parent,  # noqa: PLW1509
        )
        if on_start:
            on_start(proc.pid)
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        buffer = b""
        furthest = -1
        last_progress = time.monotonic()
        try:
            while True:
                now = time.monotonic()
                if deadline is not None and now > deadline:
                    _kill_group(proc)
                    raise PipelineError("timeout", detail="hard deadline passed")
                if now - last_progress > stall_seconds:
                    _kill_group(proc)
                    raise PipelineError("timeout", detail=f"no progress for {stall_seconds:g} s")
                if not sel.select(timeout=1.0):
                    continue
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                for line in lines:
                    key, _, value = line.decode("ascii", "replace").strip().partition("=")
                    if key == "out_time_us" and value.isdigit():
                        # Stall = output time not moving, even if ffmpeg still prints blocks.
                        if int(value) > furthest:
                            furthest = int(value)
                            last_progress = time.monotonic()
                        if on_progress:
                            on_progress(furthest / 1_000_000)
            returncode = proc.wait()
        except BaseException:
            # Soft time limit, worker shutdown, our own timeout: never leave ffmpeg behind.
            if proc.poll() is None:
                _kill_group(proc)
            raise
        finally:
            sel.close()
            proc.stdout.close()
        if returncode != 0:
            errfile.seek(0)
            tail = errfile.read()[-4000:].decode("utf-8", "replace")
            raise PipelineError("transcode_failed", detail=f"ffmpeg exit {returncode}: {tail}")


def run_quick(argv: list[str], *, timeout: float = 600) -> None:
    """A short ffmpeg job (remux) with a plain timeout, also in its own process group."""
    proc = subprocess.Popen(  # noqa: S603
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _, err = proc.communicate(timeout=timeout)
    except BaseException:
        _kill_group(proc)
        raise
    if proc.returncode != 0:
        raise PipelineError("transcode_failed", detail=err.decode("utf-8", "replace")[-4000:])
