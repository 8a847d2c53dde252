"""A small FastAPI API checking JWTs with PyJWT, the way its tutorials do, and a token minter.

GET /api/me needs a Bearer JWT signed with HS256 by a key named in its `kid` header, for the audience
`authdoctor-api`, from the issuer `https://login.authdoctor.test/`. A refused token gets a 401 whose
WWW-Authenticate says why (RFC 6750: error="invalid_token", error_description=PyJWT's message).
GET /api/admin also needs the scope `admin`: without it, a 403 with error="insufficient_scope".

Usage: python3 app.py serve PORT
       python3 app.py token [--kid K] [--aud A] [--iss I] [--expires-in SECONDS] [--scope S]
"""

import argparse
import time

import jwt

AUDIENCE = "authdoctor-api"
ISSUER = "https://login.authdoctor.test/"
KEYS = {"k1": "authdoctor-test-only-signing-key-k1"}
# A key the API does not know (rotated away): tokens signed with it name a `kid` the API cannot find.
RETIRED_KEYS = {"k0": "authdoctor-test-only-signing-key-k0"}


def quoted(text):
    """An RFC 9110 quoted-string: backslash and double quote escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def challenge(error=None, description=None, scope=None):
    parts = ['Bearer realm="authdoctor-api"']
    if error:
        parts.append(f'error="{error}"')
    if description:
        parts.append(f"error_description={quoted(description)}")
    if scope:
        parts.append(f'scope="{scope}"')
    return ", ".join(parts)


def serve(port):
    import uvicorn
    from fastapi import Depends, FastAPI, HTTPException
    from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

    app = FastAPI()
    bearer = HTTPBearer(auto_error=False)

    def claims(credentials: HTTPAuthorizationCredentials | None = Depends(bearer)):
        if credentials is None:
            raise HTTPException(
                401, "Not authenticated", headers={"WWW-Authenticate": challenge()}
            )
        try:
            kid = jwt.get_unverified_header(credentials.credentials).get("kid")
            key = KEYS.get(kid)
            if key is None:
                raise jwt.InvalidKeyError(f'Unable to find a signing key that matches: "{kid}"')
            return jwt.decode(
                credentials.credentials,
                key,
                algorithms=["HS256"],
                audience=AUDIENCE,
                issuer=ISSUER,
            )
        except jwt.PyJWTError as error:
            raise HTTPException(
                401,
                str(error),
                headers={"WWW-Authenticate": challenge("invalid_token", str(error))},
            ) from error

    @app.get("/api/me")
    def me(token: dict = Depends(claims)):
        return {"sub": token["sub"]}

    @app.get("/api/admin")
    def admin(token: dict = Depends(claims)):
        if "admin" not in token.get("scope", "").split():
            raise HTTPException(
                403,
                "The token lacks the scope admin",
                headers={
                    "WWW-Authenticate": challenge(
                        "insufficient_scope", "The request requires the admin scope", "admin"
                    )
                },
            )
        return {"sub": token["sub"], "admin": True}

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="info")


def token(args):
    now = int(time.time())
    claims = {
        "sub": "frieda",
        "aud": args.aud,
        "iss": args.iss,
        "iat": now,
        "exp": now + args.expires_in,
        "scope": args.scope,
    }
    key = {**KEYS, **RETIRED_KEYS}[args.kid]
    print(jwt.encode(claims, key, algorithm="HS256", headers={"kid": args.kid}))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve")
    serve_parser.add_argument("port", type=int)
    token_parser = commands.add_parser("token")
    token_parser.add_argument("--kid", default="k1")
    token_parser.add_argument("--aud", default=AUDIENCE)
    token_parser.add_argument("--iss", default=ISSUER)
    token_parser.add_argument("--expires-in", type=int, default=3600)
    token_parser.add_argument("--scope", default="read")
    arguments = parser.parse_args()
    if arguments.command == "serve":
        serve(arguments.port)
    else:
        token(arguments)
