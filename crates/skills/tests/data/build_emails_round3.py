"""Builds emails_round3.json (classify-email's third own set): python3 build_emails_round3.py"""
from email_rounds import Round

R = Round("2026-12-08T10:00:00-05:00")
add = R.add


add("r01","Owen Grady <owen@gradyelectrical.com>","Re: next steps",
 "Hi Liam,\n\nHonestly the price isn't the issue. It's that we'd have to retrain thirty techs in the middle of our busy season, and I'm not sure the disruption is worth it right now.\n\nOwen",
 "objection","draft_reply_needs_approval",notes="a timing and disruption concern, not a no")
add("r02","Sana Mirza <sana.mirza@ferncliffroofing.co.uk>","Leeds depot",
 "Quick one Liam, if we added the Leeds depot (another 12 users) does the per-seat rate drop, or is there a tier above ours?\n\nThanks,\nSana",
 "pricing_question","draft_reply_needs_approval",notes="volume pricing without the word price")
add("r03","Kate Lowry <kate@lowryhvac.com>","Re: demo recording",
 "Liam, I showed the recording to our ops director and she's keen. What do we need to do to get a pilot going in January?\n\nKate",
 "positive_interest","draft_reply_needs_approval",notes="keen, asking how to start")
add("r04","Ben Achebe <ben.achebe@crestwaterplumbing.com>","Re: dispatch",
 "Hi Liam, I've moved over to the finance side, so this isn't really my area any more. Dave Okoro (dave.okoro@crestwaterplumbing.com) runs dispatch now, probably best to speak to him.\n\nBen",
 "referral_wrong_person","update_crm",notes="moved role, names who to speak to",
 referred="dave.okoro@crestwaterplumbing.com")
add("r05","Paula Reid <paula@reidpestcontrol.com>","Re: checking in",
 "Appreciate the persistence, but we're locked into a three-year deal with our current provider. Please take me off your list for now.\n\nPaula",
 "not_interested","update_crm",notes="locked in elsewhere; asks to be removed")
add("r06","James Whitaker <j.whitaker@halcyonfacilities.co.uk>","MSA - our comments",
 "Liam,\n\nOur counsel has marked up clause 9 (limitation of liability) and wants the caps to be mutual. The redlined version is attached. Can your legal team take a look?\n\nJames",
 "contract_legal","notify_rep",notes="redlines on liability")
add("r07","Maria Santos <maria@santosgaragedoors.com>","techs logged out",
 "Since yesterday's update the mobile app logs our techs out every time they lose signal. We lost three jobs this morning. Can someone look at this urgently please?\n\nMaria",
 "support_issue","notify_rep",notes="a customer's outage, no word 'bug' or 'support'")
add("r08","Tom Becker <tom.becker@northlinecooling.com>","integration questions",
 "Hi Liam, could we grab 20 minutes on Thursday or Friday afternoon to go through the integration questions? Happy to work around you.\n\nTom",
 "meeting_request","find_meeting_times",notes="'grab 20 minutes'")
add("r09","Lucía Gómez <lucia.gomez@climatizacionesgomez.es>","Re: propuesta",
 "Gracias por su mensaje. Estoy fuera de la oficina hasta el 4 de enero, con acceso limitado al correo. Para asuntos urgentes, escriba a oficina@climatizacionesgomez.es.\n\nLucía Gómez",
 "out_of_office","update_crm",lang="es",notes="Spanish autoreply without an autoreply header")
add("r10","Ryan Cole <ryan@pipelineboost.ai>","Brightlane + PipelineBoost",
 "Hi there, I noticed Brightlane is hiring SDRs. We help SaaS teams book 30+ qualified meetings a month with AI-powered outbound. Worth a quick chat next week?\n\nRyan\nPipelineBoost",
 "vendor_pitch_spam","ignore",notes="a pitch asking for a chat")
add("r11","Helen Marsh <helen.marsh@brookfieldfm.com>","Re: security review",
 "Liam, we went through the SSO requirement again and our IT team won't sign off on anything without SCIM provisioning. If that isn't on your roadmap we can't move forward.\n\nHelen",
 "objection","draft_reply_needs_approval",notes="a blocker with a condition, not a final no")
add("r12","Dev Patel <dev@patelandsonsplumbing.com>","Re: proposal",
 "Thanks for the proposal, it's landed well with the team. A couple of small tweaks to come but we're heading in the right direction.\n\nDev",
 "positive_interest","draft_reply_needs_approval",notes="warm, no question")
add("r13","Claire Dunn <claire.dunn@dunnroofing.com>","onboarding fee",
 "Is the onboarding fee a one-off, or is it charged again at renewal?\n\nClaire",
 "pricing_question","draft_reply_needs_approval",notes="a fee question in one line")
add("r14","Marcus Hale <marcus@halelandscapes.com>","Tuesday",
 "Something's come up on Tuesday, any chance we can push our call to later in the week?\n\nMarcus",
 "meeting_request","find_meeting_times",notes="a reschedule")
add("r15","Nadia Brooks <nadia.brooks@summitfieldservices.com>","Re: introduction",
 "Thanks for reaching out. I'm not the right person for this, I've cc'd our COO, Priya Shah, who owns field operations.\n\nNadia",
 "referral_wrong_person","update_crm",notes="cc'd the right person",
 cc=["Priya Shah <priya.shah@summitfieldservices.com>"], referred="priya.shah@summitfieldservices.com")
add("r16","Greg Lowe <greg.lowe@lowefire.co.uk>","Re: catch up",
 "I'm currently on parental leave and will be back on 2 March. For anything urgent please contact ops@lowefire.co.uk.",
 "out_of_office","update_crm",notes="English autoreply without a header, parental leave")
R.write("emails_round3.json", "Round three of our own inbound emails for classify-email (session 12): natural, harder phrasing across the categories the earlier sets had least of — objections without 'expensive', volume pricing without 'price', a role change, a customer outage, reschedules, autoreplies without headers. Written and scored before any rule was changed for them.")
