"""Prints bench/run's table and writes it as JSON: one row per scenario, workload and
connection count, os2pm beside the baseline, with os2pm ÷ baseline; scale rows also
against the 10,000-project figures."""
import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
by_key = {(r["scenario"], r["workload"], r["connections"], r["server"]): r for r in rows}
table = []
for (scenario, workload, connections, server), os2pm in by_key.items():
    if server != "os2pm":
        continue
    # pg2 sets two instances beside one (`one`), not beside the baseline.
    base = by_key.get((scenario, workload, connections, "one" if scenario == "pg2" else "baseline"))
    row = {
        "scenario": scenario, "workload": workload, "connections": connections,
        "os2pm": {k: os2pm[k] for k in ("rps", "p50_ms", "p99_ms", "errors", "peak_rss_mb", "requests")},
    }
    if base:
        row["baseline"] = {k: base[k] for k in ("rps", "p50_ms", "p99_ms", "errors", "peak_rss_mb", "requests")}
        row["rps_ratio"] = round(os2pm["rps"] / base["rps"], 3) if base["rps"] else None
        row["p99_ratio"] = round(os2pm["p99_ms"] / base["p99_ms"], 3) if base["p99_ms"] else None
    small = by_key.get(("pg", workload, connections, "os2pm"))
    if scenario == "scale" and small:
        row["rps_vs_10k"] = round(os2pm["rps"] / small["rps"], 3)
        row["p99_vs_10k"] = round(os2pm["p99_ms"] / small["p99_ms"], 3) if small["p99_ms"] else None
    table.append(row)

json.dump({"rows": table}, open(sys.argv[2], "w"), indent=2)
print()
print(f"{'scenario':8} {'workload':8} {'conn':>4} | {'os2pm r/s':>9} {'p50':>7} {'p99':>7} {'err':>4} {'RSS MB':>6} | "
      f"{'base r/s':>9} {'p50':>7} {'p99':>7} {'err':>4} {'RSS MB':>6} | {'r/s ÷':>6} {'p99 ÷':>6} {'vs 10k':>6}")
for r in table:
    o, b = r["os2pm"], r.get("baseline", {})
    def cell(d, k, fmt):
        return format(d[k], fmt) if k in d else "-"
    print(f"{r['scenario']:8} {r['workload']:8} {r['connections']:>4} | "
          f"{o['rps']:>9.0f} {o['p50_ms']:>7.2f} {o['p99_ms']:>7.2f} {o['errors']:>4} {o['peak_rss_mb']:>6.1f} | "
          f"{cell(b, 'rps', '>9.0f')} {cell(b, 'p50_ms', '>7.2f')} {cell(b, 'p99_ms', '>7.2f')} {cell(b, 'errors', '>4')} "
          f"{cell(b, 'peak_rss_mb', '>6.1f')} | {r.get('rps_ratio', '-'):>6} {r.get('p99_ratio', '-'):>6} {r.get('rps_vs_10k', '-'):>6}")
print(f"\nwritten to {sys.argv[2]}")
