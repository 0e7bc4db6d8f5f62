#!/usr/bin/env bash
# DAST against a throwaway server on 127.0.0.1 with the demo data, signed in as a handler: sqlmap (SQL injection
# in query, path and JSON body parameters) and wapiti (crawl + attack modules), both from Debian, bounded in time.
#
#   bench/dast.sh [OUTPUT_DIR]        (root or not; needs `npm run build` first, and: apt-get install sqlmap wapiti)
#
# Environment: DAST_SQLMAP_SECONDS (per target, default 150), DAST_WAPITI_SECONDS (default 420).
# Prints one line per target and a summary; exits 1 when either tool reports a high finding (sqlmap: any injectable
# parameter; wapiti: any vulnerability of level 3 or more), 0 otherwise. Reports stay in OUTPUT_DIR.
set -euo pipefail

cd "$(dirname "$0")/.."
OUT="${1:-$(mktemp -d /tmp/rongcuo-dast-XXXXXX)}"
mkdir -p "$OUT"
SQLMAP_SECONDS="${DAST_SQLMAP_SECONDS:-150}"
WAPITI_SECONDS="${DAST_WAPITI_SECONDS:-420}"

for tool in sqlmap wapiti curl node; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install sqlmap wapiti curl)" >&2; exit 2; }
done
[ -f dist/cli/bin.js ] || { echo "dist/ is missing: run npm run build first" >&2; exit 2; }

DATA="$(mktemp -d /tmp/rongcuo-dast-data-XXXXXX)"
chmod 755 "$DATA"
# Embedded PostgreSQL and the demo data, on a free loopback port.
RONGCUO_DATA="$DATA" HOST=127.0.0.1 PORT=0 LOG_LEVEL=warn node bin/rongcuo.js serve >"$OUT/server.log" 2>&1 &
SERVER=$!
cleanup() {
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT
for _ in $(seq 1 120); do
  grep -q '已启动：' "$OUT/server.log" && break
  sleep 1
done
URL="$(grep -o '已启动：http://[^ ]*' "$OUT/server.log" | head -1 | sed 's/已启动：//')"
[ -n "$URL" ] || { echo "server did not start" >&2; cat "$OUT/server.log" >&2; exit 2; }
echo "server: $URL (data in $DATA, reports in $OUT)"

# Signed in the whole way (password, authenticator, the required password change) by the test helpers.
COOKIE="$(npx tsx bench/session-cookie.ts "$URL" dc-jiwei rongcuo-demo)"
[ -n "$COOKIE" ] || { echo "sign-in failed" >&2; exit 2; }
CASE_ID="$(curl -s -H "cookie: $COOKIE" "$URL/api/v1/cases?limit=1" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).data[0].id))')"
OFFICIAL_ID="$(curl -s -H "cookie: $COOKIE" "$URL/api/v1/officials?limit=1" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).data[0].id))')"

# The server allows 600 requests a minute per address: the scanners are paced below that (--delay for sqlmap).
high=0
run_sqlmap() {
  local name="$1"; shift
  local log="$OUT/sqlmap-$name.log"
  timeout "$SQLMAP_SECONDS" sqlmap --batch --flush-session --output-dir="$OUT/sqlmap" --cookie="$COOKIE" \
    --dbms=PostgreSQL --level=3 --risk=2 --technique=BEUST --time-sec=2 --timeout=15 --retries=1 --delay="${DELAY:-0.11}" "$@" >"$log" 2>&1 || true
  if grep -qE 'is vulnerable|sqlmap identified the following injection point' "$log"; then
    echo "sqlmap $name: INJECTABLE (see $log)"; high=1
  elif grep -q 'do not appear to be injectable' "$log"; then
    echo "sqlmap $name: no injection found"
  else
    echo "sqlmap $name: stopped after ${SQLMAP_SECONDS} s without a finding ($(grep -c 'testing ' "$log" || true) tests run)"
  fi
}
run_sqlmap case-list -u "$URL/api/v1/cases?q=test&state=investigating&organId=$OFFICIAL_ID&limit=5" -p q,state,organId,limit
run_sqlmap officials -u "$URL/api/v1/officials?q=test&limit=5" -p q,limit
run_sqlmap case-path -u "$URL/api/v1/cases/${CASE_ID}*"
run_sqlmap open-case-json -u "$URL/api/v1/cases" --method=POST -H 'Content-Type: application/json' \
  --data="{\"officialId\":\"$OFFICIAL_ID\",\"title\":\"dast\",\"description\":\"dast\"}"
# Sign-in allows 10 attempts a minute per address: paced to that, sqlmap gets through only a few of its tests here.
DELAY=6.1 run_sqlmap sign-in-json -u "$URL/api/v1/session" --method=POST -H 'Content-Type: application/json' \
  --data='{"username":"dc-jiwei","password":"x"}'

# wapiti: the web application's pages and the API's GET routes with parameters, as starting points.
starts=()
for path in "/" "/login" "/workbench" "/cases" "/cases/$CASE_ID" "/api/v1/cases?q=a&limit=5" "/api/v1/officials?q=a" \
  "/api/v1/cases/$CASE_ID" "/api/v1/cases/$CASE_ID/evidence" "/api/v1/cases/$CASE_ID/documents" "/api/v1/statistics?from=2026-01-01" \
  "/api/public/typical-cases" "/api/openapi.json"; do
  starts+=(-s "$URL$path")
done
timeout $((WAPITI_SECONDS + 120)) wapiti -u "$URL/" --scope folder "${starts[@]}" -H "Cookie: $COOKIE" \
  -m "sql,blindsql,xss,permanentxss,exec,file,crlf,redirect,ssrf,methods,cookieflags,csp,http_headers,htaccess,backup,nikto" \
  --max-scan-time "$WAPITI_SECONDS" --max-attack-time 120 --flush-session -t 15 -f json -o "$OUT/wapiti.json" >"$OUT/wapiti.log" 2>&1 || true
if [ -f "$OUT/wapiti.json" ]; then
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    let high = 0;
    for (const [section, groups] of [["vulnerability", r.vulnerabilities], ["anomaly", r.anomalies], ["additional", r.additionals]]) {
      for (const [name, items] of Object.entries(groups || {})) {
        if (!items.length) continue;
        const levels = items.map((i) => i.level);
        console.log(`wapiti ${section}: ${name} ×${items.length} (levels ${[...new Set(levels)].join(",")})`);
        for (const i of items.slice(0, 3)) console.log(`    ${i.method} ${i.path} ${i.parameter || ""} ${(i.info || "").slice(0, 120)}`);
        if (section === "vulnerability") high += levels.filter((l) => l >= 3).length;
      }
    }
    console.log(`wapiti: ${high} vulnerabilities of level ≥ 3`);
    process.exit(high > 0 ? 1 : 0);
  ' "$OUT/wapiti.json" || high=1
else
  echo "wapiti: no report (see $OUT/wapiti.log)"; high=1
fi
echo "server errors logged during the scan (500s): $(grep -c 'request failed' "$OUT/server.log" || true)"
exit "$high"
