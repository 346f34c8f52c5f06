"""Back-office pages owned by accounts: the home page. Placement upload lives in views_placement."""

from django.views.generic import TemplateView

from .permissions import RoleRequiredMixin
from .selectors import account_list, case_list, creditor_list


class HomeView(RoleRequiredMixin, TemplateView):
    """Where agents and supervisors land after signing in."""

    template_name = "accounts/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["creditors"] = creditor_list()
        ctx["open_accounts"] = account_list().filter(status="open").count()
        ctx["my_cases"] = case_list().filter(assignee=self.request.user, status="open")[:10]
        return ctx
