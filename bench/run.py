#!/usr/bin/env python3
"""Load benchmark of the advocacy API on PostgreSQL.

Fills a database with the large-customer dataset (the `seed-bench` tool),
starts the release server on it, drives each scenario with wrk (warm-up,
then a measured run at the same concurrency), runs pgbench with the plain
feed SQL (bench/feed.sql) for comparison, and writes results.md and
results.json. Standard library only; needs cargo, wrk, psql and pgbench.

    python3 bench/run.py                 # full scale, 32 connections, 30 s per scenario
    python3 bench/run.py --small         # 1,000 employees, 5 s per scenario (CI)
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
JWT_SECRET = "bench-secret-0123456789abcdef0123456789abcdef"

FEED_QUERY = """query Feed($first: Int, $after: String) {
  feed(first: $first, after: $after) {
    edges { cursor node {
      id kind title summary body url imageUrl language
      topics { id name } targetGroups { id name }
      suggestedTexts { network text }
      status publishAt expiresAt pinned createdAt shareCount viewerHasShared
    } }
    pageInfo { hasNextPage endCursor }
  }
}"""

RECORD_SHARE = """mutation Share($input: RecordShareInput!) {
  recordShare(input: $input) { replayed pointsAwarded share { id trackingUrl potentialReach } }
}"""

ENGAGEMENT = """query Report($filter: EngagementFilter!) {
  engagement(filter: $filter) {
    from to
    totals { shares activeAmbassadors enrolledAmbassadors participationRate potentialReach clicks clickThroughRate earnedMediaValue networkMultiplier }
    daily { date shares clicks potentialReach }
    byNetwork { network shares clicks potentialReach }
    byGroup { group { id name memberCount } shares activeAmbassadors enrolledAmbassadors participationRate }
    topContent(first: 10) { content { id title } shares clicks potentialReach }
    topAmbassadors(first: 10) { user { id displayName } shares clicks potentialReach }
    funnel { employees invited active paused declined withdrawn }
  }
}"""

LOGIN = """mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) { accessToken }
}"""


def log(msg):
    print(f"[bench {datetime.datetime.now():%H:%M:%S}] {msg}", flush=True)


def run(cmd, **kw):
    log("$ " + " ".join(cmd))
    return subprocess.run(cmd, check=True, **kw)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gql(base, query, variables, token=None):
    req = urllib.request.Request(
        base + "/graphql",
        data=json.dumps({"query": query, "variables": variables}).encode(),
        headers={"content-type": "application/json", "accept": "application/json"},
    )
    if token:
        req.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=60) as res:
        body = json.load(res)
    if body.get("errors"):
        raise RuntimeError(f"GraphQL errors: {body['errors']}")
    return body["data"]


def psql(url, sql):
    return subprocess.run(
        ["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
        check=True, capture_output=True, text=True,
    ).stdout.strip()


def ensure_database(url):
    base, _, name = url.rpartition("/")
    name = name.split("?")[0]
    exists = psql(base + "/postgres", f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
    if not exists:
        psql(base + "/postgres", f'CREATE DATABASE "{name}"')


def write_pool(path, rows):
    with open(path, "w") as f:
        for method, target, token, body in rows:
            f.write("\t".join([method, target, token or "", body or ""]) + "\n")
    return path


def body(query, variables):
    return json.dumps({"query": query, "variables": variables}, separators=(",", ":"))


def wrk(url, pool, seconds, connections, threads):
    out = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
         "--timeout", "10s", "-s", os.path.join(BENCH, "wrk", "pool.lua"), url, "--", pool,
         str(time.time_ns())],
        check=True, capture_output=True, text=True,
    ).stdout
    line = [l for l in out.splitlines() if l.startswith("{")][-1]
    r = json.loads(line)
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    r["errors"] = sum(r[k] for k in r if k.startswith("errors_"))
    return r


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/advocacy_bench"))
    p.add_argument("--small", action="store_true", help="1,000 employees, 5 s per scenario")
    p.add_argument("--duration", type=int, help="seconds per measured scenario (30; 5 with --small)")
    p.add_argument("--warmup", type=int, help="seconds of warm-up per scenario (5; 1 with --small)")
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--skip-seed", action="store_true", help="reuse the data already in the database")
    p.add_argument("--skip-build", action="store_true")
    p.add_argument("--out", default=os.path.join(BENCH, "out"))
    args = p.parse_args()
    duration = args.duration or (5 if args.small else 30)
    warmup = args.warmup if args.warmup is not None else (1 if args.small else 5)
    os.makedirs(os.path.join(args.out, "pools"), exist_ok=True)
    for tool in ["wrk", "psql", "pgbench"]:
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed (Debian: apt-get install wrk postgresql-client)")

    if not args.skip_build:
        run(["cargo", "build", "--release", "--locked", "-p", "advocacy", "-p", "seed-bench"], cwd=ROOT)
    binary = os.path.join(ROOT, "target", "release", "advocacy")
    seed_bench = os.path.join(ROOT, "target", "release", "seed-bench")
    env = dict(os.environ, DATABASE_URL=args.database_url, JWT_SECRET=JWT_SECRET,
               APP_ENV="production", RUST_LOG="warn", ACCESS_TOKEN_TTL_SECONDS="86400")
    fixtures_path = os.path.join(args.out, "fixtures.json")

    ensure_database(args.database_url)
    seed_seconds = None
    if not args.skip_seed:
        cmd = [seed_bench, "--seed", str(args.seed), "--fixtures", fixtures_path, "--force"]
        if args.small:
            cmd += ["--employees", "1000", "--ambassadors", "100", "--groups", "20",
                    "--days", "60", "--shares", "20000", "--clicks", "60000", "--small-orgs", "2"]
        started = time.monotonic()
        run(cmd, env=env, cwd=ROOT)
        seed_seconds = time.monotonic() - started
    with open(fixtures_path) as f:
        fx = json.load(f)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([binary, "serve"], env=dict(env, BIND=f"127.0.0.1:{port}",
                              PUBLIC_BASE_URL=base), cwd=ROOT)
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(base + "/readyz", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        else:
            sys.exit("server did not become ready")
        results = drive(args, fx, base, duration, warmup)
        results["server_peak_rss_mb"] = peak_rss_mb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    results["pgbench"] = pgbench(args, fx, duration)
    feed = results["scenarios"]["feed_first_page"]["rps"]
    results["feed_to_pgbench_ratio"] = feed / results["pgbench"]["tps"] if results["pgbench"]["tps"] else None
    results["duplicate_shares"] = int(psql(args.database_url,
        "SELECT count(*) FROM (SELECT 1 FROM shares GROUP BY organization_id, user_id, idempotency_key HAVING count(*) > 1) d"))
    results["meta"] = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                 capture_output=True, text=True).stdout.strip(),
        "machine": f"{os.cpu_count()} cores, {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, {platform.platform()}",
        "postgres": psql(args.database_url, "SHOW server_version"),
        "scale": "small" if args.small else "full",
        "connections": args.connections, "threads": args.threads,
        "duration_s": duration, "warmup_s": warmup, "seed": args.seed,
        "seed_seconds": seed_seconds,
        "dataset": fx.get("sizes"),
    }
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
    md = markdown(results)
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write(md)
    print(md)


def drive(args, fx, base, duration, warmup):
    password = fx["password"]
    log(f"signing in {len(fx['ambassador_emails'])} ambassadors and HR")
    tokens = [gql(base, LOGIN, {"email": e, "password": password})["login"]["accessToken"]
              for e in fx["ambassador_emails"]]
    hr = gql(base, LOGIN, {"email": fx["hr_email"], "password": password})["login"]["accessToken"]

    first_rows, next_rows, share_rows = [], [], []
    networks = ["LINKEDIN", "X", "FACEBOOK", "INSTAGRAM", "XING", "TIKTOK", "OTHER"]
    for i, t in enumerate(tokens):
        first = body(FEED_QUERY, {"first": 20})
        first_rows.append(("POST", "/graphql", t, first))
        page = gql(base, FEED_QUERY, {"first": 20}, t)["feed"]
        cursor = page["pageInfo"]["endCursor"]
        if cursor:
            next_rows.append(("POST", "/graphql", t, body(FEED_QUERY, {"first": 20, "after": cursor})))
        for j, edge in enumerate(page["edges"][:5]):
            share_rows.append(("POST", "/graphql", t, body(RECORD_SHARE, {"input": {
                "contentId": edge["node"]["id"], "network": networks[(i + j) % len(networks)],
                "comment": "Worth a read", "idempotencyKey": "__KEY__"}})))
    report = fx["engagement"]
    pools = {
        "feed_first_page": first_rows,
        "feed_next_page": next_rows,
        "record_share": share_rows,
        "engagement_30_days": [("POST", "/graphql", hr, body(ENGAGEMENT, {"filter": {"from": report["from_30"], "to": report["to"]}}))],
        "engagement_365_days": [("POST", "/graphql", hr, body(ENGAGEMENT, {"filter": {"from": report["from_365"], "to": report["to"]}}))],
        "redirect": [("GET", "/r/" + code, "", "") for code in fx["tracking_codes"]],
        "login": [("POST", "/graphql", "", body(LOGIN, {"email": e, "password": password}))
                  for e in fx["ambassador_emails"]],
    }
    scenarios = {}
    for name, rows in pools.items():
        if not rows:
            log(f"{name}: no requests to make, skipped")
            continue
        pool = write_pool(os.path.join(args.out, "pools", name + ".tsv"), rows)
        if warmup:
            wrk(base, pool, warmup, args.connections, args.threads)
        r = wrk(base, pool, duration, args.connections, args.threads)
        log(f"{name}: {r['rps']:.0f} req/s, p50 {r['p50_us']/1000:.1f} ms, p99 {r['p99_us']/1000:.1f} ms, errors {r['errors']}")
        scenarios[name] = r
    return {"scenarios": scenarios}


def pgbench(args, fx, duration):
    url = args.database_url
    psql(url, "DROP TABLE IF EXISTS bench_ambassadors")
    psql(url, f"""CREATE TABLE bench_ambassadors AS
        SELECT row_number() OVER (ORDER BY id) AS n, id AS user_id FROM users
         WHERE organization_id = '{fx['organization_id']}' AND ambassador_status = 'ACTIVE'""")
    psql(url, "CREATE UNIQUE INDEX ON bench_ambassadors (n)")
    n = int(psql(url, "SELECT count(*) FROM bench_ambassadors"))
    out = subprocess.run(
        ["pgbench", "-n", "-M", "prepared", "-c", str(args.connections), "-j", str(args.threads), "-T", str(duration),
         "-D", f"ambassadors={n}", "-f", os.path.join(BENCH, "feed.sql"), url],
        check=True, capture_output=True, text=True).stdout
    psql(url, "DROP TABLE bench_ambassadors")
    tps = next(float(l.split("=")[1].split()[0]) for l in out.splitlines() if l.startswith("tps ="))
    latency = next((float(l.split("=")[1].split()[0]) for l in out.splitlines()
                    if l.startswith("latency average")), None)
    return {"tps": tps, "latency_avg_ms": latency}


def markdown(r):
    m = r["meta"]
    lines = [
        f"Run {m['date']} at commit {m['commit']} on {m['machine']}; PostgreSQL {m['postgres']}; "
        f"{m['scale']} dataset; {m['connections']} connections, {m['threads']} wrk threads, "
        f"{m['warmup_s']} s warm-up then {m['duration_s']} s per scenario.",
        "",
        "| scenario | requests/s | p50 ms | p95 ms | p99 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, s in r["scenarios"].items():
        lines.append(f"| {name} | {s['rps']:.0f} | {s['p50_us']/1000:.1f} | {s['p95_us']/1000:.1f} | "
                     f"{s['p99_us']/1000:.1f} | {s['errors']} |")
    pg = r["pgbench"]
    lines += [
        "",
        f"- pgbench, plain feed SQL (bench/feed.sql), same concurrency: {pg['tps']:.0f} tps "
        f"(average latency {pg['latency_avg_ms']} ms)",
        f"- API feed first page / pgbench: {r['feed_to_pgbench_ratio']:.2f}",
        f"- server peak RSS: {r['server_peak_rss_mb']:.0f} MB",
        f"- duplicate shares after the run: {r['duplicate_shares']}",
    ]
    if m.get("seed_seconds"):
        lines.append(f"- seed-bench took {m['seed_seconds']:.0f} s")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
