"""Builds emails_round15.json (classify-email's fifteenth own set): python3 build_emails_round15.py"""
from email_rounds import Round

R = Round("2027-02-02T11:20:00-07:00")
add = R.add
G = ("\n\nOn Mon, Feb 1, 2027 at 2:45 PM Liam Ross <liam.ross@brightlane.io> wrote:\n"
     "> Hi, great to meet you at the show last week. Let me know if a demo would be useful.\n> \n> Liam\n")
Q = ("\n\n________________________________\nFrom: Liam Ross <liam.ross@brightlane.io>\n"
     "Sent: Monday, February 1, 2027 2:45 PM\nSubject: Brightlane\n\nHi, following up from last week.\n")


def sig(name, title, company):
    return f"\n\n--\n{name} | {title}\n{company}\nOffice 555-0123 | Mobile 555-0177"


add("d01", "Heather Lowe <heather@lowemechanical.com>", "Re: Brightlane",
    "Hi Liam,\n\nFollowing on from the trade show, I'd love to get our ops team in front of a demo. We're pretty "
    "flexible the week of the 15th - mornings Mountain time are best for us.\n\nHeather"
    + sig("Heather Lowe", "Operations Manager", "Lowe Mechanical") + G,
    "meeting_request", "find_meeting_times", notes="a demo for the ops team, the week of the 15th")
add("d02", "Oscar Ruiz <oscar@ruizelectric.com>", "onboarding plan",
    "Can we jump on a quick call tomorrow to go over the onboarding plan? Anytime after 1 works for me.\n\nOscar",
    "meeting_request", "find_meeting_times", notes="a call tomorrow after 1")
add("d03", "Beverly Kent <bkent@kentfacilities.com>", "RE: Brightlane",
    "Hi Liam,\n\nWhat's the cost difference between monthly and annual? And are there any hidden costs - "
    "training, support, data migration - that I should be budgeting for?\n\nThanks,\nBev" + Q,
    "pricing_question", "draft_reply_needs_approval", notes="monthly vs annual, hidden costs")
add("d04", "Troy Nolan <troy@nolanhvac.com>", "Re: Brightlane",
    "We'd have 3 dispatchers and 25 techs. Do the dispatchers need a full license, or is there a cheaper seat "
    "type for them?\n\nTroy" + G,
    "pricing_question", "draft_reply_needs_approval", notes="a cheaper seat type")
add("d05", "Angela Moss <angela@mossplumbing.com>", "RE: Brightlane",
    "Liam,\n\nI ran this past our owner and his first reaction was that we only set up a new QuickBooks system "
    "last year, and he doesn't want to touch anything to do with invoicing. Is there a way to keep QuickBooks "
    "doing the invoices?\n\nAngela" + Q,
    "objection", "draft_reply_needs_approval", notes="the owner won't touch invoicing")
add("d06", "Frank Dunn <frank@dunnroofing.com>", "Re: Brightlane",
    "My guys are pretty set in their ways. Last time we rolled out tablets, half of them ended up in the "
    "glovebox. What's different here?\n\nFrank" + G,
    "objection", "draft_reply_needs_approval", notes="past rollout failed")
add("d07", "Carmen Silva <carmen@silvaservices.com>", "Thank you!",
    "Hi Liam,\n\nJust a note to say thanks - the team was buzzing after the demo. We'll get our heads together "
    "this week and come back to you with next steps.\n\nCarmen",
    "positive_interest", "draft_reply_needs_approval", notes="the team was buzzing")
add("d08", "Paul Grady <pgrady@gradygroup.com>", "RE: Brightlane proposal",
    "Update from our side: the budget has been approved for Q2. Looking forward to getting this going.\n\nPaul"
    + sig("Paul Grady", "COO", "Grady Group") + Q,
    "positive_interest", "draft_reply_needs_approval", notes="budget approved")
add("d09", "Nina Park <nina@parkpestcontrol.com>", "Re: Brightlane",
    "Hi Liam, appreciate the follow-ups. We ended up signing with another provider last week, so we're set for "
    "now. Thanks for your time.\n\nNina" + G,
    "not_interested", "update_crm", notes="signed with another provider")
add("d10", "Gordon Bell <gordon@bellhomeservices.com>", "RE: Brightlane",
    "Liam,\n\nWe've reviewed it internally and it's not a fit for how we work. Please close this out on your "
    "end.\n\nGordon" + Q,
    "not_interested", "update_crm", notes="'not a fit', 'close this out'")
add("d11", "Tina Brooks <tina@brookscleaning.com>", "Re: Brightlane",
    "Hi, thanks for reaching out! I'm at a conference through Thursday and will have spotty access. I'll reply "
    "when I'm back in the office on Friday.",
    "out_of_office", "update_crm", notes="at a conference, spotty access")
add("d12", "Stefan Roth <s.roth@roth-kaelte.de>", "Abwesenheitsnotiz: Brightlane",
    "Vielen Dank für Ihre Nachricht. Ich bin bis zum 12. Februar nicht im Haus und habe keinen Zugriff auf meine "
    "E-Mails. Bitte wenden Sie sich in dringenden Fällen an info@roth-kaelte.de.",
    "out_of_office", "update_crm", lang="de", notes="German autoreply")
add("d13", "Laura Chen <lchen@chenfacilities.com>", "Re: Brightlane",
    "Hi Liam - I moved over to the finance side in January, so I don't deal with the ops software anymore. "
    "Mark Hughes (mhughes@chenfacilities.com) took over from me and is the one to talk to.\n\nLaura" + G,
    "referral_wrong_person", "update_crm", referred="mhughes@chenfacilities.com", notes="moved to finance")
add("d14", "Front Desk <office@sunrisepoolsco.com>", "Re: Brightlane",
    "Thanks for the email. We're a franchise, so software decisions are made at head office in Denver. Try "
    "Lisa Chang at lchang@sunrisepools.com.\n\nSunrise Pools" + G,
    "referral_wrong_person", "update_crm", referred="lchang@sunrisepools.com", notes="franchise: head office decides")
add("d15", "Derek Holt <dholt@holtindustrial.com>", "RE: Order form",
    "Liam,\n\nAttached is our redlined version of the order form. Main changes: net 60 payment terms and a cap "
    "of 3% on annual price increases. Let me know if your side can accept these.\n\nDerek" + Q,
    "contract_legal", "notify_rep", also=["pricing_question"], notes="redlined order form")
add("d16", "Yvonne Price <yprice@priceplumbing.com>", "NDA",
    "Hi Liam, could you send us the signed mutual NDA? We can't share the customer data for the pilot until "
    "it's in place.\n\nYvonne",
    "contract_legal", "notify_rep", notes="a mutual NDA before the pilot")
add("d17", "Max Cole <max@colemechanical.com>", "slow schedule",
    "Morning, the schedule view has been really slow since Monday - takes 30+ seconds to load for the "
    "dispatchers. Has something changed?\n\nMax",
    "support_issue", "notify_rep", notes="slow schedule view")
add("d18", "Julia Ward <julia@wardelectrical.com>", "duplicate invoices",
    "Hi, a customer got two invoices for the same job this morning. Looks like the job got duplicated when the "
    "tech went offline. Can you check?\n\nJulia",
    "support_issue", "notify_rep", notes="a job duplicated offline")
add("d19", "Rachel Bloom <rachel@benefitwise.com>", "Employee benefits at Brightlane",
    "Hi Liam, are you the right person to speak to about employee benefits at Brightlane? We help growing tech "
    "companies cut their healthcare costs by up to 30%.\n\nRachel Bloom\nBenefitWise",
    "vendor_pitch_spam", "ignore", notes="a benefits broker")
add("d20", "Sid Malik <sid@pagespeedpros.com>", "brightlane.io on mobile",
    "Liam, your website takes 6.2 seconds to load on mobile. We fix that. Reply YES and I'll send over a free "
    "performance report.\n\nSid",
    "vendor_pitch_spam", "ignore", notes="a web agency's cold pitch")
R.write("emails_round15.json", "Round fifteen of our own inbound emails for classify-email (session 14), "
           "written like DEV with other phrasing than round fourteen's, to measure first sight after it.")
