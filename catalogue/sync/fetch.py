"""The outbound fetch of a publisher's feed: the only part of the sync that talks to the network.

A feed URL is typed by a publisher, so it is untrusted: the fetcher refuses non-HTTP schemes,
resolves the host itself and refuses private, loopback, link-local… addresses (no requests to
the internal network on a publisher's behalf), then connects to the address it vetted rather
than resolving again (a DNS answer that changes between the check and the connection cannot
slip an internal address in). Host header, SNI and certificate checks still use the host name.

The standard library's http.client is enough for that and lets us own the socket; redirects are
followed by hand so every hop goes through the same checks. Limits: a per-operation timeout, a
wall-clock deadline for the whole fetch (a server sending one byte a second is cut off), a
maximum body size enforced while streaming.
"""

import functools
import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK_SIZE = 64 * 1024
DEFAULT_USER_AGENT = "EmploiStoreSync/1.0"

# Characters kept as they are in a request target: RFC 3986 reserved ones and "%" (the URL may
# already be percent-encoded); anything else (spaces, non-ASCII) is percent-encoded.
_SAFE_PATH = "/%:@!$&'()*+,;=~"
_SAFE_QUERY = _SAFE_PATH + "?"
# IPv6 ranges that carry an IPv4 address the network will actually reach.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


@dataclass(frozen=True)
class FetchPolicy:
    """Limits and address rules of one fetch; `from_settings()` reads settings.SYNC_FETCH."""

    timeout: float = 20.0  # seconds: each connect/read, and the whole fetch end to end
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 3
    allow_private: bool = False
    # (IP, port) pairs reachable even when not public: a known internal mirror, or a test server
    # allowed while every other private address stays forbidden.
    allowed_addresses: frozenset[tuple[str, int]] = frozenset()
    user_agent: str = DEFAULT_USER_AGENT
    # PEM bundle of the only CAs trusted for HTTPS; None: the system's trust store.
    ca_file: str | None = None

    @classmethod
    def from_settings(cls) -> "FetchPolicy":
        # Django only here: the fetcher itself is standard library, usable without settings.
        from django.conf import settings

        config = getattr(settings, "SYNC_FETCH", {})
        return cls(
            timeout=float(config.get("TIMEOUT", cls.timeout)),
            max_bytes=int(config.get("MAX_BYTES", cls.max_bytes)),
            max_redirects=int(config.get("MAX_REDIRECTS", cls.max_redirects)),
            allow_private=bool(config.get("ALLOW_PRIVATE_ADDRESSES", cls.allow_private)),
            user_agent=config.get("USER_AGENT") or cls.user_agent,
        )


@dataclass
class FetchResult:
    status: int  # 200 (or another 2xx), or 304 when not modified
    body: bytes | None  # None on 304
    etag: str  # validators to send back next time ("" when the server gave none)
    last_modified: str
    url: str  # the final URL, after redirects
    not_modified: bool
    elapsed: float  # seconds
    content_type: str = ""


class FetchError(Exception):
    """A fetch that failed, with a French message for the sync run shown in the admin.

    `retryable`: worth trying again later (network trouble, timeouts, 429, 5xx), as opposed to
    a refusal that will fail the same way until someone changes the feed or its URL.
    """

    def __init__(self, message: str, *, retryable: bool, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.status = status


def fetch_feed(
    url: str, *, etag: str = "", last_modified: str = "", policy: FetchPolicy | None = None
) -> FetchResult:
    """GET `url` within `policy`; conditional when `etag` / `last_modified` are given."""
    policy = policy or FetchPolicy.from_settings()
    started = time.monotonic()
    deadline = _Deadline(started + policy.timeout, policy.timeout)
    headers = {
        "User-Agent": policy.user_agent,
        "Accept": "application/json, application/xml, text/xml;q=0.9, */*;q=0.1",
        # Compressed bodies would need the size cap applied after decompression (gzip bombs):
        # asking for none is simpler and feeds are small.
        "Accept-Encoding": "identity",
        "Connection": "close",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified

    target = _Target.parse(url)
    visited = [target.url]
    while True:
        try:
            addresses = _resolve(target, policy)
        except FetchError as error:
            if len(visited) == 1:
                raise
            raise _after_redirect(error, target) from None
        connection = _PinnedConnection(target, addresses, deadline, policy.ca_file)
        try:
            try:
                connection.request("GET", target.request_target, headers=headers)
                response = connection.getresponse()
                if response.status in REDIRECT_STATUSES:
                    target = _next_hop(target, response, visited, policy)
                    visited.append(target.url)
                    continue
                result = _result(target, response, policy, etag, last_modified)
            except (OSError, http.client.HTTPException) as error:
                raise _network_error(error, target, deadline) from error
        finally:
            connection.close()
        result.elapsed = time.monotonic() - started
        return result


def forbidden_reason(address: str) -> str | None:
    """Why a fetch must not reach `address` (an IP literal), or None for a public address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone ("%eth0") is no part
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            reason = forbidden_reason(str(embedded))
            if reason:
                return f"{reason}, dans une adresse IPv6"
    if ip.is_loopback:
        return "adresse de bouclage"
    if ip.is_unspecified:
        return "adresse non spécifiée"
    if ip.is_link_local:
        return "adresse lien-local"
    if ip.is_multicast:
        return "adresse multicast"
    if ip.is_private:
        return "adresse privée"
    if ip.is_reserved:
        return "adresse réservée"
    if not ip.is_global:  # e.g. 100.64.0.0/10, the operators' shared address space
        return "adresse non publique"
    return None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # lower case, IDNA-encoded, IPv6 without brackets
    port: int
    request_target: str  # path and query, as sent on the request line

    @classmethod
    def parse(cls, url: str) -> "_Target":
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError:
            raise FetchError(f"URL invalide : {url!r}.", retryable=False) from None
        if parts.scheme not in DEFAULT_PORTS:
            shown = parts.scheme or "aucun"
            raise FetchError(
                f"Schéma d'URL non autorisé : « {shown} » (seuls http et https sont acceptés).",
                retryable=False,
            )
        if not parts.hostname:
            raise FetchError(f"URL invalide, sans nom d'hôte : {url!r}.", retryable=False)
        if parts.username is not None or parts.password is not None:
            raise FetchError(
                "URL refusée : les identifiants dans l'URL (utilisateur:mot de passe@) "
                "ne sont pas pris en charge.",
                retryable=False,
            )
        try:
            host = parts.hostname.encode("idna").decode("ascii")
        except UnicodeError:
            message = f"Nom d'hôte invalide : {parts.hostname!r}."
            raise FetchError(message, retryable=False) from None
        target = quote(parts.path or "/", safe=_SAFE_PATH)
        if parts.query:
            target += "?" + quote(parts.query, safe=_SAFE_QUERY)
        return cls(parts.scheme, host, port or DEFAULT_PORTS[parts.scheme], target)

    @property
    def netloc(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.netloc}{self.request_target}"


def _resolve(target: _Target, policy: FetchPolicy) -> list[tuple]:
    """The host's addresses, all vetted: one forbidden address refuses the whole host."""
    try:
        infos = socket.getaddrinfo(
            target.host, target.port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"Nom d'hôte introuvable : {target.host}.", retryable=True) from None
    allowed = {(str(ipaddress.ip_address(ip)), port) for ip, port in policy.allowed_addresses}
    addresses = []
    for family, socktype, proto, _canonname, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        ip = sockaddr[0]
        reason = forbidden_reason(ip)
        vetted = str(ipaddress.ip_address(ip.split("%", 1)[0]))
        if reason and not policy.allow_private and (vetted, target.port) not in allowed:
            raise FetchError(
                f"Adresse refusée : {target.host} correspond à {vetted} ({reason}) ; "
                "les adresses non publiques sont interdites (SYNC_ALLOW_PRIVATE_ADDRESSES).",
                retryable=False,
            )
        addresses.append((family, socktype, proto, sockaddr))
    if not addresses:
        raise FetchError(f"Nom d'hôte introuvable : {target.host}.", retryable=True)
    return addresses


@dataclass
class _Deadline:
    at: float  # time.monotonic() value
    op_timeout: float

    def next_timeout(self) -> float:
        """The socket timeout for the next operation: never beyond the deadline."""
        left = self.at - time.monotonic()
        if left <= 0:
            raise TimeoutError("deadline")
        return min(self.op_timeout, left)

    @property
    def passed(self) -> bool:
        return time.monotonic() >= self.at


class _DeadlineSocket(socket.socket):
    """A socket whose every receive and send is bounded by the fetch's deadline."""

    deadline: _Deadline

    def recv_into(self, *args, **kwargs):
        self.settimeout(self.deadline.next_timeout())
        return super().recv_into(*args, **kwargs)

    def sendall(self, *args, **kwargs):
        self.settimeout(self.deadline.next_timeout())
        return super().sendall(*args, **kwargs)


class _DeadlineSSLSocket(ssl.SSLSocket):
    """The same for TLS, handshake included (SSLSocket reads the fd itself)."""

    deadline: _Deadline

    def do_handshake(self, *args, **kwargs):
        self.settimeout(self.deadline.next_timeout())
        return super().do_handshake(*args, **kwargs)

    def recv_into(self, *args, **kwargs):
        self.settimeout(self.deadline.next_timeout())
        return super().recv_into(*args, **kwargs)

    def sendall(self, *args, **kwargs):
        self.settimeout(self.deadline.next_timeout())
        return super().sendall(*args, **kwargs)


@functools.cache
def _tls_context(ca_file: str | None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=ca_file)  # verifies the chain and the host name
    context.sslsocket_class = _DeadlineSSLSocket
    return context


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection to addresses vetted beforehand; Host and SNI keep the name."""

    def __init__(self, target: _Target, addresses: list[tuple], deadline, ca_file):
        super().__init__(target.host, target.port)
        # http.client leaves the port out of the Host header when it is the default one.
        self.default_port = DEFAULT_PORTS[target.scheme]
        self._tls = target.scheme == "https"
        self._addresses = addresses
        self._deadline = deadline
        self._ca_file = ca_file

    def connect(self):
        sock = self._open_socket()
        if self._tls:
            # Handshake after the deadline is attached, hence not on wrap.
            sock = _tls_context(self._ca_file).wrap_socket(
                sock, server_hostname=self.host, do_handshake_on_connect=False
            )
            sock.deadline = self._deadline
            try:
                sock.do_handshake()
            except BaseException:
                sock.close()
                raise
        self.sock = sock

    def _open_socket(self) -> _DeadlineSocket:
        last_error: OSError | None = None
        for family, socktype, proto, sockaddr in self._addresses:
            sock = _DeadlineSocket(family, socktype, proto)
            sock.deadline = self._deadline
            try:
                sock.settimeout(self._deadline.next_timeout())
                sock.connect(sockaddr)
                return sock
            except OSError as error:
                sock.close()
                last_error = error
                if isinstance(error, TimeoutError) and self._deadline.passed:
                    break
        raise last_error or OSError("no address")


def _next_hop(
    current: _Target, response: http.client.HTTPResponse, visited: list[str], policy: FetchPolicy
) -> _Target:
    location = (response.getheader("Location") or "").strip()
    if not location:
        raise FetchError(
            f"Redirection {response.status} sans en-tête Location.",
            retryable=False,
            status=response.status,
        )
    try:
        target = _Target.parse(urljoin(current.url, location))
    except FetchError as error:
        raise _after_redirect(error, location) from None
    if target.url in visited:
        raise FetchError(
            f"Boucle de redirection : {target.url} a déjà été visitée.",
            retryable=False,
            status=response.status,
        )
    if len(visited) > policy.max_redirects:
        raise FetchError(
            f"Trop de redirections (plus de {policy.max_redirects}).",
            retryable=False,
            status=response.status,
        )
    if current.scheme == "https" and target.scheme == "http":
        raise FetchError(
            f"Redirection de HTTPS vers HTTP refusée ({target.url}).",
            retryable=False,
            status=response.status,
        )
    return target


def _result(
    target: _Target,
    response: http.client.HTTPResponse,
    policy: FetchPolicy,
    etag: str,
    last_modified: str,
) -> FetchResult:
    status = response.status
    if status == 304:
        # A 304 need not repeat the validators: keep the ones we sent.
        return FetchResult(
            status=304,
            body=None,
            etag=response.getheader("ETag") or etag,
            last_modified=response.getheader("Last-Modified") or last_modified,
            url=target.url,
            not_modified=True,
            elapsed=0.0,
        )
    if not 200 <= status < 300:
        reason = f"{status} {response.reason}".strip()
        raise FetchError(
            f"Le serveur a répondu {reason} pour {target.url}.",
            retryable=status == 429 or status >= 500,
            status=status,
        )
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding != "identity":
        raise FetchError(
            f"Encodage de contenu non pris en charge : « {encoding} » "
            "(le flux doit être servi sans compression).",
            retryable=False,
            status=status,
        )
    return FetchResult(
        status=status,
        body=_read_body(response, policy.max_bytes),
        etag=response.getheader("ETag") or "",
        last_modified=response.getheader("Last-Modified") or "",
        url=target.url,
        not_modified=False,
        elapsed=0.0,
        content_type=response.getheader("Content-Type") or "",
    )


def _read_body(response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    """The body, streamed: never more than max_bytes + 1 bytes read from the socket."""
    declared = response.length  # Content-Length, None when chunked or absent
    if declared is not None and declared > max_bytes:
        raise FetchError(
            f"Flux trop volumineux : {_size(declared)} annoncés, la limite est "
            f"{_size(max_bytes)} (SYNC_FETCH_MAX_BYTES).",
            retryable=False,
            status=response.status,
        )
    body = bytearray()
    while chunk := response.read1(min(CHUNK_SIZE, max_bytes + 1 - len(body))):
        body += chunk
        if len(body) > max_bytes:
            raise FetchError(
                f"Flux trop volumineux : plus de {_size(max_bytes)} (SYNC_FETCH_MAX_BYTES).",
                retryable=False,
                status=response.status,
            )
    # read1() returns b"" when the server closes early, even with bytes still announced.
    if declared is not None and len(body) < declared:
        raise FetchError(
            f"Réponse tronquée : {len(body)} octets reçus sur {declared} annoncés.",
            retryable=True,
            status=response.status,
        )
    return bytes(body)


def _after_redirect(error: FetchError, target: "_Target | str") -> FetchError:
    url = target.url if isinstance(target, _Target) else target
    return FetchError(
        f"Après redirection vers {url} : {error.message}",
        retryable=error.retryable,
        status=error.status,
    )


def _network_error(error: Exception, target: _Target, deadline: _Deadline) -> FetchError:
    where = target.netloc
    if isinstance(error, TimeoutError) or deadline.passed:
        return FetchError(
            f"Délai dépassé : {where} n'a pas envoyé de réponse complète en "
            f"{deadline.op_timeout:g} s (SYNC_FETCH_TIMEOUT).",
            retryable=True,
        )
    if isinstance(error, ssl.SSLCertVerificationError):
        return FetchError(
            f"Certificat TLS refusé pour {target.host} : {error.verify_message}.",
            retryable=False,
        )
    if isinstance(error, ssl.SSLError):
        return FetchError(f"Échec de la connexion TLS avec {where} : {error}.", retryable=True)
    if isinstance(error, ConnectionRefusedError):
        return FetchError(f"Connexion refusée par {where}.", retryable=True)
    if isinstance(error, http.client.IncompleteRead | http.client.RemoteDisconnected):
        return FetchError(
            f"Connexion interrompue par {where} avant la fin de la réponse.", retryable=True
        )
    if isinstance(error, http.client.HTTPException):
        return FetchError(
            f"Réponse HTTP invalide de {where} ({type(error).__name__}).", retryable=False
        )
    detail = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return FetchError(f"Erreur réseau avec {where} : {detail}.", retryable=True)


def _size(count: int) -> str:
    for unit, name in ((1024**3, "Gio"), (1024**2, "Mio"), (1024, "Kio")):
        if count >= unit:
            return f"{count / unit:.3g} {name}".replace(".", ",")
    return f"{count} octets"
