"""articles.fetching against a real server on 127.0.0.1: what comes back, and every limit it enforces."""

from __future__ import annotations

import gzip
import ipaddress
import re
import ssl
import threading
import tracemalloc
import zlib
from http.server import BaseHTTPRequestHandler

import httpx
import pytest

from articles import fetching
from articles.fetching import INTERNAL_ADDRESS_MESSAGE, USER_AGENT, FetchError, fetch, is_public_address
from tests.local_server import (
    ATOM_FEED,
    JSON_FEED,
    METADATA_PAGE,
    NEWS_PAGE,
    RSS_FEED,
    Behaviour,
    FakeDns,
    LocalServer,
    Reply,
    TlsServer,
    endless,
    redirect,
    trickle,
    with_etag,
)


def test_news_page_arrives_whole_with_its_type_charset_and_our_user_agent(local_server: LocalServer) -> None:
    url = local_server.route("/news", Reply(NEWS_PAGE))

    fetched = fetch(url, allow_private=True)

    assert (fetched.url, fetched.status, fetched.body) == (url, 200, NEWS_PAGE)
    assert (fetched.content_type, fetched.encoding, fetched.kind) == ("text/html", "utf-8", "page")
    assert fetched.not_modified is False
    assert local_server.requests[0].headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("newsreader/") and USER_AGENT.endswith(" (+self-hosted reader)")


def test_redirects_are_followed_and_the_final_address_reported(local_server: LocalServer) -> None:
    local_server.route("/short", redirect("/moved", status=301))
    local_server.route("/moved", redirect(local_server.url("/2025/06/council-budget"), status=307))
    final_url = local_server.route("/2025/06/council-budget", Reply(METADATA_PAGE))

    fetched = fetch(local_server.url("/short#comments"), allow_private=True)

    assert fetched.url == final_url
    assert fetched.body == METADATA_PAGE
    assert b'<link rel="canonical" href="https://planet.example/2025/06/council-budget">' in fetched.body
    assert b'<meta property="og:site_name" content="The Daily Planet">' in fetched.body
    assert local_server.paths_requested == ["/short", "/moved", "/2025/06/council-budget"]


@pytest.mark.parametrize(
    ("path", "body", "content_type"),
    [
        ("/feed.rss", RSS_FEED, "application/rss+xml; charset=utf-8"),
        ("/feed.atom", ATOM_FEED, "application/atom+xml"),
        ("/feed.json", JSON_FEED, "application/feed+json"),
        ("/feed.xml", RSS_FEED, "text/xml"),
        ("/feed-json-as-json", JSON_FEED, "application/json"),
    ],
)
def test_feeds_of_every_kind_are_accepted_as_feeds(
    local_server: LocalServer, path: str, body: bytes, content_type: str
) -> None:
    url = local_server.route(path, Reply(body, content_type=content_type))

    fetched = fetch(url, kinds=("feed",), allow_private=True)

    assert (fetched.body, fetched.kind, fetched.content_type) == (body, "feed", content_type.split(";")[0])
    assert local_server.requests[0].headers["accept"].startswith("application/rss+xml, application/atom+xml")


def test_a_feed_without_a_content_type_is_recognised_by_its_first_bytes(local_server: LocalServer) -> None:
    url = local_server.route("/unlabelled", Reply(RSS_FEED, content_type=""))

    fetched = fetch(url, allow_private=True)

    assert (fetched.kind, fetched.content_type, fetched.body) == ("feed", "", RSS_FEED)


def test_a_text_file_that_is_neither_page_nor_feed_is_refused(local_server: LocalServer) -> None:
    url = local_server.route("/notes.txt", Reply(b"just some notes\n", content_type="text/plain"))

    with pytest.raises(FetchError, match=r"^That address does not give a web page or a feed\.$"):
        fetch(url, allow_private=True)


def test_a_web_page_is_refused_where_only_a_feed_will_do(local_server: LocalServer) -> None:
    url = local_server.route("/news", Reply(NEWS_PAGE))

    with pytest.raises(FetchError, match=r"^That address gives a web page \(text/html\), not a feed\.$"):
        fetch(url, kinds=("feed",), allow_private=True)


def test_a_pdf_is_refused_by_its_content_type(local_server: LocalServer) -> None:
    url = local_server.route("/report.pdf", Reply(b"%PDF-1.7 ...", content_type="application/pdf"))

    with pytest.raises(FetchError) as refused:
        fetch(url, allow_private=True)

    assert str(refused.value) == "That address gives a PDF (application/pdf), not a web page or a feed."


def test_conditional_get_sends_the_validators_and_reports_304_as_not_modified(
    local_server: LocalServer,
) -> None:
    url = local_server.route(
        "/feed.rss", with_etag('"v7"', Reply(RSS_FEED, content_type="application/rss+xml"))
    )
    first = fetch(url, kinds=("feed",), allow_private=True)

    second = fetch(
        url,
        kinds=("feed",),
        etag=first.etag,
        last_modified="Wed, 11 Jun 2025 08:30:00 GMT",
        allow_private=True,
    )

    assert (first.etag, first.not_modified, first.body) == ('"v7"', False, RSS_FEED)
    assert (second.status, second.not_modified, second.body, second.etag) == (304, True, b"", '"v7"')
    assert second.last_modified == "Wed, 11 Jun 2025 08:30:00 GMT"
    assert local_server.requests[1].headers["if-none-match"] == '"v7"'
    assert local_server.requests[1].headers["if-modified-since"] == "Wed, 11 Jun 2025 08:30:00 GMT"
    assert "if-none-match" not in local_server.requests[0].headers


def test_a_missing_page_is_reported_with_its_status(local_server: LocalServer) -> None:
    with pytest.raises(FetchError, match=r"^The server answered 404 Not Found\.$"):
        fetch(local_server.url("/2025/06/gone"), allow_private=True)


def test_a_server_error_is_reported_with_its_status(local_server: LocalServer) -> None:
    url = local_server.route("/broken", Reply(b"oops", status=503))

    with pytest.raises(FetchError, match=r"^The server answered 503 Service Unavailable\.$"):
        fetch(url, allow_private=True)


def _held(until: threading.Event, reply: Reply) -> Behaviour:
    """Answers only once the test is over: a fetch still waiting for it when it gives up was cut off."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        until.wait(HANG)
        reply(handler)

    return answer


HANG = 60  # seconds after which a fetch that should have been cut off counts as hanging


@pytest.mark.parametrize("stall", ["no-answer-yet", "one-byte-at-a-time"])
def test_the_whole_fetch_is_cut_at_the_timeout_however_the_server_stalls(
    local_server: LocalServer, stall: str
) -> None:
    # The silent server answers only after the fetch is over, and the trickling one never stops but never waits
    # long between bytes, so only a deadline for the whole fetch ends either; without one the fetch hangs.
    over = threading.Event()
    behaviour = _held(over, Reply(NEWS_PAGE)) if stall == "no-answer-yet" else trickle(interval=0.05)
    url = local_server.route("/stalling", behaviour)
    outcome: list[BaseException | None] = []

    def fetch_it() -> None:
        try:
            fetch(url, allow_private=True, timeout=0.8)
            outcome.append(None)
        except BaseException as error:  # asserted below
            outcome.append(error)

    fetching_thread = threading.Thread(target=fetch_it, daemon=True)
    fetching_thread.start()
    fetching_thread.join(HANG)
    over.set()
    assert not fetching_thread.is_alive(), "the fetch was never cut off"
    assert isinstance(outcome[0], FetchError)
    assert str(outcome[0]) == "The server took too long to answer (over 0.8 s)."


def test_an_endless_body_is_stopped_at_the_size_limit(local_server: LocalServer) -> None:
    url = local_server.route("/endless", endless())

    with pytest.raises(FetchError, match=r"^The page is larger than the 64 KB limit\.$"):
        fetch(url, allow_private=True, max_bytes=64 * 1024, timeout=5)


def test_the_default_size_limit_is_5_mb(local_server: LocalServer) -> None:
    url = local_server.route("/endless.xml", endless(content_type="application/rss+xml"))

    with pytest.raises(FetchError, match=r"^The feed is larger than the 5 MB limit\.$"):
        fetch(url, allow_private=True, timeout=5)


def test_a_declared_length_over_the_limit_is_refused_before_any_body_is_read(
    local_server: LocalServer,
) -> None:
    def announce_a_huge_page(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(50 * 1024 * 1024))
        handler.end_headers()
        refused.wait(HANG)  # no body until the fetch is over: one that waited for it would time out instead

    refused = threading.Event()
    url = local_server.route("/huge", announce_a_huge_page)
    try:
        with pytest.raises(FetchError, match=r"^The page is larger than the 5 MB limit\.$"):
            fetch(url, allow_private=True, timeout=30)
    finally:
        refused.set()


def test_a_compressed_bomb_is_stopped_at_the_limit_counted_after_decompression(
    local_server: LocalServer,
) -> None:
    bomb = gzip.compress(b"<p>" + b"a" * (20 * 1024 * 1024))
    url = local_server.route("/bomb", Reply(bomb, headers=(("Content-Encoding", "gzip"),)))

    with pytest.raises(FetchError, match=r"^The page is larger than the 5 MB limit\.$"):
        fetch(url, allow_private=True)

    assert len(bomb) < 100 * 1024


def _gzip_of_zeros(megabytes: int) -> bytes:
    """A gzip stream of `megabytes` MB of zeros, made a megabyte at a time (never held unpacked)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    zeros = bytes(1024 * 1024)
    return b"".join(packer.compress(zeros) for _ in range(megabytes)) + packer.flush()


def test_a_bomb_compressed_twice_is_stopped_without_unpacking_it_whole(local_server: LocalServer) -> None:
    # 1,000 MB of zeros gzipped twice is under 2 KB; httpx alone unpacked every layer of a read at once.
    bomb = gzip.compress(_gzip_of_zeros(1000))
    url = local_server.route(
        "/bomb2", Reply(bomb, content_type="text/html", headers=(("Content-Encoding", "gzip, gzip"),))
    )
    assert len(bomb) < 4096

    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match=r"^The page is larger than the 5 MB limit\.$"):
            fetch(url, allow_private=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40 * 1024 * 1024, f"{peak / 1024 / 1024:.0f} MB held while unpacking"


def test_a_page_compressed_in_layers_within_the_limit_is_unpacked_layer_by_layer(
    local_server: LocalServer,
) -> None:
    deflated = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)  # "deflate" as many servers send it: raw
    layered = gzip.compress(deflated.compress(NEWS_PAGE) + deflated.flush())
    url = local_server.route("/layers", Reply(layered, headers=(("Content-Encoding", "deflate, gzip"),)))

    fetched = fetch(url, allow_private=True)

    assert fetched.body == NEWS_PAGE
    assert local_server.requests[-1].headers["accept-encoding"] == "gzip, deflate"


def test_an_encoding_newsreader_did_not_ask_for_is_refused_in_plain_words(local_server: LocalServer) -> None:
    url = local_server.route("/br", Reply(b"\x1b\x00\x00", headers=(("Content-Encoding", "br"),)))

    with pytest.raises(
        FetchError, match=r"^The server sent a compressed answer \(br\) newsreader cannot unpack\.$"
    ):
        fetch(url, allow_private=True)


def test_a_redirect_loop_stops_after_five_redirects(local_server: LocalServer) -> None:
    url = local_server.route("/loop", redirect("/loop"))

    with pytest.raises(FetchError, match=r"^Too many redirects \(more than 5\)\.$"):
        fetch(url, allow_private=True)

    assert local_server.paths_requested == ["/loop"] * 6


def test_five_redirects_are_still_followed(local_server: LocalServer) -> None:
    for hop in range(5):
        local_server.route(f"/hop{hop}", redirect(f"/hop{hop + 1}"))
    final_url = local_server.route("/hop5", Reply(NEWS_PAGE))

    assert fetch(local_server.url("/hop0"), allow_private=True).url == final_url


def test_the_guard_is_on_by_default_and_no_request_reaches_an_internal_server(
    local_server: LocalServer,
) -> None:
    url = local_server.route("/news", Reply(NEWS_PAGE))

    with pytest.raises(FetchError) as refused:
        fetch(url)

    assert str(refused.value) == INTERNAL_ADDRESS_MESSAGE
    assert (
        str(refused.value)
        == "That address points inside this server's own network, which newsreader does not fetch."
    )
    assert local_server.requests == []


def test_the_setting_allows_internal_addresses_for_tests_and_intranets(
    local_server: LocalServer, settings
) -> None:
    settings.NEWSREADER_FETCH_ALLOW_PRIVATE = True
    url = local_server.route("/news", Reply(NEWS_PAGE))

    assert fetch(url).body == NEWS_PAGE


def test_the_timeout_and_size_settings_are_read(local_server: LocalServer, settings) -> None:
    settings.NEWSREADER_FETCH_ALLOW_PRIVATE = True
    settings.NEWSREADER_FETCH_MAX_BYTES = 100
    settings.NEWSREADER_FETCH_TIMEOUT = 0.5

    with pytest.raises(FetchError, match=r"^The page is larger than the 100 bytes limit\.$"):
        fetch(local_server.route("/news", Reply(NEWS_PAGE)))
    over = threading.Event()
    try:
        with pytest.raises(FetchError, match=r"over 0\.5 s"):
            fetch(local_server.route("/slow", _held(over, Reply(NEWS_PAGE))))
    finally:
        over.set()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/news",
        "http://127.1:{port}/news",
        "http://2130706433:{port}/news",
        "http://[::1]:{port}/news",
        "http://[::ffff:127.0.0.1]:{port}/news",
        "http://0.0.0.0:{port}/news",
        "http://[::]:{port}/news",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
    ],
)
def test_internal_addresses_are_refused_before_connecting(local_server: LocalServer, url: str) -> None:
    with pytest.raises(FetchError, match=f"^{re.escape(INTERNAL_ADDRESS_MESSAGE)}$"):
        fetch(url.format(port=local_server.port), timeout=1)

    assert local_server.requests == []


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.2:{port}/admin",
        "http://[::1]:{port}/admin",
        "http://10.0.0.1/admin",
        "http://0.0.0.0:{port}/admin",
    ],
)
def test_a_redirect_to_an_internal_address_is_refused(
    local_server: LocalServer, pretend_public: set[str], target: str
) -> None:
    pretend_public.add("127.0.0.1")  # the test server plays a public site that redirects inwards
    url = local_server.route("/article", redirect(target.format(port=local_server.port)))

    with pytest.raises(FetchError, match=f"^{re.escape(INTERNAL_ADDRESS_MESSAGE)}$"):
        fetch(url, timeout=1)

    assert local_server.paths_requested == ["/article"]


def test_a_redirect_to_another_scheme_is_refused(local_server: LocalServer) -> None:
    url = local_server.route("/article", redirect("file:///etc/passwd"))

    with pytest.raises(
        FetchError, match=r"^Only http:// and https:// addresses can be fetched, not file: ones\.$"
    ):
        fetch(url, allow_private=True)


def test_a_name_with_any_internal_address_among_public_ones_is_refused(fake_dns: FakeDns) -> None:
    fake_dns.answer("mixed.test", ["93.184.216.34", "10.0.0.5"])

    with pytest.raises(FetchError, match=r"^No server called mixed\.test could be found on the public"):
        fetch("http://mixed.test/news")


def test_a_name_inside_the_network_and_a_name_that_does_not_exist_get_the_same_answer(
    local_server: LocalServer, fake_dns: FakeDns
) -> None:
    """Else the answer would tell which names resolve inside this server's network (a DNS probe)."""
    fake_dns.answer("inside.test", ["10.0.0.5"])
    fake_dns.answer("nowhere.test", [])
    answers = []
    loopback = local_server.url("/").replace("127.0.0.1", "localhost")
    for url in ("http://inside.test/", "http://nowhere.test/", loopback):
        with pytest.raises(FetchError) as refused:
            fetch(url, timeout=1)
        answers.append(str(refused.value).replace(httpx.URL(url).host, "NAME"))
    assert (
        answers
        == [
            "No server called NAME could be found on the public internet (newsreader does not fetch addresses "
            "inside its own network)."
        ]
        * 3
    )
    assert local_server.requests == []


def test_the_connection_goes_to_the_address_that_was_checked(
    local_server: LocalServer, fake_dns: FakeDns
) -> None:
    # A rebinding name: the first answer is the test server, every later one an address nothing listens on.
    fake_dns.answer("rebind.test", ["127.0.0.1"], ["10.255.255.1"])
    local_server.route("/news", Reply(NEWS_PAGE))

    fetched = fetch(f"http://rebind.test:{local_server.port}/news", allow_private=True, timeout=2)

    assert fetched.body == NEWS_PAGE
    assert fetched.url == f"http://rebind.test:{local_server.port}/news"
    assert fake_dns.lookups.count("rebind.test") == 1
    assert local_server.requests[0].headers["host"] == f"rebind.test:{local_server.port}"


def test_a_name_rebinding_to_loopback_after_the_check_never_reaches_it(
    local_server: LocalServer, fake_dns: FakeDns, pretend_public: set[str]
) -> None:
    pretend_public.add("203.0.113.7")  # plays a public address; nothing answers there
    fake_dns.answer("rebind.test", ["203.0.113.7"], ["127.0.0.1"])
    local_server.route("/admin", Reply(b"secret"))

    with pytest.raises(
        FetchError, match=r"^(Could not connect to rebind\.test\.|The server took too long .*)$"
    ):
        fetch(f"http://rebind.test:{local_server.port}/admin", timeout=1)

    assert local_server.requests == []
    assert fake_dns.lookups.count("rebind.test") == 1


def test_https_connects_to_the_pinned_address_and_checks_the_certificate_by_name(
    tls_server: TlsServer, fake_dns: FakeDns, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        fetching.network, "tls_context", lambda: ssl.create_default_context(cafile=tls_server.certificate)
    )
    fake_dns.answer("news.test", ["127.0.0.1"])
    fake_dns.answer("other.test", ["127.0.0.1"])
    tls_server.server.route("/news", Reply(NEWS_PAGE))

    fetched = fetch(tls_server.url("/news"), allow_private=True, timeout=5)

    assert (fetched.url, fetched.body) == (tls_server.url("/news"), NEWS_PAGE)
    assert tls_server.server.requests[0].headers["host"] == f"news.test:{tls_server.server.port}"
    with pytest.raises(
        FetchError, match=r"^other\.test did not show a valid certificate for a secure connection\.$"
    ):
        fetch(f"https://other.test:{tls_server.server.port}/news", allow_private=True, timeout=5)
    assert tls_server.server.paths_requested == ["/news"]


def test_an_unknown_name_is_reported_plainly(fake_dns: FakeDns) -> None:
    fake_dns.answer("nowhere.test", [])

    with pytest.raises(FetchError, match=r"^No server called nowhere\.test could be found\.$"):
        fetch("https://nowhere.test/news", allow_private=True)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/feed.xml", "Only http:// and https:// addresses can be fetched, not ftp: ones."),
        ("javascript:alert(1)", "Only http:// and https:// addresses can be fetched, not javascript: ones."),
        ("example.com/news", "That address does not start with http:// or https://."),
        (
            "http://reader:secret@example.com/",
            "Addresses with a user name or password in them are not fetched.",
        ),
        ("http:///news", "That address has no server name in it."),
        ("http://example.com:99999/", "That address has an impossible port number (99999)."),
    ],
)
def test_addresses_newsreader_does_not_fetch_are_refused_in_plain_words(
    fake_dns: FakeDns, url: str, message: str
) -> None:
    with pytest.raises(FetchError) as refused:
        fetch(url)

    assert str(refused.value) == message
    assert fake_dns.lookups == []


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1::1", True),
        ("64:ff9b::5db8:d822", True),  # NAT64 of 93.184.216.34
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.0.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("255.255.255.255", False),
        ("224.0.1.1", False),
        ("::", False),
        ("::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:169.254.169.254", False),
        ("64:ff9b::7f00:1", False),  # NAT64 of 127.0.0.1
        ("2002:7f00:1::", False),  # 6to4 of 127.0.0.1
        ("fe80::1", False),
        ("fc00::1", False),
        ("fec0::1", False),
        ("ff0e::1", False),
    ],
)
def test_which_addresses_count_as_public(address: str, public: bool) -> None:
    assert is_public_address(ipaddress.ip_address(address)) is public


@pytest.mark.parametrize(
    "url",
    ["http://xn--a.example.com/", "https://xn--zz.news.example.org/feed", "http://xn--ls8h.example.com/"],
)
def test_a_server_name_that_is_no_valid_idna_name_is_refused_in_plain_words(url: str) -> None:
    with pytest.raises(FetchError, match=r"not a valid international \(IDNA\) name"):
        fetch(url, allow_private=True)
