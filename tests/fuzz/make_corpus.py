#!/usr/bin/env python3
"""Writes the seed corpus for fuzz_message: small valid IKEv2 messages assembled by hand
from the RFC 7296 diagrams (independent of the codec under test). Run from anywhere;
the output is checked in, so this only needs re-running when the set changes."""
import hashlib
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "message")


def payload(next_type, body, critical=False):
    return struct.pack("!BBH", next_type, 0x80 if critical else 0, 4 + len(body)) + body


def chain(items):
    """items: list of (type, body[, critical]); returns (first type, bytes)."""
    out = b""
    for i, item in enumerate(items):
        nxt = items[i + 1][0] if i + 1 < len(items) else 0
        out += payload(nxt, item[1], len(item) > 2 and item[2])
    return (items[0][0] if items else 0), out


def message(exchange, flags, mid, items, spi_r=0, first_override=None, raw=None):
    first, body = chain(items) if raw is None else (first_override, raw)
    return struct.pack("!QQBBBBII", 0x58AFF71141BA436B, spi_r, first, 0x20, exchange, flags, mid,
                       28 + len(body)) + body


def transform(last, ttype, tid, key_bits=None):
    attrs = struct.pack("!HH", 0x800E, key_bits) if key_bits else b""
    return struct.pack("!BBHBBH", 3 if not last else 0, 0, 8 + len(attrs), ttype, 0, tid) + attrs


def proposal(last, number, protocol, spi, transforms):
    body = b"".join(transforms)
    return struct.pack("!BBHBBBB", 0 if last else 2, 0, 8 + len(spi) + len(body), number, protocol, len(spi),
                       len(transforms)) + spi + body


def ike_proposal(number, last=True, spi=b""):
    return proposal(last, number, 1, spi, [transform(False, 1, 12, 256), transform(False, 2, 5),
                                           transform(False, 3, 12), transform(True, 4, 14)])


def esp_proposal(number, last=True):
    return proposal(last, number, 3, b"\xc0\xff\xee\x01", [transform(False, 1, 20, 256), transform(True, 5, 0)])


def notify(ntype, data=b"", protocol=0, spi=b""):
    return struct.pack("!BBH", protocol, len(spi), ntype) + spi + data


def ts(*selectors):
    return struct.pack("!B3x", len(selectors)) + b"".join(selectors)


V4_ANY = struct.pack("!BBHHH", 7, 0, 16, 0, 65535) + bytes(4) + b"\xff" * 4
V6_ANY = struct.pack("!BBHHH", 8, 0, 40, 0, 65535) + bytes(16) + b"\xff" * 16
NONCE = bytes(range(32))
NAT = hashlib.sha1(b"corpus").digest()
SA, KE, IDI, IDR, CERT, CERTREQ, AUTH, NONCE_T, N, D, V, TSI, TSR, SK, CP, EAP, SKF, CISCO = (
    33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 53, 132)

corpus = {
    "sa_init_request": message(34, 0x08, 0, [
        (SA, ike_proposal(1, last=False) + ike_proposal(2)),
        (KE, struct.pack("!HH", 14, 0) + b"\x42" * 256),
        (NONCE_T, NONCE),
        (N, notify(16388, NAT)), (N, notify(16389, NAT)), (N, notify(16430)),
        (V, b"CISCO-DELETE-REASON")]),
    "sa_init_response_cookie": message(34, 0x20, 0, [(N, notify(16390, b"\x01" * 16))]),
    "sa_init_invalid_ke": message(34, 0x20, 0, [(N, notify(17, struct.pack("!H", 19)))], spi_r=1),
    "auth_request_plain": message(35, 0x08, 1, [
        (IDI, bytes([201, 0, 0, 0]) + b"*$AnyConnectClient$*"),
        (CERTREQ, b"\x04" + b"\x33" * 20),
        (CP, bytes([1, 0, 0, 0]) + struct.pack("!HH", 1, 0) + struct.pack("!HH", 7, 4) + b"ACv4"),
        (SA, esp_proposal(1)), (TSI, ts(V4_ANY)), (TSR, ts(V4_ANY, V6_ANY)),
        (N, notify(16384))], spi_r=2),
    "auth_response_plain": message(35, 0x20, 1, [
        (IDR, bytes([9, 0, 0, 0]) + bytes.fromhex("301a3118301606092a864886f70d010902160941534149")),
        (CERT, b"\x04" + b"\x30" * 40),
        (AUTH, bytes([1, 0, 0, 0]) + b"\xaa" * 32),
        (EAP, bytes([1, 1, 0, 10, 254, 0, 0, 9, 0x44, 0x42])),
    ], spi_r=3),
    "auth_sk": message(35, 0x08, 1, None, spi_r=4, first_override=SK, raw=payload(IDI, b"\xcc" * 64)),
    "auth_skf": message(35, 0x08, 1, None, spi_r=5, first_override=SKF,
                        raw=payload(IDI, struct.pack("!HH", 1, 3) + b"\xcd" * 48)),
    "auth_cisco_fragment": message(35, 0x20, 5, None, spi_r=6, first_override=CISCO,
                                   raw=payload(0, struct.pack("!HBB", 3, 9, 1) + b"\xce" * 40)),
    "informational_delete": message(37, 0x08, 6, [
        (D, struct.pack("!BBH", 3, 4, 2) + b"\x01\x02\x03\x04\x05\x06\x07\x08"),
        (D, struct.pack("!BBH", 1, 0, 0))], spi_r=7),
    "informational_empty": message(37, 0x20, 7, [], spi_r=8),
    "create_child_sa": message(36, 0x08, 8, [
        (N, notify(16393, protocol=3, spi=b"\xc0\xff\xee\x01")),
        (SA, esp_proposal(1, last=False) + esp_proposal(2)), (NONCE_T, NONCE),
        (TSI, ts(V4_ANY)), (TSR, ts(V4_ANY))], spi_r=9),
    "unknown_noncritical": message(37, 0x08, 9, [(200, b"\x01\x02\x03"), (V, b"\x40\x48\xb7\xd5")], spi_r=10),
    "cp_reply": message(35, 0x20, 5, [
        (CP, bytes([2, 0, 0, 0]) + struct.pack("!HH", 1, 4) + bytes([10, 10, 10, 5]) +
         struct.pack("!HH", 2, 4) + bytes([255, 255, 255, 0]) + struct.pack("!HH", 28676, 14) + bytes(14)),
        (AUTH, bytes([2, 0, 0, 0]) + b"\x55" * 20)], spi_r=11),
}

os.makedirs(OUT, exist_ok=True)
for name, data in corpus.items():
    with open(os.path.join(OUT, name + ".bin"), "wb") as f:
        f.write(data)
print(f"wrote {len(corpus)} files to {OUT}")
