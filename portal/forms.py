"""Portal forms (rendered with crispy-forms). They validate and translate; services do the work."""

from __future__ import annotations

import math
import os
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import Channel, Language
from collections_crm import money
from collections_crm.errors import ApplicationError
from compliance.choices import DisputeReason
from payments import schedule
from payments.choices import Frequency
from payments.services import policy_for, validate_amount

from . import conf
from .choices import CallbackSlot, VerificationMethod
from .content import error_message

MAX_PAYMENTS = 60
DOCUMENT_TYPES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".heic": (),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".docx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".txt": (),
}


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def parse_money(text: str, currency: str):
    try:
        return money.parse_amount(text or "", currency)
    except (money.MoneyError, ValueError, ArithmeticError):
        raise forms.ValidationError(error_message("amount_precision")) from None


class PayForm(forms.Form):
    """Pay all or part. ``token`` makes a double submit find the same checkout instead of a second one."""

    ALL, PART = "all", "part"
    how_much = forms.ChoiceField(
        label=_("How much would you like to pay?"), widget=forms.RadioSelect,
        choices=[(ALL, _("Everything I owe")), (PART, _("Part of it"))], initial=ALL,
    )
    amount = forms.CharField(label=_("Amount"), required=False, max_length=20,
                             widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                             help_text=_("Only needed if you pay part."))
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, account, **kwargs):
        self.account = account
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        account = self.account
        if data.get("how_much") == self.ALL:
            amount = account.balance
        elif "how_much" in data:
            if not (data.get("amount") or "").strip():
                raise forms.ValidationError({"amount": error_message("amount_not_positive")})
            amount = parse_money(data["amount"].replace(",", "").strip(), account.currency)
        else:
            return data
        try:
            validate_amount(account=account, amount=amount)
        except ApplicationError as exc:
            code = exc.extra.get("code", "")
            minimum = min(policy_for(account.creditor).min_payment_amount, account.balance)
            raise forms.ValidationError({"amount": error_message(
                code, balance=money.format_money(account.balance, account.currency),
                minimum=money.format_money(minimum, account.currency),
            )}) from None
        data["amount_value"] = amount
        return data


class VerifyForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How would you like to confirm it is you?"), widget=forms.RadioSelect,
        choices=[(VerificationMethod.DATE_OF_BIRTH, _("My date of birth")),
                 (VerificationMethod.POSTCODE, _("My postcode"))],
        initial=VerificationMethod.DATE_OF_BIRTH,
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=_date_input())
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=16)
    reference_last4 = forms.CharField(
        label=_("Last 4 characters of your account number"), max_length=4, min_length=4,
        help_text=_("You can find it on your bill or in our letter."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("method") == VerificationMethod.DATE_OF_BIRTH and not data.get("date_of_birth"):
            self.add_error("date_of_birth", _("Please enter your date of birth."))
        if data.get("method") == VerificationMethod.POSTCODE and not (data.get("postcode") or "").strip():
            self.add_error("postcode", _("Please enter your postcode."))
        return data


class CodeRequestForm(forms.Form):
    channel = forms.ChoiceField(label=_("Send me a code by"), widget=forms.RadioSelect, choices=())

    def __init__(self, *args, channels=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = {Channel.EMAIL: _("Email"), Channel.SMS: _("Text message")}
        self.fields["channel"].choices = [(ch, labels[ch]) for ch in channels]


class CodeForm(forms.Form):
    code = forms.CharField(label=_("The 6-digit code we sent you"), max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))


class LanguageForm(forms.Form):
    language = forms.CharField(max_length=10)
    next = forms.CharField(max_length=200, required=False)


class PlanForm(forms.Form):
    """Shape a plan: how often, the first date, and either how many payments or how much each time."""

    COUNT, EACH = "count", "each"
    frequency = forms.ChoiceField(label=_("How often?"), choices=())
    first_date = forms.DateField(label=_("Date of the first payment"), widget=_date_input())
    how = forms.ChoiceField(label=_("I would like to choose"), widget=forms.RadioSelect, initial=COUNT,
                            choices=[(COUNT, _("How many payments")), (EACH, _("How much each time"))])
    count = forms.IntegerField(label=_("Number of payments"), required=False, min_value=1, max_value=MAX_PAYMENTS)
    each = forms.CharField(label=_("Amount each time"), required=False, max_length=20,
                           widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def __init__(self, *args, account, **kwargs):
        self.account = account
        super().__init__(*args, **kwargs)
        allowed = policy_for(account.creditor).allowed_frequencies
        labels = dict(Frequency.choices)
        self.fields["frequency"].choices = [
            (f, labels[f]) for f in (Frequency.MONTHLY, Frequency.FORTNIGHTLY, Frequency.WEEKLY) if f in allowed
        ]
        self.fields["first_date"].widget.attrs["min"] = timezone.localdate().isoformat()

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        account, cur = self.account, self.account.currency
        total = money.to_minor(account.balance, cur)
        if total <= 0:
            raise forms.ValidationError(error_message("nothing_to_plan"))
        if data["first_date"] < timezone.localdate():
            raise forms.ValidationError({"first_date": _("The first payment date is in the past.")})
        if data["how"] == self.COUNT:
            if not data.get("count"):
                raise forms.ValidationError({"count": _("Please enter how many payments.")})
            count = data["count"]
            if count > total:
                raise forms.ValidationError({"count": error_message("too_many")})
            units = schedule.split_even(total, count)
        else:
            each = money.to_minor(parse_money((data.get("each") or "").replace(",", "").strip(), cur), cur)
            if each <= 0:
                raise forms.ValidationError({"each": error_message("amount_not_positive")})
            count = math.ceil(total / each)
            if count > MAX_PAYMENTS:
                raise forms.ValidationError({"each": _("That would take more than %(n)s payments. Please choose a "
                                                       "larger amount.") % {"n": MAX_PAYMENTS}})
            units = [each] * (count - 1) + [total - each * (count - 1)]
        days = schedule.due_dates(data["first_date"], len(units), data["frequency"])
        data["items"] = [(day, money.from_minor(u, cur)) for day, u in zip(days, units, strict=True)]
        return data


class MoveDateForm(forms.Form):
    instalment = forms.IntegerField(widget=forms.HiddenInput)
    new_date = forms.DateField(label=_("New date"), widget=_date_input())


class DisputeForm(forms.Form):
    reason = forms.ChoiceField(label=_("What is wrong?"), widget=forms.RadioSelect, choices=DisputeReason.choices)
    description = forms.CharField(
        label=_("Tell us more"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In your own words. Please do not include card numbers or passwords."),
    )
    evidence = forms.FileField(label=_("Add a document (optional)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = _("A PDF, photo (JPG, PNG, HEIC), Word or text file, up to %(mb)s MB.") \
            % {"mb": conf.upload_max_bytes() // (1024 * 1024)}
        self.fields["evidence"].widget.attrs["accept"] = ",".join(DOCUMENT_TYPES)

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if not upload:
            return upload
        mb = conf.upload_max_bytes() // (1024 * 1024)
        if upload.size > conf.upload_max_bytes():
            raise forms.ValidationError(_("That file is too big. Please send a file under %(mb)s MB.") % {"mb": mb})
        ext = os.path.splitext(upload.name or "")[1].lower()
        signatures = DOCUMENT_TYPES.get(ext)
        if signatures is None:
            raise forms.ValidationError(_("We can only take documents and photos: PDF, JPG, PNG, HEIC, Word or text "
                                          "files."))
        if signatures:
            head = upload.read(8)
            upload.seek(0)
            if not any(head.startswith(sig) for sig in signatures):
                raise forms.ValidationError(_("That file does not look like the type its name says. Please try "
                                              "another file."))
        return upload


class CallbackForm(forms.Form):
    preferred_date = forms.DateField(label=_("Which day?"), widget=_date_input())
    slot = forms.ChoiceField(label=_("What time of day?"), widget=forms.RadioSelect, choices=CallbackSlot.choices)
    channel = forms.ChoiceField(label=_("How should we reach you?"), widget=forms.RadioSelect, choices=[
        (Channel.VOICE, _("Phone call")), (Channel.WHATSAPP, _("WhatsApp")), (Channel.EMAIL, _("Email")),
    ])
    note = forms.CharField(label=_("Anything we should know? (optional)"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        widget = self.fields["preferred_date"].widget
        widget.attrs.update({"min": today.isoformat(), "max": (today + timedelta(days=14)).isoformat()})

    def clean_preferred_date(self):
        day = self.cleaned_data["preferred_date"]
        today = timezone.localdate()
        if not today <= day <= today + timedelta(days=14):
            raise forms.ValidationError(_("Please choose a day in the next two weeks."))
        return day


class PreferencesForm(forms.Form):
    preferred_channel = forms.ChoiceField(label=_("Best way to reach me"), choices=[
        (Channel.SMS, _("Text message")), (Channel.EMAIL, _("Email")), (Channel.WHATSAPP, _("WhatsApp")),
        (Channel.VOICE, _("Phone call")),
    ])
    language = forms.ChoiceField(label=_("Language"), choices=[
        (Language.ENGLISH, "English"), (Language.PIDGIN, "Naijá (Pidgin)"), (Language.FRENCH, "Français"),
        (Language.SPANISH, "Español"),
    ])
    hours_start = forms.TimeField(label=_("Contact me from"), required=False,
                                  widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    hours_end = forms.TimeField(label=_("Until"), required=False,
                                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    stop_sms = forms.BooleanField(label=_("Stop text messages"), required=False)
    stop_email = forms.BooleanField(label=_("Stop emails"), required=False)
    stop_whatsapp = forms.BooleanField(label=_("Stop WhatsApp messages"), required=False)
    stop_voice = forms.BooleanField(label=_("Stop phone calls"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("hours_start"), data.get("hours_end")
        if (start is None) != (end is None):
            raise forms.ValidationError(_("Please give both times, or leave both empty."))
        if start is not None and start == end:
            raise forms.ValidationError(_("The start and end times must be different."))
        return data

    def opted_out(self) -> set[str]:
        return {ch for ch in ("sms", "email", "whatsapp", "voice") if self.cleaned_data.get(f"stop_{ch}")}
