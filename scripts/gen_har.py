#!/usr/bin/env python3
"""Writes a browser-like HAR file for benchmarks and tests (scripts/bench.sh, tests/bounded.rs).
Deterministic for given arguments.

  scripts/gen_har.py SIZE_MB OUT.har        about SIZE_MB megabytes of page loads with assets,
                                            redirects to sign-in pages, 401s with Basic, Digest
                                            and Bearer challenges, a 407 now and then, and bodies
                                            of a few kilobytes
  scripts/gen_har.py --401s COUNT OUT.har   COUNT answers of 401 and nothing else (a script that
                                            retried for hours): Basic, Digest and Bearer in turn,
                                            about 500 bytes each
"""

import json
import random
import sys

CHALLENGES = [
    'Basic realm="Members area", charset="UTF-8"',
    'Digest realm="staff@example.test", qop="auth", algorithm=SHA-256, nonce="{n}", opaque="5ccc069c"',
    'Bearer realm="api", error="invalid_token", error_description="The access token expired"',
]


def header_list(pairs):
    return [{"name": name, "value": value} for name, value in pairs]


def entry(url, status, response_headers, body, request_headers=()):
    return {
        "startedDateTime": "2026-11-20T10:00:00.000Z",
        "time": 42.5,
        "request": {
            "method": "GET",
            "url": url,
            "httpVersion": "http/2.0",
            "headers": header_list(
                [(":authority", url.split("/")[2]), ("user-agent", "Mozilla/5.0 Chrome/120.0")]
                + list(request_headers)
            ),
            "queryString": [],
            "cookies": [],
            "headersSize": -1,
            "bodySize": 0,
        },
        "response": {
            "status": status,
            "statusText": "",
            "httpVersion": "http/2.0",
            "headers": header_list(response_headers),
            "cookies": [],
            "content": {"size": len(body), "mimeType": "text/html", "text": body},
            "redirectURL": dict(response_headers).get("location", ""),
            "headersSize": -1,
            "bodySize": len(body),
        },
        "serverIPAddress": "203.0.113.10",
        "cache": {},
        "timings": {"blocked": 1, "dns": -1, "connect": -1, "send": 0.1, "wait": 40, "receive": 1.4},
    }


def entries(rng):
    """An endless cycle of page visits, each a few entries."""
    fillers = [
        "".join(rng.choice("abcdefghij klmnop\n") for _ in range(rng.randint(500, 4000)))
        for _ in range(64)
    ]
    visit = 0
    while True:
        visit += 1
        host = f"site{visit % 50}.example"
        page = f"https://{host}/members/{visit}/"
        filler = fillers[visit % len(fillers)]
        yield entry(f"http://{host}/members/{visit}/", 301, [("location", page), ("server", "nginx")], "")
        kind = visit % 10
        if kind < 6:
            challenge = CHALLENGES[visit % len(CHALLENGES)].format(n=f"{visit:016x}")
            yield entry(
                page,
                401,
                [("www-authenticate", challenge), ("server", "nginx"), ("cache-control", "no-store")],
                "<html><body>401 Authorization Required</body></html>",
                [("cookie", f"sessionid=s{visit:08d}; theme=dark")],
            )
        elif kind < 7:
            yield entry(page, 407, [("proxy-authenticate", 'Basic realm="Corporate proxy"')], "")
        else:
            yield entry(page, 200, [("content-type", "text/html"), ("server", "nginx")], f"<html>{filler}</html>")
        for asset in range(3):
            yield entry(
                f"https://{host}/static/app{asset}.js",
                200,
                [("content-type", "text/javascript"), ("cache-control", "max-age=3600")],
                filler,
            )


def only_401s(count, out):
    """COUNT entries answering 401, each a few hundred bytes."""
    out.write('{"log": {"version": "1.2", "creator": {"name": "gen_har.py", "version": "1"}, "entries": [\n')
    for i in range(count):
        challenge = CHALLENGES[i % len(CHALLENGES)].format(n=f"{i:016x}")
        item = entry(
            f"https://api{i % 7}.example/v1/items/{i}",
            401,
            [("www-authenticate", challenge), ("server", "nginx"), ("content-length", "0")],
            "",
            [("authorization", "Bearer (expired)")] if i % 3 == 2 else [],
        )
        for unused in ("cache", "timings", "serverIPAddress"):
            del item[unused]
        for part in ("request", "response"):
            for unused in ("queryString", "headersSize", "bodySize", "statusText", "cookies"):
                item[part].pop(unused, None)
        item["response"]["content"] = {"size": 0, "mimeType": "text/html"}
        item["request"].pop("httpVersion")
        item["request"]["headers"] = item["request"]["headers"][1:]
        if i:
            out.write(",\n")
        out.write(json.dumps(item, separators=(",", ":")))
    out.write("\n]}}\n")


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--401s":
        with open(sys.argv[3], "w", encoding="utf-8") as out:
            only_401s(int(sys.argv[2]), out)
        return
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    target_bytes = int(float(sys.argv[1]) * 1024 * 1024)
    rng = random.Random(401)
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        out.write('{"log": {"version": "1.2", "creator": {"name": "gen_har.py", "version": "1"}, "entries": [\n')
        written = 0
        first = True
        for item in entries(rng):
            text = json.dumps(item)
            if not first:
                out.write(",\n")
            out.write(text)
            first = False
            written += len(text) + 2
            if written >= target_bytes:
                break
        out.write("\n]}}\n")


if __name__ == "__main__":
    main()
