"""The life cycle through a client generated from openapi.json, as an integrator would drive it.

Generate the client, then run this against a served os2pm whose token key you hold:

    openapi-python-client generate --path openapi/openapi.json --meta none --output-path os2pm_client
    OS2PM_API=http://127.0.0.1:8080 OS2PM=target/release/os2pm python3 examples/client_walk.py

It uses the generated functions and models only (no HTTP of its own); the tokens come from
`os2pm token`, as in the README. Every call states the status it expects; any other stops the
walk with the answer. `.ci/client` runs it in CI on a fresh database.
"""

import datetime
import os
import subprocess
import sys

from os2pm_client import AuthenticatedClient, Client
from os2pm_client.api.approvals import cast_vote, list_approvals
from os2pm_client.api.board import get_board_roster, replace_board_roster
from os2pm_client.api.events import create_webhook, list_events
from os2pm_client.api.health import check_readiness
from os2pm_client.api.meetings import (
    get_board_meeting,
    get_decision_log,
    get_portfolio_overview,
    list_board_meetings,
    plan_board_meeting,
)
from os2pm_client.api.people import register_person
from os2pm_client.api.projects import (
    check_submission,
    edit_idea,
    get_project,
    list_projects,
    place_project,
    record_evidence,
    submit_idea,
    submit_project,
)
from os2pm_client.models import (
    ApprovalState,
    EvidenceRequest,
    NewMeeting,
    NewPersonRequest,
    NewProjectRequest,
    NewWebhook,
    PlacementRequest,
    ProjectPatch,
    RosterRequest,
    State,
    VoteRequest,
)

API = os.environ["OS2PM_API"]
OS2PM = os.environ.get("OS2PM", "target/release/os2pm")


def token(*roles, org=None, sub=None):
    args = [OS2PM, "token", "--ttl", "1h"]
    for role in roles:
        args += ["--role", role]
    if org:
        args += ["--org", org]
    if sub:
        args += ["--sub", sub]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout.strip()


def as_(bearer):
    return AuthenticatedClient(base_url=API, token=bearer, raise_on_unexpected_status=True)


def expect(status, response, what):
    """The parsed answer when `response` has `status`; otherwise the walk stops."""
    if response.status_code != status:
        sys.exit(f"!! {what}: {response.status_code}, not {status}: {response.content.decode()}")
    print(f"   {what} → {status}")
    return response.parsed


def etag(project_id):
    return get_project.sync_detailed(project_id, client=public).headers["etag"]


public = Client(base_url=API, raise_on_unexpected_status=True)
admin = as_(token("admin"))
manager = as_(token("forretningsleder", org="os2", sub="anne"))
aarhus = as_(token("municipality_user", org="751", sub="jens"))
chair = as_(token("board_chair", "board_member", org="kl", sub="mette"))
member = as_(token("board_member", org="101", sub="kim"))
intranet = as_(token("integration", org="751", sub="aarhus-intranet"))

print("== ready, people and the board roster")
expect(200, check_readiness.sync_detailed(client=public), "readiness")
for sub, org in [("mette", "kl"), ("kim", "101"), ("lise", "147"), ("jens", "751")]:
    body = NewPersonRequest.from_dict({"sub": sub, "name": sub, "organization": org})
    expect(201, register_person.sync_detailed(client=admin, body=body), f"person {sub}")
roster = get_board_roster.sync_detailed(client=admin)
expect(200, roster, "roster")
seats = [
    {"person": "mette", "chair": True, "seat_from": "2026-01-01"},
    {"person": "kim", "seat_from": "2026-01-01"},
    {"person": "lise", "seat_from": "2026-01-01"},
]
replaced = replace_board_roster.sync_detailed(
    client=admin, body=RosterRequest.from_dict({"members": seats}), if_match=roster.headers["etag"]
)
expect(200, replaced, "roster replaced")

print("== an N2 idea, placed; refused at submission with what is missing")
idea = NewProjectRequest.from_dict(
    {
        "title": "Fælles borgerdialog",
        "summary": "Én løsning til dialog med borgerne.",
        "participants": ["751"],
        "local_value": "Kortere svartider.",
        "value_for_others": "Alle kommuner har behovet.",
        "intended_funding": "mixed",
        "contact": {"name": "Jens Hansen", "email": "jens@aarhus.dk"},
    }
)
project = expect(201, submit_idea.sync_detailed(client=aarhus, body=idea, idempotency_key="walk-1"), "idea")
pid = project.id
placement = PlacementRequest.from_dict({"level": "N2", "rationale": "Fælleskommunal værdi"})
placed = expect(200, place_project.sync_detailed(pid, client=manager, body=placement, if_match=etag(pid)), "placement")
assert placed.state == State.CONCEPT, placed.state
check = expect(200, check_submission.sync_detailed(pid, client=manager), "submission check")
assert not check.ready and check.unmet_requirements
refused = expect(422, submit_project.sync_detailed(pid, client=manager, if_match=etag(pid)), "early submission")
print(f"   unmet: {', '.join(r.key for r in refused.unmet_requirements)}")

print("== evidence for every approval-gate requirement")
for requirement in check.unmet_requirements:
    evidence = {"status": "met"}
    if requirement.key.endswith("_follow_or_explain"):
        evidence = {"status": "explained", "explanation": "Kommunens eget SSO."}
    elif requirement.key == "line_management_acceptance":
        evidence["organization"] = "751"
    elif requirement.key in (
        "solution_documented",
        "strategic_communication_material",
        "presentation_material",
        "strategic_alignment",
    ):
        evidence["link"] = f"https://github.com/OS2/borgerdialog/blob/main/docs/{requirement.key}.md"
    answer = record_evidence.sync_detailed(
        pid, requirement.key, client=aarhus, body=EvidenceRequest.from_dict(evidence), if_match=etag(pid)
    )
    expect(200, answer, f"evidence {requirement.key}")
assert expect(200, check_submission.sync_detailed(pid, client=manager), "submission check").ready

print("== a board meeting ahead; submitted; returned by a majority (tilbageløb)")
day = (datetime.date.today() + datetime.timedelta(days=35)).isoformat()
meeting = NewMeeting.from_dict({"date": day, "place": "KL, Weidekampsgade 10"})
meeting_id = expect(201, plan_board_meeting.sync_detailed(client=manager, body=meeting), "meeting").id
submitted = expect(200, submit_project.sync_detailed(pid, client=manager, if_match=etag(pid)), "submission")
approval = submitted.current_approval.id
inbox = expect(200, list_approvals.sync_detailed(client=chair, state=ApprovalState.PENDING), "the board's inbox")
assert approval in [a.id for a in inbox.items]
back = VoteRequest.from_dict({"decision": "return", "reason": "Mangler strategisk sammenhæng"})
for voter, name in [(chair, "chair"), (member, "member")]:
    expect(201, cast_vote.sync_detailed(approval, client=voter, body=back), f"return vote ({name})")
returned = expect(200, get_project.sync_detailed(pid, client=public), "project")
assert returned.state == State.RETURNED and returned.round_ == 2, (returned.state, returned.round_)

print("== reworked, placed and submitted again; approved by a majority")
patch = ProjectPatch.from_dict({"summary": "Én løsning til dialog, bygget på rammearkitekturen."})
expect(200, edit_idea.sync_detailed(pid, client=aarhus, body=patch, if_match=etag(pid)), "edit")
again = PlacementRequest.from_dict({"level": "N2", "rationale": "Strategisk sammenhæng beskrevet"})
expect(200, place_project.sync_detailed(pid, client=manager, body=again, if_match=etag(pid)), "placement")
approval = expect(200, submit_project.sync_detailed(pid, client=manager, if_match=etag(pid)), "submission").current_approval.id
for voter, name in [(chair, "chair"), (member, "member")]:
    body = VoteRequest.from_dict({"decision": "approve"})
    expect(201, cast_vote.sync_detailed(approval, client=voter, body=body), f"approve vote ({name})")
approved = expect(200, get_project.sync_detailed(pid, client=public), "project")
assert approved.state == State.APPROVED, approved.state

print("== the meeting, the portfolio and the decision log")
meetings = expect(200, list_board_meetings.sync_detailed(client=public), "meetings")
assert meeting_id in [m.id for m in meetings.items]
expect(200, get_board_meeting.sync_detailed(meeting_id, client=public), "meeting")
expect(200, list_projects.sync_detailed(client=public, state=State.APPROVED), "approved projects")
expect(200, get_portfolio_overview.sync_detailed(client=public), "portfolio")
expect(200, get_decision_log.sync_detailed(client=public), "decision log")

print("== a webhook for Aarhus's intranet, and the event feed")
hook = NewWebhook.from_dict({"url": "https://intranet.aarhus.dk/os2pm/hook"})
expect(201, create_webhook.sync_detailed(client=intranet, body=hook), "webhook")
feed = expect(200, list_events.sync_detailed(client=intranet), "event feed")
print(f"   {len(feed.items)} event(s) the intranet may see")
print("the generated client walked the life cycle")
