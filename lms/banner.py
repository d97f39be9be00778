"""Printed by `make run` before the processes start: where to go and who to be."""

import os
import sys

import django


def main(host: str = "127.0.0.1", port: str = "8000") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    django.setup()
    from officers.demo import ACCOUNTS, DEMO_PASSWORD

    lines = [
        "",
        f"  เว็บไซต์ / Site:        http://{host}:{port}/",
        f"  ผู้ดูแล / Admin:        http://{host}:{port}/admin/",
        f"  รหัสผ่านบัญชีสาธิต / demo password: {DEMO_PASSWORD}",
        "  บัญชีสาธิต / demo accounts: " + ", ".join(row[0] for row in ACCOUNTS),
        "  Ctrl-C หยุดทุกกระบวนการ / stops the web server, the worker and beat.",
        "",
    ]
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
