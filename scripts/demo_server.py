#!/usr/bin/env python3
"""A tiny loopback server for screenshots and manual tries: /members/ answers 401 with a Basic
challenge (alice / secret works), /old redirects there, /api answers a Bearer invalid_token."""
import base64
import http.server
import sys

GOOD = "Basic " + base64.b64encode(b"alice:secret").decode()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the stdlib's name)
        if self.path == "/old":
            self.send_response(301)
            self.send_header("Location", "/members/")
            self.end_headers()
            return
        if self.path.startswith("/api"):
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Bearer realm="api", error="invalid_token", error_description="The access token expired"')
            self.end_headers()
            return
        if self.headers.get("Authorization") == GOOD:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<h1>Members</h1>")
            return
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="Members area", charset="UTF-8"')
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<h1>401 Unauthorized</h1>")

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
