#!/usr/bin/env bash
# The whole life of os2pm, from an empty database: organisations, people and the board; an N1
# idea decided by the business manager; an N2 concept sent back by the business manager and
# reworked; refused at submission, evidenced, returned by the board (tilbageløb), reworked and
# approved; its steering group, budget, start, report,
# go-live into a product, coordination group, change request and its climb to N3 with a
# board-appointed steering group; an adoption
# approved, started and taken live through the same gates; a board meeting
# with its agenda, held, and its decision recorded; benefits, evaluation, priorities, the
# portfolio and the decision log; a webhook with its signed delivery, the event feed and a
# self-assessment import.
#
#   bash examples/tour.sh                   # starts os2pm on a new SQLite file, stops it after
#   DATABASE_URL=postgres://…/empty_db bash examples/tour.sh   # the same on PostgreSQL
#   API=http://127.0.0.1:8080 bash examples/tour.sh            # against a server you started
#
# Needs bash, curl, jq and python3 (the webhook receiver); `faketime` (Debian's package of
# that name) lets the tour hold the board meeting five weeks ahead. Every call states the status
# it expects; any other answer stops the tour with the response body.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work=$(mktemp -d)
server_pid=""
receiver_pid=""
stop() {
  local status=$?
  for pid in $server_pid $receiver_pid; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
  exit "$status"
}
trap stop EXIT
trap 'exit 130' INT TERM

# The transcript goes to stderr; response bodies to stdout, for the variables that keep them.
say() { printf '\n== %s\n' "$*" >&2; }
note() { printf '   %s\n' "$*" >&2; }

# expect STATUS curl ARGS…: runs curl and prints the body; any other status stops the tour.
expect() {
  local want=$1 body status method=GET url="" arg previous=""
  shift
  for arg in "$@"; do
    [ "$previous" = -X ] && method=$arg
    case $arg in http*) url=${arg#"$API"} ;; esac
    previous=$arg
  done
  body=$(mktemp)
  status=$("$@" -o "$body" -w '%{http_code}') || { echo "!! $method $url: curl failed" >&2; exit 1; }
  if [ "$status" != "$want" ]; then
    printf '\n!! %s %s answered %s, not %s:\n%s\n' "$method" "$url" "$status" "$want" "$(cat "$body")" >&2
    rm -f "$body"
    exit 1
  fi
  # Ids shortened to their first eight characters, for a transcript one can read.
  printf '   %-6s %s → %s\n' "$method" "$(sed -E 's/([0-9a-f]{8})-[0-9a-f-]{27}/\1…/g' <<<"$url")" "$status" >&2
  cat "$body"
  rm -f "$body"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The os2pm binary: OS2PM if set, else the release build of this checkout (brought up to date,
# so the tour never runs an older build than the code beside it).
if [ -z "${OS2PM:-}" ]; then
  OS2PM=$root/target/release/os2pm
  note "building os2pm (cargo build --release)"
  (cd "$root" && cargo build --release -q)
fi
# The server's clock, when the tour moves it (see start_server): tokens are minted on it too.
clock=()
os2pm() { "${clock[@]}" "$OS2PM" "$@"; }

# libfaketime moves the wall clock of one process (Debian's package `faketime`), if installed.
libfaketime=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n 1 || true)

# start_server [OFFSET]: serves DATABASE_URL on a free port, its clock OFFSET ahead (say +36d).
start_server() {
  local port
  port=$(free_port)
  API=http://127.0.0.1:$port
  if [ -n "${1:-}" ]; then
    # Only the wall clock moves: timers and timeouts keep the real monotonic clock.
    clock=(env "LD_PRELOAD=$libfaketime" "FAKETIME=$1" FAKETIME_DONT_FAKE_MONOTONIC=1)
  fi
  OS2PM_BIND=127.0.0.1:$port "${clock[@]}" "$OS2PM" serve >>"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    curl -sf "$API/health/ready" >/dev/null && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "!! os2pm did not start:" >&2
  cat "$work/server.log" >&2
  exit 1
}

if [ -n "${API:-}" ]; then
  own_server=false
  note "touring $API (a server you started: tokens come from its key, the meeting is not held)"
else
  own_server=true
  export DATABASE_URL=${DATABASE_URL:-$work/tour.db}
  export OS2PM_JWT_SECRET=${OS2PM_JWT_SECRET:-$(python3 -c 'import secrets; print(secrets.token_hex(32))')}
  export OS2PM_WEBHOOK_ALLOW_HTTP_LOOPBACK=true OS2PM_WEBHOOK_ALLOW_HOSTS=127.0.0.1 OS2PM_WEBHOOK_POLL=200ms RUST_LOG=${RUST_LOG:-warn}
  start_server
  note "os2pm serves $API on $(case $DATABASE_URL in postgres*) echo PostgreSQL ;; *) echo SQLite ;; esac)"
fi
day() { python3 -c "import datetime, sys; print(datetime.date.today() + datetime.timedelta(days=int(sys.argv[1])))" "$1"; }

say "Health and the reference data"
expect 200 curl -s $API/health/live >/dev/null
expect 200 curl -s $API/health/ready >/dev/null
expect 200 curl -s "$API/api/v1/organizations?type=municipality&limit=5" | jq -c '[.items[].name]' >&2
expect 200 curl -s "$API/api/v1/requirements?level=N2" | jq -r '"   N2 has \(.items | length) requirements"' >&2

say "Sign-in: development tokens, one per person of the tour (valid 8 hours; 12 is the most a token may live)"
sign_in() {
  ADMIN=$(os2pm token --role admin --ttl 8h)
  MANAGER=$(os2pm token --role forretningsleder --org os2 --sub anne --ttl 8h)
  AARHUS=$(os2pm token --role municipality_user --org 751 --sub jens --ttl 8h)
  JENS=$AARHUS
  PIA=$(os2pm token --role project_leader --org 751 --sub pia --ttl 8h)
  CHAIR=$(os2pm token --role board_chair --role board_member --org kl --sub mette --ttl 8h)
  MEMBER=$(os2pm token --role board_member --org 101 --sub kim --ttl 8h)
  LISE=$(os2pm token --role board_member --org 147 --sub lise --ttl 8h)
  INTRANET=$(os2pm token --role integration --org 751 --sub aarhus-intranet --ttl 8h)
}
sign_in
expect 200 curl -s $API/api/v1/me -H "Authorization: Bearer $MANAGER" | jq -c . >&2

say "The administrator registers the people and seats a board of three, one chair"
for p in 'mette kl' 'kim 101' 'lise 147' 'jens 751' 'pia 751'; do set -- $p
  expect 201 curl -s -X POST $API/api/v1/people -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d "{\"sub\": \"$1\", \"name\": \"$1\", \"organization\": \"$2\"}" >/dev/null
done
ROSTER=$(curl -s -D - -o /dev/null $API/api/v1/board/members -H "Authorization: Bearer $ADMIN" | grep -i '^etag' | tr -d '\r' | cut -d' ' -f2)
expect 200 curl -s -X PUT $API/api/v1/board/members -H "Authorization: Bearer $ADMIN" -H "If-Match: $ROSTER" \
  -H 'Content-Type: application/json' -d '{"members": [
    {"person": "mette", "chair": true, "seat_from": "2026-01-01"}, {"person": "kim", "seat_from": "2026-01-01"},
    {"person": "lise", "seat_from": "2026-01-01"}]}' >/dev/null

# Every change to an existing project needs the ETag it was read with (428 without, 412 when stale).
etag() { curl -s -D - -o /dev/null $API/api/v1/projects/$1 | grep -i '^etag' | tr -d '\r' | cut -d' ' -f2; }

say "An N1 idea, placed and decided by the business manager alone"
# Aarhus submits an idea (from its intranet, role integration, it would be the same); state `idea`
SMALL=$(expect 201 curl -s -X POST $API/api/v1/projects -H "Authorization: Bearer $AARHUS" -H 'Content-Type: application/json' \
  -H 'Idempotency-Key: intranet-2026-0041' -d '{
    "title": "Bookingkalender til borgerservice", "summary": "Borgerne booker selv tid.",
    "participants": ["751"], "local_value": "Færre opkald.", "value_for_others": "Kan bruges af alle.",
    "intended_funding": "local", "contact": {"name": "Jens Hansen", "email": "jens@aarhus.dk"}}' | jq -r .id)
# The business manager places it at N1: a `concept`, pinned to the catalogue os2-2016
expect 200 curl -s -X POST $API/api/v1/projects/$SMALL/placement -H "Authorization: Bearer $MANAGER" -H "If-Match: $(etag $SMALL)" \
  -H 'Content-Type: application/json' -d '{"level": "N1", "rationale": "Lokal løsning"}' >/dev/null
# What is still missing before it can be decided? (changes nothing)
expect 200 curl -s "$API/api/v1/projects/$SMALL/submission" -H "Authorization: Bearer $MANAGER" \
  | jq -r '"   ready: \(.ready); unmet: \([.unmet_requirements[].key] | join(", "))"' >&2
# Evidence, requirement by requirement: attestations, a document link, follow-or-explain
for key in idea_described local_value value_for_others license_criteria procurement_compliant legally_compliant \
  security_by_design supports_innovation standards_follow_or_explain; do
  expect 200 curl -s -X PUT $API/api/v1/projects/$SMALL/requirements/$key -H "Authorization: Bearer $AARHUS" \
    -H "If-Match: $(etag $SMALL)" -H 'Content-Type: application/json' -d '{"status": "met"}' >/dev/null
done
expect 200 curl -s -X PUT $API/api/v1/projects/$SMALL/requirements/solution_documented -H "Authorization: Bearer $AARHUS" \
  -H "If-Match: $(etag $SMALL)" -H 'Content-Type: application/json' \
  -d '{"status": "met", "link": "https://github.com/OS2/booking/blob/main/docs/solution.md"}' >/dev/null
# Submitted: at N1 the approval goes to the business manager, who decides alone
SMALL_APPROVAL=$(expect 200 curl -s -X POST $API/api/v1/projects/$SMALL/submission -H "Authorization: Bearer $MANAGER" \
  -H "If-Match: $(etag $SMALL)" | jq -r .current_approval.id)
expect 200 curl -s "$API/api/v1/approvals?state=pending" -H "Authorization: Bearer $MANAGER" | jq -r '"   the business manager has \(.items | length) approval(s) pending"' >&2
expect 201 curl -s -X POST $API/api/v1/approvals/$SMALL_APPROVAL/votes -H "Authorization: Bearer $MANAGER" \
  -H 'Content-Type: application/json' -d '{"decision": "approve"}' >/dev/null
expect 200 curl -s $API/api/v1/projects/$SMALL | jq -r '"   \(.title): \(.state) at \(.level)"' >&2

# attest TOKEN KEY…: the project's requirements met; document TOKEN KEY…: met, with a link each.
# The project is $ID, or $ON when it is set (ON=$OTHER attest …).
attest() {
  local token=$1 key
  shift
  for key in "$@"; do
    expect 200 curl -s -X PUT $API/api/v1/projects/${ON:-$ID}/requirements/$key -H "Authorization: Bearer $token" \
      -H "If-Match: $(etag ${ON:-$ID})" -H 'Content-Type: application/json' -d '{"status": "met"}' >/dev/null
  done
}
document() {
  local token=$1 key
  shift
  for key in "$@"; do
    expect 200 curl -s -X PUT $API/api/v1/projects/${ON:-$ID}/requirements/$key -H "Authorization: Bearer $token" \
      -H "If-Match: $(etag ${ON:-$ID})" -H 'Content-Type: application/json' \
      -d "{\"status\": \"met\", \"link\": \"https://github.com/OS2/borgerdialog/blob/main/docs/$key.md\"}" >/dev/null
  done
}

say "An N2 idea: Aarhus submits it from its intranet, the business manager places it"
ID=$(expect 201 curl -s -X POST $API/api/v1/projects -H "Authorization: Bearer $AARHUS" -H 'Content-Type: application/json' \
  -H 'Idempotency-Key: intranet-2026-0042' -d '{
    "title": "Fælles borgerdialog", "summary": "Én løsning til dialog med borgerne.",
    "participants": ["751", "101"], "local_value": "Kortere svartider.",
    "value_for_others": "Alle kommuner har behovet.", "intended_funding": "mixed",
    "contact": {"name": "Jens Hansen", "email": "jens@aarhus.dk"}}' | jq -r .id)
expect 200 curl -s -X POST $API/api/v1/projects/$ID/placement -H "Authorization: Bearer $MANAGER" -H "If-Match: $(etag $ID)" \
  -H 'Content-Type: application/json' -d '{"level": "N2", "rationale": "Fælleskommunal værdi"}' | jq -r '"   \(.state) at \(.level), catalogue \(.catalogue_version)"' >&2

say "Tilbageløb before the board: the business manager sends the concept back, Aarhus reworks it"
# While it is a concept only the business manager edits it; Aarhus is refused
expect 403 curl -s -X PATCH $API/api/v1/projects/$ID -H "Authorization: Bearer $AARHUS" -H "If-Match: $(etag $ID)" \
  -H 'Content-Type: application/json' -d '{"summary": "Ny tekst"}' | jq -r '"   \(.detail)"' >&2
expect 200 curl -s -X POST $API/api/v1/projects/$ID/send-back -H "Authorization: Bearer $MANAGER" -H "If-Match: $(etag $ID)" \
  -H 'Content-Type: application/json' -d '{"reason": "Beskriv værdien for de øvrige kommuner konkret."}' \
  | jq -r '"   \(.state): \(.return_reason)"' >&2
expect 200 curl -s -X PATCH $API/api/v1/projects/$ID -H "Authorization: Bearer $AARHUS" -H "If-Match: $(etag $ID)" \
  -H 'Content-Type: application/json' -d '{"value_for_others": "Alle kommuner besvarer borgerhenvendelser; én fælles løsning sparer hver kommune et eget indkøb."}' >/dev/null
expect 200 curl -s -X POST $API/api/v1/projects/$ID/placement -H "Authorization: Bearer $MANAGER" -H "If-Match: $(etag $ID)" \
  -H 'Content-Type: application/json' -d '{"level": "N2", "rationale": "Fælleskommunal værdi, nu beskrevet"}' | jq -r '"   \(.state) at \(.level) again"' >&2

say "Submitted too early: refused, with every unmet requirement listed; nothing changes"
expect 200 curl -s "$API/api/v1/projects/$ID/submission" -H "Authorization: Bearer $MANAGER" | jq -r '"   ready: \(.ready), \(.unmet_requirements | length) unmet"' >&2
expect 422 curl -s -X POST $API/api/v1/projects/$ID/submission -H "Authorization: Bearer $MANAGER" -H "If-Match: $(etag $ID)" \
  | jq -r '.detail, (.unmet_requirements[] | "     \(.key) (\(.level), \(.gate))")' >&2

say "Evidence for every approval-gate requirement (per organisation where the catalogue says so)"
attest "$AARHUS" idea_described local_value value_for_others license_criteria procurement_compliant \
  legally_compliant security_by_design supports_innovation common_municipal_value
document "$AARHUS" solution_documented strategic_communication_material presentation_material strategic_alignment
expect 200 curl -s -X PUT $API/api/v1/projects/$ID/requirements/line_management_acceptance -H "Authorization: Bearer $AARHUS" \
  -H "If-Match: $(etag $ID)" -H 'Content-Type: application/json' -d '{"status": "met", "organization": "751"}' >/dev/null
# København's acceptance, recorded by the business manager on its behalf with the document
expect 200 curl -s -X PUT $API/api/v1/projects/$ID/requirements/line_management_acceptance -H "Authorization: Bearer $MANAGER" \
  -H "If-Match: $(etag $ID)" -H 'Content-Type: application/json' \
  -d '{"status": "met", "organization": "101", "link": "https://www.kk.dk/dagsordener/accept-borgerdialog.pdf"}' >/dev/null
expect 200 curl -s -X PUT $API/api/v1/projects/$ID/requirements/standards_follow_or_explain -H "Authorization: Bearer $AARHUS" \
  -H "If-Match: $(etag $ID)" -H 'Content-Type: application/json' \
  -d '{"status": "explained", "explanation": "Vi bruger kommunens eget SSO."}' >/dev/null
expect 200 curl -s -X PUT $API/api/v1/projects/$ID/requirements/project_model_follow_or_explain -H "Authorization: Bearer $AARHUS" \
  -H "If-Match: $(etag $ID)" -H 'Content-Type: application/json' -d '{"status": "met"}' >/dev/null
expect 200 curl -s "$API/api/v1/projects/$ID/submission" -H "Authorization: Bearer $MANAGER" | jq -r '"   ready: \(.ready), approver: \(.approver)"' >&2

say "A board meeting five weeks ahead: recommendations submitted now land on its agenda"
MEETING=$(expect 201 curl -s -X POST $API/api/v1/board/meetings -H "Authorization: Bearer $MANAGER" -H 'Content-Type: application/json' \
  -d "{\"date\": \"$(day 35)\", \"place\": \"KL, Weidekampsgade 10\"}" | jq -r .id)
expect 201 curl -s -X POST $API/api/v1/board/meetings/$MEETING/agenda-items -H "Authorization: Bearer $MANAGER" \
  -H 'Content-Type: application/json' -d '{"kind": "strategy", "title": "Strategi 2028"}' >/dev/null

say "Submitted: the approval is in the board's inbox"
expect 200 curl -s -X POST $API/api/v1/projects/$ID/submission -H "Authorization: Bearer $MANAGER" -H "If-Match: $(etag $ID)" >/dev/null
expect 200 curl -s "$API/api/v1/approvals?state=pending" -H "Authorization: Bearer $CHAIR" | jq -r '.items[] | "   pending: \(.subject) of \(.project_id) for \(.approver)"' >&2
APPROVAL=$(expect 200 curl -s $API/api/v1/projects/$ID | jq -r .current_approval.id)

say "Tilbageløb: a majority of the board returns it with a reason"
expect 201 curl -s -X POST $API/api/v1/approvals/$APPROVAL/votes -H "Authorization: Bearer $CHAIR" \
  -H 'Content-Type: application/json' -d '{"decision": "return", "reason": "Mangler strategisk sammenhæng"}' >/dev/null
expect 201 curl -s -X POST $API/api/v1/approvals/$APPROVAL/votes -H "Authorization: Bearer $MEMBER" \
  -H 'Content-Type: application/json' -d '{"decision": "return", "reason": "Mangler strategisk sammenhæng"}' >/dev/null
expect 200 curl -s $API/api/v1/projects/$ID | jq -r '"   \(.state), round \(.round)"' >&2

say "Reworked by Aarhus, placed and submitted again, approved by a majority"
expect 200 curl -s -X PATCH $API/api/v1/projects/$ID -H "Authorization: Bearer $AARHUS" -H "If-Match: $(etag $ID)" \
  -H 'Content-Type: application/json' -d '{"summary": "Én løsning til dialog med borgerne, bygget på den fælles rammearkitektur."}' >/dev/null
expect 200 curl -s -X POST $API/api/v1/projects/$ID/placement -H "Authorization: Bearer $MANAGER" -H "If-Match: $(etag $ID)" \
  -H 'Content-Type: application/json' -d '{"level": "N2", "rationale": "Strategisk sammenhæng beskrevet"}' >/dev/null
APPROVAL=$(expect 200 curl -s -X POST $API/api/v1/projects/$ID/submission -H "Authorization: Bearer $MANAGER" \
  -H "If-Match: $(etag $ID)" | jq -r .current_approval.id)
expect 201 curl -s -X POST $API/api/v1/approvals/$APPROVAL/votes -H "Authorization: Bearer $CHAIR" \
  -H 'Content-Type: application/json' -d '{"decision": "approve"}' >/dev/null
expect 201 curl -s -X POST $API/api/v1/approvals/$APPROVAL/votes -H "Authorization: Bearer $MEMBER" \
  -H 'Content-Type: application/json' -d '{"decision": "approve"}' >/dev/null
expect 200 curl -s $API/api/v1/projects/$ID | jq -r '"   \(.state) at \(.level)"' >&2

# vote_board APPROVAL: two of the three seated members approve
vote_board() {
  for voter in "$CHAIR" "$MEMBER"; do
    expect 201 curl -s -X POST $API/api/v1/approvals/$1/votes -H "Authorization: Bearer $voter" \
      -H 'Content-Type: application/json' -d '{"decision": "approve"}' >/dev/null
  done
}

say "The steering group: proposed by the business manager, approved by the board (N2)"
GROUP_APPROVAL=$(expect 202 curl -s -X PUT $API/api/v1/projects/$ID/steering-group -H "Authorization: Bearer $MANAGER" -H "If-Match: $(etag $ID)" \
  -H 'Content-Type: application/json' -d '{
    "seats": [{"organization": "751", "representative": "jens"}, {"organization": "101", "representative": "kim"}],
    "chair": "751", "project_leader": "pia"}' | jq -r .id)
vote_board "$GROUP_APPROVAL"

say "Budget and business case: proposed, approved by the steering group's chair, then by the board"
expect 200 curl -s -X PUT $API/api/v1/projects/$ID/budget -H "Authorization: Bearer $MANAGER" -H "If-Match: $(etag $ID)" \
  -H 'Content-Type: application/json' -d "{\"amount_dkk\": 1200000, \"period_start\": \"$(day 1)\",
    \"period_end\": \"$(day 365)\", \"funding\": \"mixed\", \"expected_benefits\": \"20 timer sparet pr. uge\"}" >/dev/null
# The chair's approval answers the project; at N2 the board's approval of the budget is open on it
BUDGET_APPROVAL=$(expect 200 curl -s -X POST $API/api/v1/projects/$ID/budget/approval -H "Authorization: Bearer $JENS" -H "If-Match: $(etag $ID)" \
  | jq -r '.open_approvals[] | select(.subject == "budget") | .id')
vote_board "$BUDGET_APPROVAL"

say "Start: every start-gate requirement, derived ones included"
expect 200 curl -s -X PUT $API/api/v1/projects/$ID/requirements/certified_project_leader -H "Authorization: Bearer $PIA" \
  -H "If-Match: $(etag $ID)" -H 'Content-Type: application/json' -d '{"status": "met", "link": "https://www.aarhus.dk/pia-prince2.pdf"}' >/dev/null
document "$PIA" operations_setup_described
attest "$PIA" data_processing_agreements
expect 200 curl -s -X POST $API/api/v1/projects/$ID/start -H "Authorization: Bearer $JENS" -H "If-Match: $(etag $ID)" | jq -r '"   \(.state)"' >&2

say "A progress report from the project leader"
expect 201 curl -s -X POST $API/api/v1/projects/$ID/reports -H "Authorization: Bearer $PIA" -H 'Content-Type: application/json' -d "{
  \"period_start\": \"$(day 0)\", \"period_end\": \"$(day 0)\", \"status\": \"amber\", \"status_reason\": \"Leverandøren er forsinket\",
  \"progress\": \"Login er færdigt.\", \"budget_dkk\": 1200000, \"spent_dkk\": 350000, \"forecast_dkk\": 1250000,
  \"milestones\": [{\"name\": \"Pilot i Aarhus\", \"planned\": \"$(day 60)\", \"actual\": null}]}" >/dev/null
expect 200 curl -s $API/api/v1/projects/$ID/reports | jq -r '"   \(.items | length) report(s), latest \(.items[-1].status)"' >&2

say "The coordination group, the go-live evidence, and go-live into a product"
expect 200 curl -s -X PUT $API/api/v1/projects/$ID/coordination-group -H "Authorization: Bearer $MANAGER" -H "If-Match: $(etag $ID)" \
  -H 'Content-Type: application/json' -d '{"members": [{"organization": "751", "representative": "jens"}],
    "chair": "751"}' >/dev/null
document "$PIA" source_shared operations_requirements training_material best_practice_documented
attest "$PIA" single_core_codebase
PRODUCT=$(expect 200 curl -s -X POST $API/api/v1/projects/$ID/go-live -H "Authorization: Bearer $JENS" -H "If-Match: $(etag $ID)" | jq -r .product_id)
expect 200 curl -s "$API/api/v1/products?level=N2&organization=751" | jq -r '.items[] | "   product: \(.name) (\(.level), \(.state))"' >&2
expect 200 curl -s $API/api/v1/products/$PRODUCT >/dev/null

say "The product's economy: a yearly budget frame, in force at N2 only once the board approves it"
petag() { curl -s -D - -o /dev/null $API/api/v1/products/$1 | grep -i '^etag' | tr -d '\r' | cut -d' ' -f2; }
FRAME_APPROVAL=$(expect 202 curl -s -X PUT $API/api/v1/products/$PRODUCT/budget-frame -H "Authorization: Bearer $MANAGER" \
  -H "If-Match: $(petag $PRODUCT)" -H 'Content-Type: application/json' \
  -d '{"yearly_budget_frame_dkk": 500000, "reason": "Drift og videreudvikling"}' | jq -r .id)
expect 200 curl -s $API/api/v1/products/$PRODUCT | jq -r '"   proposed \(.proposed_budget_frame_dkk) kr. a year; in force: \(.yearly_budget_frame_dkk // "none yet")"' >&2
vote_board "$FRAME_APPROVAL"
expect 200 curl -s $API/api/v1/products/$PRODUCT | jq -r '"   approved: \(.yearly_budget_frame_dkk) kr. a year in force"' >&2

say "A further coordination group: Copenhagen's schools follow the product in a group of their own"
expect 200 curl -s -X PUT $API/api/v1/products/$PRODUCT/coordination-groups/skole -H "Authorization: Bearer $MANAGER" \
  -H "If-Match: $(petag $PRODUCT)" -H 'Content-Type: application/json' \
  -d '{"members": [{"organization": "101", "representative": "kim"}], "chair": "101"}' \
  | jq -r '.coordination_groups[] | "   \(.key): \([.members[].organization] | join(", ")), chaired by \(.chair)"' >&2

say "An adoption on the same terms: a finished solution handed over, approved, started and taken live"
ADOPTION=$(expect 201 curl -s -X POST $API/api/v1/projects -H "Authorization: Bearer $AARHUS" -H 'Content-Type: application/json' -d '{
    "kind": "adoption", "title": "Mødebooking fra Aarhus", "summary": "En færdig løsning, overdraget til foreningen.",
    "participants": ["751"], "local_value": "I drift i Aarhus.", "value_for_others": "Kan tages i brug af alle.",
    "intended_funding": "local", "contact": {"name": "Jens Hansen", "email": "jens@aarhus.dk"}}' | jq -r .id)
expect 200 curl -s -X POST $API/api/v1/projects/$ADOPTION/placement -H "Authorization: Bearer $MANAGER" -H "If-Match: $(etag $ADOPTION)" \
  -H 'Content-Type: application/json' -d '{"level": "N1", "rationale": "Færdig lokal løsning"}' >/dev/null
ON=$ADOPTION attest "$AARHUS" idea_described local_value value_for_others license_criteria procurement_compliant \
  legally_compliant security_by_design supports_innovation standards_follow_or_explain
ON=$ADOPTION document "$AARHUS" solution_documented
ADOPTION_APPROVAL=$(expect 200 curl -s -X POST $API/api/v1/projects/$ADOPTION/submission -H "Authorization: Bearer $MANAGER" \
  -H "If-Match: $(etag $ADOPTION)" | jq -r .current_approval.id)
expect 201 curl -s -X POST $API/api/v1/approvals/$ADOPTION_APPROVAL/votes -H "Authorization: Bearer $MANAGER" \
  -H 'Content-Type: application/json' -d '{"decision": "approve"}' >/dev/null
expect 200 curl -s $API/api/v1/projects/$ADOPTION | jq -r '"   \(.kind) \(.state), product: \(.product_id)"' >&2
# Approved is not live: it needs its owner (N1), an approved budget and the start gate first
expect 200 curl -s -X PUT $API/api/v1/projects/$ADOPTION/steering-group -H "Authorization: Bearer $MANAGER" -H "If-Match: $(etag $ADOPTION)" \
  -H 'Content-Type: application/json' -d '{"project_owner": "jens"}' >/dev/null
expect 200 curl -s -X PUT $API/api/v1/projects/$ADOPTION/budget -H "Authorization: Bearer $MANAGER" -H "If-Match: $(etag $ADOPTION)" \
  -H 'Content-Type: application/json' -d '{"amount_dkk": 150000, "period_start": "2027-01-01", "period_end": "2027-12-31",
    "funding": "local", "expected_costs": "Overdragelse og drift", "expected_benefits": "Fælles vedligehold", "expected_effects": "Flere brugere"}' >/dev/null
expect 200 curl -s -X POST $API/api/v1/projects/$ADOPTION/budget/approval -H "Authorization: Bearer $JENS" -H "If-Match: $(etag $ADOPTION)" >/dev/null
ON=$ADOPTION attest "$AARHUS" data_processing_agreements
expect 200 curl -s -X POST $API/api/v1/projects/$ADOPTION/start -H "Authorization: Bearer $MANAGER" -H "If-Match: $(etag $ADOPTION)" >/dev/null
# The go-live gate is owed as by any project: refused with what is missing, then met
expect 422 curl -s -X POST $API/api/v1/projects/$ADOPTION/go-live -H "Authorization: Bearer $MANAGER" -H "If-Match: $(etag $ADOPTION)" \
  | jq -r '"   go-live refused, unmet: \([.unmet_requirements[].key] | join(", "))"' >&2
ON=$ADOPTION document "$AARHUS" source_shared operations_requirements training_material
expect 200 curl -s -X POST $API/api/v1/projects/$ADOPTION/go-live -H "Authorization: Bearer $MANAGER" -H "If-Match: $(etag $ADOPTION)" \
  | jq -r '"   \(.state): product \(.product_id)"' >&2

say "Change requests: within the frame the group's chair decides; beyond it, the board"
expect 201 curl -s -X POST $API/api/v1/products/$PRODUCT/change-requests -H "Authorization: Bearer $AARHUS" \
  -H 'Content-Type: application/json' -d '{"category": "legal_maintenance", "description": "Ny persondatavejledning", "estimated_cost_dkk": 40000}' \
  | jq -r '"   \(.category): \(.state)"' >&2
# A minor change is agreed between the supplier and the project leader, who files it; the group is informed
expect 201 curl -s -X POST $API/api/v1/products/$PRODUCT/change-requests -H "Authorization: Bearer $PIA" \
  -H 'Content-Type: application/json' -d '{"category": "minor_change", "description": "Nyt felt i ansøgningsformularen",
    "estimated_cost_dkk": 8000, "supplier_agreement": "Aftalt med leverandøren på driftsmødet 3. november"}' \
  | jq -r '"   \(.category) by the project leader, agreed with the supplier: \(.state)"' >&2
BEYOND=$(expect 201 curl -s -X POST $API/api/v1/products/$PRODUCT/change-requests -H "Authorization: Bearer $AARHUS" \
  -H 'Content-Type: application/json' -d '{"category": "further_development", "description": "Ny integration", "estimated_cost_dkk": 750000}')
printf '%s' "$BEYOND" | jq -r '"   \(.category): \(.state), routed to the \(.route)"' >&2
RECOMMENDATION=$(expect 200 curl -s "$API/api/v1/approvals?state=pending" -H "Authorization: Bearer $CHAIR" \
  | jq -r '.items[] | select(.subject == "change_request") | .id')

say "A level change: up to N3 needs N3's requirements first, so it is refused with them"
expect 422 curl -s -X POST $API/api/v1/products/$PRODUCT/level-changes -H "Authorization: Bearer $MANAGER" \
  -H 'Content-Type: application/json' -d '{"level": "N3", "reason": "Strategisk betydning"}' \
  | jq -r '.detail, (.unmet_requirements[] | "     \(.key)")' >&2

say "The product climbs to N3: its N3 evidence, a steering group the board appoints with a majority of its own"
# Every product has its steering group (the project's, carried on); at N3 the board appoints it
document "$PIA" national_strategy_link political_communication transition_process_plan
STEERING_APPROVAL=$(expect 202 curl -s -X PUT $API/api/v1/products/$PRODUCT/steering-group -H "Authorization: Bearer $MANAGER" \
  -H "If-Match: $(petag $PRODUCT)" -H 'Content-Type: application/json' -d '{
    "seats": [{"organization": "751", "representative": "jens"}, {"organization": "kl", "representative": "mette"},
      {"organization": "101", "representative": "kim"}], "chair": "751", "project_leader": "pia"}' | jq -r .id)
vote_board "$STEERING_APPROVAL"
# A board member joins the coordination group, as N3 asks
expect 200 curl -s -X PUT $API/api/v1/products/$PRODUCT/coordination-group -H "Authorization: Bearer $MANAGER" \
  -H "If-Match: $(petag $PRODUCT)" -H 'Content-Type: application/json' -d '{"members": [{"organization": "751", "representative": "jens"},
    {"organization": "kl", "representative": "mette"}], "chair": "751"}' >/dev/null
RAISE=$(expect 201 curl -s -X POST $API/api/v1/products/$PRODUCT/level-changes -H "Authorization: Bearer $MANAGER" \
  -H 'Content-Type: application/json' -d '{"level": "N3", "reason": "Strategisk betydning"}' | jq -r .id)
vote_board "$RAISE"
expect 200 curl -s $API/api/v1/products/$PRODUCT | jq -r '"   \(.name): \(.level), steering group of \(.steering_group.seats | length), chaired by \(.steering_group.chair)"' >&2

say "The meeting's agenda: the recommendations submitted before its deadline"
expect 200 curl -s $API/api/v1/board/meetings/$MEETING | jq -r '"   \(.date): \(.agenda.recommendations | length) recommendation(s), \(.agenda.items | length) other item(s); agenda closes \(.agenda_deadline)"' >&2
expect 200 curl -s "$API/api/v1/portfolio/overdue-reports?meeting=$MEETING" >/dev/null

say "Five weeks later the board meets; the business manager records its decision from the minutes"
if $own_server && [ -n "$libfaketime" ]; then
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  start_server +36d
  sign_in
  note "os2pm restarted with the clock 36 days ahead ($API); everyone signs in again"
  note "one of the three seated members present is no quorum: the board decided nothing"
  expect 422 curl -s -X POST $API/api/v1/board/meetings/$MEETING/recommendations/$RECOMMENDATION/decision \
    -H "Authorization: Bearer $MANAGER" -H 'Content-Type: application/json' \
    -d '{"members_present": ["mette"], "decision": "approve", "reason": "Referat pkt. 4"}' | jq -r '"   \(.errors[0].message)"' >&2
  expect 201 curl -s -X POST $API/api/v1/board/meetings/$MEETING/recommendations/$RECOMMENDATION/decision \
    -H "Authorization: Bearer $MANAGER" -H 'Content-Type: application/json' \
    -d '{"members_present": ["mette", "kim"], "decision": "approve", "reason": "Referat pkt. 4"}' | jq -r '"   \(.subject): \(.state)"' >&2
else
  note "(the meeting is 35 days ahead: recording its decision now is refused, as it must be)"
  expect 409 curl -s -X POST $API/api/v1/board/meetings/$MEETING/recommendations/$RECOMMENDATION/decision \
    -H "Authorization: Bearer $MANAGER" -H 'Content-Type: application/json' \
    -d '{"members_present": ["mette", "kim"], "decision": "approve", "reason": "Referat pkt. 4"}' | jq -r '"   \(.detail)"' >&2
fi

say "A second N2 project is approved and started; it owes the next board meeting its status report"
SECOND=$(expect 201 curl -s -X POST $API/api/v1/projects -H "Authorization: Bearer $AARHUS" -H 'Content-Type: application/json' -d '{
    "title": "Digital affaldsplan", "summary": "Fælles planlægning af affaldsindsamling.",
    "participants": ["751"], "local_value": "Færre kørte kilometer.", "value_for_others": "Alle kommuner planlægger indsamling.",
    "intended_funding": "os2", "contact": {"name": "Jens Hansen", "email": "jens@aarhus.dk"}}' | jq -r .id)
expect 200 curl -s -X POST $API/api/v1/projects/$SECOND/placement -H "Authorization: Bearer $MANAGER" -H "If-Match: $(etag $SECOND)" \
  -H 'Content-Type: application/json' -d '{"level": "N2", "rationale": "Fælleskommunal værdi"}' >/dev/null
ON=$SECOND attest "$AARHUS" idea_described local_value value_for_others license_criteria procurement_compliant \
  legally_compliant security_by_design supports_innovation common_municipal_value project_model_follow_or_explain standards_follow_or_explain
ON=$SECOND document "$AARHUS" solution_documented strategic_communication_material presentation_material strategic_alignment
expect 200 curl -s -X PUT $API/api/v1/projects/$SECOND/requirements/line_management_acceptance -H "Authorization: Bearer $AARHUS" \
  -H "If-Match: $(etag $SECOND)" -H 'Content-Type: application/json' -d '{"status": "met", "organization": "751"}' >/dev/null
vote_board "$(expect 200 curl -s -X POST $API/api/v1/projects/$SECOND/submission -H "Authorization: Bearer $MANAGER" \
  -H "If-Match: $(etag $SECOND)" | jq -r .current_approval.id)"
vote_board "$(expect 202 curl -s -X PUT $API/api/v1/projects/$SECOND/steering-group -H "Authorization: Bearer $MANAGER" \
  -H "If-Match: $(etag $SECOND)" -H 'Content-Type: application/json' -d '{
    "seats": [{"organization": "751", "representative": "jens"}], "chair": "751", "project_leader": "pia"}' | jq -r .id)"
expect 200 curl -s -X PUT $API/api/v1/projects/$SECOND/budget -H "Authorization: Bearer $MANAGER" -H "If-Match: $(etag $SECOND)" \
  -H 'Content-Type: application/json' -d "{\"amount_dkk\": 400000, \"period_start\": \"$(day 40)\",
    \"period_end\": \"$(day 400)\", \"funding\": \"os2\", \"expected_benefits\": \"10 % færre kørte kilometer\"}" >/dev/null
vote_board "$(expect 200 curl -s -X POST $API/api/v1/projects/$SECOND/budget/approval -H "Authorization: Bearer $JENS" \
  -H "If-Match: $(etag $SECOND)" | jq -r '.open_approvals[] | select(.subject == "budget") | .id')"
expect 200 curl -s -X PUT $API/api/v1/projects/$SECOND/requirements/certified_project_leader -H "Authorization: Bearer $PIA" \
  -H "If-Match: $(etag $SECOND)" -H 'Content-Type: application/json' -d '{"status": "met", "link": "https://www.aarhus.dk/pia-prince2.pdf"}' >/dev/null
ON=$SECOND document "$PIA" operations_setup_described
ON=$SECOND attest "$PIA" data_processing_agreements
expect 200 curl -s -X POST $API/api/v1/projects/$SECOND/start -H "Authorization: Bearer $JENS" -H "If-Match: $(etag $SECOND)" \
  | jq -r '"   \(.title): \(.state) at \(.level)"' >&2
NEXT_MEETING=$(expect 201 curl -s -X POST $API/api/v1/board/meetings -H "Authorization: Bearer $MANAGER" -H 'Content-Type: application/json' \
  -d "{\"date\": \"$(day 70)\", \"place\": \"KL, Weidekampsgade 10\"}" | jq -r .id)
expect 200 curl -s "$API/api/v1/portfolio/overdue-reports?meeting=$NEXT_MEETING" \
  | jq -r '.missing[] | "   report owed by \(.due_by): \(.title) (\(.level))"' >&2

say "Benefits realisation: expected, then measured"
BENEFIT=$(expect 201 curl -s -X POST $API/api/v1/projects/$ID/benefits -H "Authorization: Bearer $AARHUS" -H 'Content-Type: application/json' \
  -d "{\"indicator\": \"Sagsbehandlingstid\", \"unit\": \"dage\", \"baseline\": 40, \"target\": 20, \"owner\": \"Borgerservice\", \"due_date\": \"$(day 400)\"}" | jq -r .id)
expect 201 curl -s -X POST $API/api/v1/projects/$ID/benefits/$BENEFIT/measurements -H "Authorization: Bearer $AARHUS" \
  -H 'Content-Type: application/json' -d '{"measured_on": "'"$(day 0)"'", "value": 30}' | jq -r '"   realised \(.realised * 100)% of the way"' >&2

say "The half-yearly evaluation: a mark for every requirement of the checklist, every level"
MARKS=$(expect 200 curl -s "$API/api/v1/requirements?limit=200" | jq -c '[.items[] | {key, mark: "green"}]')
EVALUATION=$(expect 201 curl -s -X POST $API/api/v1/products/$PRODUCT/evaluations -H "Authorization: Bearer $MANAGER" \
  -H 'Content-Type: application/json' -d "{\"period\": \"$(date +%Y)-H2\", \"recommended_level\": \"N3\",
    \"conclusion\": \"Lever op til N3\", \"marks\": $MARKS}" | jq -r .id)
expect 200 curl -s $API/api/v1/products/$PRODUCT/evaluations/$EVALUATION \
  | jq -r '"   \(.marks | length) marks, \(.counts.total.green) green; the marks bear out \(.suggested_level), recommended \(.recommended_level)"' >&2
# The report the association publishes (evalueringsrapport), generated as Markdown
expect 200 curl -s $API/api/v1/products/$PRODUCT/evaluations/$EVALUATION -H 'Accept: text/markdown' >"$work/evalueringsrapport.md"
grep -m1 -A5 '^| Niveau / Vurdering' "$work/evalueringsrapport.md" >&2
# ... and a published report read back: its tables become the marks, its count tables must add up
expect 201 curl -s -X POST $API/api/v1/products/$PRODUCT/evaluations -H "Authorization: Bearer $MANAGER" \
  -H 'Content-Type: text/markdown' --data-binary @"$work/evalueringsrapport.md" \
  | jq -r '"   read back: \(.marks | length) marks, \(.counts.total.green) green, period \(.period)"' >&2

say "Prioritisation: weighted criteria, scores by seated board members, a ranking"
expect 200 curl -s -X PUT $API/api/v1/portfolio/priorities/criteria -H "Authorization: Bearer $MANAGER" \
  -H 'Content-Type: application/json' -d '{"criteria": [{"key": "strategic_fit", "name": "Strategisk fit", "weight": 30},
    {"key": "value", "name": "Værdi", "weight": 25}, {"key": "risk", "name": "Risiko", "weight": 10}]}' >/dev/null
expect 200 curl -s -X PUT $API/api/v1/portfolio/priorities/scores/$ID -H "Authorization: Bearer $CHAIR" \
  -H 'Content-Type: application/json' -d '{"scores": {"strategic_fit": 4, "value": 5, "risk": 2}}' >/dev/null
expect 200 curl -s $API/api/v1/portfolio/priorities | jq -r '.ranking[]? | "   #\(.rank) \(.title): \(.weighted_score) (stable: \(.stable))"' >&2

say "The portfolio for the meeting, and the decision log in the association's Markdown"
expect 200 curl -s "$API/api/v1/portfolio?meeting=$MEETING" | jq -c '{projects_by_level, economy: .economy.budget_dkk}' >&2
expect 200 curl -s $API/api/v1/portfolio/decision-log -H 'Accept: text/markdown' | sed -n '1,12p' >&2

say "A webhook for Aarhus' intranet, and its signed delivery"
receiver_port=$(free_port)
python3 "$root/examples/webhook_receiver.py" "$receiver_port" "$work/deliveries" >/dev/null 2>&1 &
receiver_pid=$!
HOOK_REPLY=$(expect 201 curl -s -X POST $API/api/v1/webhooks -H "Authorization: Bearer $INTRANET" -H 'Content-Type: application/json' \
  -d "{\"url\": \"http://127.0.0.1:$receiver_port/hooks/os2pm\", \"event_types\": [\"project.*\"]}")
HOOK=$(printf '%s' "$HOOK_REPLY" | jq -r .id)
SECRET=$(printf '%s' "$HOOK_REPLY" | jq -r .secret)
# Something happens to the project: the webhook hears of it
expect 200 curl -s -X PUT $API/api/v1/projects/$ID/requirements/national_strategy_link -H "Authorization: Bearer $PIA" \
  -H "If-Match: $(etag $ID)" -H 'Content-Type: application/json' \
  -d '{"status": "met", "link": "https://www.kl.dk/media/digitaliseringsstrategi.pdf"}' >/dev/null
for _ in $(seq 1 100); do [ -s "$work/deliveries" ] && break; sleep 0.2; done
[ -s "$work/deliveries" ] || { echo "!! no webhook delivery arrived" >&2; exit 1; }
python3 "$root/examples/webhook_receiver.py" --verify "$SECRET" "$work/deliveries" >&2
DELIVERY=$(expect 200 curl -s $API/api/v1/webhooks/$HOOK/deliveries -H "Authorization: Bearer $INTRANET" | jq -r '.items[0].id')
expect 202 curl -s -X POST $API/api/v1/webhooks/$HOOK/deliveries/$DELIVERY/redeliver -H "Authorization: Bearer $INTRANET" >/dev/null

say "The event feed, resumable from any cursor"
FEED=$(expect 200 curl -s "$API/api/v1/events?limit=100" -H "Authorization: Bearer $INTRANET")
printf '%s' "$FEED" | jq -r '"   \(.items | length) events, last \(.items[-1].type)"' >&2
CURSOR=$(printf '%s' "$FEED" | jq -r '.items[0].cursor')
expect 200 curl -s "$API/api/v1/events?after=$CURSOR&types=project.*" -H "Authorization: Bearer $INTRANET" | jq -r '"   after the first: \(.items | length)"' >&2

say "A self-assessment as the association writes it, imported onto the product, and read back"
expect 201 curl -s -X POST $API/api/v1/products/$PRODUCT/self-assessments -H "Authorization: Bearer $MANAGER" \
  -H 'Content-Type: application/json' --data-binary @tests/fixtures/self-assessments/os2test-20260501T122728Z.json \
  | jq -r '"   \(.answers) answers, \(.recorded | length) recorded as evidence"' >&2
expect 200 curl -s $API/api/v1/products/$PRODUCT/self-assessments >/dev/null
expect 200 curl -s "$API/api/v1/requirements?catalogue=os2-styringsmodel-2025&level=sandkasse" \
  | jq -r '"   the 2025 checklist has \(.items | length) items at sandkasse"' >&2

say "The product in publiccode.yml, for public-sector software catalogues"
expect 200 curl -s $API/api/v1/products/$PRODUCT/publiccode.yml | sed -n '1,6p' >&2

say "The project's history: every change, vote and decision"
expect 200 curl -s "$API/api/v1/projects/$ID/history?limit=200" \
  | jq -r '"   \(.items | length) entries, besides the evidence: \([.items[].action | select(startswith("evidence") | not)] | unique | join(", "))"' >&2
expect 204 curl -s -X DELETE $API/api/v1/webhooks/$HOOK -H "Authorization: Bearer $INTRANET" >/dev/null

say "Personal data: the public reads organisations and decisions, the association reads the people"
expect 200 curl -s $API/api/v1/projects/$ID | jq -r '"   anyone: contact \(.contact), representatives \([.steering_group.seats[].representative])"' >&2
expect 200 curl -s $API/api/v1/projects/$ID -H "Authorization: Bearer $AARHUS" \
  | jq -r '"   signed in: contact \(.contact.name), representatives \([.steering_group.seats[].representative.sub] | join(", "))"' >&2
for path in projects/$ID projects/$ID/history?limit=200 products/$PRODUCT approvals/$APPROVAL portfolio/priorities; do
  if curl -s "$API/api/v1/$path" | grep -Eq '"(jens|mette|kim|lise|anne|pia)"|jens@aarhus.dk|Jens Hansen'; then
    echo "tour: /api/v1/$path names a person to anyone" >&2; exit 1
  fi
done
# Right of access: everything stored about one person, from the command line
os2pm person export mette | jq -r '"   mette: \(del(.person) | to_entries | map("\(.value | length) \(.key)") | join(", "))"' >&2

say "Kim leaves the board: the N3 product's steering group loses its board majority, and the portfolio says so"
# A roster change is not refused; what it leaves short of a level's requirements is shown
ROSTER=$(curl -s -D - -o /dev/null $API/api/v1/board/members -H "Authorization: Bearer $ADMIN" | grep -i '^etag' | tr -d '\r' | cut -d' ' -f2)
expect 200 curl -s -X PUT $API/api/v1/board/members -H "Authorization: Bearer $ADMIN" -H "If-Match: $ROSTER" \
  -H 'Content-Type: application/json' -d "{\"members\": [
    {\"person\": \"mette\", \"chair\": true, \"seat_from\": \"2026-01-01\"},
    {\"person\": \"kim\", \"seat_from\": \"2026-01-01\", \"seat_until\": \"$(day -1)\"},
    {\"person\": \"lise\", \"seat_from\": \"2026-01-01\"}]}" >/dev/null
expect 200 curl -s $API/api/v1/portfolio \
  | jq -r '.deviations[] | "   afvigelse: \(.title) (\(.item), \(.level)): \(.requirement.title_da)"' >&2
say "The tour is complete"
