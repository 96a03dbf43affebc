from django.utils import timezone

from ambassadors import services
from tests.ambassadors.factories import CertificateFactory


def test_certificate_verification_page(client, fredericia):
    certificate = CertificateFactory(holder_name="Ida Holm")
    response = client.get(certificate.get_absolute_url())
    html = response.content.decode()
    assert "Beviset er gyldigt" in html and "Ida Holm" in html
    assert certificate.ambassador.email not in html
    assert client.get("/ambassadoerer/bevis/FINDESIKKE12/").status_code == 404
    assert client.get("/ambassadoerer/bevis/%3Cscript%3E/").status_code == 404


def test_lapsed_ambassadors_certificate_says_not_renewed_until_they_confirm(client, fredericia):
    certificate = CertificateFactory(holder_name="Ida Holm")
    ambassador = certificate.ambassador
    ambassador.lapsed_at = timezone.now()
    ambassador.save(update_fields=["lapsed_at"])
    html = client.get(certificate.get_absolute_url()).content.decode()
    assert "Beviset er gyldigt" not in html
    assert "har ikke fornyet" in html
    services.ambassador_reconfirm(ambassador=ambassador)
    html = client.get(certificate.get_absolute_url()).content.decode()
    assert "Beviset er gyldigt" in html and "har ikke fornyet" not in html
