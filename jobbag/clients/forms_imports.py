"""The upload form of the Excel import; the service checks size and type."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel workbook (.xlsx)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
        help_text=_(
            "Sheets 客户, 品牌 and 联系人 (Companies, Brands, Contacts); see the template."
        ),
    )
