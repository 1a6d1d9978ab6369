"""Builds emails_round8.json (classify-email's eighth own set): python3 build_emails_round8.py"""
from email_rounds import Round

R = Round("2026-12-15T16:20:00-05:00")
add = R.add
Q = "\n\n-----Original Message-----\nFrom: Liam Ross <liam.ross@brightlane.io>\nSent: Monday, December 14, 2026 9:02 AM\nSubject: Brightlane follow-up\n\nHi, checking in after our demo.\n"
add("w01", "Derek Ng <derek@ngplumbing.com>", "RE: Brightlane follow-up",
    "Liam, are you around Thursday? I'd like to bring our dispatcher in so she can ask her own questions. Anytime after 1 works.\n\nDerek" + Q,
    "meeting_request", "find_meeting_times", notes="'are you around'")
add("w02", "Pam Hill <pam@hillfacilities.com>", "RE: Brightlane follow-up",
    "What would it cost to add the customer portal for our 40 commercial clients?\n\nPam" + Q,
    "pricing_question", "draft_reply_needs_approval", notes="cost of an add-on")
add("w03", "Gus Fry <gus@fryroofing.com>", "RE: Brightlane follow-up",
    "Liam, to be blunt, your app needs a signal to work and half our jobs are in basements. Unless offline mode is coming soon this won't work for us.\n\nGus" + Q,
    "objection", "draft_reply_needs_approval", notes="a functional gap with a condition")
add("w04", "Joy Banks <joy@banksplumbing.com>", "RE: Brightlane follow-up",
    "Please remove my address from your mailing list.\n\nJoy" + Q,
    "not_interested", "update_crm", notes="remove my address")
add("w05", "Carl Bent <carl.bent@bentmechanical.com>", "RE: Brightlane follow-up",
    "I'm afraid I'm not involved in software purchasing. Our operations director, Judy Marsh, would be the one to talk to: judy.marsh@bentmechanical.com\n\nCarl" + Q,
    "referral_wrong_person", "update_crm", notes="'not involved in', 'the one to talk to'")
add("w06", "Rachel Gold <rgold@goldlaw.com>", "Brightlane / Hillcrest - agreement",
    "Liam, I act for Hillcrest Services. Please send the current draft of the agreement to me directly; my client will not sign until I have reviewed the indemnity provisions.\n\nRachel Gold\nGold & Partners LLP",
    "contract_legal", "notify_rep", notes="the customer's lawyer")
add("w07", "Ted Lowe <ted@lowehvac.com>", "texts not going out",
    "None of the appointment reminder texts went out yesterday. Customers are calling asking if we're still coming. What's going on?\n\nTed",
    "support_issue", "notify_rep", notes="reminders not sent")
add("w08", "Ava Cruz <ava@cruzelectric.com>", "RE: Brightlane follow-up",
    "The team is on board. Can you send over next steps for getting started in January?\n\nAva" + Q,
    "positive_interest", "draft_reply_needs_approval", notes="on board, next steps")
add("w09", "Ben Ortiz <ben@ortizpools.com>", "Out of the office",
    "Hi, I'm out of the office on a family matter with no access to email until December 28. Your message will not be forwarded.",
    "out_of_office", "update_crm", headers={"X-Auto-Response-Suppress": "All"}, notes="OOO, family")
add("w10", "Lena Fox <lena@trendwave.io>", "Brightlane x TrendWave",
    "Hi Liam, love what Brightlane is building! We run influencer campaigns for B2B brands and have a few creators in the trades space. Open to a quick chat?\n\nLena",
    "vendor_pitch_spam", "ignore", notes="an influencer pitch")
add("w11", "Hal Price <hal@pricegaragedoors.com>", "RE: Brightlane follow-up",
    "We're not ready to commit to a year. Could we do a three-month pilot instead? If it goes well we'll sign for the year.\n\nHal" + Q,
    "objection", "draft_reply_needs_approval", also=["positive_interest", "contract_legal"], notes="a term objection with a counter")
add("w12", "Mia Dunn <mia@dunnpest.com>", "RE: Brightlane follow-up",
    "Is implementation included in the price, or is that a separate charge? And roughly how long does it take?\n\nMia" + Q,
    "pricing_question", "draft_reply_needs_approval", notes="included or separate")
add("w13", "Noah Kim <noah@kimfacilities.com>", "RE: Brightlane follow-up",
    "I've been pulled onto another project and won't be leading this any more. Sam Ito (sam.ito@kimfacilities.com) is taking it over.\n\nNoah" + Q,
    "referral_wrong_person", "update_crm", notes="a hand-off to a colleague")
add("w14", "Eve Lang <eve@langroofing.com>", "invoice sync",
    "Invoices created in your app are no longer appearing in Xero. Last one that synced was Friday. Can you look into it?\n\nEve",
    "support_issue", "notify_rep", notes="sync stopped")
add("w15", "Zack Hale <zack@halelandscapes.com>", "RE: Brightlane follow-up",
    "We went with a competitor in the end, their mobile app was a better fit for our crews. Thanks for your time though.\n\nZack" + Q,
    "not_interested", "update_crm", notes="went with a competitor")
add("w16", "Lucy Moore <lucy@mooreheating.co.uk>", "RE: Brightlane follow-up",
    "Brilliant demo, thank you. The engineers were really impressed with the van stock feature. We'll discuss at Monday's board meeting and let you know.\n\nLucy" + Q,
    "positive_interest", "draft_reply_needs_approval", notes="impressed, discussing")
R.write("emails_round8.json", "Round eight of our own inbound emails for classify-email (session 12), written "
           "after the word-count fallback, below an Outlook-style quoted block, to measure first "
           "sight again.")
