#!/usr/bin/env python3
"""D-Bus integration tests of ikectl and DbusService on a private dbus-daemon.

usage: run_dbus_test.py SCENARIO IKECTL FAKE_SERVER POLICY_CONF
Scenarios: commands, signals, permission, shipped-policy, not-running, nt-hash,
caller-check, debug-args, hostile-strings, dump, pools, sessions-user, monitor,
prometheus, json-errors.
Each starts its own dbus-daemon (session-like config written to a temp dir), the
fake server (tests/control/fake_server.cpp: the real DbusService over a fake backend
that logs every call) and runs the ikectl binary against it with --bus-address.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SKIP = 77
scenario, IKECTL, SERVER, POLICY = sys.argv[1:5]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what, file=sys.stderr)


BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    {default_rules}
  </policy>
  {extra}
</busconfig>
"""
OPEN_RULES = '<allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/>'


class Bus:
    def __init__(self, tmp, default_rules=OPEN_RULES, extra=''):
        conf = os.path.join(tmp, 'bus.conf')
        with open(conf, 'w') as f:
            f.write(BUS_CONFIG.format(dir=tmp, default_rules=default_rules, extra=extra))
        self.proc = subprocess.Popen(['dbus-daemon', '--config-file=' + conf, '--nofork', '--print-address'],
                                     stdout=subprocess.PIPE, text=True)
        self.address = self.proc.stdout.readline().strip()
        if not self.address:
            raise RuntimeError('dbus-daemon did not start')

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


class Server:
    def __init__(self, bus, log, preexec=None, options=()):
        self.proc = subprocess.Popen([SERVER, bus.address, log] + list(options), stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, preexec_fn=preexec)
        line = self.proc.stdout.readline().strip()
        if line != 'READY':
            self.proc.wait(timeout=10)
            self.error = self.proc.stderr.read()
        else:
            self.error = None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            check(self.proc.wait(timeout=10) == 0, 'fake server exits cleanly on SIGTERM')


def ikectl(bus, *args, env=None, preexec=None):
    cmd = [IKECTL] + (['--bus-address', bus.address] if bus else []) + list(args)
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, preexec_fn=preexec, timeout=30)
    return p.returncode, p.stdout, p.stderr


def calls(log):
    if not os.path.exists(log):
        return []
    with open(log) as f:
        return f.read().splitlines()


def scenario_commands(tmp):
    bus = Bus(tmp)
    log = os.path.join(tmp, 'calls.log')
    server = Server(bus, log)
    try:
        check(server.error is None, 'fake server starts: %s' % server.error)
        rc, out, err = ikectl(bus, 'show', 'sa')
        check(rc == 0 and err == '', 'show sa succeeds')
        for line in ['IKEv2 SAs:\n',
                     '\nSession-id:2, Status:UP-ACTIVE, IKE count:1, CHILD count:1\n',
                     '\n55182129   10.0.0.1/4500             192.168.1.1/25171         READY     RESPONDER\n',
                     '      Encr: AES-CBC, keysize: 192, Hash: SHA96, DH Grp:1, Auth sign: RSA, Auth verify: EAP\n',
                     '      Life/Active Time: 86400/0 sec\n',
                     'Child sa: local selector  0.0.0.0/0 - 255.255.255.255/65535\n',
                     '          remote selector 10.2.2.1/0 - 10.2.2.1/65535\n',
                     '          ESP spi in/out: 0x30b848a4/0x77ee5348\n']:
            check(line in out, 'show sa has %r' % line)
        check('Local spi' not in out, 'show sa is not detailed')

        rc, out, _ = ikectl(bus, 'show', 'sa', 'detail')
        for line in ['      Local spi: FC696330E6B94D7F       Remote spi: 58AFF71141BA436B\n',
                     '      Remote id: *$AnyConnectClient$*\n', '      NAT-T is detected outside\n',
                     '      DPD configured for 10 seconds, retry 2\n',
                     '          Encr: AES-CBC, keysize: 256, esp_hmac: SHA96\n']:
            check(rc == 0 and line in out, 'show sa detail has %r' % line)

        rc, out, _ = ikectl(bus, 'show', 'ipsec', 'sa')
        for line in ['      remote ident (addr/mask/prot/port): (10.2.2.1/255.255.255.255/0/0)\n',
                     '      #pkts decaps: 163, #pkts decrypt: 163, #pkts verify: 163\n',
                     '      spi: 0x30B848A4 (817383588)\n',
                     '         transform: esp-aes-256 esp-sha-hmac no compression\n',
                     '         in use settings ={RA, Tunnel, NAT-T-Encaps, }\n']:
            check(rc == 0 and line in out, 'show ipsec sa has %r' % line)

        rc, out, _ = ikectl(bus, 'show', 'sessions')
        check(rc == 0 and 'Username     : Anu                    Index        : 2\n' in out, 'show sessions')
        check('Login Time   : 22:06:24 UTC Mon Apr 22 2013\n' in out, 'show sessions login time')
        rc, out, _ = ikectl(bus, 'show', 'sessions', 'detail')
        check(rc == 0 and '  Rekey Int (T): 86400 Seconds          Rekey Left(T): 86400 Seconds\n' in out,
              'show sessions detail joins the IKE SA')
        check('  Tunnel ID    : 55182129.3\n' in out, 'show sessions detail lists the Child SA')

        rc, out, _ = ikectl(bus, 'show', 'stats')
        check(rc == 0 and '  Cookies sent              : 6\n' in out, 'show stats')

        # --json for every view, parsed by Python's strict JSON parser.
        for args, top in [(['show', 'sa'], 'ike_sas'), (['show', 'sa', 'detail'], 'ike_sas'),
                          (['show', 'ipsec', 'sa'], 'child_sas'), (['show', 'sessions'], 'sessions'),
                          (['show', 'sessions', 'detail'], 'sessions'), (['show', 'stats'], 'stats')]:
            rc, out, _ = ikectl(bus, '--json', *args)
            try:
                doc = json.loads(out)
                check(rc == 0 and top in doc, '--json %s has %s' % (' '.join(args), top))
            except ValueError as e:
                check(False, '--json %s is valid JSON: %s' % (' '.join(args), e))
        rc, out, _ = ikectl(bus, 'show', 'sa', '--json')  # option after the command
        check(rc == 0 and json.loads(out)['ike_sas'][0]['children'][0]['spi_out'] == 0x77ee5348,
              'JSON carries the SPI')

        # Control commands reach the backend.
        rc, out, _ = ikectl(bus, 'disconnect', '2')
        check(rc == 0 and out == 'Disconnected 1 session (index/tunnel-id 2)\n', 'disconnect 2: %r' % out)
        rc, out, _ = ikectl(bus, 'disconnect', 'Anu')
        check(rc == 0 and out == 'Disconnected 1 session (user Anu)\n', 'disconnect Anu: %r' % out)
        rc, out, err = ikectl(bus, 'disconnect', 'user', 'nobody')
        check(rc == 1 and err == 'ikectl: no session matches user nobody\n', 'disconnect unknown user: %r' % err)
        rc, out, _ = ikectl(bus, '--json', 'disconnect', 'index', '55182129')
        check(rc == 0 and json.loads(out) == {'disconnected': 1}, 'disconnect --json')
        # RFC 5685 redirect of a live session: the reason of a refusal is shown as it came.
        rc, out, _ = ikectl(bus, 'redirect', '2', '198.51.100.2')
        check(rc == 0 and out == 'Redirecting session 2 to 198.51.100.2\n', 'redirect 2: %r' % out)
        rc, out, err = ikectl(bus, 'redirect', '7', '198.51.100.2')
        check(rc == 1 and err == 'ikectl: redirect refused: no session with index/tunnel id 7\n', 'redirect 7: %r' % err)
        rc, out, err = ikectl(bus, 'redirect', '2', 'gw\x01b')
        check(rc == 1 and err == "ikectl: redirect refused: 'gw\\x01b' is neither an IPv4 or IPv6 address nor a host name\n",
              'redirect to a bad gateway, control character escaped: %r' % err)
        rc, out, _ = ikectl(bus, '--json', 'redirect', '2', '198.51.100.2')
        check(rc == 0 and json.loads(out) == {'redirected': '198.51.100.2'}, 'redirect --json: %r' % out)
        rc, out, err = ikectl(bus, 'redirect', 'x', '198.51.100.2')
        check(rc == 2 and 'not a session index or tunnel id: x' in err, 'redirect x is a usage error: %r' % err)
        rc, out, _ = ikectl(bus, 'reload')
        check(rc == 0 and out == 'Configuration reloaded\n', 'reload: %r' % out)
        rc, out, err = ikectl(bus, 'reload')
        check(rc == 1 and err == "ikectl: reload failed, running configuration kept: "
              "/etc/ikev2d/ikev2d.conf:3: unknown key 'lisen'\n", 'failed reload: %r' % err)
        rc, out, _ = ikectl(bus, 'debug', 'protocol', '127')
        check(rc == 0 and out == 'Debug level of protocol set to 127\n', 'debug: %r' % out)
        rc, out, err = ikectl(bus, 'debug', 'bogus', '1')
        check(rc == 1 and 'unknown debug category' in err, 'debug bogus: %r' % err)
        rc, out, err = ikectl(bus, 'debug', 'platform', '66')
        check(rc == 1 and 'SetDebug: backend failure' in err, 'backend exception becomes an error: %r' % err)
        rc, out, err = ikectl(bus, 'debug', 'eap', '128')
        check(rc == 2 and 'debug level must be a number 0..127' in err, 'debug level range is a usage error: %r' % err)
        check(calls(log) == ['disconnect_session 2', 'disconnect_user Anu', 'disconnect_user nobody',
                             'disconnect_session 55182129', 'redirect_session 2 198.51.100.2',
                             'redirect_session 7 198.51.100.2', 'redirect_session 2 gw\x01b',
                             'redirect_session 2 198.51.100.2', 'reload', 'reload', 'set_debug protocol 127',
                             'set_debug platform 66'],
              'backend saw exactly the calls: %r' % calls(log))

        # IKEV2D_BUS_ADDRESS instead of --bus-address.
        env = dict(os.environ, IKEV2D_BUS_ADDRESS=bus.address)
        rc, out, _ = ikectl(None, 'show', 'stats', env=env)
        check(rc == 0 and 'IKEv2 statistics:' in out, 'IKEV2D_BUS_ADDRESS is honoured')

        rc, out, err = ikectl(bus, 'show', 'everything')
        check(rc == 2 and 'unknown command: show everything' in err, 'unknown command exits 2')
    finally:
        server.stop()
        bus.stop()


def scenario_signals(tmp):
    bus = Bus(tmp)
    monitor = subprocess.Popen(['dbus-monitor', '--address', bus.address,
                                "type='signal',interface='org.ikev2d.Manager1'"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    time.sleep(0.5)  # let the monitor register its match
    server = Server(bus, os.path.join(tmp, 'calls.log'))
    try:
        check(server.error is None, 'fake server starts')
        rc, _, _ = ikectl(bus, 'disconnect', '2')
        check(rc == 0, 'disconnect 2')
        time.sleep(0.5)
    finally:
        server.stop()
        monitor.terminate()
        out = monitor.communicate(timeout=10)[0]
        bus.stop()
    check('member=SessionUp' in out, 'SessionUp was emitted')
    check('member=SessionDown' in out and 'string "administrator"' in out, 'SessionDown carries the reason')
    check('string "username"' in out and 'string "Anu"' in out, 'the signal carries the session record')


def scenario_permission(tmp):
    deny = '''<policy context="mandatory">
    <deny send_destination="org.ikev2d" send_interface="org.ikev2d.Manager1" send_member="Reload"/>
    <deny send_destination="org.ikev2d" send_interface="org.ikev2d.Manager1" send_member="Disconnect"/>
    <deny send_destination="org.ikev2d" send_interface="org.ikev2d.Manager1" send_member="Redirect"/>
  </policy>'''
    bus = Bus(tmp, extra=deny)
    log = os.path.join(tmp, 'calls.log')
    server = Server(bus, log)
    try:
        check(server.error is None, 'fake server starts')
        rc, out, err = ikectl(bus, 'reload')
        check(rc == 1 and out == '' and err.startswith('ikectl: permission denied'), 'reload refused: %r' % err)
        rc, out, err = ikectl(bus, 'disconnect', '2')
        check(rc == 1 and err.startswith('ikectl: permission denied'), 'disconnect refused: %r' % err)
        rc, out, err = ikectl(bus, 'redirect', '2', '198.51.100.2')
        check(rc == 1 and err.startswith('ikectl: permission denied'), 'redirect refused: %r' % err)
        rc, out, _ = ikectl(bus, 'show', 'sa')
        check(rc == 0 and 'IKEv2 SAs:' in out, 'reading is still allowed')
        check(calls(log) == [], 'refused calls never reached the backend: %r' % calls(log))
    finally:
        server.stop()
        bus.stop()


def scenario_shipped_policy(tmp):
    """dbus/org.ikev2d.conf as installed: root owns and controls, others are refused."""
    if os.geteuid() != 0:
        print('needs root to switch users')
        sys.exit(SKIP)
    os.chmod(tmp, 0o755)
    nobody = lambda: (os.setgroups([]), os.setgid(65534), os.setuid(65534))
    # The default policy of Debian's /usr/share/dbus-1/system.conf, plus the policy file.
    system_defaults = '''<deny own="*"/><deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/><allow receive_type="method_return"/>
    <allow receive_type="error"/><allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Properties"/>'''
    bus = Bus(tmp, default_rules=system_defaults, extra='<include>%s</include>' % os.path.abspath(POLICY))
    try:
        intruder = Server(bus, os.path.join(tmp, 'intruder.log'), preexec=nobody)
        check(intruder.error is not None and 'Failed to request bus name (Permission denied)' in intruder.error,
              'a non-root process cannot own org.ikev2d: %s' % intruder.error)
        server = Server(bus, os.path.join(tmp, 'calls.log'))
        try:
            check(server.error is None, 'root owns org.ikev2d: %s' % server.error)
            rc, out, _ = ikectl(bus, 'show', 'sa')
            check(rc == 0 and 'IKEv2 SAs:' in out, 'root reads')
            rc, out, _ = ikectl(bus, 'debug', 'eap', '3')
            check(rc == 0, 'root controls')
            rc, out, err = ikectl(bus, 'show', 'sa', preexec=nobody)
            check(rc == 1 and err.startswith('ikectl: permission denied'), 'others cannot read: %r' % err)
            rc, out, err = ikectl(bus, 'reload', preexec=nobody)
            check(rc == 1 and err.startswith('ikectl: permission denied'), 'others cannot reload: %r' % err)
            rc, out, err = ikectl(bus, 'redirect', '2', '198.51.100.2', preexec=nobody)
            check(rc == 1 and err.startswith('ikectl: permission denied'), 'others cannot redirect: %r' % err)
        finally:
            server.stop()
    finally:
        bus.stop()


def as_user(uid, gid, groups=()):
    """preexec_fn: become uid/gid with exactly these supplementary groups."""
    return lambda: (os.setgroups(list(groups)), os.setgid(gid), os.setuid(uid))


NOBODY = 65534
ADMIN_GID = 4242  # need not exist in /etc/group: the daemon compares numbers


def scenario_caller_check(tmp):
    """The daemon itself refuses state changes from callers that are neither root nor in
    the admin group, although this bus's policy lets everyone call everything."""
    if os.geteuid() != 0:
        print('needs root to switch users')
        sys.exit(SKIP)
    os.chmod(tmp, 0o755)  # others must reach the bus socket
    bus = Bus(tmp)  # OPEN_RULES: the bus policy lets every call through
    log = os.path.join(tmp, 'calls.log')
    server = Server(bus, log, options=['--admin-gid', str(ADMIN_GID)])
    control = [('disconnect', '2'), ('disconnect', 'user', 'Anu'), ('redirect', '2', '198.51.100.2'), ('reload',),
               ('debug', 'eap', '3')]
    try:
        check(server.error is None, 'fake server starts: %s' % server.error)
        outsider = as_user(NOBODY, NOBODY, [NOBODY])
        for args in control:
            rc, out, err = ikectl(bus, *args, preexec=outsider)
            check(rc == 1 and out == '' and err.startswith('ikectl: permission denied') and
                  'control.admin_group' in err, 'nobody is refused %s: %r' % (' '.join(args), err))
        check(calls(log) == [], 'refused calls never reached the backend: %r' % calls(log))
        rc, out, _ = ikectl(bus, 'show', 'sa', preexec=outsider)
        check(rc == 0 and 'IKEv2 SAs:' in out, 'reading is left to the bus policy')

        member = as_user(NOBODY, NOBODY, [NOBODY, ADMIN_GID])
        for args in control:
            rc, out, err = ikectl(bus, *args, preexec=member)
            check(rc == 0, 'a supplementary member of the admin group may %s: %r' % (' '.join(args), err))
        primary = as_user(NOBODY, ADMIN_GID)
        rc, out, err = ikectl(bus, 'debug', 'protocol', '2', preexec=primary)
        check(rc == 0, 'primary membership counts too: %r' % err)
        for args in control:
            rc, out, err = ikectl(bus, *args)
            check(rc in (0, 1) and 'permission denied' not in err, 'root may %s: %r' % (' '.join(args), err))
        expected = ['disconnect_session 2', 'disconnect_user Anu', 'redirect_session 2 198.51.100.2', 'reload',
                    'set_debug eap 3', 'set_debug protocol 2', 'disconnect_session 2', 'disconnect_user Anu',
                    'redirect_session 2 198.51.100.2', 'reload', 'set_debug eap 3']
        check(calls(log) == expected, 'members and root reached the backend: %r' % calls(log))
    finally:
        server.stop()
    # Without an admin group, only root: the group member is refused as well.
    log2 = os.path.join(tmp, 'calls2.log')
    server = Server(bus, log2)
    try:
        check(server.error is None, 'fake server starts without an admin group')
        rc, out, err = ikectl(bus, 'reload', preexec=as_user(NOBODY, ADMIN_GID, [ADMIN_GID]))
        check(rc == 1 and err.startswith('ikectl: permission denied'), 'root only by default: %r' % err)
        rc, out, err = ikectl(bus, 'reload')
        check(rc == 0, 'root reloads: %r' % err)
        check(calls(log2) == ['reload'], 'only root reached the backend: %r' % calls(log2))
    finally:
        server.stop()
        bus.stop()


def dbus_call(bus, method, *args):
    """A raw method call, bypassing ikectl's own argument checks."""
    p = subprocess.run(['dbus-send', '--bus=' + bus.address, '--print-reply', '--dest=org.ikev2d', '/org/ikev2d',
                        'org.ikev2d.Manager1.' + method] + list(args), capture_output=True, text=True, timeout=30)
    return p.returncode, p.stdout, p.stderr


def scenario_debug_args(tmp):
    """SetDebug accepts only protocol|platform|eap and levels 0..127 (ikectl(8),
    util/log.hpp), whatever the backend would take."""
    bus = Bus(tmp)
    log = os.path.join(tmp, 'calls.log')
    server = Server(bus, log)
    try:
        check(server.error is None, 'fake server starts: %s' % server.error)
        for category, level in [('eap', 128), ('eap', 255), ('protocol', -1), ('platform', 2147483647),
                                ('Protocol', 1), ('bogus', 1), ('', 1)]:
            rc, out, err = dbus_call(bus, 'SetDebug', 'string:' + category, 'int32:%d' % level)
            check(rc != 0 and 'org.freedesktop.DBus.Error.InvalidArgs' in err,
                  'SetDebug(%r, %d) refused: %r' % (category, level, err))
        for category, level in [('eap', 127), ('protocol', 0), ('platform', 5)]:
            rc, out, err = dbus_call(bus, 'SetDebug', 'string:' + category, 'int32:%d' % level)
            check(rc == 0, 'SetDebug(%r, %d) accepted: %r' % (category, level, err))
        check(calls(log) == ['set_debug eap 127', 'set_debug protocol 0', 'set_debug platform 5'],
              'only valid requests reached the backend: %r' % calls(log))
    finally:
        server.stop()
        bus.stop()


def scenario_hostile_strings(tmp):
    """Peer strings with invalid UTF-8 and control bytes arrive escaped (\\xNN), and
    GetSessions/GetIkeSas still answer."""
    bus = Bus(tmp)
    server = Server(bus, os.path.join(tmp, 'calls.log'), options=['--hostile-strings'])
    try:
        check(server.error is None, 'fake server starts: %s' % server.error)
        rc, out, err = ikectl(bus, '--json', 'show', 'sessions')
        check(rc == 0, 'show sessions --json answers: %r' % err)
        if rc == 0:
            s = json.loads(out)['sessions'][0]
            check(s['client_version'] == '4.10\\x80\\xC0\\xAF\\x1B[31m\\xED\\xA0\\x80',
                  'client_version escaped: %r' % s['client_version'])
            check(s['username'] == 'b\u00e4d\\xE2\\x82\\x0Auser', 'username escaped: %r' % s['username'])
        rc, out, err = ikectl(bus, '--json', 'show', 'sa', 'detail')
        check(rc == 0, 'show sa detail --json answers: %r' % err)
        if rc == 0:
            sa = json.loads(out)['ike_sas'][0]
            check(sa['remote_id'] == 'evil\\xFF\\x1B[2Jid\\x00x', 'remote_id escaped: %r' % sa['remote_id'])
            check(sa['eap_identity'] == '\\xC3(user\\x7F', 'eap_identity escaped: %r' % sa['eap_identity'])
        rc, out, err = ikectl(bus, 'show', 'sessions')
        check(rc == 0 and '\x1b' not in out and 'b\u00e4d\\xE2\\x82\\x0Auser' in out,
              'the text view carries no raw escape: %r' % out)
        rc, out, err = dbus_call(bus, 'GetSessions')
        check(rc == 0 and 'string "4.10\\x80\\xC0\\xAF\\x1B[31m\\xED\\xA0\\x80"' in out,
              'GetSessions carries the escaped client_version: %r' % (out or err))
    finally:
        server.stop()
        bus.stop()


def scenario_not_running(tmp):
    bus = Bus(tmp)
    try:
        rc, out, err = ikectl(bus, 'show', 'sa')
        check(rc == 1 and out == '' and
              err == 'ikectl: ikev2d is not running (org.ikev2d not on the bus at %s)\n' % bus.address,
              'no daemon on the bus: %r' % err)
    finally:
        bus.stop()
    rc, out, err = ikectl(None, '--bus-address', 'unix:path=%s/none' % tmp, 'reload')
    check(rc == 1 and err.startswith('ikectl: ikev2d is not running (cannot connect to the bus at'),
          'no bus at all: %r' % err)


def scenario_nt_hash(tmp):
    """ikectl nt-hash works without a daemon and reads the password from stdin."""
    def run(data, *extra):
        return subprocess.run([IKECTL] + list(extra) + ['nt-hash'], input=data, capture_output=True, timeout=30)
    # NT hash of "password": 8846F7EAEE8FB117AD06BDD830B7586C, the widely published
    # example (e.g. the hashcat example hashes, mode 1000).
    p = run(b'password\n')
    check(p.returncode == 0 and p.stdout == b'8846f7eaee8fb117ad06bdd830b7586c\n', 'nt-hash: %r' % p.stdout)
    p = run(b'password', '--json')
    check(p.returncode == 0 and json.loads(p.stdout) == {'nt_hash': '8846f7eaee8fb117ad06bdd830b7586c'},
          'nt-hash --json')
    p = run(b'')
    check(p.returncode == 1 and b'empty password' in p.stderr, 'nt-hash refuses an empty password')
    p = run(b'bad\xffutf8\n')
    check(p.returncode == 1 and b'UTF-8' in p.stderr, 'nt-hash refuses invalid UTF-8')


def with_server(tmp, body, options=()):
    bus = Bus(tmp)
    log = os.path.join(tmp, 'calls.log')
    server = Server(bus, log, options=options)
    try:
        check(server.error is None, 'fake server starts: %s' % server.error)
        body(bus, server, log)
    finally:
        server.stop()
        bus.stop()


def scenario_dump(tmp):
    """ikectl dump: the fake backend's IKE SA and its Child SA as fixed tab-separated
    columns (ikectl(8), DUMP FORMAT), values as seed_table.hpp sets them."""
    def body(bus, server, log):
        rc, out, err = ikectl(bus, 'dump')
        ike = ['ike', '55182129', 'READY', '10.0.0.1/4500', '192.168.1.1/25171', 'FC696330E6B94D7F',
               '58AFF71141BA436B', 'Anu', '10.2.2.1', '0', '1']
        child = ['child', '55182129', '3', 'INSTALLED', '0x30b848a4', '0x77ee5348', '0.0.0.0/0', '10.2.2.1/32',
                 '11192', '0', '163', '0', str(1366668530 - 112)]
        check(rc == 0 and err == '', 'dump succeeds: %r' % err)
        check(out == '\t'.join(ike) + '\n' + '\t'.join(child) + '\n', 'dump output: %r' % out)
    with_server(tmp, body)

    def hostile(bus, server, log):
        rc, out, err = ikectl(bus, 'dump')
        lines = out.split('\n')
        check(rc == 0 and len(lines) == 3 and lines[2] == '', 'hostile identities stay on one line: %r' % out)
        check(all(len(l.split('\t')) == n for l, n in zip(lines, (11, 13))), 'column counts: %r' % out)
        check('\x1b' not in out and '\x00' not in out, 'no raw control bytes: %r' % out)
    with_server(os.path.join(tmp), hostile, options=['--hostile-strings'])


def scenario_pools(tmp):
    def body(bus, server, log):
        rc, out, err = ikectl(bus, 'show', 'pools')
        check(rc == 0 and err == '', 'show pools succeeds: %r' % err)
        # Columns: name and range padded to the longest plus two spaces, then three
        # right-aligned numbers of width 10 separated by one space.
        check(out == 'Pool     Range                         Size     Leased       Free\n'
                     'webvpn1  10.2.2.1-10.2.2.10              10          1          9\n'
                     'v6pool   fd00:2::1-fd00:2::ffff       65535          0      65535\n',
              'show pools: %r' % out)
        rc, out, err = ikectl(bus, '--json', 'show', 'pools')
        check(rc == 0 and json.loads(out) == {'pools': [
            {'name': 'webvpn1', 'first': '10.2.2.1', 'last': '10.2.2.10', 'size': 10, 'leased': 1, 'free': 9},
            {'name': 'v6pool', 'first': 'fd00:2::1', 'last': 'fd00:2::ffff', 'size': 65535, 'leased': 0,
             'free': 65535}]}, 'show pools --json: %r' % out)
        rc, out, err = dbus_call(bus, 'GetPools')
        check(rc == 0 and 'string "leased"' in out and 'uint64 1' in out, 'GetPools on the bus: %r' % (out or err))
    with_server(tmp, body)


def scenario_sessions_user(tmp):
    def body(bus, server, log):
        rc, out, err = ikectl(bus, 'show', 'sessions', 'user', 'Anu')
        check(rc == 0 and 'Username     : Anu                    Index        : 2\n' in out,
              'show sessions user Anu lists the session: %r' % out)
        rc, out, err = ikectl(bus, 'show', 'sessions', 'user', 'nobody')
        check(rc == 0 and 'Username' not in out and out.startswith('Session Type: IKEv2 Remote Access'),
              'show sessions user nobody lists nothing: %r' % out)
        rc, out, err = ikectl(bus, '--json', 'show', 'sessions', 'user', 'Anu')
        check(rc == 0 and [s['username'] for s in json.loads(out)['sessions']] == ['Anu'], 'JSON, Anu: %r' % out)
        rc, out, err = ikectl(bus, '--json', 'show', 'sessions', 'user', 'anu')
        check(rc == 0 and json.loads(out) == {'sessions': []}, 'user names match exactly: %r' % out)
    with_server(tmp, body)


def start_monitor(bus, *extra):
    mon = subprocess.Popen([IKECTL, '--bus-address', bus.address] + list(extra) + ['monitor'],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ready = mon.stderr.readline()  # printed once the signal match is in place
    check('monitoring session events' in ready, 'monitor announces itself: %r' % ready)
    return mon


def scenario_monitor(tmp):
    """ikectl monitor prints SessionUp (the fake server emits it on SIGUSR1) and
    SessionDown (on disconnect 2) as they come, one line each, until interrupted."""
    import re
    def body(bus, server, log):
        mon = start_monitor(bus)
        jmon = start_monitor(bus, '--json')
        try:
            server.proc.send_signal(signal.SIGUSR1)
            rc, _, err = ikectl(bus, 'disconnect', '2')
            check(rc == 0, 'disconnect 2: %r' % err)
            up, down = mon.stdout.readline(), mon.stdout.readline()
            jup, jdown = json.loads(jmon.stdout.readline()), json.loads(jmon.stdout.readline())
        finally:
            for m in (mon, jmon):
                m.send_signal(signal.SIGINT)
                m.wait(timeout=10)
        stamp = r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ'
        check(re.fullmatch(stamp + r' up user=Anu address=10\.2\.2\.1 peer=192\.168\.1\.1:25171 index=2\n', up),
              'SessionUp line: %r' % up)
        check(re.fullmatch(stamp + r' down user=Anu address=10\.2\.2\.1 peer=192\.168\.1\.1:25171 index=2 '
                                   r'reason="administrator"\n', down), 'SessionDown line: %r' % down)
        now = time.time()
        check(jup['event'] == 'up' and 'reason' not in jup and jup['session']['username'] == 'Anu' and
              abs(jup['time'] - now) < 30, 'JSON SessionUp: %r' % jup)
        check(jdown['event'] == 'down' and jdown['reason'] == 'administrator' and
              jdown['session']['assigned_ip'] == '10.2.2.1', 'JSON SessionDown: %r' % jdown)
    with_server(tmp, body)

    # The monitor keeps listening across a restart of the daemon.
    bus = Bus(tmp)
    server = Server(bus, os.path.join(tmp, 'calls1.log'))
    mon = start_monitor(bus)
    try:
        server.stop()
        server = Server(bus, os.path.join(tmp, 'calls2.log'))
        check(server.error is None, 'restarted fake server starts: %s' % server.error)
        server.proc.send_signal(signal.SIGUSR1)
        line = mon.stdout.readline()
        check(' up user=Anu ' in line, 'SessionUp after the daemon restarted: %r' % line)
    finally:
        mon.send_signal(signal.SIGINT)
        mon.wait(timeout=10)
        server.stop()
        bus.stop()
    bus = Bus(tmp)
    try:
        rc, out, err = ikectl(bus, 'monitor')
        check(rc == 1 and 'ikev2d is not running' in err, 'monitor without a daemon exits 1: %r' % err)
    finally:
        bus.stop()


def scenario_prometheus(tmp):
    def body(bus, server, log):
        rc, out, err = ikectl(bus, 'show', 'stats', '--prometheus')
        check(rc == 0 and err == '', 'show stats --prometheus succeeds: %r' % err)
        # The fake backend's counters (seed_table.hpp, started_at 0).
        counters = [('ike_sa_created', 7), ('ike_sa_established', 5), ('ike_sa_failed', 2), ('auth_failures', 1),
                    ('retransmits', 4), ('fragments_sent', 12), ('fragments_received', 3), ('dpd_sent', 30),
                    ('dpd_timeouts', 1), ('cookies_sent', 6), ('half_open_ike_sas', 0), ('active_sessions', 1),
                    ('invalid_packets', 9), ('malformed_requests', 2), ('half_open_refused', 11),
                    ('half_open_evicted', 3), ('fragments_dropped', 5), ('create_child_rate_limited', 1),
                    ('informational_rate_limited', 7), ('lifetime_expired', 8), ('handler_errors', 0),
                    ('work_budget_drops', 40), ('start_time_seconds', 0)]
        gauges = {'half_open_ike_sas', 'active_sessions', 'start_time_seconds'}
        lines = out.splitlines()
        check(len(lines) == 3 * len(counters), 'three lines per metric: %d' % len(lines))
        for i, (name, value) in enumerate(counters):
            full = 'ikev2d_' + name + ('' if name in gauges else '_total')
            kind = 'gauge' if name in gauges else 'counter'
            got = lines[3 * i:3 * i + 3]
            check(len(got) == 3 and got[0].startswith('# HELP %s ' % full) and len(got[0]) > len('# HELP  ' + full)
                  and got[1] == '# TYPE %s %s' % (full, kind) and got[2] == '%s %d' % (full, value),
                  'metric %s: %r' % (full, got))
        rc, out, err = ikectl(bus, 'show', 'sa', '--prometheus')
        check(rc == 2 and 'show stats only' in err, '--prometheus elsewhere is a usage error: %r' % err)
    with_server(tmp, body)


def scenario_json_errors(tmp):
    """With --json, failures are {"error": ...} on stdout, stderr stays empty, and the
    exit status is the same as without: 1 daemon/bus failure, 2 usage."""
    def body(bus, server, log):
        rc, out, err = ikectl(bus, '--json', 'disconnect', 'user', 'nobody')
        check(rc == 1 and err == '' and json.loads(out) == {'error': 'no session matches user nobody'},
              'daemon-side failure: %r %r' % (out, err))
        rc, out, err = ikectl(bus, '--json', 'show', 'everything')
        check(rc == 2 and err == '' and json.loads(out) == {'error': 'unknown command: show everything'},
              'unknown command: %r %r' % (out, err))
        rc, out, err = ikectl(bus, '--json', 'debug', 'eap', '999')
        check(rc == 2 and json.loads(out)['error'].startswith('debug level must be'), 'bad level: %r' % out)
        rc, out, err = ikectl(bus, '--json', 'debug', 'bogus', '1')
        check(rc == 1 and 'unknown debug category' in json.loads(out)['error'], 'daemon refusal: %r' % out)
        rc, out, err = ikectl(bus, 'disconnect', 'index', 'x')
        check(rc == 2 and err == 'ikectl: not a session index or tunnel id: x\n', 'bad index: %r' % err)
    with_server(tmp, body)
    bus = Bus(tmp)
    try:
        rc, out, err = ikectl(bus, '--json', 'show', 'sa')
        check(rc == 1 and err == '' and json.loads(out)['error'].startswith('ikev2d is not running'),
              'not running: %r %r' % (out, err))
    finally:
        bus.stop()


for tool in ('dbus-daemon', 'dbus-monitor'):
    if shutil.which(tool) is None:
        print('%s not installed' % tool)
        sys.exit(SKIP)
with tempfile.TemporaryDirectory(prefix='ikev2d-dbus-') as tmp:
    globals()['scenario_' + scenario.replace('-', '_')](tmp)
if failures:
    print('%d check(s) failed' % len(failures), file=sys.stderr)
    sys.exit(1)
print('ok')
