"""Desk forms (django-crispy-forms, Bootstrap 5). Every action form carries the case's ``version`` so a
stale form is refused with a clear message instead of overwriting what happened since."""

from __future__ import annotations

from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import HUMAN_QUEUES, Channel, Queue, VulnerabilityFlag
from accounts.models import Creditor, RoutingPolicy, User
from compliance.choices import DisputeReason, DisputeStatus
from payments.choices import Frequency

from .choices import ApprovalKind, CallDirection

SCOPES = [("mine", _("My cases")), ("unassigned", _("Unassigned")), ("all", _("All human queues"))]
STATUSES = [("open", _("To do")), ("waiting", _("Waiting on customer")), ("closed", _("Closed")), ("any", _("Any"))]
SORT_CHOICES = [("urgent", _("Most urgent")), ("due", _("SLA due first")), ("oldest", _("Oldest")),
                ("balance", _("Largest balance"))]


def _call_outcomes():
    try:
        from outreach.choices import CallOutcome
    except ImportError:  # messaging not installed yet
        return []
    return CallOutcome.choices


def _purposes():
    try:
        from outreach.choices import Purpose
    except ImportError:
        return []
    return Purpose.choices


class QueueFilterForm(forms.Form):
    """The queue's filter bar (drawn by hand in desk/partials/_queue_filter.html: no crispy, no widget templates)."""

    scope = forms.ChoiceField(choices=SCOPES, required=False, label=_("Show"))
    queue = forms.ChoiceField(choices=[("", _("Any queue"))] + [(q, Queue(q).label) for q in HUMAN_QUEUES],
                              required=False, label=_("Queue"))
    status = forms.ChoiceField(choices=STATUSES, required=False, label=_("Status"))
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False, label=_("Sort"))
    q = forms.CharField(required=False, label=_("Find"), widget=forms.TextInput(
        attrs={"placeholder": _("Account ref, customer ref, surname or phone")}))


class _CaseActionForm(forms.Form):
    """Base: posts to one action URL with the case's version."""

    action_name = ""
    submit_label = _("Save")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        if case is not None and not self.is_bound:
            self.initial["version"] = case.version
        self.helper = FormHelper()
        self.helper.form_method = "post"
        if case is not None:
            self.helper.form_action = reverse("desk:case-action", args=[case.pk, self.action_name])
        self.helper.form_id = f"form-{self.action_name}"
        self.helper.add_input(Submit("submit", self.submit_label, css_class="btn-primary btn-sm"))


class CallLogForm(_CaseActionForm):
    action_name = "call"
    submit_label = _("Log call")
    direction = forms.ChoiceField(choices=CallDirection.choices, label=_("Who called"))
    outcome = forms.ChoiceField(choices=(), label=_("Outcome"))
    duration_minutes = forms.IntegerField(min_value=0, max_value=600, initial=0, label=_("Length (minutes)"))
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Notes"))
    transcript = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Transcript"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = _call_outcomes()


class MessageForm(_CaseActionForm):
    action_name = "message"
    submit_label = _("Send through the contact rules")
    channel = forms.ChoiceField(choices=[("preferred", _("Their preferred channel"))]
                                + [(c, label) for c, label in Channel.choices if c != Channel.VOICE], label=_("Channel"))
    purpose = forms.ChoiceField(choices=(), label=_("Approved template"))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [(p, label) for p, label in _purposes() if p != "opt_out_confirmation"]
        if not self.is_bound:
            import uuid

            self.initial["idempotency_key"] = f"desk:{uuid.uuid4().hex}"


class PromiseForm(_CaseActionForm):
    action_name = "promise"
    submit_label = _("Record promise")
    amount = forms.DecimalField(max_digits=14, decimal_places=2, min_value=0, label=_("Amount"))
    due_date = forms.DateField(label=_("Promised date"), widget=forms.DateInput(attrs={"type": "date"}))


class PlanForm(_CaseActionForm):
    action_name = "plan"
    submit_label = _("Propose plan")
    frequency = forms.ChoiceField(choices=[(f, label) for f, label in Frequency.choices if f != Frequency.CUSTOM],
                                  initial=Frequency.MONTHLY, label=_("How often"))
    count = forms.IntegerField(min_value=1, max_value=120, initial=6, label=_("Number of payments"))
    start = forms.DateField(label=_("First payment"), widget=forms.DateInput(attrs={"type": "date"}))
    allow_exception = forms.BooleanField(required=False, label=_("Outside policy: ask a supervisor to approve"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["start"] = timezone.localdate() + timedelta(days=7)


class DisputeOpenForm(_CaseActionForm):
    action_name = "dispute"
    submit_label = _("Open dispute")
    reason = forms.ChoiceField(choices=DisputeReason.choices, label=_("What the customer says"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Details"))


class DisputeResolveForm(_CaseActionForm):
    action_name = "dispute-resolve"
    submit_label = _("Record outcome")
    dispute = forms.ModelChoiceField(queryset=None, label=_("Dispute"))
    outcome = forms.ChoiceField(choices=[(s, DisputeStatus(s).label) for s in
                                         (DisputeStatus.WITHDRAWN, DisputeStatus.VERIFIED, DisputeStatus.UPHELD)],
                                label=_("Outcome"),
                                help_text=_("Verified and upheld go to a supervisor for approval."))
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Why"))

    def __init__(self, *args, disputes=None, **kwargs):
        super().__init__(*args, **kwargs)
        from compliance.models import Dispute

        self.fields["dispute"].queryset = disputes if disputes is not None else Dispute.objects.none()


class HardshipForm(_CaseActionForm):
    action_name = "hardship"
    submit_label = _("Pause collection")
    until = forms.DateField(label=_("Pause until"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(max_length=200, label=_("Reason"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["until"] = timezone.localdate() + timedelta(days=30)


class VulnerabilityForm(_CaseActionForm):
    action_name = "vulnerability"
    submit_label = _("Save care needs")
    flags = forms.MultipleChoiceField(choices=VulnerabilityFlag.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple, label=_("Extra care needed"))
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("What helps"))


class NoteForm(_CaseActionForm):
    action_name = "note"
    submit_label = _("Add note")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Note"))


class CallbackForm(_CaseActionForm):
    action_name = "callback"
    submit_label = _("Book callback")
    preferred_at = forms.DateTimeField(required=False, label=_("When they'd like the call"),
                                       widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    note = forms.CharField(required=False, label=_("Note"))


class ApprovalAskForm(_CaseActionForm):
    action_name = "approval"
    submit_label = _("Ask a supervisor")
    kind = forms.ChoiceField(choices=[(ApprovalKind.WRITE_OFF, ApprovalKind.WRITE_OFF.label),
                                      (ApprovalKind.OTHER, ApprovalKind.OTHER.label)], label=_("Decision needed"))
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("What and why"))


class CloseForm(_CaseActionForm):
    action_name = "close"
    submit_label = _("Close: back to automated reminders")
    note = forms.CharField(required=False, label=_("Closing note"))


class TakeForm(_CaseActionForm):
    action_name = "take"
    submit_label = _("Take this case")


class ReleaseForm(_CaseActionForm):
    action_name = "release"
    submit_label = _("Hand back to the queue")


class AssignForm(_CaseActionForm):
    action_name = "assign"
    submit_label = _("Assign")
    agent = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label=_("Agent"),
                                   empty_label=_("Least-loaded agent who can take it"))
    note = forms.CharField(required=False, label=_("Note"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = User.objects.filter(agent_profile__isnull=False, is_active=True).order_by(
            "username")


ACTION_FORMS = {f.action_name: f for f in (
    CallLogForm, MessageForm, PromiseForm, PlanForm, DisputeOpenForm, DisputeResolveForm, HardshipForm,
    VulnerabilityForm, NoteForm, CallbackForm, ApprovalAskForm, CloseForm, TakeForm, ReleaseForm, AssignForm,
)}


class ApprovalDecisionForm(forms.Form):
    note = forms.CharField(required=False, label=_("Note"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class RoutingPolicyForm(forms.ModelForm):
    """Per creditor: threshold, SLA hours per queue, broken-plan limit, optional queues switched off."""

    disabled_queues = forms.MultipleChoiceField(
        choices=[(q, Queue(q).label) for q in ("high_value", "callbacks", "broken_plans", "complaints", "general")],
        required=False, widget=forms.CheckboxSelectMultiple, label=_("Switched-off queues"))

    class Meta:
        model = RoutingPolicy
        fields = ["high_value_threshold", "broken_plan_limit", "disabled_queues"]
        labels = {"high_value_threshold": _("High value threshold"),
                  "broken_plan_limit": _("Broken plan limit")}

    def __init__(self, *args, creditor: Creditor | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        from accounts.routing import QueuePolicy

        defaults = QueuePolicy().sla_hours
        current = (self.instance.sla_hours or {}) if self.instance else {}
        for q in HUMAN_QUEUES:
            self.fields[f"sla_{q}"] = forms.IntegerField(
                min_value=1, max_value=1440, required=False, initial=current.get(q, defaults.get(q)),
                label=_("SLA hours: %(queue)s") % {"queue": Queue(q).label})
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("submit", _("Save routing policy"), css_class="btn-primary btn-sm"))

    def sla_hours(self) -> dict:
        return {q: self.cleaned_data[f"sla_{q}"] for q in HUMAN_QUEUES if self.cleaned_data.get(f"sla_{q}")}
