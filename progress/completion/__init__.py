"""Completion: lessons' move-on rules, lesson and course completion, quiz results."""
