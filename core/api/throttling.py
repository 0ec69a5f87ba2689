"""One rate limit per API client."""

from rest_framework.throttling import UserRateThrottle


class ClientRateThrottle(UserRateThrottle):
    """A signed-in user or token's user at the "user" rate, an anonymous address at the
    "anon" rate.

    DRF's AnonRateThrottle and UserRateThrottle side by side count every anonymous request
    twice (the user throttle falls back to the address); this is the pair in one pass.
    """

    def allow_request(self, request, view):
        self.scope = "user" if request.user and request.user.is_authenticated else "anon"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)
