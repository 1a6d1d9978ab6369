"""Builds emails_round9.json (classify-email's ninth own set): python3 build_emails_round9.py"""
from email_rounds import Round

R = Round("2026-12-16T08:05:00-06:00")
add = R.add
G = ("\n\nOn Tue, Dec 15, 2026 at 10:12 AM Liam Ross <liam.ross@brightlane.io> wrote:\n"
     "> Hi, thanks again for taking the time yesterday. Let me know if any questions\n"
     "> came up with the team.\n> \n> Liam\n")
M = "\n\nSent from my iPhone"
add("x01", "Nadia Osei <nadia@oseimechanical.com>", "Re: Brightlane demo",
    "Hi Liam,\n\nWould it be possible to find half an hour next week to walk my ops manager through the scheduling board? Mornings suit us better, Tuesday or Wednesday ideally.\n\nThanks,\nNadia Osei\nOwner | Osei Mechanical" + G,
    "meeting_request", "find_meeting_times", notes="'would it be possible to find half an hour'")
add("x02", "Rob Kettle <rob@kettleplumbing.com>", "Re: Brightlane demo",
    "I've got a gap Monday afternoon if you want to grab a coffee and go through the numbers together" + M + G,
    "meeting_request", "find_meeting_times", notes="a coffee in a gap")
add("x03", "Fiona Walsh <fwalsh@walshhomeservices.com>", "Re: Brightlane demo",
    "Liam - what are we looking at per tech if we go to 25 users? For context we pay ServiceTitan about $4k a month today.\n\nFiona" + G,
    "pricing_question", "draft_reply_needs_approval", notes="'what are we looking at per tech', a competitor named as context")
add("x04", "Sister Anne Reilly <areilly@haventrepairs.org>", "Question about cost",
    "Good morning,\n\nWe are a small 501(c)(3) that does free home repairs for seniors. Do you offer any discount for nonprofits? Our budget is very tight.\n\nGod bless,\nAnne Reilly\nHaven Repairs",
    "pricing_question", "draft_reply_needs_approval", notes="a nonprofit discount")
add("x05", "Tom Becker <tbecker@beckergroup.com>", "Brightlane MSA - our comments",
    "Liam,\n\nProcurement has been through the MSA. Tracked changes attached; the main points are the limitation of liability (we need it raised to 12 months' fees) and the service credits in the SLA schedule. Happy to get on a call once your side has reviewed.\n\nTom Becker\nProcurement Lead, Becker Group",
    "contract_legal", "notify_rep", also=["meeting_request"], notes="MSA redlines, a call offered after review")
add("x06", "Ines Duarte <ines.duarte@duartefacilities.eu>", "Data processing before signing",
    "Hello Liam,\n\nBefore we can sign we need your data processing addendum countersigned. Also, does Brightlane store or process any personal data outside the EU? Our DPO needs this in writing.\n\nKind regards,\nInes Duarte",
    "contract_legal", "notify_rep", notes="a DPA, where data is processed")
add("x07", "Walt Brennan <walt@brennanheating.com>", "Re: Brightlane demo",
    "Honestly the price isn't the issue, it's the switching pain. We've got six years of job history in our current system and my guys hate change. I just don't see how we move everything over without losing a month.\n\nWalt" + G,
    "objection", "draft_reply_needs_approval", notes="switching cost, not price")
add("x08", "Kyle Dorsey <kyle@dorseyelectric.com>", "Re: Brightlane demo",
    "Showed it to my business partner last night. He thinks it's overkill for a 5-truck shop, we mostly run off a whiteboard and a group text and it works fine for us." + M + G,
    "objection", "draft_reply_needs_approval", also=["not_interested"], notes="'overkill', the way they work now")
add("x09", "Megan Pruitt <megan@pruittpest.com>", "Re: trial",
    "Just wanted to say thanks, the trial went really well and the techs are already asking when they get the app for real. What do we need to do on our side to roll it out?\n\nMegan",
    "positive_interest", "draft_reply_needs_approval", notes="a trial that went well, next steps")
add("x10", "Omar Haddad <omar@haddadroofing.com>", "Re: Brightlane demo",
    "Forwarded your deck to our GM and he's keen. Send me whatever you need from us to put a proposal together.\n\nOmar" + G,
    "positive_interest", "draft_reply_needs_approval", notes="keen, a proposal")
add("x11", "Priya Raman <priya@ramanhvac.com>", "Automatic reply: Brightlane demo",
    "Thank you for your email. I am currently on parental leave, returning in March 2027. For anything urgent please contact office@ramanhvac.com.",
    "out_of_office", "update_crm", headers={"Auto-Submitted": "auto-replied"}, notes="parental leave")
add("x12", "Jorge Salas <jsalas@salasclima.mx>", "Respuesta automática: Brightlane",
    "Hola, estoy fuera de la oficina hasta el 4 de enero con acceso limitado al correo. Para asuntos urgentes, contacte a Marta en marta@salasclima.mx.\n\nSaludos,\nJorge",
    "out_of_office", "update_crm", lang="es", notes="Spanish OOO without a header")
add("x13", "Dale Hutchins <dale@hutchinsplumbing.com>", "app logging everyone out",
    "Since this morning's update the tech app keeps logging people out when they switch to the camera to add photos. Three of my guys lost their job notes today. Need this sorted asap\n\nDale",
    "support_issue", "notify_rep", notes="logged out after an update, data lost")
add("x14", "Carmen Ruiz <carmen@ruizdoors.com>", "double booking",
    "Hi Liam, the board let two customers book the same 9am slot with Rick, twice this week now. Is there a setting we're missing? It's making us look bad.\n\nCarmen",
    "support_issue", "notify_rep", notes="double bookings")
add("x15", "Grant Lyle <grant@lyleservices.com>", "Re: Brightlane demo",
    "We've decided to keep things as they are for now. No need to follow up, I'll reach out if anything changes on our end.\n\nGrant" + G,
    "not_interested", "update_crm", notes="'keep things as they are', 'no need to follow up'")
add("x16", "Bev Tanner <bev@tannerelectric.com>", "Re: Brightlane demo",
    "Please stop emailing me. This is the fourth message this month and I haven't replied to any of them." + G,
    "not_interested", "update_crm", notes="'stop emailing me'")
add("x17", "Holly Park <holly@parkcomfort.com>", "Re: Brightlane demo",
    "Hi Liam, I handle our marketing, not operations. Frank in dispatch is who you want for this, I've copied him here.\n\nHolly" + G,
    "referral_wrong_person", "update_crm", cc=["Frank Dyer <frank@parkcomfort.com>"], referred="frank@parkcomfort.com",
    notes="marketing, not ops; Frank copied")
add("x18", "Jenna Cole <jenna@pipelinepros.co>", "more booked demos for Brightlane",
    "Hi Liam,\n\nWe help SaaS companies selling to the trades book 3-5 qualified demos a week with done-for-you outbound. Worth 15 minutes this week to see if it's a fit?\n\nJenna Cole\nPipeline Pros",
    "vendor_pitch_spam", "ignore", notes="an outbound agency asking for 15 minutes")
add("x19", "Arjun Mehta <arjun@rankrise.net>", "brightlane.io rankings",
    "Hello,\n\nI noticed brightlane.io isn't on page one for 'hvac dispatch software' or 'plumbing scheduling app'. We've helped 40+ SaaS brands triple organic traffic. Can I send over a free audit?\n\nArjun",
    "vendor_pitch_spam", "ignore", notes="an SEO pitch")
add("x20", "Paul Vance <paul@vancehvac.com>", "Re: Thursday",
    "Something came up for Thursday, sorry. Can we push our call to early next week? Monday after 2 or any time Tuesday works on my end.\n\nPaul" + G,
    "meeting_request", "find_meeting_times", notes="a reschedule")
add("x21", "Lori Quinn <lori@quinnplumbing.com>", "Re: Brightlane demo",
    "Looks good. Is the $89 a seat billed monthly or annually, and is there a setup fee on top?\n\nLori" + G,
    "pricing_question", "draft_reply_needs_approval", notes="billing period and setup fee after 'looks good'")
add("x22", "Stan Olsen <stan@olsenservices.com>", "Re: Brightlane demo",
    "Our IT guy is nervous about having customer data in the cloud. Unless there's an on-prem option I can't see this getting approved here.\n\nStan" + G,
    "objection", "draft_reply_needs_approval", notes="a security concern with a condition")
R.write("emails_round9.json", "Round nine of our own inbound emails for classify-email (session 13), "
           "Gmail-quoted and mobile replies, to measure first sight again.")
