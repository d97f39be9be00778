"""The officer's own learning record: transcript, enrolments, JSON export, taking a course again."""
