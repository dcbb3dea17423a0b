#!/usr/bin/env python3
"""The control interface survives a dbus-daemon restart.

usage: run_reconnect_test.py IKECTL RECONNECT_SERVER
Starts a private dbus-daemon listening on a fixed socket path, the reconnect server
(tests/control/reconnect_server.cpp: the real DbusService kept on the bus by the
daemon's ReconnectingDbusService), checks that `ikectl show stats` works, kills the
bus, starts a new dbus-daemon at the same address and checks that ikectl (with
IKEV2D_BUS_ADDRESS) works again within a few seconds.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

IKECTL, SERVER = sys.argv[1:3]

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={path}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/>
  </policy>
</busconfig>
"""


def start_bus(tmp, path):
    conf = os.path.join(tmp, 'bus.conf')
    with open(conf, 'w') as f:
        f.write(BUS_CONFIG.format(path=path))
    if os.path.exists(path):
        os.unlink(path)
    proc = subprocess.Popen(['dbus-daemon', '--config-file=' + conf, '--nofork', '--print-address'],
                            stdout=subprocess.PIPE, text=True)
    address = proc.stdout.readline().strip()
    if not address:
        raise RuntimeError('dbus-daemon did not start')
    return proc, address


def stats_ok(env):
    p = subprocess.run([IKECTL, 'show', 'stats'], capture_output=True, text=True, env=env, timeout=30)
    return p.returncode == 0 and 'IKEv2 statistics:' in p.stdout, p.stderr


def wait_for(env, seconds):
    deadline = time.monotonic() + seconds
    while True:
        ok, err = stats_ok(env)
        if ok or time.monotonic() > deadline:
            return ok, err
        time.sleep(0.2)


def main():
    if shutil.which('dbus-daemon') is None:
        print('dbus-daemon not installed: skipped')
        return 77
    tmp = tempfile.mkdtemp(prefix='ikev2d-reconnect-')
    path = os.path.join(tmp, 'bus')
    failures = []
    bus, address = start_bus(tmp, path)
    env = dict(os.environ, IKEV2D_BUS_ADDRESS='unix:path=' + path)
    # The address without the first bus's guid, as the daemon knows the system bus.
    server = subprocess.Popen([SERVER, 'unix:path=' + path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        if server.stdout.readline().strip() != 'READY':
            server.wait(timeout=10)
            print('FAIL: server did not start:', server.stderr.read(), file=sys.stderr)
            return 1
        ok, err = wait_for(env, 5)
        if not ok:
            failures.append('ikectl works on the first bus: %s' % err)

        bus.terminate()
        bus.wait(timeout=10)
        ok, _ = stats_ok(env)
        if ok:
            failures.append('ikectl fails while the bus is down')
        time.sleep(0.5)  # the server sees the hang-up and retries against no bus
        bus, address2 = start_bus(tmp, path)
        ok, err = wait_for(env, 5)
        if not ok:
            failures.append('ikectl works again within 5 s of the bus restart: %s' % err)
        if server.poll() is not None:
            failures.append('server still running after the restart (rc %s)' % server.returncode)

        # Twice: the reconnected service must itself notice the next restart.
        bus.terminate()
        bus.wait(timeout=10)
        bus, _ = start_bus(tmp, path)
        ok, err = wait_for(env, 5)
        if not ok:
            failures.append('ikectl works again after a second bus restart: %s' % err)
    finally:
        if server.poll() is None:
            server.terminate()
            rc = server.wait(timeout=10)
            if rc != 0:
                failures.append('server exits cleanly on SIGTERM (rc %d)' % rc)
        bus.terminate()
        bus.wait(timeout=10)
        print(server.stderr.read(), file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print('FAIL:', f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
