//! What a promise promises: the intent, read from the verb that opens the predicate and the
//! first thing it names. "set up a demo" is a meeting, "send you a video of the demo" is
//! information (the video comes first), "put together a proposal … and get it to you" is a
//! proposal. A vague object ("an answer", "the numbers") is pricing when the talk around it
//! is about price. A delegation ("have Dana send…", "get our team to set up…") is read by the
//! delegated verb.

use regex::Regex;

use super::Intent;

patterns! {
    /// Words between the promise and its verb that change nothing: hedges, adverbs, "try to".
    HEDGE = r"^(?:(?:also|just|then|definitely|certainly|probably|quickly|happily|gladly|personally|absolutely|still|now|actually|totally|first|maybe|hopefully|really|go ahead and|try to|try and|do (?:my|our) best to|make sure (?:to|that (?:I|we))?|be sure to|be able to|have to|need to|want to|aim to|plan to|get around to|going to|gonna|happy to|be happy to|glad to|love to|work on getting|see if (?:I|we) can)\s+)+";
    /// "have Dana send…", "get our team to set up…", "ask Deepak, our IT chap, to send…".
    DELEGATE = r"^(?:have|get|ask)\s+((?:our|my|the|his|her|their)\s+(?:[\w-]+\s+){0,2}[\w-]+|[\w-]+)(?:\s+(?:from|on|in) (?:our|my|the) [\w-]+(?: team)?)?(?:\s*,[^,]{1,40},)?\s+(?:to\s+)?(send|email|shoot|forward|set up|book|schedule|reach out|call|ring|put together|prepare|pull together|introduce|connect|loop|share|get|record|film|draft|write up|redo|revise|reissue|give|phone)\b";
    CALL = r"^(?:(?:follow up|check back|circle back|ping (?:you|him|her|them|me|us))(?: with (?:you|him|her|them))? (?:next|this|in|on|after|early|later|first|tomorrow|monday|tuesday|wednesday|thursday|friday)\b|drop (?:you|him|her|them|me|us) a (?:line|note)|reach out to (?:you|him|her|them|me|us)\b(?: again)?(?:$| (?:in|next|after|on|before|early|later|first))|(?:give|get) (?:you|him|her|them|\w+) a (?:quick )?(?:call|ring|buzz|shout|bell|phone call)|(?:call|ring|phone) (?:you|him|her|them)\b|(?:check|touch) (?:back )?(?:in|base)\b|follow up by phone|(?:be|get) (?:back )?in touch(?: with (?:you|him|her|them))? (?:on |next |this |in |after |before |early |later |first |tomorrow|monday|tuesday|wednesday|thursday|friday|to see|once|when))";
    INTRO = r"^(?:introduce|intro\b|pass (?:your|his|her|their) (?:details|name|number|contact(?: details)?|info) (?:on |along )?to\b|(?:get|set|hook) (?:you|him|her|them) (?:sorted|set up|up|hooked up) with (?:our|my|their) (?:[\w-]+ ){0,2}(?:lead|manager|engineer|colleague|specialist|expert|person|guy|rep|director|ceo|cfo|cto|team|folks|people)\b|put (?:you|him|her|them) in contact|(?:get|give|send) (?:you|him|her|them) (?:a|the|their) (?:contact|name|intro|introduction|email address|number) (?:at|for|from|of)\b|loop (?:in|\w+ in)|connect (?:you|him|her|them|\w+) (?:with|to)|put (?:you|him|her|them|\w+)(?: two| both| all)? in touch|(?:connect|introduce) (?:you|them) (?:two|both|all)\b|make (?:an|the) intro|hook (?:you|him|her|them) up)";
    /// "cc Phil on my reply", "copy our controller in on the thread": someone brought into
    /// the conversation (the person is checked apart: cc'ing "you" introduces no one).
    CC = r"^(?:(?:cc|bcc)\s+(?:in\s+)?((?:our|my)\s+[\w-]+|\w+)|(?:copy|add)\s+((?:our|my)\s+[\w-]+|\w+)\s+(?:in\s+)?(?:on|to|into)\s+(?:the|my|our|this|that|your)\s+(?:reply|email|e-mail|thread|chain|response|note|mail))\b";
    DELIVER = r"^(?:getting|emailing|shooting|forwarding|include|attach|turn (?:[\w'-]+ ){0,4}?around|send|sending|shoot|pop|email|e-mail|forward|drop|share|text|fire|mail|return|courier|get|have|bring|provide|give|turn around)\b";
    PRODUCE = r"^(?:putting together|preparing|drafting|writing up|working on|whip up|knock up|knock together|put (?:a|the|an|some) [\w -]{1,30} together|put together|pull together|prepare|draft|write up|work up|draw up|refresh|update|revise|rework|finali[sz]e|put|build|sort out|redo|tweak|come up with|work out)\b";
    ARRANGE = r"^(?:setting up|booking|scheduling|set up|setup|put together|ping|message|text|email|throw|drop|book|schedule|arrange|line up|organi[sz]e|find|lock in|pencil in|reach out|coordinate|send|get|put|sort out|grab|block)\b";
    FIND_OUT = r"^(?:find out|(?:double[- ]?)?check (?:with|on|into|whether|if)|look into|confirm (?:with|whether|if)|come back to|get back to|circle back|follow up (?:with|on)|dig into|ask (?:our|my|the))";
    /// Finding out is a promise to the other side when it goes to someone ("check with our
    /// product team") or comes back ("and get back to you"), not "let's find out".
    ASKS_OR_ANSWERS = r"^(?:(?:double[- ]?)?check with|confirm with|ask)\b|\b(?:get|come|circle) back\b(?: to (?:you|him|her|them))?\s+\S|\blet you\b";
    /// Passed on inside the speaker's own side: no promise to the other.
    INTERNAL = r"^(?:get|set) (?:you|them|him|her|everyone) (?:set up|sorted|started|going|onboarded|access|squared away)\b|^get (?:you|them|him|her) (?:a |an )?(?:login|account|access|seat|licen[cs]e|password)\b|\b(?:to|with) (?:our|my) (?:side|team|folks|people|end)\b|\binternally\b|\bscreen\b";
    GATHER = r"^(?:grab|pull|dig (?:[\w'-]+ ){0,3}?(?:out|up)|(?:look|track|hunt) (?:[\w'-]+ ){0,3}?(?:up|down)|gather|collect|compile|round up|pull together|find)\b";
    /// "I'll dig that up for you": gathered for the other side, so handed over.
    FOR_THEM = r"\bfor (?:you|you guys|you all|y['’]all|him|her|them)\b";
    /// A gathered thing is promised only when it is also delivered.
    THEN_DELIVER = r"\band (?:then )?(?:send|shoot|get|pop|email|forward|share|drop|fire|have|circulate)\b";
    /// "get back to you with a decision" promises one of the things only when it names one.
    RETURN_WITH = r"^(?:follow up|circle back|come back|get back)(?: to you)? with\b";
    /// These deliver only with a recipient or a direction ("get it signed" delivers nothing).
    NEEDS_DIRECTION = r"^(?:get|have|give|bring|provide|pop|drop|share|fire|return|turn around|whip)\b";
    DIRECTION = r"\b(?:you|me|us|him|her|them|over|across|back|out|your way|your inbox)\b";
    /// "make sure you have the guide": a delivery of what is named.
    MAKE_SURE = r"^(?:make sure|ensure|see to it) (?:that )?(?:[\w'-]+ ){1,3}?(?:have|has|get|gets|receives?|sends?|emails?|forwards?|shares?)\b|^(?:make sure|ensure) (?:that )?(?:[\w'-]+ ){1,4}?(?:is|are) (?:in|on|included|reflected|added to|part of)\b";
    /// "leave the pricing on the extra days with me": the speaker takes what is named.
    LEAVE_WITH = r"^leave (.{1,60}?) with (?:me|us)\b";
    /// "ask our MD to join the next call": a meeting arranged with someone of one's side.
    INVITE_PERSON = r"^(?:ask|get|have|bring|invite) (?:[\w'-]+ ){1,4}?(?:to )?(?:join|attend|come (?:to|along)|sit in)\b";
    /// "it", "that": the object is what was just spoken of, not a thing named later.
    PRONOUN = r"^(?:it|that|those|them|this|these|one|both|everything|something|anything)\b";
    /// When, not what: "after this call", "on the demo".
    TIME_ADJUNCT = r"\b(?:after|before|during|on|at|in|from|since|until|following) (?:this|the|our|that|today['’]s|tomorrow['’]s|next|your) (?:call|meeting|demo|session)\b";
    BARE_GET_BACK = r"^(?:get|come) back to (?:you|him|her|them)\W*$";
    /// "book the onsite", "schedule onboarding": these verbs arrange a meeting whatever it is
    /// called.
    SCHEDULE_VERB = r"^(?:(?:reach out|get in touch|be in touch) to )?(?:schedule|book)\b";
    /// "chase our billing team for the credit note": getting it for the other side.
    CHASE_FOR = r"^chase (?:our|my) (?:[\w'-]+ ){0,3}?for\b";
    /// "chase up the credit with billing": what is chased comes to the other side.
    CHASE_UP = r"^chase (?:up|down)\b";
    /// "have the agreement reissued", "get the order form redone": the thing is produced for
    /// the other side by someone else ("get it signed" is not: signing produces nothing).
    CAUSATIVE = r"^(?:have|get) (?:[\w'-]+ ){1,4}?(?:re-?issued|redone|revised|updated|amended|rewritten|redrafted|drafted|drawn up|prepared|written up|put together|sent(?: over| across)?|emailed|turned around|raised|issued|booked|scheduled|arranged|organi[sz]ed|lined up|set up)\b";
    /// "record a quick walkthrough", "make a short video": a recording is information,
    /// whatever it shows.
    RECORD = r"^(?:record|film|tape|screen-?record)\b|^(?:make|create|do) (?:you )?(?:a |an )?(?:short |quick |little )?(?:video|recording|loom|screencast|tutorial)\b";
    /// "confirm the UK region in writing", "put that in an email": information handed over.
    IN_WRITING = r"^(?:confirm|put|get) (?:[\w'-]+ ){0,5}?(?:in writing|by e-?mail|over e-?mail|in an e-?mail)\b";
    /// "see if there's any flexibility on the annual rate": a better price looked for.
    PRICE_GIVE = r"\b(?:flexibility|wiggle room|room|leeway|movement|give)\b (?:on|in|with|around) (?:the |your |our |that |this )?(?:[\w-]+ ){0,2}?(?:pric\w*|rates?|fees?|costs?|discount\w*|quotes?|numbers)\b";
    /// "run the numbers on quarterly billing and get back to you": working out a price; "run
    /// the numbers with our controller" (the group) is weighing it up with someone, a decision.
    RUN_NUMBERS = r"^(?:run|crunch|re-?run|work (?:out|up)|redo|rework|sharpen) (?:the |some |a few |new )?(?:numbers|figures|maths?)\b(\s+(?:with|past|by)\b)?";
    /// "a couple of options" on a price call: price options.
    OPTIONS = r"\b(?:a couple of|a few|some|two|three|both|several|different) (?:options|scenarios)\b";
    /// "waive half of it", "knock ten percent off", "match their price": acting on the price.
    PRICE_ACT = r"^(?:waive|discount|knock|shave|sharpen|match|throw in|comp|reduce|lower|take (?:[\w'-]+ ){1,4}?off)\b";
    /// "circle back on Monday with the answer": what comes back is the promise, not the call.
    BACK_WITH = r"^(?:follow up|circle back|come back|get back|check back)\b[^,.;]{0,30}? with ((?:the |an? |my |our |some |your )?(?:[\w-]+ )?(?:answers?|details|info|information|numbers|figures|quotes?|proposal|pricing|update|options|specs|data|list|results|findings|costs?))\b";
    /// "expect something from me", "you'll have an update": something new, so information.
    SOMETHING = r"^(?:something|an update|a note|a summary|word)\b";
    /// "follow up with an email summarising…": information, not a call.
    FOLLOW_UP_WITH = r"^follow(?:ing)? up (?:with|by|via) (?:an? |the |a quick )?(?:e-?mail|note|summary|recap|write-?up|message|text)\b";

    /// "sign and return it": the second verb delivers.
    /// "check and send", "loop back with legal and send you…" (a longer lead only before a
    /// verb that hands over: "talk to my boss and get back to you" is a decision).
    AND_DELIVER = r"^[\w'-]+ and (?:then )?(send|return|get|email|forward|share|pop|drop|have)\b|^[\w'-]+(?: [\w'-]+){1,4}? and (?:then )?(send|email|forward|share)\b";
    SEE_WHAT = r"^see what (?:I|we) can do\b";
    /// Verbs that hand nothing to the other side ("review the proposal", "show you the
    /// dashboard", "talk to legal about the contract").
    NOT_HANDED_OVER = r"^(?:on|in|at|with|for|to|the|a|an|there|here|back|out|around|about|write|warn|be|take|need|want|talk|think|consider|review|read|sign|look|go|discuss|show|walk|explain|cover|chase|fill|complete|check|tell|keep|use|try|start|stop|hear|see|make|do|say|ask|wait|hope|guess|bet|mention|remember|forget|love|like|miss|leave|let|run|pass|come|stay|stick|spend|present|demo|pull up|open|move|switch|change|hold|focus|join|attend|sit|lose|win|pay|buy|approve|decide|accept|agree|handle|manage|own|train|update|learn|figure|work|help|bring up|pick|print|fix|install|test|set|deal|follow|catch|grab)\b";
    SOFT = r"^(?:\w+\s+)?(?:probably|maybe|hopefully|try|do (?:my|our) best|be able to|aim to|see if)\b";
    NUMBERS = r"^(?:numbers?|figures?|answers?)$";
    PRICE_TALK = r"\b(?:pric\w*|discount\w*|uplift|cap|caps|percent|%|per (?:tech|seat|user|month|head|engineer)|dollars?|\$|quotes?|rates?|fees?|costs?|budget|cheaper|expensive|prepay|payment terms)\b";
    /// The verb and the indirect object after it.
    VERB_AND_RECIPIENT = r"^[\w-]+(?:\s+(?:over|across))?(?:\s+(?:you|me|us|him|her|them))?\s*";
}

/// The kinds of thing a promise can name, each a pattern; the earliest mention decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Thing {
    Meeting,
    Proposal,
    Contract,
    Pricing,
    Info,
}

patterns! {
    MEETING_N = r"\b(?:invites?|invitations?|calendar|diary|demos?|call|meetings?|sessions?|check-ins?|kick-?offs?|workshops?|training|walk-?through|sync|slots?|(?:a|some|a few) times?|times for|options for (?:the|next|this|mon|tues|wednes|thurs|fri)\w*|onsite|on-site|site visit|visit|catch-up|follow-up (?:call|meeting)|time on the|time with|thirty minutes|an hour|half an hour)\b";
    MEETING_PLANNED = r"\b(?:invites?|calendar|demo|session|check-ins?|kick-?off|workshop|training)\b";
    /// Nouns that carry a price or a proposal rather than name something else.
    CARRIER = r"^(?:sheets?|list|card|options?|breakdown|table|page|summary|schedule|docs?|documents?|pdf|details|numbers?|figures?)$";
    CONTAINER = r"^(?:copy|version|draft|breakdown|details|overview|summary|outline|list)$";
    /// "of what's in the…", "of your current…": up to the thing contained.
    OF_THING = r"^\s+(?:of|for|on)\s+(?:what['’]s in\s+)?";
    EXAMPLE = r"^(?:samples?|examples?|templates?)$";
    CONTRACT_CARRIER = r"^(?:templates?|drafts?|copy|version)$";
    PROPOSAL_N = r"\b(?:proposals?|(?:something|anything) in writing|sow|statement of work|business case)\b";
    CONTRACT_N = r"\b(?:baa|business associate agreement|order form|po|purchase order|contracts?|paperwork|redlines?|redline|msa|dpa|nda|agreement|amendments?|addend(?:um|a)|change orders?|signed (?:copy|form|version|order form)|docusign|terms and conditions|t&cs|(?:revised |new |updated |final |the )terms)\b";
    PRICING_N = r"\b(?:(?:renewal|commercial|payment|pricing|billing) terms|payment (?:options|plans?|schedule)|(?:implementation|setup|set-up|onboarding|license|licence) fees?|fees|pricing|prices?|billing|quotes?|quotation|discount|payment terms|renewal options|pricing options|rate card|cost breakdown|estimate)\b";
    INFO_N = r"\b(?:price ?book|invoices?|credit (?:note|memo)s?|(?:call|meeting|demo) (?:volumes?|logs?|notes|recordings?|data|summary|transcript|video)|docs?|documents?|documentation|reports?|list|guides?|case stud(?:y|ies)|videos?|recording|deck|slides|details|diagram|summary|whitepaper|white paper|one-pager|brochure|sheets?|questionnaire|rules|plan|samples?|examples?|references?|info|information|data|metadata|letter|attestation|certificate|policy|links?|packet|pack|overview|specs?|faq|checklists?|templates?|w-9|coi|results|notes|file|spreadsheet|export|screenshots?|mapping|volumes?|count|breakdown|comparison|side[- ]by[- ]side|rundown|clips?|snippets?|screencasts?|looms?|cheat ?sheet|article|write-?up|confirmations?(?: e-?mails?)?|playbooks?|handbooks?|manuals?|datasheets?|numbers?|figures?|materials?|answers?|contacts?|process)\b";
}

impl Thing {
    /// The promise of handing this thing over (or, for a meeting, of setting it up).
    fn intent(self) -> Intent {
        match self {
            Thing::Meeting => Intent::ScheduleMeeting,
            Thing::Proposal => Intent::SendProposal,
            Thing::Contract => Intent::SendContract,
            Thing::Pricing => Intent::Pricing,
            Thing::Info => Intent::SendInfo,
        }
    }
}

fn things() -> [(&'static Regex, Thing); 5] {
    [
        (&MEETING_N, Thing::Meeting),
        (&PROPOSAL_N, Thing::Proposal),
        (&CONTRACT_N, Thing::Contract),
        (&PRICING_N, Thing::Pricing),
        (&INFO_N, Thing::Info),
    ]
}

/// The first thing `text` names, and the words that name it.
fn first_thing(text: &str) -> Option<(Thing, &str)> {
    let (at, thing, words) = things()
        .into_iter()
        .filter_map(|(re, thing)| re.find(text).map(|m| (m.start(), thing, m.as_str())))
        // The earliest, and of two at one place the longer ("call volumes", not "call").
        .min_by_key(|(at, _, words)| (*at, std::cmp::Reverse(words.len())))?;
    // In a compound the last noun is the thing ("mapping workshop", "estimate templates"),
    // unless it only carries the first ("pricing sheet", "contract template").
    let next = &text[at + words.len()..];
    let head = things()
        .into_iter()
        .filter_map(|(re, kind)| re.find(next).map(|m| (kind, m)))
        .filter(|(_, m)| m.start() == 1 && !m.as_str().starts_with("in "))
        .max_by_key(|(_, m)| m.len());
    if let Some((kind, m)) = head
        && !carries(thing, m.as_str())
    {
        // "a sample estimate", "an example proposal": an example is information.
        if EXAMPLE.is_match(words) {
            return Some((Thing::Info, words));
        }
        return Some((kind, m.as_str()));
    }
    // "a breakdown of the implementation fee", "a copy of your contract": a container of
    // something more specific is that thing.
    if CONTAINER.is_match(words)
        && let Some(of) = OF_THING.captures(next)
        && let Some(inner) = first_thing(&next[of.get(0).map_or(0, |m| m.end())..])
        && matches!(inner.0, Thing::Pricing | Thing::Contract | Thing::Proposal)
    {
        return Some(inner);
    }
    Some((thing, words))
}

/// Whether `noun` only carries the `first` thing of a compound ("pricing sheet").
fn carries(first: Thing, noun: &str) -> bool {
    match first {
        Thing::Pricing | Thing::Proposal => CARRIER.is_match(noun),
        Thing::Contract => CONTRACT_CARRIER.is_match(noun),
        Thing::Meeting | Thing::Info => false,
    }
}

/// What the talk around a promise is about, for vague objects.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Topic {
    pub price: bool,
}

impl Topic {
    pub(super) fn of(text: &str) -> Self {
        Topic {
            price: PRICE_TALK.is_match(text),
        }
    }
}

/// The predicate with its hedges removed and a delegation resolved to the delegated verb.
pub(super) fn core(predicate: &str) -> &str {
    if MAKE_SURE.is_match(predicate) {
        return predicate;
    }
    let mut p = HEDGE
        .find(predicate)
        .map_or(predicate, |h| &predicate[h.end()..]);
    // "I'll be sending the report": the verb is the gerund.
    if let Some(rest) = p.strip_prefix("be ")
        && rest.split(' ').next().is_some_and(|w| w.ends_with("ing"))
    {
        p = rest;
    }
    let Some(delegation) = DELEGATE.captures(p) else {
        return p;
    };
    let person = delegation.get(1).map_or("", |m| m.as_str()).to_lowercase();
    if matches!(
        person.as_str(),
        "you"
            | "it"
            | "that"
            | "this"
            | "those"
            | "these"
            | "one"
            | "something"
            | "them"
            | "a"
            | "an"
            | "some"
            | "any"
            | "another"
    ) {
        return p;
    }
    delegation.get(2).map_or(p, |verb| &p[verb.start()..])
}

/// The intent `predicate` promises (the words after "I'll", "let me", "Dana will"…).
/// `delivered` says the promise already is a delivery ("you'll have the quote tonight").
/// `asked` is what the other side just asked for: "it" in "sure, I'll send it" is that.
pub(super) fn intent(
    predicate: &str,
    delivered: bool,
    topic: Topic,
    asked: Option<Intent>,
) -> Option<Intent> {
    let mut p = core(predicate);
    if let Some(then) = AND_DELIVER.captures(p).and_then(|c| c.get(1).or(c.get(2))) {
        p = &p[then.start()..];
    }
    if BARE_GET_BACK.is_match(p) {
        return None; // "let me talk to my partner and I'll get back to you": a decision
    }
    if let Some(left) = LEAVE_WITH.captures(p).and_then(|c| c.get(1)) {
        // "leave it with me" names nothing: it is a yes to what was asked for, and the request
        // is the promise (as a bare "will do" makes it).
        return first_thing(left.as_str()).map(|(thing, w)| match thing {
            Thing::Info if NUMBERS.is_match(w) && topic.price => Intent::Pricing,
            thing => thing.intent(),
        });
    }
    if FOLLOW_UP_WITH.is_match(p) || RECORD.is_match(p) {
        return Some(Intent::SendInfo);
    }
    if PRICE_GIVE.is_match(p) {
        return Some(Intent::Pricing);
    }
    // "circle back on Monday with the answer" (right after the verb, "with" is read below).
    if let Some(back) = BACK_WITH.captures(p).and_then(|c| c.get(1))
        && !RETURN_WITH.is_match(p)
    {
        let brought = first_thing(back.as_str());
        // "the numbers" on a price call are the price; "the answer on the API route" is not.
        let vague_price = topic.price
            && brought.is_some_and(|(_, w)| NUMBERS.is_match(w) && !w.starts_with("answer"));
        match brought.map(|(t, _)| t) {
            Some(Thing::Meeting) => {}
            _ if vague_price => return Some(Intent::Pricing),
            Some(thing) => return Some(thing.intent()),
            None => return Some(Intent::SendInfo),
        }
    }
    if CALL.is_match(p) {
        return Some(Intent::FollowUpCall);
    }
    if INTRO.is_match(p) || cc_someone(p) {
        return Some(Intent::Intro);
    }
    let without_time = TIME_ADJUNCT.replace_all(p, "");
    let first = first_thing(&without_time);
    let thing = first.map(|(t, _)| t);
    // "an answer", "revised numbers": pricing when the talk is about price.
    let vague_price = topic.price && first.is_some_and(|(_, words)| NUMBERS.is_match(words));
    if INTERNAL.is_match(p) {
        return None;
    }
    let by_thing = |thing: Option<Thing>| match thing {
        Some(Thing::Info) | None if vague_price => Some(Intent::Pricing),
        thing => thing.map(Thing::intent),
    };
    if delivered {
        // "you'll have it Friday": "it" is what was just asked for.
        return by_thing(thing)
            .or_else(|| asked.filter(|_| PRONOUN.is_match(p)))
            .or_else(|| SOMETHING.is_match(p).then_some(Intent::SendInfo));
    }
    if MAKE_SURE.is_match(p) {
        return by_thing(thing).or(Some(Intent::SendInfo));
    }
    if CAUSATIVE.is_match(p) || IN_WRITING.is_match(p) {
        // "I'll confirm that in writing" after a price question: the price.
        let about_price = topic.price && PRONOUN.is_match(after_verb(p));
        return by_thing(thing).or(Some(if about_price {
            Intent::Pricing
        } else {
            Intent::SendInfo
        }));
    }
    if RUN_NUMBERS.captures(p).is_some_and(|c| c.get(1).is_none())
        && (ASKS_OR_ANSWERS.is_match(p) || THEN_DELIVER.is_match(p) || FOR_THEM.is_match(p))
    {
        return Some(Intent::Pricing);
    }
    if PRICE_ACT.is_match(p) && (topic.price || thing == Some(Thing::Pricing)) {
        return Some(Intent::Pricing);
    }
    if ARRANGE.is_match(p) && thing == Some(Thing::Meeting) {
        return Some(Intent::ScheduleMeeting);
    }
    if SCHEDULE_VERB.is_match(p) && thing.is_none() {
        return Some(Intent::ScheduleMeeting);
    }
    if RETURN_WITH.is_match(p) {
        return by_thing(thing);
    }
    if DELIVER.is_match(p) {
        if NEEDS_DIRECTION.is_match(p) && !DIRECTION.is_match(p) {
            return None;
        }
        // "we'll turn it around": their form filled in, nothing of ours sent.
        if p.starts_with("turn") {
            return by_thing(thing);
        }
        // "I'll send it over", "I can get you that", "send you our org chart": information,
        // or what the other side just asked for.
        let object = after_verb(p);
        if PRONOUN.is_match(object) {
            return Some(asked.unwrap_or(Intent::SendInfo));
        }
        return by_thing(thing)
            .or_else(|| (!object.trim().is_empty()).then(|| asked.unwrap_or(Intent::SendInfo)));
    }
    if PRODUCE.is_match(p) {
        if topic.price && OPTIONS.is_match(p) && !matches!(thing, Some(Thing::Meeting)) {
            return Some(Intent::Pricing);
        }
        return match by_thing(thing) {
            // "write up a summary and send it round", "put together a side-by-side for you"
            Some(Intent::SendInfo) if THEN_DELIVER.is_match(p) || FOR_THEM.is_match(p) => {
                Some(Intent::SendInfo)
            }
            Some(Intent::SendInfo | Intent::ScheduleMeeting) | None => None,
            found => found,
        };
    }
    if INVITE_PERSON.is_match(p) && thing == Some(Thing::Meeting) {
        return Some(Intent::ScheduleMeeting);
    }
    if FIND_OUT.is_match(p) && ASKS_OR_ANSWERS.is_match(p) {
        return match by_thing(thing) {
            Some(Intent::ScheduleMeeting) | None => Some(if vague_price {
                Intent::Pricing
            } else {
                Intent::SendInfo
            }),
            found => found,
        };
    }
    if GATHER.is_match(p) && (THEN_DELIVER.is_match(p) || FOR_THEM.is_match(p)) {
        return by_thing(thing).or(Some(Intent::SendInfo));
    }
    if CHASE_UP.is_match(p) {
        // What is chased comes before whom it is chased with ("the credit with billing").
        let chased = [" with ", " from "]
            .iter()
            .filter_map(|w| p.find(w))
            .min()
            .map_or(p, |at| &p[..at]);
        return by_thing(first_thing(chased).map(|(t, _)| t)).or(Some(Intent::SendInfo));
    }
    if let Some(chase) = CHASE_FOR.find(p) {
        let wanted = first_thing(&p[chase.end()..]).map(|(t, _)| t);
        return by_thing(wanted).or(Some(Intent::SendInfo));
    }
    if SEE_WHAT.is_match(p) {
        return by_thing(thing); // "see what I can do on price"
    }
    // Any other verb that acts on one of the things near it ("include the field mapping",
    // "email you the renewal terms"), unless it is one that hands nothing over.
    let object = p.split([',', '—', ';']).next().unwrap_or(p);
    let near = object
        .split_whitespace()
        .take(8)
        .collect::<Vec<_>>()
        .join(" ");
    if !NOT_HANDED_OVER.is_match(p) && first_thing(&near).is_some() {
        return by_thing(thing);
    }
    None
}

/// Whether the predicate's object is a pronoun ("get that over", "send it").
/// "cc Phil on my reply": someone other than the people talking brought in.
fn cc_someone(p: &str) -> bool {
    CC.captures(p)
        .and_then(|c| c.get(1).or(c.get(2)))
        .is_some_and(|who| {
            !matches!(
                who.as_str().to_lowercase().as_str(),
                "you" | "me" | "us" | "myself" | "yourself" | "everyone" | "it" | "that" | "this"
            )
        })
}

/// "leave the pricing with me" takes something on; "leave it for now" defers it.
pub(super) fn left_with_speaker(predicate: &str) -> bool {
    LEAVE_WITH.is_match(core(predicate))
}

/// Whether `predicate` is only a pronoun's ("it by Friday" after "you'll have").
pub(super) fn is_pronoun(predicate: &str) -> bool {
    PRONOUN.is_match(core(predicate))
}

pub(super) fn has_pronoun_object(predicate: &str) -> bool {
    PRONOUN.is_match(after_verb(core(predicate)))
}

/// Whether the first thing `text` names is a meeting ("a proper demo next week").
pub(super) fn names_meeting(text: &str) -> bool {
    first_thing(text).is_some_and(|(thing, _)| thing == Thing::Meeting)
}

/// How many kinds of promise a sentence names (a recap names several).
/// ("on a call" or "meeting" in passing names no meeting here).
pub(super) fn kinds_named(text: &str) -> usize {
    things()
        .into_iter()
        .filter(|(re, thing)| match thing {
            Thing::Info => false,
            Thing::Meeting => MEETING_PLANNED.is_match(text),
            _ => re.is_match(text),
        })
        .count()
}

/// Whether what a promise names is vague ("it", "a number"): said next to a specific promise
/// of the same side, it is that promise restated.
pub(super) fn is_vague(text: &str) -> bool {
    first_thing(text).is_none_or(|(_, words)| NUMBERS.is_match(words))
}

/// "probably", "try to", "do my best to", "should be able to": a softer promise.
pub(super) fn is_hedged(predicate: &str) -> bool {
    SOFT.is_match(predicate)
}

/// The words after the predicate's verb and its recipient.
fn after_verb(p: &str) -> &str {
    VERB_AND_RECIPIENT.find(p).map_or(p, |m| &p[m.end()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(p: &str) -> Option<&'static str> {
        intent(p, false, Topic::default(), None).map(Intent::as_str)
    }

    /// On a call about price, "a couple of options" are price options; a meeting's are not.
    #[test]
    fn options_on_a_price_call_are_pricing() {
        let on_price = |p| intent(p, false, Topic { price: true }, None).map(Intent::as_str);
        let cases = [
            (
                "put together a couple of options so you can see both plans side by side",
                Some("pricing"),
            ),
            (
                "put together a few options for the kickoff call",
                Some("schedule_meeting"),
            ),
        ];
        for (p, want) in cases {
            assert_eq!(on_price(p), want, "{p}");
        }
        assert_eq!(
            of("put together a couple of options so you can see both plans side by side"),
            None
        );
    }

    #[test]
    fn verbs_and_the_first_thing_named() {
        let cases = [
            ("send you a short video of the demo", Some("send_info")),
            ("set up a demo for the week after", Some("schedule_meeting")),
            (
                "send you an invite for eight on Friday",
                Some("schedule_meeting"),
            ),
            (
                "put together a proposal with both options and get it to you",
                Some("send_proposal"),
            ),
            (
                "have Sofia send you the SCIM setup guide",
                Some("send_info"),
            ),
            (
                "get our onboarding team to set up two training sessions",
                Some("schedule_meeting"),
            ),
            (
                "ask Deepak, our IT chap, to send you the firewall rules",
                Some("send_info"),
            ),
            (
                "probably have a rough proposal to you first thing Monday",
                Some("send_proposal"),
            ),
            (
                "have the signed copy back to you by the fifteenth",
                Some("send_contract"),
            ),
            ("give you a shout in February", Some("follow_up_call")),
            ("put you in touch with their MD", Some("intro")),
            ("loop in Ben, who ran routing", Some("intro")),
            ("cc Phil on my reply so you've got him", Some("intro")),
            ("dig that up for you", Some("send_info")),
            (
                "put together a side-by-side of Pro and Enterprise for you",
                Some("send_info"),
            ),
            ("put together a plan", None),
            (
                "run the numbers on quarterly billing and get back to you by Thursday",
                Some("pricing"),
            ),
            ("run the numbers internally", None),
            (
                "get two onboarding sessions booked for the Ottawa crew in March",
                Some("schedule_meeting"),
            ),
            (
                "ping you a two-minute clip of it after the call",
                Some("send_info"),
            ),
            ("draw up the amendment", Some("send_contract")),
            (
                "run the numbers with our controller and get back to you",
                None,
            ),
            (
                "follow up with an email summarising what we covered",
                Some("send_info"),
            ),
            ("get it signed before the eighteenth", None),
            ("chase up the credit with billing", Some("send_info")),
            (
                "loop back with legal and send you the revised terms",
                Some("send_contract"),
            ),
            (
                "set up time with Kavya and your office manager",
                Some("schedule_meeting"),
            ),
            ("copy our controller in on the thread", Some("intro")),
            (
                "check with our product team on view-only seats",
                Some("send_info"),
            ),
            (
                "find out on the payment terms and get back to you",
                Some("pricing"),
            ),
            ("get you that", Some("send_info")),
            (
                "dig out the usage report and pop it in the email with the quote",
                Some("send_info"),
            ),
            (
                "double-check with our integrations team and come back to you",
                Some("send_info"),
            ),
            ("put you two in touch", Some("intro")),
            (
                "have a draft rollout plan over to you Friday",
                Some("send_info"),
            ),
            (
                "have the agreement reissued on a twelve-month term",
                Some("send_contract"),
            ),
            (
                "go back to my finance team and see if there's any flexibility on the annual rate",
                Some("pricing"),
            ),
            ("confirm the UK region in writing", Some("send_info")),
            (
                "get our product team to record a quick walkthrough of multi-day jobs",
                Some("send_info"),
            ),
            ("ping me after the holidays", Some("follow_up_call")),
            (
                "write up the payment options and drop them in your inbox tonight",
                Some("pricing"),
            ),
            (
                "circle back on Monday with the answer on the API route",
                Some("send_info"),
            ),
            ("follow up next week with a call", Some("follow_up_call")),
            (
                "have support give you a call this afternoon",
                Some("follow_up_call"),
            ),
            (
                "be in touch Friday to see where you've landed",
                Some("follow_up_call"),
            ),
            (
                "make sure the new pricing is in your renewal quote",
                Some("pricing"),
            ),
            (
                "Leave the pricing on the extra days with me",
                Some("pricing"),
            ),
            ("leave it with me", None),
            (
                "get the purchase order raised on our side",
                Some("send_contract"),
            ),
            ("show you that at the end", None),
            ("pull that", None),
            ("chase legal", None),
            ("be honest", None),
            ("update the CRM", None),
        ];
        for (p, want) in cases {
            assert_eq!(of(p), want, "{p}");
        }
    }

    #[test]
    fn vague_objects_take_the_topic() {
        let price = Topic::of("we asked for a fifteen percent discount");
        assert_eq!(
            intent(
                "do my best to get you an answer by Tuesday",
                false,
                price,
                None
            ),
            Some(Intent::Pricing)
        );
        assert_eq!(
            intent(
                "get you revised numbers by Monday",
                false,
                Topic::default(),
                None
            ),
            Some(Intent::SendInfo)
        );
    }
}
