"""A small Django REST framework API in one file: TokenAuthentication (the `Token` scheme) and
IsAuthenticated on /api/me/, one user with one token in an SQLite file.

Usage: python3 app.py PORT DATABASE_PATH
"""

import sys

import django
from django.conf import settings
from django.urls import path

PORT = int(sys.argv[1])
DATABASE = sys.argv[2]
TOKEN = "0123456789abcdef0123456789abcdef01234567"

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    SECRET_KEY="authdoctor-test-only-secret",
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[
        "django.contrib.contenttypes",
        "django.contrib.auth",
        "rest_framework",
        "rest_framework.authtoken",
    ],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DATABASE}},
    REST_FRAMEWORK={
        "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
        "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
        "UNAUTHENTICATED_USER": None,
    },
)
django.setup()

from django.contrib.auth.models import User  # noqa: E402  (needs settings first)
from django.core.management import call_command  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402


class Me(APIView):
    def get(self, request):
        return Response({"user": request.user.username})


urlpatterns = [path("api/me/", Me.as_view())]

if __name__ == "__main__":
    call_command("migrate", verbosity=0, interactive=False)
    user = User.objects.create_user("dana", password="not-used-by-the-api")
    Token.objects.create(user=user, key=TOKEN)
    call_command("runserver", f"127.0.0.1:{PORT}", use_reloader=False, skip_checks=True)
