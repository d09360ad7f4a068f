"""The client side of `make soak`: SESSIONS SSH sessions at once against one
pgal-sshd for SECS seconds, each slot reconnecting as soon as its session
ends, in one asyncio process (asyncssh). A third of the slots are guest
TUIs (a pty and a shell: the welcome screen, a few keys, then held open), a
third exec sessions of registered users (commands on one connection), a
third SFTP uploads (one photo each, unique bytes, then listings). Every
slot connects from its own loopback address, as clients from many
addresses would.

Files in STATE tell the shell (tests/soak/soak.sh) where the run is:
"loaded" when every slot has had a session up at once for the first time,
"final" when the time is up and every slot has a session up again (the
shell measures the listener, then writes "measured"), and the counts as JSON in
"result.json" at the end.

usage: soak.py PORT SESSIONS SECS KEYDIR USERS PHOTO STATE
"""
import asyncio
import json
import os
import random
import sys
import time
import warnings

warnings.filterwarnings("ignore")
import asyncssh  # noqa: E402  (after the warning filter: its imports warn)

# one session lasts this long (seconds), so that slots reconnect all along
HOLD = (15, 40)
# a step that waits longer than this (kex, a reply, a screen) fails the session
STEP_SECS = 60
# the first sessions are held until every slot is up, or this long
LOAD_SECS = 180


class Soak:
    def __init__(self, port, sessions, secs, keydir, users, photo, state):
        self.port, self.sessions, self.secs = port, sessions, secs
        self.keydir, self.users, self.state = keydir, users, state
        with open(photo, "rb") as f:
            self.photo = f.read()
        self.deadline = time.monotonic() + secs
        self.up = set()          # slots with a session up now
        self.ever_up = set()     # slots that had one
        self.loaded = asyncio.Event()
        self.loaded_at = None
        self.all_up = False
        self.stopping = asyncio.Event()
        self.counts = {k: {"ok": 0, "failed": 0} for k in ("guest", "exec", "sftp")}
        self.errors = {}
        self.uploads = 0

    def addr(self, slot):
        # 127.1.0.1 ... : one source address per slot
        return "127.1.%d.%d" % (slot // 250, slot % 250 + 1)

    def mark_up(self, slot):
        self.up.add(slot)
        self.ever_up.add(slot)
        if len(self.up) == self.sessions:
            self.all_up = True
            self.set_loaded()

    def set_loaded(self):
        if not self.loaded.is_set():
            self.loaded.set()
            self.loaded_at = time.monotonic()
            with open(os.path.join(self.state, "loaded"), "w") as f:
                f.write(str(len(self.up)))

    async def hold(self, extra, step):
        """One step every few seconds until the session has been up `extra`
        seconds since the run was loaded (the first sessions wait for
        that), or the run ends."""
        start = time.monotonic()
        while not self.stopping.is_set():
            now = time.monotonic()
            # past the end, sessions stay up for the last measure
            if self.loaded.is_set() and now < self.deadline and \
                    now >= max(start, self.loaded_at) + extra:
                break
            try:
                await asyncio.wait_for(self.stopping.wait(), random.uniform(3, 8))
            except asyncio.TimeoutError:
                pass
            if not self.stopping.is_set():
                await asyncio.wait_for(step(), STEP_SECS)

    async def connect(self, slot, user):
        opts = dict(port=self.port, known_hosts=None, local_addr=(self.addr(slot), 0),
                    username=user, agent_path=None, login_timeout=STEP_SECS)
        if user == "gallery":
            opts.update(client_keys=None, password=None, kbdint_auth=False)
        else:
            opts.update(client_keys=[os.path.join(self.keydir, "id_" + user)],
                        password=None, kbdint_auth=False)
        return await asyncio.wait_for(asyncssh.connect("127.0.0.1", **opts), STEP_SECS)

    async def guest(self, slot, extra):
        async with await self.connect(slot, "gallery") as conn:
            proc = await conn.create_process(term_type="xterm-256color", term_size=(80, 24))
            seen = ""
            while "Sign up" not in seen:
                chunk = await asyncio.wait_for(proc.stdout.read(4096), STEP_SECS)
                if not chunk:
                    raise RuntimeError("the TUI ended before its welcome screen")
                seen = (seen + chunk)[-8192:]
            self.mark_up(slot)

            async def step():
                # help, and any key closes it: the TUI draws each time
                for key in ("?", " "):
                    proc.stdin.write(key)
                    if not await asyncio.wait_for(proc.stdout.read(65536), STEP_SECS):
                        raise RuntimeError("the TUI ended")
            await self.hold(extra, step)
            proc.stdin.write("q")
            proc.close()

    async def exec_(self, slot, extra):
        user = self.users[slot % len(self.users)]
        async with await self.connect(slot, user) as conn:
            r = await asyncio.wait_for(conn.run("whoami", check=True), STEP_SECS)
            if user not in r.stdout:
                raise RuntimeError("whoami said %r" % r.stdout[:80])
            self.mark_up(slot)

            async def step():
                await conn.run(random.choice(["albums", "ls soak", "whoami --json"]), check=True)
            await self.hold(extra, step)

    async def sftp(self, slot, extra):
        user = self.users[slot % len(self.users)]
        async with await self.connect(slot, user) as conn:
            async with conn.start_sftp_client() as sftp:
                self.mark_up(slot)
                # unique bytes (a JPEG comment after SOI): never a duplicate
                self.uploads += 1
                tag = b"soak %d %d %f" % (slot, self.uploads, time.time())
                body = self.photo[:2] + b"\xff\xfe" + (len(tag) + 2).to_bytes(2, "big") + tag \
                    + self.photo[2:]
                name = "soak/s%d-%d.jpg" % (slot, self.uploads)
                async with sftp.open(name, "wb") as f:
                    await asyncio.wait_for(f.write(body), STEP_SECS)

                async def step():
                    await sftp.listdir("soak")
                await self.hold(extra, step)

    async def slot(self, slot):
        kind = ("guest", "exec", "sftp")[slot % 3]
        run = {"guest": self.guest, "exec": self.exec_, "sftp": self.sftp}[kind]
        # the first wave comes in over a few seconds, not in one burst
        await asyncio.sleep(slot * 0.02)
        while not self.stopping.is_set():
            try:
                await run(slot, random.uniform(*HOLD))
                self.counts[kind]["ok"] += 1
            except Exception as e:  # every failure is counted, by kind and reason
                self.counts[kind]["failed"] += 1
                why = "%s: %s" % (kind, (type(e).__name__ + " " + str(e))[:100])
                self.errors[why] = self.errors.get(why, 0) + 1
                await asyncio.sleep(1)
            finally:
                self.up.discard(slot)

    async def run(self):
        tasks = [asyncio.ensure_future(self.slot(i)) for i in range(self.sessions)]
        # the end: every session still up, the shell measures, then all close
        started = time.monotonic()
        while time.monotonic() < self.deadline:
            await asyncio.sleep(1)
            if time.monotonic() - started > LOAD_SECS:
                self.set_loaded()
        # the slots between two sessions connect once more: the end is
        # measured with as many sessions up as the start
        for _ in range(LOAD_SECS * 10):
            if len(self.up) == self.sessions:
                break
            await asyncio.sleep(0.1)
        with open(os.path.join(self.state, "final"), "w") as f:
            f.write(str(len(self.up)))
        measured = os.path.join(self.state, "measured")
        for _ in range(600):  # 60 s at most
            if os.path.exists(measured):
                break
            await asyncio.sleep(0.1)
        self.stopping.set()
        await asyncio.wait(tasks, timeout=STEP_SECS)
        for t in tasks:
            t.cancel()
        result = {"sessions": self.sessions, "secs": self.secs, "counts": self.counts,
                  "ever_up": len(self.ever_up), "all_up_at_once": self.all_up,
                  "uploads": self.uploads, "errors": self.errors}
        with open(os.path.join(self.state, "result.json"), "w") as f:
            json.dump(result, f, indent=1)


def main():
    port, sessions, secs, keydir, users, photo, state = sys.argv[1:8]
    soak = Soak(int(port), int(sessions), int(secs), keydir, users.split(","), photo, state)
    asyncio.get_event_loop().run_until_complete(soak.run())


if __name__ == "__main__":
    main()
