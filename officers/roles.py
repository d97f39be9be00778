"""Role names used as Django groups across the platform."""

OFFICER = "officer"
AGENCY_EDITOR = "agency_editor"
AGENCY_HR = "agency_hr"
CENTRAL_REVIEWER = "central_reviewer"
ADMINISTRATOR = "administrator"

ALL_ROLES = (OFFICER, AGENCY_EDITOR, AGENCY_HR, CENTRAL_REVIEWER, ADMINISTRATOR)

# Roles managed by administrators only: never created or changed by an HR file, and
# never offered a password reset by e-mail.
STAFF_ROLES = (AGENCY_EDITOR, CENTRAL_REVIEWER, AGENCY_HR, ADMINISTRATOR)
