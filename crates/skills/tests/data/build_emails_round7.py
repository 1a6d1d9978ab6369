"""Builds emails_round7.json (classify-email's seventh own set): python3 build_emails_round7.py"""
from email_rounds import Round

R = Round("2026-12-14T11:00:00-05:00")
add = R.add
Q = "\n\nOn Fri, Dec 11, 2026 at 10:40 AM Liam Ross <liam.ross@brightlane.io> wrote:\n> Hi, any thoughts on the proposal?\n"
add("v01", "Grant Hughes <grant@hugheselectrical.com>", "Re: proposal",
    "Liam, the proposal looks solid but $18k a year is a big jump from what we pay for spreadsheets (nothing). Is there a smaller package?\n\nGrant" + Q,
    "objection", "draft_reply_needs_approval", also=["pricing_question"], notes="price shock with an ask")
add("v02", "Holly Grey <holly@greyplumbing.com>", "Re: proposal",
    "Could you walk our foreman through the mobile side? He's free most afternoons this week.\n\nHolly" + Q,
    "meeting_request", "find_meeting_times", notes="a walkthrough for someone else")
add("v03", "Neil Brooks <neil@brookshvac.com>", "Re: proposal",
    "Does the per-tech price include the GPS tracking, or is that extra?\n\nNeil" + Q,
    "pricing_question", "draft_reply_needs_approval", notes="what is included")
add("v04", "Sara Lind <sara@lindfacilities.com>", "Re: proposal",
    "Hi Liam, I'm covering for Mike while he's on leave. I don't have the background on this one, so probably best to wait until he's back on the 4th.\n\nSara" + Q,
    "referral_wrong_person", "update_crm", also=["out_of_office"], notes="covering for a colleague")
add("v05", "Dean Cole <dean@colegaragedoors.com>", "Re: proposal",
    "Thanks, but it's a no from us. We'll stick with the whiteboard for now.\n\nDean" + Q,
    "not_interested", "update_crm", notes="a plain no")
add("v06", "Procurement <procurement@westfieldgroup.com>", "Supplier onboarding",
    "Hello,\n\nBefore a purchase order can be raised, Brightlane must complete our supplier onboarding form and provide proof of insurance and a signed code of conduct.\n\nWestfield Group Procurement",
    "contract_legal", "notify_rep", notes="supplier onboarding")
add("v07", "Ben Ford <ben@fordroofing.com>", "GPS",
    "All of our vans are showing in the wrong place on the map today, some of them in the sea. Can someone take a look?\n\nBen",
    "support_issue", "notify_rep", notes="wrong data shown")
add("v08", "Kelly Tan <kelly@tanlandscaping.com>", "Re: proposal",
    "Love it. Sharing with the team today and I'll come back to you by Friday with a decision.\n\nKelly" + Q,
    "positive_interest", "draft_reply_needs_approval", notes="warm, decision coming")
add("v09", "Oliver Grant <oliver@grantfire.co.uk>", "Automatic reply: Re: proposal",
    "I'm currently travelling with intermittent access to email. I'll respond as soon as I can.",
    "out_of_office", "update_crm", notes="travelling autoreply")
add("v10", "Max Weber <max@scaleops.io>", "Quick question about Brightlane's ops",
    "Hi Liam, we're a fractional RevOps consultancy. Most Series A teams we talk to are leaking pipeline in their CRM. Mind if I send a 2-minute video showing how we'd fix yours?\n\nMax",
    "vendor_pitch_spam", "ignore", notes="consultancy pitch")
add("v11", "Isla Reed <isla@reedpest.com>", "Re: proposal",
    "My concern is support hours. Our techs start at 6am and your support doesn't open till 9 eastern. That's a problem for us.\n\nIsla" + Q,
    "objection", "draft_reply_needs_approval", notes="support hours concern")
add("v12", "Tom Fischer <tom@fischerheating.de>", "Re: Angebot",
    "Hallo Liam, danke für das Angebot. Wir sind interessiert und möchten gern mit der Geschäftsführung weitermachen.\n\nGruß\nTom",
    "positive_interest", "draft_reply_needs_approval", lang="de", notes="German interest")
add("v13", "Ella Shaw <ella@shawplumbing.com>", "Re: proposal",
    "Is there any flexibility on the onboarding fee if we sign before year end?\n\nElla" + Q,
    "pricing_question", "draft_reply_needs_approval", also=["objection"], notes="negotiating the fee")
add("v14", "Ray Moss <ray@mosselectric.com>", "Re: proposal",
    "Let's find 30 minutes next week to go over the rollout plan. Tuesday afternoon is best for me.\n\nRay" + Q,
    "meeting_request", "find_meeting_times", notes="let's find 30 minutes")
add("v15", "Ivy Lane <ivy@lanecleaning.com>", "exports broken",
    "The CSV export has been cutting off after 500 rows since last week. We need the full list for payroll.\n\nIvy",
    "support_issue", "notify_rep", notes="truncated export")
add("v16", "Hugh Park <hugh@parkroofing.com>", "Re: proposal",
    "We've gone quiet because our owner is in hospital. Nothing's happening on our side for a month or so, sorry.\n\nHugh" + Q,
    "not_interested", "update_crm", also=["objection"], notes="a pause for a personal reason")
R.write("emails_round7.json", "Round seven of our own inbound emails for classify-email (session 12), written "
           "after the word-count fallback, to measure first sight again.")
