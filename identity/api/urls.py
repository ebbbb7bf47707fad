from django.urls import path

from identity.api.views import DeviceListView, DeviceView, OidcExchangeView

urlpatterns = [
    path("auth/oidc/", OidcExchangeView.as_view(), name="auth-oidc"),
    path("me/devices/", DeviceListView.as_view(), name="device-list"),
    path("me/devices/<int:device_id>/", DeviceView.as_view(), name="device-detail"),
]
