"""Settings for bench/api_bench.py: the product's settings plus the baseline view's URLconf.

Not part of the product. Throttling stays on (its cost is part of every anonymous read)
with a rate the load never reaches; logging is quiet.
"""

import warnings

from config.settings import *  # noqa: F403
from config.settings import REST_FRAMEWORK

ROOT_URLCONF = "bench.api_urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
        "anon": "1000000/second",
        "user": "1000000/second",
    },
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"handlers": [], "level": "ERROR"},
}
# No collected static files in a bench run; WhiteNoise would warn about the folder.
warnings.filterwarnings("ignore", message="No directory at")
