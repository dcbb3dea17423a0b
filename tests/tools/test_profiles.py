#!/usr/bin/env python3
"""ikectl profile: every format parses with its platform's parser (plistlib, json, an
XML parser, INI for the NetworkManager keyfile) and names only proposals the gateway's
configuration accepts; two configurations give two different sets, and a configuration
Windows cannot meet fails clearly. Usage: test_profiles.py IKECTL PKI_DIR"""
import base64
import configparser
import json
import os
import plistlib
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import xml.etree.ElementTree as ET

IKECTL, PKI = sys.argv[1], sys.argv[2]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


TAIL = f"""
[pool.p]
range = "10.9.0.0/24"
[trustpoint]
certificate = "{PKI}/gateway.pem"
private_key = "{PKI}/gateway.key"
ca_certificates = ["{PKI}/ca.pem"]
identity = "vpn.example.com"
[group.staff]
pool = "p"
eap_methods = ["mschapv2"]
split_include = ["10.0.0.0/8"]
[user.alice]
group = "staff"
password = "secret-1"
"""
CONFIGS = {
    "modern": """
[[ike_policy]]
priority = 10
encryption = ["aes-gcm-256"]
prf = ["sha384"]
groups = ["ecp384"]
[ipsec_proposal.default]
encryption = ["aes-gcm-256"]
""" + TAIL,
    "cbc": """
[[ike_policy]]
priority = 10
encryption = ["aes-128"]
integrity = ["sha256"]
groups = ["modp2048"]
[ipsec_proposal.default]
encryption = ["aes-128"]
integrity = ["sha1"]
""" + TAIL,
    "no-windows": """
[[ike_policy]]
priority = 10
encryption = ["chacha20-poly1305"]
prf = ["sha256"]
groups = ["curve25519"]
[ipsec_proposal.default]
encryption = ["chacha20-poly1305"]
""" + TAIL,
}

# Each platform's names -> the configuration's names (the platforms' documentation).
STRONGSWAN = {"aes256gcm16": "aes-gcm-256", "aes128gcm16": "aes-gcm-128", "aes128": "aes-128", "aes256": "aes-256",
              "chacha20poly1305": "chacha20-poly1305", "sha256": "sha256", "sha1": "sha1", "sha384": "sha384",
              "prfsha256": "sha256", "prfsha384": "sha384", "prfsha1": "sha1", "ecp384": "ecp384",
              "ecp256": "ecp256", "modp2048": "modp2048", "curve25519": "curve25519"}
APPLE_ENC = {"AES-256-GCM": "aes-gcm-256", "AES-128-GCM": "aes-gcm-128", "AES-128": "aes-128", "AES-256": "aes-256",
             "ChaCha20Poly1305": "chacha20-poly1305"}
APPLE_HASH = {"SHA2-256": "sha256", "SHA2-384": "sha384", "SHA1-96": "sha1", "SHA1-160": "sha1"}
APPLE_DH = {14: "modp2048", 19: "ecp256", 20: "ecp384", 31: "curve25519"}
WIN_ENC = {"GCMAES256": "aes-gcm-256", "GCMAES128": "aes-gcm-128", "AES128": "aes-128", "AES256": "aes-256"}
WIN_HASH = {"SHA256": "sha256", "SHA384": "sha384", "SHA1": "sha1"}
WIN_DH = {"Group14": "modp2048", "ECP256": "ecp256", "ECP384": "ecp384"}
WIN_ESP_AUTH = {"SHA256128": "sha256", "SHA196": "sha1", "GCMAES256": None, "GCMAES128": None}


def allowed(conf):
    """Every algorithm name the configuration accepts, per SA."""
    ike = set()
    for p in conf["ike_policy"]:
        ike |= set(p["encryption"]) | set(p.get("integrity", [])) | set(p.get("prf", [])) | set(p["groups"])
    esp = conf["ipsec_proposal"]["default"]
    return ike, set(esp["encryption"]) | set(esp.get("integrity", []))


def ca_der_b64():
    with open(f"{PKI}/ca.pem") as f:
        body = "".join(l.strip() for l in f if not l.startswith("-----"))
    return base64.b64encode(base64.b64decode(body)).decode()


def run(conf_path, fmt, out):
    return subprocess.run([IKECTL, "profile", "--config", conf_path, "--group", "staff", "--user", "alice",
                           "--format", fmt, "-o", out], capture_output=True, text=True)


def strongswan_names_ok(proposals, ok, what):
    for proposal in proposals:
        for token in proposal.split("-"):
            check(STRONGSWAN.get(token) in ok, f"{what}: '{token}' of '{proposal}' is not accepted by the config")


tmp = tempfile.mkdtemp(prefix="ikectl-profile-test.")
outputs = {}
try:
    for name, text in CONFIGS.items():
        conf_path = os.path.join(tmp, name + ".conf")
        with open(conf_path, "w") as f:
            f.write(text)
        conf = tomllib.loads(text)
        ike_ok, esp_ok = allowed(conf)
        d = os.path.join(tmp, name)
        os.makedirs(f"{d}/swanctl")

        # Apple
        r = run(conf_path, "mobileconfig", f"{d}/p.mobileconfig")
        check(r.returncode == 0, f"{name}: mobileconfig: {r.stderr}")
        with open(f"{d}/p.mobileconfig", "rb") as f:
            plist = plistlib.load(f)
        if shutil.which("xmllint"):
            check(subprocess.run(["xmllint", "--noout", f"{d}/p.mobileconfig"]).returncode == 0,
                  f"{name}: xmllint refuses the mobileconfig")
        root, vpn = plist["PayloadContent"]
        check(root["PayloadType"] == "com.apple.security.root", f"{name}: first payload is not the root CA")
        check(base64.b64encode(root["PayloadContent"]).decode() == ca_der_b64(), f"{name}: root payload is not ca.pem")
        check(vpn["PayloadType"] == "com.apple.vpn.managed" and vpn["VPNType"] == "IKEv2", f"{name}: no IKEv2 payload")
        ikev2 = vpn["IKEv2"]
        check(ikev2["RemoteAddress"] == "vpn.example.com" and ikev2["ExtendedAuthEnabled"] == 1, f"{name}: IKEv2 dict")
        ike = ikev2["IKESecurityAssociationParameters"]
        check(APPLE_ENC.get(ike["EncryptionAlgorithm"]) in ike_ok, f"{name}: Apple IKE cipher {ike}")
        check(APPLE_HASH.get(ike["IntegrityAlgorithm"]) in ike_ok, f"{name}: Apple IKE integrity {ike}")
        check(APPLE_DH.get(ike["DiffieHellmanGroup"]) in ike_ok, f"{name}: Apple IKE group {ike}")
        child = ikev2["ChildSecurityAssociationParameters"]
        check(APPLE_ENC.get(child["EncryptionAlgorithm"]) in esp_ok, f"{name}: Apple ESP cipher {child}")
        outputs[(name, "mobileconfig")] = (ike, child)

        # strongSwan Android
        r = run(conf_path, "sswan", f"{d}/p.sswan")
        check(r.returncode == 0, f"{name}: sswan: {r.stderr}")
        with open(f"{d}/p.sswan") as f:
            sswan = json.load(f)
        check(sswan["type"] == "ikev2-eap" and sswan["local"]["eap_id"] == "alice", f"{name}: sswan type/eap_id")
        check(sswan["remote"]["cert"] == ca_der_b64(), f"{name}: sswan remote.cert is not ca.pem")
        check(re.fullmatch(r"[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}", sswan["uuid"]) is not None, f"{name}: uuid")
        strongswan_names_ok([sswan["ike-proposal"]], ike_ok, f"{name}: sswan ike")
        strongswan_names_ok([sswan["esp-proposal"]], esp_ok, f"{name}: sswan esp")
        outputs[(name, "sswan")] = (sswan["ike-proposal"], sswan["esp-proposal"])

        # AnyConnect
        r = run(conf_path, "anyconnect", f"{d}/p.xml")
        check(r.returncode == 0, f"{name}: anyconnect: {r.stderr}")
        ns = {"a": "http://schemas.xmlsoap.org/encoding/"}
        host = ET.parse(f"{d}/p.xml").getroot().find("a:ServerList/a:HostEntry", ns)
        check(host is not None and host.findtext("a:HostAddress", namespaces=ns) == "vpn.example.com"
              and host.findtext("a:UserGroup", namespaces=ns) == "staff", f"{name}: AnyConnect HostEntry")
        check(host.findtext("a:PrimaryProtocol/a:StandardAuthenticationOnly/a:AuthMethodDuringIKENegotiation",
                            namespaces=ns) == "EAP-MSCHAPv2", f"{name}: AnyConnect auth method")

        # NetworkManager: nmcli (and its `--offline` keyfile mode of recent versions) is not
        # installed on the build hosts, so the keyfile is parsed as INI, as GKeyFile reads it.
        if name == "modern":
            print("nm: keyfile parsed as INI (configparser); nmcli's offline keyfile parser is not used")
        r = run(conf_path, "nm", f"{d}/p.nmconnection")
        check(r.returncode == 0, f"{name}: nm: {r.stderr}")
        ini = configparser.ConfigParser(interpolation=None)
        ini.read(f"{d}/p.nmconnection")
        check(ini["connection"]["type"] == "vpn", f"{name}: nm type")
        vpn_section = ini["vpn"]
        check(vpn_section["service-type"] == "org.freedesktop.NetworkManager.strongswan", f"{name}: nm service")
        check(vpn_section["method"] == "eap" and vpn_section["user"] == "alice", f"{name}: nm method/user")
        strongswan_names_ok(vpn_section["ike"].split(";"), ike_ok, f"{name}: nm ike")
        strongswan_names_ok(vpn_section["esp"].split(";"), esp_ok, f"{name}: nm esp")
        check(os.path.exists(f"{d}/staff-alice-ca.pem"), f"{name}: nm: the CA file beside the keyfile")

        # swanctl (loaded by a real charon in e2e scenario 18): names and the x509ca file
        r = run(conf_path, "swanctl", f"{d}/swanctl/swanctl.conf")
        check(r.returncode == 0, f"{name}: swanctl: {r.stderr}")
        with open(f"{d}/swanctl/swanctl.conf") as f:
            swanctl = f.read()
        m = re.search(r"^\s*proposals = (.*)$", swanctl, re.M)
        strongswan_names_ok(m.group(1).split(", "), ike_ok, f"{name}: swanctl proposals")
        m = re.search(r"^\s*esp_proposals = (.*)$", swanctl, re.M)
        strongswan_names_ok(m.group(1).split(", "), esp_ok, f"{name}: swanctl esp_proposals")
        with open(f"{d}/swanctl/x509ca/staff-alice-ca.pem") as f, open(f"{PKI}/ca.pem") as g:
            check(f.read().split() == g.read().split(), f"{name}: x509ca/staff-alice-ca.pem is not ca.pem")

        # Windows
        r = run(conf_path, "powershell", f"{d}/p.ps1")
        if name == "no-windows":
            check(r.returncode == 1 and "Windows" in r.stderr and not os.path.exists(f"{d}/p.ps1"),
                  f"{name}: powershell must fail clearly: rc {r.returncode}, {r.stderr}")
            continue
        check(r.returncode == 0, f"{name}: powershell: {r.stderr}")
        with open(f"{d}/p.ps1") as f:
            ps = f.read()
        m = re.search(r"Set-VpnConnectionIPsecConfiguration (.*)", ps)
        args = dict(re.findall(r"-(\w+) (\S+)", m.group(1)))
        check(WIN_ENC.get(args["EncryptionMethod"]) in ike_ok, f"{name}: Windows EncryptionMethod {args}")
        check(WIN_HASH.get(args["IntegrityCheckMethod"]) in ike_ok, f"{name}: Windows IntegrityCheckMethod {args}")
        check(WIN_DH.get(args["DHGroup"]) in ike_ok, f"{name}: Windows DHGroup {args}")
        check(WIN_ENC.get(args["CipherTransformConstants"]) in esp_ok, f"{name}: Windows cipher {args}")
        auth = args["AuthenticationTransformConstants"]
        check(auth in WIN_ESP_AUTH and (WIN_ESP_AUTH[auth] is None or WIN_ESP_AUTH[auth] in esp_ok),
              f"{name}: Windows AuthenticationTransformConstants {args}")
        check("-AuthenticationMethod Eap" in ps and "Import-Certificate" in ps and "-TunnelType Ikev2" in ps,
              f"{name}: Add-VpnConnection/Import-Certificate")
        outputs[(name, "powershell")] = args

    # A self-signed gateway certificate is pinned (swanctl x509/, remote certs).
    pinned = CONFIGS["modern"].replace(f"{PKI}/gateway.pem", f"{PKI}/ca.pem").replace(
        f'ca_certificates = ["{PKI}/ca.pem"]\n', "")
    pinned_path = os.path.join(tmp, "pinned.conf")
    with open(pinned_path, "w") as f:
        f.write(pinned)
    os.makedirs(f"{tmp}/pinned/swanctl")
    r = run(pinned_path, "swanctl", f"{tmp}/pinned/swanctl/swanctl.conf")
    check(r.returncode == 0, f"pinned: swanctl: {r.stderr}")
    with open(f"{tmp}/pinned/swanctl/swanctl.conf") as f:
        text = f.read()
    check("certs = staff-alice-gateway.pem" in text and "cacerts" not in text, "pinned: remote certs")
    check(os.path.exists(f"{tmp}/pinned/swanctl/x509/staff-alice-gateway.pem"), "pinned: x509/staff-alice-gateway.pem")
    r = run(pinned_path, "mobileconfig", f"{tmp}/pinned/p.mobileconfig")
    with open(f"{tmp}/pinned/p.mobileconfig", "rb") as f:
        plist = plistlib.load(f)
    check(base64.b64encode(plist["PayloadContent"][0]["PayloadContent"]).decode() == ca_der_b64(),
          "pinned: the root payload is the self-signed gateway certificate")

    # Errors: exit 1 with the reason, 2 for usage; nothing written.
    conf_path = os.path.join(tmp, "modern.conf")
    for args, status, words in (
            (["--group", "nosuch", "--format", "swanctl"], 1, "no group 'nosuch'"),
            (["--group", "staff", "--format", "nosuch"], 2, "unknown format"),
            (["--group", "staff", "--user", "alice"], 2, "--format is required"),
            (["--group", "staff", "--format", "swanctl", "--ca", f"{tmp}/missing.pem"], 1, "missing.pem")):
        r = subprocess.run([IKECTL, "profile", "--config", conf_path] + args + ["-o", f"{tmp}/err.out"],
                           capture_output=True, text=True)
        check(r.returncode == status and words in r.stderr and not os.path.exists(f"{tmp}/err.out"),
              f"profile {args}: status {r.returncode}, stderr {r.stderr!r}")
    other = CONFIGS["modern"] + '\n[group.other]\npool = "p"\n[user.bob]\ngroup = "other"\npassword = "b"\n'
    other = other.replace('[pool.p]', '[global]\ndefault_group = "staff"\n[pool.p]')
    with open(os.path.join(tmp, "other.conf"), "w") as f:
        f.write(other)
    r = subprocess.run([IKECTL, "profile", "--config", os.path.join(tmp, "other.conf"), "--group", "staff",
                        "--user", "bob", "--format", "sswan"], capture_output=True, text=True)
    check(r.returncode == 1 and "belongs to group 'other'" in r.stderr, f"user of another group: {r.stderr!r}")

    # IPv6 (issue 13): a dual-stack group's profiles ask for both families and tunnel its IPv6
    # networks; an IPv4-only group's (even with an IPv6 prefix in split_include, which it has no
    # address to reach) do not; an IPv6-only group asks for :: only.
    V6_POOL = '[pool.p6]\nrange = "2001:db8:9::/120"\n'
    SPLIT = 'split_include = ["10.0.0.0/8"]'
    SPLIT_DUAL = 'split_include = ["10.0.0.0/8", "2001:db8:10::/48"]'
    family_configs = {
        "dual": CONFIGS["modern"].replace("[pool.p]", V6_POOL + "[pool.p]")
                .replace('pool = "p"\n', 'pool = "p"\nipv6_pool = "p6"\n').replace(SPLIT, SPLIT_DUAL),
        "dual-full": CONFIGS["modern"].replace("[pool.p]", V6_POOL + "[pool.p]")
                     .replace('pool = "p"\n', 'pool = "p"\nipv6_pool = "p6"\n').replace(SPLIT + "\n", ""),
        "v4only": CONFIGS["modern"].replace(SPLIT, SPLIT_DUAL),
        "v6only": CONFIGS["modern"].replace("[pool.p]", V6_POOL + "[pool.p]")
                  .replace('pool = "p"\n', 'pool = "p6"\n').replace(SPLIT, SPLIT_DUAL),
    }
    fam = {}
    for name, text in family_configs.items():
        conf_path = os.path.join(tmp, name + ".conf")
        with open(conf_path, "w") as f:
            f.write(text)
        d = os.path.join(tmp, name)
        os.makedirs(f"{d}/swanctl")
        out = {}
        for fmt, file in (("swanctl", "swanctl/swanctl.conf"), ("sswan", "p.sswan"), ("powershell", "p.ps1"),
                          ("nm", "p.nmconnection"), ("mobileconfig", "p.mobileconfig")):
            r = run(conf_path, fmt, f"{d}/{file}")
            check(r.returncode == 0, f"{name}: {fmt}: {r.stderr}")
            with open(f"{d}/{file}", "rb") as f:
                out[fmt] = f.read()
        swanctl = out["swanctl"].decode()
        vips = re.search(r"^\s*vips = (.*)$", swanctl, re.M).group(1).split(", ")
        remote_ts = re.search(r"^\s*remote_ts = (.*)$", swanctl, re.M).group(1).split(", ")
        sswan = json.loads(out["sswan"])
        subnets = sswan.get("split-tunneling", {}).get("subnets", "").split()
        routes = re.findall(r"Add-VpnConnectionRoute .* -DestinationPrefix '([^']*)'", out["powershell"].decode())
        nm = configparser.ConfigParser(interpolation=None)
        nm.read_string(out["nm"].decode())
        nm4 = [v for k, v in nm["ipv4"].items() if k.startswith("route")]
        nm6 = [v for k, v in nm["ipv6"].items() if k.startswith("route")] if nm.has_section("ipv6") else []
        plistlib.loads(out["mobileconfig"])  # Apple's IKEv2 dictionary has no IPv6 key: only still valid
        fam[name] = dict(vips=vips, remote_ts=remote_ts, subnets=subnets, routes=routes, nm4=nm4, nm6=nm6,
                         nm4_method=nm["ipv4"]["method"], nm6_method=nm["ipv6"]["method"],
                         nm6_never_default=nm["ipv6"].get("never-default"))
        print(f"{name}: {fam[name]}")
    dual, full, v4, v6 = fam["dual"], fam["dual-full"], fam["v4only"], fam["v6only"]
    check(dual["vips"] == ["0.0.0.0", "::"], f"dual: swanctl vips {dual['vips']}")
    check(dual["remote_ts"] == ["10.0.0.0/8", "2001:db8:10::/48"], f"dual: swanctl remote_ts {dual['remote_ts']}")
    check(full["vips"] == ["0.0.0.0", "::"] and full["remote_ts"] == ["0.0.0.0/0", "::/0"],
          f"dual-full: swanctl vips {full['vips']} remote_ts {full['remote_ts']}")
    check(dual["subnets"] == ["10.0.0.0/8", "2001:db8:10::/48"], f"dual: sswan subnets {dual['subnets']}")
    check(dual["routes"] == ["10.0.0.0/8", "2001:db8:10::/48"], f"dual: Windows routes {dual['routes']}")
    check(dual["nm6_method"] == "auto" and dual["nm6"] == ["2001:db8:10::/48"] and dual["nm6_never_default"] == "true",
          f"dual: nm [ipv6] {dual}")
    check(dual["nm4"] == ["10.0.0.0/8"] and dual["nm4_method"] == "auto", f"dual: nm [ipv4] {dual}")
    check(full["nm6_method"] == "auto" and full["nm6"] == [] and full["nm6_never_default"] is None,
          f"dual-full: nm [ipv6] {full}")
    check(v4["vips"] == ["0.0.0.0"] and v4["remote_ts"] == ["10.0.0.0/8"], f"v4only: swanctl {v4}")
    check(v4["subnets"] == ["10.0.0.0/8"] and v4["routes"] == ["10.0.0.0/8"], f"v4only: sswan/Windows {v4}")
    check(v4["nm6_method"] == "ignore" and v4["nm6"] == [] and v4["nm4"] == ["10.0.0.0/8"], f"v4only: nm {v4}")
    check(v6["vips"] == ["::"] and v6["remote_ts"] == ["2001:db8:10::/48"], f"v6only: swanctl {v6}")
    check(v6["subnets"] == ["2001:db8:10::/48"] and v6["routes"] == ["2001:db8:10::/48"], f"v6only: sswan/Windows {v6}")
    check(v6["nm6_method"] == "auto" and v6["nm4_method"] == "disabled" and v6["nm4"] == [], f"v6only: nm {v6}")

    # The proposals follow the configuration, not a fixed list.
    for fmt in ("mobileconfig", "sswan", "powershell"):
        check(outputs[("modern", fmt)] != outputs[("cbc", fmt)], f"{fmt}: same proposals for two configurations")
finally:
    shutil.rmtree(tmp)

print("profiles: %d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
