"""The supervisor's upload form."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Creditor


class PlacementUploadForm(forms.Form):
    creditor = forms.ModelChoiceField(
        queryset=Creditor.objects.filter(is_active=True), label=_("Creditor"),
        empty_label=_("Choose the creditor"),
    )
    file = forms.FileField(
        label=_("Placement file (CSV)"),
        help_text=_("UTF-8 CSV with the columns described in the placement format guide."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        self.helper = FormHelper()
        self.helper.form_enctype = "multipart/form-data"
        self.helper.add_input(Submit("submit", _("Import"), css_class="btn-primary"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(too_big_message(self.max_bytes))
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


def too_big_message(max_bytes: int) -> str:
    from django.template.defaultfilters import filesizeformat

    return str(
        _("This file is larger than %(size)s, the most the upload page takes. Split it, or ask an operator "
          "to run the import_placements command.") % {"size": filesizeformat(max_bytes)}
    )
