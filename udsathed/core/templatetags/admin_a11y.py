from django import template

register = template.Library()


@register.filter
def labelled(bound_field, label):
    """The field's widget with `label` as its accessible name. Django's tabular inline names each
    column only in a header cell, which assistive technology does not tie to the fields below;
    the column's help text is described from the header too (templates/admin/edit_inline/
    tabular.html gives it the id used here), not from an element the row does not have."""
    if bound_field.field.widget.is_hidden:
        return bound_field
    attrs = {"aria-label": str(label)}
    if bound_field.help_text:
        formset_prefix = (bound_field.form.prefix or "").rsplit("-", 1)[0]
        attrs["aria-describedby"] = f"{formset_prefix}-{bound_field.name}-helptext"
    return bound_field.as_widget(attrs=attrs)
