from django.conf import settings


def store(request):
    return {"site_name": settings.WAGTAIL_SITE_NAME, "environment": settings.ENVIRONMENT}
