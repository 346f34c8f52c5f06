from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

api_patterns = [
    path("", include("accounts.api.urls")),
    path("", include("outreach.api.urls")),
    path("", include("compliance.api.audit_urls")),
    path("", include("payments.api.urls")),
    path("", include("compliance.api.urls")),
    path("", include("desk.api.urls")),
]

urlpatterns = [
    path("", include("accounts.urls")),
    path("outreach/", include("outreach.urls")),
    path("dev/", include("outreach.dev_urls")),
    path("", include("payments.urls")),
    path("", include("compliance.urls")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("audit/", include("compliance.audit_urls")),
    path("desk/", include("desk.urls")),
    path("p/", include("portal.urls")),
    path("admin/", admin.site.urls),
    path("api/", include(api_patterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
