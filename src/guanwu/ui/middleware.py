from django.conf import settings


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy header (all assets are vendored and served from self)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response
