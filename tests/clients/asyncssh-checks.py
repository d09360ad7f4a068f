"""asyncssh against pgal-sshd: commands at once on a connection that has
SFTP open, statvfs@openssh.com, no hard links, and SFTP at a small window.

usage: asyncssh-checks.py PORT USER KEY PHOTO STORED QUOTA
  PHOTO   a local photo to upload to /trip
  STORED  a local copy of the photo stored as /trip/<its name>
  QUOTA   the user's quota in bytes
Prints "ok"/"not ok" TAP lines from N on (N in $TAP_N) and exits 1 on a
failure."""
import asyncio
import os
import sys

import asyncssh

port, user, key, photo, stored, quota = sys.argv[1:7]
port, quota = int(port), int(quota)
failed = 0
n = int(os.environ.get("TAP_N", "0"))


def check(desc, cond, detail=""):
    global failed, n
    n += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (n, desc))
    if not cond:
        failed += 1
        for line in str(detail).splitlines()[:10]:
            print("# " + line)


def connect(**kw):
    return asyncssh.connect("127.0.0.1", port=port, username=user, client_keys=[key],
                            known_hosts=None, agent_path=None, **kw)


async def attempt(aw, secs=30):
    """What aw gives, or the exception it raised, or a TimeoutError after
    secs (the task is cancelled, not waited for: a connection stuck on the
    server may never let it end)."""
    task = asyncio.ensure_future(aw)
    done, _ = await asyncio.wait({task}, timeout=secs)
    if not done:
        task.cancel()
        return TimeoutError("no answer in %d s" % secs)
    try:
        return task.result()
    except Exception as ex:
        return ex


async def whoami(conn):
    try:
        r = await asyncio.wait_for(conn.run("whoami"), 30)
        return r.exit_status == 0 and r.stdout.startswith(user), r
    except Exception as ex:  # channel refused, timeout
        return False, repr(ex)


async def beside_sftp(conn):
    sftp = await conn.start_sftp_client()
    name = os.path.basename(photo)
    await sftp.put(photo, "/trip/" + name)
    st = await sftp.stat("/trip/" + name)
    check("put, then stat on the same connection", st.size == os.path.getsize(photo), st.size)
    # the SFTP channel is one of the 8 a connection may have open
    for rnd in range(5):
        got = await asyncio.gather(*(whoami(conn) for _ in range(7)))
        bad = [r for good, r in got if not good]
        if bad:
            break
    check("7 commands at once, 5 times, beside the SFTP channel", not bad, bad[:1])
    vfs = await attempt(sftp.statvfs("/trip"))
    got = isinstance(vfs, asyncssh.SFTPVFSAttrs)
    check("statvfs@openssh.com: the quota is the size",
          got and vfs.frsize * vfs.blocks == quota, vfs)
    check("and less is free than the size", got and vfs.frsize * vfs.bfree < quota, vfs)
    linked = await attempt(sftp.link("/trip/" + name, "/trip/again.jpg"))
    check("no hard link: not offered", isinstance(linked, asyncssh.SFTPOpUnsupported), linked)


async def main():
    conn = await connect()
    try:
        await beside_sftp(conn)
    finally:
        # no goodbye that could wait on a stuck server
        conn.abort()
    # a 4 KiB window, re-opened by asyncssh when half of it is used; the
    # whole part is bounded (a server that waits for more window hangs)
    async def small_window():
        conn = await connect(window=4096, max_pktsize=2048)
        try:
            sftp = await conn.start_sftp_client()
            names = await sftp.listdir("/trip")
            async with await sftp.open("/trip/" + os.path.basename(stored), "rb") as f:
                data = await f.read()
            sftp.exit()
            return names, data, await whoami(conn)
        finally:
            # no goodbye that could wait on a stuck server
            conn.abort()
    got = await attempt(small_window(), 45)
    if isinstance(got, Exception):
        got = ([], b"", (False, got))
    names, data, (ran, r) = got
    check("a 4 KiB window: listing", os.path.basename(stored) in names, r)
    with open(stored, "rb") as f:
        check("a 4 KiB window: download byte for byte", data == f.read(), len(data))
    check("a 4 KiB window: a command", ran, r)

asyncio.run(attempt(main(), 100))
print("N=%d" % n, file=sys.stderr)
sys.stdout.flush()
sys.stderr.flush()
# not sys.exit: the loop's shutdown would wait for a task stuck on the server
os._exit(1 if failed else 0)
