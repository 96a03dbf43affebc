"""Safe HTML for newsletters: Markdown rendered, then cleaned by nh3's short allow-list.

Its own module, below both the models (the archive shows what was sent, cleaned once more) and
the newsletter services (the content is rendered and frozen when sending starts)."""

from __future__ import annotations

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "b", "i", "ul", "ol", "li", "a",
    "blockquote", "hr", "img", "figure", "figcaption", "section", "article", "h1", "small",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}}


def sanitize_html(html: str) -> SafeString:
    """nh3 keeps a short list of tags and attributes; scripts, handlers and styles are dropped."""
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    # The string has just been sanitised by nh3: this is the one place HTML is trusted.
    return mark_safe(clean)  # noqa: S308  # nosec B308 B703


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML; raw HTML in the source never gets through."""
    html = markdown.markdown(text or "", extensions=["sane_lists"], output_format="html")
    return sanitize_html(html)
