"""Forms for the template editor. They validate input only; the views call the services."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import Channel, Language
from accounts.models import Creditor

from .choices import Purpose


class _EditorForm(forms.Form):
    subject = forms.CharField(
        label=_("Subject (email only)"), max_length=200, required=False,
    )
    body = forms.CharField(
        label=_("Message"), max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "true", "class": "font-monospace"}),
        help_text=_("Use the variables on the right, like {{ first_name }}."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class TemplateCreateForm(_EditorForm):
    creditor = forms.ModelChoiceField(
        label=_("Creditor"), queryset=Creditor.objects.order_by("display_name"), required=False,
        empty_label=_("All creditors (global)"), to_field_name="slug",
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=[c for c in Channel.choices if c[0] != Channel.VOICE])
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    field_order = ["creditor", "purpose", "channel", "language", "subject", "body"]


class TemplateEditForm(_EditorForm):
    pass


class TemplateFilterForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=[("", _("Any purpose"))] + Purpose.choices, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", _("Any channel"))] + Channel.choices, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=[("", _("Any language"))] + Language.choices, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), ("draft", _("Draft")), ("approved", _("Approved")), ("retired", _("Retired"))],
        required=False,
    )


class DevReplyForm(forms.Form):
    """The dev outbox: a reply as if the customer had sent it."""

    text = forms.CharField(label=_("Customer's reply"), max_length=1600,
                           widget=forms.TextInput(attrs={"placeholder": _("e.g. STOP, or I'll pay 50 on Friday")}))
