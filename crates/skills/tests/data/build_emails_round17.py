"""Builds emails_round17.json (classify-email's seventeenth own set): python3 build_emails_round17.py"""
from email_rounds import Round

R = Round("2027-02-16T16:05:00+00:00")
add = R.add
G = ("\n\nOn Tue, Feb 16, 2027 at 9:00 AM Liam Ross <liam.ross@brightlane.io> wrote:\n"
     "> Hi, circling back on my last note. Would a short call help?\n> \n> Liam\n")
Q = ("\n\nFrom: Liam Ross <liam.ross@brightlane.io>\nSent: 16 February 2027 09:00\n"
     "To: undisclosed\nSubject: Brightlane\n\nHi, circling back on my last note.\n")
add("f01", "Pieter de Vries <pieter@devries-installatie.nl>", "Re: Brightlane",
    "Hello Liam,\n\nThank you. We are interested but first I must to show it to my colleagues of planning. Is "
    "it possible to make a demonstration online in the week 9? Tuesday or Wednesday is best for us.\n\n"
    "Kind regards,\nPieter" + G,
    "meeting_request", "find_meeting_times", notes="non-native English, a demo in week 9")
add("f02", "Greg Olsen <greg@olsenhvac.com>", "Re: Brightlane",
    "Numbers for 40 techs, annual, please.\n\nSent from my iPhone" + G,
    "pricing_question", "draft_reply_needs_approval", notes="terse price request")
add("f03", "Diane Coles <dcoles@colesfm.co.uk>", "RE: Brightlane",
    "Hi Liam\n\nA few questions from our side:\n- what's the minimum term?\n- is there a charge for "
    "historical data migration?\n- are price rises capped on renewal?\n\nThanks\nDiane" + Q,
    "pricing_question", "draft_reply_needs_approval", also=["contract_legal"], notes="bulleted commercial questions")
add("f04", "Mark Ellison <mark@ellisonplumbing.com>", "Re: Brightlane",
    "Liam - I'll level with you, I'm not convinced the guys will use it. We've got a system that works, even "
    "if it's ugly.\n\nMark" + G,
    "objection", "draft_reply_needs_approval", notes="'not convinced', 'a system that works'")
add("f05", "Simone Blake <simone@blakeservices.com>", "RE: Brightlane",
    "Hi Liam,\n\nThe feedback from our supervisors was mixed. They liked the app but found the "
    "reporting too basic for what head office asks for each month. That could be a problem for us.\n\n"
    "Simone" + Q,
    "objection", "draft_reply_needs_approval", notes="reporting too basic")
add("f06", "Jack Moreno <jack@morenoroofing.com>", "Re: Brightlane",
    "Had a chance to play with the trial over the weekend - really impressed. Let's talk next steps.\n\nJack" + G,
    "positive_interest", "draft_reply_needs_approval", also=["meeting_request"], notes="impressed, next steps")
add("f07", "Ruth Anders <ruth@andersgroup.com>", "RE: Brightlane",
    "Liam,\n\nThe partners reviewed it last night and want to proceed. I'll be your main contact for the "
    "rollout.\n\nRuth" + Q,
    "positive_interest", "draft_reply_needs_approval", notes="want to proceed")
add("f08", "Colin Baird <colin@bairdelectric.com>", "Re: Brightlane",
    "Thanks Liam but it's a no from us this time. Budget's gone elsewhere.\n\nColin" + G,
    "not_interested", "update_crm", notes="'a no from us', budget gone elsewhere")
add("f09", "Lena Novak <lena@novakcleaning.com>", "Re: Brightlane",
    "Hi - we're a small family business and honestly we manage fine with a paper diary. Thanks anyway.\n\nLena" + G,
    "not_interested", "update_crm", notes="manage fine with paper")
add("f10", "Service Desk <noreply@hallmarkbuilding.com>", "Auto: Brightlane",
    "This mailbox is not monitored. Please resend your message to enquiries@hallmarkbuilding.com.",
    "out_of_office", "update_crm", also=["referral_wrong_person"], notes="an unmonitored mailbox")
add("f11", "Alex Turner <alex@turnerfacilities.com>", "Re: Brightlane",
    "Hi, I'm on jury duty until the 26th and won't be reading email regularly. Back in the office on March 1.",
    "out_of_office", "update_crm", notes="jury duty")
add("f12", "Neha Sharma <neha@sharmahvac.com>", "Re: Brightlane",
    "Hi Liam, thanks for reaching out. I actually left Sharma HVAC last month. My replacement is Ben Ortiz - "
    "ben@sharmahvac.com.\n\nNeha" + G,
    "referral_wrong_person", "update_crm", referred="ben@sharmahvac.com", notes="left; a replacement")
add("f13", "Owen Pryce <owen@prycemaintenance.co.uk>", "RE: Brightlane",
    "Liam, I only look after the accounts side. For anything operational you'll need Carys Evans "
    "(carys@prycemaintenance.co.uk).\n\nOwen" + Q,
    "referral_wrong_person", "update_crm", referred="carys@prycemaintenance.co.uk", notes="only the accounts side")
add("f14", "Helena Park <helena@parkfacilities.com>", "RE: Brightlane - contract",
    "Hi Liam,\n\nWe need the termination for convenience clause added back in - our board won't approve a "
    "contract without it. Can your legal team look at that?\n\nHelena" + Q,
    "contract_legal", "notify_rep", notes="termination for convenience")
add("f15", "Sean Moore <sean@moorepest.com>", "Re: Brightlane",
    "Liam, I've signed the DocuSign. Where do we go from here?\n\nSean" + G,
    "contract_legal", "notify_rep", also=["positive_interest"], notes="signed the DocuSign")
add("f16", "Rita Gomez <rita@gomezplumbing.com>", "app issue",
    "The app keeps logging our techs out in the middle of jobs and they lose whatever they were typing. Can "
    "someone call me?\n\nRita\n555-0166",
    "support_issue", "notify_rep", notes="logged out mid-job")
add("f17", "Paul Kemp <paul@kempelectric.com>", "calendar sync",
    "Our Google calendar stopped syncing with the board on Friday. Jobs booked since then aren't on anyone's "
    "calendar.\n\nPaul",
    "support_issue", "notify_rep", notes="calendar sync stopped")
add("f18", "Erin Walsh <erin@walshcomfort.com>", "Re: Brightlane",
    "Liam - could you hold 2pm Thursday for us? I'll bring our service manager along.\n\nErin" + G,
    "meeting_request", "find_meeting_times", notes="hold 2pm Thursday")
add("f19", "Lucas Reed <lucas@closerlabs.ai>", "AI SDR for Brightlane",
    "Hi Liam, imagine your reps never writing another cold email. Our AI SDR books meetings while you sleep. "
    "Can I show you a 2-minute demo?\n\nLucas",
    "vendor_pitch_spam", "ignore", notes="an AI SDR pitch")
add("f20", "Grace Yu <grace@talentbridge.co>", "Sales hires",
    "Hi Liam, I specialise in placing account executives at Series A-C SaaS companies. I have two strong "
    "candidates who'd be a great fit for Brightlane. Open to seeing their profiles?\n\nGrace",
    "vendor_pitch_spam", "ignore", notes="a recruiter")
R.write("emails_round17.json", "Round seventeen of our own inbound emails for classify-email (session 14), "
           "terse, non-native and bulleted writing, to measure first sight after round sixteen.")
