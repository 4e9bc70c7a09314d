#!/usr/bin/env python3
"""A hostile or busy client for the server tests: raw sockets and plain HTTP/1.1 against a server
on 127.0.0.1 only. Every mode is bounded in requests and time, and prints one JSON object.

  http_load.py oversized --port P --count N [--concurrency C]
      Sends N of each oversized request (1 MB path, 1 MB query, 1 MB header, 1 MB body on a GET,
      200 headers) and reports the status each got.
  http_load.py hold --port P --idle N --half N
      Opens N idle connections and N that send half a request line, checks that a new
      connection is still answered while they are held, then waits (at most 120 s) until the
      server has closed them all.
  http_load.py pages --port P --paths FILE [--threads T] [--kill-pid PID --kill-after N]
                     [--stop-file F] [--max-seconds S]
      Requests the stamp pages in FILE (one path a line) as JSON, each from a network of its own
      (X-Forwarded-For), until --kill-after answers (then SIGKILLs PID), the stop file appears,
      or --max-seconds pass. Reports each answer: status, seconds taken, Retry-After, and for a
      200 whether its scan was written (no "scan count is unavailable" warning).
"""
import argparse, json, os, signal, socket, sys, threading, time

HOST = "127.0.0.1"


def status_of(sock, deadline=30):
    """The status code of the first response on sock, or an error name."""
    sock.settimeout(deadline)
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return "closed"
            data += chunk
    except ConnectionResetError:
        return "reset" if not data else status_line(data)
    except socket.timeout:
        return "timeout"
    return status_line(data)


def status_line(data):
    parts = data.split(b"\r\n", 1)[0].split(b" ")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else "garbled"


def send_all(sock, payload):
    try:
        sock.sendall(payload)
    except (BrokenPipeError, ConnectionResetError):
        pass  # refused early: the answer was sent before the rest was read


def oversized(args):
    big = "a" * (1 << 20)
    kinds = {
        "path": lambda: f"GET /01/{big} HTTP/1.1\r\nHost: x\r\n\r\n".encode(),
        "query": lambda: f"GET /?q={big} HTTP/1.1\r\nHost: x\r\n\r\n".encode(),
        "header": lambda: f"GET / HTTP/1.1\r\nHost: x\r\nX-Big: {big}\r\n\r\n".encode(),
        "body": lambda: f"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: {len(big)}\r\n\r\n{big}".encode(),
        "many-headers": lambda: ("GET / HTTP/1.1\r\nHost: x\r\n" + "".join(f"X-H{i}: v\r\n" for i in range(200)) + "\r\n").encode(),
        "chunked-body": lambda: f"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n100000\r\n{big}\r\n0\r\n\r\n".encode(),
    }
    results = {kind: {} for kind in kinds}
    lock = threading.Lock()
    jobs = [kind for kind in kinds for _ in range(args.count)]

    def worker():
        while True:
            with lock:
                if not jobs:
                    return
                kind = jobs.pop()
            try:
                sock = socket.create_connection((HOST, args.port), timeout=30)
            except OSError as error:
                got = f"connect: {error.__class__.__name__}"
            else:
                with sock:
                    send_all(sock, kinds[kind]())
                    got = status_of(sock)
            with lock:
                results[kind][str(got)] = results[kind].get(str(got), 0) + 1

    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps(results))


def hold(args):
    idle, half = [], []
    for _ in range(args.idle):
        idle.append(socket.create_connection((HOST, args.port), timeout=30))
    for _ in range(args.half):
        sock = socket.create_connection((HOST, args.port), timeout=30)
        sock.sendall(b"GET /01/0893876500")
        half.append(sock)
    # A newcomer is answered while all those are held (the longest-idle make room).
    fresh = socket.create_connection((HOST, args.port), timeout=30)
    fresh.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    newcomer = status_of(fresh)
    fresh.close()
    closed = {"idle": 0, "half": 0}
    answers = {}
    deadline = time.time() + 120
    for name, group in (("idle", idle), ("half", half)):
        for sock in group:
            sock.settimeout(max(1, deadline - time.time()))
            try:
                data = b""
                while True:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                closed[name] += 1
                if data:
                    code = str(status_line(data))
                    answers[code] = answers.get(code, 0) + 1
            except ConnectionResetError:
                closed[name] += 1
            except socket.timeout:
                pass
            sock.close()
    print(json.dumps({"newcomer": newcomer, "closed": closed, "answers": answers}))


def pages(args):
    import http.client
    paths = [line.strip() for line in open(args.paths) if line.strip()]
    answers = []
    lock = threading.Lock()
    counter = [0]
    stop = threading.Event()
    started = time.time()

    def should_stop():
        return stop.is_set() or (args.stop_file and os.path.exists(args.stop_file)) or time.time() - started > args.max_seconds

    def worker(number):
        connection = None
        while not should_stop():
            with lock:
                index = counter[0]
                counter[0] += 1
            path = paths[index % len(paths)]
            # A /24 of its own for each request: the reload rule counts each network once a stamp.
            forwarded = f"{11 + (index >> 16) % 200}.{(index >> 8) & 255}.{index & 255}.7"
            begun = time.time()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(HOST, args.port, timeout=30)
                connection.request("GET", path, headers={
                    "User-Agent": "Mozilla/5.0 (Linux; Android 13) Mobile Safari/537.36",
                    "Accept": "application/json", "X-Forwarded-For": forwarded})
                response = connection.getresponse()
                body = response.read()
                finished = time.time()
                answer = {"status": response.status, "seconds": round(finished - begun, 3),
                          "began": begun, "finished": finished, "retry_after": response.getheader("Retry-After")}
                if response.status == 200:
                    document = json.loads(body)
                    answer["serial"] = document.get("serial")
                    answer["written"] = not any("scan count is unavailable" in w for w in document.get("warnings", []))
                with lock:
                    answers.append(answer)
                    done = len(answers)
                if args.kill_pid and done == args.kill_after:
                    os.kill(args.kill_pid, signal.SIGKILL)
                    stop.set()
            except (OSError, http.client.HTTPException):
                if connection is not None:
                    connection.close()
                connection = None
                if args.kill_pid and stop.is_set():
                    return
                time.sleep(0.05)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(args.threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"answers": answers}))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="mode", required=True)
    o = sub.add_parser("oversized")
    o.add_argument("--port", type=int, required=True)
    o.add_argument("--count", type=int, default=20)
    o.add_argument("--concurrency", type=int, default=16)
    h = sub.add_parser("hold")
    h.add_argument("--port", type=int, required=True)
    h.add_argument("--idle", type=int, default=100)
    h.add_argument("--half", type=int, default=100)
    p = sub.add_parser("pages")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--paths", required=True)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--kill-pid", type=int, default=0)
    p.add_argument("--kill-after", type=int, default=0)
    p.add_argument("--stop-file")
    p.add_argument("--max-seconds", type=float, default=120)
    args = parser.parse_args()
    {"oversized": oversized, "hold": hold, "pages": pages}[args.mode](args)


if __name__ == "__main__":
    main()
