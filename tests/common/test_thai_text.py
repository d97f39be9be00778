"""thai_wbr: word-break opportunities between Thai words only, never inside a word,
with the text escaped (it is shown in titles editors and HR files write)."""

from common.templatetags.thai_text import thai_wbr


def test_breaks_fall_between_thai_words_never_inside_one():
    out = str(thai_wbr("จบทุกบทเรียน"))
    assert out.replace("<wbr>", "") == "จบทุกบทเรียน"
    assert "<wbr>" in out
    assert "บ<wbr>เรียน" not in out and "บท<wbr>เรียน" not in out  # บทเรียน stays whole


def test_text_is_escaped_and_latin_words_get_no_breaks():
    out = str(thai_wbr('<script>alert("x")</script> Digital ID บัตรประชาชน'))
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "Digital ID" in out
    assert str(thai_wbr("Open Data")) == "Open Data"
    assert str(thai_wbr(None)) == ""
