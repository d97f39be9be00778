"""README's first run on a clean clone, as a new user would do it.

`git clone` of the committed HEAD into a temporary folder, `make run` with none of
the server variables set (so the laptop defaults apply: SQLite, the filesystem
broker, local-memory cache, everything under var/), wait for the site, then sign
in as officer1 through the login form in Chromium and open a lesson: the clip
player must be there and load the transcoded stream. The whole `make run`
process tree (make, honcho, and honcho's web, worker and beat) is ended afterwards.

Takes a few minutes (a fresh venv, pip and npm installs, the demo seed with two
transcodes); pip's and npm's caches make it faster.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.browser import LAUNCH_ARGS, SHOTS

from ..e2e.test_journeys import sign_in

pytestmark = [pytest.mark.first_run, pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 20 * 60
LESSON = "/courses/digital-signature-basics/lesson-1/"
# What README's configuration table lists, and what make/pytest put in our own
# environment: none of it is on a new user's laptop.
SERVER_VARIABLES = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CACHE_URL",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "LMS_VAR_DIR",
    "LMS_TEST_TMP",
    "FFMPEG_BINARY",
    "WAGTAILADMIN_BASE_URL",
    "PYTHONPATH",
    "VIRTUAL_ENV",
    "MAKEFLAGS",
    "MFLAGS",
    "MAKELEVEL",
    "MAKEOVERRIDES",
)
SERVER_PREFIXES = ("DJANGO_", "AWS_", "EMAIL_")


def laptop_env(port: int) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in SERVER_VARIABLES and not key.startswith(SERVER_PREFIXES)
    }
    venv_bin = str(ROOT / ".venv")
    env["PATH"] = os.pathsep.join(
        part for part in env.get("PATH", "").split(os.pathsep) if not part.startswith(venv_bin)
    )
    env["PORT"] = str(port)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (honcho starts its children in their own sessions,
    so the process group of make does not hold them)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z")


def stop(proc: subprocess.Popen) -> None:
    """Ctrl-C for the whole tree, as README says; whatever is left is killed by id."""
    tree = descendants(proc.pid)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    deadline = time.monotonic() + 15
    while any(alive(pid) for pid in tree) and time.monotonic() < deadline:
        time.sleep(0.5)
    for pid in tree:
        if alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def wait_for_site(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"`make run` exited with {proc.returncode}:\n{log.read_text()[-6000:]}")
        try:
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(2)
    pytest.fail(f"no answer from {url} after {START_TIMEOUT} s:\n{log.read_text()[-6000:]}")


def test_make_run_on_a_clean_clone_serves_the_demo_lesson_with_its_player(tmp_path, chromium_path):
    from playwright.sync_api import sync_playwright

    for tool in ("git", "make", "npm"):
        if not shutil.which(tool):
            pytest.skip(f"the first run needs {tool} (README: Python 3.11+ and Node.js 20+)")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    cloned = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=clone, check=True, capture_output=True, text=True
    ).stdout.strip()
    assert cloned == head
    assert not (clone / ".venv").exists() and not (clone / "var").exists()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "make-run.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=clone,
            env=laptop_env(port),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_site(base + "/", proc, log)
        # The banner comes once the web server and a worker answer (lms.banner --wait).
        for _ in range(120):
            printed = log.read_text(errors="replace")
            if "demo-pass-2568" in printed:
                break
            time.sleep(0.5)
        assert f"{base}/" in printed and "demo-pass-2568" in printed, printed[-3000:]
        with urllib.request.urlopen(f"{base}/api/v2/pages/?limit=1") as r:  # noqa: S310
            assert json.load(r)["items"][0]["meta"]["html_url"].startswith(f"{base}/")
        assert (clone / "var" / "db.sqlite3").is_file(), "the laptop default is SQLite in var/"
        assert (clone / "var" / "broker").is_dir(), "the laptop default is the filesystem broker"

        SHOTS.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
            try:
                page = sign_in(browser, base, "officer1")
                response = page.goto(base + LESSON)
                assert response.status == 200
                player = page.locator("[data-player][data-lesson-id]")
                assert player.count() == 1, page.inner_text("main")[:1000]
                page.wait_for_function(
                    "() => { const p = document.querySelector('[data-player]');"
                    " return p && p.lmsPlayer && p.lmsPlayer.mode; }"
                )
                # The stream the pipeline made during the seed really loads from this server.
                page.wait_for_function(
                    "() => document.querySelector('[data-player] video').readyState >= 1",
                    timeout=60000,
                )
                assert page.evaluate("document.querySelector('[data-player] video').duration") > 1
                page.screenshot(path=str(SHOTS / "first-run-lesson.png"), full_page=True)
            finally:
                browser.close()
    finally:
        stop(proc)
    assert proc.returncode is not None
