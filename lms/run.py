"""The foreground of `make run`: honcho runs the Procfile (the web server, the worker, beat
and the banner, which prints the addresses once the site and a worker answer), and
Ctrl-C ends it quietly.

    python -m lms.run [--procfile Procfile]

honcho runs in a session of its own, so the terminal's Ctrl-C (SIGINT) reaches this
runner, not honcho nor the processes it started. The runner passes SIGINT or SIGTERM
on to honcho, which stops every process; from then on their shutdown lines (honcho's
"SIGINT received", "sending SIGTERM", the worker's "Warm shutdown"...) are dropped. Once
honcho has ended, one line says so ("หยุดแล้ว", in the site's default language) and the
runner exits 0: make sees a command that succeeded, so it prints no "Interrupt" either
(make, which got the same Ctrl-C, then ends silently).
honcho gives each process type its own PORT (8000, 8100, 8200...), so the banner reads
where the site is served from LMS_SITE_PORT, which the Makefile exports with PORT.
When a process ends by itself (a port in use, a crash), everything stays on screen and
the runner exits with honcho's status.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pty
import signal
import subprocess
import sys
import termios


def honcho_command(procfile: str) -> list[str]:
    return [sys.executable, "-m", "honcho", "--procfile", procfile, "start"]


def stopped_line() -> str:
    """ "หยุดแล้ว" in the site's default language (settings.LANGUAGE_CODE)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    import django

    django.setup()
    from django.utils.translation import gettext

    return gettext("หยุดแล้ว")


class Runner:
    def __init__(self, command: list[str], out) -> None:
        self.command = command
        self.out = out
        self.child: subprocess.Popen | None = None
        self.stopping: int | None = None  # the signal that asked to stop

    def _forward(self, signum, _frame) -> None:
        if self.stopping is not None:
            return  # honcho is already stopping everything (it kills what lingers)
        self.stopping = signum
        self._send(signum)

    def _send(self, signum: int) -> None:
        if self.child is not None:
            with contextlib.suppress(ProcessLookupError):  # honcho has just ended
                self.child.send_signal(signum)

    def run(self) -> int:
        signal.signal(signal.SIGINT, self._forward)
        signal.signal(signal.SIGTERM, self._forward)
        # A terminal keeps honcho's colours (it colours only a tty); else a pipe.
        if self.out.isatty():
            reader, writer = pty.openpty()
            # Lines pass through as written: our own terminal adds the carriage returns.
            attrs = termios.tcgetattr(writer)
            attrs[1] &= ~termios.ONLCR
            termios.tcsetattr(writer, termios.TCSANOW, attrs)
        else:
            reader, writer = os.pipe()
        try:
            self.child = subprocess.Popen(  # noqa: S603 - our own honcho command line
                self.command,
                stdin=subprocess.DEVNULL,
                stdout=writer,
                stderr=writer,
                start_new_session=True,
            )
        finally:
            os.close(writer)
        if self.stopping is not None:  # Ctrl-C while honcho was being started
            self._send(self.stopping)
        try:
            while True:
                try:
                    data = os.read(reader, 65536)
                except OSError:  # EIO: the terminal's other side has closed
                    data = b""
                if not data:
                    break
                if self.stopping is None:
                    self.out.write(data)
                    self.out.flush()
        finally:
            os.close(reader)
        returncode = self.child.wait()
        if self.stopping is None:
            return returncode
        # On a terminal the line starts below the "^C" it echoed.
        start = "\n" if self.out.isatty() else ""
        self.out.write(f"{start}{stopped_line()}\n".encode())
        self.out.flush()
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procfile", default="Procfile")
    args = parser.parse_args(argv)
    return Runner(honcho_command(args.procfile), sys.stdout.buffer).run()


if __name__ == "__main__":
    sys.exit(main())
