"""paramiko against pgal-sshd: many exec channels on one connection, in a
row and at once, and exec on a connection that has SFTP open.

usage: paramiko-exec.py PORT USER KEY CHECK [ARG...]
  seq N                 N commands one after the other
  par AT_ONCE ROUNDS    AT_ONCE commands at a time, ROUNDS times
  after-sftp PHOTO CMD  puts PHOTO into /trip with confirm (paramiko stats
                        it after the close), then runs commands on the same
                        connection with the SFTP channel still open; CMD,
                        a local shell command, runs meanwhile and must pass
Prints what went wrong and exits 1 on the first failed check."""
import os
import subprocess
import sys
import threading
import time

import paramiko

port, user, key, check = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
args = sys.argv[5:]


def fail(msg):
    print(msg)
    sys.exit(1)


def connect():
    c = paramiko.SSHClient()
    c.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    c.connect("127.0.0.1", port=port, username=user, key_filename=key,
              look_for_keys=False, allow_agent=False, timeout=20)
    return c


def run(c, cmd):
    """The command's exit status and output, or an error string."""
    try:
        _, out, err = c.exec_command(cmd, timeout=30)
        o = out.read()
        return out.channel.recv_exit_status(), o, err.read()
    except Exception as ex:  # paramiko: "Channel closed", timeouts
        return None, b"", repr(ex).encode()


def whoami_ok(result):
    st, out, err = result
    return st == 0 and out.startswith(user.encode())


c = connect()
if check == "seq":
    n = int(args[0])
    bad = []
    for i in range(n):
        r = run(c, "whoami")
        if not whoami_ok(r):
            bad.append((i, r))
    if bad:
        fail("%d of %d failed, first: %r" % (len(bad), n, bad[0]))
elif check == "par":
    at_once, rounds = int(args[0]), int(args[1])
    bad = []

    def one(i):
        r = run(c, "whoami")
        if not whoami_ok(r):
            bad.append((i, r))
    for r in range(rounds):
        th = [threading.Thread(target=one, args=(r * at_once + j,)) for j in range(at_once)]
        for t in th:
            t.start()
        for t in th:
            t.join(60)
    if bad:
        fail("%d of %d failed, first: %r" % (len(bad), at_once * rounds, bad[0]))
elif check == "after-sftp":
    photo, local_check = args[0], args[1]
    sftp = c.open_sftp()
    name = os.path.basename(photo)
    # confirm=True: paramiko stats the file after the close and compares
    # the size
    attrs = sftp.put(photo, "/trip/" + name, confirm=True)
    if attrs.st_size != os.path.getsize(photo):
        fail("stat after put: size %r" % attrs.st_size)
    r = run(c, "whoami")
    if not whoami_ok(r):
        fail("whoami with SFTP open: %r" % (r,))
    r = run(c, "ls trip")
    if r[0] != 0 or name.encode() not in r[1]:
        fail("ls trip with SFTP open: %r" % (r,))
    if subprocess.run(["sh", "-c", local_check]).returncode != 0:
        fail("the local check failed: " + local_check)
    # the SFTP channel still works after the commands
    if name not in sftp.listdir("/trip"):
        fail("SFTP after the commands: %r" % sftp.listdir("/trip"))
    sftp.close()
else:
    fail("unknown check " + check)
c.close()
