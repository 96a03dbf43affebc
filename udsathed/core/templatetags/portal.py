from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, get_script_prefix, resolve, reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.html import format_html
from django.utils.translation import gettext as _

from udsathed.core.translation import is_fallback

register = template.Library()


@register.filter
def tr(obj, field: str) -> str:
    """`{{ theme|tr:"title" }}`: the text in the active language, Danish where it has none."""
    if obj is None:
        return ""
    return getattr(obj, field)


@register.filter
def lang_of(obj, field: str) -> str:
    """`<div{{ theme|lang_of:"description" }}>`: ` lang="da"` where the Danish text stands in
    for a missing translation, so screen readers read it with a Danish voice."""
    if obj is not None and is_fallback(obj, field):
        return format_html(' lang="{}"', settings.LANGUAGE_CODE)
    return ""


@register.simple_tag
def only_in_danish(obj, *fields: str) -> str:
    """`{% only_in_danish theme "title" "description" %}`: tells the reader, in their language,
    that what follows is shown in Danish because it has not been translated."""
    if obj is not None and any(is_fallback(obj, field) for field in fields):
        return format_html(
            '<p class="small text-body-secondary fst-italic">{}</p>',
            _("This text is only available in Danish."),
        )
    return ""


@dataclass(frozen=True)
class Twin:
    """The page being shown, in one language: its path (with the query) and absolute URL."""

    code: str
    name: str
    path: str
    url: str
    current: bool
    default: bool  # the language of the x-default link, for visitors who speak neither


def twin_path(request, code: str) -> str:
    """The path of the page `request` asks for, as `code` names it (Danish has no prefix)."""
    match = request.resolver_match
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
    if match is not None and match.url_name:
        with translation.override(code):
            try:
                return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                pass
    # No view answers this path (a 404): the twin is the same path under the other prefix, which
    # answers with the same "not found" in the other language.
    path = request.path_info
    prefix = translation.get_language_from_path(path)
    if prefix:
        path = path[len(prefix) + 1 :] or "/"
    language_prefix = "" if code == settings.LANGUAGE_CODE else f"/{code}"
    return f"{get_script_prefix().rstrip('/')}{language_prefix}{path}"


@register.simple_tag(takes_context=True)
def language_twins(context) -> list[Twin]:
    """The page in every language, for the language switch and the hreflang links."""
    request = context.get("request")
    if request is None:
        return []
    query = request.META.get("QUERY_STRING", "")
    current = translation.get_language()
    twins = []
    for code, _name in settings.LANGUAGES:
        path = twin_path(request, code) + (f"?{iri_to_uri(query)}" if query else "")
        name = translation.get_language_info(code)["name_local"]
        twins.append(
            Twin(
                code=code,
                name=name[:1].upper() + name[1:],
                path=path,
                url=request.build_absolute_uri(path),
                current=code == current,
                default=code == settings.LANGUAGE_CODE,
            )
        )
    return twins
