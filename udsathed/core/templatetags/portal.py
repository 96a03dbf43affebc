from django import template

register = template.Library()


@register.filter
def tr(obj, field: str) -> str:
    """`{{ theme|tr:"title" }}`: the English text when English is chosen and present."""
    if obj is None:
        return ""
    return obj.translated(field)
