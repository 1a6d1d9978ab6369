"""Builds emails_round6.json (classify-email's sixth own set): python3 build_emails_round6.py"""
from email_rounds import Round

R = Round("2026-12-11T09:15:00-05:00")
add = R.add
Q = "\n\nOn Thu, Dec 10, 2026 at 3:02 PM Liam Ross <liam.ross@brightlane.io> wrote:\n> Hi, just checking in on where things stand.\n"
add("u01", "Kevin Doyle <kevin@doylemechanical.com>", "Re: where things stand",
    "Liam,\n\nHonest answer: we're stuck. The board wants three quotes before anything over $20k, and we've only got yours. Give me a few weeks.\n\nKevin" + Q,
    "objection", "draft_reply_needs_approval", also=["not_interested"], notes="a process blocker; not a no")
add("u02", "Amy Chen <amy.chen@bayareaplumbing.com>", "Re: where things stand",
    "Hi Liam, Tues 15th at 10 or Wed 16th after lunch both work for me. Send an invite to whichever suits.\n\nAmy" + Q,
    "meeting_request", "find_meeting_times", notes="dates offered")
add("u03", "Steve Rowe <steve@rowecontracting.com>", "Re: where things stand",
    "What's the difference between the Pro and Enterprise tiers, price-wise? We only care about dispatch and invoicing.\n\nSteve" + Q,
    "pricing_question", "draft_reply_needs_approval", notes="tier comparison")
add("u04", "Megan Fox <megan@foxfacilities.com>", "Re: where things stand",
    "Hi Liam, I've left Fox Facilities as of this week. Please contact Jordan Bell (jordan.bell@foxfacilities.com) going forward.\n\nMegan" + Q,
    "referral_wrong_person", "update_crm", notes="left the company")
add("u05", "Carlos Vega <carlos@vegalandscaping.com>", "Re: where things stand",
    "We've decided not to go ahead. Thanks for your help along the way.\n\nCarlos" + Q,
    "not_interested", "update_crm", notes="decided not to go ahead")
add("u06", "Legal <legal@summitpropertygroup.com>", "Brightlane agreement - comments",
    "Dear Liam,\n\nPlease find our comments on the subscription agreement attached. Our main points concern the governing law (we require New York) and the data retention period after termination.\n\nKind regards,\nSummit Property Group Legal",
    "contract_legal", "notify_rep", notes="governing law and retention")
add("u07", "Rob Diaz <rob@diazelectric.com>", "scheduling board blank",
    "Morning, the scheduling board has been blank for everyone since about 7am. Techs are calling the office for their jobs. Is something down on your end?\n\nRob",
    "support_issue", "notify_rep", notes="an outage, asked as a question")
add("u08", "Tara Singh <tara@singhroofing.com>", "Re: where things stand",
    "Really positive meeting with the partners yesterday. They want to see the numbers for a two-year term before we commit, but it's looking good.\n\nTara" + Q,
    "positive_interest", "draft_reply_needs_approval", also=["pricing_question"], notes="good news with a request")
add("u09", "Autoresponder <autoresponder@northgatehvac.com>", "Re: where things stand",
    "Thank you for contacting Northgate HVAC. This mailbox is not monitored. For service, call 555-0199 or book online at northgatehvac.com.",
    "out_of_office", "update_crm", headers={"Auto-Submitted": "auto-generated"}, notes="an unmonitored mailbox")
add("u10", "Jenna Ross <jenna@topclicks.agency>", "Your Google reviews",
    "Hey Liam! Noticed Brightlane only has 12 Google reviews. We help software companies get 100+ five-star reviews in 60 days. Interested?",
    "vendor_pitch_spam", "ignore", notes="a reviews pitch")
add("u11", "Pete Walsh <pete@walshbros.com>", "Re: where things stand",
    "To be honest the mobile app felt clunky to the guys who tried it. If that doesn't improve I can't see them using it.\n\nPete" + Q,
    "objection", "draft_reply_needs_approval", notes="usability objection")
add("u12", "Lina Park <lina@parkpools.com>", "Re: where things stand",
    "Can you do a quick call Monday morning? 15 min is plenty.\n\nLina" + Q,
    "meeting_request", "find_meeting_times", notes="'can you do a quick call'")
add("u13", "Omar Haddad <omar@haddadplumbing.com>", "Re: where things stand",
    "Thanks Liam. Could you send me a sample contract so our lawyer can have a look before the next meeting?\n\nOmar" + Q,
    "contract_legal", "notify_rep", notes="asks for a contract for the lawyer")
add("u14", "Zoe Adams <zoe@adamspest.com>", "Re: where things stand",
    "Timing's just not right for us. We're in the middle of an acquisition and nothing new is getting approved till mid-2027.\n\nZoe" + Q,
    "not_interested", "update_crm", also=["objection"], notes="timing, a long freeze")
add("u15", "Ian Clarke <ian@clarkeheating.co.uk>", "Re: where things stand",
    "All good here, we went through the proposal as a team and we'd like to go ahead. What are the next steps?\n\nIan" + Q,
    "positive_interest", "draft_reply_needs_approval", notes="go ahead")
add("u16", "Ruth Allen <ruth@allenfire.com>", "reports missing",
    "Hi, our monthly inspection reports haven't been generated for November. December's ran fine. Can you check?\n\nRuth",
    "support_issue", "notify_rep", notes="a missing output")
R.write("emails_round6.json", "Round six of our own inbound emails for classify-email (session 12), written "
           "after the doubt fallback, to measure first sight again: a board wanting three quotes, "
           "dates offered, a tier comparison, 'I've left', 'decided not to go ahead', governing law, "
           "a blank board, positive news with a request, an unmonitored mailbox, a reviews pitch, "
           "a clunky app, 'can you do a quick call', a sample contract for the lawyer, an "
           "acquisition freeze, 'we'd like to go ahead', missing reports.")
