"""moto's own port answers only this machine's programs, as the gateway's does (emulator/gateway/local-only.ts).

moto listens on 127.0.0.1 beside the gateway, so a web page could reach it directly: a form post runs an
action without reading the answer, and a page whose DNS name rebinds to 127.0.0.1 can read answers too.
A request carrying Origin, a Sec-Fetch-Site other than "none", or a Host that is not a loopback name is
refused with 403 before moto sees it. (MOTO_DISABLE_GLOBAL_CORS, set by the launcher's caller, also stops
moto from allowing every origin.) EMULATOR_MOTO_HOSTS adds host names, comma-separated, for a network of
its own such as Compose's, where the other containers call moto by its service name.
"""

import os

from moto.moto_server.werkzeug_app import DomainDispatcherApplication

_LOOPBACK_NAMES = {"127.0.0.1", "[::1]", "localhost"}
_ALLOWED_NAMES = _LOOPBACK_NAMES | {
    name.strip().lower() for name in os.environ.get("EMULATOR_MOTO_HOSTS", "").split(",") if name.strip()
}


def _is_loopback(host):
    if host.startswith("["):
        name = host[: host.find("]") + 1]
    else:
        name = host.split(":", 1)[0]
    name = name.lower()
    return name in _ALLOWED_NAMES or name.endswith(".localhost")


def _refusal(environ):
    if "HTTP_ORIGIN" in environ:
        return f"requests from web pages are refused: this one carries Origin: {environ['HTTP_ORIGIN']}"
    site = environ.get("HTTP_SEC_FETCH_SITE")
    if site is not None and site != "none":
        return f"requests from web pages are refused: this one carries Sec-Fetch-Site: {site}"
    host = environ.get("HTTP_HOST", "")
    if not _is_loopback(host):
        return f"only requests addressed to this machine are answered; Host {host or '(none)'} is refused"
    return None


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_serve = DomainDispatcherApplication.__call__


def _serve_local_only(self, environ, start_response):
    reason = _refusal(environ)
    if reason is None:
        return _serve(self, environ, start_response)
    error = f"<Error><Code>AccessDenied</Code><Message>{_escape(reason)}</Message></Error>"
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n{error}'.encode()
    start_response("403 Forbidden", [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))])
    return [body]


DomainDispatcherApplication.__call__ = _serve_local_only
