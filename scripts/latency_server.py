#!/usr/bin/env python3
"""A loopback web server for scripts/bench.sh: answers every request 401 with a Basic challenge
after sleeping a fixed latency, and counts the requests. With --redirects N, /hop/K answers a
redirect to /hop/K+1 (after the same latency) until K reaches N, then the 401: a slow chain.

GET /__count answers the number of requests so far (not counted itself); GET /__reset sets it
to 0. It prints "listening PORT" once ready and stops by itself after --max-seconds.
"""

import argparse
import http.server
import sys
import threading
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument("--latency-ms", type=float, default=100.0, help="delay before each answer")
    parser.add_argument("--redirects", type=int, default=0, help="length of the /hop/ chain")
    parser.add_argument("--max-seconds", type=float, default=600.0, help="stop after this long")
    args = parser.parse_args()

    lock = threading.Lock()
    count = [0]
    latency_secs = args.latency_ms / 1000.0

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out as two writes; with Nagle's algorithm on, a reused keep-alive
        # connection would wait ~40 ms for the client's delayed ACK, which no real server does.
        disable_nagle_algorithm = True

        def _answer(self, status: int, body: bytes, headers: dict) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            if self.path == "/__count":
                with lock:
                    n = count[0]
                self._answer(200, f"{n}\n".encode(), {"Content-Type": "text/plain"})
                return
            if self.path == "/__reset":
                with lock:
                    count[0] = 0
                self._answer(200, b"0\n", {"Content-Type": "text/plain"})
                return
            with lock:
                count[0] += 1
            time.sleep(latency_secs)
            if self.path.startswith("/hop/"):
                try:
                    hop = int(self.path[len("/hop/"):].strip("/") or "0")
                except ValueError:
                    hop = args.redirects
                if hop < args.redirects:
                    self._answer(302, b"", {"Location": f"/hop/{hop + 1}"})
                    return
            self._answer(
                401,
                b"<html><body>Please sign in.</body></html>",
                {
                    "WWW-Authenticate": 'Basic realm="Bench area", charset="UTF-8"',
                    "Content-Type": "text/html; charset=utf-8",
                    "Server": "latency_server.py",
                },
            )

        do_HEAD = do_GET

        def log_message(self, *_args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"listening {server.server_address[1]}", flush=True)
    stopper = threading.Timer(args.max_seconds, server.shutdown)
    stopper.daemon = True
    stopper.start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    server.server_close()
    sys.exit(0)


if __name__ == "__main__":
    main()
