"""Builds emails_round10.json (classify-email's tenth own set): python3 build_emails_round10.py"""
from email_rounds import Round

R = Round("2026-12-17T11:40:00-05:00")
add = R.add
G = ("\n\nOn Wed, Dec 16, 2026 at 4:48 PM Liam Ross <liam.ross@brightlane.io> wrote:\n"
     "> Thanks for the time today. Attached is the summary we discussed.\n> \n> Liam\n")
SIG = "\n\n--\nThis email and any attachments are confidential and intended solely for the addressee."
add("y01", "Kerry Nolan <kerry@nolanfacilities.com>", "Re: Brightlane summary",
    "Thanks for yesterday, really useful. Could we get the three of us together again before Christmas to go over the rollout plan? Thursday afternoon or Friday morning would be best for us.\n\nKerry" + SIG + G,
    "meeting_request", "find_meeting_times", notes="a meeting asked for after thanks")
add("y02", "Lucía Herrera <lucia@herreraclima.es>", "Re: Brightlane",
    "Hola Liam, ¿me puedes decir cuánto costaría para 12 técnicos? ¿Y hay algún descuento si pagamos el año completo?\n\nGracias,\nLucía" + G,
    "pricing_question", "draft_reply_needs_approval", lang="es", notes="Spanish price for 12 techs")
add("y03", "Martin Greer <mgreer@greerbuilds.com>", "Vendor onboarding",
    "Liam,\n\nCan you send us your certificate of insurance and a copy of your standard terms? Our general counsel won't approve a new vendor without them.\n\nMartin Greer\nGreer Builders",
    "contract_legal", "notify_rep", notes="COI and standard terms for vendor approval")
add("y04", "Sandra Voss <sandra@vosselectric.com>", "Re: Brightlane summary",
    "We like the product, but $129 per user is double what we budgeted. If you can't get closer to $70 we'll have to pass for this year.\n\nSandra" + G,
    "objection", "draft_reply_needs_approval", notes="price objection with a conditional pass")
add("y05", "Jim Castle <jim@castleplumbing.com>", "review texts going out early",
    "Hey, quick one. Customers are getting the review request text before the job's even finished. Can you check what's triggering it? Had an angry customer call about it this morning.\n\nJim",
    "support_issue", "notify_rep", notes="an automation firing early")
add("y06", "Tara Webb <tara@webbroofing.com>", "Re: Brightlane summary",
    "Hi, I'm travelling this week for a trade show and checking email intermittently. I'll respond properly when I'm back on the 14th.",
    "out_of_office", "update_crm", notes="a travelling autoreply without a header")
add("y07", "Phil Dray <phil@draymechanical.com>", "Re: Brightlane summary",
    "Thanks Liam, but we're going to stay with our current setup. Appreciate the persistence!\n\nPhil" + G,
    "not_interested", "update_crm", notes="'stay with our current setup'")
add("y08", "Office <office@torreshvac.com>", "Re: Brightlane summary",
    "Hi, I'm the office admin here. Purchasing decisions go through our owner, Mike Torres (mike@torreshvac.com). Best to reach him directly.\n\nThanks,\nAngela" + G,
    "referral_wrong_person", "update_crm", referred="mike@torreshvac.com", notes="decisions go through the owner")
add("y09", "Neil Brandt <neil@brandtservices.com>", "Re: proposal",
    "Got the proposal, thanks. Looks solid. I'll run it past the partners on Thursday but I don't expect any issues.\n\nNeil",
    "positive_interest", "draft_reply_needs_approval", notes="'looks solid', no issues expected")
add("y10", "Dana Pruitt <dana@benefitsbridge.com>", "401(k) for Brightlane?",
    "Hi Liam,\n\nAre you the right person to speak to about Brightlane's 401(k)? We help growing SaaS companies set up retirement plans their teams actually use, at half the admin cost. Worth a quick call?\n\nDana Pruitt\nBenefitsBridge",
    "vendor_pitch_spam", "ignore", notes="a pitch asking 'are you the right person'")
add("y11", "Gary Holt <gary@holtheating.com>", "Re: tomorrow",
    "Can't make tomorrow after all, dentist. Any chance we could do Friday instead, same time?\n\nGary" + G,
    "meeting_request", "find_meeting_times", notes="a move to Friday")
add("y12", "Ruth Lam <ruth@lampest.com>", "Re: Brightlane summary",
    "Before I take this to my boss: is the price you quoted locked in for 2027, or does it go up at renewal?\n\nRuth" + G,
    "pricing_question", "draft_reply_needs_approval", notes="price lock at renewal")
add("y13", "Stefan Maier <s.maier@maier-haustechnik.de>", "Rahmenvertrag Brightlane",
    "Hallo Herr Ross,\n\nanbei unsere Änderungen am Rahmenvertrag. Bitte prüfen Sie insbesondere die Haftungsbegrenzung in §7 und die Kündigungsfristen.\n\nMit freundlichen Grüßen\nStefan Maier",
    "contract_legal", "notify_rep", lang="de", notes="German contract changes")
add("y14", "Cole Ramirez <cole@ramirezhvac.com>", "Re: Brightlane summary",
    "My dispatchers already told me they don't want another app on their phones. They're juggling four already. Not sure how I'd get them to use it.\n\nCole" + G,
    "objection", "draft_reply_needs_approval", notes="adoption doubt")
add("y15", "Irene Choi <irene@choifacilities.com>", "QuickBooks",
    "Our QuickBooks connection dropped again overnight and now there are 30 invoices sitting in 'pending'. Third time this month.\n\nIrene",
    "support_issue", "notify_rep", notes="a connection dropped, invoices pending")
add("y16", "Hugo Bell <hugo@bellplumbing.com>", "Re: Brightlane summary",
    "We'd like to go ahead with the 15-seat plan. What do you need from us to get started?\n\nHugo" + G,
    "positive_interest", "draft_reply_needs_approval", notes="'go ahead'")
add("y17", "Wes Moreno <wes@morenoroofing.com>", "Re: Brightlane summary",
    "We've gone in a different direction for now. If that changes I'll let you know.\n\nWes" + G,
    "not_interested", "update_crm", notes="'a different direction'")
add("y18", "Claire Dubois <c.dubois@dubois-energie.fr>", "Réponse automatique",
    "Bonjour,\n\nJe suis absente jusqu'au 5 janvier. Pour toute urgence, merci de contacter mon collègue Paul à paul@dubois-energie.fr.\n\nCordialement,\nClaire Dubois",
    "out_of_office", "update_crm", lang="fr", notes="French autoreply without a header")
add("y19", "Ivan Petrov <ivan@petrovservices.com>", "Re: Brightlane summary",
    "Our GM wants to see it before we commit. Is there any chance you could do a demo for him next Tuesday at 10?\n\nIvan" + G,
    "meeting_request", "find_meeting_times", notes="a demo for the GM")
add("y20", "Front Desk <info@kesslerdoors.com>", "Re: Brightlane summary",
    "I'm afraid Sarah moved on in October. I'm not sure who's looking after this now, you could try our general manager Tom Kessler at tom@kesslerdoors.com.\n\nFront desk" + G,
    "referral_wrong_person", "update_crm", referred="tom@kesslerdoors.com", notes="the contact moved on")
R.write("emails_round10.json", "Round ten of our own inbound emails for classify-email (session 13), "
           "with signatures, disclaimers and German, French and Spanish, to measure first sight again.")
