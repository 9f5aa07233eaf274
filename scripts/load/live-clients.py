#!/usr/bin/env python3
"""Many live-reload clients on `playbook serve` (loopback only, bounded).

    scripts/load/live-clients.py [--playbook BIN] [--clients 1000]

Starts the server on a copy of the example, opens N server-sent-event
connections to /__playbook/events, checks that each gets the first
`reload` event, edits a guide and checks that every client hears the
rebuild, closes them all, and checks that the server's open descriptors
and memory come back. Exits non-zero on any failure.
"""
import argparse, os, re, resource, shutil, socket, subprocess, sys, tempfile, time, selectors

ap = argparse.ArgumentParser()
ap.add_argument("--playbook", default="target/release/playbook")
ap.add_argument("--clients", type=int, default=1000)
args = ap.parse_args()
root = os.path.join(os.path.dirname(__file__), "..", "..")
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, args.clients * 2 + 256)), hard))

work = tempfile.mkdtemp()
try:
    shutil.copytree(os.path.join(root, "content"), os.path.join(work, "content"))
    shutil.copytree(os.path.join(root, "static"), os.path.join(work, "static"))
    shutil.copytree(os.path.join(root, "library"), os.path.join(work, "library"))
    shutil.copy(os.path.join(root, "playbook.yaml"), work)
    log = open(os.path.join(work, "serve.log"), "w+")
    srv = subprocess.Popen([args.playbook, "serve", work, "--port", "0"], stderr=log, stdout=log,
                           preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard)))
    port = None
    for _ in range(200):
        log.seek(0)
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", log.read())
        if m:
            port = int(m.group(1)); break
        time.sleep(0.05)
    assert port, "the server did not start"
    def fds():
        return len(os.listdir(f"/proc/{srv.pid}/fd"))
    def rss():
        for line in open(f"/proc/{srv.pid}/status"):
            if line.startswith("VmRSS"):
                return int(line.split()[1])
    time.sleep(0.5)
    fd0, rss0 = fds(), rss()
    sel = selectors.DefaultSelector()
    socks = []
    for i in range(args.clients):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /__playbook/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, [b"", 0])
        socks.append(s)
    def wait_events(n, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if all(k.data[1] >= n for k in sel.get_map().values()):
                return True
            for key, _ in sel.select(0.2):
                try:
                    chunk = key.fileobj.recv(65536)
                except BlockingIOError:
                    continue
                key.data[0] += chunk
                key.data[1] = key.data[0].count(b"event: reload")
        return False
    ok_first = wait_events(1, 30)
    fd_open = fds()
    with open(os.path.join(work, "content/leadership-accelerator/sessions/01-kickoff.md"), "a") as f:
        f.write("\nOne more line.\n")
    ok_rebuild = wait_events(2, 30)
    for s in socks:
        sel.unregister(s); s.close()
    time.sleep(2)
    fd1, rss1 = fds(), rss()
    print(f"{args.clients} clients: first event {'ok' if ok_first else 'MISSING'}, "
          f"rebuild event {'ok' if ok_rebuild else 'MISSING'}")
    print(f"server descriptors: {fd0} before, {fd_open} with the clients, {fd1} after")
    print(f"server memory (VmRSS): {rss0} KiB before, {rss1} KiB after")
    srv.terminate(); srv.wait(10)
    failed = not ok_first or not ok_rebuild or fd1 > fd0 + 2
    sys.exit(1 if failed else 0)
finally:
    shutil.rmtree(work, ignore_errors=True)
