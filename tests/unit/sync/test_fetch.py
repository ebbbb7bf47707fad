"""catalogue.sync.fetch against real HTTP servers on 127.0.0.1 (ephemeral ports, nothing else).

Host names other than 127.0.0.1 are answered by a fake resolver, so no test ever queries DNS or
reaches a non-loopback address.
"""

import shutil
import socket
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from catalogue.sync import fetch
from catalogue.sync.fetch import FetchError, FetchPolicy, fetch_feed, forbidden_reason
from tests.loopback import Listener

# Loopback allowed, and short limits so that every test stays well under two seconds.
POLICY = FetchPolicy(timeout=1.0, max_bytes=64 * 1024, max_redirects=3, allow_private=True)
FEED = b'{"apps": [{"id": "la-bonne-boite", "name": "La Bonne Boite"}]}'


class FeedServer:
    """A threaded HTTP(S) server whose routes (path -> function(handler)) each test sets."""

    def __init__(self, tls_context: ssl.SSLContext | None = None):
        self.routes = {}
        self.requests = []  # (path, headers) of every request received
        self.sni = []  # server names sent by TLS clients
        self.stop = threading.Event()
        self.client_gone = threading.Event()  # a streaming route could not write any more
        self.finished = threading.Event()  # a dripping route sent everything
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.feed_server = self
        self.scheme = "http"
        if tls_context is not None:
            tls_context.sni_callback = lambda _sock, name, _context: self.sni.append(name)
            self.httpd.socket = tls_context.wrap_socket(self.httpd.socket, server_side=True)
            self.scheme = "https"
        self.port = self.httpd.server_address[1]
        # A short poll interval: shutdown() waits for it, at every test's teardown.
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def close(self):
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        server = self.server.feed_server
        server.requests.append((self.path, dict(self.headers)))
        route = server.routes.get(self.path)
        if route is None:
            respond(self, 404, b"introuvable")
        else:
            route(self)

    def log_message(self, *args):
        pass


def respond(handler, status, body=b"", headers=None):
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def redirect(location, status=302):
    return lambda handler: respond(handler, status, headers={"Location": location})


def stream_forever(handler, *, chunked):
    """Sends 64 KiB blocks until the client hangs up (bounded, in case it never does)."""
    server = handler.server.feed_server
    block = b"x" * 65536
    try:
        for _ in range(4096):
            if server.stop.is_set():
                return
            if chunked:
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))
            else:
                handler.wfile.write(block)
    except OSError:
        server.client_gone.set()
    handler.close_connection = True


def drip(handler, data: bytes, interval=0.2):
    """Writes `data` one byte at a time, `interval` seconds apart."""
    server = handler.server.feed_server
    try:
        for byte in data:
            if server.stop.wait(interval):
                return
            handler.wfile.write(bytes([byte]))
    except OSError:
        server.client_gone.set()
        return
    server.finished.set()


@pytest.fixture
def server():
    feed_server = FeedServer()
    yield feed_server
    feed_server.close()


@pytest.fixture
def listener():
    bare = Listener()
    yield bare
    bare.sock.close()


@pytest.fixture
def resolver(monkeypatch):
    """Fake DNS: `resolver.answers[host] = [ip, ...]`; calls are counted per host."""

    class Resolver:
        answers: dict[str, list[list[str]]] = {}
        calls: dict[str, int] = {}

    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in Resolver.answers:
            if host == "127.0.0.1":
                return real(host, port, *args, **kwargs)
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        Resolver.calls[host] = Resolver.calls.get(host, 0) + 1
        # Each call consumes the next answer (the last one repeats): DNS rebinding.
        answers = Resolver.answers[host]
        ips = answers.pop(0) if len(answers) > 1 else answers[0]
        return [
            (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (ip, port)) for ip in ips
        ]

    monkeypatch.setattr(fetch.socket, "getaddrinfo", getaddrinfo)
    return Resolver


def test_fetches_the_body_and_its_validators(server):
    server.routes["/feed.json"] = lambda h: respond(
        h,
        200,
        FEED,
        {"ETag": '"v1"', "Last-Modified": "Mon, 03 Nov 2025 10:00:00 GMT", "Content-Type": "a/j"},
    )
    result = fetch_feed(server.url("/feed.json"), policy=POLICY)
    assert result.status == 200
    assert result.body == FEED
    assert not result.not_modified
    assert (result.etag, result.last_modified) == ('"v1"', "Mon, 03 Nov 2025 10:00:00 GMT")
    assert result.content_type == "a/j"
    assert result.url == server.url("/feed.json")
    assert result.elapsed > 0
    (_path, headers), *_ = server.requests
    assert headers["User-Agent"] == POLICY.user_agent
    assert headers["Accept-Encoding"] == "identity"
    assert headers["Host"] == f"127.0.0.1:{server.port}"
    assert "If-None-Match" not in headers and "If-Modified-Since" not in headers


def test_conditional_get_with_an_etag_is_not_modified(server):
    def feed(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            respond(handler, 304, headers={"ETag": '"v1"'})
        else:
            respond(handler, 200, FEED, {"ETag": '"v1"'})

    server.routes["/"] = feed
    first = fetch_feed(server.url(), policy=POLICY)
    second = fetch_feed(server.url(), etag=first.etag, policy=POLICY)
    assert (second.status, second.not_modified, second.body) == (304, True, None)
    assert second.etag == '"v1"'
    assert server.requests[1][1]["If-None-Match"] == '"v1"'


def test_conditional_get_with_last_modified_keeps_the_validator_sent(server):
    stamp = "Mon, 03 Nov 2025 10:00:00 GMT"

    def feed(handler):
        if handler.headers.get("If-Modified-Since") == stamp:
            respond(handler, 304)  # no Last-Modified repeated: the one sent stays valid
        else:
            respond(handler, 200, FEED, {"Last-Modified": stamp})

    server.routes["/"] = feed
    result = fetch_feed(server.url(), last_modified=stamp, policy=POLICY)
    assert result.not_modified and result.body is None
    assert (result.last_modified, result.etag) == (stamp, "")
    assert server.requests[0][1]["If-Modified-Since"] == stamp


def test_a_body_exactly_at_the_cap_is_accepted(server):
    body = b"a" * POLICY.max_bytes
    server.routes["/"] = lambda h: respond(h, 200, body)
    assert fetch_feed(server.url(), policy=POLICY).body == body


def test_an_announced_size_over_the_cap_is_refused_before_reading(server):
    def huge(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", str(1024**3))
        handler.end_headers()
        stream_forever(handler, chunked=False)

    server.routes["/"] = huge
    with pytest.raises(FetchError, match="trop volumineux : 1 Gio annoncés") as caught:
        fetch_feed(server.url(), policy=POLICY)
    assert not caught.value.retryable
    # The client hung up while the server still had most of the gigabyte to send.
    assert server.client_gone.wait(2)


def test_a_streamed_body_over_the_cap_is_cut_off(server):
    def endless(handler):
        handler.send_response(200)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        stream_forever(handler, chunked=True)

    server.routes["/"] = endless
    with pytest.raises(FetchError, match="trop volumineux") as caught:
        fetch_feed(server.url(), policy=POLICY)
    assert not caught.value.retryable
    assert server.client_gone.wait(2)


def test_a_dripping_body_is_cut_off_by_the_total_deadline(server):
    def slow(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "50")
        handler.end_headers()
        drip(handler, b"x" * 50)  # 10 s in all, each byte well within the 1 s read timeout

    server.routes["/"] = slow
    with pytest.raises(FetchError, match="Délai dépassé") as caught:
        fetch_feed(server.url(), policy=POLICY)
    assert caught.value.retryable
    assert not server.finished.is_set()


def test_dripping_headers_are_cut_off_too(server):
    def slow(handler):
        drip(handler, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        handler.close_connection = True

    server.routes["/"] = slow
    with pytest.raises(FetchError, match="Délai dépassé"):
        fetch_feed(server.url(), policy=POLICY)
    assert not server.finished.is_set()


def test_a_truncated_body_is_retryable(server):
    def short(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "100")
        handler.end_headers()
        handler.wfile.write(b"0123456789")
        handler.close_connection = True

    server.routes["/"] = short
    with pytest.raises(FetchError, match=r"tronquée|interrompue") as caught:
        fetch_feed(server.url(), policy=POLICY)
    assert caught.value.retryable


def test_a_compressed_body_is_refused(server):
    server.routes["/"] = lambda h: respond(h, 200, b"\x1f\x8b", {"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="gzip") as caught:
        fetch_feed(server.url(), policy=POLICY)
    assert not caught.value.retryable


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirects_are_followed_to_the_final_url(server, status):
    server.routes["/old"] = redirect("/new?page=1", status)
    server.routes["/new?page=1"] = lambda h: respond(h, 200, FEED)
    result = fetch_feed(server.url("/old"), policy=POLICY)
    assert result.body == FEED
    assert result.url == server.url("/new?page=1")


def test_a_redirect_loop_is_refused(server):
    server.routes["/a"] = redirect("/b")
    server.routes["/b"] = redirect(server.url("/a"))
    with pytest.raises(FetchError, match="Boucle de redirection") as caught:
        fetch_feed(server.url("/a"), policy=POLICY)
    assert not caught.value.retryable
    assert len(server.requests) == 2


@pytest.mark.parametrize(("hops", "allowed"), [(2, True), (3, False)])
def test_redirects_beyond_the_maximum_are_refused(server, hops, allowed):
    for hop in range(hops):
        server.routes[f"/hop/{hop}"] = redirect(f"/hop/{hop + 1}")
    server.routes[f"/hop/{hops}"] = lambda h: respond(h, 200, FEED)
    policy = FetchPolicy(timeout=1.0, max_redirects=2, allow_private=True)
    if allowed:
        assert fetch_feed(server.url("/hop/0"), policy=policy).body == FEED
    else:
        with pytest.raises(FetchError, match="Trop de redirections"):
            fetch_feed(server.url("/hop/0"), policy=policy)
        assert len(server.requests) == 3


def test_a_redirect_without_location_is_an_error(server):
    server.routes["/"] = lambda h: respond(h, 302)
    with pytest.raises(FetchError, match="Location") as caught:
        fetch_feed(server.url(), policy=POLICY)
    assert caught.value.status == 302


def test_a_private_address_is_refused_before_any_connection(listener):
    policy = FetchPolicy(timeout=1.0, allow_private=False)
    with pytest.raises(FetchError, match=r"Adresse refusée.*bouclage") as caught:
        fetch_feed(f"http://127.0.0.1:{listener.port}/feed.json", policy=policy)
    assert not caught.value.retryable
    assert listener.connections() == 0


def test_a_redirect_to_a_forbidden_address_never_connects(server, listener):
    # The first server is explicitly allowed; the redirect target is the same loopback IP on
    # another port, which stays forbidden like any private address.
    policy = FetchPolicy(
        timeout=1.0, allow_private=False, allowed_addresses=frozenset({("127.0.0.1", server.port)})
    )
    server.routes["/"] = redirect(f"http://127.0.0.1:{listener.port}/admin")
    with pytest.raises(FetchError, match=r"Après redirection.*Adresse refusée") as caught:
        fetch_feed(server.url(), policy=policy)
    assert not caught.value.retryable
    assert len(server.requests) == 1
    assert listener.connections() == 0


def test_one_forbidden_address_among_the_answers_refuses_the_host(resolver, listener):
    resolver.answers["feed.test"] = [["127.0.0.1", "10.0.0.1"]]
    policy = FetchPolicy(
        timeout=1.0,
        allow_private=False,
        allowed_addresses=frozenset({("127.0.0.1", listener.port)}),
    )
    with pytest.raises(FetchError, match=r"10\.0\.0\.1 \(adresse privée\)"):
        fetch_feed(f"http://feed.test:{listener.port}/", policy=policy)
    assert listener.connections() == 0


def test_connects_to_the_vetted_address_and_keeps_the_host_name(resolver, server):
    # Resolved once: a second answer (a rebinding to an internal address) is never asked for.
    resolver.answers["feed.test"] = [["127.0.0.1"], ["10.0.0.1"]]
    server.routes["/feed.json"] = lambda h: respond(h, 200, FEED)
    result = fetch_feed(server.url("/feed.json", host="feed.test"), policy=POLICY)
    assert result.body == FEED
    assert resolver.calls == {"feed.test": 1}
    assert server.requests[0][1]["Host"] == f"feed.test:{server.port}"


def test_an_unknown_host_is_retryable(resolver):
    with pytest.raises(FetchError, match="introuvable") as caught:
        fetch_feed("https://absent.test/feed.json", policy=POLICY)
    assert caught.value.retryable


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "ftp://ftp.example.org/feed.json",
        "gopher://example.org/",
        "data:application/json,{}",
        "//example.org/feed.json",
        "http:///feed.json",
        "http://user:secret@example.org/feed.json",
        "http://example.org:99999/",
    ],
)
def test_other_urls_are_refused_without_resolving(monkeypatch, url):
    def no_dns(*args, **kwargs):
        raise AssertionError("resolved")

    monkeypatch.setattr(fetch.socket, "getaddrinfo", no_dns)
    with pytest.raises(FetchError) as caught:
        fetch_feed(url, policy=POLICY)
    assert not caught.value.retryable


def test_a_redirect_to_another_scheme_is_refused(server):
    server.routes["/"] = redirect("file:///etc/passwd")
    with pytest.raises(FetchError, match=r"Après redirection.*Schéma") as caught:
        fetch_feed(server.url(), policy=POLICY)
    assert not caught.value.retryable


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_server_errors_and_throttling_are_retryable(server, status):
    server.routes["/"] = lambda h: respond(h, status, b"oops")
    with pytest.raises(FetchError, match=str(status)) as caught:
        fetch_feed(server.url(), policy=POLICY)
    assert caught.value.retryable
    assert caught.value.status == status


@pytest.mark.parametrize("status", [400, 403, 404, 410])
def test_client_errors_are_not_retryable(server, status):
    server.routes["/"] = lambda h: respond(h, status)
    with pytest.raises(FetchError, match=str(status)) as caught:
        fetch_feed(server.url(), policy=POLICY)
    assert not caught.value.retryable
    assert caught.value.status == status


def test_a_refused_connection_is_retryable():
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # bound, not listening: connections are refused
        port = closed.getsockname()[1]
        with pytest.raises(FetchError, match="Connexion refusée") as caught:
            fetch_feed(f"http://127.0.0.1:{port}/", policy=POLICY)
    assert caught.value.retryable
    assert caught.value.status is None


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 (an address to classify, not to bind)
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fe80::1%eth0",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "2002:a00:1::",  # 6to4 around 10.0.0.1
        "64:ff9b::a00:1",  # NAT64 around 10.0.0.1
    ],
)
def test_non_public_addresses_are_forbidden(address):
    assert forbidden_reason(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "2001:4860:4860::8888"])
def test_public_addresses_are_allowed(address):
    assert forbidden_reason(address) is None


def test_the_default_policy_comes_from_the_settings(settings):
    settings.SYNC_FETCH = {
        "TIMEOUT": 7,
        "MAX_BYTES": 1000,
        "MAX_REDIRECTS": 1,
        "ALLOW_PRIVATE_ADDRESSES": False,
        "USER_AGENT": "EmploiStoreSync/1.0 (+https://store.example)",
    }
    assert FetchPolicy.from_settings() == FetchPolicy(
        timeout=7.0,
        max_bytes=1000,
        max_redirects=1,
        allow_private=False,
        user_agent="EmploiStoreSync/1.0 (+https://store.example)",
    )


def test_the_test_profile_allows_loopback_by_default(server):
    server.routes["/"] = lambda h: respond(h, 200, FEED)
    assert fetch_feed(server.url()).body == FEED


# HTTPS: a throwaway CA and a certificate for feed.test, made with the openssl command.


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make test certificates")
    folder = tmp_path_factory.mktemp("tls")

    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)  # noqa: S603, S607

    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=Emploi Store test CA")  # fmt: skip
    openssl("req", *ec, "-keyout", "feed.key", "-out", "feed.csr", "-subj", "/CN=feed.test")
    (folder / "feed.ext").write_text(
        "basicConstraints=CA:FALSE\nsubjectAltName=DNS:feed.test\n"
        "keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n"
        "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n"
    )
    openssl("x509", "-req", "-in", "feed.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "feed.pem", "-days", "2",
            "-extfile", "feed.ext")  # fmt: skip
    return folder


@pytest.fixture
def tls_server(certificates):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificates / "feed.pem", certificates / "feed.key")
    feed_server = FeedServer(tls_context=context)
    yield feed_server
    feed_server.close()


def tls_policy(certificates, **options):
    return FetchPolicy(
        timeout=1.0, allow_private=True, ca_file=str(certificates / "ca.pem"), **options
    )


def test_https_connects_to_the_vetted_address_with_the_host_name(
    resolver, tls_server, certificates
):
    resolver.answers["feed.test"] = [["127.0.0.1"]]
    tls_server.routes["/feed.json"] = lambda h: respond(h, 200, FEED)
    result = fetch_feed(
        tls_server.url("/feed.json", host="feed.test"), policy=tls_policy(certificates)
    )
    assert result.body == FEED
    assert tls_server.sni == ["feed.test"]
    assert tls_server.requests[0][1]["Host"] == f"feed.test:{tls_server.port}"


def test_https_refuses_a_certificate_for_another_name(resolver, tls_server, certificates):
    resolver.answers["other.test"] = [["127.0.0.1"]]
    with pytest.raises(FetchError, match="Certificat TLS refusé") as caught:
        fetch_feed(tls_server.url(host="other.test"), policy=tls_policy(certificates))
    assert not caught.value.retryable
    assert tls_server.requests == []


def test_https_never_redirects_to_http(resolver, tls_server, certificates, server):
    resolver.answers["feed.test"] = [["127.0.0.1"]]
    tls_server.routes["/"] = redirect(server.url())
    with pytest.raises(FetchError, match="HTTPS vers HTTP"):
        fetch_feed(tls_server.url(host="feed.test"), policy=tls_policy(certificates))
    assert server.requests == []


def test_time_limits_hold_over_tls_too(resolver, tls_server, certificates):
    resolver.answers["feed.test"] = [["127.0.0.1"]]

    def slow(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "50")
        handler.end_headers()
        drip(handler, b"x" * 50)

    tls_server.routes["/"] = slow
    with pytest.raises(FetchError, match="Délai dépassé"):
        fetch_feed(tls_server.url(host="feed.test"), policy=tls_policy(certificates))
    assert not tls_server.finished.is_set()
