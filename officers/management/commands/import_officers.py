"""`manage.py import_officers FILE [--apply] [--deactivate-missing] [--as USERNAME] [--json]`.

Without --apply it is a dry run that prints row-by-row errors. With --apply every row
is written in one transaction, or none when any row is wrong. --deactivate-missing
(a full file): active officers of the units the file lists who are absent from it are
deactivated and their sessions end (never beyond the importer's subtree, never staff).
"""

import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from officers.importing import ImportFileError, iter_error_lines, officers_import, read_table


class Command(BaseCommand):
    help = "Import officers from a CSV or XLSX HR file (dry run unless --apply)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--apply", action="store_true", help="write the rows")
        parser.add_argument(
            "--as",
            dest="as_user",
            default="",
            help="import with this user's scope (default: a superuser, all units)",
        )
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="a full file: deactivate officers of the listed units who are absent from it",
        )

    def handle(
        self,
        *args,
        file,
        apply,
        as_user,
        json: bool = False,
        deactivate_missing: bool = False,
        **options,
    ):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("ไม่พบไฟล์: %(file)s") % {"file": file})
        User = get_user_model()
        importer = (
            User.objects.filter(username=as_user).first()
            if as_user
            else User.objects.filter(is_superuser=True).order_by("pk").first()
        )
        if importer is None:
            raise CommandError(_("ไม่พบผู้นำเข้า (สร้างผู้ดูแลระบบสูงสุดหรือใช้ --as)"))
        try:
            rows = read_table(path.read_bytes(), path.name)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        show_bar = apply and not json
        report = officers_import(
            rows=rows,
            importer=importer,
            dry_run=not apply,
            progress=self._bar if show_bar else None,
            deactivate_missing=deactivate_missing,
        )
        if show_bar:
            self.stdout.write("")
        if json:
            self.stdout.write(_dumps(report.as_dict()))
        else:
            for line in iter_error_lines(report):
                self.stdout.write(line)
            summary = {
                "rows": report.rows,
                "created": report.created,
                "updated": report.updated,
                "errors": len(report.errors),
            }
            if report.applied:
                line = _(
                    "นำเข้าแล้ว: %(rows)s แถว ใหม่ %(created)s ปรับปรุง %(updated)s ข้อผิดพลาด %(errors)s"
                )
            else:
                line = _(
                    "ตรวจสอบ (ยังไม่บันทึก): %(rows)s แถว ใหม่ %(created)s ปรับปรุง %(updated)s "
                    "ข้อผิดพลาด %(errors)s"
                )
            self.stdout.write(line % summary)
        if report.errors:
            sys.exit(1)

    def _bar(self, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / max(total, 1))
        self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        self.stdout.flush()


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
