"""The address guard judges IPv6 forms that embed an IPv4 address (NAT64, 6to4, IPv4-mapped and
IPv4-compatible) by that IPv4 address: each led to loopback or a private network before
(issue 10). No packet is sent: the judgement is on the address alone."""
import pytest

from hub.aggregation.fetch import is_public_address

REFUSED = ["127.0.0.1", "10.1.2.3", "192.168.1.1", "169.254.169.254", "::1", "fe80::1", "fc00::1",
           "::ffff:127.0.0.1", "::ffff:10.0.0.1",
           "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b::c0a8:101", "64:ff9b::a9fe:a9fe",  # NAT64
           "64:ff9b:1::a00:1", "64:ff9b:1::7f00:1",  # NAT64, local-use prefix
           "2002:7f00:1::", "2002:a00:1::1", "2002:c0a8:101::1", "2002:a9fe:a9fe::",  # 6to4
           "::127.0.0.1", "::10.0.0.1", "::192.168.0.1"]  # IPv4-compatible
ALLOWED = ["8.8.8.8", "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"]


@pytest.mark.parametrize("address", REFUSED)
def test_private_and_loopback_forms_are_refused(address):
    assert not is_public_address(address)


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_pass(address):
    assert is_public_address(address)
