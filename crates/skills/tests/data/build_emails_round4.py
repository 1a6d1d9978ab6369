"""Builds emails_round4.json (classify-email's fourth own set): python3 build_emails_round4.py"""
from email_rounds import Round

R = Round("2026-12-09T08:30:00-05:00")
add = R.add


add("s01", "Iris Novak <iris@novakfencing.com>", "Re: quick question",
    "Hi Liam,\n\nHope you had a good weekend! Thanks again for the walkthrough last week, the team "
    "enjoyed it. One thing we didn't cover: is there a minimum contract length, or can we go "
    "month to month?\n\nIris",
    "pricing_question", "draft_reply_needs_approval",
    notes="a long polite preamble before a commercial-terms question", also=["contract_legal"])
add("s02", "Hugo Brandt <hugo@brandtelectric.de>", "Termin",
    "Hallo Liam,\n\nkönnten wir nächste Woche kurz telefonieren? Dienstag oder Mittwoch "
    "Vormittag würde mir gut passen.\n\nViele Grüße\nHugo Brandt",
    "meeting_request", "find_meeting_times", lang="de", notes="a German meeting request")
add("s03", "Rosa Jiménez <rosa@jimenezclima.es>", "Precio para 20 técnicos",
    "Hola Liam,\n\n¿Qué precio tendría el plan para 20 técnicos? ¿Hay descuento si pagamos "
    "el año por adelantado?\n\nUn saludo,\nRosa",
    "pricing_question", "draft_reply_needs_approval", lang="es",
    notes="a Spanish pricing question")
add("s04", "Sam Ortiz <sam.ortiz@ortizmechanical.com>", "Re: proposal",
    "Liam, we're going to hold off for this year. Budgets got cut and the project's been "
    "shelved until at least Q3. I'll reach out if anything changes.\n\nSam",
    "not_interested", "update_crm", notes="'hold off', 'shelved': not now")
add("s05", "Ana Lima <ana@limasolar.com.br>", "Re: paperwork",
    "Hi Liam, who should we send the signed paperwork to? And does it need a wet signature or "
    "is DocuSign fine?\n\nAna",
    "contract_legal", "notify_rep", notes="paperwork logistics in plain words")
add("s06", "Jon Price <jon@pricehandyman.com>", "photos not uploading",
    "Hey, none of the job photos my guys took today are showing up in the office. The app just "
    "spins. Tried on two phones.\n\nJon",
    "support_issue", "notify_rep", notes="a fault described, no 'bug' or 'error'")
add("s07", "Chloe Martin <chloe@growthpartners.co>", "Partnership opportunity",
    "Hi Liam,\n\nI lead partnerships at Growth Partners. We work with 200+ B2B software "
    "companies to co-market to field service audiences. I'd love to explore a partnership "
    "with Brightlane. Do you have 15 minutes this week?\n\nChloe",
    "vendor_pitch_spam", "ignore", notes="a 'partnership' pitch from an unknown sender")
add("s08", "Victor Hale <victor@halegroup.com>", "Re: trial",
    "Liam, the trial's gone really well. The dispatchers don't want to give it back! Let's "
    "talk about rolling it out to the other two branches.\n\nVictor",
    "positive_interest", "draft_reply_needs_approval", also=["meeting_request"],
    notes="enthusiasm and a next step")
add("s09", "Fiona Walsh <fiona@walshplumbing.ie>", "Re: our call",
    "Hi Liam, apologies, I'm going to have to cancel tomorrow's call, school run emergency. "
    "Could we do Monday instead, any time after 11?\n\nFiona",
    "meeting_request", "find_meeting_times", notes="cancel and re-offer a time")
add("s10", "Priya Das <priya.das@dasfacilities.com>", "Re: your message",
    "Hi Liam, I handed this over to Marcus Lee when I changed roles last month. He's at "
    "marcus.lee@dasfacilities.com.\n\nPriya",
    "referral_wrong_person", "update_crm", notes="handed over on a role change")
add("s11", "Tom Reeves <tom@reevesheating.co.uk>", "Re: pricing",
    "Liam, I'll be straight with you. Your competitor came in at about two thirds of your "
    "number for the same seats. I'd rather go with you, but I can't take that gap to my "
    "partners.\n\nTom",
    "objection", "draft_reply_needs_approval", notes="a competitor's lower price")
add("s12", "Laura Kim <laura.kim@kimpools.com>", "Automatic reply: Re: demo",
    "Thank you for your email. I am away from my desk until Monday 14 December and will reply "
    "when I'm back.",
    "out_of_office", "update_crm", notes="an autoreply with the words in its subject only")
add("s13", "Mark Evans <mark@evansroofing.com>", "Re: next steps",
    "Sounds good Liam. Send over the order form and I'll get it signed this week.\n\nMark",
    "positive_interest", "draft_reply_needs_approval", also=["contract_legal"],
    notes="ready to sign")
add("s14", "Nora Quinn <nora@quinnpest.com>", "Re: follow up",
    "Thanks Liam, but we're happy with what we have at the moment. No need to follow up.\n\nNora",
    "not_interested", "update_crm", notes="a polite no")
add("s15", "Oscar Ruiz <oscar@ruizplumbing.com>", "integration with QuickBooks",
    "Does your system push invoices straight into QuickBooks Online, or is it an export? "
    "We'd need it to sync customers too.\n\nOscar",
    "positive_interest", "draft_reply_needs_approval",
    notes="a product question from a prospect: answered by a draft")
add("s16", "Ella Stone <ella.stone@stonefacilities.com>", "Re: security questionnaire",
    "Liam, our IT security team needs a SOC 2 report and a signed DPA before we can go any "
    "further. Can you send both?\n\nElla",
    "contract_legal", "notify_rep", also=["objection"], notes="a DPA and a SOC 2 report")
R.write("emails_round4.json", "Round four of our own inbound emails for classify-email (session 12): "
           "polite preambles, German and Spanish non-autoreplies, 'hold off' and 'shelved', "
           "paperwork logistics, a fault without 'bug', a partnership pitch, a cancel-and-"
           "re-offer, a handover on a role change, a competitor's price, a subject-only "
           "autoreply. Written and scored before any rule was changed for them.")
