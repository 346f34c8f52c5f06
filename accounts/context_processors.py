"""Template context: what the signed-in user's role lets the navigation show."""

from .choices import Role


def roles(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"is_agent": False, "is_supervisor": False, "is_admin": False}
    return {
        "is_agent": user.has_role(Role.AGENT),
        "is_supervisor": user.has_role(Role.SUPERVISOR),
        "is_admin": user.has_role(Role.ADMIN),
    }
