"""What the build_emails_roundN.py scripts share: one round of our own annotated inbound
emails for classify-email, written to emails_roundN.json beside them."""
import json
import os

TO = ["liam.ross@brightlane.io"]


class Round:
    def __init__(self, date):
        self.date = date
        self.emails = []

    def add(self, i, frm, subject, body, cat, act, lang="en", headers=None, notes="",
            also=None, cc=None, referred=None):
        truth = {"category": cat, "action": act, "language": lang, "notes": notes}
        if referred:
            truth["referred_to"] = referred
        if also:
            truth["also_acceptable"] = also
        email = {"id": i, "from": frm, "to": TO, "subject": subject, "date": self.date,
                 "headers": headers or {}, "body_text": body}
        if cc:
            email["cc"] = cc
        self.emails.append({"truth": truth, "email": email})

    def write(self, name, about):
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), name)
        with open(path, "w") as f:
            json.dump({"about": about, "emails": self.emails}, f, indent=1, ensure_ascii=False)
