"""A small Flask app signed in with Flask-HTTPAuth, as its documentation shows.

/digest/ needs HTTP Digest (user fritz). Flask-HTTPAuth keeps the nonce and opaque value it sent in
Flask's session cookie, set on the 401: a client must send that cookie back with its answer.
/token/ needs a Bearer token.

Usage: python3 app.py PORT
"""

import sys

from flask import Flask
from flask_httpauth import HTTPDigestAuth, HTTPTokenAuth

app = Flask(__name__)
app.secret_key = "authdoctor-test-only-secret"

digest = HTTPDigestAuth(realm="AuthDoctor Flask")
token = HTTPTokenAuth(scheme="Bearer", realm="AuthDoctor Flask API")

USERS = {"fritz": "flask-digest-pass"}
TOKENS = {"flask-token-1234567890": "fritz"}


@digest.get_password
def password_of(user):
    return USERS.get(user)


@token.verify_token
def user_of(value):
    return TOKENS.get(value)


@app.route("/digest/")
@digest.login_required
def digest_page():
    return f"Hello, {digest.current_user()}!\n"


@app.route("/token/")
@token.login_required
def token_page():
    return {"user": token.current_user()}


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(sys.argv[1]), threaded=True)
