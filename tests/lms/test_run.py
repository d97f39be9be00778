"""`make run`'s runner (lms/run.py) on a real terminal (issue 16: Ctrl-C ends quietly).

The runner starts honcho with a small Procfile in a temporary folder, on a pty of its
own (pty.fork), like `make run` in a terminal. Ctrl-C (\\x03 typed on the terminal) or
SIGTERM: one line "หยุดแล้ว", status 0, no traceback, no make-style "Interrupt", none
of honcho's shutdown lines, and the Procfile's processes are gone. Every file and the
working directory are under tmp_path: nothing is written into the repository.
"""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WAIT = 60
SLEEPER = "import time; print({!r}, flush=True); time.sleep(120)"
SITE_PORT = (
    "import os, time; print('site=' + os.environ['LMS_SITE_PORT'], flush=True); time.sleep(120)"
)


def _procfile(tmp_path: Path, processes: dict[str, str]) -> Path:
    procfile = tmp_path / "Procfile"
    procfile.write_text(
        "".join(f'{name}: "{sys.executable}" -c "{code}"\n' for name, code in processes.items())
    )
    return procfile


def _env(tmp_path: Path) -> dict[str, str]:
    """The test settings (for the stopped line's translation) with every folder they
    create under tmp_path."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.test",
        LMS_VAR_DIR=str(tmp_path / "var"),
        LMS_TEST_TMP=str(tmp_path / "test-tmp"),
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONPATH=str(ROOT),
        PORT="8765",
        LMS_SITE_PORT="8765",  # what the Makefile exports
    )
    return env


def _read(fd: int, until: bytes | None, timeout: float) -> bytes:
    """What the terminal shows, until ``until`` appears or the other side closes."""
    out = b""
    deadline = time.monotonic() + timeout
    while until is None or until not in out:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:  # EIO: the runner has ended and the terminal closed
            break
        if not data:
            break
        out += data
    return out


def _repo_snapshot() -> dict[str, float]:
    """What a stray write into the repository would change: the top-level names and the
    files the runner sits beside."""
    names = {p.name: 0.0 for p in ROOT.iterdir()}
    for path in (ROOT / "Makefile", ROOT / "Procfile", *(ROOT / "lms").iterdir()):
        names[str(path.relative_to(ROOT))] = path.stat().st_mtime
    return names


@pytest.mark.parametrize("stop", ["ctrl-c", "sigterm"])
def test_ctrl_c_or_sigterm_ends_quietly_with_one_line_and_status_0(tmp_path, stop):
    before = _repo_snapshot()
    procfile = _procfile(tmp_path, {"first": SLEEPER.format("first ready"), "second": SITE_PORT})
    work = tmp_path / "work"
    work.mkdir()
    env = _env(tmp_path)
    pid, fd = pty.fork()
    if pid == 0:  # the child: the runner, on the pty, in the temporary folder
        try:
            os.chdir(work)
            command = [sys.executable, "-m", "lms.run", "--procfile", str(procfile)]
            os.execve(sys.executable, command, env)  # noqa: S606 - our own runner
        finally:
            os._exit(127)
    try:
        started = _read(fd, b"site=", WAIT)
        started += _read(fd, b"first ready", WAIT) if b"first ready" not in started else b""
        assert b"first ready" in started and b"site=8765" in started, started
        # honcho gives each process its own PORT; the banner's LMS_SITE_PORT stays the site's.
        pids = [int(p) for p in re.findall(rb"started \(pid=(\d+)\)", started)]
        assert len(pids) == 2, started
        if stop == "ctrl-c":
            os.write(fd, b"\x03")  # the terminal turns it into SIGINT for the runner
        else:
            os.kill(pid, signal.SIGTERM)
        rest = _read(fd, None, WAIT)
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    text = rest.decode(errors="replace")
    assert os.waitstatus_to_exitcode(status) == 0, text
    for noise in ("Traceback", "KeyboardInterrupt", "Interrupt", "SIGINT", "SIGTERM", "rc="):
        assert noise not in text, text
    lines = [line.strip() for line in text.replace("^C", "").splitlines() if line.strip()]
    assert lines == ["หยุดแล้ว"], text
    for child in pids:  # honcho stopped (and waited for) every process before the line
        with pytest.raises(ProcessLookupError):
            os.kill(child, 0)
    assert _repo_snapshot() == before
    assert sorted(p.name for p in work.iterdir()) == []


def test_a_process_that_ends_by_itself_leaves_its_lines_and_a_failing_status(tmp_path):
    procfile = _procfile(
        tmp_path,
        {
            "broken": "import sys; print('port in use', flush=True); sys.exit(3)",
            "other": SLEEPER.format("other ready"),
        },
    )
    result = subprocess.run(  # noqa: S603 - our own runner
        [sys.executable, "-m", "lms.run", "--procfile", str(procfile)],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=WAIT,
    )
    assert result.returncode != 0
    assert "port in use" in result.stdout and "หยุดแล้ว" not in result.stdout
