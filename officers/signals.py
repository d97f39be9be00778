"""Signals the officers app sends for higher apps (hr keeps the personal-data audit log).

``personal_data_event`` kwargs: actor, action (an hr AuditAction value), what, subject
(a user or None), scope.
"""

from django.dispatch import Signal

personal_data_event = Signal()
