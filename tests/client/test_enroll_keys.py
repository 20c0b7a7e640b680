"""Enrollment pieces that need no service: the key pair, the CSR, the answer checks, renewal timing."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from desktop import errors
from desktop.sync import enrollment

from tests.client.test_transport import issue, make_ca, pem


def test_key_pair_is_p256_and_csr_carries_it_signed():
    key = enrollment.generate_device_key()
    assert isinstance(key.curve, ec.SECP256R1)
    csr = x509.load_pem_x509_csr(enrollment.build_csr(key, "medewerker1"))
    assert csr.is_signature_valid
    assert csr.public_key().public_numbers() == key.public_key().public_numbers()


def test_answer_certificate_must_be_ours_and_from_the_pinned_ca():
    ca_key, ca = make_ca()
    key = enrollment.generate_device_key()
    _, ours = issue(ca_key, ca, "d", server=False, key=key)
    assert enrollment._certificate_for(key, pem(ours).decode(), ca) is not None
    _, someone_elses = issue(ca_key, ca, "d", server=False)
    foreign_key, foreign_ca = make_ca("Foreign")
    _, from_other_ca = issue(foreign_key, foreign_ca, "d", server=False, key=key)
    for bad in (pem(someone_elses).decode(), pem(from_other_ca).decode(), "not a certificate", None, 42):
        with pytest.raises(errors.InvalidResponse):
            enrollment._certificate_for(key, bad, ca)


def test_renewal_is_due_from_two_thirds_of_the_life():
    ca_key, ca = make_ca()
    start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    _, cert = issue(ca_key, ca, "d", server=False, not_before=start, not_after=start + dt.timedelta(days=90))
    assert not enrollment.renewal_due(cert, start + dt.timedelta(days=59))
    assert enrollment.renewal_due(cert, start + dt.timedelta(days=60, seconds=1))


def test_enroll_refuses_http_and_bad_ca_before_sending_anything():
    _, ca = make_ca()
    with pytest.raises(errors.InsecureServerUrl):
        enrollment.enroll("http://localhost:1", pem(ca), "u", "p", "c")
    with pytest.raises(errors.InvalidCaFile):
        enrollment.enroll("https://localhost:1", b"nonsense", "u", "p", "c")
