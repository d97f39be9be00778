"""Load-test officers: LOAD_OFFICERS accounts load0001..loadNNNN in agency A's units,
password demo-pass-2568, enrolled through the demo assignment, so each simulated
officer earns watch time on their own account (one account shared by hundreds of
simulated users would be trimmed by the per-officer allowance and lanes).

    DJANGO_SETTINGS_MODULE=lms.settings.dev .venv/bin/python benchmarks/load/seed_officers.py 400 \
        [--sessions var/load-sessions.txt]

--sessions also signs each account in once (Django's test client, through the real
session engine and the sign-in signals) and writes "username session-key" lines, so
a steady-state run measures learners rather than a sign-in storm; the sign-in cost
(password hashing) is measured by its own run (the SigningIn class, README.md here).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import transaction  # noqa: E402

from hr.models import Assignment  # noqa: E402
from hr.services import assignment_enrol  # noqa: E402
from officers import roles  # noqa: E402
from officers.models import Agency, OfficerProfile  # noqa: E402


@transaction.atomic
def seed(count: int) -> None:
    User = get_user_model()
    password = make_password("demo-pass-2568")  # hashed once, shared by every account
    units = list(Agency.objects.filter(code__in=("A-IT", "A-HR")))
    group = Group.objects.get(name=roles.OFFICER)
    for i in range(1, count + 1):
        name = f"load{i:04d}"
        user, created = User.objects.get_or_create(
            username=name, defaults={"email": f"{name}@load.example.go.th", "password": password}
        )
        if created:
            user.groups.add(group)
        OfficerProfile.objects.get_or_create(
            user=user,
            defaults={
                "agency": units[i % len(units)],
                "first_name_th": "ทดสอบ",
                "last_name_th": f"โหลด{i}",
            },
        )
    for assignment in Assignment.objects.filter(agency__code="A"):
        assignment_enrol(assignment=assignment)
    print(f"{count} load officers ready")


def write_sessions(count: int, path: str) -> None:
    from django.conf import settings
    from django.test import Client

    User = get_user_model()
    with open(path, "w") as out:
        for user in User.objects.filter(username__startswith="load").order_by("username")[:count]:
            client = Client()
            client.force_login(user)
            out.write(f"{user.username} {client.cookies[settings.SESSION_COOKIE_NAME].value}\n")
    print(f"{count} sessions written to {path}")


if __name__ == "__main__":
    args = sys.argv[1:]
    sessions = None
    if "--sessions" in args:
        i = args.index("--sessions")
        sessions = args[i + 1]
        del args[i : i + 2]
    n = int(args[0]) if args else 400
    seed(n)
    if sessions:
        write_sessions(n, sessions)
