"""Headers of the open-data API (network/api_views.py) that only the outermost middleware can
set: the API answers everyone alike, so an anonymous answer may be kept by any cache.

Django's session and locale middleware add ``Vary: Cookie, Accept-Language`` to every
answer; for a request without cookies the API's answer depends on neither, and a shared
cache keyed on them would keep one copy per language header for nothing. A request that
carries cookies keeps those headers, and the ``private`` (or, signed in, ``no-store``) cache
policy its answer was given.
"""

PUBLIC_CACHE_CONTROL = "public, max-age=30, stale-while-revalidate=30"


class PublicApiHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            getattr(response, "public_api", False)
            and not request.COOKIES
            and not response.cookies
            and not response.has_header("Set-Cookie")
        ):
            response.headers["Cache-Control"] = PUBLIC_CACHE_CONTROL
            response.headers["Vary"] = "Accept-Encoding"
        return response
