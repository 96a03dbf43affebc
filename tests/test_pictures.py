import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.pictures import GPS_IFD, jpeg, png_with_gps
from udsathed.core.pictures import reencode_picture


def test_png_with_gps_comes_out_without_it():
    upload = png_with_gps()
    with Image.open(upload) as before:
        assert before.getexif().get_ifd(GPS_IFD)
    clean = reencode_picture(upload)
    assert b"PhoneMaker" not in clean.read()
    clean.seek(0)
    with Image.open(clean.open()) as after:
        assert after.format == "JPEG"
        assert after.size == (64, 48)
        assert not after.getexif()
        assert "exif" not in after.info


def test_text_file_named_jpg_is_refused():
    fake = SimpleUploadedFile("photo.jpg", b"just some words", content_type="image/jpeg")
    with pytest.raises(ValidationError) as caught:
        reencode_picture(fake)
    assert caught.value.code == "invalid"


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_picture_formats_are_refused(fmt):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format=fmt)
    with pytest.raises(ValidationError):
        reencode_picture(SimpleUploadedFile("x.png", out.getvalue()))


def test_large_files_and_pixel_bombs_are_refused(settings):
    settings.PICTURE_MAX_BYTES = 100
    with pytest.raises(ValidationError) as caught:
        reencode_picture(jpeg())
    assert caught.value.code == "too_large"
    settings.PICTURE_MAX_BYTES = 8 * 1024 * 1024
    with pytest.raises(ValidationError):
        reencode_picture(jpeg(size=(8000, 6000)))


def test_big_pictures_are_scaled_down_and_transparency_kept():
    out = io.BytesIO()
    Image.new("RGBA", (3000, 1500), (0, 0, 0, 0)).save(out, format="PNG")
    clean = reencode_picture(SimpleUploadedFile("wide.png", out.getvalue()))
    assert clean.name.endswith(".png")
    with Image.open(clean.open()) as after:
        assert after.size == (2400, 1200)
        assert after.mode == "RGBA"


def test_truncated_picture_is_refused():
    data = jpeg().read()
    with pytest.raises(ValidationError):
        reencode_picture(SimpleUploadedFile("cut.jpg", data[: len(data) // 2]))
