"""The certificate: the PDF for its holder and the public page its QR code points to."""

from django.http import Http404, HttpResponse
from django.views import View
from django.views.generic import DetailView

from ambassadors.certificate import render_certificate_pdf
from ambassadors.models import Certificate
from ambassadors.views.access import AmbassadorRequiredMixin
from udsathed.core.mail import absolute_url


class CertificateDownloadView(AmbassadorRequiredMixin, View):
    def get(self, request):
        certificate = self.ambassador.current_certificate
        if certificate is None:
            raise Http404("No valid certificate")
        pdf = render_certificate_pdf(
            certificate, verify_url=absolute_url(certificate.get_absolute_url())
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="ambassadoerbevis-{certificate.number}.pdf"'
        )
        return response


class CertificateVerifyView(DetailView):
    """Public: is this certificate valid, for whom, since when. Nothing else."""

    template_name = "ambassadors/certificate_verify.html"
    context_object_name = "certificate"
    slug_field = slug_url_kwarg = "code"

    def get_queryset(self):
        return Certificate.objects.select_related("ambassador")

    def get_object(self, queryset=None):
        code = self.kwargs["code"].strip().upper()
        if not code.isalnum() or len(code) > 16:
            raise Http404("Malformed code")
        self.kwargs["code"] = code
        return super().get_object(queryset)
