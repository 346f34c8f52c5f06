from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("details/", views.details, name="details"),
    path("verify/", views.verify, name="verify"),
    path("verify/code/", views.verify_code, name="verify-code"),
    path("language/", views.language, name="language"),
    path("leave/", views.leave, name="leave"),
    path("pay/", views.pay, name="pay"),
    path("pay/done/", views.pay_done, name="pay-done"),
    path("plan/", views.plan, name="plan"),
    path("plan/mine/", views.my_plan, name="my-plan"),
    path("dispute/", views.dispute, name="dispute"),
    path("callback/", views.callback, name="callback"),
    path("preferences/", views.preferences, name="preferences"),
    path("help/", views.help_page, name="help"),
    # Last: anything else under /p/ is a pay-link code.
    path("<str:code>", views.entry, name="entry"),
]
