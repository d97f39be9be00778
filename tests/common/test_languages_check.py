"""The one-language check itself (tests/languages.py)."""

from tests.languages import other_language


def test_english_page_flags_thai_interface_text_but_not_marked_content():
    html = """<html lang="en"><body><h1 lang="th">การลงลายมือชื่อดิจิทัล</h1>
    <a aria-label="เมนู" href="/">Menu</a><p>ดูคลิปครบ</p>
    <script>var x = "ไทย";</script></body></html>"""
    assert other_language(html) == ["เมนู", "ดูคลิปครบ"]


def test_thai_page_flags_twin_labels_and_keeps_english_names():
    html = """<html lang="th"><body><h2>หลักสูตรล่าสุด / Latest courses</h2>
    <p>เรียนเรื่อง Digital ID และ Open Data</p><p lang="en">Digital Government Act</p>
    </body></html>"""
    assert other_language(html) == ["หลักสูตรล่าสุด / Latest courses"]
