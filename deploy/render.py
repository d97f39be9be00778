"""Render nginx.conf.template: ``python deploy/render.py KEY=VALUE ... > nginx.conf``.

Keys are the template's @NAME@ placeholders; the defaults below suit Debian's
nginx package with the LMS under /srv/lms. An unknown or missing key is an error.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
DEFAULTS = {
    "USER": "www-data",
    "PID": "/run/nginx.pid",
    "DAEMON": "on",
    "ERROR_LOG": "/var/log/nginx/error.log",
    "ACCESS_LOG": "/var/log/nginx/access.log",
    "TEMP": "/var/lib/nginx",
    "MAX_BODY": "1024m",
    "UPSTREAM": "127.0.0.1:8000",
    "LISTEN": "80",
    "STATIC_ROOT": "/srv/lms/var/static",
    "MEDIA_ROOT": "/srv/lms/var/media",
    "PRIVATE_ROOT": "/srv/lms/var/private",
    "SENDFILE_PREFIX": "/_private/",
    "METRICS_ALLOW": "",
}


def render(**values: str) -> str:
    unknown = set(values) - set(DEFAULTS)
    if unknown:
        raise KeyError(f"unknown placeholders: {sorted(unknown)}")
    merged = {**DEFAULTS, **values}
    text = TEMPLATE.read_text()
    text = re.sub(r"@([A-Z_]+)@", lambda m: merged[m.group(1)], text)
    return text


if __name__ == "__main__":
    pairs = dict(arg.split("=", 1) for arg in sys.argv[1:])
    sys.stdout.write(render(**pairs))
