"""What went wrong with a source, as a code (stored) and a sentence (shown, in the reader's
language). The stored code and its detail (an HTTP status, say) are translated when shown, so
the English interface never shows an Indonesian sentence saved months ago."""
from flask_babel import lazy_gettext as _l

LABELS = {
    "timeout": _l("Timed out: the source's server did not answer in time."),
    "dns": _l("The server's address was not found (unknown domain name)."),
    "connection": _l("Could not connect to the source's server."),
    "ssl": _l("The secure connection (HTTPS) to the source's server failed: its certificate has a problem."),
    "too_large": _l("The feed is too large (over 10 MB) and was not fetched."),
    "private_address": _l("This address points into a local or private network; the hub does not fetch from "
                          "there."),
    "bad_url": _l("The feed address is not valid (it must begin with http:// or https://)."),
    "too_many_redirects": _l("Too many redirects from the source's server."),
    "gone": _l("The source was removed by its owner (410 Gone); fetching has stopped."),
    "rate_limited": _l("The source's server asked the hub to wait (too many requests)."),
    "unavailable": _l("The source's server is unavailable for now (503)."),
    "not_found": _l("No feed at this address (404)."),
    "forbidden": _l("The source's server refuses access (403)."),
    "http": _l("The source's server answered with HTTP error %(detail)s."),
    "aborted": _l("Fetching was stopped because the hub was stopping; it will be tried again."),
    "not_a_feed": _l("This address is not a feed (RSS, Atom or JSON Feed): it holds a web page or another "
                     "document."),
    "broken_feed": _l("The feed is broken and cannot be read; items already stored are safe."),
    # discovery, while someone waits for a preview
    "broken_here": _l("The feed at this address is broken and cannot be read."),
    "not_a_feed_page": _l("This address is neither a feed (RSS, Atom or JSON Feed) nor a web page that links "
                          "to one."),
    "no_feed_linked": _l("This page is not a feed, and it links to no feed."),
}


def describe(code, detail=None) -> str:
    """The sentence for an error code, in the current language (the detail itself when the code
    is unknown: errors stored before codes existed)."""
    if code is None:
        return None
    label = LABELS.get(code)
    if label is None:
        return detail or code
    return str(label) % {"detail": detail or ""}  # a sentence with no %(detail)s is left as it is
