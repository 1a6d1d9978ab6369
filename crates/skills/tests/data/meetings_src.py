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
