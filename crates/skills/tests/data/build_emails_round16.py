"""Builds emails_round16.json (classify-email's sixteenth own set): python3 build_emails_round16.py"""
from email_rounds import Round

R = Round("2027-02-09T08:50:00-06:00")
add = R.add
G = ("\n\nOn Mon, Feb 8, 2027 at 5:10 PM Liam Ross <liam.ross@brightlane.io> wrote:\n"
     "> Hi, attached is the updated proposal. Shout if anything needs changing.\n> \n> Liam\n")
Q = ("\n\n-----Original Message-----\nFrom: Liam Ross <liam.ross@brightlane.io>\n"
     "Sent: Monday, February 8, 2027 5:10 PM\nSubject: Brightlane proposal\n\n"
     "Hi, attached is the updated proposal.\n")


def sig(name, title, company):
    return f"\n\nBest regards,\n{name}\n{title}, {company}"


add("e01", "Walter Simms <walter@simmsservices.com>", "Re: Brightlane proposal",
    "Sounds good - send it over and I'll get it in front of the board Thursday.\n\nWalter" + G,
    "positive_interest", "draft_reply_needs_approval", notes="taking it to the board")
add("e02", "Renee Ford <renee@fordmechanical.com>", "FW: Brightlane security questions",
    "Liam, see below from our IT lead. Can we set up 30 mins with your technical person so they can talk it "
    "through? Any day but Friday.\n\nRenee\n\n---------- Forwarded message ---------\nFrom: Sam Lu "
    "<sam@fordmechanical.com>\nDate: Mon, Feb 8, 2027\nSubject: Brightlane security questions\n\n"
    "Renee - before we go further I'd want to understand how they handle SSO and backups.\n",
    "meeting_request", "find_meeting_times", notes="forwarded; 30 mins with the technical person")
add("e03", "Curtis Bane <curtis@banehvac.com>", "Re: Brightlane proposal",
    "Just so I'm comparing apples to apples: does your per-tech price include the mobile app and the customer "
    "portal, or are those add-ons?\n\nCurtis" + G,
    "pricing_question", "draft_reply_needs_approval", notes="what the price includes")
add("e04", "Maureen Tate <maureen@tatefacilities.com>", "RE: Brightlane proposal",
    "Liam,\n\nWe like it, but the contract length is the issue. Three years is too long a commitment for us "
    "right now, given the owners are looking to sell.\n\nMaureen" + sig("Maureen Tate", "Director", "Tate Facilities") + Q,
    "objection", "draft_reply_needs_approval", notes="term too long")
add("e05", "Jorge Pena <jorge@penaelectric.com>", "Re: Brightlane demo",
    "To be honest, our dispatchers found the board cluttered compared to what we use now. I'm not sure they'd "
    "switch willingly.\n\nJorge" + G,
    "objection", "draft_reply_needs_approval", notes="dispatchers found it cluttered")
add("e06", "Lynn Harper <lynn@harperpest.com>", "RE: Brightlane proposal",
    "Hi Liam,\n\nWe've talked it over and we're going to hold tight with our current setup for the foreseeable "
    "future. Thanks for all your help.\n\nLynn" + Q,
    "not_interested", "update_crm", notes="hold tight with the current setup")
add("e07", "Ahmed Karim <ahmed@karimbuilding.com>", "Re: Brightlane",
    "We're no longer in the market for scheduling software - we've built our own in-house.\n\nAhmed" + G,
    "not_interested", "update_crm", notes="no longer in the market, built in-house")
add("e08", "Gillian Moore <gmoore@moorefm.co.uk>", "Automatic reply: Brightlane proposal",
    "I am currently on annual leave, returning Monday 15th February. Your email will not be forwarded.",
    "out_of_office", "update_crm", notes="annual leave")
add("e09", "Ray Colton <ray@coltonroofing.com>", "Re: Brightlane proposal",
    "Thanks for your email. I'm on the road visiting job sites this week and only checking messages in the "
    "evenings, so expect a slower response than usual.\n\nRay",
    "out_of_office", "update_crm", notes="on the road, evenings only")
add("e10", "Phil Nash <phil@nashplumbing.com>", "Re: Brightlane",
    "I think you want my colleague Dana - she's heading up the software project now. dana.ortiz@nashplumbing.com"
    "\n\nPhil" + G,
    "referral_wrong_person", "update_crm", referred="dana.ortiz@nashplumbing.com", notes="'you want my colleague'")
add("e11", "Brenda Cole <brenda@colehomes.com>", "Re: Brightlane",
    "This should really go to our IT department, not me. You can reach them at it@colehomes.com.\n\nBrenda" + G,
    "referral_wrong_person", "update_crm", referred="it@colehomes.com", notes="'should go to our IT department'")
add("e12", "Oliver Stone <ostone@stonegroup.com>", "RE: Brightlane agreement",
    "Liam,\n\nFinance has asked whether the agreement can be assigned to our new parent company after the "
    "merger. Is that something your terms allow?\n\nOliver" + Q,
    "contract_legal", "notify_rep", notes="assignment after a merger")
add("e13", "Claire Dube <cdube@dubemechanique.ca>", "Re: Brightlane agreement",
    "Hi Liam, legal's only comment is on the governing law - we need it to be Ontario rather than Delaware. "
    "Otherwise we're good to sign.\n\nClaire" + G,
    "contract_legal", "notify_rep", also=["positive_interest"], notes="governing law")
add("e14", "Dennis Roy <dennis@royelectrical.com>", "timesheets",
    "Hi, the techs' timesheets for last week are all showing zero hours in the payroll export. Payroll runs "
    "Thursday so this is urgent.\n\nDennis",
    "support_issue", "notify_rep", notes="zero hours in the payroll export")
add("e15", "Kara Lind <kara@lindfacilities.com>", "reports tab",
    "Getting 'Something went wrong (code 502)' when I open the reports tab. Cleared my cache, same thing.\n\nKara",
    "support_issue", "notify_rep", notes="a 502 on the reports tab")
add("e16", "Tom Hale <tom@halecomfort.com>", "Thursday session",
    "Would it be possible to move our Thursday session to the same time next week? Half the team is out sick."
    "\n\nTom",
    "meeting_request", "find_meeting_times", notes="move a session a week")
add("e17", "Sandra Kerr <skerr@kerrservices.com>", "RE: Brightlane proposal",
    "Liam,\n\nFollowing up on our chat - we've got sign-off in principle from the owners, pending the final "
    "number. Keen to get this wrapped up before our busy season kicks off in April.\n\nSandra" + Q,
    "positive_interest", "draft_reply_needs_approval", notes="sign-off in principle")
add("e18", "Alan Frost <afrost@frostgroup.com>", "RE: Quote",
    "Could you break the quote down by year? Our accounts team need to see year one separately because of the "
    "setup fee.\n\nAlan" + Q,
    "pricing_question", "draft_reply_needs_approval", notes="the quote by year")
add("e19", "Megan Tully <megan@saasfounderpod.com>", "Guest spot?",
    "Hi Liam, loved your recent post on field service trends! I host a podcast for SaaS founders and would love "
    "to have you on as a guest. Interested?\n\nMegan",
    "vendor_pitch_spam", "ignore", notes="a podcast invitation")
add("e20", "Ivan Petrov <ivan@payflowhq.com>", "Should I close your file?",
    "Liam, following up on my last 3 emails. Should I close your file? We help SaaS companies automate their "
    "accounts payable.\n\nIvan",
    "vendor_pitch_spam", "ignore", notes="a breakup email from a vendor")
R.write("emails_round16.json", "Round sixteen of our own inbound emails for classify-email (session 14), "
           "written like DEV with other people and phrasing, to measure first sight after round fifteen.")
