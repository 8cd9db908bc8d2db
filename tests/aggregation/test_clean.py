"""The refresh cleans each entry's HTML once and derives its text from the clean output
(hub.aggregation.clean.clean_text): that text must be what cleaning the fragment a second time
(plain_text) gives, on every corpus feed, the benchmark's feeds and the awkward cases."""
import sys
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub import ROOT
from hub.aggregation.clean import clean_text, plain_text, sanitize
from hub.aggregation.parse import BrokenFeed, NotAFeed, parse
from tests.conftest import CORPUS

AWKWARD = ['a<b>b</b>c', '<img alt="a>b" src=x>t', 'x &amp;lt; y', '<p>a</p>\n<p>b</p>', '<script>x</script>y',
           'a <!-- c --> b', '<a href="/q?a=1&b=2">l</a>', '<div title=">">z</div>', "<div title='>'>z</div>",
           'plain & simple', '&nbsp;x', '<br/>a<br>b', '<![CDATA[x]]>y', '<<>>', 'a < b > c', '<p>é&eacute;</p>',
           '<textarea>t</textarea>u', '<style>p{}</style>v', '<svg><text>s</text></svg>w', '&#60;tag&#62;',
           '<a title="&quot;>&quot;">q</a>', '<table><tr><td>1</td><td>2</td></tr></table>', '   ', '',
           '<p>\u00a0</p>', '<img src="a.jpg">', '<ul><li>a<li>b</ul>', '<b>unclosed', 'text only']


def fragments():
    found = [(f, "https://example.org/") for f in AWKWARD]
    for path in sorted(p for p in (CORPUS / "feeds").rglob("*") if p.is_file()):
        try:
            feed = parse(path.read_bytes(), "https://example.org/feed", "")
        except (NotAFeed, BrokenFeed):
            continue
        for entry in feed.entries:
            found += [(f, entry.base or "https://example.org/feed") for f in (entry.summary, entry.content) if f]
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from refresh import make_feed
    finally:
        sys.path.remove(str(ROOT / "bench"))
    base = datetime(2026, 11, 1, tzinfo=timezone.utc) - timedelta(days=1)
    for n in range(30):
        for entry in parse(make_feed(n, 20, base).encode(), "http://127.0.0.1/feed", "").entries:
            found.append((entry.summary or entry.content, entry.base or "http://127.0.0.1/feed"))
    return found


def test_the_text_of_the_clean_html_is_the_text_of_the_fragment():
    cases = fragments()
    assert len(cases) > 1000  # the corpus and the bench feeds were read
    differ = [(fragment, plain_text(fragment), clean_text(sanitize(fragment, base))) for fragment, base in cases
              if plain_text(fragment) != clean_text(sanitize(fragment, base))]
    assert differ == []


@pytest.mark.parametrize("fragment", AWKWARD)
def test_awkward_fragments(fragment):
    assert clean_text(sanitize(fragment, "https://example.org/")) == plain_text(fragment)


def test_squeezing_whitespace_is_the_regex_on_every_code_point():
    import re

    from hub.aggregation.clean import _squeeze
    space = re.compile(r"\s+")
    assert [c for c in range(sys.maxunicode + 1) if (space.fullmatch(chr(c)) is not None) != chr(c).isspace()] == []
    sample = " a \x1c b\xa0c\u2028d\t\n e \u200b f \u3000 "
    assert _squeeze(sample) == space.sub(" ", sample).strip()


def _sanitize_built_per_call(fragment, base_url):
    """sanitize() as it was before the sanitizer was built once: nh3.clean with the options."""
    from urllib.parse import urljoin, urlsplit

    import nh3

    from hub.aggregation import clean

    def attribute_filter(tag, attribute, value):
        if attribute in clean.URL_ATTRIBUTES:
            value = value.strip()
            if not value:
                return None
            absolute = urljoin(base_url, value) if base_url else value
            return absolute if urlsplit(absolute).scheme.lower() in clean.SCHEMES else None
        if attribute in ("width", "height") and not value.isdigit():
            return None
        return value
    if not fragment:
        return ""
    return nh3.clean(fragment, tags=clean.TAGS, clean_content_tags=clean.DROP_WITH_CONTENT,
                     attributes=clean.ATTRIBUTES, attribute_filter=attribute_filter, url_schemes=clean.SCHEMES,
                     link_rel="noopener noreferrer nofollow ugc", strip_comments=True,
                     ).strip().replace("<img ", clean._LAZY_IMG)


def test_the_sanitizer_built_once_cleans_as_one_built_per_call():
    cases = fragments() + [(f, None) for f in AWKWARD] + [('<a href="/x">x</a><img src="y.png">', None)]
    differ = [(f, b) for f, b in cases if sanitize(f, b) != _sanitize_built_per_call(f, b)]
    assert differ == []
    assert sanitize('<a href="/x">x</a>', "https://example.org/a/") == (
        '<a href="https://example.org/x" rel="noopener noreferrer nofollow ugc">x</a>')


def test_threads_sanitizing_at_once_keep_their_own_base():
    from concurrent.futures import ThreadPoolExecutor
    fragment = "".join(f'<p><a href="/berita/{i}">b</a><img src="foto/{i}.jpg"></p>' for i in range(200))

    def run(n):
        base = f"https://sumber{n}.example.id/feed/"
        return n, sanitize(fragment, base)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(run, range(64)))
    for n, out in results:
        assert out.count(f"https://sumber{n}.example.id/") == 400
        assert out.count("https://sumber") == 400
    assert sanitize('<a href="/x">x</a>') == '<a rel="noopener noreferrer nofollow ugc">x</a>'  # no base left behind


URL_BASES = ["http://127.0.0.1:8080/feed.xml", "https://example.org/a/b/feed?x=1", "https://Example.ORG",
             "http://user@host:81/dir/", "https://example.org/a;p/b", "ftp://example.org/feed", "", "feed.xml",
             "http://[::1]/x", "https://münchen.example/", "HTTPS://example.org/a/"]
URL_EXAMPLES = ["/berita/1", "/foto/1.jpg", "/a/./b", "/a/../b", "/a//b", "//cdn.example.org/x.png", "/a?", "/a#",
                "/a?#", "/a;p", "/a?q=1#f", "/.", "/..", "/a/.", "/", "https://sumber1.example.id/berita/1",
                "http://x.example/a?", "http://x.example/a;b", "https://x.example", "https://x.example/a//b/../c",
                "http://[::1]:80/", "http://[bad/", "HTTP://x.example/", "https://münchen.example/", "mailto:a@b.c",
                "javascript:alert(1)", "a/b", "../a", "?q", "#f", " /a", "/a b", "/a\tb", "http://x.example/\n",
                "https://x.example/a%20b?x=1&y=2", "/a/b:c@d", "http://x.example:8080/p?q#f", "/%2e%2e/a"]


def test_join_url_is_urljoin_on_the_usual_and_awkward_addresses():
    from urllib.parse import urljoin

    from hub.aggregation.clean import _join

    def join_url(b, u):
        return _join(b, u)[0]
    differ = [(b, u) for b in URL_BASES for u in URL_EXAMPLES if _join_or_error(join_url, b, u) !=
              _join_or_error(urljoin, b, u)]
    assert differ == []


def _join_or_error(join, base, url):
    try:
        return join(base, url)
    except ValueError as exc:
        return ("ValueError", str(exc))


@settings(max_examples=3000, deadline=None)
@given(base=st.sampled_from(URL_BASES),
       url=st.one_of(
           st.text(alphabet="/.?#;:@%!$&'()*+,=-_~abAB09 \t[]\\é", max_size=24).map(lambda t: "/" + t),
           st.text(alphabet="/.?#;:@%!$&'()*+,=-_~abAB09 \t[]\\é", max_size=24).map(
               lambda t: "https://x.example" + t),
           st.text(alphabet="/.?#;:@%!$&'()*+,=-_~abAB09 \t[]\\é", max_size=24).map(lambda t: "http://" + t),
           st.text(max_size=20)))
def test_join_url_is_urljoin_on_generated_addresses(base, url):
    from urllib.parse import urljoin, urlsplit

    from hub.aggregation.clean import _join, _web_scheme
    joined = _join_or_error(lambda b, u: _join(b, u)[0], base, url)
    assert joined == _join_or_error(urljoin, base, url)

    def before(b, u):  # what the sanitizer and absolute_url did before _join
        absolute = urljoin(b, u) if b else u
        return absolute, urlsplit(absolute).scheme.lower()
    assert _join_or_error(_web_scheme, base, url) == _join_or_error(before, base, url)
