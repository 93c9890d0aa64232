"""extract_html on small news pages written for these tests."""

from __future__ import annotations

import pytest

from accord.errors import InputError
from accord.ingest.html import HtmlArticle, extract_html, is_teaser, is_timestamp, outlet_from_url

BODY = [
    "The city council of Northbridge voted on Tuesday to close the old harbour bridge "
    "to cars from next spring, after engineers found cracks in two of its supports.",
    "Mayor Ana Ferreira said the decision was painful but necessary. \"We cannot ask "
    "people to drive over a bridge that our own engineers no longer trust,\" she said.",
    "Buses and bicycles will still be allowed to cross while the council looks for the "
    "money to repair the structure, which was opened in 1931.",
    "Shop owners on the north bank said they feared losing customers during the works, "
    "which the council expects to last at least two years.",
]


def news_page(*, head: str = "", before: str = "", after: str = "", lang: str = "en") -> str:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in BODY)
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>Council closes harbour bridge to cars | Northbridge Gazette</title>
{head}
</head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Council closes harbour bridge to cars</h1>
{before}
{paragraphs}
{after}
</article>
<footer><p>Copyright 2025 Northbridge Gazette. All rights reserved.</p></footer>
</body>
</html>"""


META = """
<meta property="og:site_name" content="Northbridge Gazette">
<meta property="og:title" content="Council closes harbour bridge to cars">
<meta property="og:url" content="https://www.northbridge-gazette.example/news/bridge-closure">
<meta name="author" content="Maria Lopes">
<meta property="article:published_time" content="2025-03-04T09:30:00+00:00">
<meta property="article:modified_time" content="2025-03-06T17:00:00+00:00">
"""


def test_body_is_the_paragraphs_without_headline_or_boilerplate() -> None:
    article = extract_html(news_page(head=META), source="bridge.html")
    assert isinstance(article, HtmlArticle)
    assert article.text == "\n\n".join(BODY)


def test_metadata() -> None:
    article = extract_html(news_page(head=META), source="bridge.html")
    assert article.title == "Council closes harbour bridge to cars"
    assert article.authors == ["Maria Lopes"]
    assert article.published == "2025-03-04"  # the original date, not the update
    assert article.outlet == "Northbridge Gazette"
    assert article.language == "en"
    assert article.url == "https://www.northbridge-gazette.example/news/bridge-closure"


def test_metadata_from_json_ld() -> None:
    json_ld = """<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Council closes harbour bridge to cars",
 "datePublished": "2025-03-04T09:30:00Z", "dateModified": "2025-03-05T10:00:00Z",
 "author": [{"@type": "Person", "name": "Maria Lopes"}, {"@type": "Person", "name": "Tom Okafor"}],
 "publisher": {"@type": "Organization", "name": "Northbridge Gazette"}}
</script>"""
    article = extract_html(news_page(head=json_ld), source="bridge.html")
    assert article.authors == ["Maria Lopes", "Tom Okafor"]
    assert article.published == "2025-03-04"
    assert article.outlet == "Northbridge Gazette"


def test_outlet_and_url_fall_back_to_the_given_url() -> None:
    article = extract_html(news_page(), source="bridge.html", url="https://www.gazette.example/a/1")
    assert article.url == "https://www.gazette.example/a/1"
    assert article.outlet in {"gazette.example", "Gazette"}


def test_language_from_html_lang() -> None:
    article = extract_html(news_page(lang="pt-BR"), source="bridge.html")
    assert article.language == "pt-BR"


def test_missing_metadata_is_none() -> None:
    page = news_page().replace('<html lang="en">', "<html>")
    article = extract_html(page, source="bridge.html")
    assert article.authors == []
    assert article.language is None
    assert article.url is None


def test_script_and_style_do_not_leak_into_the_text() -> None:
    junk = """<script>var adSlot = "SCRIPT-LEAK"; window.dataLayer.push({'event': 'pageview'});</script>
<style>.ad-slot { content: "STYLE-LEAK"; }</style>
<noscript>NOSCRIPT-LEAK please enable JavaScript</noscript>"""
    article = extract_html(news_page(before=junk, after=junk), source="bridge.html")
    for leak in ("SCRIPT-LEAK", "STYLE-LEAK", "dataLayer", "NOSCRIPT-LEAK"):
        assert leak not in article.text
    assert article.text == "\n\n".join(BODY)


def test_comments_are_not_body() -> None:
    comments = """<section id="comments" class="comments"><h3>Comments</h3>
<div class="comment"><p>COMMENT-LEAK This is outrageous, the bridge has been fine for ninety years and the council is wasting our money.</p></div>
</section>"""
    article = extract_html(news_page(after=comments), source="bridge.html")
    assert "COMMENT-LEAK" not in article.text


def test_broken_html_still_yields_the_article() -> None:
    # unclosed tags, a stray closing tag, no </body> or </html>
    page = (
        "<html><head><title>Council closes harbour bridge to cars</title><body><div class='article-body'>"
        + "".join(f"<p>{p}" for p in BODY)
        + "</span><p><b>unclosed bold"
    )
    article = extract_html(page, source="broken.html")
    for paragraph in BODY:
        assert paragraph in article.text


def test_page_without_article_raises_input_error() -> None:
    page = """<html><head><title>Login</title></head><body>
<nav><a href="/">Home</a> <a href="/login">Log in</a></nav>
<form><input name="user"><input type="password" name="pw"><button>Sign in</button></form>
</body></html>"""
    with pytest.raises(InputError) as caught:
        extract_html(page, source="login.html")
    assert caught.value.source == "login.html"
    assert "no article text" in caught.value.reason


@pytest.mark.parametrize("html", ["", "   \n", "not html at all"])
def test_empty_or_non_html_input_raises_input_error(html: str) -> None:
    with pytest.raises(InputError) as caught:
        extract_html(html, source="x.html")
    assert caught.value.source == "x.html"
    assert "\n" not in caught.value.reason


def test_outlet_from_url() -> None:
    assert outlet_from_url("https://www.example.co.uk/a/b") == "example.co.uk"
    assert outlet_from_url("http://news.example.com") == "news.example.com"
    assert outlet_from_url(None) is None


def test_body_cut_into_several_containers_is_read_whole() -> None:
    # the page closes the body container around an ad and opens another like it
    first, second = BODY[:2], BODY[2:]
    page = news_page().replace(
        "\n".join(f"<p>{p}</p>" for p in BODY),
        '<div class="article-body">' + "".join(f"<p>{p}</p>" for p in first) + "</div>"
        '<div class="ad-slot"><p>Advertisement</p></div>'
        '<div class="article-body">' + "".join(f"<p>{p}</p>" for p in second) + "</div>",
    )
    article = extract_html(page, source="split.html")
    for paragraph in BODY:
        assert paragraph in article.text


def test_embedded_tweet_is_kept_as_a_quotation() -> None:
    tweet = """<div class="social-media-embed"><blockquote class="twitter-tweet">
<p lang="en">TWEET-TEXT The bridge has been our way to work for forty years, and now it is gone.</p>
&mdash; Harbour Residents (@harbour_res) <a href="https://twitter.com/x/status/1">March 4, 2025</a>
</blockquote></div>"""
    page = news_page().replace(f"<p>{BODY[2]}</p>", f"<p>{BODY[2]}</p>{tweet}")
    article = extract_html(page, source="tweet.html")
    assert "TWEET-TEXT The bridge has been our way to work" in article.text


def test_teaser_links_and_trailing_related_list_are_dropped() -> None:
    teaser = '<p><a href="/news/other">READ MORE: MAYOR UNVEILS NEW PARKING PLAN</a></p>'
    related = """<h3>More from Northbridge</h3><ul>
<li><a href="/a">Storm closes the ferry for a second day</a></li>
<li><a href="/b">School board approves the new budget</a></li>
<li><a href="/c">Harbour festival returns in June</a></li></ul>"""
    page = news_page(after=related).replace(f"<p>{BODY[1]}</p>", f"<p>{BODY[1]}</p>{teaser}")
    article = extract_html(page, source="teasers.html")
    assert article.text == "\n\n".join(BODY)


def test_teaser_is_a_short_headline_not_a_sentence() -> None:
    assert is_teaser("READ MORE: MAYOR UNVEILS NEW PARKING PLAN")
    assert is_teaser("Get Fox Business on the go by clicking here")
    # a deals page links whole sentences of the article
    assert not is_teaser("The price of the controller has dropped to its lowest level this year.")
    assert not is_teaser(" ".join(["word"] * 30))


def test_page_address_alone_on_a_line_is_not_body() -> None:
    address = "https://www.northbridge-gazette.example/news/bridge-closure"
    page = news_page(head=META, before=f"<p>{address}</p>")
    article = extract_html(page, source="bridge.html")
    assert address not in article.text
    assert article.text == "\n\n".join(BODY)


def test_copyright_year_is_not_a_publication_date() -> None:
    # the footer says "Copyright 2025"; the page gives no date of its own
    article = extract_html(news_page(), source="bridge.html")
    assert article.published is None


def test_date_from_the_text_of_a_page_without_date_metadata() -> None:
    byline = "<p class='byline'>Published March 4, 2025</p>"
    article = extract_html(news_page(before=byline), source="bridge.html")
    assert article.published == "2025-03-04"


def test_undecodable_bytes_do_not_lose_the_article() -> None:
    # bytes read with errors="surrogateescape" leave lone surrogates in the text
    page = news_page().replace(f"<p>{BODY[0]}</p>", f"<p>{BODY[0]} \udce9</p>")
    article = extract_html(page, source="latin1.html")
    assert BODY[1] in article.text


def test_time_stamp_lines_are_not_body() -> None:
    stamp = "<p>Updated at 1:23 p.m.</p>"
    page = news_page(before="<p>March 4, 2025</p>", after=stamp)
    article = extract_html(page, source="stamped.html")
    assert article.text == "\n\n".join(BODY)


@pytest.mark.parametrize(
    ("line", "stamp"),
    [
        ("October 12, 2017", True),
        ("UPDATED: Tue., Nov. 19, 2019", True),
        ("November 19, 2019 / 12:21 AM / Updated 14 hours ago", True),
        ("10 p.m.", False),  # a time alone can be a line of a schedule
        ("29 November 2018 | 20 January 2019", False),  # so can two dates
        ("The meeting was on Monday.", False),
    ],
)
def test_is_timestamp(line: str, stamp: bool) -> None:
    assert is_timestamp(line) is stamp
