"""Builds emails_round12.json (classify-email's twelfth own set): python3 build_emails_round12.py"""
from email_rounds import Round

R = Round("2026-12-21T14:05:00-06:00")
add = R.add
G = ("\n\nOn Mon, Dec 21, 2026 at 9:30 AM Liam Ross <liam.ross@brightlane.io> wrote:\n"
     "> Hi, following up on my note from last week. Happy to answer any questions.\n> \n> Liam\n")
Q = ("\n\n________________________________\nFrom: Liam Ross <liam.ross@brightlane.io>\n"
     "Sent: Monday, December 21, 2026 9:30 AM\nSubject: Brightlane\n\nHi, following up on my note.\n")
M = "\n\nSent from my iPhone"
add("a01", "Jack Ruiz <jack@ruizmechanical.com>", "Re: Brightlane",
    "Any chance we could find 20 mins Thursday? Want to walk my foreman through the mobile side before we decide.\n\nJack" + G,
    "meeting_request", "find_meeting_times", notes="'find 20 mins Thursday'")
add("a02", "Mona Ellis <mona@ellispest.com>", "RE: Brightlane",
    "I'm around most of next week except Tuesday. Send me a few times that suit?\n\nMona" + Q,
    "meeting_request", "find_meeting_times", notes="'send me a few times that suit'")
add("a03", "Dev Anand <dev@anandplumbing.com>", "Re: Brightlane",
    "Is there a price break if we sign up both locations?" + M + G,
    "pricing_question", "draft_reply_needs_approval", notes="'a price break'")
add("a04", "Carol Bright <carol@brightheating.com>", "RE: Brightlane",
    "Roughly what would 10 seats run us annually, onboarding included?\n\nCarol" + Q,
    "pricing_question", "draft_reply_needs_approval", notes="'run us annually'")
add("a05", "Bill Harper <bill@harperhvac.com>", "Re: Brightlane",
    "Honestly, we looked at something similar two years ago and the techs never touched it. What makes yours different?\n\nBill" + G,
    "objection", "draft_reply_needs_approval", notes="a past tool unused")
add("a06", "Tess Lowry <tess@lowryelectric.com>", "RE: Brightlane",
    "The boss thinks $15k a year is a lot for what is basically a calendar. I need something to push back with.\n\nTess" + Q,
    "objection", "draft_reply_needs_approval", notes="'a lot for what is basically'")
add("a07", "Accounts Payable <ap@granitefacilities.com>", "Vendor agreement - Brightlane",
    "Hello,\n\nAttached is our standard vendor agreement. Please have it signed and returned before we can issue a PO.\n\nThank you,\nGranite Facilities AP",
    "contract_legal", "notify_rep", notes="a vendor agreement to sign")
add("a08", "Maria Costa <mcosta@costagroup.eu>", "Re: Brightlane DPA",
    "Quick question on the DPA: who are your sub-processors, and where are they located?\n\nMaria" + G,
    "contract_legal", "notify_rep", notes="sub-processors")
add("a09", "Kurt Vogel <kurt@vogelroofing.com>", "session expired",
    "Getting a 'session expired' message every few minutes on the tablet. Have to keep logging back in. Pretty annoying for the guys on the roof.\n\nKurt",
    "support_issue", "notify_rep", notes="session expiring")
add("a10", "Amy Zhou <amy@zhoulandscaping.com>", "routes",
    "The routes for tomorrow didn't generate overnight. The board's empty for all six crews.\n\nAmy",
    "support_issue", "notify_rep", notes="routes not generated")
add("a11", "Rick Stone <rick@stonepools.com>", "Re: Brightlane",
    "Sold! Let's do it. Send over whatever I need to sign." + M + G,
    "positive_interest", "draft_reply_needs_approval", also=["contract_legal"], notes="'sold', 'let's do it'")
add("a12", "Jane Doyle <jane@doylefacilities.com>", "RE: Brightlane",
    "Really appreciated the walkthrough. The team's keen to give it a go in the new year.\n\nJane" + Q,
    "positive_interest", "draft_reply_needs_approval", notes="keen to give it a go")
add("a13", "Hank Ford <hank@fordmechanical.com>", "Re: Brightlane",
    "We've had a change of direction internally and won't be pursuing this.\n\nHank" + G,
    "not_interested", "update_crm", notes="'won't be pursuing this'")
add("a14", "Lily Grant <lily@grantplumbing.com>", "Re: Brightlane",
    "No thanks." + M + G,
    "not_interested", "update_crm", notes="'no thanks'")
add("a15", "Oscar Wells <oscar@wellselectric.com>", "Re: Brightlane",
    "Thanks for your message. I'm currently out with limited access and will respond on my return on January 4th.",
    "out_of_office", "update_crm", notes="out, limited access, on my return")
add("a16", "Tom Baker <tbaker@apexservices.com>", "Re: Brightlane",
    "Wrong Tom I'm afraid! You're after Tom Reyes in our Dallas office (treyes@apexservices.com).\n\nTom" + G,
    "referral_wrong_person", "update_crm", referred="treyes@apexservices.com", notes="'wrong Tom', 'you're after'")
add("a17", "Gina Marsh <gina@marshhvac.com>", "RE: Brightlane",
    "I've passed your email on to our operations manager, Carla (carla@marshhvac.com), who looks after scheduling.\n\nGina" + Q,
    "referral_wrong_person", "update_crm", referred="carla@marshhvac.com", notes="passed on to the ops manager")
add("a18", "Events Team <events@saasleaders.co>", "Invitation: CRO roundtable, Austin",
    "Hey Liam, we're hosting a roundtable for SaaS revenue leaders next month in Austin and would love to save you a seat. Dinner's on us.\n\nThe SaaS Leaders team",
    "vendor_pitch_spam", "ignore", notes="an event invitation")
add("a19", "Pablo Núñez <pablo@nunezclima.es>", "Re: Brightlane",
    "Perfecto, ¿te viene bien el martes a las 10? Si no, dime qué horario te funciona.\n\nPablo" + G,
    "meeting_request", "find_meeting_times", lang="es", notes="Spanish, Tuesday at 10")
add("a20", "Fran Kelly <fran@kellydoors.com>", "deleted job",
    "Hi, one of our techs deleted a job by accident. Is there any way to get it back?\n\nFran",
    "support_issue", "notify_rep", notes="a deleted job")
R.write("emails_round12.json", "Round twelve of our own inbound emails for classify-email (session 13), "
           "Gmail- and Outlook-quoted, to measure first sight again.")
