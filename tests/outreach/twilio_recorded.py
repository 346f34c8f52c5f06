"""Twilio's HTTP layer answered with recorded responses: the real twilio SDK and its real
TwilioHttpClient/requests session run; only the socket is replaced by a requests transport adapter
that plays back what Twilio's API returned (bodies as documented at twilio.com/docs/messaging/api)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import requests
from requests.adapters import BaseAdapter
from twilio.http.http_client import TwilioHttpClient

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token-0123456789abcdef"


def created(sid: str, to: str, from_: str = "+15005550006", body: str = "", status: str = "queued") -> tuple:
    return 201, {
        "account_sid": ACCOUNT_SID, "api_version": "2010-04-01", "body": body, "date_created": None,
        "date_sent": None, "date_updated": None, "direction": "outbound-api", "error_code": None,
        "error_message": None, "from": from_, "messaging_service_sid": None, "num_media": "0",
        "num_segments": "1", "price": None, "price_unit": "USD", "sid": sid, "status": status,
        "subresource_uris": {"media": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}/Media.json"},
        "to": to, "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
    }


def error(status: int, code: int, message: str) -> tuple:
    return status, {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}",
                    "status": status}


class Recorder(BaseAdapter):
    """Plays back queued answers (a (status, json) pair, or an exception to raise) in order."""

    def __init__(self):
        super().__init__()
        self.answers: list = []
        self.seen: list[dict] = []

    def send(self, request, **kwargs):
        form = {k: v[0] for k, v in parse_qs(request.body or "").items()} if isinstance(request.body, str) else {}
        self.seen.append({"method": request.method, "url": request.url, "form": form})
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, body = answer
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(body).encode()
        response.headers["Content-Type"] = "application/json"
        response.url = request.url
        response.request = request
        return response

    def close(self):
        pass


RECORDER = Recorder()


class RecordedTwilioHttpClient(TwilioHttpClient):
    def __init__(self):
        super().__init__(timeout=10)
        self.session.mount("https://", RECORDER)
