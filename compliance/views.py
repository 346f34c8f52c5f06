"""The email opt-out link (12 CFR 1006.6(e)): GET shows a confirm page, POST opts out. A forged, expired or
replayed link gets the same neutral page, changes nothing, and is audited."""

from django.shortcuts import render
from django.views import View

from .services import opt_out_by_link, opt_out_link_read


class OptOutLinkView(View):
    template_name = "compliance/opt_out.html"

    def get(self, request, token):
        payload = opt_out_link_read(token)
        return render(request, self.template_name, {"stage": "confirm" if payload else "neutral",
                                                    "channel": (payload or {}).get("ch")})

    def post(self, request, token):
        record = opt_out_by_link(token=token)
        return render(request, self.template_name, {"stage": "done" if record else "neutral",
                                                    "channel": record.channel if record else None})
