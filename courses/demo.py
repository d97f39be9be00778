"""Demo site structure: the Thai home page as the default site's root."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page, Site

from .models import HomePage


@transaction.atomic
def seed(stdout=None) -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        # Wagtail's initial migration leaves a "Welcome" page (slug "home") as the
        # default site's root; it has no place here.
        Page.objects.filter(depth=2, content_type__model="page").delete()
        root = Page.get_first_root_node()
        home = HomePage(
            title="เรียนรู้รัฐบาลดิจิทัล",
            slug="home",
            intro=(
                "<p>คลิปสั้นและแบบทดสอบจากหน่วยงานที่ทำสำเร็จแล้ว: ใช้ Digital ID, "
                "Open Data, ลายมือชื่อดิจิทัล และอื่น ๆ ได้ตามกฎหมายที่มีอยู่ ไม่ต้องแก้กฎหมาย</p>"
            ),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="เรียนรู้รัฐบาลดิจิทัล",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "เรียนรู้รัฐบาลดิจิทัล"
        site.save()
    if stdout:
        stdout.write("  courses: home page")
    return home
