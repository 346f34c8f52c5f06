"""Forms for the campaign pages. They validate input only; the views call the services."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import DelinquencyBucket, Language
from accounts.models import Creditor

from ..choices import Purpose
from .choices import StepChannel


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Notes for the team"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    creditor = forms.ModelChoiceField(label=_("Creditor"), queryset=Creditor.objects.order_by("display_name"),
                                      required=False, empty_label=_("All creditors"))
    buckets = forms.MultipleChoiceField(label=_("How overdue"), choices=DelinquencyBucket.choices, required=False,
                                        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: all."))
    balance_min = forms.DecimalField(label=_("Balance from"), min_value=0, decimal_places=2, required=False)
    balance_max = forms.DecimalField(label=_("Balance up to"), min_value=0, decimal_places=2, required=False)
    languages = forms.MultipleChoiceField(label=_("Languages"), choices=Language.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: all."))
    channel = forms.ChoiceField(label=_("Channel"), choices=[c for c in StepChannel.choices if c[0] != "voice"],
                                initial=StepChannel.PREFERRED)
    purpose = forms.ChoiceField(label=_("Message"), choices=Purpose.choices, initial=Purpose.SEASONAL_CARE)
    consent_required = forms.BooleanField(label=_("Only customers who said yes to this channel"), required=False,
                                          initial=True)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        lo, hi = data.get("balance_min"), data.get("balance_max")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("balance_max", _("The top of the balance band must not be below its bottom."))
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The campaign must end after it starts."))
        return data
