from django.utils.translation import gettext_lazy as _

from jobbag.core.navigation import MenuItem, register

register(MenuItem(_("Rate card"), "finance:rates", "finance.reference.view"), order=70)
register(MenuItem(_("Tax profiles"), "finance:taxes", "finance.reference.view"), order=71)
