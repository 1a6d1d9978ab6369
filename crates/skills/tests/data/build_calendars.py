#!/usr/bin/env python3
"""Build our own scheduling set (issue 15): calendars/<owner>.json and
calendars/scheduling_requests.json. The truth (every valid slot) is computed by the DEV set's
reference, ../shared/data/calendars/compute_truth.py, run on a copy of this folder:

  python3 crates/skills/tests/data/build_calendars.py   (needs ../shared beside the repository)

Cases: participants in four zones; a weekly recurrence anchored in New York across the US DST
change (2027-03-14) seen from London; a request whose only valid slot touches the end of its
allowed window; and one whose window starts at midnight before the notice period ends.
"""
import json, shutil, subprocess, sys, tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "calendars"
REFERENCE = HERE.parents[3] / ".." / "shared" / "data" / "calendars" / "compute_truth.py"

def hours(weekdays, fri=None):
    h = {d: [weekdays] for d in ("mon", "tue", "wed", "thu")}
    h["fri"] = [fri or weekdays]
    h["sat"], h["sun"] = [], []
    return h

def event(i, start, end, title="Busy", busy=True, status="confirmed", kind="internal"):
    return {"id": i, "title": title, "start": start, "end": end, "all_day": False, "busy": busy,
            "status": status, "kind": kind, "organizer": None, "attendees": [], "contact_ids": [],
            "deal_id": None}

def owner(kind, i, name, tz, working, events=(), recurring=(), brief=None):
    c = {"owner": {"type": kind, "id": i, "name": name, "email": f"{i}@example.com"},
         "timezone": tz, "working_hours": working,
         "windows": [{"start_date": "2026-12-07", "end_date": "2026-12-18", "purpose": "own set"},
                     {"start_date": "2027-03-08", "end_date": "2027-03-19", "purpose": "US DST change"}],
         "events": list(events), "recurring": list(recurring)}
    if kind == "user":
        c["morning_brief_time"] = brief or "08:00"
    else:
        c["availability_source"] = "shared calendar"
    return c

CALENDARS = [
    owner("user", "u_own_ana", "Ana Torres", "America/Los_Angeles", hours(["07:00", "15:30"]),
          events=[event("a1", "2026-12-08T08:00:00-08:00", "2026-12-08T09:00:00-08:00"),
                  event("a2", "2026-12-09T07:30:00-08:00", "2026-12-09T08:30:00-08:00", busy=False),
                  event("a3", "2026-12-10T08:30:00-08:00", "2026-12-10T09:30:00-08:00", status="cancelled")]),
    owner("user", "u_own_ben", "Ben Okafor", "America/New_York", hours(["08:00", "17:00"]),
          events=[event("b1", "2026-12-08T10:30:00-05:00", "2026-12-08T11:30:00-05:00"),
                  event("b2", "2026-12-09T11:00:00-05:00", "2026-12-09T12:00:00-05:00")],
          recurring=[{"id": "b_standup", "title": "Team standup", "timezone": "America/New_York",
                      "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "start_local": "10:00",
                      "end_local": "10:30", "first_date": "2026-01-05", "until_date": "2027-12-31",
                      "exdates": [], "kind": "internal", "busy": True}]),
    owner("contact", "ct_own_clara", "Clara Webb", "Europe/London", hours(["09:00", "18:00"], ["09:00", "16:00"]),
          events=[event("c1", "2026-12-08T16:00:00+00:00", "2026-12-08T17:00:00+00:00", kind="external"),
                  event("c2", "2027-03-10T14:00:00+00:00", "2027-03-10T15:00:00+00:00", kind="external")]),
    owner("contact", "ct_own_dieter", "Dieter Kraus", "Europe/Berlin", hours(["10:00", "19:00"]),
          events=[{"id": "d1", "title": "Holiday", "start_date": "2026-12-11", "end_date": "2026-12-12",
                   "all_day": True, "busy": True, "status": "confirmed", "kind": "ooo", "organizer": None,
                   "attendees": [], "contact_ids": [], "deal_id": None}]),
    owner("contact", "ct_own_erin", "Erin Shaw", "America/Chicago", hours(["08:00", "17:00"]),
          events=[event("e1", "2026-12-15T14:00:00-06:00", "2026-12-15T15:30:00-06:00", kind="external")]),
]

def request(i, title, organizer, participants, duration, start, end, tz, created, constraints=None, optional=()):
    return {"id": i, "source": {"note": title}, "title": title, "organizer_user_id": organizer,
            "participants": participants, "optional_participants": list(optional),
            "duration_min": duration, "within": {"start_date": start, "end_date": end, "timezone": tz},
            "created_at": created, "display_timezone": tz, "constraints": constraints or {}}

REQUESTS = [
    request("sr_own_001", "Four zones: Los Angeles, New York, London, Berlin", "u_own_ben",
            ["u_own_ana", "u_own_ben", "ct_own_clara", "ct_own_dieter"], 60,
            "2026-12-08", "2026-12-11", "America/New_York", "2026-12-07T12:00:00-05:00"),
    request("sr_own_002", "A New York standup across the US DST change, seen from London", "u_own_ben",
            ["u_own_ben", "ct_own_clara"], 30, "2027-03-10", "2027-03-16", "Europe/London",
            "2027-03-08T09:00:00+00:00", constraints={"allowed_windows": [
                {"start": "2027-03-10T14:00:00+00:00", "end": "2027-03-10T16:00:00+00:00", "from_text": "Wednesday 2-4pm"},
                {"start": "2027-03-15T13:30:00+00:00", "end": "2027-03-15T15:00:00+00:00", "from_text": "Monday 1:30-3pm"}]}),
    request("sr_own_003", "Only the slot at the end of the window is free", "u_own_ben",
            ["u_own_ben", "ct_own_erin"], 30, "2026-12-15", "2026-12-15", "America/Chicago",
            "2026-12-10T09:00:00-06:00", constraints={"allowed_windows": [
                {"start": "2026-12-15T14:00:00-06:00", "end": "2026-12-15T16:00:00-06:00", "from_text": "Tuesday between 2 and 4"}]},
            optional=["ct_own_dieter"]),
    request("sr_own_004", "Notice period ends mid-morning on the first day", "u_own_ana",
            ["u_own_ana", "ct_own_erin"], 45, "2026-12-14", "2026-12-14", "America/Los_Angeles",
            "2026-12-13T10:00:00-08:00", constraints={"min_notice_hours": 24, "buffer_min": 15}),
]

def main():
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for c in CALENDARS:
            (tmp / f"{c['owner']['id']}.json").write_text(json.dumps(c, indent=2) + "\n")
        (tmp / "scheduling_requests.json").write_text(json.dumps(
            {"about": "Our own scheduling requests; 'truth' is written by the DEV set's compute_truth.py.",
             "requests": REQUESTS, "truth": {}}, indent=2) + "\n")
        shutil.copy(REFERENCE, tmp / "compute_truth.py")
        subprocess.run([sys.executable, str(tmp / "compute_truth.py"), "--write"], check=True)
        for p in tmp.glob("*.json"):
            if p.name != "morning_brief_truth.json":
                shutil.copy(p, OUT / p.name)
    doc = json.loads((OUT / "scheduling_requests.json").read_text())
    for r in REQUESTS:
        t = doc["truth"][r["id"]]
        print(r["id"], t["count"], [s["start_local"][5:16] for s in t["slots"]][:12])

if __name__ == "__main__":
    main()
