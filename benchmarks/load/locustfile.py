"""Load test: officers browsing, watching (heartbeats every 15 s) and answering quizzes.

Run by hand (not in CI), against a server seeded with `manage.py seed_demo`:

    .venv/bin/pip install -e ".[benchmark]"
    nice -n 10 .venv/bin/locust -f benchmarks/load/locustfile.py --headless \
        --host http://127.0.0.1:8000 -u 100 -r 10 -t 60s --csv var/load

The mix per simulated officer: sign in once (demo accounts, LOAD_USERS to change),
then mostly watch (a lesson page, then a heartbeat every 15 s reporting the last
15 s played), sometimes browse (catalogue, a course's lesson page) and sometimes
take a quiz (start an attempt, submit an answer per question). See README.md here.
"""

from __future__ import annotations

import os
import random
import re

from locust import HttpUser, between, constant_pacing, task

USERS = os.environ.get("LOAD_USERS", "officer1,officer2,officer3").split(",")
PASSWORD = os.environ.get("LOAD_PASSWORD", "demo-pass-2568")
LESSON_ATTRS = re.compile(
    r'data-lesson-id="(?P<lesson>\d+)"|data-viewing-session="(?P<session>[^"]+)"'
    r'|data-quiz-id="(?P<quiz>\d+)"|data-duration="(?P<duration>[\d.]+)"'
)


class Officer(HttpUser):
    abstract = True

    def on_start(self) -> None:
        self.client.get("/accounts/login/", name="login form")
        token = self.client.cookies.get("csrftoken", "")
        name = random.choice(USERS)
        self.client.post(
            "/accounts/login/",
            data={
                "username": name,
                "login": name,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": self.host + "/accounts/login/"},
            name="login",
        )
        pages = self.client.get(
            "/api/v2/pages/?type=courses.LessonPage&limit=20", name="api v2 lessons"
        ).json()["items"]
        self.lesson_paths = [
            p["meta"]["html_url"].split("://", 1)[1].split("/", 1)[1] for p in pages
        ] or [""]
        self.lesson = None

    def csrf(self) -> dict:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Referer": self.host + "/"}

    def open_lesson(self) -> None:
        path = "/" + random.choice(self.lesson_paths)
        html = self.client.get(path, name="lesson page").text
        found: dict = {}
        for m in LESSON_ATTRS.finditer(html):
            for key, value in m.groupdict().items():
                if value and key not in found:
                    found[key] = value
        self.lesson = found if "lesson" in found and "session" in found else None
        self.watched = 0.0
        self.duration = float(found.get("duration") or 60)
        self.quiz = found.get("quiz")


class WatchingOfficer(Officer):
    """Has a lesson open and reports every 15 s, as tracker.js does while playing."""

    weight = 4
    wait_time = constant_pacing(15)

    @task
    def heartbeat(self) -> None:
        if self.lesson is None:
            self.open_lesson()
            if self.lesson is None:
                return
        rate = random.choice((1.0, 1.0, 1.5, 2.0))
        if self.watched >= self.duration:  # the demo clips are short: watch again
            self.watched = 0.0
        start = self.watched
        self.watched = min(self.duration, start + 15 * rate)
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

    weight = 1
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
        answers = {
            str(q["id"]): [random.choice(q["choices"])["id"]]
            for q in body["questions"]
            if q.get("choices")
        }
        self.client.post(
            f"/api/v1/attempts/{body['attempt']}/submit",
            json={"answers": answers},
            headers=self.csrf(),
            name="quiz submit",
        )
