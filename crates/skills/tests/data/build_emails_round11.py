"""Builds emails_round11.json (classify-email's eleventh own set): python3 build_emails_round11.py"""
from email_rounds import Round

R = Round("2026-12-18T09:15:00-06:00")
add = R.add
G = ("\n\nOn Thu, Dec 17, 2026 at 3:02 PM Liam Ross <liam.ross@brightlane.io> wrote:\n"
     "> Great speaking with you. Anything else I can answer, just shout.\n> \n> Liam\n")
M = "\n\nSent from my Android"
add("z01", "Bo Jensen <bo@jensenheating.com>", "Re: Brightlane",
    "Quick q: if we start with just the dispatch module, is that priced differently? Trying to figure out what we'd actually be spending each month.\n\nBo" + G,
    "pricing_question", "draft_reply_needs_approval", notes="'priced differently', 'what we'd be spending'")
add("z02", "Ana Silva <ana@silvaplumbing.com>", "Re: Brightlane",
    "Let's get something on the books for next week. I'm wide open Wednesday." + M + G,
    "meeting_request", "find_meeting_times", notes="'on the books', 'wide open'")
add("z03", "Ray Dunn <ray@dunnelectric.com>", "Re: Brightlane",
    "Appreciate you reaching out, but this isn't something we're looking at right now or in the near future.\n\nRay" + G,
    "not_interested", "update_crm", notes="'isn't something we're looking at'")
add("z04", "Greg Moss <greg@mossmechanical.com>", "Re: Brightlane",
    "To be honest our last software rollout was a disaster and the guys still bring it up. I'd need a lot of convincing that this would be any different.\n\nGreg" + G,
    "objection", "draft_reply_needs_approval", notes="a past rollout, 'a lot of convincing'")
add("z05", "Nina Park <nina@parkpools.com>", "portal showing wrong amounts",
    "Hey, the customer portal is showing the wrong invoice amounts. It's pulling last month's prices. A couple of customers have already flagged it.\n\nNina",
    "support_issue", "notify_rep", notes="wrong amounts shown")
add("z06", "Helen Forde <hforde@fordegroup.com>", "Vendor insurance requirement",
    "Hi Liam,\n\nOur insurer requires vendors to carry cyber liability coverage of at least $2M. Can you confirm yours and send proof of coverage?\n\nHelen Forde\nRisk & Compliance",
    "contract_legal", "notify_rep", notes="cyber liability coverage")
add("z07", "Sam Ortega <sam@ortegaroofing.com>", "Re: Brightlane",
    "Had a chance to share the recording with the team and everyone's on board. Let's keep this moving.\n\nSam" + G,
    "positive_interest", "draft_reply_needs_approval", notes="'everyone's on board', 'keep this moving'")
add("z08", "Lou Becker <lou@beckerexcavation.com>", "Re: Brightlane",
    "I'm out on a job site all week with spotty service. If it's urgent, call the shop at 555-0188.",
    "out_of_office", "update_crm", notes="a job site, spotty service")
add("z09", "Frank Rizzo <frank@rizzoplumbing.com>", "Re: Brightlane",
    "You want to talk to my son Danny, he runs the business side now. I just turn wrenches these days. danny@rizzoplumbing.com\n\nFrank" + G,
    "referral_wrong_person", "update_crm", referred="danny@rizzoplumbing.com", notes="'you want to talk to my son'")
add("z10", "Maya Trent <maya@explainly.video>", "Brightlane explainer video",
    "Liam, saw Brightlane on the G2 list. We produce explainer videos for SaaS companies; our last one got a client 40% more demo bookings. Can I send over a couple of samples?\n\nMaya\nExplainly",
    "vendor_pitch_spam", "ignore", notes="a video agency")
add("z11", "Diego Rojas <diego@rojasclima.mx>", "Re: Brightlane",
    "Hola Liam, ¿podemos hablar el jueves por la tarde? Quiero que lo vea también mi socio.\n\nDiego" + G,
    "meeting_request", "find_meeting_times", lang="es", notes="Spanish, Thursday afternoon")
add("z12", "Earl Tate <earl@tatehvac.com>", "Re: Brightlane",
    "What's the damage for the whole crew? 18 guys plus 2 in the office." + M + G,
    "pricing_question", "draft_reply_needs_approval", notes="'what's the damage'")
add("z13", "Vera Lind <vera@lindlandscaping.com>", "Re: Brightlane",
    "The team loved the demo but honestly we just don't have the bandwidth to roll out anything new before spring. Summer is our peak and we can't risk it.\n\nVera" + G,
    "objection", "draft_reply_needs_approval", also=["not_interested"], notes="bandwidth and timing")
add("z14", "Owen Tully <owen@tullyelectric.com>", "adding a tech",
    "I can't get the new tech added. It keeps saying the email is already in use but he's never had an account with you.\n\nOwen",
    "support_issue", "notify_rep", notes="'already in use'")
add("z15", "Pat Greene <pat@greenehandyman.com>", "Re: Brightlane",
    "We're going to pass. The team prefers to keep using paper for now.\n\nPat" + G,
    "not_interested", "update_crm", notes="'going to pass'")
add("z16", "Lena Hart <lhart@hartfacilities.com>", "Re: Brightlane agreement",
    "Liam, legal flagged the auto-renewal language in section 9. We need that changed to opt-in before we can move ahead.\n\nLena" + G,
    "contract_legal", "notify_rep", notes="auto-renewal language")
add("z17", "Cody Webb <cody@webbpest.com>", "Re: Brightlane",
    "This is exactly what we've been looking for. Who do I need to talk to about getting set up?\n\nCody" + G,
    "positive_interest", "draft_reply_needs_approval", notes="'exactly what we've been looking for'")
add("z18", "Rita Fox <rita@foxgaragedoors.com>", "Re: Brightlane",
    "Can you swing by the shop sometime next week? Easier to show you how we work than to explain it.\n\nRita" + G,
    "meeting_request", "find_meeting_times", notes="'swing by the shop'")
add("z19", "Beth Nolan <beth@nolanservices.com>", "Re: Brightlane",
    "Hi Liam, Jenny is on maternity leave until April and I'm covering her accounts in the meantime. What can I help with?\n\nBeth" + G,
    "referral_wrong_person", "update_crm", notes="covering a colleague's accounts")
add("z20", "Raj Patel <raj@codeshore.dev>", "Extra engineering capacity",
    "Hi there, we're a nearshore development agency with 200+ engineers. Need extra hands on your roadmap in Q1?\n\nRaj\nCodeShore",
    "vendor_pitch_spam", "ignore", notes="an outsourcing pitch")
R.write("emails_round11.json", "Round eleven of our own inbound emails for classify-email (session 13), "
           "colloquial phrasing and Android and Gmail replies, to measure first sight again.")
