"""Load test: officers browsing, watching (heartbeats every 10 s, as tracker.js sends
them) and answering quizzes; HR users opening the dashboard, the officers list and exports.

Run by hand (not in CI), against a server seeded with `manage.py seed_demo`:

    .venv/bin/pip install -e ".[benchmark]"
    nice -n 10 .venv/bin/locust -f benchmarks/load/locustfile.py --headless \
        --host http://127.0.0.1:8000 -u 100 -r 10 -t 60s --csv var/load

The mix: each simulated officer signs in once with an account of its own
(load0001.. from seed_officers.py; LOAD_OFFICERS says how many exist, LOAD_USERS
names accounts instead), then mostly watches (a lesson page with a clip, then a
heartbeat every 10 s reporting the last 10 s played at 1x-2x), sometimes browses
(catalogue, lesson pages) and sometimes takes a quiz (start an attempt, submit an
answer per question). One simulated user in 25 is HR (hr_a/hr_b): dashboard,
officers list, CSV and XLSX exports. See README.md here.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import time

from locust import HttpUser, between, constant_pacing, task

_named = os.environ.get("LOAD_USERS", "")
USERS = (
    _named.split(",")
    if _named
    else [f"load{i:04d}" for i in range(1, int(os.environ.get("LOAD_OFFICERS", "400")) + 1)]
)
_next_user = itertools.cycle(USERS)
# "username session-key" lines from seed_officers.py --sessions: steady-state runs
# start signed in instead of all hashing passwords at once.
_sessions_file = os.environ.get("LOAD_SESSIONS", "")
SESSIONS = None
if _sessions_file:
    with open(_sessions_file) as f:
        SESSIONS = itertools.cycle([line.split() for line in f if line.strip()])
SESSION_COOKIE = os.environ.get("LOAD_SESSION_COOKIE", "sessionid")
HR_USERS = itertools.cycle(os.environ.get("LOAD_HR_USERS", "hr_a,hr_b").split(","))
REPORT_S = 10
# A watcher opens a new lesson page (a new viewing session) after this long: the
# demo clips are 20-24 s, real lessons a few minutes, re-watched until then.
LESSON_S = float(os.environ.get("LOAD_LESSON_MINUTES", "5")) * 60
LESSON_PATHS: list[str] = []
CLIP_PATHS: set[str] = set()
PASSWORD = os.environ.get("LOAD_PASSWORD", "demo-pass-2568")
LESSON_ATTRS = re.compile(
    r'data-lesson-id="(?P<lesson>\d+)"|data-viewing-session="(?P<session>[^"]+)"'
    r'|data-quiz-id="(?P<quiz>\d+)"|data-duration="(?P<duration>[\d.]+)"'
)


def sign_in(user: HttpUser, name: str) -> None:
    user.client.get("/accounts/login/", name="login form")
    token = user.client.cookies.get("csrftoken", "")
    user.client.post(
        "/accounts/login/",
        data={"username": name, "login": name, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": user.host + "/accounts/login/"},
        name="login",
    )


def answer(question: dict) -> list:
    """A plausible answer: an ordering lists every choice, a multiple choice a few."""
    ids = [c["id"] for c in question["choices"]]
    if question.get("kind") == "ordering":
        return random.sample(ids, len(ids))
    if question.get("kind") == "multiple":
        return random.sample(ids, random.randint(1, len(ids)))
    return [random.choice(ids)]


class Officer(HttpUser):
    abstract = True

    def on_start(self) -> None:
        if SESSIONS is not None:
            _name, key = next(SESSIONS)
            host = self.host.split("://", 1)[1].split(":")[0].split("/")[0]
            self.client.cookies.set(SESSION_COOKIE, key, domain=host, path="/")
        else:
            sign_in(self, next(_next_user))
        self.client.get("/courses/", name="catalogue")  # where an officer lands
        if not LESSON_PATHS:  # learnt once per locust process, as a CDN-cached list
            pages = self.client.get(
                "/api/v2/pages/?type=courses.LessonPage&limit=20", name="api v2 lessons"
            ).json()["items"]
            LESSON_PATHS.extend(
                "/" + p["meta"]["html_url"].split("://", 1)[1].split("/", 1)[1] for p in pages
            )
        self.lesson = None

    def csrf(self) -> dict:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Referer": self.host + "/"}

    def open_lesson(self, with_clip: bool = False) -> None:
        choices = sorted(CLIP_PATHS) if with_clip and CLIP_PATHS else LESSON_PATHS
        path = random.choice(choices or ["/"])
        html = self.client.get(path, name="lesson page").text
        found: dict = {}
        for m in LESSON_ATTRS.finditer(html):
            for key, value in m.groupdict().items():
                if value and key not in found:
                    found[key] = value
        # Only a lesson with a clip reports watching (data-duration is on the player).
        ready = {"lesson", "session", "duration"} <= found.keys()
        if ready:
            CLIP_PATHS.add(path)
        self.lesson = found if ready else None
        self.opened_at = time.monotonic()
        self.watched = 0.0
        self.duration = float(found.get("duration") or 60)
        self.quiz = found.get("quiz")


class WatchingOfficer(Officer):
    """Has a lesson open and reports every 10 s, as tracker.js does while playing."""

    weight = 20
    wait_time = constant_pacing(REPORT_S)

    @task
    def heartbeat(self) -> None:
        if self.lesson is not None and time.monotonic() - self.opened_at > LESSON_S:
            self.lesson = None  # on to the next lesson
        for _ in range(5):  # pick lessons until one has a clip
            if self.lesson is not None:
                break
            self.open_lesson(with_clip=True)
        if self.lesson is None:
            return
        rate = random.choice((1.0, 1.0, 1.5, 2.0))
        if self.watched >= self.duration:  # the demo clips are short: watch again
            self.watched = 0.0
        start = self.watched
        self.watched = min(self.duration, start + REPORT_S * rate)
        self.client.post(
            "/api/v1/progress/heartbeat",
            json={
                "lesson": int(self.lesson["lesson"]),
                "session": self.lesson["session"],
                "segments": [[start, self.watched]],
                "position": self.watched,
            },
            headers=self.csrf(),
            name="heartbeat",
        )


class BrowsingOfficer(Officer):
    """Looks around: the catalogue, lesson pages, a quiz now and then."""

    weight = 4
    wait_time = between(3, 10)

    @task(3)
    def catalogue(self) -> None:
        self.client.get("/courses/", name="catalogue")

    @task(2)
    def lesson_page(self) -> None:
        self.open_lesson()

    @task(1)
    def quiz(self) -> None:
        self.open_lesson()
        if not self.quiz:
            return
        started = self.client.post(
            f"/api/v1/quizzes/{self.quiz}/attempts",
            headers=self.csrf(),
            name="quiz start",
            catch_response=True,
        )
        with started as response:
            if response.status_code == 403:  # no attempts left: a normal answer
                response.success()
                return
        if started.status_code != 200:
            return
        body = started.json()
        answers = {str(q["id"]): answer(q) for q in body["questions"] if q.get("choices")}
        self.client.post(
            f"/api/v1/attempts/{body['attempt']}/submit",
            json={"answers": answers},
            headers=self.csrf(),
            name="quiz submit",
        )


class HrUser(HttpUser):
    """Agency HR: the dashboard most often, the officers list, now and then an export."""

    weight = 1
    wait_time = between(5, 15)

    def on_start(self) -> None:
        sign_in(self, next(HR_USERS))

    @task(4)
    def dashboard(self) -> None:
        self.client.get("/hr/", name="hr dashboard")

    @task(2)
    def officers(self) -> None:
        self.client.get("/hr/officers/?status=overdue", name="hr officers")

    @task(1)
    def export_csv(self) -> None:
        self.client.get("/hr/export.csv", name="hr export csv")

    @task(1)
    def export_xlsx(self) -> None:
        self.client.get("/hr/export.xlsx", name="hr export xlsx")


class SigningIn(HttpUser):
    """Sign-in only (name the class on the command line to run it alone): what
    password hashing costs."""

    weight = 0
    wait_time = between(0.5, 1.5)

    @task
    def again(self) -> None:
        self.client.cookies.clear()
        sign_in(self, next(_next_user))
