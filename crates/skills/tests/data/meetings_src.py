"""Our own annotated sales calls (issue 15): written before the detector's rules were changed,
to measure them on phrasing the rules were not fitted to. Markup as in ../shared/data/tools/lib.py:

  {c:INTENT:STRENGTH[FLAGS][:DUE]|phrase}  a commitment; STRENGTH e|i; FLAGS: c conditional,
                                          p owned by the prospect though the rep says it,
                                          r owned by the rep though the prospect says it
  {n:INTENT|phrase}                       looks like a commitment but is not
  {s:KIND|phrase}  {q|phrase}  {x|phrase}  signal, open question, next steps

Annotation conventions (the same as the DEV set's): a commitment is a promise to do one of the
seven intents; the phrase starts where the promise does (a condition voiced before it is part
of it). A prospect's request answered by a bare "yes" from the rep is annotated on the request
(flag r); a request answered by a full promise is annotated on the promise. A confirmation
("yep, Monday") of something already annotated is not annotated again.
"""

SELLERS = {
    "PN": ("Priya Natarajan", "priya.natarajan@brightlane.io", "u_own_priya"),
    "MB": ("Marcus Bell", "marcus.bell@brightlane.io", "u_own_marcus"),
    "SR": ("Sofia Reyes", "sofia.reyes@brightlane.io", "u_own_sofia"),
    "EF": ("Eleanor Finch", "eleanor.finch@brightlane.io", "u_own_eleanor"),
    "KI": ("Kavya Iyer", "kavya.iyer@brightlane.io", "u_own_kavya"),
    "CJ": ("Carla Jimenez", "carla.jimenez@brightlane.io", "u_own_carla"),
    "NC": ("Nathan Cole", "nathan.cole@brightlane.io", "u_own_nathan"),
    "ML": ("Mei Lin", "mei.lin@brightlane.io", "u_own_mei"),
    "OG": ("Oliver Grant", "oliver.grant@brightlane.io", "u_own_oliver"),
    "JO": ("Jasmine Ortiz", "jasmine.ortiz@brightlane.io", "u_own_jasmine"),
    "TB": ("Tyler Brooks", "tyler.brooks@brightlane.io", "u_own_tyler"),
    "HS": ("Hannah Schultz", "hannah.schultz@brightlane.io", "u_own_hannah"),
    "RM": ("Raj Mehta", "raj.mehta@brightlane.io", "u_own_raj"),
}

MEETINGS = []

MEETINGS.append(dict(
    id="mtg_own_001", title="Redline Plumbing — intro call", kind="discovery",
    start="2026-12-08T10:00:00-05:00", end="2026-12-08T10:30:00-05:00", tz="America/New_York",
    organizer="PN", company_id="co_own_redline",
    prospects={"OC": ("Owen Castillo", "owen@redlineplumbing.com"),
               "HB": ("Hannah Brooks", "hannah@redlineplumbing.com")},
    notes="A rep promise built from 'let me … and shoot them over'; a prospect's request the rep "
          "answers with a bare yes (rep-owned); the rep voicing the prospect's task; the prospect "
          "introducing a relative (prospect-owned intro); a 'no need … yet' and a parked contract.",
    next_steps_agreed=True,
    script="""
PN: Hey Owen, hey Hannah, thanks for making the time.
OC: Yeah, no worries. Hannah's going to keep me honest on the billing side.
HB: Someone has to.
PN: [laughs] Fair. So I saw you came to the webinar last week — {q|what made you reach out now rather than after the winter?}
OC: Honestly, we lost two commercial contracts this fall because we couldn't show them response times. We're at twenty-two techs across two yards and it's all on a shared Google calendar.
PN: Got it. {q|And how are invoices going out today?}
HB: I do them. Friday nights, usually, with a glass of wine.
PN: Okay, so that's a pain we can actually fix. Look, I don't want to bury you in slides. {c:send_info:i:2026-12-08|Let me grab a couple of case studies from plumbing shops your size and shoot them over this afternoon}.
OC: That'd help. Would you also be able to {c:pricing:er|send the pricing sheet}? Hannah will want to see it.
PN: Yep, happy to.
HB: And {n:send_contract|no need to send the contract stuff yet}, we're nowhere near that.
PN: Totally, {n:send_contract|we'll park the paperwork for now}.
PN: {q|Who else would weigh in on a decision like this?}
OC: Me and my brother Dev, he runs the Easton yard. {c:intro:e:2026-12-09|I'll introduce you two by email tomorrow}.
PN: Perfect. And {c:send_info:ep:2026-12-11|you'll send me the current call volumes by yard, say by Friday}?
HB: I can pull that, sure.
PN: Great. {c:schedule_meeting:e|I'll set up a demo for the week after} with you, Owen, and Dev.
OC: Sounds good.
PN: Awesome. Talk soon, both.
""",
))

MEETINGS.append(dict(
    id="mtg_own_002", title="Pinecrest HVAC — platform demo", kind="demo",
    start="2026-12-02T11:00:00-06:00", end="2026-12-02T11:45:00-06:00", tz="America/Chicago",
    organizer="MB", sellers_extra=["SR"], company_id="co_own_pinecrest",
    prospects={"JK": ("Janet Koh", "jkoh@pinecresthvac.com"),
               "LO": ("Luis Ortega", "lortega@pinecresthvac.com")},
    notes="Delegations on both sides ('I'll have Sofia send', 'Luis will send'); a conditional "
          "proposal; a prospect's request confirmed by the rep; a declined offer; a rep deferral "
          "voiced with 'I'll hold off'.",
    next_steps_agreed=True,
    script="""
MB: Okay, I think everyone's here. Janet, Luis, this is Sofia, our solutions engineer — she's the one who actually knows how everything works.
SR: Ha, that's generous. Hi both.
JK: Hi. We've got forty-five minutes and Luis has questions about SSO, so let's leave time for him.
MB: Absolutely. Sofia, you want to kick off with the dispatch board?
SR: Sure. So this is the board set up for a shop about your size, thirty-odd techs, two regions.
LO: Does this pull from Azure AD, or is it a separate login?
SR: Azure AD over SAML, and we do SCIM provisioning on Enterprise.
LO: Okay. I'd want to see how the provisioning maps our groups.
MB: {c:send_info:e|I'll have Sofia send you the SCIM setup guide after this}, it walks through the group mapping step by step.
SR: Yep, I've got a version with screenshots.
JK: Great. And {c:send_info:e|Luis will send you our Azure tenant details} so you can check the data region thing.
LO: Works for me.
MB: Cool. {n:send_info|Want me to send the API docs too}, while I'm at it?
LO: Nah, I grabbed them off your developer site already.
JK: We'd want to start with a pilot in the north region. Maybe ten techs.
MB: That works. {c:send_proposal:ec|Assuming the pilot goes well, I'll put together a proposal for all forty techs}.
JK: Good. And for the pilot itself, {c:schedule_meeting:er|can you get a kickoff on the calendar for the week of the fourteenth}?
MB: Absolutely, consider it done.
JK: One thing — {n:send_info|don't send anything to our CFO yet}. She'll want to see pilot numbers first.
MB: Understood. {n:intro|I'll hold off on looping her in until we have pilot data}.
SR: Luis, {c:send_info:e:2026-12-02|I'll also shoot you a short video of the provisioning flow tonight}, so you can see it end to end.
LO: Perfect, thanks.
JK: Thanks, everyone.
""",
))

MEETINGS.append(dict(
    id="mtg_own_003", title="Thamesbridge Facilities — commercial terms", kind="negotiation",
    start="2026-12-10T09:30:00+00:00", end="2026-12-10T10:00:00+00:00", tz="Europe/London",
    organizer="EF", company_id="co_own_thamesbridge",
    prospects={"GW": ("Graham Whitlock", "graham.whitlock@thamesbridge.co.uk"),
               "AR": ("Aisha Rahman", "aisha.rahman@thamesbridge.co.uk")},
    notes="The prospect sends the contract redlines (prospect-owned send_contract) and, if the "
          "numbers work, the signed form (conditional); a hedged rep promise; a refusal and a "
          "declined offer; 'end of next week' and 'the fifteenth of January'.",
    next_steps_agreed=True,
    script="""
EF: Morning Graham, morning Aisha. Thanks for squeezing me in before the holidays.
GW: Morning. Let's keep it quick, I've got the board at eleven.
EF: Of course. So you've had the order form for a week now — {q|where have you landed?}
AR: We've been through it. Two things: the term and the uplift. {n:send_contract|We won't sign a three-year term}, that's a non-starter for us.
EF: Understood. {q|If we did two years with a capped uplift, how would that sit with you?}
GW: It might work. What's the cap?
EF: I'd want to check with my director before I give you a number, but {c:pricing:i:2026-12-14|I should be able to get you revised numbers by Monday}.
GW: Fine.
AR: And on our side, {c:send_contract:e:2026-12-16|I'll send you our redlines on the MSA by Wednesday}. Legal has a few comments on liability.
EF: Great. {n:send_contract|Do you want me to send our standard DPA alongside}?
AR: No, no need, we'll use our own template.
GW: Eleanor, I'd like our ops lead, Tom Reilly, to meet your implementation person before we sign anything.
EF: Makes sense. {c:intro:e:2026-12-11|I'll introduce Tom to Kavya, our implementation lead, by email tomorrow}.
GW: Good. {c:send_contract:ec:2027-01-15|If the numbers work, we'll get the signed order form back to you before the fifteenth of January}.
EF: Lovely. And {c:follow_up_call:e:2026-12-18|I'll give you a ring end of next week} to see where legal's at.
AR: Sounds good.
EF: Thanks both, good luck with the board.
""",
))

MEETINGS.append(dict(
    id="mtg_own_004", title="Summit Garage Doors — first call", kind="discovery",
    start="2026-11-30T15:00:00-07:00", end="2026-11-30T15:30:00-07:00", tz="America/Denver",
    organizer="CJ", company_id="co_own_summit",
    prospects={"BO": ("Brett Olsen", "brett@summitgaragedoors.com")},
    notes="Casual speech: 'I'm not gonna … until', 'I can get you that', a request confirmed with "
          "'yep', the rep voicing the prospect's task, an invite with an agreed time.",
    next_steps_agreed=True,
    script="""
CJ: Hey Brett, it's Carla from Brightlane. Is now still good?
BO: Yeah, I'm in the truck but I'm parked. Go ahead.
CJ: Great. So you filled in the form about scheduling — {q|what's going on with scheduling right now?}
BO: It's a mess, honestly. Eight guys, and half the time two of 'em show up at the same address.
CJ: Ouch. {q|How are jobs getting handed out today?}
BO: My wife does it off a whiteboard and texts everybody. She's sick of it.
CJ: Got it. Okay, so honestly, {n:send_proposal|I'm not gonna send you a proposal until I've seen how many jobs you run a week}, it'd just be guesswork.
BO: Fair. {c:send_info:i|I can get you that}. Could you {c:send_info:er|send me something showing how the text alerts work} in the meantime?
CJ: Yep, no problem.
CJ: So just so I've got it, {c:send_info:ep:2026-12-04|you'll text me last month's job count by Friday}?
BO: Yeah, yeah. Friday.
CJ: Perfect. I'd love to get my colleague Dustin on for a quick demo this week. Does Thursday work?
BO: Thursday's tough, I've got an install. Friday morning?
CJ: Friday morning works. {c:schedule_meeting:e:2026-12-04T08:00:00-07:00|I'll send you an invite for eight on Friday}.
BO: Sounds good. My wife'll want to be on it too.
CJ: The more the merrier. Talk Friday!
""",
))

MEETINGS.append(dict(
    id="mtg_own_005", title="Crescent Utilities — security review", kind="technical_review",
    start="2026-12-15T13:00:00-06:00", end="2026-12-15T14:00:00-06:00", tz="America/Chicago",
    organizer="NC", sellers_extra=["ML"], company_id="co_own_crescent",
    prospects={"RD": ("Rachel Duarte", "rduarte@crescentutil.com"),
               "KO": ("Ken Osei", "kosei@crescentutil.com")},
    notes="'No problem, I'll send…' is not a negation; a promise delegated to an absent CISO; "
          "'I can send you…'; the prospect's team sends a questionnaire; a 'hold off … until' "
          "deferral; a pilot kickoff pending the review (conditional).",
    next_steps_agreed=True,
    script="""
NC: Hi Rachel, hi Ken. Mei's joining from our side — she's the one for the deep technical stuff.
RD: Great. I've got a list.
ML: Fire away.
RD: First, encryption at rest — what are you using?
ML: AES-256 on the database and the file store, keys in a managed KMS, rotated yearly.
RD: And do you have a current pen test?
NC: We do, from September. No problem, {c:send_info:e:2026-12-15|I'll send the pen test summary over today}.
RD: Thanks. I'd also need a letter of attestation signed by your CISO.
NC: Sure — {c:send_info:e|I'll have Dara, our CISO, send that to you directly}.
RD: Perfect. Mei, how do you handle subprocessors?
ML: We've got nine, all in the US. {c:send_info:i|I can send you the architecture diagram too}, it shows where each one sits.
RD: Yes please.
KO: From procurement's side, {c:send_info:e:2026-12-18|we'll get you our vendor questionnaire by Friday}. It's about sixty questions, sorry in advance.
NC: [laughs] We've seen worse.
KO: And {n:send_contract|please hold off on sending the order form until Rachel's team has signed off}.
NC: Of course. {c:schedule_meeting:ic|Pending the security review, we'll line up the pilot kickoff for early January}.
RD: That works.
NC: Great. Anything else from your side?
RD: No, that's it for now.
""",
))

MEETINGS.append(dict(
    id="mtg_own_006", title="Highland Boilers — annual review", kind="qbr",
    start="2026-12-09T14:00:00+00:00", end="2026-12-09T15:00:00+00:00", tz="Europe/London",
    organizer="OG", company_id="co_own_highland",
    prospects={"FM": ("Fiona MacLeod", "fiona.macleod@highlandboilers.co.uk"),
               "SP": ("Sam Patel", "sam.patel@highlandboilers.co.uk")},
    notes="'We'll have the renewal quote over to you by the end of next week'; the customer makes "
          "an intro and sets up a call (prospect-owned, rep-like intents); a declined training "
          "offer; 'don't send … until'.",
    next_steps_agreed=True,
    script="""
OG: Hi Fiona, hi Sam. Good to see you both — and thanks for the lovely reviews from your engineers.
FM: They do like it. Mostly.
OG: Mostly is good! So today I wanted to look back at the year and then talk about the renewal in February.
SP: That's the bit I'm here for.
OG: [laughs] Figured. The headline: first-time fix rate went from seventy-one to eighty-three percent.
FM: That matches what we see. {s:buying_signal|We're definitely renewing}, the question is the shape of it.
SP: And the price.
OG: And the price. So {c:pricing:i:2026-12-18|we'll have the renewal quote over to you by the end of next week}, with a one-year and a two-year option.
SP: Good.
FM: One thing — we've bought a sister company in Aberdeen, Granite Heating. They're still on paper. {c:intro:e|I'll put you in touch with their MD, Callum}.
OG: That would be brilliant, thank you.
SP: And our new CFO starts in January. {c:schedule_meeting:e|I'll set up a call with her and you in the second week of January} so she hears it from you directly.
OG: Perfect. {n:schedule_meeting|Shall I set up a refresher training for your new starters as well}?
FM: Not this quarter, thanks — they're drowning as it is.
SP: And {n:send_contract|don't send the renewal contract until we've agreed the numbers}, please. Otherwise it just sits with legal.
OG: Makes sense. {c:send_info:i|Let me also dig out the usage report by engineer and pop it in the same email as the quote}.
FM: Great.
OG: Lovely. Thanks both.
""",
))

MEETINGS.append(dict(
    id="mtg_own_007", title="Apex Pest Control — discovery", kind="discovery",
    start="2026-12-03T16:00:00-05:00", end="2026-12-03T16:45:00-05:00", tz="America/New_York",
    organizer="JO", company_id="co_own_apex",
    prospects={"DH": ("Derek Huang", "dhuang@apexpest.com"),
               "MS": ("Maria Santos", "msantos@apexpest.com")},
    notes="Past tense ('I sent you our brochure') and a hypothetical contract are not commitments; "
          "a hedged 'I'll probably have … first thing Monday'; an intro to a colleague; a request "
          "confirmed with 'definitely'.",
    next_steps_agreed=True,
    script="""
JO: Hi Derek, hi Maria! Thanks for taking the call.
DH: Sure thing. Did you get the list of questions I sent?
JO: I did, thank you. And I sent you our brochure last week — did that come through okay?
DH: It did. Maria had a look.
MS: My big thing is route density. We've got guys driving past each other all day.
JO: That's the most common thing we hear. {q|Roughly how many stops does a tech do in a day?}
MS: Twelve to fifteen in summer, eight in winter.
JO: Okay. We have a route optimizer that handles exactly that. Honestly, {c:intro:i|let me loop in Ben, who ran routing for a pest company before he joined us}, he'll know your world better than I do.
DH: That'd be great.
JO: And {c:send_proposal:i:2026-12-07|I'll probably have a rough proposal to you first thing Monday}, just so you've got numbers to react to.
DH: A proposal's fine, but if we were to move forward we'd need our lawyer to look at any contract, just so you know. {n:send_info|No need for references at this stage} either.
JO: Of course.
MS: Could you also {c:send_info:er|send us a sample route report}? Like what the tech sees on the phone?
JO: Definitely, I've got a good one from a client in Ohio.
DH: And {c:send_info:e|I'll get you our current route sheets so you can compare}.
JO: Perfect. {c:follow_up_call:e:2026-12-08|I'll give you a call Tuesday afternoon} to walk through it all.
DH: Tuesday works.
JO: Great, talk then.
""",
))

MEETINGS.append(dict(
    id="mtg_own_008", title="Lakeshore Electric — final terms", kind="negotiation",
    start="2026-12-11T10:00:00-06:00", end="2026-12-11T10:30:00-06:00", tz="America/Chicago",
    organizer="TB", company_id="co_own_lakeshore",
    prospects={"AR": ("Angela Rossi", "arossi@lakeshore-electric.com"),
               "VC": ("Victor Chen", "vchen@lakeshore-electric.com")},
    notes="The customer sends the signed order form if the board approves (prospect-owned, "
          "conditional send_contract); 'I'll do my best to…'; 'I won't send … until'; the rep "
          "voicing the controller's task; 'you'll have the updated quote in your inbox tonight'.",
    next_steps_agreed=True,
    script="""
TB: Hi Angela, hi Victor. Happy Friday.
AR: Happy Friday. Let's get this done, shall we?
TB: Let's. So where we left it: fifty-two techs, Enterprise, two-year term.
VC: And the discount. We asked for fifteen percent.
TB: Right. I've got approval for ten. Fifteen needs my VP. {c:pricing:i:2026-12-15|I'll do my best to get you an answer on the fifteen by Tuesday}.
VC: Okay.
TB: And honestly, {n:send_contract|I won't send the final paperwork until the discount's settled}, no point sending it twice.
AR: Agreed. The board meets on the seventeenth. {c:send_contract:ec:2026-12-17|If they approve, I'll send over the signed order form that afternoon}.
TB: That would be fantastic.
VC: What do you need from us in the meantime?
TB: Just the W-9 and a PO number. {c:send_info:ep|So Victor, you'll send me the W-9 and the PO number}?
VC: Yep, Monday.
TB: Perfect. {c:pricing:i:2026-12-11|You'll have the updated quote in your inbox tonight} at ten percent, so you've got something to take to the board.
AR: Good.
TB: Great, thanks both.
""",
))

MEETINGS.append(dict(
    id="mtg_own_009", title="Sunset Pool Service — demo", kind="demo",
    start="2026-12-14T09:00:00-08:00", end="2026-12-14T09:45:00-08:00", tz="America/Los_Angeles",
    organizer="HS", sellers_extra=["RM"], company_id="co_own_sunset",
    prospects={"TA": ("Tony Alvarez", "tony@sunsetpoolservice.com"),
               "KN": ("Kim Nguyen", "kim@sunsetpoolservice.com")},
    notes="A quote requested by the prospect and confirmed with 'will do'; 'we're not ready to "
          "talk contracts'; a sandbox session promised for a colleague in the third person; "
          "'I'm going to connect you with…'.",
    next_steps_agreed=True,
    script="""
HS: Hi Tony, hi Kim. I've got Raj with me, he'll drive the demo.
RM: Hey folks.
TA: Hey. We only do pools, so don't show me HVAC stuff.
RM: [laughs] Noted. This is set up for a pool route company, weekly visits, about ten techs.
KN: Can it do recurring weekly visits with the chemical readings?
RM: It can. The tech logs chlorine and pH on the phone and it goes straight onto the customer's report.
KN: Oh, that's nice.
TA: Okay. {c:pricing:er:2026-12-16|So can you get us a quote for the spring season}? We ramp up to fourteen techs in March.
HS: Will do — by Wednesday.
TA: And look, {n:send_contract|we're not ready to talk contracts, so skip that for now}.
HS: Totally fine. {c:send_info:e|I'll send you the recording of today} so your techs can see it too.
KN: I'd love to play with it myself.
HS: Sure. {c:schedule_meeting:e|Raj will set up a sandbox session with you next week}, Kim.
RM: Yep, happy to.
TA: Do you work with anyone else in pools around here? I'd like to talk to them.
HS: We do — {c:intro:e|I'm going to connect you with the owner of Blue Wave in Irvine}, they switched last year.
TA: Great.
HS: Thanks both!
""",
))

MEETINGS.append(dict(
    id="mtg_own_010", title="Redline Plumbing — next steps", kind="negotiation",
    start="2026-12-16T11:00:00-05:00", end="2026-12-16T11:30:00-05:00", tz="America/New_York",
    organizer="PN", company_id="co_own_redline",
    prospects={"OC": ("Owen Castillo", "owen@redlineplumbing.com")},
    notes="The rep sends the order form and the prospect sends it back signed (the same words, "
          "different owners); 'let's not book … until after'; 'by the fifteenth' said in December "
          "means January; the rep voicing the prospect's intro.",
    next_steps_agreed=True,
    script="""
PN: Hi Owen! Good to see you again. Hannah not joining?
OC: She's at the Easton yard today. She says hi.
PN: Hi Hannah. So, you've had the demo, you've seen the numbers. {q|Where's your head at?}
OC: We want to do it. My brother's on board. The only question is timing.
PN: Great to hear. {q|What's the concern on timing?}
OC: January's our slow month, so that's good for training, but {n:schedule_meeting|let's not book the kickoff until after New Year's}, everyone's on holiday.
PN: Totally. So, paperwork-wise, {c:send_contract:e:2026-12-17|I'll send over the order form tomorrow morning}.
OC: Sounds good. Does it include the second yard?
PN: Not yet — {c:pricing:i|let me get you a revised quote with the Easton yard included} first, so the order form's right.
OC: Okay. And {c:send_contract:e:2027-01-15|I'll have the signed copy back to you by the fifteenth}.
PN: Perfect. {c:intro:ep|And you'll loop in your bookkeeper for the QuickBooks piece}?
OC: Yeah, will do.
PN: Amazing. Happy holidays, Owen.
""",
))

MEETINGS.append(dict(
    id="mtg_own_011", title="Summit Garage Doors — check-in", kind="discovery",
    start="2026-12-07T12:00:00-07:00", end="2026-12-07T12:15:00-07:00", tz="America/Denver",
    organizer="CJ", company_id="co_own_summit",
    prospects={"BO": ("Brett Olsen", "brett@summitgaragedoors.com")},
    notes="The prospect pauses: 'no need to send the proposal', a declined case study; the rep "
          "follows up in February; the prospect's conditional promise to get the demo back on.",
    next_steps_agreed=False,
    script="""
CJ: Hey Brett, thanks for hopping on.
BO: Yeah, hey, sorry, I gotta be quick. Look, we're gonna have to push this.
CJ: No worries at all. {q|What's changed?}
BO: My wife's dad is in the hospital, so she's out, and I'm running everything. I just can't deal with a new system right now.
CJ: I'm really sorry to hear that. Of course.
BO: So {n:send_proposal|no need to send the proposal}, I won't have time to read it.
CJ: Understood. {n:send_info|Want me to send the Pine Valley case study anyway}, for whenever you're ready?
BO: Nah, honestly, I'd just lose it.
CJ: Fair enough. {c:follow_up_call:e|I'll give you a shout in February} and see how things are.
BO: Yeah, that works. {c:schedule_meeting:ec|If things calm down after the holidays, I'll reach out to get the demo back on the calendar}.
CJ: Sounds good. Take care of yourself, Brett.
BO: Thanks, Carla.
""",
))

MEETINGS.append(dict(
    id="mtg_own_012", title="Thamesbridge Facilities — implementation planning", kind="technical_review",
    start="2026-12-17T15:00:00+00:00", end="2026-12-17T15:45:00+00:00", tz="Europe/London",
    organizer="EF", sellers_extra=["KI"], company_id="co_own_thamesbridge",
    prospects={"TR": ("Tom Reilly", "tom.reilly@thamesbridge.co.uk"),
               "GW": ("Graham Whitlock", "graham.whitlock@thamesbridge.co.uk")},
    notes="'Not a problem — I'll send…'; the customer's IT colleague sends firewall rules "
          "(prospect-owned delegation); a project plan requested and confirmed; the rep has a "
          "colleague book check-ins; a kickoff booked 'as soon as' the signed form arrives "
          "(conditional); 'I'll chase legal' promises none of the seven intents.",
    next_steps_agreed=True,
    script="""
EF: Hi Tom, hi Graham. This is Kavya, who'll run your implementation.
KI: Hello both, looking forward to it.
TR: Likewise. I've got a list of questions from the engineers.
KI: Perfect, that's what I'm here for.
TR: First, the mobile app on older Android phones — some of ours are five years old.
KI: Android 9 and up is supported. Not a problem — {c:send_info:e|I'll send you the full device list after the call}, so you can check yours.
TR: Great. Second, our firewall's quite locked down.
KI: We need three domains allowed, that's all.
GW: {c:send_info:e|I'll ask Deepak, our IT chap, to send you the current firewall rules}, he'll know what's open.
KI: That would help.
TR: And could you {c:send_info:er|send us a draft project plan before Christmas}?
EF: Yes, absolutely.
EF: And {c:schedule_meeting:e|I'll get Kavya to book weekly check-ins with Tom} from January.
GW: And the order form?
EF: {c:schedule_meeting:ec|As soon as the signed form comes in, I'll book the kickoff for the week of the eleventh}.
GW: Good. I'll chase legal.
EF: Brilliant. Thanks both.
""",
))

# ---------------------------------------------------------------------------------------------
# mtg_own_013 … 020: a check set written after the structural detector passed 001 … 012, and
# scored once before any rule was changed for it (figures in tests/it/score.rs), so the gain on
# 001 … 012 can be told from fitting.

SELLERS.update({
    "AW": ("Alex Whitford", "alex.whitford@brightlane.io", "u_own_alex"),
    "DN": ("Dana Novak", "dana.novak@brightlane.io", "u_own_dana"),
    "GO": ("Grace Okonkwo", "grace.okonkwo@brightlane.io", "u_own_grace"),
    "SM": ("Sean Murphy", "sean.murphy@brightlane.io", "u_own_sean"),
})

MEETINGS.append(dict(
    id="mtg_own_013", title="Cobalt Roofing — discovery", kind="discovery",
    start="2026-12-01T09:00:00-05:00", end="2026-12-01T09:30:00-05:00", tz="America/New_York",
    organizer="AW", company_id="co_own_cobalt",
    prospects={"RW": ("Rita Walsh", "rita@cobaltroofing.com"),
               "JP": ("Jerome Pike", "jerome@cobaltroofing.com")},
    notes="Check set. 'Expect an email from me', 'you'll get the deck from me', a prospect "
          "colleague referred to as 'she', 'happy to' without a subject.",
    next_steps_agreed=True,
    script="""
AW: Morning Rita, morning Jerome. How's the weather treating you up there?
RW: Wet. Which for roofers means the phone doesn't stop.
AW: I bet. {q|So tell me, what does a typical storm week look like for your crews?}
JP: Chaos. We get two hundred leak calls in three days and I'm scheduling off sticky notes.
AW: Okay. And the estimates — {q|who builds those today?}
RW: Our estimator, Carmen. She's out on a roof right now, otherwise she'd be here.
AW: No worries. Would it help to see how other roofers handle storm surges?
RW: Yeah, definitely.
AW: Great — {c:send_info:e:2026-12-01|expect an email from me this afternoon with two short case studies}, both roofing companies around your size.
JP: Cool.
RW: And {c:send_info:e|Carmen will send you a couple of our estimate templates} so you can see what we do now.
AW: Perfect, that helps a lot. {c:send_info:e:2026-12-07|You'll get the deck from me by Monday} too, the one I was sharing.
JP: Can we talk price at some point?
AW: Absolutely. {c:pricing:i|Happy to put together a rough quote} once I know crew counts.
JP: Twelve crews, three to four guys each.
AW: Got it, that's enough for a ballpark.
RW: {n:send_proposal|We're not looking for a formal proposal yet}, just a ballpark.
AW: Understood, ballpark it is.
""",
))

MEETINGS.append(dict(
    id="mtg_own_014", title="Ironwood Elevators — security and legal", kind="technical_review",
    start="2026-12-09T13:00:00-06:00", end="2026-12-09T14:00:00-06:00", tz="America/Chicago",
    organizer="DN", company_id="co_own_ironwood",
    prospects={"PS": ("Paula Singh", "psingh@ironwoodelevators.com"),
               "MK": ("Mark Keller", "mkeller@ironwoodelevators.com")},
    notes="Check set. 'follow up with', 'circle back with', 'make sure you have', a legal team "
          "turning redlines around, a conditional on legal's review, a prospect-side "
          "procurement team.",
    next_steps_agreed=True,
    script="""
DN: Thanks both. Paula, I know you've got the security questions and Mark the contract side.
PS: Right. First — SSO. We're on Okta.
DN: Okta's fully supported, SAML and SCIM. {c:send_info:i|I'll make sure you have the Okta setup guide before the end of the week}.
PS: Great. And data retention — how long do you keep job photos?
DN: Seven years by default, configurable per customer. {c:send_info:e|I'll follow up with the retention policy in writing} so you've got it for your file.
MK: On the contract — we sent our paper over last week.
DN: Yes, thank you. {c:send_contract:e:2026-12-11|Our legal team will turn the redlines around by Friday}.
MK: Good. And {c:send_info:e|our procurement team will send over the vendor setup form} this week.
DN: Perfect. Anything on pricing you need from me?
MK: Just confirm the multi-year discount.
DN: {c:pricing:e|We'll circle back with the multi-year numbers} after I talk to my finance lead.
PS: And for the rollout, {c:schedule_meeting:ec|once legal's done we'll want a kickoff with your implementation team}.
DN: Absolutely.
MK: Last thing, please don't send the order form to our CEO directly, it has to come through procurement.
DN: Noted, everything goes to procurement.
""",
))

MEETINGS.append(dict(
    id="mtg_own_015", title="Bluebird Cleaning — demo follow-up", kind="demo",
    start="2026-12-04T11:00:00-08:00", end="2026-12-04T11:30:00-08:00", tz="America/Los_Angeles",
    organizer="GO", company_id="co_own_bluebird",
    prospects={"TM": ("Tessa Moreno", "tessa@bluebirdclean.com")},
    notes="Check set. 'Any chance you could…' answered 'for sure'; an offer ('should I loop "
          "in…') declined; 'let's wait on…'; 'I'll ping you with some times'; a promise "
          "restated vaguely in the same turn.",
    next_steps_agreed=True,
    script="""
GO: Hi Tessa! Thanks for coming back for round two.
TM: Of course. The team liked the demo. The scheduling part especially.
GO: Love to hear it. {q|What questions came up after?}
TM: Mostly about the mobile app. Any chance you could {c:send_info:er|send over a short video of the checklist feature}? My supervisors want to see it.
GO: For sure.
TM: And honestly, I'd want to talk to another cleaning company that uses it.
GO: Totally. {n:intro|Should I loop in our customer success lead to set that up}?
TM: No, not necessary — if you can just give me a name, I'll reach out myself.
GO: Sure thing. {c:intro:e|I'll get you a contact at Sparkle Pro} in Portland, they're great.
TM: Thanks. And {n:pricing|let's wait on pricing until January}, our budget resets then.
GO: That works. {c:schedule_meeting:e|I'll ping you with some times for a call in early January}.
TM: Sounds good.
GO: Great. I'll get that over today, and {c:send_info:e:2026-12-04|I'll send the checklist video this afternoon} as well.
TM: Perfect.
""",
))

MEETINGS.append(dict(
    id="mtg_own_016", title="Harlow & Sons Electrical — negotiation", kind="negotiation",
    start="2026-12-14T10:00:00+00:00", end="2026-12-14T10:45:00+00:00", tz="Europe/London",
    organizer="SM", company_id="co_own_harlow",
    prospects={"NH": ("Nick Harlow", "nick@harlowandsons.co.uk"),
               "BE": ("Beth Evans", "beth.evans@harlowandsons.co.uk")},
    notes="Check set. A business case 'I'd be happy to put together'; the prospect running it "
          "past the board and sending the signed form 'if they're happy' (conditional); the rep "
          "voicing 'you'll send me the engineer list, yeah?'; 'write up a summary and send it'.",
    next_steps_agreed=True,
    script="""
SM: Morning Nick, morning Beth. Good weekend?
NH: Too short. Right, let's talk numbers.
SM: Let's. So you've seen the two options. {q|Which one's closer to what you need?}
NH: The three-year one, but the board's going to want to see the savings laid out.
SM: That's fair. {c:send_proposal:i|I'd be happy to put together a business case for the board} with your own figures in it.
BE: That would help me a lot, actually.
SM: Brilliant. For that {c:send_info:ep:2026-12-16|you'll send me the engineer list and the van count by Wednesday, yeah}?
BE: Yes, I can do that.
NH: The board meets on the twenty-second. {c:send_contract:ec:2026-12-22|If they're happy, we'll send the signed order form back that same day}.
SM: Perfect. And {c:send_info:e|I'll write up a summary of today and send it round} to both of you.
NH: Good.
SM: One more thing — {n:send_contract|I won't send the final contract until Beth's numbers are in}, so it's right first time.
NH: Makes sense.
""",
))

MEETINGS.append(dict(
    id="mtg_own_017", title="Greenfield Lawn Care — first call", kind="discovery",
    start="2026-12-02T14:00:00-07:00", end="2026-12-02T14:20:00-07:00", tz="America/Denver",
    organizer="CJ", company_id="co_own_greenfield",
    prospects={"WL": ("Wade Lin", "wade@greenfieldlawn.com")},
    notes="Check set. Casual phone call: 'gonna', 'lemme', 'I'll text you', a request 'can I get "
          "a copy of…' answered 'yeah, of course', a 'no rush' that is not a negation.",
    next_steps_agreed=True,
    script="""
CJ: Hey Wade, Carla here from Brightlane. Got a sec?
WL: Yeah, I got like fifteen minutes.
CJ: Perfect. So you're doing lawn care and snow removal, right?
WL: Yep, lawn in the summer, plowing in the winter. Fourteen trucks.
CJ: Nice. {q|How are you routing the plow trucks when a storm comes in?}
WL: Honestly? I call the guys at four a.m. and tell 'em where to go.
CJ: Yikes. Okay, so no rush at all, but {c:send_info:i|lemme send you a quick video of our storm dispatch board} so you can see what I mean.
WL: Sure. Can I get a copy of the {c:pricing:er|pricing too}?
CJ: Yeah, of course.
WL: Cool.
CJ: And {c:follow_up_call:e|I'm gonna give you a buzz after the next snow} to see how it went.
WL: Ha, sure. And {c:send_info:e|I'll text you my office manager's number}, she does the billing.
CJ: Perfect.
""",
))

MEETINGS.append(dict(
    id="mtg_own_018", title="Northbay Fire Protection — QBR", kind="qbr",
    start="2026-12-10T15:00:00-08:00", end="2026-12-10T16:00:00-08:00", tz="America/Los_Angeles",
    organizer="HS", company_id="co_own_northbay",
    prospects={"CR": ("Carlos Ruiz", "cruiz@northbayfire.com"),
               "AL": ("Amy Lowe", "alowe@northbayfire.com")},
    notes="Check set. A customer sets up a meeting with their VP (prospect-owned "
          "schedule_meeting); 'she'll' on the rep side; an expansion quote 'by the 18th'; a "
          "declined training offer; an intro by the customer to a partner.",
    next_steps_agreed=True,
    script="""
HS: Hi Carlos, hi Amy. I've got our support lead, Jo, joining later — she's stuck on another call.
CR: No problem.
HS: So the big news is inspections — you're now doing ninety percent of them on the app.
AL: The inspectors love the photo markup. Our compliance audits are way faster.
HS: That's great. {q|Where's it still clunky?}
AL: Reporting. The monthly compliance report still takes me a day.
HS: Okay. {c:send_info:e|Jo will send you the new report builder guide} — {n:schedule_meeting|do you want us to set up a training session on it too}?
AL: Nah, the guide's enough, I'll figure it out.
CR: We're also opening the Sacramento branch in March. Eight more inspectors.
HS: Congratulations! {c:pricing:e:2026-12-18|I'll have an expansion quote to you by the 18th}.
CR: Good. And {c:schedule_meeting:e|I'll get our VP of operations on a call with you in January}, she'll want to hear the roadmap.
HS: That would be great.
AL: Oh, and {c:intro:e|I'll connect you with the folks at Sierra Sprinkler}, they've been asking me what we use.
HS: Wow, thank you!
""",
))

MEETINGS.append(dict(
    id="mtg_own_019", title="Atlas Appliance Repair — pricing call", kind="negotiation",
    start="2026-12-07T16:00:00-05:00", end="2026-12-07T16:30:00-05:00", tz="America/New_York",
    organizer="TB", company_id="co_own_atlas",
    prospects={"OD": ("Omar Diallo", "omar@atlasrepair.com")},
    notes="Check set. Deferrals and refusals dominate: 'I can't do fifteen percent', 'we'd "
          "rather not sign anything before Q1'; a hedged 'I'll see if I can get you…'; a "
          "prospect promise to send the contract redlines 'early next week'.",
    next_steps_agreed=True,
    script="""
TB: Hey Omar. Thanks for making time so late in the day.
OD: No worries. Look, I'll be straight with you, the price is the sticking point.
TB: Understood. {q|What number did you have in mind?}
OD: Fifteen percent off, and we'd want monthly billing.
TB: {n:pricing|I can't do fifteen percent on a one-year}. On a two-year I've got more room.
OD: Two years is a big commitment for us.
TB: I hear you. {c:pricing:i|I'll see if I can get you monthly billing on the one-year} — no promises, but I'll push for it.
OD: Okay. And {n:send_contract|we'd rather not sign anything before Q1} anyway.
TB: That's fine. In the meantime, {c:send_contract:e|I'll send over the standard agreement} so your lawyer can get a head start.
OD: Sure. {c:send_contract:e|I'll get you our redlines early next week}.
TB: Great.
""",
))

MEETINGS.append(dict(
    id="mtg_own_020", title="Meridian Property Services — implementation kickoff", kind="technical_review",
    start="2026-12-15T09:00:00+00:00", end="2026-12-15T10:00:00+00:00", tz="Europe/London",
    organizer="EF", sellers_extra=["KI"], company_id="co_own_meridian",
    prospects={"LC": ("Lucy Chambers", "lucy.chambers@meridianps.co.uk"),
               "DF": ("Dev Fernandes", "dev.fernandes@meridianps.co.uk")},
    notes="Check set. Several promises in one turn; a promise made on behalf of someone named "
          "who is in the meeting; 'I was going to send…' (already done); 'we'll need…' "
          "(an obligation, not a promise); a recap that restates.",
    next_steps_agreed=True,
    script="""
EF: Morning both, and welcome aboard officially.
LC: Thank you. We're excited, and a little nervous.
KI: Totally normal. Let's start with data migration.
DF: We've got about nine thousand jobs in the old system. We'll need a way to bring those across.
KI: We do that. {c:send_info:e|I'll send you the import template today}, and {c:schedule_meeting:e|I'll book a session with Dev to walk through the mapping} next week.
DF: Great.
LC: And training for the engineers — we've got forty of them across three depots.
EF: {c:schedule_meeting:e|Kavya's going to put together a training schedule and send invites} for January.
KI: Yep.
LC: I was going to send you our depot addresses, actually — I did that yesterday, didn't I?
EF: You did, thank you.
DF: {c:send_info:e:2026-12-18|I'll send over the user list with everyone's roles by Friday}.
EF: Perfect. {x|So, import template today, mapping session next week, training invites for January, and the user list from Dev by Friday}.
LC: That's it.
""",
))

# ---------------------------------------------------------------------------------------------
# mtg_own_021 … 028: a second check set, written after the detector passed 001 … 020 and scored
# once before any rule was changed for it.

SELLERS.update({
    "LR": ("Liam Ross", "liam.ross@brightlane.io", "u_own_liam"),
    "ZA": ("Zara Ahmed", "zara.ahmed@brightlane.io", "u_own_zara"),
    "BK": ("Ben Kowalski", "ben.kowalski@brightlane.io", "u_own_ben"),
})

MEETINGS.append(dict(
    id="mtg_own_021", title="Kestrel Gas Services — discovery", kind="discovery",
    start="2026-12-03T10:00:00+00:00", end="2026-12-03T10:45:00+00:00", tz="Europe/London",
    organizer="LR", company_id="co_own_kestrel",
    prospects={"SB": ("Siobhan Byrne", "siobhan@kestrelgas.co.uk")},
    notes="Check set 2. British phrasing: 'send it across', 'drop you a line', 'whip up a "
          "quote', 'leave it with me'; 'if you could send…, that'd be great' without a question "
          "mark; 'don't worry about…'.",
    next_steps_agreed=True,
    script="""
LR: Hiya Siobhan, thanks for taking the time.
SB: No bother. I've got about half an hour.
LR: Lovely. {q|So how are you lot managing the gas safety certificates at the moment?}
SB: Paper, mostly. The lads fill in a CP12 pad and the office types it up. It's a nightmare at renewal time.
LR: I can imagine. We do digital CP12s that go straight to the landlord. {c:send_info:e|I'll send a sample certificate across after the call} so you can see the layout.
SB: That'd be good. {c:send_info:er|If you could send the landlord portal bit as well}, that'd be great.
LR: Will do.
SB: And pricing — roughly?
LR: Depends on engineers. {q|How many have you got?}
SB: Nineteen, plus two apprentices.
LR: Right. Leave it with me, {c:pricing:i|I'll whip up a quote for nineteen and the two apprentices}.
SB: Grand. Oh, and {n:intro|don't worry about putting me in touch with other customers}, I know a couple of firms using you already.
LR: Ha, fair enough. {c:follow_up_call:e|I'll drop you a line next week} once you've had a look.
SB: Sounds good.
""",
))

MEETINGS.append(dict(
    id="mtg_own_022", title="Summit Mechanical — demo recap", kind="demo",
    start="2026-12-08T13:00:00-07:00", end="2026-12-08T13:45:00-07:00", tz="America/Denver",
    organizer="ZA", sellers_extra=["BK"], company_id="co_own_summitmech",
    prospects={"GT": ("Greg Torres", "gtorres@summitmech.com"),
               "HL": ("Holly Lam", "hlam@summitmech.com")},
    notes="Check set 2. 'you should hear from our onboarding team', a colleague 'from our side' "
          "booking a workshop, 'let me see what I can do on price', a prospect getting back "
          "with a decision (not one of the seven intents), 'hold fire on the proposal'.",
    next_steps_agreed=True,
    script="""
ZA: Thanks for sticking around after the demo, both.
GT: Sure. It looked good. Holly's got some questions on the accounting side.
HL: Yeah, we're on Sage Intacct.
BK: We've got a Sage Intacct connector. It syncs invoices and payments both ways.
HL: Okay, I'd want to see the field mapping before anything else.
BK: Totally. {c:schedule_meeting:e|Tom from our integrations team will reach out to book a mapping workshop with you}.
HL: Great.
GT: On price, we're a bit above what we budgeted.
ZA: Understood. {c:pricing:i|Let me see what I can do on price} — if we went annual, there's usually some room.
GT: Okay. {n:send_proposal|We're going to hold fire on the formal proposal} until we've seen the workshop, though.
ZA: Makes sense. In the meantime {c:send_info:e|you should hear from our onboarding team by Monday} with a sample project plan.
GT: Good. And we'll get back to you with a decision by the twentieth.
ZA: Perfect.
""",
))

MEETINGS.append(dict(
    id="mtg_own_023", title="Pacific Tree Care — check-in", kind="discovery",
    start="2026-12-11T15:00:00-08:00", end="2026-12-11T15:20:00-08:00", tz="America/Los_Angeles",
    organizer="HS", company_id="co_own_pacifictree",
    prospects={"MO": ("Marco Oliveri", "marco@pacifictreecare.com")},
    notes="Check set 2. A declined question-offer ('would a case study help?' 'not really'); "
          "'I wouldn't send it just yet'; the rep's 'can you do me a favour and send…' confirmed (prospect-owned); "
          "'I'll shoot over an invite'.",
    next_steps_agreed=True,
    script="""
HS: Hey Marco, quick check-in before the holidays.
MO: Hey. Yeah, we're still interested, just swamped with storm cleanup.
HS: Totally understand. {n:send_info|Would a case study from another tree service help}?
MO: Not really, honestly. I need to see it with our own jobs.
HS: Fair. Can you do me a favour and {c:send_info:ep|send me an export of last month's jobs}? I'll load them into a sandbox.
MO: Yeah, can do.
HS: And the proposal — {n:send_proposal|I wouldn't send it just yet}, I'd rather it reflect your real volumes.
MO: Agreed.
HS: {c:schedule_meeting:e|I'll shoot over an invite for the second week of January} so we can walk through the sandbox together.
MO: Perfect.
""",
))

MEETINGS.append(dict(
    id="mtg_own_024", title="Riverside HVAC — final negotiation", kind="negotiation",
    start="2026-12-16T09:30:00-05:00", end="2026-12-16T10:15:00-05:00", tz="America/New_York",
    organizer="AW", company_id="co_own_riverside",
    prospects={"EH": ("Ellen Hughes", "ehughes@riversidehvac.com"),
               "TK": ("Tom Kato", "tkato@riversidehvac.com")},
    notes="Check set 2. 'Provided the board signs off, I'll have the PO to you…' (prospect, "
          "conditional; a PO is paperwork for the order); 'unless something changes, I'll send "
          "the renewal paperwork on the 1st' (not conditional on anyone's decision); 'let's put "
          "the contract on ice' vs a later commitment; 'I'll get you sorted with…'.",
    next_steps_agreed=True,
    script="""
AW: Morning Ellen, morning Tom.
EH: Morning. We've got the board on Thursday.
AW: Great. {q|What do they need to see?}
TK: The final number and the contract.
AW: Okay. {c:send_contract:e:2026-12-17|I'll get the final contract over to you tomorrow}, with the two-year pricing we agreed.
EH: Good. {c:send_contract:ec|Provided the board signs off, I'll have the signed contract back to you the same week}.
AW: Fantastic.
TK: One thing — the data migration. We've got fifteen years of service history.
AW: {c:intro:e|I'll get you sorted with our migration lead, Priya} — she's done a lot of these.
TK: Great.
EH: And the existing maintenance contracts — we're mid-renewal on a few with our old vendor.
AW: {c:send_contract:e:2027-01-01|Unless something changes, I'll send the renewal paperwork for those on the 1st}, once we've got the migration plan.
EH: Okay.
""",
))

MEETINGS.append(dict(
    id="mtg_own_025", title="Blue Ridge Plumbing — intro", kind="discovery",
    start="2026-12-02T11:00:00-05:00", end="2026-12-02T11:30:00-05:00", tz="America/New_York",
    organizer="JO", company_id="co_own_blueridge",
    prospects={"KF": ("Kelly Foster", "kelly@blueridgeplumbing.com")},
    notes="Check set 2. Fillers and self-corrections ('I'll send — actually, let me get our SE "
          "to send…'); a promise stated as a plan ('my plan is to get you a proposal by "
          "Friday'); the prospect introducing a colleague next week.",
    next_steps_agreed=True,
    script="""
JO: Hi Kelly, thanks for hopping on.
KF: Hi! Sorry, I'm eating lunch at my desk.
JO: No problem at all. {q|So what prompted you to fill in the form?}
KF: Um, our dispatcher is retiring in March and, like, nobody else knows how her system works.
JO: Oh no. Okay, so knowledge capture is part of this.
KF: Exactly.
JO: So I'll send — actually, {c:send_info:e|let me get our solutions engineer to send you the dispatch setup checklist}, he'll do a better job than me.
KF: Ha, okay.
JO: And {c:send_proposal:e:2026-12-04|my plan is to get you a proposal by Friday}, so you can take it to the owners.
KF: That works. {c:intro:e|I'll introduce you to Barb, our dispatcher, next week}, she should be part of this.
JO: Amazing, thank you.
""",
))

MEETINGS.append(dict(
    id="mtg_own_026", title="Cornerstone Facilities — renewal", kind="renewal",
    start="2026-12-09T10:00:00-06:00", end="2026-12-09T10:30:00-06:00", tz="America/Chicago",
    organizer="NC", company_id="co_own_cornerstone",
    prospects={"RJ": ("Ray Jensen", "rjensen@cornerstonefm.com")},
    notes="Check set 2. The customer asks for the renewal terms and the rep answers with a "
          "promise of his own (annotated on the promise); 'we'll need you to…' is the "
          "prospect's obligation, not a promise; a call 'first thing in the new year'.",
    next_steps_agreed=True,
    script="""
NC: Hi Ray, thanks for making time for the renewal.
RJ: Sure. Can you send me the renewal terms in writing?
NC: Of course — {c:pricing:e:2026-12-11|I'll email you the renewal terms by Friday}, with the three-year option too.
RJ: Thanks. We'll probably add the Tulsa office.
NC: Great. We'll need you to confirm the user count for Tulsa before we finalise anything.
RJ: Sure, {c:send_info:i|I can get you that next week}.
NC: Perfect. {c:follow_up_call:e|I'll give you a call first thing in the new year} to wrap it up.
RJ: Sounds good.
""",
))

MEETINGS.append(dict(
    id="mtg_own_027", title="Halcyon Pools — demo", kind="demo",
    start="2026-12-15T10:00:00-08:00", end="2026-12-15T10:45:00-08:00", tz="America/Los_Angeles",
    organizer="GO", company_id="co_own_halcyon",
    prospects={"DW": ("Dee Washington", "dee@halcyonpools.com"),
               "PR": ("Pete Ramos", "pete@halcyonpools.com")},
    notes="Check set 2. Prospect-owned promises with rep-like intents: the prospect sets up the "
          "next meeting with their owner and sends their own contract template; a rep "
          "conditional 'if Pete's team likes it'; an offer accepted with 'yes please'.",
    next_steps_agreed=True,
    script="""
GO: Thanks for watching, both. {q|What stood out?}
DW: The route view. Pete's guys would love that.
PR: Yeah, if it works on the older iPads.
GO: It does, back to iPadOS 15. {c:send_info:i|Want me to send you the device compatibility list}?
PR: Yes please.
DW: We'd need to get our owner, Mr. Chen, to sign off on anything. {c:schedule_meeting:e|I'll set up a meeting with him for early January} and loop you in.
GO: Perfect.
DW: Also, we use our own service agreement for vendors. {c:send_contract:e|I'll send you our contract template} so your legal can look.
GO: Sounds good. {c:send_proposal:ec|If Pete's team likes the trial, I'll put a proposal together for all twelve routes}.
PR: Deal.
""",
))

MEETINGS.append(dict(
    id="mtg_own_028", title="Granite State Electric — technical call", kind="technical_review",
    start="2026-12-17T13:00:00-05:00", end="2026-12-17T13:45:00-05:00", tz="America/New_York",
    organizer="DN", company_id="co_own_granite",
    prospects={"FS": ("Frank Stone", "fstone@granitestateelectric.com"),
               "YL": ("Yuki Lee", "ylee@granitestateelectric.com")},
    notes="Check set 2. Several promises in one long turn; a question back ('you'll send the "
          "API keys, right?'); 'I'll need…' (no promise); 'I'll check with our IT director' "
          "(a promise to find out, as the DEV set reads 'let me check with our product team'); a "
          "'no worries, I'll…' pseudo-negation.",
    next_steps_agreed=True,
    script="""
DN: Thanks both. So today's about the integration with your ERP.
YL: Right. We're on Epicor. I'll need to see your API docs before I can say anything.
DN: No worries, {c:send_info:e:2026-12-17|I'll send the API reference over this afternoon}, and {c:schedule_meeting:e|I'll set up a call with our integration engineer} for early next week, and {c:send_info:e|I'll include the Epicor field mapping we did for another customer}.
YL: That's a lot, thanks.
DN: {c:send_info:ep|And you'll send over the sandbox API keys, right}?
YL: Yes, I'll generate them today.
FS: {c:send_info:i|I'll check with our IT director on the firewall side}.
DN: Great.
FS: And I'll need a copy of your insurance certificate for our vendor file.
DN: {c:send_info:e|I'll have our finance team email the certificate of insurance}.
FS: Thanks.
""",
))

# ---------------------------------------------------------------------------------------------
# mtg_own_029 … 036: a third check set, written after the detector passed 001 … 028 and scored
# once before any rule was changed for it.

SELLERS.update({
    "IV": ("Ivy Chen", "ivy.chen@brightlane.io", "u_own_ivy"),
    "MG": ("Matt Greene", "matt.greene@brightlane.io", "u_own_matt"),
})

MEETINGS.append(dict(
    id="mtg_own_029", title="Crestline Restoration — discovery", kind="discovery",
    start="2026-12-01T13:00:00-06:00", end="2026-12-01T13:40:00-06:00", tz="America/Chicago",
    organizer="IV", company_id="co_own_crestline",
    prospects={"JR": ("Jamal Reed", "jreed@crestlinerestoration.com")},
    notes="Check set 3. 'what I'm gonna do is…', 'I've made a note to send…', 'I owe you…', "
          "'consider it done' to a request, 'there's no need for a follow-up call'.",
    next_steps_agreed=True,
    script="""
IV: Hi Jamal, thanks for jumping on.
JR: Hey. So we do water and fire restoration, about thirty techs, and our job tracking is a mess.
IV: Got it. {q|Walk me through a typical water job from the first call.}
JR: Call comes in, we send a crew, they take moisture readings on paper, and then it's a fight with the insurance adjuster for weeks.
IV: Okay. So what I'm gonna do is {c:send_info:e|send you a couple of examples of our moisture mapping reports}, because adjusters love those.
JR: That'd help.
IV: And I've made a note to {c:pricing:e|send over pricing for thirty techs} too.
JR: Cool. {c:send_info:er|Could you also include something on the Xactimate integration}?
IV: Consider it done.
JR: And {n:follow_up_call|there's no need for a follow-up call} — just email me and I'll read it over the weekend.
IV: Works for me. So I owe you the reports, the pricing, and the Xactimate piece.
JR: Yep.
""",
))

MEETINGS.append(dict(
    id="mtg_own_030", title="Northwind Mechanical — legal and next steps", kind="negotiation",
    start="2026-12-09T11:00:00-05:00", end="2026-12-09T11:30:00-05:00", tz="America/New_York",
    organizer="MG", company_id="co_own_northwind",
    prospects={"SL": ("Sarah Lund", "slund@northwindmech.com"),
               "AP": ("Andre Pierce", "apierce@northwindmech.com")},
    notes="Check set 3. 'We can definitely have the paperwork to you by Monday'; the prospect "
          "'will get the DPA back to you signed'; 'should the numbers check out, I'll send the "
          "PO' (inverted conditional); 'let's not get ahead of ourselves with a contract' said "
          "by the prospect earlier in another context; 'I'm gonna go ahead and book…'.",
    next_steps_agreed=True,
    script="""
MG: Hi Sarah, hi Andre. Thanks for the time.
SL: Sure. Andre's our controller, he's got the numbers questions.
AP: Yeah. Before anything, {n:send_contract|let's not get ahead of ourselves with a contract} — I need to understand the implementation fee.
MG: Totally fair. The fee covers data migration, two onsite training days, and the first ninety days of support.
AP: Okay. That's reasonable if it's capped.
MG: It's capped. {c:send_contract:i:2026-12-14|We can definitely have the paperwork to you by Monday} with the cap spelled out.
SL: Good. And on our side, {c:send_contract:e|I'll get the DPA back to you signed} this week.
AP: {c:send_contract:ec|Should the numbers check out, I'll send the PO over} right after.
MG: Perfect. {c:schedule_meeting:e:2026-12-15|I'm gonna go ahead and book us thirty minutes next Tuesday} to walk through the paperwork together.
SL: Sounds good.
""",
))

MEETINGS.append(dict(
    id="mtg_own_031", title="Stonegate Property Maintenance — demo", kind="demo",
    start="2026-12-10T14:00:00+00:00", end="2026-12-10T14:45:00+00:00", tz="Europe/London",
    organizer="EF", company_id="co_own_stonegate",
    prospects={"RH": ("Rosie Hart", "rosie.hart@stonegatepm.co.uk"),
               "DM": ("Dan Morgan", "dan.morgan@stonegatepm.co.uk")},
    notes="Check set 3. An offer 'Can I send you the updated deck?' accepted with 'please'; "
          "'next step on our side is a proposal, which you'll have by Thursday'; the prospect "
          "'will ask our MD to join the next call'; a refused intro.",
    next_steps_agreed=True,
    script="""
EF: So that's the planned-maintenance calendar. {q|How does that compare with what you do now?}
RH: Night and day. We use a spreadsheet with conditional formatting that only Dan understands.
DM: It's a beautiful spreadsheet.
EF: [laughs] I'm sure. {c:send_info:i|Can I send you the updated deck}? It's got the planned-maintenance pages in it.
RH: Please.
EF: And the next step on our side is a proposal, {c:send_proposal:i:2026-12-17|which you'll have by Thursday next week}.
DM: Great. {c:schedule_meeting:e|I'll ask our MD to join the next call}, she signs off on anything over twenty grand.
EF: Perfect. {n:intro|Would it help if I introduced you to another housing maintenance firm}?
RH: Honestly no, we'd rather form our own view.
EF: Completely understand.
""",
))

MEETINGS.append(dict(
    id="mtg_own_032", title="Delta Fire & Safety — pricing", kind="negotiation",
    start="2026-12-14T09:00:00-08:00", end="2026-12-14T09:30:00-08:00", tz="America/Los_Angeles",
    organizer="HS", company_id="co_own_delta",
    prospects={"BN": ("Bill Nakamura", "bill@deltafiresafety.com")},
    notes="Check set 3. 'That's on me, I'll chase the quote' (a promise to get the quote to the "
          "customer); 'we don't need a proposal at this point'; a promise with its date in the "
          "next sentence; 'I'll loop back once I've talked to…'.",
    next_steps_agreed=True,
    script="""
HS: Hi Bill. So you had questions on the quote.
BN: Yeah, the quote I got was for the old tech count. We're at eleven now, not nine.
HS: Ah, that's on me. {c:pricing:e|I'll get you a corrected quote for eleven}. You'll have it tomorrow.
BN: Thanks. And {n:send_proposal|we don't need a full proposal at this point}, just the quote.
HS: Got it, quote only.
BN: I'll loop back once I've talked to my partner about the budget.
HS: Sounds good. {c:follow_up_call:e|I'll check in with you after the holidays} if I haven't heard.
BN: Fair.
""",
))

MEETINGS.append(dict(
    id="mtg_own_033", title="Lighthouse Security Systems — technical review", kind="technical_review",
    start="2026-12-16T10:00:00-05:00", end="2026-12-16T11:00:00-05:00", tz="America/New_York",
    organizer="NC", sellers_extra=["ML"], company_id="co_own_lighthouse",
    prospects={"GP": ("Gina Park", "gpark@lighthousesecurity.com"),
               "OW": ("Oscar White", "owhite@lighthousesecurity.com")},
    notes="Check set 3. A prospect request answered with the rep's own promise; 'action item "
          "for me: …'; an 'in case legal has questions, I'll set up a call with our counsel' "
          "(not a condition on a decision); a prospect's colleague named with 'from our IT'.",
    next_steps_agreed=True,
    script="""
NC: Thanks for joining, both. Mei's here for the technical side.
GP: Great. Can you send me your SOC 2 report?
ML: Sure, {c:send_info:e:2026-12-16|I'll send it over right after this call}.
GP: Thanks. And the pen test?
ML: Same email.
OW: We'll need SSO before we can roll out. {c:send_info:e|Kevin from our IT team will send you the Okta metadata}.
ML: Perfect.
NC: Action item for me: {c:intro:e|connect Gina with our customer reference at Beacon Alarm}.
GP: Appreciated.
NC: And {c:schedule_meeting:e|in case your legal team has questions, I'll set up a call with our counsel}.
OW: Good idea.
""",
))

MEETINGS.append(dict(
    id="mtg_own_034", title="Evergreen Landscapes — renewal", kind="renewal",
    start="2026-12-07T10:00:00-07:00", end="2026-12-07T10:30:00-07:00", tz="America/Denver",
    organizer="CJ", company_id="co_own_evergreen",
    prospects={"TN": ("Tina Novak", "tina@evergreenlandscapes.com")},
    notes="Check set 3. The customer sends references and a testimonial (prospect-owned "
          "send_info); 'I'd hold off on sending anything to procurement'; a rep promise hedged "
          "with 'hopefully'.",
    next_steps_agreed=True,
    script="""
CJ: Hi Tina, happy Monday.
TN: Ha, is it? Hi Carla.
CJ: So the renewal's coming up in February. {q|How's the year been with us?}
TN: Honestly really good. The crews use the app every day now.
CJ: That's great to hear. We're putting together a customer story series — would you be up for it?
TN: Sure, {c:send_info:e|I'll send you a short testimonial} and a couple of photos from the crews.
CJ: Amazing. On the renewal, {c:pricing:i|hopefully I'll have the new pricing to you before Christmas}.
TN: Okay. {n:send_contract|I'd hold off on sending anything to procurement} until I've seen the number.
CJ: Of course, it comes to you first.
""",
))

MEETINGS.append(dict(
    id="mtg_own_035", title="Bayview Plumbing & Heating — first call", kind="discovery",
    start="2026-12-03T09:30:00-08:00", end="2026-12-03T10:00:00-08:00", tz="America/Los_Angeles",
    organizer="GO", company_id="co_own_bayview",
    prospects={"AK": ("Amir Khan", "amir@bayviewph.com")},
    notes="Check set 3. The rep voices the prospect's task as 'you were going to send me…, "
          "right?'; a hypothetical 'if we went ahead we'd want a contract'; 'we'll get a "
          "proposal across to you'.",
    next_steps_agreed=True,
    script="""
GO: Hey Amir, thanks for the time.
AK: Sure thing.
GO: {q|So what's the biggest headache right now?}
AK: Dispatch. And honestly, if we went ahead with anything we'd want a month-to-month contract.
GO: Understood, we can do monthly. {c:send_proposal:i|We'll get a proposal across to you} with monthly and annual side by side.
AK: Good.
GO: {c:send_info:ep|And you were going to send me your current job volumes, right}?
AK: Yeah, I'll dig those out.
GO: Great. {c:schedule_meeting:e|I'll send over a couple of demo slots for next week} as well.
AK: Perfect.
""",
))

MEETINGS.append(dict(
    id="mtg_own_036", title="Keystone Elevators — implementation check", kind="technical_review",
    start="2026-12-17T14:00:00-06:00", end="2026-12-17T14:30:00-06:00", tz="America/Chicago",
    organizer="TB", company_id="co_own_keystoneelev",
    prospects={"LV": ("Laura Vance", "lvance@keystoneelevators.com")},
    notes="Check set 3. A promise introduced by 'I'll make sure our onboarding lead sends…'; "
          "'I'll be sending…'; a prospect promising a call with their field supervisors.",
    next_steps_agreed=True,
    script="""
TB: Hi Laura, quick implementation check.
LV: Hi. Things are mostly fine. The mechanics are slow to adopt the inspection forms.
TB: That's common in month one. {c:send_info:e|I'll make sure our onboarding lead sends you the adoption playbook}.
LV: That'd help.
TB: And {c:send_info:e:2026-12-18|I'll be sending the usage report tomorrow} so you can see who's logging in.
LV: Good. {c:schedule_meeting:e|I'll set up a call with our field supervisors} so you can talk to them directly.
TB: That would be great.
""",
))

# ---------------------------------------------------------------------------------------------
# mtg_own_037 … 044: a fourth check set, written after the detector passed 001 … 036 and scored
# once before any rule was changed for it.

SELLERS.update({
    "RK": ("Rachel Kim", "rachel.kim@brightlane.io", "u_own_rachel"),
    "MT": ("Mike Torres", "mike.torres@brightlane.io", "u_own_mike"),
})

MEETINGS.append(dict(
    id="mtg_own_037", title="Oakridge Mechanical — wrap-up", kind="demo",
    start="2026-12-02T15:00:00-05:00", end="2026-12-02T15:45:00-05:00", tz="America/New_York",
    organizer="RK", sellers_extra=["MT"], company_id="co_own_oakridge",
    prospects={"CW": ("Chris Walker", "cwalker@oakridgemech.com")},
    notes="Check set 4. Three new promises in one closing sentence, owned by three people on "
          "two sides; 'do you want the recording?' answered 'yes'.",
    next_steps_agreed=True,
    script="""
RK: That's the end of the demo. {q|What did you think?}
CW: Honestly better than I expected. The parts inventory piece is what we need.
RK: Great. Do you want the recording?
CW: Yes.
RK: Okay. So {c:send_info:e|I'll send the recording and the parts module one-pager}, {c:send_info:ep|you'll send us your current parts list}, and {c:schedule_meeting:e|Mike will book the onsite visit for January}.
CW: Sounds like a plan.
MT: I'll be in touch about dates.
CW: Great.
""",
))

MEETINGS.append(dict(
    id="mtg_own_038", title="Silverline Pest — pricing questions", kind="discovery",
    start="2026-12-08T12:00:00-06:00", end="2026-12-08T12:30:00-06:00", tz="America/Chicago",
    organizer="TB", company_id="co_own_silverline",
    prospects={"NG": ("Nora Garcia", "ngarcia@silverlinepest.com")},
    notes="Check set 4. 'I'll get back to you on that' (a promise to answer, as the DEV set "
          "reads 'let me check…'); 'let me know if you want me to send…' (no promise until "
          "they want it); a conditional on the prospect's own action.",
    next_steps_agreed=True,
    script="""
TB: Hi Nora. You had some questions from the team?
NG: Yeah. Does the app work in Spanish? Half our techs prefer it.
TB: Good question — I believe so, but {c:send_info:i|I'll get back to you on that} today.
NG: Okay. And can we pay quarterly?
TB: We usually do annual, but let me know if you want me to send the quarterly terms we've done before.
NG: Maybe later.
TB: Sure. {c:pricing:ec|If you send me the tech count by branch, I'll get the quote over the same day}.
NG: {c:send_info:e|I'll send that tomorrow}.
TB: Perfect.
""",
))

MEETINGS.append(dict(
    id="mtg_own_039", title="Highpoint Roofing — follow-up", kind="discovery",
    start="2026-12-10T10:00:00-07:00", end="2026-12-10T10:20:00-07:00", tz="America/Denver",
    organizer="CJ", company_id="co_own_highpoint",
    prospects={"PB": ("Paul Brooks", "pbrooks@highpointroofing.com")},
    notes="Check set 4. Negations in new words ('we're not going to need an intro', 'no "
          "proposal for now please', 'I don't think we need a call next week', 'let's skip the "
          "demo'); a request answered by 'sure thing, I'll get that to you'.",
    next_steps_agreed=False,
    script="""
CJ: Hi Paul. Just following up on last week.
PB: Yeah, hi. Look, we're still interested but the timing's tough.
CJ: Understood. {n:intro|Want me to set up that intro with the roofing company in Boulder}?
PB: {n:intro|We're not going to need an intro}, I know the owner already.
CJ: Ha, small world.
PB: And {n:send_proposal|no proposal for now please}, the partners aren't looking at anything till spring.
CJ: Got it. {n:schedule_meeting|I don't think we need a call next week} then.
PB: Probably not. Could you send over the insurance certificate though? Our office manager wants it on file.
CJ: Sure thing, {c:send_info:e|I'll get that to you this afternoon}.
PB: Thanks. And {n:schedule_meeting|let's skip the demo} for the partners until March.
CJ: Makes sense.
""",
))

MEETINGS.append(dict(
    id="mtg_own_040", title="Clearwater Pools — technical call", kind="technical_review",
    start="2026-12-11T09:00:00-08:00", end="2026-12-11T09:40:00-08:00", tz="America/Los_Angeles",
    organizer="HS", sellers_extra=["RM"], company_id="co_own_clearwater",
    prospects={"ED": ("Erin Doyle", "erin@clearwaterpools.com"),
               "SA": ("Sam Akers", "sam@clearwaterpools.com")},
    notes="Check set 4. 'I can have a draft over to you Friday'; the prospect's 'my assistant "
          "will reach out to schedule the onsite'; 'we'll get you the floor plans by end of "
          "week'; past tense 'Raj already sent…'.",
    next_steps_agreed=True,
    script="""
HS: Thanks both. Raj already sent the API docs last week, so today is about the rollout.
ED: Right. We've got three service areas. We'd want to roll out one at a time.
RM: That's how we usually do it. {c:send_info:i:2026-12-18|I can have a draft rollout plan over to you Friday}.
ED: Wait, today is Friday.
RM: [laughs] Next Friday, sorry.
SA: {c:schedule_meeting:e|My assistant will reach out to schedule the onsite}.
HS: Great.
ED: And {c:send_info:e:2026-12-11|we'll get you the floor plans for the warehouse by end of week}.
HS: Perfect, thank you.
""",
))

MEETINGS.append(dict(
    id="mtg_own_041", title="Mapleton HVAC — negotiation", kind="negotiation",
    start="2026-12-15T16:00:00-05:00", end="2026-12-15T16:30:00-05:00", tz="America/New_York",
    organizer="AW", company_id="co_own_mapleton",
    prospects={"JH": ("Joan Hill", "jhill@mapletonhvac.com")},
    notes="Check set 4. A rep promise said as 'you'll see a revised order form from me by "
          "Thursday'; a declined offer of a call with the CEO; 'we'd want…' (a wish); the "
          "prospect 'will circulate the proposal internally' (no promise to the rep).",
    next_steps_agreed=True,
    script="""
AW: Hi Joan. So, where did the team land on the proposal?
JH: They liked it. I'm going to circulate the proposal internally this week and we'd want a decision by the new year.
AW: That's great. On the term change you asked for — {c:send_contract:e:2026-12-17|you'll see a revised order form from me by Thursday}.
JH: Good.
AW: {n:schedule_meeting|Would it help to get a call with our CEO on the calendar}?
JH: No, that's not necessary.
AW: Understood.
JH: {c:send_info:e|I'll send you the list of sites to include} tonight.
AW: Thanks Joan.
""",
))

MEETINGS.append(dict(
    id="mtg_own_042", title="Sterling Fire — intro", kind="discovery",
    start="2026-12-04T10:30:00+00:00", end="2026-12-04T11:00:00+00:00", tz="Europe/London",
    organizer="LR", company_id="co_own_sterling",
    prospects={"OH": ("Owen Hughes", "owen.hughes@sterlingfire.co.uk")},
    notes="Check set 4. 'I'll pop a proposal in the post' (British); 'I'll get a date in the "
          "diary'; the prospect 'will ping over the tender document'; 'shall we say Tuesday?' "
          "(a question, then a promise).",
    next_steps_agreed=True,
    script="""
LR: Morning Owen.
OH: Morning. I've only got twenty minutes, sorry.
LR: No problem. {q|What's driving the review?}
OH: Our contract with the current supplier is up in April and it's going to tender.
LR: Okay, so timing matters. {c:send_info:e|I'll ping over our tender pack} so you've got the standard answers.
OH: Helpful. And {c:send_contract:e|I'll ping over the tender document} once it's published.
LR: Great. Shall we say Tuesday for a proper demo?
OH: Tuesday's fine.
LR: {c:schedule_meeting:e:2026-12-08|I'll get a date in the diary for Tuesday}.
OH: Cheers.
""",
))

MEETINGS.append(dict(
    id="mtg_own_043", title="Vantage Electrical — onboarding", kind="technical_review",
    start="2026-12-16T14:00:00+00:00", end="2026-12-16T14:30:00+00:00", tz="Europe/London",
    organizer="OG", company_id="co_own_vantage",
    prospects={"KB": ("Kate Bell", "kate.bell@vantage-electrical.co.uk")},
    notes="Check set 4. Reported speech ('Tom said he'd send…') is not a promise made here; "
          "'I'll chase Tom for it' (no promise to the other side of one of the seven); a "
          "customer promise to introduce their finance lead.",
    next_steps_agreed=True,
    script="""
OG: Hi Kate, how's onboarding going?
KB: Fine, mostly. Tom said he'd send the engineer list last week but I don't think he did.
OG: He didn't, no. I'll chase Tom for it.
KB: Thanks. Also, billing needs to go to our finance lead, not me. {c:intro:e|I'll introduce you to Hannah in finance} by email.
OG: Perfect. {c:send_info:e|I'll send you the onboarding checklist again} so you've got the latest version.
KB: Great.
""",
))

MEETINGS.append(dict(
    id="mtg_own_044", title="Redwood Garage Doors — check-in", kind="discovery",
    start="2026-12-09T08:30:00-08:00", end="2026-12-09T08:50:00-08:00", tz="America/Los_Angeles",
    organizer="GO", company_id="co_own_redwood",
    prospects={"VT": ("Vic Thompson", "vic@redwooddoors.com")},
    notes="Check set 4. 'Let me send you…' followed by 'actually, never mind' (retracted); "
          "'we could do a pilot' (a possibility, not a promise); 'I'll get you set up with a "
          "trial' (none of the seven intents).",
    next_steps_agreed=True,
    script="""
GO: Hi Vic! Quick check-in.
VT: Hey Grace.
GO: So we could do a pilot with two of your techs if that helps.
VT: Yeah, maybe.
GO: Let me send you the pilot outline — actually, never mind, I'll walk you through it now.
VT: Sure.
GO: So it's four weeks, two techs, and a review at the end. I'll get you set up with a trial account today.
VT: Cool.
GO: And {c:follow_up_call:e|I'll call you at the end of week two} to see how it's going.
VT: Sounds good.
""",
))

# ---------------------------------------------------------------------------------------------
# mtg_own_045 … 050: a fifth check set, written after the detector passed 001 … 044 and scored
# once before any rule was changed for it.

MEETINGS.append(dict(
    id="mtg_own_045", title="Pinnacle Plumbing — proposal review", kind="negotiation",
    start="2026-12-08T14:00:00-05:00", end="2026-12-08T14:30:00-05:00", tz="America/New_York",
    organizer="JO", company_id="co_own_pinnacle",
    prospects={"GH": ("Gary Holt", "gary@pinnacleplumbing.com"), "JN": ("Jenny Nash", "jenny@pinnacleplumbing.com")},
    notes="Check set 5. Fragments ('Proposal — you'll have it Thursday'), 'on it' and 'you got it' "
          "as confirmations, a delegation with two verbs, 'I'll follow up next week'.",
    next_steps_agreed=True,
    script="""
JO: Thanks both. So you've read the draft.
GH: We have. Couple of changes. Can you take out the GPS add-on and {c:send_proposal:er|send a revised version}?
JO: On it.
JN: And {c:send_info:er|could you send the onboarding timeline as well}?
JO: You got it.
GH: On our side, {c:send_info:e|I'll shoot Jenny a note and get her to send you the W-9}.
JN: Ha, yes, I'll do that.
JO: Perfect. Revised proposal — {c:send_proposal:i:2026-12-10|you'll have it Thursday}.
GH: Great.
JO: And {c:follow_up_call:e|I'll follow up next week} to see if there's anything else.
""",
))

MEETINGS.append(dict(
    id="mtg_own_046", title="Cascade Electric — kickoff planning", kind="technical_review",
    start="2026-12-10T11:00:00-08:00", end="2026-12-10T11:45:00-08:00", tz="America/Los_Angeles",
    organizer="HS", sellers_extra=["RM"], company_id="co_own_cascade",
    prospects={"PL": ("Pat Lim", "plim@cascade-electric.com")},
    notes="Check set 5. 'My colleague will send you the deck'; 'we'll be sending over the "
          "paperwork shortly'; 'can I get a copy of your current contract?' answered 'sure' "
          "(prospect-owned); 'we shouldn't book anything yet'; 'I'll make the intro'.",
    next_steps_agreed=True,
    script="""
HS: Hi Pat, I've got Raj here too.
PL: Hey both.
HS: So, before kickoff, {c:send_contract:ep|can I get a copy of your current contract with the old vendor}? We want to line up the cutover date.
PL: Sure.
RM: And {c:send_info:e|my colleague Dev will send you the integration deck} — he built the connector.
HS: {c:send_contract:i|We'll be sending over the paperwork shortly}, once finance has the final number.
PL: Good. Honestly {n:schedule_meeting|we shouldn't book the kickoff yet}, our fiscal year ends in two weeks.
HS: Makes sense. Oh, and you wanted to meet another electrical contractor using us — {c:intro:e|I'll make the intro} to the folks at Volt Brothers.
PL: Thanks!
""",
))

MEETINGS.append(dict(
    id="mtg_own_047", title="Oakmont HVAC — pricing follow-up", kind="negotiation",
    start="2026-12-14T15:00:00-06:00", end="2026-12-14T15:30:00-06:00", tz="America/Chicago",
    organizer="TB", company_id="co_own_oakmont",
    prospects={"RM2": ("Rosa Medina", "rosa@oakmonthvac.com")},
    notes="Check set 5. 'I'll circle back with the revised numbers' in a price discussion; "
          "'assuming procurement signs off, we'll book the kickoff' (prospect, conditional); "
          "'no rush on the proposal' is neither a promise nor a refusal of one.",
    next_steps_agreed=True,
    script="""
TB: Hi Rosa. You mentioned the per-seat price was the sticking point.
RM2: It is. We were hoping for something closer to sixty.
TB: Understood. {c:pricing:e|I'll circle back with the revised numbers} after I talk to my manager.
RM2: Okay. No rush on the proposal, by the way, we're not deciding until January.
TB: Good to know.
RM2: {c:schedule_meeting:ec|Assuming procurement signs off, we'll book the kickoff for the second week of January}.
TB: That works.
""",
))

MEETINGS.append(dict(
    id="mtg_own_048", title="Harbor Fire Systems — discovery", kind="discovery",
    start="2026-12-02T10:00:00-05:00", end="2026-12-02T10:30:00-05:00", tz="America/New_York",
    organizer="AW", company_id="co_own_harborfire",
    prospects={"SK": ("Sam Kerr", "skerr@harborfire.com")},
    notes="Check set 5. 'I'm not going to bother sending the deck'; 'let's hold the contract "
          "for now'; an offer declined with 'not yet'; 'I'll ping you next week'.",
    next_steps_agreed=True,
    script="""
AW: Hi Sam. I'll keep this short.
SK: Appreciated.
AW: {q|What made you take the call?}
SK: Our inspection reports are all paper and the fire marshal is on us about it.
AW: Got it. {n:send_info|I'm not going to bother sending the deck}, it's generic. {c:send_info:e|I'll send you a sample inspection report instead}.
SK: Better.
AW: {n:schedule_meeting|Should I set up time with your fire marshal liaison}?
SK: Not yet.
AW: Fine. And {n:send_contract|let's hold the contract for now} until you've seen the demo.
SK: Agreed.
AW: {c:follow_up_call:e|I'll ping you next week} about a demo slot.
SK: Sounds good.
""",
))

MEETINGS.append(dict(
    id="mtg_own_049", title="Linden Garage Doors — demo", kind="demo",
    start="2026-12-16T09:00:00-07:00", end="2026-12-16T09:40:00-07:00", tz="America/Denver",
    organizer="CJ", company_id="co_own_linden",
    prospects={"MA": ("Mia Alvarez", "mia@lindendoors.com")},
    notes="Check set 5. 'I can get the SOW over by Tuesday'; the prospect 'will have the PO "
          "over by month end if it's approved' (conditional, trailing); 'count on it' as a "
          "confirmation of 'you'll send the trial summary?'.",
    next_steps_agreed=True,
    script="""
CJ: That's the demo. {q|How did that land?}
MA: Really well. The route view is exactly what we need.
CJ: Great. {c:send_proposal:i:2026-12-22|I can get the SOW over by Tuesday}.
MA: Perfect. {c:send_contract:ec:2026-12-31|We'll have the PO over by month end if it's approved}.
CJ: Great. {c:send_info:ep|And you'll send me the trial summary from your dispatcher}?
MA: Count on it.
""",
))

MEETINGS.append(dict(
    id="mtg_own_050", title="Summit Ridge Pest — renewal", kind="renewal",
    start="2026-12-11T13:00:00-05:00", end="2026-12-11T13:30:00-05:00", tz="America/New_York",
    organizer="RK", company_id="co_own_summitridge",
    prospects={"DT": ("Dana Tate", "dtate@summitridgepest.com")},
    notes="Check set 5. A renewal quote asked for with 'any chance of…' and promised in the "
          "reply; 'I'll let you know' promises nothing of the seven; 'we'll get you squared away "
          "with a sandbox' neither.",
    next_steps_agreed=True,
    script="""
RK: Hi Dana, renewal time!
DT: Already? Okay. Any chance of seeing next year's pricing before the holidays?
RK: Definitely — {c:pricing:e:2026-12-18|I'll get the renewal quote to you by next Friday}.
DT: Thanks. I'll let you know if we're adding the Raleigh office.
RK: Great. And we'll get you squared away with a sandbox for the new team.
DT: Perfect.
""",
))

# ---------------------------------------------------------------------------------------------
# mtg_own_051 … 058: a sixth check set in messier speech (fillers, restarts, long turns),
# written after the detector passed 001 … 050 and scored once before any rule was changed.

MEETINGS.append(dict(
    id="mtg_own_051", title="Brookside Heating — discovery", kind="discovery",
    start="2026-12-01T10:00:00-05:00", end="2026-12-01T10:40:00-05:00", tz="America/New_York",
    organizer="PN", company_id="co_own_brookside",
    prospects={"WD": ("Walt Dunn", "walt@brooksideheating.com")},
    notes="Check set 6. Fillers and restarts around promises ('so, um, what I can do is…', "
          "'I'll — yeah, I'll get that over'), a prospect's 'I'll have to dig up…' (a promise "
          "to send), 'I'd probably want to…' (a wish).",
    next_steps_agreed=True,
    script="""
PN: Hi Walt, thanks for making time.
WD: Yeah, no problem. Um, so we're a small shop, twelve guys.
PN: Perfect size for us, honestly. {q|What's the biggest headache right now?}
WD: Probably, like, billing. The guys forget to write stuff down and we lose money.
PN: Yeah, that's super common. So, um, what I can do is {c:send_info:i|send you a quick video of how the techs log parts on the phone}, it takes like two minutes to watch.
WD: Sure, yeah.
PN: And honestly I'd probably want to get your office manager on the next call too.
WD: That's fine. She'll want to see the invoicing bit. Oh — and {c:send_info:e|I'll have to dig up our price book and send it over}, you'll need that for setup, right?
PN: Exactly, yeah. And the pricing — I'll — yeah, {c:pricing:e|I'll get that over to you tomorrow}, per tech, no surprises.
WD: Great.
""",
))

MEETINGS.append(dict(
    id="mtg_own_052", title="Rivera Roofing — pricing call", kind="negotiation",
    start="2026-12-03T13:00:00-06:00", end="2026-12-03T13:30:00-06:00", tz="America/Chicago",
    organizer="IV", company_id="co_own_rivera",
    prospects={"LR2": ("Luis Rivera", "luis@riveraroofing.com")},
    notes="Check set 6. A request confirmed with 'yeah, yeah, for sure, I'll do that' (the "
          "reply is a bare confirmation despite 'I'll do that'); 'we can work something out on "
          "price' (no promise of one of the seven); a prospect's 'let me talk to my partner and "
          "I'll get back to you' (not one of the seven: a decision).",
    next_steps_agreed=True,
    script="""
IV: So that's the quote. {q|How does it look?}
LR2: It's a bit more than we thought. Can you {c:pricing:er|send me a breakdown of what's in the implementation fee}?
IV: Yeah, yeah, for sure, I'll do that.
LR2: And honestly if we go annual, can you do better?
IV: We can work something out on price if you go annual.
LR2: Okay. Let me talk to my partner and I'll get back to you.
IV: Sounds good.
""",
))

MEETINGS.append(dict(
    id="mtg_own_053", title="Greenline Landscaping — check-in", kind="discovery",
    start="2026-12-09T11:00:00-07:00", end="2026-12-09T11:20:00-07:00", tz="America/Denver",
    organizer="CJ", company_id="co_own_greenline",
    prospects={"TF": ("Tara Fox", "tara@greenlinelandscaping.com")},
    notes="Check set 6. The rep voicing the prospect's task in a long sentence ('so on your end "
          "you're going to pull the crew list together and send it to me'); 'I'm going to go "
          "ahead and send you the contract' said by the rep; the prospect declining an intro "
          "with 'eh, maybe later'.",
    next_steps_agreed=True,
    script="""
CJ: Hi Tara. So, recap of where we are: you liked the demo, the crews tried the app, and the owners want numbers.
TF: Yep, that's it.
CJ: Great. {c:send_contract:e|I'm going to go ahead and send you the contract} so legal can start reading.
TF: Okay.
CJ: {c:send_info:ep|And so on your end, you're going to pull the crew list together and send it to me}, right?
TF: Yes, by Friday.
CJ: {n:intro|Want me to connect you with another landscaping customer}?
TF: Eh, maybe later.
""",
))

MEETINGS.append(dict(
    id="mtg_own_054", title="Metro Elevator Services — security review", kind="technical_review",
    start="2026-12-14T10:00:00-05:00", end="2026-12-14T11:00:00-05:00", tz="America/New_York",
    organizer="NC", sellers_extra=["ML"], company_id="co_own_metroelev",
    prospects={"HB2": ("Hugh Bishop", "hbishop@metroelevator.com")},
    notes="Check set 6. A long technical turn with a promise in the middle; 'we'll need to get "
          "you a BAA' (an obligation phrased as a promise: annotated as a contract promise); a "
          "conditional 'depending on what your auditor says'.",
    next_steps_agreed=True,
    script="""
HB2: So do you encrypt backups, and where do they live?
ML: Yes — backups are encrypted with separate keys, they live in a second region, and we test restores quarterly. {c:send_info:e|I'll send you the last restore test report} so you can see the numbers, and the retention settings are per customer.
HB2: Good. We're a healthcare contractor for some buildings, so we'd need a BAA.
NC: Right, {c:send_contract:i|we'll need to get you a BAA} then, our legal team has a standard one.
HB2: Okay.
NC: And {c:schedule_meeting:ec|depending on what your auditor says, we can set up a call with our security lead}.
HB2: That'd be useful.
""",
))

MEETINGS.append(dict(
    id="mtg_own_055", title="Coastal Pool Care — demo", kind="demo",
    start="2026-12-15T14:00:00-08:00", end="2026-12-15T14:45:00-08:00", tz="America/Los_Angeles",
    organizer="HS", company_id="co_own_coastal",
    prospects={"BR": ("Bree Ross", "bree@coastalpoolcare.com"), "KC": ("Kyle Chu", "kyle@coastalpoolcare.com")},
    notes="Check set 6. A prospect asking the rep to send something in an indirect way ('it "
          "would be great to get the slides') confirmed with 'definitely'; 'Kyle's going to set "
          "up a call with our accountant'; 'I'll shoot over a calendar invite'.",
    next_steps_agreed=True,
    script="""
HS: Any questions on what you saw?
BR: Not really. {c:send_info:er|It would be great to get the slides though}.
HS: Definitely.
BR: And {c:schedule_meeting:e|Kyle's going to set up a call with our accountant} about the QuickBooks sync.
KC: Yep, I'll loop her in.
HS: Perfect. {c:schedule_meeting:e|I'll shoot over a calendar invite for next Thursday} for the follow-up.
BR: Sounds good.
""",
))

MEETINGS.append(dict(
    id="mtg_own_056", title="Ironclad Doors — negotiation", kind="negotiation",
    start="2026-12-10T15:00:00+00:00", end="2026-12-10T15:30:00+00:00", tz="Europe/London",
    organizer="LR", company_id="co_own_ironclad",
    prospects={"NB": ("Nora Blake", "nora.blake@ironcladdoors.co.uk")},
    notes="Check set 6. British hedges ('I'll endeavour to get the revised quote over by "
          "Monday'); 'we won't be in a position to sign before January'; the prospect's "
          "'I'll pass your details on to our finance director' (an intro).",
    next_steps_agreed=True,
    script="""
LR: Thanks Nora. So where are we?
NB: Broadly happy. {n:send_contract|We won't be in a position to sign before January}, though.
LR: Understood. {c:pricing:i|I'll endeavour to get the revised quote over by Monday} so you have it in time.
NB: Lovely. {c:intro:e|I'll pass your details on to our finance director}, she'll want a word about payment terms.
LR: Brilliant, thank you.
""",
))

MEETINGS.append(dict(
    id="mtg_own_057", title="Alpine Fire — renewal", kind="renewal",
    start="2026-12-16T09:30:00-07:00", end="2026-12-16T10:00:00-07:00", tz="America/Denver",
    organizer="CJ", company_id="co_own_alpine",
    prospects={"OG2": ("Oscar Grant", "ogrant@alpinefire.com")},
    notes="Check set 6. 'The renewal paperwork will come from our ops team next week' (a "
          "promise with its subject after the verb); 'you should have the invoice by Friday' "
          "(the rep delivering).",
    next_steps_agreed=True,
    script="""
CJ: Hi Oscar, quick renewal chat.
OG2: Sure. Are the terms the same?
CJ: Same terms, three percent uplift as in the contract. {c:send_contract:e|The renewal paperwork will come from our ops team next week}.
OG2: Okay. And the invoice for the extra seats?
CJ: {c:send_info:e:2026-12-18|You should have the invoice by Friday}.
OG2: Thanks.
""",
))

MEETINGS.append(dict(
    id="mtg_own_058", title="Westbrook Electrical — discovery", kind="discovery",
    start="2026-12-17T11:00:00-05:00", end="2026-12-17T11:30:00-05:00", tz="America/New_York",
    organizer="AW", company_id="co_own_westbrook",
    prospects={"EP": ("Ella Pierce", "epierce@westbrookelectrical.com")},
    notes="Check set 6. A 'yes' that answers a question about the past ('did you send the "
          "deck?' 'yes') makes no promise; 'I'll have someone from our team reach out to "
          "schedule onboarding'; 'I'll forward you the case study Jamie mentioned'.",
    next_steps_agreed=True,
    script="""
AW: Hi Ella. Did Jamie send you the deck last week?
EP: Yes, he did.
AW: Great. {c:send_info:e|I'll forward you the case study Jamie mentioned} too, it's a contractor your size.
EP: Thanks.
AW: And if you decide to go ahead, {c:schedule_meeting:ec|I'll have someone from our team reach out to schedule onboarding}.
EP: Sounds good.
""",
))

# ---------------------------------------------------------------------------------------------
# mtg_own_059 … 066: a seventh check set (subjectless and present-tense promises, volitional
# forms, more ways of voicing the other side's task), written after the detector passed
# 001 … 058 and scored once before any rule was changed for it.

MEETINGS.append(dict(
    id="mtg_own_059", title="Northstar HVAC — demo wrap-up", kind="demo",
    start="2026-12-02T16:00:00-05:00", end="2026-12-02T16:30:00-05:00", tz="America/New_York",
    organizer="RK", company_id="co_own_northstar",
    prospects={"JB": ("Jake Barnes", "jake@northstarhvac.com")},
    notes="Check set 7. Subjectless promises ('Will send the recap tonight', 'Sending the "
          "invite now'), 'I'd like to send over a proposal by Friday' (volitional), 'you're "
          "getting me the tech count by Wednesday, right?' (the prospect's).",
    next_steps_agreed=True,
    script="""
RK: That's everything I wanted to show. Thoughts?
JB: Good stuff. The dispatch view is what we need.
RK: Great. {c:send_info:e:2026-12-02|Will send the recap tonight}, with the screenshots.
JB: Perfect.
RK: And {c:send_proposal:e:2026-12-04|I'd like to send over a proposal by Friday}, if that works for you.
JB: Yeah, that works.
RK: {c:send_info:ep:2026-12-09|And you're getting me the tech count by Wednesday, right}?
JB: Right.
RK: {c:schedule_meeting:e:2026-12-08|Sending the invite now} for next Tuesday's follow-up.
JB: Got it.
""",
))

MEETINGS.append(dict(
    id="mtg_own_060", title="Maple Leaf Plumbing — negotiation", kind="negotiation",
    start="2026-12-07T11:00:00-05:00", end="2026-12-07T11:30:00-05:00", tz="America/New_York",
    organizer="MG", company_id="co_own_mapleleaf",
    prospects={"CT": ("Carol Tan", "carol@mapleleafplumbing.com")},
    notes="Check set 7. 'I'm putting together the quote as we speak'; 'no sense sending a quote "
          "until…' (a look-alike); 'if you can get me the numbers, I'll have the proposal out "
          "the same day' (conditional on the prospect); 'our CFO's going to send the PO'.",
    next_steps_agreed=True,
    script="""
MG: Carol, thanks. So where do we stand?
CT: We're close. Our CFO wants to see the final number.
MG: Understood. {c:pricing:i|I'm putting together the quote as we speak}.
CT: Great. Though honestly, {n:pricing|there's no sense sending a quote until we know the tech count}.
MG: Fair point. {c:send_proposal:ec|If you can get me the numbers, I'll have the proposal out the same day}.
CT: Deal. And once it's signed off, {c:send_contract:ec|our CFO's going to send the PO}.
MG: Perfect.
""",
))

MEETINGS.append(dict(
    id="mtg_own_061", title="Blue Sky Electric — discovery", kind="discovery",
    start="2026-12-08T09:00:00-08:00", end="2026-12-08T09:30:00-08:00", tz="America/Los_Angeles",
    organizer="GO", company_id="co_own_bluesky",
    prospects={"RN": ("Ray Nolan", "ray@blueskyelectric.com")},
    notes="Check set 7. 'I want to get you the case study today' (volitional); 'Priya on my "
          "team will send…'; 'we're not at the proposal stage yet'; 'please don't set up "
          "anything with our CEO'.",
    next_steps_agreed=True,
    script="""
GO: Hi Ray! {q|What's prompting the search?}
RN: We're growing fast and dispatch is a mess.
GO: Got it. {c:send_info:i:2026-12-08|I want to get you the case study from Volt Co today}, they had the same growing pains.
RN: That'd help. But {n:send_proposal|we're not at the proposal stage yet}.
GO: Totally fine. {c:send_info:e|Priya on my team will send you the dispatch checklist} in the meantime.
RN: Okay. And {n:schedule_meeting|please don't set up anything with our CEO} just yet.
GO: Understood.
""",
))

MEETINGS.append(dict(
    id="mtg_own_062", title="Riverbend Roofing — proposal follow-up", kind="negotiation",
    start="2026-12-10T14:00:00-06:00", end="2026-12-10T14:30:00-06:00", tz="America/Chicago",
    organizer="TB", company_id="co_own_riverbend",
    prospects={"SH": ("Stan Hill", "stan@riverbendroofing.com")},
    notes="Check set 7. The prospect drafting the SOW on their side and sending it "
          "(prospect-owned send_proposal); 'by COB Thursday'; 'you said you'd send over the floor "
          "plan' (the prospect's task recalled by the rep).",
    next_steps_agreed=True,
    script="""
TB: Stan, good to see you.
SH: You too. So, our procurement team prefers to write the scope themselves. {c:send_proposal:e|We'll draft the SOW on our side and send it to you}.
TB: That works. {c:pricing:e:2026-12-10|I'll have pricing against it to you by COB Thursday}.
SH: Good.
TB: {c:send_info:ep|And you said you'd send over the floor plan for the warehouse}?
SH: Yep, still on my list.
""",
))

MEETINGS.append(dict(
    id="mtg_own_063", title="Harborview Pest — check-in", kind="discovery",
    start="2026-12-14T10:00:00-05:00", end="2026-12-14T10:20:00-05:00", tz="America/New_York",
    organizer="JO", company_id="co_own_harborview",
    prospects={"AG": ("Ana Gomez", "ana@harborviewpest.com")},
    notes="Check set 7. 'I wouldn't want you to send anything until we've talked internally' "
          "(a prospect's deferral); 'first thing tomorrow'; 'I'll get Marcus to put together the "
          "proposal'.",
    next_steps_agreed=True,
    script="""
JO: Hi Ana. Just checking in after the demo.
AG: Hi. {n:send_proposal|I wouldn't want you to send anything until we've talked internally}.
JO: Of course. When do you think that'll be?
AG: Next week, probably.
JO: Okay. {c:send_proposal:e|I'll get Marcus to put together the proposal} so it's ready when you are, and {c:send_info:e:2026-12-15|I'll send the references you asked for first thing tomorrow}.
AG: Thanks.
""",
))

MEETINGS.append(dict(
    id="mtg_own_064", title="Clearline Fire — technical", kind="technical_review",
    start="2026-12-15T13:00:00+00:00", end="2026-12-15T13:45:00+00:00", tz="Europe/London",
    organizer="EF", sellers_extra=["KI"], company_id="co_own_clearline",
    prospects={"MW": ("Mark Webb", "mark.webb@clearlinefire.co.uk")},
    notes="Check set 7. A question about the past answered 'yes' (no promise); 'before the "
          "20th'; 'we'll have that to you by end of day'; 'Kavya, can you send Mark the API "
          "keys?' asked of a colleague and answered 'will do' (the rep side's).",
    next_steps_agreed=True,
    script="""
MW: Did you get our network diagram?
KI: Yes, thanks, it came through.
MW: Good. We'd need the integration tested before the 20th.
EF: Understood. {c:send_info:e:2026-12-15|We'll have the test plan to you by end of day}.
MW: Great.
EF: Kavya, {c:send_info:e|can you send Mark the sandbox API keys}?
KI: Will do.
MW: Thanks both.
""",
))

MEETINGS.append(dict(
    id="mtg_own_065", title="Sunrise Garage Doors — renewal", kind="renewal",
    start="2026-12-16T10:00:00-07:00", end="2026-12-16T10:30:00-07:00", tz="America/Denver",
    organizer="CJ", company_id="co_own_sunrise",
    prospects={"DL": ("Dave Lowe", "dave@sunrisegaragedoors.com")},
    notes="Check set 7. 'I'm planning to send the renewal terms next week'; the prospect 'will "
          "set up the kickoff on our end'; 'once the budget's approved we'd send the PO' "
          "(conditional, 'we'd').",
    next_steps_agreed=True,
    script="""
CJ: Renewal's coming up in February, Dave.
DL: Right. We want to add the new branch.
CJ: Great. {c:pricing:i|I'm planning to send the renewal terms next week} with the branch included.
DL: Sounds good. {c:send_contract:ec|Once the budget's approved we'd send the PO} straight away.
CJ: Perfect. And for the new branch training?
DL: {c:schedule_meeting:e|I'll set up the kickoff on our end} and send you the details.
""",
))

MEETINGS.append(dict(
    id="mtg_own_066", title="Cornerstone Pools — first call", kind="discovery",
    start="2026-12-03T15:00:00-08:00", end="2026-12-03T15:30:00-08:00", tz="America/Los_Angeles",
    organizer="HS", company_id="co_own_cornerstonepools",
    prospects={"FR": ("Faith Reed", "faith@cornerstonepools.com")},
    notes="Check set 7. 'Gonna shoot you the deck after this' (subjectless, casual); 'so the "
          "ball's in your court on the route list' (the prospect's); an offer answered with a "
          "question, then accepted.",
    next_steps_agreed=True,
    script="""
HS: Thanks for the time, Faith. {c:send_info:e|Gonna shoot you the deck after this}.
FR: Great, thanks.
HS: {c:send_info:ep|So the ball's in your court on the route list}.
FR: Yep, I'll get to it.
HS: Would a reference call with another pool company help?
FR: Which one?
HS: Blue Wave in Irvine.
FR: Oh, yes, that would be great.
HS: {c:intro:e|I'll set that up}.
""",
))

# ---------------------------------------------------------------------------------------------
# mtg_own_067 … 072: an eighth check set (negation scope: double negatives, pseudo-negations,
# "can't promise, but…", "nobody's sending anything until…"; multi-party calls), written after
# the detector passed 001 … 066 and scored once before any rule was changed for it.

MEETINGS.append(dict(
    id="mtg_own_067", title="Keystone Mechanical — negotiation", kind="negotiation",
    start="2026-12-09T10:00:00-05:00", end="2026-12-09T10:45:00-05:00", tz="America/New_York",
    organizer="AW", sellers_extra=["MT"], company_id="co_own_keystonemech",
    prospects={"PS2": ("Paula Stone", "paula@keystonemech.com"), "RG": ("Rick Grant", "rick@keystonemech.com")},
    notes="Check set 8. 'I can't promise, but I'll try to get you a quote by Friday' (a hedged "
          "promise after a negated phrase); 'don't worry, I'll send it' (a pseudo-negation); "
          "'we won't need to send a new contract' (a look-alike); a colleague's interruption.",
    next_steps_agreed=True,
    script="""
AW: Thanks both. Mike's here from our pricing desk.
PS2: Hi Mike. So, the multi-year discount — can you go to twelve percent?
MT: {c:pricing:i:2026-12-11|I can't promise, but I'll try to get you a quote at twelve by Friday}.
RG: And the SOC 2 — we never got it.
AW: Don't worry, {c:send_info:e:2026-12-09|I'll send it this afternoon}.
PS2: Also, is there a new contract for the extra seats?
AW: No — {n:send_contract|we won't need to send a new contract}, the current one covers it.
RG: Good.
""",
))

MEETINGS.append(dict(
    id="mtg_own_068", title="Pacific Plumbing — legal hold", kind="negotiation",
    start="2026-12-11T12:00:00-08:00", end="2026-12-11T12:30:00-08:00", tz="America/Los_Angeles",
    organizer="HS", company_id="co_own_pacificplumbing",
    prospects={"TW": ("Tina Wu", "tina@pacificplumbing.com")},
    notes="Check set 8. 'Nobody's sending anything until legal's done' (a negation without I or "
          "we); 'I'm not saying we won't send a proposal, but…' (no promise either way); 'no, "
          "I'll send it myself' (a promise after 'no').",
    next_steps_agreed=True,
    script="""
HS: Where are we with legal, Tina?
TW: Still reviewing. {n:send_contract|Nobody's sending anything until legal's done}, sorry.
HS: Understood. And the proposal for the second location?
TW: I'm not saying we won't want one, but not this quarter.
HS: Got it. Should I ask your office manager for the site list?
TW: No, {c:send_info:e|I'll send it myself}, she's out this week.
HS: Thanks.
""",
))

MEETINGS.append(dict(
    id="mtg_own_069", title="Summit Security — three-way call", kind="technical_review",
    start="2026-12-14T09:00:00-07:00", end="2026-12-14T09:45:00-07:00", tz="America/Denver",
    organizer="CJ", sellers_extra=["SM"], company_id="co_own_summitsec",
    prospects={"LB": ("Lena Berg", "lena@summitsecurity.com"), "OT": ("Omar Tate", "omar@summitsecurity.com"), "JV": ("Jo Vance", "jo@summitsecurity.com")},
    notes="Check set 8. Five people; a promise interrupted and finished by the same speaker; a "
          "prospect committing a colleague who is present ('Jo will get you the floor plans'); "
          "'not only will I send the deck, I'll add the references'.",
    next_steps_agreed=True,
    script="""
CJ: Thanks everyone. Sean's on from our side for the technical questions.
SM: Hi all.
LB: Hi. So Omar has the integration questions and Jo handles facilities.
OT: Right. {c:send_info:er|Can we get the API rate limits in writing}?
SM: Yes — I'll —
LB: Sorry, go ahead.
SM: No worries. Yes, we can do that.
JV: For the site survey, {c:send_info:e|Jo will get you the floor plans} — that's me, sorry, I'm Jo.
CJ: [laughs] Perfect. {c:send_info:e|Not only will I send the deck, I'll add the references} you asked about.
LB: Great.
""",
))

MEETINGS.append(dict(
    id="mtg_own_070", title="Westfield Appliance — discovery", kind="discovery",
    start="2026-12-07T14:00:00-06:00", end="2026-12-07T14:30:00-06:00", tz="America/Chicago",
    organizer="NC", company_id="co_own_westfield",
    prospects={"HM": ("Hank Moss", "hank@westfieldappliance.com")},
    notes="Check set 8. The same words owned by each side in one call ('I'll send over the "
          "checklist' by the rep, 'I'll send over our checklist' by the prospect); a hedged "
          "'should have something over to you Monday'.",
    next_steps_agreed=True,
    script="""
NC: Hi Hank. {q|How do your techs handle warranty claims today?}
HM: Badly. There's a paper checklist nobody fills in.
NC: Okay. {c:send_info:e|I'll send over the warranty checklist we use} so you can compare.
HM: Sure, and {c:send_info:e|I'll send over our checklist} too, so you see the mess.
NC: Ha, perfect. On pricing, {c:pricing:i:2026-12-14|should have something over to you Monday}.
HM: Good.
""",
))

MEETINGS.append(dict(
    id="mtg_own_071", title="Lakeside Fire — renewal negotiation", kind="renewal",
    start="2026-12-16T15:00:00+00:00", end="2026-12-16T15:30:00+00:00", tz="Europe/London",
    organizer="OG", company_id="co_own_lakeside",
    prospects={"CF": ("Chloe Fry", "chloe.fry@lakesidefire.co.uk")},
    notes="Check set 8. 'I'd rather you didn't send the renewal to procurement yet' (a "
          "deferral); 'as and when the budget clears, we'll sign and return it' (conditional, "
          "prospect); 'leave it with me and I'll chase our billing team for the credit note' "
          "(a promise to get a document to the customer).",
    next_steps_agreed=True,
    script="""
OG: Chloe, thanks for making time.
CF: Of course. {n:send_contract|I'd rather you didn't send the renewal to procurement yet}.
OG: Understood, it'll come to you first.
CF: And {c:send_contract:ec|as and when the budget clears, we'll sign and return it}.
OG: Lovely. You mentioned the overcharge in October?
CF: Yes, we're owed a credit.
OG: Leave it with me and {c:send_info:i|I'll chase our billing team for the credit note}.
""",
))

MEETINGS.append(dict(
    id="mtg_own_072", title="Granite Peak Roofing — demo", kind="demo",
    start="2026-12-17T10:00:00-07:00", end="2026-12-17T10:40:00-07:00", tz="America/Denver",
    organizer="CJ", company_id="co_own_granitepeak",
    prospects={"BW": ("Bo Wells", "bo@granitepeakroofing.com")},
    notes="Check set 8. An offer accepted after a clarifying question; 'I'll get you a login "
          "for the sandbox' (none of the seven); 'we'll circle back after the holidays' "
          "(a follow-up call).",
    next_steps_agreed=True,
    script="""
CJ: That's the estimating module. {q|How does it compare?}
BW: Way faster than ours.
CJ: {c:send_info:i|Want me to send you a sample estimate}?
BW: From a roofing job?
CJ: Yep, a real one, anonymised.
BW: Sure, that'd be great.
CJ: And I'll get you a login for the sandbox too.
BW: Cool.
CJ: {c:follow_up_call:i|We'll circle back after the holidays} to see how the team likes it.
""",
))

# ---------------------------------------------------------------------------------------------
# mtg_own_073 … 075: a ninth check set of long calls dense with first-person futures that
# promise nothing ("I'll be honest", "let me share my screen", "you'll see here", "we'll need
# to…", "I can tell you…"), written after the detector passed 001 … 072 and scored once before
# any rule was changed for it.

MEETINGS.append(dict(
    id="mtg_own_073", title="Evergreen Mechanical — demo", kind="demo",
    start="2026-12-08T13:00:00-05:00", end="2026-12-08T14:00:00-05:00", tz="America/New_York",
    organizer="PN", sellers_extra=["SR"], company_id="co_own_evergreenmech",
    prospects={"DG": ("Diane Gold", "diane@evergreenmech.com"), "TC": ("Tony Cruz", "tony@evergreenmech.com")},
    notes="Check set 9. A long demo: many in-meeting futures ('let me share my screen', 'you'll "
          "see here', 'I'll show you', 'I'll be honest', 'we'll need to', 'I can tell you'), and "
          "four real promises.",
    next_steps_agreed=True,
    script="""
PN: Hi Diane, hi Tony. Sofia's with me today. Let me share my screen and we'll dive in.
DG: Sounds good.
SR: So this is the dispatch board. You'll see here each tech is a row, and jobs are colour-coded by type.
TC: Okay. Can it show parts on the truck?
SR: It can. I'll show you that in a second. Let me just pull up a job first.
DG: While she does that — I'll be honest, our last vendor overpromised on mobile.
PN: I hear that a lot. I can tell you our app works offline, and I'll let Sofia prove it.
SR: [laughs] No pressure. So, here's the truck inventory. You'll notice the low-stock warning.
TC: Nice. We'll need to think about how the warehouse feeds that.
SR: Yeah, you'd set that up in the warehouse module. We'll get into that later.
DG: What about reporting for the owners?
PN: Good question. Let me ask you this first — who looks at reports today?
DG: Me, every Monday, in Excel.
PN: Got it. {c:send_info:e|I'll send you a sample owner's report after this} so you can compare.
DG: Great.
TC: And I'd want to see the parts module on a real truck.
SR: We can do that. {c:schedule_meeting:e|I'll set up a ride-along demo with one of your techs} next week.
TC: Perfect.
PN: On pricing, I'll need to know truck counts first. {c:send_info:ep|You'll send me the fleet list, right}?
DG: Yes, I'll have Tony pull it.
PN: Great. And {c:send_proposal:e:2026-12-11|I'll have a proposal to you by Friday} once we've got it.
DG: Thanks, both.
""",
))

MEETINGS.append(dict(
    id="mtg_own_074", title="Riverside Plumbing — discovery", kind="discovery",
    start="2026-12-10T11:00:00-06:00", end="2026-12-10T11:45:00-06:00", tz="America/Chicago",
    organizer="TB", company_id="co_own_riversideplumbing",
    prospects={"EM": ("Eli Marsh", "eli@riversideplumbing.com")},
    notes="Check set 9. A long discovery call: 'I'll tell you what', 'we'll see', 'I'll take that "
          "back to the team', 'I'll let you go', 'let me think', 'you'll love this' — and two "
          "real promises, one of them the prospect's.",
    next_steps_agreed=True,
    script="""
TB: Eli, thanks for the time. I'll keep it to forty minutes.
EM: Appreciated.
TB: {q|So walk me through how a job gets scheduled today.}
EM: Customer calls, we write it on the board, I text the plumber.
TB: Okay. I'll tell you what, that's the most common setup we see.
EM: Yeah, it works until it doesn't.
TB: [laughs] Right. {q|What happens on a busy Monday?}
EM: Chaos. We'll see how this winter goes, but last year was rough.
TB: Understood. Let me think about how that maps to our board… you'll love this, actually, the board reshuffles when a job runs long.
EM: That would help.
TB: {q|Who else is involved in a decision like this?}
EM: My wife does the books. I'll take that back to her, she'll have opinions.
TB: Of course. {c:send_info:e|I'll send you a two-minute video of the reshuffle} so you can show her.
EM: Good. And {c:send_info:e|I'll send you last winter's call log} so you can see the volume.
TB: Perfect. I'll let you go, I know you've got a truck waiting.
EM: Thanks.
""",
))

MEETINGS.append(dict(
    id="mtg_own_075", title="Hilltop Fire — negotiation", kind="negotiation",
    start="2026-12-15T10:00:00+00:00", end="2026-12-15T10:40:00+00:00", tz="Europe/London",
    organizer="EF", company_id="co_own_hilltop",
    prospects={"RS": ("Ruth Sands", "ruth.sands@hilltopfire.co.uk")},
    notes="Check set 9. A negotiation dense with non-promises ('we can definitely support that', "
          "'I'll admit', 'we'll have to see', 'you'll find', 'I'd have to check') and two "
          "promises, one conditional.",
    next_steps_agreed=True,
    script="""
EF: Ruth, lovely to see you again.
RS: Likewise. Let's talk numbers.
EF: Of course. So you've had the order form. {q|How did it land?}
RS: The per-engineer rate is fine. The implementation fee is the problem.
EF: I'll admit it's on the high side for a team your size.
RS: We'll have to see what the board thinks, but I'd like it halved.
EF: I'd have to check with my director before I say yes to that.
RS: Understood.
EF: You'll find most customers recoup it in the first quarter, but I take the point.
RS: And we need quarterly billing.
EF: We can definitely support that.
RS: Good.
EF: {c:pricing:e:2026-12-17|I'll come back to you on the implementation fee by Thursday}.
RS: Fine. {c:send_contract:ec|If the fee comes down, I'll get the order form signed and back to you before Christmas}.
EF: Wonderful.
""",
))

# Check set 10 (session 12): natural phrasing written before any rule change for it — "I'm
# going to loop in", "why don't I", "I'll cc", "I'll have our legal team send", "let me
# check with product and come back to you", "I'll get you some time with", filler-laden
# speech, and hedged look-alikes ("I could throw it in", "I might give you a call").

MEETINGS.append(dict(
    id="mtg_own_076", title="Northgate Dental — follow-up", kind="demo",
    start="2026-12-08T14:00:00-08:00", end="2026-12-08T14:20:00-08:00", tz="America/Los_Angeles",
    organizer="ML", company_id="co_own_northgate",
    prospects={"SH": ("Samir Haddad", "samir@northgatedental.com"),
               "LP": ("Lucy Park", "lucy@northgatedental.com")},
    notes="Check set 10. 'I'll get the … over to you today', 'I'm going to loop in', the "
          "prospect pulling a number, a 'why don't I …' offer accepted, two refusals.",
    next_steps_agreed=True,
    script="""
ML: Hi Samir, hi Lucy — thanks for hopping back on.
SH: Sure. We've only got twenty minutes, patients at three.
ML: Totally. Last time you asked about the reminder texts. {q|Did you get a chance to talk it over?}
LP: We did. The texts are the whole reason we're looking.
ML: Great. So, first thing — {c:send_info:e:2026-12-08|I'll get the HIPAA one-pager over to you today}, since that came up.
SH: Good, our compliance person will ask.
ML: And {c:intro:e|I'm going to loop in Dana from our onboarding team} so she can answer the migration questions directly.
LP: That'd be helpful. Our data's in Dentrix.
ML: Dana's done a bunch of those. {q|Roughly how many patients are in there?}
LP: About nine thousand active. {c:send_info:e|I'll pull the exact number and email it to you}.
ML: Perfect.
SH: On cost — {n:pricing|I'm not asking for a quote yet}, I want to see it working first.
ML: Makes sense. {c:schedule_meeting:e:2026-12-10|Why don't I set up a sandbox walkthrough for Thursday}, and we'll talk numbers after.
SH: Thursday's fine.
ML: {n:send_proposal|I won't bother you with a formal proposal until you've seen it}.
LP: Appreciated.
ML: Alright, {x|so: one-pager today, Dana on email, sandbox Thursday}.
SH: Sounds right.
""",
))

MEETINGS.append(dict(
    id="mtg_own_077", title="Copperline Electric — pricing", kind="negotiation",
    start="2026-12-09T09:00:00-05:00", end="2026-12-09T09:25:00-05:00", tz="America/New_York",
    organizer="RM", company_id="co_own_copperline",
    prospects={"GR": ("Gina Russo", "gina@copperlineelectric.com")},
    notes="Check set 10. A reworked quote 'in your inbox tomorrow morning', an option offered and "
          "declined, 'I'll cc Phil', legal sending the MSA on the rep's behalf, a 'let's touch "
          "base' agreed.",
    next_steps_agreed=True,
    script="""
RM: Morning Gina.
GR: Morning Raj. Coffee's kicking in, go for it.
RM: So, you wanted the numbers for the crew of fourteen. {q|Still fourteen?}
GR: Sixteen now, we hired two apprentices.
RM: Nice. Then {c:pricing:e:2026-12-10|I'll rework the quote for sixteen seats and have it in your inbox tomorrow morning}.
GR: Good. {q|Does that include the inventory add-on?}
RM: It can. {n:pricing|I could throw it in as an option}, but honestly you might not need it yet.
GR: Leave it off for now.
RM: Will do. {q|What does sign-off look like on your side?}
GR: Me and our controller, Phil. {c:intro:e|I'll cc Phil on my reply so you've got him}.
RM: Great. And {c:send_contract:e|I'll have our legal team send over the MSA for Phil to review} this week.
GR: Okay. {n:send_contract|We're not signing anything before January though}.
RM: Understood. {c:follow_up_call:e:2026-12-16|Let's touch base again next Wednesday}, same time?
GR: Works.
""",
))

MEETINGS.append(dict(
    id="mtg_own_078", title="Baywater Logistics — demo recap", kind="demo",
    start="2026-12-10T15:00:00+00:00", end="2026-12-10T15:40:00+00:00", tz="Europe/London",
    organizer="OG", company_id="co_own_baywater",
    prospects={"FA": ("Femi Adeyemi", "femi.adeyemi@baywaterlogistics.co.uk"),
               "RS": ("Rachel Stein", "rachel.stein@baywaterlogistics.co.uk")},
    notes="Check set 10. 'dig out … and send them across', 'let me check with product and come "
          "back to you tomorrow', 'I'll connect you with', a proposal given up, the prospect's "
          "route data 'by the end of next week' and a price 'once I've got the route data' (a "
          "time, as in 073: waiting on data, not on a decision).",
    next_steps_agreed=True,
    script="""
OG: Right, that's the demo. {q|What did you make of it?}
FA: Impressed with the routing. Less sure about the driver app.
OG: Fair. {c:send_info:e|I'll dig out the driver app release notes and send them across} — there's a big update in January.
RS: {q|Can the driver app work without signal?} Half our routes are rural.
OG: Good question, and I don't want to guess. {c:send_info:e:2026-12-11|Let me check with product and come back to you tomorrow}.
RS: Thanks.
FA: We'd also want to speak to a customer who runs refrigerated vans.
OG: {c:intro:e|I'll connect you with Harbour Foods}, they run about forty reefers.
FA: Perfect.
OG: {n:send_proposal|I was going to put a proposal together, but it sounds like it's a bit early}.
FA: It is. {c:send_info:e:2026-12-18|We'll get you our route data by the end of next week}, and then you can price it properly.
OG: Brilliant. {c:pricing:e|Once I've got the route data, I'll come back with pricing}.
RS: Great.
""",
))

MEETINGS.append(dict(
    id="mtg_own_079", title="Pinecrest HVAC — renewal", kind="renewal",
    start="2026-12-14T13:00:00-06:00", end="2026-12-14T13:30:00-06:00", tz="America/Chicago",
    organizer="HS", company_id="co_own_pinecrest",
    prospects={"WK": ("Walt Kowalski", "walt@pinecresthvac.com")},
    notes="Check set 10. Filler-laden speech ('so the invoicing thing, um, I'll get you some "
          "time with'), a proposal 'you'll have it by Friday', a refusal to sign, a request "
          "answered 'yeah, of course', a forwarded complaint, a hedged call.",
    next_steps_agreed=True,
    script="""
HS: Hey Walt, you there? I think you're on mute.
WK: Sorry, sorry. Yeah, I'm here.
HS: No worries. So, renewal's coming up in February. {q|How's the year been with the platform?}
WK: Good, mostly. The techs like it. The office, uh, less so with the invoicing.
HS: Okay, yeah, that's — so the invoicing thing, um, {c:schedule_meeting:e|I'll get you some time with our billing specialist}, she can go through the new batch invoicing.
WK: Sure, that'd be good.
HS: And, uh, {c:send_proposal:e:2026-12-18|I'll put together a renewal proposal with the batch invoicing in it, you'll have it by Friday}.
WK: Okay. I mean, {n:send_contract|I'm not gonna sign anything till I've talked to my partner}.
HS: Of course. Totally.
WK: {c:send_info:er|Could you send me what we paid this year, line by line}? I don't have it handy.
HS: Yeah, of course, no problem.
WK: Thanks. And, uh, {c:send_info:e|I'll forward you the complaint from the office} so you can see what they mean.
HS: Perfect, that'd help.
HS: {n:follow_up_call|I might give you a call after the holidays}, see how the partner conversation went.
WK: Sounds good.
""",
))

# Check set 11 (session 12): past and habitual look-alikes ("I sent the deck last week",
# "we usually send"), a request answered by a delivery ("you'll have it Friday"), the
# prospect delegating to their IT person, "put a hold on your calendar", "happy to … if
# that's useful" accepted, "leave it with me".

MEETINGS.append(dict(
    id="mtg_own_080", title="Greenfield Landscaping — discovery", kind="discovery",
    start="2026-12-07T10:00:00-05:00", end="2026-12-07T10:30:00-05:00", tz="America/New_York",
    organizer="JO", company_id="co_own_greenfield",
    prospects={"MT": ("Marco Testa", "marco@greenfieldlandscaping.com")},
    notes="Check set 11. Past and habitual sends are not promises; a request for a quote "
          "answered 'you'll have it Friday'; the prospect's IT person to send a diagram.",
    next_steps_agreed=True,
    script="""
JO: Hi Marco, Jasmine here. Thanks for taking the call.
MT: Sure thing.
JO: {n:send_info|I sent the overview deck last week}, {q|did you get a chance to look?}
MT: I skimmed it. Looked fine.
JO: Great. {q|What's the crew size these days?}
MT: Thirty in summer, twelve in winter.
JO: Got it. {n:send_contract|We usually send a contract only after the pilot}, so no paperwork today.
MT: Good. Can you get me a quote for the winter crew by Friday?
JO: Absolutely, {c:pricing:e:2026-12-11|you'll have it Friday}.
MT: And our systems are a bit of a tangle. {c:send_info:e|I'll get our IT guy to send you a diagram of what we run}.
JO: That'd help a lot.
JO: {c:schedule_meeting:e:2026-12-15|I'll put a hold on your calendar for Tuesday the fifteenth} for the demo.
MT: Fine by me.
""",
))

MEETINGS.append(dict(
    id="mtg_own_081", title="Ashford Roofing — technical review", kind="technical_review",
    start="2026-12-09T16:00:00+00:00", end="2026-12-09T16:45:00+00:00", tz="Europe/London",
    organizer="KI", company_id="co_own_ashford",
    prospects={"PD": ("Peter Doyle", "peter.doyle@ashfordroofing.co.uk"),
               "NW": ("Nadia Wright", "nadia.wright@ashfordroofing.co.uk")},
    notes="Check set 11. 'Happy to set up a call with our CTO if that's useful' accepted; "
          "'leave it with me' before a promise; a 'did you get the …' about a past send; a "
          "conditional price after finance.",
    next_steps_agreed=True,
    script="""
KI: Thanks both. {q|Did you get the API docs I sent on Monday?}
NW: We did. Peter had questions about the webhooks.
PD: Mainly retries. {q|What happens if our endpoint is down?}
KI: We retry with backoff for a day. {c:schedule_meeting:i|Happy to set up a call with our CTO} if that's useful, he built it.
PD: That'd be great, actually.
NW: {q|And single sign-on?} We use Okta.
KI: Supported. Leave it with me — {c:send_info:e:2026-12-10|I'll send over the Okta setup guide tomorrow}.
NW: Thanks.
PD: {n:send_info|You don't need to send the security pack again}, we have it.
KI: Noted. On price, {c:pricing:ec|I'll circle back with the numbers once our finance team signs off on the discount}.
NW: Okay.
""",
))

MEETINGS.append(dict(
    id="mtg_own_082", title="Meridian Pest Control — proposal review", kind="negotiation",
    start="2026-12-11T11:00:00-07:00", end="2026-12-11T11:30:00-07:00", tz="America/Denver",
    organizer="NC", company_id="co_own_meridian",
    prospects={"CF": ("Carol Fisher", "carol@meridianpest.com")},
    notes="Check set 11. The prospect's 'I'll run it past our owner' (a decision, not a "
          "promise), 'expect the revised proposal from me Monday', 'I'll shoot over a calendar "
          "invite', the prospect returning the signed order form conditionally.",
    next_steps_agreed=True,
    script="""
NC: Carol, thanks for making time. {q|Where did you land on the proposal?}
CF: It's close. The onboarding fee is the sticking point. {n:send_info|I'll run it past our owner}, but he'll balk at that number.
NC: Understood. {q|If we split the fee across the first three months, would that help?}
CF: It might.
NC: Then {c:send_proposal:e:2026-12-14|expect the revised proposal from me Monday} with the fee spread out.
CF: Okay.
NC: And {c:schedule_meeting:e|I'll shoot over a calendar invite} for you, me and the owner next week.
CF: Sure. {c:send_contract:ec|If he's happy with the split, I'll send the signed order form straight back}.
NC: Perfect.
""",
))

MEETINGS.append(dict(
    id="mtg_own_083", title="Lakeside Pools — check-in", kind="qbr",
    start="2026-12-16T09:00:00-06:00", end="2026-12-16T09:30:00-06:00", tz="America/Chicago",
    organizer="MB", company_id="co_own_lakeside",
    prospects={"DR": ("Donna Reyes", "donna@lakesidepools.com")},
    notes="Check set 11. A customer check-in: 'I'll make sure you get', 'I'm gonna have Sam "
          "from support reach out', a prospect promise 'I'll dig that up for you', and "
          "'we'll probably want another session in the spring' (not a promise).",
    next_steps_agreed=True,
    script="""
MB: Morning Donna. {q|How's the season been treating you?}
DR: Slow, it's winter. Good time to fix the reporting though.
MB: Right. You mentioned the route report was off.
DR: Yeah, the drive times are wrong.
MB: {c:send_info:e|I'm gonna have Sam from support reach out about the drive times}, he fixed the same thing for another customer.
DR: Great.
MB: And {c:send_info:e|I'll make sure you get the new reporting guide} before the holidays.
DR: Thanks. {q|Do you have the invoice from October?} Our bookkeeper can't find it.
MB: I don't have it to hand. {q|Do you have the invoice number?}
DR: Somewhere. {c:send_info:e|I'll dig that up for you}.
MB: Perfect. {n:schedule_meeting|We'll probably want another session in the spring}.
DR: Probably.
""",
))

# Check set 12 (session 12): follow-ups by email, "get back to you on", statements of work,
# "let me see what I can do on price", "I'll talk to my boss and get back to you" (a decision,
# not a promise), three-person calls with a colleague of the rep's.

MEETINGS.append(dict(
    id="mtg_own_084", title="Harborview Property — scoping", kind="discovery",
    start="2026-12-15T15:00:00-05:00", end="2026-12-15T15:45:00-05:00", tz="America/New_York",
    organizer="NC", company_id="co_own_harborview",
    prospects={"LM": ("Laura Mendez", "laura.mendez@harborviewpm.com"),
               "GT": ("Gary Tan", "gary.tan@harborviewpm.com")},
    notes="Check set 12. 'I'll follow up with an email summarising', 'get back to you on the "
          "API limits', the prospect's 'I'll talk to my boss and get back to you' (a decision), "
          "a colleague's statement of work, 'circle back in the new year'.",
    next_steps_agreed=True,
    script="""
NC: Thanks both. {q|What's driving the search right now?}
LM: We manage about four hundred units and the maintenance requests come in by text, email, phone, you name it.
GT: And nobody knows who's on what.
NC: Got it. {q|And the vendors you dispatch to, are they in-house or contractors?}
GT: Mostly contractors. {q|Can your system handle outside vendors?}
NC: It can, with a vendor portal. {c:send_info:e|I'll get back to you on the API limits} for the portal, since you mentioned the integration.
LM: Good. {n:send_info|I'll talk to my boss and get back to you} on timing.
NC: Of course. {c:send_info:e:2026-12-15|I'll follow up with an email summarising what we covered today}.
GT: Please.
NC: And {c:send_proposal:e|our services team will put together a statement of work} for the vendor portal setup.
LM: That would help us budget.
NC: {c:follow_up_call:e:2027-01-05|Let's circle back in the new year, say the fifth}?
GT: Works for us.
""",
))

MEETINGS.append(dict(
    id="mtg_own_085", title="Eastside Electrical — negotiation", kind="negotiation",
    start="2026-12-16T10:00:00-08:00", end="2026-12-16T10:30:00-08:00", tz="America/Los_Angeles",
    organizer="ML", company_id="co_own_eastside",
    prospects={"FR": ("Frank Russo", "frank@eastsideelectrical.com")},
    notes="Check set 12. 'let me see what I can do on price', the prospect's 'we'd need the "
          "revised terms in writing', 'I'll loop back with legal', the prospect's 'I'll get the "
          "order form signed' (signing, not sending: as the DEV set's mtg_dev_003 has it), "
          "'can't promise anything'.",
    next_steps_agreed=True,
    script="""
ML: Frank, thanks for the time. {q|Where are we?}
FR: Close. Twenty-two grand is above what I can sign off on my own.
ML: Understood. {c:pricing:i|Let me see what I can do on price}, {n:pricing|I can't promise anything}.
FR: Fair. And we'd need the revised terms in writing.
ML: Of course. {c:send_contract:e|I'll loop back with legal and send you the revised terms}.
FR: Good. Assuming we land on a number, {n:send_contract|I'll get the order form signed before the holidays}.
ML: Great.
FR: Oh, and {c:intro:e|I'll put you in touch with our office manager, Dana}, she handles onboarding.
ML: Perfect.
""",
))

MEETINGS.append(dict(
    id="mtg_own_086", title="Crestline Roofing — demo", kind="demo",
    start="2026-12-17T14:00:00+00:00", end="2026-12-17T14:45:00+00:00", tz="Europe/London",
    organizer="EF", company_id="co_own_crestline", sellers_extra=["KI"],
    prospects={"AJ": ("Alan Jones", "alan.jones@crestlineroofing.co.uk")},
    notes="Check set 12. A three-person call with the rep's solutions engineer (KI): her "
          "promise, the rep's promise about a trial, 'I'll set up time with', a prospect's "
          "'I'll send over our current job sheet', 'you'll see'.",
    next_steps_agreed=True,
    script="""
EF: Alan, this is Kavya, our solutions engineer. She'll drive the demo.
KI: Hi Alan. You'll see the job board first.
AJ: Looks busy.
KI: It is. {q|What do your job sheets look like today?}
AJ: Paper. {c:send_info:e|I'll send over our current job sheet} so you can see.
KI: Great. {c:send_info:e|I'll build a version of it in the app and send you a screenshot}.
AJ: Nice.
EF: And {c:send_info:e|we can get you a trial account this week} so the office can play with it.
AJ: Yes please.
EF: {c:schedule_meeting:e|I'll set up time with Kavya and your office manager} to configure it.
AJ: Sounds good.
""",
))

MEETINGS.append(dict(
    id="mtg_own_087", title="Pioneer Pest — check-in", kind="qbr",
    start="2026-12-18T09:30:00-06:00", end="2026-12-18T10:00:00-06:00", tz="America/Chicago",
    organizer="RM", company_id="co_own_pioneer",
    prospects={"SB": ("Shelly Burns", "shelly@pioneerpest.com")},
    notes="Check set 12. A customer check-in: 'I'll chase up the credit with billing', 'you'll "
          "get a confirmation email', 'I'll add you to the beta list', 'we should do this "
          "quarterly' (not a promise).",
    next_steps_agreed=True,
    script="""
RM: Hi Shelly. {q|How's the quarter been?}
SB: Good, apart from the invoice mess in October.
RM: Right, the duplicate charge. {c:send_info:e|I'll chase up the credit with billing} for you.
SB: Thanks.
RM: Once it's processed {c:send_info:e|you'll get a confirmation email from us}.
SB: Okay. {q|Is the route optimisation thing coming?}
RM: It's in beta. {c:send_info:e|I'll add you to the beta list}.
SB: Great.
RM: {n:schedule_meeting|We should do this quarterly}.
SB: Agreed.
""",
))

MEETINGS.append(dict(
    id="mtg_own_088", title="Hollis Heating — discovery", kind="discovery",
    start="2026-12-21T11:00:00-06:00", end="2026-12-21T11:30:00-06:00", tz="America/Chicago",
    organizer="CJ", company_id="co_own_hollis",
    prospects={"DH": ("Dwayne Hollis", "dwayne@hollisheating.com")},
    notes="Check set 13. 'what I'll do is pull together … and get it to you before end of day', "
          "'come back to you on that one', 'put some numbers together', the prospect's 'I'll put "
          "you two in touch', 'why don't I grab thirty minutes with both of you on Wednesday'.",
    next_steps_agreed=True,
    script="""
CJ: Dwayne, appreciate you jumping on. {q|Walk me through how a no-heat call gets to a tech today?}
DH: Phone rings, my wife writes it on the whiteboard, I text whoever's closest.
CJ: And after hours?
DH: It all goes to my cell. Which is why I look like this.
CJ: [laughs] Okay. So {c:send_info:e:2026-12-21|what I'll do is pull together a short video of the after-hours routing and get it to you before end of day}.
DH: Sure. {q|Does it work with the answering service we use?}
CJ: Which one?
DH: CallRight.
CJ: {c:send_info:e|I'll double-check with our integrations team and come back to you on that one}.
DH: My accountant's going to ask about cost.
CJ: {c:pricing:e|I can put some numbers together for a crew your size}.
DH: {s:budget|We've got maybe three hundred a month set aside for software, tops}. Wendy does our books, {c:intro:e|I'll put you two in touch}.
CJ: Perfect. {c:schedule_meeting:e:2026-12-23|Why don't I grab thirty minutes with both of you on Wednesday} to go through it?
DH: Works.
""",
))

MEETINGS.append(dict(
    id="mtg_own_089", title="Nordhaven Facilities — negotiation", kind="negotiation",
    start="2026-12-21T15:00:00+00:00", end="2026-12-21T15:45:00+00:00", tz="Europe/London",
    organizer="HS", company_id="co_own_nordhaven",
    prospects={"IS": ("Ingrid Sorensen", "ingrid.sorensen@nordhaven.co.uk"),
               "MK": ("Malik Khan", "malik.khan@nordhaven.co.uk")},
    notes="Check set 13. A condition before 'I'll have the agreement reissued', 'let me go back to "
          "my finance team and see if there's any flexibility', the prospect's 'we'll get you our "
          "security questionnaire tomorrow', the rep's security lead sending it back, 'I'll "
          "confirm … in writing', 'don't send anything for signature'.",
    next_steps_agreed=True,
    script="""
HS: Thanks both. {q|Where did you land after the board meeting?}
IS: We're leaning towards you, but {s:objection|the three-year term is a sticking point}.
HS: Understood. {c:send_contract:ec|If one year works better, I'll have the agreement reissued on a twelve-month term}.
IS: It would. {s:competitor|FieldFlow offered us monthly billing}, for what it's worth.
HS: {c:pricing:i|Let me go back to my finance team and see if there's any flexibility on the annual rate}.
MK: {c:send_info:e:2026-12-22|We'll get you our security questionnaire tomorrow}.
HS: Great, {c:send_info:e|our security lead will fill it in and send it back}.
MK: {q|And the data stays in the UK?}
HS: It's hosted in Frankfurt for European customers; {c:send_info:e|I'll confirm the UK region in writing}.
MK: Fine. {n:send_contract|Don't send anything for signature until we've seen that}.
HS: Of course.
""",
))

MEETINGS.append(dict(
    id="mtg_own_090", title="Castaneda Logistics — demo", kind="demo",
    start="2026-12-15T13:00:00-07:00", end="2026-12-15T13:45:00-07:00", tz="America/Denver",
    organizer="TB", company_id="co_own_castaneda",
    prospects={"RC": ("Ray Castaneda", "ray@castanedalogistics.com")},
    notes="Check set 13. 'I'll shoot you a calendar invite for Thursday', 'I'll get our product "
          "team to record a quick walkthrough', the prospect's 'don't worry about a proposal yet', "
          "a request to 'ping me after the holidays' answered 'will do' (rep-owned).",
    next_steps_agreed=True,
    script="""
TB: {q|What's the biggest time sink for your dispatchers?}
RC: Re-routing when a job runs over. It wrecks the whole afternoon.
TB: Right. So watch this: drag the job and the board recalculates everyone after it.
RC: {s:buying_signal|Okay, that's exactly what we need}.
TB: {c:schedule_meeting:e:2026-12-17|I'll shoot you a calendar invite for Thursday} so your dispatchers can try it hands-on.
RC: {q|Can it do multi-day jobs?}
TB: It can. {c:send_info:e|I'll get our product team to record a quick walkthrough of multi-day jobs for you}.
RC: Good. {n:send_proposal|Don't worry about a proposal yet}, we're still looking. {c:follow_up_call:er|Ping me after the holidays} and we'll go from there.
TB: Will do.
""",
))

MEETINGS.append(dict(
    id="mtg_own_091", title="Alder Plumbing — check-in", kind="qbr",
    start="2026-12-16T09:00:00-05:00", end="2026-12-16T09:30:00-05:00", tz="America/New_York",
    organizer="SR", company_id="co_own_alder",
    prospects={"BA": ("Beth Alder", "beth@alderplumbing.com")},
    notes="Check set 13. A customer check-in: 'let me set up a session with our trainer', 'I'm "
          "going to get you the renewal paperwork', 'I'll send over the renewal quote with it', "
          "'happy to introduce you to Keith'.",
    next_steps_agreed=True,
    script="""
SR: Morning Beth. {q|How are the new techs finding the app?}
BA: Mixed. {s:risk|Two of them keep going back to paper}.
SR: {c:schedule_meeting:e|Let me set up a session with our trainer for the new hires}.
BA: That'd help.
SR: Also, your renewal's coming up in February. {c:send_contract:e|I'm going to get you the renewal paperwork next week}.
BA: {q|Will the price go up?}
SR: Same rate. {c:pricing:e|I'll send over the renewal quote with it}.
BA: Good. {q|Does anyone else use the inventory module with Sage?}
SR: Yes, {c:intro:e|happy to introduce you to Keith at Delta Plumbing}, they did exactly that.
BA: Please do.
""",
))

MEETINGS.append(dict(
    id="mtg_own_092", title="Brightwater Pools — pricing call", kind="negotiation",
    start="2026-12-22T10:00:00-08:00", end="2026-12-22T10:30:00-08:00", tz="America/Los_Angeles",
    organizer="OG", company_id="co_own_brightwater",
    prospects={"JP": ("Joanne Pike", "joanne@brightwaterpools.com"),
               "FN": ("Farid Nasser", "farid@brightwaterpools.com")},
    notes="Check set 14. 'I owe you a revised quote', 'write up the payment options and drop them "
          "in your inbox tonight', 'circle back on Monday with the answer' (information, not a "
          "call), 'Our IT lead, Farid, will send you' (an appositive name), 'make the intro … "
          "this afternoon', a confirmation by Farid not annotated again.",
    next_steps_agreed=True,
    script="""
OG: Thanks both. {q|Where did you land on the seat count?}
JP: Twenty-two, maybe twenty-five by spring.
OG: Got it. So {c:pricing:e|I owe you a revised quote for twenty-five seats}, and {c:pricing:e:2026-12-22|I'll write up the payment options and drop them in your inbox tonight}.
JP: Great. {q|Do you integrate with Pool Office Manager?}
OG: Not natively. {c:send_info:e:2026-12-28|I'll circle back on Monday with the answer on the API route}.
JP: Okay. {c:send_info:e|Our IT lead, Farid, will send you the list of systems we use}.
FN: Yep, I'll do it this week.
OG: Thanks Farid. {c:intro:e:2026-12-22|I'll make the intro to our integrations lead this afternoon}.
JP: Perfect.
""",
))

MEETINGS.append(dict(
    id="mtg_own_093", title="Summit Electric — contract", kind="negotiation",
    start="2026-12-22T14:00:00-05:00", end="2026-12-22T14:30:00-05:00", tz="America/New_York",
    organizer="JO", company_id="co_own_summit",
    prospects={"HS": ("Hal Summers", "hal@summitelectric.com")},
    notes="Check set 14. The prospect's imperative 'Send over the MSA' answered 'Will do, today' "
          "(rep-owned, due from the answer), 'I'll get it in front of our lawyer' (internal, "
          "nothing handed over), 'get a DocuSign over to you', 'expect something from me by "
          "Wednesday', 'we'll get the purchase order raised', 'pencil us in for a kickoff'.",
    next_steps_agreed=True,
    script="""
HS: Right, we're ready to paper it. {c:send_contract:er:2026-12-22|Send over the MSA} and I'll get it in front of our lawyer.
JO: Will do, today.
JO: {c:send_contract:e|I'll also get a DocuSign over to you for the order form}.
HS: {q|What's the notice period if we want to leave?}
JO: Thirty days. {c:send_info:e:2026-12-23|Expect something from me by Wednesday on the SSO piece}, too.
HS: Good. {c:send_contract:e|We'll get the purchase order raised on our side} after the holidays.
JO: {c:schedule_meeting:e:2027-01-05|I'll pencil us in for a kickoff on January 5th}.
HS: Sounds good.
""",
))

MEETINGS.append(dict(
    id="mtg_own_094", title="Maple Ridge HVAC — discovery", kind="discovery",
    start="2026-12-23T09:00:00-06:00", end="2026-12-23T09:30:00-06:00", tz="America/Chicago",
    organizer="MB", company_id="co_own_mapleridge",
    prospects={"TK": ("Tina Kowal", "tina@mapleridgehvac.com")},
    notes="Check set 14. 'You'll have my notes from today in your inbox by tonight', the "
          "prospect's 'we'll loop in our ops director on the next call', 'fire over a calendar "
          "hold', 'leave it with me and I'll dig out a sample … for you'.",
    next_steps_agreed=True,
    script="""
MB: {q|How do you handle maintenance agreements today?}
TK: A spreadsheet. It's a nightmare at renewal time.
MB: {c:send_info:e:2026-12-23|You'll have my notes from today in your inbox by tonight}.
TK: Thanks. {c:intro:e|We'll loop in our ops director on the next call}.
MB: Great. {c:schedule_meeting:e|I'm going to fire over a calendar hold for early January} then.
TK: {q|Can it send renewal reminders automatically?}
MB: It can. Leave it with me and {c:send_info:e|I'll dig out a sample reminder sequence for you}.
TK: Perfect.
""",
))

MEETINGS.append(dict(
    id="mtg_own_095", title="Coastal Glass — negotiation", kind="negotiation",
    start="2026-12-23T16:00:00-05:00", end="2026-12-23T16:30:00-05:00", tz="America/New_York",
    organizer="KI", company_id="co_own_coastalglass",
    prospects={"RA": ("Ron Abbott", "ron.abbott@coastalglass.com")},
    notes="Check set 14. A conditional, hedged 'I can probably waive half of it' (the fee), the "
          "prospect's 'run the numbers … and get back to you' (a decision, as 'talk to my boss "
          "and get back to you' is), 'in the meantime I'll send over a revised proposal', "
          "'I'll confirm that in writing' after a price question (pricing).",
    next_steps_agreed=True,
    script="""
RA: {s:objection|The implementation fee is what's holding us up}.
KI: Understood. {c:pricing:ic|If you can commit to two years, I can probably waive half of it}.
RA: That could work. {n:send_info|I'll run the numbers with our controller and get back to you} by Friday.
KI: Sounds good. {c:send_proposal:e|In the meantime I'll send over a revised proposal with both options}.
RA: {q|Does the two-year price lock include the add-ons?}
KI: {c:pricing:e|I'll confirm that in writing}.
RA: Great.
""",
))

MEETINGS.append(dict(
    id="mtg_own_096", title="Ridgeline Electric — follow-up", kind="discovery",
    start="2027-01-05T10:00:00-05:00", end="2027-01-05T10:30:00-05:00", tz="America/New_York",
    organizer="PN", company_id="co_own_ridgeline",
    prospects={"WB": ("Wade Barnes", "wade@ridgelineelectric.com")},
    notes="Check set 15. 'let me get you a proper number by Thursday' on a price talk, 'I'll grab "
          "a slot with your controller', 'I'll shoot the recording across after lunch', a "
          "request for 'something I can forward' answered 'Absolutely', 'I'll be in touch "
          "Friday to see where you've landed'.",
    next_steps_agreed=True,
    script="""
PN: Happy new year, Wade. {q|Did the partners get a look at the pricing?}
WB: They did. {s:objection|Twelve hundred a month made them wince}.
PN: Understood. {c:pricing:i:2027-01-07|Let me get you a proper number by Thursday} for the eighteen-seat option.
WB: Okay. {c:send_info:er|Can you send me something I can forward to my partner?}
PN: Absolutely.
PN: {c:send_info:e:2027-01-05|I'll shoot the recording across after lunch} as well.
WB: Thanks. Our controller will want to go through the numbers.
PN: {c:schedule_meeting:e|I'll grab a slot with your controller next week}.
WB: Good.
PN: {c:follow_up_call:e:2027-01-08|I'll be in touch Friday to see where you've landed}.
""",
))

MEETINGS.append(dict(
    id="mtg_own_097", title="Fairway Irrigation — demo", kind="demo",
    start="2027-01-06T13:00:00-07:00", end="2027-01-06T13:45:00-07:00", tz="America/Phoenix",
    organizer="TB", company_id="co_own_fairway",
    prospects={"CM": ("Chris Molina", "chris@fairwayirrigation.com")},
    notes="Check set 15. 'I'll put a one-pager together on … and send it your way', the "
          "prospect's 'I'll get you a headcount by Monday', 'I was going to send you the case "
          "study but it's out of date' (a look-alike), 'I'll drop you a line once the "
          "integration's live' (a time, not a condition), 'happy to jump on a call with your "
          "crew lead if that helps'.",
    next_steps_agreed=True,
    script="""
TB: {q|How many crews are you running this season?}
CM: Six, maybe seven. {c:send_info:e:2027-01-11|I'll get you a headcount by Monday}.
TB: Great. {n:send_info|I was going to send you the case study} but it's out of date.
TB: Instead, {c:send_info:e|I'll put a one-pager together on the route planning and send it your way}.
CM: {q|Does it talk to Rain Bird controllers?}
TB: Not yet, it's on the roadmap. {c:follow_up_call:e|I'll drop you a line once the integration's live}.
CM: Please. The crew leads are the ones who'd use it most.
TB: {c:schedule_meeting:e|Happy to jump on a call with your crew leads} if that helps.
CM: It would.
""",
))

MEETINGS.append(dict(
    id="mtg_own_098", title="Keystone Mechanical — SOW review", kind="negotiation",
    start="2027-01-07T15:00:00-06:00", end="2027-01-07T15:30:00-06:00", tz="America/Chicago",
    organizer="MB", company_id="co_own_keystonemech",
    prospects={"AL": ("Amy Lutz", "amy@keystonemech.com"),
               "DP": ("Doug Pryor", "doug@keystonemech.com")},
    notes="Check set 15. 'I'll get the team to turn around a revised SOW by Wednesday', 'leave "
          "the pricing with me', the prospect's 'Doug can send over the site list', a prospect "
          "asking the rep to 'loop in your implementation lead' answered 'Will do'.",
    next_steps_agreed=True,
    script="""
AL: We went through the SOW. {s:objection|Phase two is too vague for us to sign}.
MB: Fair. {c:send_proposal:e:2027-01-13|I'll get the team to turn around a revised SOW by Wednesday} with phase two broken out.
AL: And the training days, are those included?
MB: Two are. {c:pricing:e|Leave the pricing on the extra days with me}.
AL: Okay. {c:send_info:e|Doug can send over the site list} so you can size the travel.
DP: Yep, no problem.
AL: {c:intro:er|Loop in your implementation lead on the next call}, we'd like to meet them.
MB: Will do.
""",
))

MEETINGS.append(dict(
    id="mtg_own_099", title="Seaside Pest — check-in", kind="qbr",
    start="2027-01-08T09:00:00-08:00", end="2027-01-08T09:30:00-08:00", tz="America/Los_Angeles",
    organizer="SR", company_id="co_own_seaside",
    prospects={"NL": ("Nora Lee", "nora@seasidepest.com")},
    notes="Check set 15. A customer check-in: 'I'll have support give you a call this "
          "afternoon', 'we're sending the usage report Monday', 'I'll make sure the new pricing "
          "is in your renewal quote', the customer's 'I'll introduce you to our new branch "
          "manager', 'we should catch up again in the spring' (not a promise).",
    next_steps_agreed=True,
    script="""
SR: Hi Nora. {q|How's the new branch settling in?}
NL: Busy. {s:risk|The texts to customers keep going out twice at the new branch}.
SR: That's not right. {c:follow_up_call:e:2027-01-08|I'll have support give you a call this afternoon}.
NL: Thanks. {q|Can we see usage by branch?}
SR: Yes. {c:send_info:e:2027-01-11|We're sending the usage report Monday}, split by branch.
NL: Great. And the renewal?
SR: {c:pricing:e|I'll make sure the new multi-branch pricing is in your renewal quote}.
NL: Good. {c:intro:e|I'll introduce you to our new branch manager}, she'll be the main user there.
SR: Lovely. {n:follow_up_call|We should catch up again in the spring}.
NL: Definitely.
""",
))

MEETINGS.append(dict(
    id="mtg_own_100", title="Harbor Fire Protection — deficiency workflow", kind="demo",
    start="2027-01-12T11:00:00-05:00", end="2027-01-12T11:45:00-05:00", tz="America/New_York",
    organizer="KI", company_id="co_own_harborfire",
    prospects={"GH": ("Grace Holloway", "grace@harborfire.com"),
               "TW": ("Tom Walsh", "tom@harborfire.com")},
    notes="Check set 16: a long call written like DEV's (chatter, a recap, look-alikes). 'I "
          "could send you a sample report, but …' (a look-alike), a conditional 'If you can "
          "share …, I'll get our solutions engineer to set up a working session', the "
          "prospect's 'I'll pull a few from last month and email them over by Friday', 'I'll "
          "come back to you with a first-year discount by Monday', 'I'll introduce you to "
          "Frank by email', 'we might want another demo … at some point' (not a promise).",
    next_steps_agreed=True,
    script="""
KI: Morning Grace, morning Tom. Can you both hear me okay?
GH: Yes, all good. Tom's joining from the truck, so bear with him.
TW: Hey. Signal's fine for now.
KI: Great, thanks for making the time. Last time we mostly talked about inspections, so today I'd like to go through the deficiency workflow and then talk about next steps. Does that work?
GH: Works for me.
KI: {q|So when a tech finds a deficiency during an inspection today, what happens?}
TW: He writes it on the paper form, takes a photo on his own phone, and then someone in the office types it up into a quote. Could be a week before the customer sees it.
KI: And how many of those turn into work?
GH: Maybe a third. We think we lose a lot because the quote goes out so late.
KI: That's where customers usually see the quickest return. In the app the tech records the deficiency with photos, and the quote is built on the spot from your price book.
TW: Our price book is a mess though. It's three spreadsheets.
KI: That's normal, honestly. {c:send_info:e|I'll send you the import template for the price book} so you can see what shape it needs to be in.
TW: Okay.
GH: {q|What about NFPA 25 reports? Our AHJs are picky about the format.}
KI: We have NFPA 25 templates built in. {n:send_info|I could send you a sample report}, but it'll be much more useful to see one with your own data.
GH: Agreed.
KI: {c:schedule_meeting:ec|If you can share three or four recent inspection reports, I'll get our solutions engineer to set up a working session with Tom} to build them out in the system.
GH: {c:send_info:e:2027-01-15|I'll pull a few from last month and email them over by Friday}.
KI: Perfect.
TW: {q|Does the app work in basements? Half our risers are underground with no signal.}
KI: Yes, it works fully offline and syncs when it's back in range.
TW: Good, because that's where our last system fell over. {s:competitor|We trialled FireLink for a few months} and nobody liked it.
KI: We hear that a lot.
GH: Can I ask about cost? Last time you mentioned per-technician pricing.
KI: Yes, it's per technician per month. For fourteen techs on Pro you'd be around eleven hundred a month, but there's a question of whether you need the Enterprise compliance pack.
GH: {q|What's in the compliance pack?}
KI: Mainly the AHJ portal submissions and the audit trail. {c:send_info:e|I'll put together a side-by-side of Pro and Enterprise for you} so you can see what you'd actually use.
GH: That would help. {s:objection|Honestly, that number is at the top of what we'd spend}.
KI: Understood. {c:pricing:e:2027-01-18|I'll come back to you with a first-year discount by Monday}, especially if you're open to an annual term.
GH: Annual is fine. We pay most things annually.
TW: Sorry, I'm losing signal, I'm going to have to drop in a minute.
KI: No problem, Tom. Before you go, {q|who else would need to see this before a decision?}
TW: Our owner, Frank. He signs anything over ten grand.
GH: {c:intro:e|I'll introduce you to Frank by email}, he'll want to hear it from you.
TW: Right, I'm off. Thanks Kavya.
KI: Thanks Tom, drive safe.
GH: So where does that leave us on timing?
KI: If Frank's on board, we could have you live before your spring inspection season. {q|When does that start for you?}
GH: March, really. {s:timeline|The sprinkler inspections all cluster in March and April}.
KI: Then working back, we'd want the paperwork done by mid-February. {c:send_proposal:e|I'll send a proposal once I've got the numbers back from my manager}.
GH: Sounds good. {n:schedule_meeting|We might want another demo for the office staff at some point}, but let's see what Frank says first.
KI: Of course. {c:schedule_meeting:e|Let's pencil in a call for the 21st to go through the proposal together}.
GH: The 21st works. Mornings are better.
KI: Morning it is. So to recap, from me: the import template, the Pro and Enterprise comparison, the first-year number by Monday, and the proposal. From you, the inspection reports by Friday and the intro to Frank.
GH: That's it. Thanks Kavya, this was really helpful.
KI: Thanks Grace, speak soon.
""",
))

MEETINGS.append(dict(
    id="mtg_own_101", title="Summit Home Services — renewal review", kind="renewal",
    start="2027-01-13T14:00:00-08:00", end="2027-01-13T14:45:00-08:00", tz="America/Los_Angeles",
    organizer="OG", company_id="co_own_summithome",
    prospects={"DR": ("Diane Ruiz", "diane@summithomeservices.com"),
               "MC": ("Marco Conti", "marco@summithomeservices.com")},
    notes="Check set 16: a long renewal call with an incident. 'I'll forward you the root-cause "
          "write-up', 'I'll set up a call with our head of support', 'I'll connect you with one "
          "of our integration engineers', the customer's 'I'll send over our security "
          "questionnaire by Friday', 'I'll come back to you with a renewal price', 'a renewal "
          "proposal with both options by the 22nd', 'Don't send the contract until …' and "
          "'I'll raise it this afternoon' (a ticket: none of the seven intents), 'I'll call "
          "you once I've spoken to the mobile team'.",
    next_steps_agreed=True,
    script="""
OG: Hi Diane, hi Marco. Happy new year to you both.
DR: Happy new year, Oliver. Marco's on too.
MC: Hi Oliver.
OG: So the agenda: a quick look at last year's numbers, the renewal in March, and Marco's list of IT questions. Anything to add?
DR: The notification problem from December. I want to make sure that's on the record.
OG: Absolutely, let's start there. {q|Can you remind me what happened from your side?}
DR: For about three days the customer texts went out with the wrong arrival windows. We had people waiting at home all morning for a tech who was booked for the afternoon. {s:risk|I had two customers threaten to cancel their contracts}.
OG: I'm sorry, that's not acceptable. I've read the incident report: it was a time zone bug in our messaging service. {c:send_info:e|I'll forward you the root-cause write-up from engineering} so you have it in writing.
DR: Thank you. I'd also like to know what you're doing so it doesn't happen again.
OG: That's in the write-up, but {c:schedule_meeting:e|I'll set up a call with our head of support} so you can ask her directly.
DR: Good.
OG: On the numbers: you ran about forty-one thousand jobs through the platform last year, up eighteen percent, and the average time to invoice dropped from six days to a day and a half.
DR: That's about what our finance team sees too.
MC: Can I jump in with the IT stuff?
OG: Go for it.
MC: First, single sign-on. We're moving everyone to Okta in the spring. {q|Do you support SAML with Okta?}
OG: We do, on Enterprise. You're on Pro today, so that's part of the renewal conversation.
MC: Okay. Second, we need to pull job data into our warehouse every night. {q|Is there an export API, or do we have to scrape reports?}
OG: There's a bulk export API. {c:intro:e|I'll connect you with one of our integration engineers}, she's built the Snowflake connector for a few customers.
MC: That'd be great. {c:send_info:e:2027-01-15|I'll send over our security questionnaire by Friday} as well, since procurement will want it for the renewal anyway.
OG: Perfect, thanks.
DR: Let's talk about the renewal. {s:budget|We've got a flat budget this year}, so I can't take a big increase.
OG: Understood. Moving to Enterprise for the single sign-on would be about fifteen percent more at list. {c:pricing:e|I'll come back to you with a renewal price that takes December into account}.
DR: I'd appreciate that. {q|And if we stayed on Pro?}
OG: Then it's the standard five percent uplift. {c:send_proposal:e:2027-01-22|I'll send over a renewal proposal with both options by the 22nd}.
DR: Fine. {n:send_contract|Don't send the contract until we've agreed the numbers though}.
OG: Of course, proposal first.
MC: One more thing, the mobile app on the new Samsung tablets. Some techs say it crashes when they open photos.
OG: {q|Has anyone raised a ticket?}
MC: I don't think so.
OG: Could you raise one with support and copy me in? {c:follow_up_call:e|I'll call you once I've spoken to the mobile team}.
MC: Sure, I'll raise it this afternoon.
DR: Anything else from us, Marco?
MC: No, that's it.
OG: Then let me recap. From our side: the root-cause write-up, a call with our head of support, the intro to our integration engineer, the renewal pricing and the proposal by the 22nd, and I'll call Marco about the tablets. From you: the security questionnaire by Friday and the ticket.
DR: Good. {n:schedule_meeting|We'll probably want to get everyone together again before March}, but we can sort that out later.
OG: Sounds good. Thanks, both.
DR: Thanks, Oliver.
""",
))

MEETINGS.append(dict(
    id="mtg_own_102", title="Pinecrest Landscaping — demo", kind="demo",
    start="2027-01-14T10:00:00-06:00", end="2027-01-14T10:40:00-06:00", tz="America/Chicago",
    organizer="SR", company_id="co_own_pinecrest",
    prospects={"LO": ("Luis Ortega", "luis@pinecrestlandscaping.com"),
               "BC": ("Beth Carver", "beth@pinecrestlandscaping.com")},
    notes="Check set 16: a demo. 'I was going to show you the customer portal too' (a "
          "look-alike), 'I'll send you a couple of screenshots of the Spanish version', 'Let "
          "me dig out the setup guide … and get it over to you', 'I'll get you an exact quote "
          "tomorrow', the prospect's 'I'll set up a time for you to meet the crew leads', "
          "'I'll give you a ring on Monday'.",
    next_steps_agreed=True,
    script="""
SR: Hi Luis, hi Beth. Thanks for having me back.
LO: Sure. Beth's the one who'll actually use it, so I wanted her here.
BC: Hi!
SR: Great. Beth, last time Luis said scheduling is the main headache. {q|Can you walk me through a normal Monday?}
BC: I've got a whiteboard, a spreadsheet and about forty texts from the crews before eight. When it rains everything moves and I redo the whole week by hand.
SR: Let me show you the rain-delay feature then. You pick the day, hit reschedule, and it pushes every job to the next open slot and texts the customers.
BC: Oh, that's nice. {s:buying_signal|That would save me half a day every time it rains}.
LO: {q|What happens with the recurring mowing contracts? Those are most of our work.}
SR: Recurring jobs keep their pattern; the delay only shifts that one visit. {n:send_info|I was going to show you the customer portal too}, but we're short on time, so let's skip it.
LO: Fine by me. My worry is the crews. {s:objection|Half of them don't read English well}.
SR: The app is in Spanish as well, every screen. {c:send_info:e|I'll send you a couple of screenshots of the Spanish version} so you can show the crew leads.
LO: Yeah, do that.
BC: {q|Can customers pay from the text message?}
SR: Yes, there's a pay link on the invoice text.
BC: We use Square right now.
SR: We integrate with Square. {c:send_info:e|Let me dig out the setup guide for the Square integration and get it over to you}.
LO: What's the damage for nine crews, two guys each?
SR: It's per technician, so eighteen users, and you'd likely be on Starter. {c:pricing:e:2027-01-15|I'll get you an exact quote tomorrow}, including the Square setup.
LO: Sounds good.
BC: {c:schedule_meeting:e|I'll set up a time for you to meet the crew leads}, maybe next week?
SR: Perfect.
LO: {s:timeline|If the price is right, we'd want to start before spring}. March is when it all kicks off.
SR: Then we have time. {c:follow_up_call:e:2027-01-18|I'll give you a ring on Monday} to go through the quote.
LO: Monday's good.
""",
))

MEETINGS.append(dict(
    id="mtg_own_103", title="Crestview Property Maintenance — pricing call", kind="negotiation",
    start="2027-01-19T15:00:00-05:00", end="2027-01-19T15:40:00-05:00", tz="America/New_York",
    organizer="NC", company_id="co_own_crestview",
    prospects={"LP": ("Laura Pike", "laura@crestviewpm.com"),
               "HA": ("Hamid Aziz", "hamid@crestviewpm.com")},
    notes="Check set 17: a negotiation. 'Let me run the numbers on quarterly billing and get "
          "back to you by Thursday', 'if you sign by the end of the month, I can take half of it "
          "off' (conditional), 'I'll have our security team send her the data residency "
          "statement', a request to 'put her in touch with your legal counsel' answered 'Sure "
          "thing', the prospect's vendor form and property list, 'I'd normally just send a revised "
          "proposal' and 'I sent the onboarding checklist last week' (look-alikes).",
    next_steps_agreed=True,
    script="""
NC: Hi Laura, hi Hamid. Thanks for squeezing this in.
LP: No problem. Hamid's joining because he's the one who has to find the money.
HA: Guilty.
NC: Fair enough. I saw your note on the proposal. {q|Where did it land with the leadership team?}
LP: Mostly good. {s:buying_signal|They like the scheduling piece a lot}. The sticking point is price. {s:objection|Twenty-two thousand is more than we set aside}.
HA: We budgeted eighteen. I can stretch a bit, but not four thousand.
NC: Understood. {q|Is the issue the total, or how it's paid?}
HA: Bit of both, honestly. If we could spread it quarterly, that would help a lot with cash flow.
NC: Quarterly billing is something we do. {c:pricing:e:2027-01-21|Let me run the numbers on quarterly billing and get back to you by Thursday}.
HA: Great.
LP: And the implementation fee. {q|Is that negotiable at all?}
NC: There's some room there. I can't promise it disappears, but {c:pricing:ec|if you sign by the end of the month, I can take half of it off}.
LP: That's helpful.
HA: {q|What about the training days? The proposal had three.}
NC: Three are included. Extra days are charged, but we'll see how you get on.
LP: Another thing: our lawyer flagged the data clause. {s:risk|She wants to know where our tenants' data is stored}.
NC: All in US data centres. {c:send_info:e|I'll have our security team send her the data residency statement}.
LP: Perfect. {c:intro:er|Can you also put her in touch with your legal counsel directly?} She prefers to talk lawyer to lawyer.
NC: Sure thing.
NC: {q|Who signs on your side, and is there anything else in the approval process I should know about?}
HA: I sign up to twenty-five. Above that it goes to the board.
NC: So if we land under twenty-five, it's you.
HA: That's right. {c:send_info:e|I'll send you our vendor onboarding form} so that's out of the way.
NC: Great. {n:send_proposal|I'd normally just send a revised proposal at this point}, but I think it's better we agree the numbers on a call first.
LP: Agreed.
NC: {c:schedule_meeting:e|I'll send an invite for Friday at two} to go through the revised numbers together.
HA: Friday's fine.
LP: One last thing. {q|If we go ahead, how soon could you start?}
NC: Onboarding usually starts two weeks after signature.
HA: {c:send_info:e:2027-01-19|I'll get you the list of properties today} as well.
NC: Brilliant. {n:send_info|I sent the onboarding checklist last week}, so you should have that already.
LP: We do.
NC: So to recap: the quarterly billing numbers by Thursday, the data statement, the intro to our counsel, and the invite for Friday. From you, the vendor form and the property list.
LP: Great, thanks Nathan.
""",
))

MEETINGS.append(dict(
    id="mtg_own_104", title="Bluewater Pool Services — discovery", kind="discovery",
    start="2027-01-20T09:30:00-07:00", end="2027-01-20T10:00:00-07:00", tz="America/Denver",
    organizer="JO", company_id="co_own_bluewater",
    prospects={"KM": ("Kevin Marsh", "kevin@bluewaterpools.com"),
               "AT": ("Alicia Tran", "alicia@bluewaterpools.com")},
    notes="Check set 17: a discovery call. 'I'll send you a short video of how the checklists "
          "work', 'I could dig out an example' (a look-alike), 'I'll put together a couple of "
          "options so you can see both plans side by side', a demo asked for and answered "
          "'Absolutely', the prospect's spreadsheet, 'I'll check in with you after the demo'.",
    next_steps_agreed=True,
    script="""
JO: Morning Kevin, morning Alicia. How's the weather up there?
KM: Cold. The pools are closed, so it's our quiet season, which is why we're finally looking at software.
JO: Perfect timing then. {q|Can you tell me how you run things today?}
AT: Paper route sheets, mostly. I print them every night. Kevin's got the customer list in his head.
KM: Pretty much.
JO: {q|How many techs in the summer?}
KM: Twelve, sometimes fifteen with the college kids.
JO: And what made you start looking now?
AT: {s:risk|We missed three chemical checks last summer and one customer got a green pool right before a party}. That one hurt.
JO: Ouch. That's exactly what recurring routes and checklists are for. {c:send_info:e|I'll send you a short video of how the checklists work on the phone}.
AT: That'd be great, I'm more of a see-it person.
KM: {q|Does it handle chemical readings? We have to log those for the county.}
JO: It does, with custom fields. {n:send_info|I could dig out an example from another pool company}, but it's probably easier to just show you next time.
KM: Sure.
JO: {q|Who else would be involved in choosing?}
KM: Just us two. My brother owns half, but he leaves this stuff to me.
JO: Great. On the money side, {q|do you have a budget in mind?}
KM: Not really. {s:budget|Something under five hundred a month would be an easy yes}.
JO: For twelve techs you'd be close to that on Starter. {c:pricing:e|I'll put together a couple of options so you can see both plans side by side}.
KM: Sounds good.
AT: {c:schedule_meeting:er|Could we do a proper demo next week, with the phone app?}
JO: Absolutely. {q|What days are good for you?}
AT: Tuesday or Wednesday afternoons.
JO: Tuesday it is.
KM: One more thing. {q|Can we bring our customer list across? It's in a spreadsheet.}
JO: Yes, we import spreadsheets.
KM: {c:send_info:e|I'll send you the spreadsheet so you can load a few customers for the demo}.
JO: That would make the demo much more real.
JO: {c:follow_up_call:e|I'll check in with you after the demo to see how you're both feeling}.
AT: Sounds like a plan.
JO: Thanks both, talk next week.
""",
))

MEETINGS.append(dict(
    id="mtg_own_105", title="Okafor Mechanical — six-month review and Ottawa", kind="qbr",
    start="2027-02-03T10:00:00-05:00", end="2027-02-03T10:40:00-05:00", tz="America/Toronto",
    organizer="EF", company_id="co_own_okaformech",
    prospects={"RO": ("Raymond Okafor", "raymond@okaformech.ca"),
               "JS": ("Jill Sutton", "jill@okaformech.ca")},
    notes="Check set 18: an expansion call. 'I'll ping you a two-minute clip of it after the "
          "call', a request to 'draw up the amendment' answered 'Leave it with me', 'We could "
          "look at a multi-year deal at some point' (a look-alike), 'We'll get two onboarding "
          "sessions booked', the customer's 'I'll send you their names', 'I won't sign anything "
          "until the board meets' (negated), 'I'll give you a call the week after the board meeting'.",
    next_steps_agreed=True,
    script="""
EF: Hi Raymond, hi Jill. Good to see you both.
RO: Likewise. Jill's taken over the dispatch team since we last spoke.
JS: Hi Eleanor.
EF: Congratulations, Jill. So today I wanted to hear how the first six months went and talk about the Ottawa branch.
RO: Sure. Overall it's been good. {s:buying_signal|Our callbacks are down by a third}.
JS: The one thing my team keeps asking for is a way to see the techs on a map in real time. Right now they ring them.
EF: That's live tracking, it's on Enterprise. {c:send_info:e|I'll ping you a two-minute clip of it after the call} so you can see if it's what they mean.
JS: Great.
RO: On Ottawa, we're opening in April with eight techs. {q|Can we add them to our current contract, or is it a new one?}
EF: We'd add them with an amendment, co-termed to your renewal.
RO: {c:send_contract:er|Could you draw up the amendment so our lawyer can look at it?}
EF: Leave it with me.
RO: And pricing for the eight, same rate?
EF: Same rate for the first year. {n:pricing|We could look at a multi-year deal at some point}, but let's get Ottawa live first.
RO: Agreed.
JS: {q|What about training for the new techs?}
EF: {c:schedule_meeting:e|We'll get two onboarding sessions booked for the Ottawa crew in March}.
JS: Perfect. {c:send_info:e|I'll send you their names and start dates}.
EF: Thanks.
RO: {n:send_contract|I won't sign anything until the board meets on the 20th}, just so you know.
EF: Understood. {c:follow_up_call:e|I'll give you a call the week after the board meeting} to pick up where we are.
RO: Sounds good.
EF: Then to wrap up: the tracking clip, the amendment, the Ottawa training, and my call after the board. Jill's sending the new techs' details.
JS: Yep.
RO: Thanks, Eleanor.
""",
))

MEETINGS.append(dict(
    id="mtg_own_106", title="Vega Home Comfort — trial check-in", kind="demo",
    start="2027-02-04T13:00:00-08:00", end="2027-02-04T13:30:00-08:00", tz="America/Los_Angeles",
    organizer="RM", company_id="co_own_vegahome",
    prospects={"MV": ("Monica Vega", "monica@vegahomecomfort.com")},
    notes="Check set 18: a trial check-in. 'I'll make sure you get a step-by-step guide for the "
          "import today', 'You'll have a tiered price sheet from me on Monday', 'I'll connect "
          "you with their office manager', the prospect's 'I'll set up a call with him for next "
          "week', 'I won't send a proposal until …' (negated), 'I'll check in tomorrow to make "
          "sure the import went through'.",
    next_steps_agreed=True,
    script="""
RM: Thanks for making time, Monica. {q|Did you get a chance to look at the trial account?}
MV: A little. Honestly, I got stuck on the import.
RM: Sorry about that, it's not the friendliest screen. {c:send_info:e:2027-02-04|I'll make sure you get a step-by-step guide for the import today}.
MV: That would help.
RM: {q|What did you think of the scheduling board?}
MV: Love it. {s:objection|My concern is the price once we grow past twenty techs}.
RM: That's fair. The rate drops at twenty-five. {c:pricing:e:2027-02-08|You'll have a tiered price sheet from me on Monday} so you can see where the breaks are.
MV: Perfect. {q|Do you integrate with Xero?}
RM: We do. One of our customers, Brightwater, moved over from Xero last year. {c:intro:e|I'll connect you with their office manager}.
MV: Oh, that'd be useful. I've got a partner who'll need to sign off. {c:schedule_meeting:e|I'll set up a call with him for next week} and loop you in.
RM: Sounds good. {n:send_proposal|I won't send a proposal until you've both had a look}.
MV: Appreciated.
RM: {c:follow_up_call:e:2027-02-05|I'll check in tomorrow to make sure the import went through}.
MV: Thanks, Raj.
""",
))
