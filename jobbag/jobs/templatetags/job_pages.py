"""`{% job_panel panel values %}`: renders a job-page panel's template with the values
its module computed laid over the page's context (as `{% include %}` would with each
key named), without running the context processors again."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def job_panel(context, panel, values: dict) -> str:
    panel_template = context.template.engine.get_template(panel.template)
    with context.push(**values):
        return panel_template.render(context)
