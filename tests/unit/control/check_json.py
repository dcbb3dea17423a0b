#!/usr/bin/env python3
"""Parses every ikectl JSON document that json_dump prints, with Python's own JSON
parser, and checks a few values, including the escaped hostile identity."""
import json
import subprocess
import sys

dump = sys.argv[1]
expected_id = 'quote" back\\ nl\n ctl\x01 bad\ufffd utf8 \uac00'

def load(what):
    out = subprocess.run([dump, what], check=True, capture_output=True).stdout
    return json.loads(out.decode('utf-8'))  # strict: raises on invalid JSON or UTF-8

sa = load('sa')
assert len(sa['ike_sas']) == 2, sa
assert sa['ike_sas'][0]['remote_id'] == expected_id, sa['ike_sas'][0]['remote_id']
assert sa['ike_sas'][1]['children'][0]['spi_in'] == 0x30b848a4
ipsec = load('ipsec')
assert ipsec['child_sas'][0]['udp_encap'] is True
sessions = load('sessions')
assert sessions['sessions'][0]['username'] == expected_id
stats = load('stats')
assert stats['stats']['ike_sa_created'] == 7
print('ok')
