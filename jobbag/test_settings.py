"""The test override: the real settings, less start-up work per test client."""

from jobbag.settings import *  # noqa: F403

# WhiteNoise indexes every collected static file whenever a middleware stack is built,
# which the test client does per instance; look files up per request instead.
WHITENOISE_AUTOREFRESH = True
