"""Pictures made on the fly for upload tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825


def png_with_gps(size=(64, 48), name="holiday.png") -> SimpleUploadedFile:
    """A PNG whose EXIF holds a GPS position (Fredericia's town hall)."""
    image = Image.new("RGB", size, (200, 60, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (55.0, 33.0, 59.0), 3: "E", 4: (9.0, 45.0, 8.0)})
    out = io.BytesIO()
    image.save(out, format="PNG", exif=exif.tobytes())
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def jpeg(size=(80, 60), name="photo.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")
