"""Picture uploads: the only kind of file the portal accepts.

Every upload is opened with Pillow, so its type is decided by its content and
not by its name or the browser's word. It must be a JPEG, PNG or WebP within
the size limits; it is then turned upright, scaled down and re-encoded. The
new file is built from the pixels alone, so EXIF (GPS position, camera serial
numbers), XMP, ICC and text chunks are all left behind.
"""

from __future__ import annotations

import io
import secrets
import warnings

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_SIDE = 2400
MAX_PIXELS = 40_000_000


def max_upload_bytes() -> int:
    return getattr(settings, "PICTURE_MAX_BYTES", 8 * 1024 * 1024)


def reencode_picture(upload) -> ContentFile:
    """Check an uploaded file and return a clean copy, or raise ValidationError."""
    if upload.size > max_upload_bytes():
        raise ValidationError(
            _("The picture is too large. The limit is %(mb)s MB.")
            % {"mb": max_upload_bytes() // (1024 * 1024)},
            code="too_large",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:
                kind = probe.format
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise ValidationError(
                        _("The picture has too many pixels."), code="too_many_pixels"
                    )
                image.load()
                upright = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise ValidationError(
            _("The file is not a picture we can read. Use JPEG, PNG or WebP."), code="invalid"
        ) from exc
    if kind not in ACCEPTED_FORMATS:
        raise ValidationError(
            _("The file is not a picture we can read. Use JPEG, PNG or WebP."), code="invalid"
        )
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    has_alpha = upright.mode in ("RGBA", "LA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    out = io.BytesIO()
    if has_alpha:
        clean = Image.new("RGBA", upright.size)
        clean.paste(upright.convert("RGBA"))
        clean.save(out, format="PNG", optimize=True)
        extension = "png"
    else:
        clean = Image.new("RGB", upright.size)
        clean.paste(upright.convert("RGB"))
        clean.save(out, format="JPEG", quality=85, optimize=True)
        extension = "jpg"
    return ContentFile(out.getvalue(), name=f"{secrets.token_urlsafe(12)}.{extension}")


class PictureField(forms.FileField):
    """A file field that hands the form a clean, re-encoded picture."""

    def __init__(self, **kwargs):
        # A plain file input: stored pictures are not at a public URL, so there is
        # no "currently" link to show; leaving it empty keeps the stored picture.
        kwargs.setdefault(
            "widget", forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        kwargs.setdefault(
            "help_text",
            _("JPEG, PNG or WebP. Location data and other hidden information are removed."),
        )
        super().__init__(**kwargs)

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        return reencode_picture(upload)


def picture_response(field_file) -> FileResponse:
    """Serve a stored picture with a content type decided by us, never sniffed."""
    if not field_file:
        raise Http404
    name = field_file.name.lower()
    content_type = "image/png" if name.endswith(".png") else "image/jpeg"
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, max-age=3600"
    return response


class PictureInline(admin.TabularInline):
    """Admin inline for a model of pictures (minutes, stories): a thumbnail that downloads the
    picture; the model's `image` field uploads through `PictureField`."""

    extra = 0
    readonly_fields = ["preview"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "image":
            return PictureField(label=db_field.verbose_name, required=not db_field.blank)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj.pk:
            return "–"
        return format_html(
            '<a href="{0}" download><img src="{0}" alt="{1}" class="admin-thumbnail"></a>',
            obj.get_absolute_url(),
            obj.alt_text,
        )
