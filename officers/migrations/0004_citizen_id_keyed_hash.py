"""Citizen IDs: keep a keyed hash (HMAC-SHA256, LMS_PID_HASH_KEY) and the last four
digits; the numbers stored so far are converted, then the raw column is dropped."""

import hashlib
import hmac

from django.conf import settings
from django.db import migrations, models


def to_hash(apps, schema_editor):
    OfficerProfile = apps.get_model("officers", "OfficerProfile")
    key = settings.LMS_PID_HASH_KEY
    key = key.encode() if isinstance(key, str) else key
    for profile in OfficerProfile.objects.exclude(citizen_id="").iterator():
        raw = profile.citizen_id.strip()
        profile.citizen_id_hash = hmac.new(key, raw.encode(), hashlib.sha256).hexdigest()
        profile.citizen_id_last4 = raw[-4:]
        profile.save(update_fields=["citizen_id_hash", "citizen_id_last4"])


class Migration(migrations.Migration):
    dependencies = [
        ("officers", "0003_import_job"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="officerprofile",
            name="uniq_officer_citizen_id",
        ),
        migrations.AddField(
            model_name="officerprofile",
            name="citizen_id_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="officerprofile",
            name="citizen_id_last4",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=4,
                verbose_name="เลขประจำตัวประชาชน (สี่หลักท้าย)",
            ),
        ),
        migrations.RunPython(to_hash, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(
            model_name="officerprofile",
            name="citizen_id",
        ),
        migrations.AddConstraint(
            model_name="officerprofile",
            constraint=models.UniqueConstraint(
                condition=models.Q(("citizen_id_hash", ""), _negated=True),
                fields=("citizen_id_hash",),
                name="uniq_officer_citizen_id",
            ),
        ),
    ]
