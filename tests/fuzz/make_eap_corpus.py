#!/usr/bin/env python3
"""Writes the seed corpora of the EAP fuzz targets (fuzz_eap_mschapv2, _md5, _gtc,
_anyconnect: tests/fuzz/fuzz_eap_server.cpp; fuzz_eap_xml: fuzz_eap_xml.cpp). Packets and
documents are assembled here from RFC 3748 / RFC 2759 / the aggregate-auth notes, not by
the code under test. The output is checked in; re-run only when the set changes.

EapServer seeds use the harness's framing: Setup(1), then rounds Mode(1) | Length(2) | Data
(mode 0 raw packet, 1 Type-Data of the running method, 2 honest answer, 3 raw packet with
the Identifier patched; see fuzz_eap_server.cpp)."""
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
RAW, TYPE_DATA, HONEST, PATCHED = 0, 1, 2, 3
KNOWN, KNOWN_USER = 1, 3  # setup: identity from IDi ("alice"), or the NT-hash-only "User"
PASSWORD = "s3cret-P\u00e4ssword".encode()
IDENTITY, NAK, MD5, GTC, MSCHAPV2, EXPANDED = 1, 3, 4, 6, 26, 254


def rnd(mode, data=b""):
    return struct.pack("!BH", mode, len(data)) + data


def packet(code, ident, typ=None, data=b""):
    body = b"" if typ is None else bytes([typ]) + data
    return struct.pack("!BBH", code, ident, 4 + len(body)) + body


def response(typ, data=b""):
    return packet(2, 0, typ, data)  # Identifier 0: sent with mode PATCHED


def tlv(typ, value):
    return struct.pack("!HH", typ, len(value)) + value


def doc(kind, body=""):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<config-auth client="vpn" type="%s" '
            'aggregate-auth-version="2">%s</config-auth>' % (kind, body)).encode()


INIT = doc("init", '<version who="vpn">4.10.05095</version><device-id>linux-64</device-id>'
                   "<group-access>https://vpn.example.com</group-access>")


def auth_reply(user, password):
    return doc("auth-reply", '<version who="vpn">4.10</version><opaque is-for="sg"><tunnel-group>ikev2d'
                             "</tunnel-group></opaque><auth><username>%s</username><password>%s</password></auth>"
               % (user, password))


ACK = doc("ack")
HELLO = doc("hello")
# RFC 2759 9.2's Response fields (peer challenge, NT-Response) in an EAP-MSCHAPv2 Response.
PEER_CHALLENGE = bytes.fromhex("21402324255E262A28295F2B3A337C7E")
NT_RESPONSE = bytes.fromhex("82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF")


def mschapv2_response(name=b"User", ms_id=0):
    value = PEER_CHALLENGE + bytes(8) + NT_RESPONSE + b"\x00"
    body = bytes([ms_id]) + struct.pack("!H", 5 + len(value) + len(name)) + bytes([len(value)]) + value + name
    return bytes([2]) + body  # OpCode Response


corpora = {
    "eap_mschapv2": {
        "identity_then_success": b"\x00" + rnd(HONEST, b"alice") + rnd(HONEST) + rnd(HONEST),
        "known_identity_success": bytes([KNOWN]) + rnd(HONEST) + rnd(HONEST),
        "nt_hash_user": bytes([KNOWN_USER]) + rnd(HONEST) + rnd(HONEST),
        "rfc2759_response_wrong_challenge": bytes([KNOWN_USER]) + rnd(TYPE_DATA, mschapv2_response()),
        "nak_to_md5": bytes([KNOWN]) + rnd(PATCHED, response(NAK, bytes([MD5]))) + rnd(HONEST),
        "failure_ack": bytes([KNOWN]) + rnd(TYPE_DATA, b"\x04") + rnd(HONEST),
        "success_then_garbage": bytes([KNOWN]) + rnd(HONEST) + rnd(TYPE_DATA, b"\x03") + rnd(RAW, b"\x02"),
        "identity_controls": b"\x00" + rnd(PATCHED, response(IDENTITY, b"al\x01ice\x00")),
    },
    "eap_md5": {
        "identity_then_success": b"\x00" + rnd(HONEST, b"alice") + rnd(HONEST),
        "known_identity_success": bytes([KNOWN]) + rnd(HONEST),
        "wrong_hash": bytes([KNOWN]) + rnd(TYPE_DATA, b"\x10" + bytes(16) + b"alice"),
        "bad_value_size": bytes([KNOWN]) + rnd(TYPE_DATA, b"\x05abcde"),
        "nak_to_gtc": bytes([KNOWN]) + rnd(PATCHED, response(NAK, bytes([GTC, MSCHAPV2]))) + rnd(HONEST),
        "unknown_user": b"\x00" + rnd(HONEST, b"mallory") + rnd(HONEST),
        "wrong_identifier": bytes([KNOWN]) + rnd(RAW, packet(2, 7, MD5, b"\x10" + bytes(16))),
    },
    "eap_gtc": {
        "identity_then_success": b"\x00" + rnd(HONEST, b"alice") + rnd(HONEST),
        "crypt_hash_user": b"\x00" + rnd(HONEST, b"carol") + rnd(TYPE_DATA, b"hunter2"),
        "wrong_password": bytes([KNOWN]) + rnd(TYPE_DATA, b"wrong"),
        "empty_password": bytes([KNOWN]) + rnd(TYPE_DATA, b""),
        "nak_to_mschapv2": bytes([KNOWN]) + rnd(PATCHED, response(NAK, bytes([MSCHAPV2]))) + rnd(HONEST) +
        rnd(HONEST),
        "request_instead_of_response": bytes([KNOWN]) + rnd(PATCHED, packet(1, 0, GTC, b"x")),
    },
    "eap_anyconnect": {
        "full_login": bytes([KNOWN]) + rnd(HONEST, INIT) + rnd(HONEST, auth_reply("alice", "s3cret-P\u00e4ssword")) +
        rnd(HONEST, ACK),
        "one_failure_then_login": bytes([KNOWN]) + rnd(HONEST, INIT) + rnd(HONEST, auth_reply("alice", "nope")) +
        rnd(HONEST, auth_reply("alice", "s3cret-P\u00e4ssword")) + rnd(HONEST, ACK),
        "crypt_user": bytes([KNOWN]) + rnd(HONEST, INIT) + rnd(HONEST, auth_reply("carol", "hunter2")) +
        rnd(HONEST, ACK),
        "three_failures": bytes([KNOWN]) + rnd(HONEST, INIT) + rnd(HONEST, auth_reply("x", "y")) * 3,
        "signature_tlv_first": bytes([KNOWN]) + rnd(TYPE_DATA, tlv(1, b"\xaa\xbb") + tlv(0, INIT)),
        "doctype": bytes([KNOWN]) + rnd(HONEST, b'<!DOCTYPE a [<!ENTITY x "y">]><config-auth type="init"/>'),
        "identity_round_then_nak": b"\x00" + rnd(HONEST, b"*$AnyConnectClient$*") +
        rnd(PATCHED, response(NAK, bytes([EXPANDED]))),
    },
    "eap_xml": {
        "hello.xml": HELLO,
        "init.xml": INIT,
        "auth_reply.xml": auth_reply("alice", "pa&amp;ss&lt;word"),
        "ack.xml": ACK,
        "complete.xml": doc("complete", "<session-id>1234</session-id><session-token>00ff</session-token>"
                                        '<auth id="success"><banner>Welcome &amp; hello</banner></auth>'),
        "tlvs.bin": tlv(1, b"\x01\x02") + tlv(0, INIT),
        "doctype.xml": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>',
        "deep.xml": b"<a>" * 20 + b"</a>" * 20,
        "cdata_utf8.xml": "<r><![CDATA[<x>]]>\u00e4\u20ac&#x1F600;</r>".encode(),
    },
}
for target, seeds in corpora.items():
    out = os.path.join(ROOT, target)
    os.makedirs(out, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(out, name if "." in name else name + ".bin"), "wb") as f:
            f.write(data)
    print(f"wrote {len(seeds)} files to {out}")
