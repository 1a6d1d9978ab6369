"""Builds emails_round14.json (classify-email's fourteenth own set): python3 build_emails_round14.py"""
from email_rounds import Round

R = Round("2027-01-19T09:15:00-05:00")
add = R.add
G = ("\n\nOn Mon, Jan 18, 2027 at 3:02 PM Liam Ross <liam.ross@brightlane.io> wrote:\n"
     "> Hi, just checking in on the proposal. Happy to walk anyone else through it.\n> \n> Liam\n")
Q = ("\n\n-----Original Message-----\nFrom: Liam Ross <liam.ross@brightlane.io>\n"
     "Sent: Monday, January 18, 2027 3:02 PM\nSubject: Brightlane proposal\n\n"
     "Hi, just checking in on the proposal.\n")


def sig(name, title, company):
    return f"\n\n{name}\n{title}\n{company}\nDirect: 555-0199"


add("c01", "Joel Aston <joel@astonservices.com>", "RE: Brightlane proposal",
    "Liam,\n\nWe're keen to move forward, the team has been asking when they get it. One thing before I take it "
    "to the owners: is the onboarding fee negotiable? It's the line they'll pick at.\n\nJoel"
    + sig("Joel Aston", "General Manager", "Aston Services") + Q,
    "pricing_question", "draft_reply_needs_approval", also=["positive_interest"],
    notes="keen, but the question is the fee")
add("c02", "Paula Reid <preid@reidcomfort.com>", "Re: Brightlane proposal",
    "Hi Liam,\n\nFull disclosure: FieldPro came back at $52 a tech, which is a fair bit under your number for "
    "what looks like the same thing on paper. I'd rather go with you, but I need a reason I can give my "
    "partner.\n\nPaula" + G,
    "objection", "draft_reply_needs_approval", also=["pricing_question"], notes="a competitor's lower quote")
add("c03", "Sam Osei <sam@oseielectric.com>", "Thursday",
    "Hi Liam, something's come up on Thursday and I can't make our 2pm. Could we push it to early next week? "
    "Monday or Tuesday morning would be best for me.\n\nSam",
    "meeting_request", "find_meeting_times", notes="a reschedule")
add("c04", "Procurement <procurement@norwoodgroup.com>", "New vendor setup - Brightlane",
    "Good morning,\n\nTo set Brightlane up as a vendor we need a completed W-9, a certificate of insurance and "
    "your remittance details on company letterhead. Once we have those we can issue the purchase order.\n\n"
    "Kind regards,\nNorwood Group Procurement",
    "contract_legal", "notify_rep", notes="vendor onboarding paperwork before the PO")
add("c05", "Irene Walsh <irene@walshfm.com>", "how do I",
    "Hi, how do I stop the app sending customers a text when the tech is on the way? A few of our commercial "
    "clients have asked us to switch it off for them.\n\nThanks\nIrene",
    "support_issue", "notify_rep", notes="a how-to from a customer")
add("c06", "Greg Hollis <greg@hollishvac.com>", "Re: Brightlane proposal",
    "Liam,\n\nWe've been bought by a bigger group and they're bringing their own systems, so the whole project's "
    "on ice until the new owners settle in, probably Q3 at the earliest. Sorry to mess you around.\n\nGreg" + G,
    "not_interested", "update_crm", notes="on ice after an acquisition")
add("c07", "Dana Pruitt <dana@pruittplumbing.com>", "RE: Brightlane proposal",
    "Hi Liam,\n\nI forwarded your deck to our CFO and she liked what she saw. She's asked me for a short business "
    "case for the February board meeting. Could you send me the ROI numbers from the Keystone rollout you "
    "mentioned?\n\nDana" + Q,
    "positive_interest", "draft_reply_needs_approval", notes="the CFO liked it; building a business case")
add("c08", "Auto-reply <noreply@castlebuilders.com>", "Out of office",
    "I'm away until 3/1 with limited email. For anything that can't wait, call the main office on 555-0110.",
    "out_of_office", "update_crm", notes="'away until 3/1'")
add("c09", "Kim Lee <kim@leeandpartners.com>", "Re: Brightlane",
    "Hi there, I'm only the office admin, so I'm not the right one for this. Mr. Kaplan makes these decisions - "
    "he's best reached at dkaplan@leeandpartners.com.\n\nKim" + G,
    "referral_wrong_person", "update_crm", referred="dkaplan@leeandpartners.com", notes="only the admin")
add("c10", "Raj Patel <raj@patelroofing.com>", "Re: Brightlane proposal",
    "Liam,\n\nRead through it last night. Overall it looks good, but two things worry me: the six-week rollout "
    "lands right in our busy season, and I don't love the three-year term. Can we talk through both?\n\nRaj" + G,
    "objection", "draft_reply_needs_approval", also=["meeting_request"], notes="concerns about timing and term")
add("c11", "Megan Fox <megan@foxpestcontrol.com>", "Re: Brightlane",
    "Sounds interesting. We're currently tied into a contract with our existing provider until October, but "
    "I'd be happy to look at it again in the summer.\n\nMegan" + G,
    "not_interested", "update_crm", also=["positive_interest"], notes="tied in until October, look again in summer")
add("c12", "Luke Barrett <lbarrett@barrettmech.com>", "RE: Order form",
    "Hi Liam,\n\nSigned order form attached. Our AP team will need the invoice addressed to Barrett Mechanical "
    "Holdings, not Barrett Mechanical - can you make sure that's right on the first one?\n\nLuke" + Q,
    "contract_legal", "notify_rep", also=["positive_interest"], notes="signed order form returned")
add("c13", "Nora Quint <nora@quintcleaning.com>", "Re: Brightlane",
    "Hi Liam - do you have anything for companies our size? We're 8 cleaners and I've only ever seen your "
    "pricing for bigger teams.\n\nNora" + G,
    "pricing_question", "draft_reply_needs_approval", notes="a plan for a small team")
add("c14", "Chris Doyle <chris@doyleelectrical.ie>", "Re: Brightlane demo",
    "Liam, thanks for the demo. Good news is the lads liked it. Can you get me a couple of times next week for "
    "a second session with the office girls? Wednesday's out.\n\nChris" + G,
    "meeting_request", "find_meeting_times", also=["positive_interest"], notes="a second session, times next week")
add("c15", "Support Desk <helpdesk@arborcare.com>", "Ticket #4471 - login loop",
    "Hi,\n\nThree of our arborists are stuck in a login loop on Android since yesterday: they enter the code "
    "from the text, the app accepts it and then goes straight back to the login screen. Uninstalling didn't "
    "help. Can someone look at this today?\n\nArborCare IT",
    "support_issue", "notify_rep", notes="a login loop")
add("c16", "Ben Carter <ben@growthloop.agency>", "Brightlane's Q1 pipeline",
    "Hey Liam,\n\nQuick question - who's responsible for outbound at Brightlane? We've helped three field service "
    "SaaS companies double their reply rates in Q4 and I think we could do the same for you. Happy to share "
    "the playbook if you point me to the right person.\n\nBen",
    "vendor_pitch_spam", "ignore", notes="an agency fishing for the right person")
add("c17", "Ingrid Holm <ingrid@holmvvs.se>", "Re: Brightlane",
    "Hi Liam,\n\nThanks, the trial has gone well and the technicians are happy. Before we sign, our lawyer wants "
    "the data processing agreement and confirmation that the data stays in the EU. Can you send both?\n\nIngrid" + G,
    "contract_legal", "notify_rep", also=["positive_interest"], notes="DPA and EU data before signing")
add("c18", "Walt Green <walt@greenlandscapes.com>", "Re: Brightlane proposal",
    "Liam - honestly we just don't have the bandwidth to take on a new system right now. Maybe revisit next "
    "year.\n\nWalt" + G,
    "not_interested", "update_crm", notes="no bandwidth, revisit next year")
add("c19", "Eva Moreno <eva@morenohvac.com>", "Re: Brightlane proposal",
    "Liam, quick update: we've narrowed it down to you and one other vendor. Decision by end of month. Is there "
    "anything you can do on the per-tech price if we commit to two years?\n\nEva" + G,
    "pricing_question", "draft_reply_needs_approval", also=["positive_interest", "objection"],
    notes="shortlisted; asks for a two-year price")
add("c20", "Klaus Becker <k.becker@becker-haustechnik.de>", "AW: Brightlane Angebot",
    "Hallo Herr Ross,\n\nvielen Dank für das Angebot. Können wir nächste Woche einen Termin vereinbaren, um die "
    "offenen Punkte zu besprechen? Dienstag oder Donnerstag Vormittag würde mir passen.\n\nMit freundlichen "
    "Grüßen\nKlaus Becker",
    "meeting_request", "find_meeting_times", lang="de", notes="German: a meeting next week")
R.write("emails_round14.json", "Round fourteen of our own inbound emails for classify-email (session 14), "
           "written like DEV with mixed signals (interest with a question, a competitor's quote, a reschedule, "
           "vendor paperwork), to measure first sight again.")
