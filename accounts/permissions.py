"""Role checks for the API (DRF permission classes) and the web UI (view mixins)."""

from django.contrib.auth.mixins import AccessMixin
from rest_framework.permissions import BasePermission

from .choices import Role


class _HasRole(BasePermission):
    role: str = Role.AGENT
    message = "Your role does not allow this."

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_role(self.role))


class IsAgent(_HasRole):
    role = Role.AGENT


class IsSupervisor(_HasRole):
    role = Role.SUPERVISOR


class IsAdmin(_HasRole):
    role = Role.ADMIN


class SupervisorWritesAgentReads(BasePermission):
    """Agents read; supervisors also write."""

    message = "Only supervisors can change this."

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return user.has_role(Role.AGENT)
        return user.has_role(Role.SUPERVISOR)


class RoleRequiredMixin(AccessMixin):
    """Back-office pages: sign in first; then the role decides (403 for the wrong role)."""

    required_role: str = Role.AGENT

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_role(self.required_role):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)
