"""Builds emails_round5.json (classify-email's fifth own set): python3 build_emails_round5.py"""
from email_rounds import Round

R = Round("2026-12-10T14:00:00-05:00")
QUOTE = ("\n\nOn Mon, Dec 7, 2026 at 4:12 PM Liam Ross <liam.ross@brightlane.io> wrote:\n"
         "> Hi, following up on my note from last week. Would a short call help?\n> Liam")
SIG = "\n\n--\n{name}\n{title} | {company}\nm: +1 555 010 2233\n"


def add(i, frm, name, title, company, subject, body, cat, act, quote=True, **kw):
    """A reply above a signature with a title and, unless `quote` is off, a quoted message."""
    text = body + SIG.format(name=name, title=title, company=company) + (QUOTE if quote else "")
    R.add(i, f"{name} <{frm}>", subject, text, cat, act, **kw)


add("t01", "gail@harbourhvac.com", "Gail Morton", "Operations Manager", "Harbour HVAC", "Re: following up",
    "Liam — yes, a call would help. I've got a window Wednesday between 2 and 4, or Thursday first thing.",
    "meeting_request", "find_meeting_times", notes="offers windows in a reply")
add("t02", "raj@kapoorbuilders.com", "Raj Kapoor", "Director", "Kapoor Builders", "Re: following up",
    "Thanks Liam. Before we get on a call, can you give me a rough idea of what this would run us for 25 users on the annual plan?",
    "pricing_question", "draft_reply_needs_approval", also=["meeting_request"],
    notes="pricing first, a call later")
add("t03", "beth@clearviewwindows.com", "Beth Sommers", "Owner", "Clearview Windows", "Re: following up",
    "We've signed with FieldPro last week, so we're all set. Best of luck.",
    "not_interested", "update_crm", notes="signed with someone else")
add("t04", "leo@vantagefire.com", "Leo Park", "COO", "Vantage Fire", "Re: following up",
    "The thing that worries me is the data migration. We have 11 years of job history in our old system and I'm not losing it.",
    "objection", "draft_reply_needs_approval", notes="a fear about migration")
add("t05", "it@northshoreplumbing.com", "Dana White", "IT Administrator", "Northshore Plumbing", "SSO login failing",
    "Hi, since this morning our users get 'invalid SAML response' when they sign in through Okta. Nothing changed on our side. Please advise.",
    "support_issue", "notify_rep", quote=False, notes="an SSO error message")
add("t06", "greta@lindqvistelectric.se", "Greta Lindqvist", "CFO", "Lindqvist Electric", "Re: following up",
    "Our legal department needs to review your data processing terms and the sub-processor list before anything is signed.",
    "contract_legal", "notify_rep", notes="legal review of data terms")
add("t07", "hank@mooreroofing.com", "Hank Moore", "Owner", "Moore Roofing", "Re: following up",
    "Yes! We're in. Let's get the ball rolling. What do you need from us?",
    "positive_interest", "draft_reply_needs_approval", notes="we're in")
add("t08", "marie@dupontplomberie.fr", "Marie Dupont", "Gérante", "Dupont Plomberie", "Re: following up",
    "Bonjour Liam, merci pour votre message. Pourriez-vous m'envoyer vos tarifs pour une équipe de huit techniciens ? Cordialement",
    "pricing_question", "draft_reply_needs_approval", lang="fr", notes="French pricing question")
add("t09", "ops@tidelinepools.com", "Kim Tran", "Office Manager", "Tideline Pools", "Re: following up",
    "Hi Liam, I'm just the office manager, the decisions on software are made by our owner, Rick Tran (rick@tidelinepools.com). I'll forward this to him.",
    "referral_wrong_person", "update_crm", notes="not the decision maker, names who is")
add("t10", "noreply@mailer.leadgenius.io", "LeadGenius", "Growth Team", "LeadGenius", "Double your booked demos in 30 days",
    "Hi Liam, field service SaaS companies using LeadGenius see 2x more booked demos within a month. Want me to send over a few examples?",
    "vendor_pitch_spam", "ignore", quote=False, headers={"Precedence": "bulk"}, notes="bulk pitch")
add("t11", "paul@summitgutters.com", "Paul Ng", "Owner", "Summit Gutters", "Out of Office",
    "I'm out on a job site with no signal until Thursday. I'll get back to you then.",
    "out_of_office", "update_crm", quote=False, notes="away on site; words in the subject too")
add("t12", "sofia@bellacleaning.com", "Sofia Bell", "Founder", "Bella Cleaning", "Re: following up",
    "Not right now, thanks. We're a small team and it's more than we need. Maybe when we've grown a bit.",
    "not_interested", "update_crm", also=["objection"], notes="not now, too big for us")
add("t13", "arjun@metroelevators.com", "Arjun Rao", "VP Operations", "Metro Elevators", "Re: following up",
    "Following up on the pilot: the technicians are using it daily and the office loves the scheduling view. Can you send the paperwork to expand to all 40 techs?",
    "positive_interest", "draft_reply_needs_approval", also=["contract_legal"],
    notes="expansion, asks for paperwork")
add("t14", "jill@crestlandscaping.com", "Jill Carter", "Owner", "Crest Landscaping", "invoice question",
    "Hi, we were charged twice this month, two identical invoices on the 1st. Can you refund one?",
    "support_issue", "notify_rep", quote=False, also=["pricing_question"],
    notes="a billing error from a customer")
add("t15", "will@oakpestcontrol.com", "Will Oakes", "Owner", "Oak Pest Control", "Re: following up",
    "Sorry for the slow reply. Can we set something up for early January? I'm slammed until the holidays.",
    "meeting_request", "find_meeting_times", notes="asks for a meeting later")
add("t16", "nina@greenwayelectric.com", "Nina Gray", "Office Manager", "Greenway Electric", "Re: following up",
    "Honestly we tried a system like this two years ago and the guys refused to use it. I don't see this going any differently.",
    "objection", "draft_reply_needs_approval", also=["not_interested"],
    notes="scepticism from a past failure")
R.write("emails_round5.json", "Round five of our own inbound emails for classify-email (session 12): replies "
           "above a quoted message and a signature with a title, windows offered, pricing before "
           "a call, 'signed with someone else', a migration fear, an SSO error, legal review of "
           "data terms, 'we're in', French pricing, 'just the office manager', a bulk pitch, an "
           "on-site autoreply, 'not right now', an expansion, a double charge, 'slammed until the "
           "holidays', scepticism. Written and scored before any rule was changed for them.")
