"""Builds emails_round13.json (classify-email's thirteenth own set): python3 build_emails_round13.py"""
from email_rounds import Round

R = Round("2026-12-09T10:40:00-05:00")
add = R.add
G = ("\n\nOn Tue, Dec 8, 2026 at 4:12 PM Liam Ross <liam.ross@brightlane.io> wrote:\n"
     "> Hi, thanks again for your time today. I've attached the case study we discussed\n"
     "> and a summary of the Pro and Enterprise plans.\n> \n> Best,\n> Liam\n")
Q = ("\n\n-----Original Message-----\nFrom: Liam Ross <liam.ross@brightlane.io>\n"
     "Sent: Tuesday, December 8, 2026 4:12 PM\nSubject: Brightlane follow-up\n\n"
     "Hi, thanks again for your time today. Let me know if anything else would help.\n")


def sig(name, title, company, phone="555-0100"):
    return f"\n\n{name}\n{title} | {company}\n{phone}"


add("b01", "Nadia Brooks <nadia@brookshomeservices.com>", "Re: Brightlane case study",
    "Hi Liam,\n\nThanks for sending the case study over. I shared it with our GM, Pete, and he'd like to see "
    "the dispatch board himself before we go any further. He's only in the office Tuesdays and Wednesdays - "
    "could we get something on the calendar one of those afternoons? Ideally 45 minutes so he has time to ask "
    "about the QuickBooks sync.\n\nRegards,\nNadia" + sig("Nadia Brooks", "Office Manager", "Brooks Home Services") + G,
    "meeting_request", "find_meeting_times", notes="a GM wants to see it; which afternoons")
add("b02", "Victor Hale <vhale@halemechanical.com>", "RE: Brightlane follow-up",
    "Liam,\n\nWe're setting next year's budgets on the 14th. Before then I'd like to get our two branch managers on "
    "a call with you to go over how the multi-site setup works - pricing we can cover after. What does your "
    "availability look like the week of the 7th?\n\nVictor" + Q,
    "meeting_request", "find_meeting_times", notes="'what does your availability look like'; pricing mentioned, deferred")
add("b03", "Graham Pike <graham.pike@pikeandsons.co.uk>", "Re: Brightlane follow-up",
    "Hi Liam,\n\nA few follow-ups from our finance lead after Thursday:\n\n1. Is the implementation fee a one-off, "
    "or is it charged per location?\n2. Do you do anything for non-profits? Our parent is a registered charity.\n"
    "3. If we pay annually up front, what does that do to the per-tech rate?\n\nCheers,\nGraham"
    + sig("Graham Pike", "Operations Director", "Pike & Sons Ltd", "0161 496 0733") + G,
    "pricing_question", "draft_reply_needs_approval", notes="fee, non-profit rate, annual prepay")
add("b04", "Shelby Grant <sgrant@grantcomfort.com>", "RE: Quote Q-2231",
    "Hi Liam, quick one - the quote shows 30 users but we'll only have 22 techs in the field plus 3 people in "
    "the office. Do office users count towards the licence or are they included? That changes the number "
    "quite a bit for us.\n\nThanks,\nShelby" + Q,
    "pricing_question", "draft_reply_needs_approval", notes="do office users count towards the licence")
add("b05", "Earl Dixon <earl@dixonplumbing.com>", "Re: Brightlane demo",
    "Liam,\n\nI'll be straight with you. The team liked the demo, but most of my techs are in their sixties and "
    "half of them still carry flip phones. I can't see them taking to an app, and I'm not going to force it on "
    "guys who've been with me 25 years. Not saying no, but I'd need to understand how other shops like ours "
    "handled that.\n\nEarl" + G,
    "objection", "draft_reply_needs_approval", notes="adoption worry: older techs")
add("b06", "Priyanka Rao <prao@raofacilities.com>", "RE: Brightlane follow-up",
    "Hi Liam,\n\nOur IT contractor had a look and he's concerned that the system is cloud-only. We've had two "
    "outages with our internet provider this year, and if the techs can't see their jobs we're dead in the "
    "water. Is there an offline mode, or is that going to be a deal-breaker?\n\nPriyanka"
    + sig("Priyanka Rao", "Director of Operations", "Rao Facilities Group") + Q,
    "objection", "draft_reply_needs_approval", notes="cloud-only concern, 'deal-breaker'")
add("b07", "Lena Fischer <lena@fischerelectric.com>", "Trial update",
    "Hi Liam,\n\nJust wanted to let you know the trial's going well. Darren's crew used it all week and nobody "
    "complained once, which is a first for us. I'm putting a summary together for the owners on Friday and "
    "expect a decision the week after. Anything you can send me on ROI from similar-sized companies would "
    "help my case.\n\nLena",
    "positive_interest", "draft_reply_needs_approval", notes="trial going well, building the case")
add("b08", "Marcus Webb <marcus@webbroofing.com>", "Re: Brightlane proposal",
    "Liam - good news, got the green light from the partners this morning. We'd like to go ahead with Pro "
    "for 40 techs starting in February. What do you need from us to get things moving?\n\nMarcus" + G,
    "positive_interest", "draft_reply_needs_approval", also=["contract_legal"], notes="green light, go ahead")
add("b09", "Helen Cho <hcho@chomechanical.com>", "RE: Brightlane proposal",
    "Hi Liam,\n\nThank you for all the time you've put in over the last couple of months. After a lot of back "
    "and forth we've decided to stay with our current provider for now - the switching cost just isn't worth "
    "it this year. Feel free to check back in next autumn.\n\nBest,\nHelen" + Q,
    "not_interested", "update_crm", notes="staying with current provider, check back next autumn")
add("b10", "Ron Tate <ron@tatelawncare.com>", "Re: Brightlane",
    "Please take me off your list. We're a two-man operation and have no use for software like this.\n\nRon" + G,
    "not_interested", "update_crm", notes="'take me off your list'")
add("b11", "Office <office@lakesideheating.com>", "Automatic reply: Brightlane follow-up",
    "Thank you for your email. Our office is closed for the holidays from December 24 through January 2. "
    "Emails will be answered when we reopen on Monday, January 4. For emergency service calls please ring "
    "555-0142.\n\nLakeside Heating & Cooling",
    "out_of_office", "update_crm", headers={"Auto-Submitted": "auto-replied"},
    notes="office closed for the holidays")
add("b12", "Jenna Ortiz <jortiz@ortizhvac.com>", "Re: Brightlane follow-up",
    "Hi, I'm on parental leave until mid-March with no access to email. In the meantime Kevin Shaw "
    "(kshaw@ortizhvac.com) is looking after my accounts and can help with anything urgent.\n\nJenna",
    "out_of_office", "update_crm", also=["referral_wrong_person"], notes="parental leave with a cover")
add("b13", "Sophie Lang <slang@langservices.com>", "Re: Brightlane",
    "Hi Liam,\n\nI look after marketing here, so this isn't really my area. The person you want is our "
    "operations director, Sam Patel (sam.patel@langservices.com). I've copied him in.\n\nSophie" + G,
    "referral_wrong_person", "update_crm", referred="sam.patel@langservices.com", cc=["Sam Patel <sam.patel@langservices.com>"],
    notes="'not really my area', 'the person you want'")
add("b14", "Derek Moss <dmoss@mossbuilding.com>", "RE: Brightlane",
    "Hello,\n\nAlan retired at the end of the summer. I've taken over most of his work, but purchasing "
    "decisions for the field team now sit with Joanne Fitch (jfitch@mossbuilding.com).\n\nRegards,\nDerek" + Q,
    "referral_wrong_person", "update_crm", referred="jfitch@mossbuilding.com", notes="retired; decisions sit with")
add("b15", "Rachel Stein <rstein@steinfm.com>", "RE: Brightlane MSA",
    "Liam,\n\nOur legal team has been through the MSA and has a few redlines, mainly the limitation of liability "
    "(they want it at 12 months' fees rather than 6) and the auto-renewal clause. Marked-up copy attached. Can "
    "you get these in front of your legal people?\n\nThanks,\nRachel" + Q,
    "contract_legal", "notify_rep", notes="MSA redlines")
add("b16", "Owen Marsh <owen@marshpropertycare.com>", "Re: Brightlane proposal",
    "Hi Liam,\n\nBefore we can sign we'll need a copy of your SOC 2 report and a certificate of insurance showing "
    "at least $2M of cyber cover. Our procurement portal won't let me raise the PO without them.\n\nOwen" + G,
    "contract_legal", "notify_rep", notes="SOC 2 and insurance certificate before signing")
add("b17", "Tara Quinn <tara@quinnelectrical.com>", "photos not showing",
    "Hi,\n\nSince this morning's update the photos the techs attach to jobs aren't showing up in the office. They "
    "take them, the app says uploaded, but on the web it's just a grey box. It's happened on at least four "
    "jobs today.\n\nTara" + sig("Tara Quinn", "Office Manager", "Quinn Electrical"),
    "support_issue", "notify_rep", notes="photos not showing after an update")
add("b18", "Neil Burns <neil@burnsplumbing.com>", "tax rate on invoices",
    "Can you help? Our invoices are going out with last year's tax rate. I changed it in settings but new "
    "invoices still pick up 7.25%.\n\nNeil",
    "support_issue", "notify_rep", notes="invoices with the wrong tax rate")
add("b19", "Kyle Benson <kyle@pipelineforge.io>", "Brightlane + PipelineForge",
    "Hi Liam,\n\nI came across Brightlane on LinkedIn and was impressed by your growth this year. We're a B2B "
    "lead-generation agency that books qualified meetings for SaaS sales teams - our clients typically see "
    "15-20 extra demos a month. Worth a quick chat next week?\n\nKyle Benson\nPartnerships, PipelineForge",
    "vendor_pitch_spam", "ignore", notes="a lead-gen agency's pitch with a meeting ask")
add("b20", "Alicia Ford <alicia@stackbridge.dev>", "Salesforce integration",
    "Liam - we build custom Salesforce integrations for fast-growing companies. Saw you're hiring SDRs; we can "
    "have your outbound stack connected in under two weeks. Open to a 15 minute intro?\n\nAlicia\nStackBridge",
    "vendor_pitch_spam", "ignore", notes="an integrator's pitch")
add("b21", "Marta Gil <marta@gilclimatizacion.es>", "Re: Demo Brightlane",
    "Hola Liam,\n\nGracias por la demo de ayer. ¿Podrías mandarme el precio para 12 técnicos con el plan Pro? Y si "
    "hay descuento por pago anual, mejor.\n\nSaludos,\nMarta" + G,
    "pricing_question", "draft_reply_needs_approval", lang="es", notes="Spanish price request")
R.write("emails_round13.json", "Round thirteen of our own inbound emails for classify-email (session 14), "
           "longer and written like DEV's (signatures, quotes, several points), to measure first sight again.")
