"""PDPA in the admin: with the demo roles (no officer model permissions), an agency
editor, the central reviewer or agency HR reads no other agency's officer through the
officer-profile snippet chooser (searchable by name and username), no audit-log entry
through its chooser, and no row through the bulk-action confirmation page (?id=all),
which is for administrators only. Wagtail asks no permission on these views, so
officers/wagtail_hooks.py scopes the chooser and lms/urls.py guards the bulk route."""

import json

import pytest
from django.test import Client

from officers.models import AuditLog


def chooser_html(client, url, **params):
    resp = client.get(url, params)
    assert resp.status_code == 200, (url, resp.status_code)
    try:
        return json.loads(resp.content)["html"]
    except ValueError:
        return resp.content.decode()


@pytest.mark.parametrize("who", ["editor_a", "reviewer", "hr_a"])
def test_officer_names_of_agency_b_via_chooser(users, who):
    c = Client()
    c.force_login(users[who])
    url = "/admin/snippets/choose/officers/officerprofile/results/"
    # The whole list, and a search by username: agency B's officer3 in neither.
    for html in (chooser_html(c, url), chooser_html(c, url, q="officer3")):
        assert "ประเสริฐ" not in html  # officer3, agency B


@pytest.mark.parametrize("who", ["editor_a", "hr_a"])
def test_audit_log_via_chooser(users, who):
    hrb = Client()
    hrb.force_login(users["hr_b"])
    assert hrb.get(f"/hr/officers/{users['officer3'].pk}/").status_code == 200
    AuditLog.objects.create(actor=users["hr_b"], action="leave", what="ปิดบัญชี officer3 (ลาออก)")
    c = Client()
    c.force_login(users[who])
    assert c.get("/admin/snippets/officers/auditlog/").status_code in (302, 403)  # listing: refused
    html = chooser_html(c, "/admin/snippets/choose/officers/auditlog/")
    leaked = [w for w in ("officer transcript", "ปิดบัญชี officer3") if w in html]
    assert not leaked


def test_bulk_delete_confirmation_lists_every_profile(users):
    c = Client()
    c.force_login(users["editor_a"])
    html = c.get("/admin/bulk/officers/officerprofile/delete/?id=all").content.decode()
    names = [n for n in ("ประเสริฐ", "อนันต์", "ปรีชา", "สมชาย") if n in html]
    assert not names


def test_bulk_delete_confirmation_lists_audit_entries(users):
    AuditLog.objects.create(actor=users["hr_b"], action="leave", what="ปิดบัญชี officer3 (ลาออก)")
    c = Client()
    c.force_login(users["editor_a"])
    resp = c.get("/admin/bulk/officers/auditlog/delete/?id=all")
    leaked = "ปิดบัญชี officer3" in resp.content.decode()
    assert not leaked


def test_administrators_keep_the_bulk_page_and_hr_sees_own_officers_in_the_chooser(users):
    admin = Client()
    admin.force_login(users["admin"])
    profile = users["officer3"].officer_profile
    page = admin.get(f"/admin/bulk/officers/officerprofile/delete/?id={profile.pk}")
    assert page.status_code == 200
    hr = Client()
    hr.force_login(users["hr_a"])
    html = chooser_html(hr, "/admin/snippets/choose/officers/officerprofile/results/")
    assert "สมชาย" in html  # officer1, agency A: HR A's own officer
