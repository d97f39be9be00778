"""Tracking: viewing sessions, the heartbeat merge and the officer's watched ranges."""
