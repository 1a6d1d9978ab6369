#!/usr/bin/env python3
"""Build meetings/<id>.json and meetings/<id>.truth.json from meetings_src.py.

  python3 crates/skills/tests/data/build_meetings.py          (writes the JSON files)
  python3 crates/skills/tests/data/build_meetings.py --check  (exit 1 if they differ)

The output follows the DEV set's format (../shared/data/README.md, "meetings/"), so the
same scorer reads both. Truth is derived from the markup, never typed in: each phrase is an
exact substring of its segment. `action_items` are the commitments restated (owner,
assignee — the speaker when they own it, else the first attendee of the owning side —, the
phrase, due); signals, open questions and next steps come from their markup; the follow-up
rule is the DEV set's. Python 3.9+, standard library only.
"""
import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import meetings_src as SRC  # noqa: E402

INTENTS = {"send_proposal", "schedule_meeting", "send_info", "intro", "follow_up_call",
           "send_contract", "pricing"}
SIGNALS = {"buying_signal", "risk", "objection", "competitor", "budget", "timeline"}
TO_EVENT = {"send_proposal": "proposal_generation", "schedule_meeting": "calendar_find_times",
            "follow_up_call": "crm_task_create", "send_info": "send_collateral",
            "intro": "intro_email_draft", "send_contract": "contract_generation",
            "pricing": "pricing_quote"}
MARK = re.compile(r"\{(c|s|q|n|x)(?::([^|{}]*))?\|([^{}]*)\}")


def words(text):
    return len([w for w in text.split() if re.search(r"\w", w)])


def parse(line):
    out, anns, pos = [], [], 0
    for m in MARK.finditer(line):
        out.append(line[pos:m.start()])
        anns.append((m.group(1), m.group(2).split(":") if m.group(2) else [], m.group(3)))
        out.append(m.group(3))
        pos = m.end()
    out.append(line[pos:])
    text = "".join(out)
    if "{" in text or "}" in text:
        raise ValueError(f"unbalanced markup in {line!r}")
    return text, anns


def people(m):
    sellers = [m["organizer"]] + m.get("sellers_extra", [])
    out = {}
    for code in sellers:
        name, email, user_id = SRC.SELLERS[code]
        out[code] = {"name": name, "email": email, "role": "rep", "contact_id": None,
                     "user_id": user_id}
    for code, (name, email) in m["prospects"].items():
        contact = "ct_own_" + name.split()[0].lower()
        out[code] = {"name": name, "email": email, "role": "prospect", "contact_id": contact,
                     "user_id": None}
    return out


def build(m):
    rnd = random.Random(m["id"])
    who = people(m)
    segments, commitments, non, signals, questions, steps = [], [], [], [], [], []
    t = rnd.uniform(2.0, 8.0)
    for raw in m["script"].strip().splitlines():
        code, _, body = raw.partition(":")
        if code.strip() not in who:
            raise ValueError(f"{m['id']}: unknown speaker in {raw!r}")
        sp = who[code.strip()]
        text, anns = parse(body.strip())
        dur = max(0.8, words(text) / rnd.uniform(2.4, 2.9))
        idx = len(segments)
        segments.append({"speaker": sp["name"], "role": sp["role"], "start_s": round(t, 2),
                         "end_s": round(t + dur, 2), "text": text})
        t += dur + rnd.uniform(0.3, 1.3)
        for kind, params, phrase in anns:
            if kind == "c":
                intent, flags = params[0], params[1][1:]
                assert intent in INTENTS, intent
                owner = "prospect" if "p" in flags else "rep" if "r" in flags else sp["role"]
                c = {"speaker": sp["name"], "speaker_role": sp["role"], "owner_role": owner,
                     "intent": intent, "phrase": phrase,
                     "strength": {"e": "explicit", "i": "implicit"}[params[1][0]],
                     "conditional": "c" in flags, "segment_index": idx}
                if len(params) > 2:
                    c["due"] = ":".join(params[2:])
                commitments.append(c)
            elif kind == "n":
                assert params[0] in INTENTS, params[0]
                non.append({"speaker_role": sp["role"], "looks_like": params[0],
                            "phrase": phrase, "segment_index": idx})
            elif kind == "s":
                assert params[0] in SIGNALS, params[0]
                signals.append({"kind": params[0], "phrase": phrase,
                                "speaker_role": sp["role"], "segment_index": idx})
            elif kind == "q":
                questions.append({"phrase": phrase, "segment_index": idx})
            else:
                steps.append({"phrase": phrase, "segment_index": idx})
    followups = ["followup_email_draft"]
    for c in commitments:
        if c["owner_role"] == "rep" and not c["conditional"]:
            ev = TO_EVENT[c["intent"]]
            if c["intent"] == "schedule_meeting" and "T" in c.get("due", ""):
                ev = "calendar_create_event"
            if ev not in followups:
                followups.append(ev)

    def assignee(c):
        if c["owner_role"] == c["speaker_role"]:
            return c["speaker"]
        return next(p["name"] for p in who.values() if p["role"] == c["owner_role"])

    rep_words = sum(words(s["text"]) for s in segments if s["role"] == "rep")
    all_words = sum(words(s["text"]) for s in segments)
    meeting = {
        "id": m["id"], "org_id": "org_own", "title": m["title"], "kind": m["kind"],
        "status": "completed", "start": m["start"], "end": m["end"], "timezone": m["tz"],
        "organizer_user_id": SRC.SELLERS[m["organizer"]][2], "platform": "zoom",
        "meeting_url": f"https://example.zoom.us/j/{rnd.randrange(10**10, 10**11)}",
        "company_id": m["company_id"], "contact_id": None, "deal_id": None,
        "attendees": list(who.values()),
        "recording": {"bot_id": f"own-{m['id']}", "language": "en",
                      "duration_s": round(t + rnd.uniform(3, 10), 1)},
        "segments": segments,
    }
    meeting["contact_id"] = next(p["contact_id"] for p in who.values() if p["contact_id"])
    truth = {
        "meeting_id": m["id"], "notes": m["notes"],
        "action_items": [{"owner": c["owner_role"], "assignee": assignee(c),
                          "text": c["phrase"], "due": c.get("due", "")[:10] or None}
                         for c in commitments],
        "commitments": commitments, "non_commitments": non, "signals": signals,
        "expected_followups": followups,
        "coaching": {"rep_talk_ratio": round(rep_words / all_words, 2), "rep_words": rep_words,
                     "total_words": all_words, "open_questions_count": len(questions),
                     "open_questions": questions, "next_steps_agreed": m["next_steps_agreed"],
                     "next_steps": steps, "turns": len(segments)},
    }
    return meeting, truth


def main():
    check = "--check" in sys.argv
    out_dir = HERE / "meetings"
    out_dir.mkdir(exist_ok=True)
    stale = []
    for m in SRC.MEETINGS:
        for name, doc in zip((f"{m['id']}.json", f"{m['id']}.truth.json"), build(m)):
            text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
            path = out_dir / name
            if check:
                if not path.exists() or path.read_text(encoding="utf-8") != text:
                    stale.append(name)
            else:
                path.write_text(text, encoding="utf-8")
    if stale:
        sys.exit(f"out of date (run build_meetings.py): {', '.join(stale)}")
    n = sum(len(build(m)[1]["commitments"]) for m in SRC.MEETINGS)
    print(f"{len(SRC.MEETINGS)} meetings, {n} commitments")


if __name__ == "__main__":
    main()
