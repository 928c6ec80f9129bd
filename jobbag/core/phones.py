"""Phone numbers as people type them: checked, kept as typed."""

import re

from django.utils.translation import gettext_lazy as _

# Digits with spaces, dashes or brackets between, optionally an international "+" first;
# extensions after "ext"/"转" are allowed ("0532-8893 8888 转 123").
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()\-]{3,30}[0-9](\s*(ext\.?|转|x)\s*[0-9]{1,6})?$")
PHONE_INVALID = _(
    "Enter a phone number: digits with spaces, dashes or brackets, optionally starting with +."
)


def is_phone(text: str) -> bool:
    return bool(PHONE_RE.match(text.strip()))
