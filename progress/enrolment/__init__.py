"""Enrolments: an officer's place in a course and the round they are in."""
