"""Tests for bot.core.feeds.html: feed markup to plain text, plain text to Telegram HTML."""

from __future__ import annotations

import pytest

from bot.core.feeds.html import escape, strip_html
from bot.core.interface.formatting import AlertContent, render_alert


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        ("plain   text\n\twith  spaces ", "plain text with spaces"),
        ("<p>Clashes <b>near</b> Idlib</p>", "Clashes near Idlib"),
        ("<p>one</p><p>two</p>", "one two"),
        ("line<br>break<br/>again", "line break again"),
        ("Tom &amp; Jerry &lt;3 &quot;x&quot; &#39;y&#39; &#x41;", "Tom & Jerry <3 \"x\" 'y' A"),
        ("a&nbsp;b\u00a0c", "a b c"),
        ("<script>alert('x')</script>visible<style>p{color:red}</style>", "visible"),
        ("<SCRIPT type='text/javascript'>var a = '<b>';</SCRIPT>ok", "ok"),
        ("before<!-- a comment -->after", "beforeafter"),
        ("<![CDATA[hidden]]>shown", "shown"),
        ("a < b and c > d", "a < b and c > d"),
        ("1<2", "1<2"),
        ("<div><span>unclosed <i>tags", "unclosed tags"),
        ("<a href='x' broken", ""),
        ("Read more <a href=\"https://e.example/a", "Read more"),
        ("<img src=x onerror=alert(1)>caption", "caption"),
        ("إدلب <b>M4</b> الطريق", "إدلب M4 الطريق"),
        ("ctrl\x00chars\x1fhere\x7f", "ctrl chars here"),
        ("&lt;b&gt;escaped markup&lt;/b&gt;", "<b>escaped markup</b>"),
    ],
)
def test_strip_html(raw: str, expected: str) -> None:
    assert strip_html(raw) == expected


def test_strip_html_unclosed_script_hides_the_rest() -> None:
    assert strip_html("news<script>document.write('x')") == "news"


def test_strip_html_never_raises_on_garbage() -> None:
    garbage = "<<<>>></p></div>&#xZZZ;&#99999999999;<!-->" * 50 + "<" * 1000
    assert isinstance(strip_html(garbage), str)


def test_escape_telegram_html() -> None:
    expected = "&lt;b&gt;Tom &amp; &quot;Jerry&quot; &#x27;x&#x27;&lt;/b&gt;"
    assert escape("<b>Tom & \"Jerry\" 'x'</b>") == expected


def test_escape_leaves_other_text_alone() -> None:
    assert escape("إدلب M4 Идлиб İdlib") == "إدلب M4 Идлиб İdlib"


def test_strip_then_escape_round_trip() -> None:
    assert escape(strip_html("<p>A &lt;tag&gt; &amp; more</p>")) == "A &lt;tag&gt; &amp; more"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('<a href="https://e.example/?a=1&amp;b=2" title="Aleppo > Idlib">Saraqib</a>', "Saraqib"),
        ('<img alt="Idlib" title="M4"> <abbr title="Syria">SY</abbr>', "SY"),
        ("<p style='display:none'>shown anyway</p>", "shown anyway"),
        ("<style>@import url(x.css); .m4{}</style><noscript>enable js</noscript>text", "text"),
        ("<template><b>later</b></template><iframe src=x>fallback</iframe>seen", "seen"),
        ("<object data=x><param name=a>alt</object>after", "after"),
        ("<script>if (a < b && c > d) { x('</p>') }</script>done", "done"),
        ("&amp;lt;script&amp;gt;", "&lt;script&gt;"),  # decoded once, never twice
        ("&#x627;&#x62f;&#1604;&#1576; &eacute;&Ccedil;", "ادلب éÇ"),
        ("&unknown; &amp", "&unknown; &"),
        ("<b\nclass=x>multi\nline</b>", "multi line"),
        ("<P>Upper</P><BR/>Case", "Upper Case"),
    ],
)
def test_strip_html_attributes_hidden_elements_and_entities(raw: str, expected: str) -> None:
    assert strip_html(raw) == expected


def test_rendered_alert_escapes_whatever_the_feed_sent() -> None:
    hostile = strip_html("&lt;b&gt;Idlib&lt;/b&gt; <i>&amp;</i> &quot;M4&quot; <script>x</script>")
    assert hostile == '<b>Idlib</b> & "M4"'
    alert = render_alert(AlertContent(source="Feed <x>", lang="en", title=hostile, summary="a < b",
                                      link="https://e.example/a?x=1&y=2", keyword="Shelling", quotes=(),
                                      target="en"))
    assert "<b>Idlib</b>" not in alert and "&lt;b&gt;Idlib&lt;/b&gt; &amp; &quot;M4&quot;" in alert
    assert "Feed &lt;x&gt;" in alert and "a &lt; b" in alert
    assert "<script" not in alert
