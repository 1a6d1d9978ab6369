//! Where promises start in a sentence and whose they are. A promise opens with who will act
//! and how it is said ("I'll", "let me", "we should be able to", "you'll have", "Dana will",
//! "our finance team will"); its owner follows from that subject — the speaker's side, the
//! addressee's ("so you'll send me…"), or a named person's. Requests ("could you send…?")
//! and offers ("want me to send…?") become promises only when the other side agrees in the
//! next turn; a negated opening ("I won't", "let's not", "don't") is a look-alike.

use regex::Regex;
use std::sync::LazyLock;

patterns! {
    NEGATED = r"\b(?:(?:I|we)(?:\s+won['’]t|\s+will not|['’]ll not|['’]m not going to|\s+am not going to|['’]re not going to|\s+are not going to|['’]m not gonna|['’]re not gonna|\s+can['’]t|\s+cannot|\s+can not|\s+don['’]t|\s+do not|['’]d rather not|\s+would rather not|\s+shouldn['’]t)|let['’]s not|let us not|no need (?:for (?:me|us) )?to|there['’]s no need to|(?:please )?don['’]t|do not)\b";
    PROPOSE = r"\b(?:can|could|shall|should) we(?:\s+also)?\s+(?:do|set up|book|schedule|arrange|organi[sz]e|line up|pencil in)\b";
    REQUEST_GET = r"\b(?:can|could) (?:I|we)(?:\s+also)?\s+(?:get|have|see|grab)\b";
    /// "Why don't I set up a walkthrough for Thursday": an offer, question mark or not.
    WHY_DONT = r"\bwhy don['’]t (?:I|we)\b";
    OFFER = r"\b(?:want me to|shall I|should I|do you want me to|would you like me to|would it help if I|how about I|can I|could I|may I|I can|I could)\b";
    REQUEST = r"\b(?:(?:can|could|would) you do me a favou?r and|(?:could|can|would|will) you(?:\s+please)?(?:\s+also)?(?:\s+be able to)?(?:\s+also)?|would you mind|(?:any chance|is there any way|do you think|wondering if|possible for) you(?:['’]d| could| can| would)(?:\s+also)?(?:\s+be able to)?)\b";
    /// "If you could send the portal guide as well, that'd be great": a request without a "?".
    IF_YOU_COULD = r"\bif you could(?:\s+also)?\b";
    YOU_HAVE = r"\byou(?:(?:['’]ll|\s+will)\s+have|\s+should\s+(?:have|get|receive|see))\b|\b(?:will|['’]ll|is going to) come (?:over )?from (?:me|us|our|my)\b";
    /// A promise without its subject ("Will send the recap tonight", "Gonna shoot you the
    /// deck") or in the present ("Sending the invite now", "I'm putting together the quote"):
    /// the opening is what comes before the verb.
    SUBJECTLESS = r"^(?:\W*(?:ok(?:ay)?|great|perfect|sure|yes|yeah|yep|cool|so|and|right|alright)\W+)*(?:(?:on|as for|about) [\w' -]{1,25},\s*)?(?:((?:will|gonna|going to|should)\s+)(?:send|shoot|email|get|put together|set up|book|forward|pop|drop|have)|((?:I['’]m\s+|we['’]re\s+)?)(?:sending|emailing|shooting|booking|putting together|setting up|forwarding|scheduling|preparing|drafting|writing up))\b";
    /// "we'd send the PO", "I'd have it over": a promise in the conditional mood, the opening
    /// ending before its verb.
    WOULD = r"\b(?:I|we)(?:['’]d|\s+would)\s+(send|get|have|book|set up|put together|introduce|forward|email|schedule)\b";
    /// "the ball's in your court on the route list": the addressee owes what is named.
    BALL = r"\b(?:the )?ball['’]?s in your court\b";
    /// "Ping me after the holidays", "Send me the deck": an imperative that hands something
    /// over or sets a call up is a request, standing when the other side agrees.
    IMPERATIVE = r"^(?:\W*(?:ok(?:ay)?|so|and|then|just|please|oh|also|great|perfect|right)\W+)*((?:send|email|e-mail|shoot|forward|text|pop|get|drop)(?:\s+(?:me|us))?(?:\s+(?:over|across|through))?\s+(?:the|a|an|your|that|those|these|this|some|any|it|them|over|across)\b|(?:ping|call|ring) (?:me|us) (?:next|this|in|on|after|early|later|tomorrow|monday|tuesday|wednesday|thursday|friday|once|when)\b|(?:give|drop) (?:me|us) a\b|(?:introduce|loop|put (?:me|us) in touch|book|set up|follow up|circle back|reach out)\b)";
    /// "I owe you a revised quote": the speaker's side delivers what is named.
    OWE = r"\b(?:I|we) (?:still )?owe you\b";
    /// "Leave the pricing with me": the speaker takes it on.
    LEAVE = r"^(?:\W*(?:ok(?:ay)?|so|and|then|just|right|alright|sure)\W+)*(leave) .{1,60}? with (?:me|us)\b";
    /// "something I can forward", "anything we can share": a relative clause, not a promise.
    RELATIVE = r"\b(?:something|anything|everything|nothing|whatever|stuff)\s*$";
    /// "It would be great to get the slides": a request without a "you" or a "?".
    WOULD_BE_GREAT = r"\b(?:it )?would be (?:great|good|helpful|nice|ideal) to (?:get|see|have)\b";
    /// "expect an email from me", "you'll get the deck from me": the speaker delivers.
    FROM_ME = r"\b(expect|look out for|watch for|keep an eye out for|you(?:['’]ll|\s+will|['’]re going to|\s+should)\s+(?:get|receive|see|hear))\b[^.?!]{0,60}?\bfrom (?:me|us|our (?:[\w-]+ ){0,2}(?:side|team|folks|people|lead|manager|engineer|office))\b";
    /// "Happy to put together a quote": a promise without its "I'm".
    BARE = r"(?:^|[,.;—-]\s*)(?:(?:I['’]m|we['’]re)\s+)?(?:more than happy|happy|glad) to\b";
    VOICED = r"\byou(?:['’]ll|\s+will|['’]re going to|\s+are going to|['’]re gonna|\s+were going to|\s+said you['’]d|\s+said you would|\s+mentioned you['’]d|['’]re getting|\s+are getting|['’]re sending|\s+are sending)\b";
    SELF = r"\b(?:I|we)(?:['’]ll|\s+will|\s+shall|['’]m going to|\s+am going to|['’]re going to|\s+are going to|['’]m gonna|['’]re gonna|\s+can|['’]d be happy to|\s+would be happy to|['’]d like to|\s+would like to|\s+want to|\s+wanna|['’]m happy to|\s+am happy to|['’]re happy to|\s+plan to|\s+intend to|\s+promise to|\s+should be able to)\b|\b(?:let me|lemme|let us|let['’]s|allow me to)\b|\b(?:my|our) (?:plan|intention|aim|goal) is to\b|\bwhat (?:I|we)(?:['’]ll|\s+will|\s+can|['’]m gonna|['’]m going to|['’]re gonna|['’]re going to) do is\b|\b(?:I|we)['’]ve (?:made a note|got a note|noted down|written down) to\b|\b(?:action item|next step|to-do|todo) (?:for|on) (?:me|us)\b:?|\bnot only will (?:I|we)\b|\b(?:I|we)['’](?:m|re) planning (?:to|on)\b";
    TEAM = r"\b(?:our|my)\s+(?:[\w-]+\s+){0,2}?(?:team|folks|people|guys|lead|manager|engineer|ciso|cfo|cto|ceo|coo|counsel|colleague|assistant|department|group|office|partner|accountant|controller)(?:['’]ll|\s+will|\s+is going to|['’]s going to|['’]s gonna|\s+are going to|\s+can)\b";
    NOT_ONLY = r"^\W*not only will (?:I|we)\b";
    NESTED = r"^\s*(?:(?:try (?:and|to) )?(?:see|check|find out|ask|figure out) (?:if|whether|what)|make sure (?:that)?)\s*$";
    /// Where a promise's phrase ends: what follows is context, not the promise.
    CLAUSE_END = r", so |\bso (?:that|you|we|they|he|she|it|I)\b|, and if\b|, and you\b| and add\b| and come back\b|, with the\b|, which\b|, who\b|, but\b|;|, because\b| because\b|,? just so\b";
    CONDITION = r"(?:^|,\s*)should (?:the|it|they|we|you|he|she|that|this|legal|your|our)\b|\b(?:as and when|if|once|as soon as|assuming|pending|provided(?: that)?|as long as|depending on|subject to|unless)\b";
    /// "especially if you're open to…", "even if": a reason or a concession; "so you can see
    /// if it's what they mean": whether. Not a condition.
    NOT_A_CONDITION = r"\b(?:especially|particularly|even|all the more|see|check|know|ask|wonder|find out|tell|decide|work out)\s*$";
    /// "once" and "as soon as" are a condition when they wait on someone's decision or
    /// answer; "once Liverpool's live" is only a time.
    TEMPORAL = r"^(?:once|as soon as|unless|as and when)\b";
    DECISION = r"\b(?:clears?|signs? off|signed|sign|approv\w*|agree\w*|decid\w*|picks?|choos\w*|confirm\w*|green light|go-ahead|review\w*|comes? (?:in|back)|gets? back|hear back|budget|board|legal|security|procurement|finance|ok(?:ay)?s?)\b";
    /// "if that helps", "if you'd like": politeness, not a condition.
    POLITE_IF = r"\bif (?:(?:there['’]s|there is) anything|(?:I|we) (?:haven['’]t|have not|don['’]t|do not) hear\w*|(?:I|we) can\b|you(?:['’]d| would)? (?:like|want|need|prefer)|that(?:['’]s| is| would be|['’]d be)? (?:helpful|useful|easier|okay|ok|works|helps)|it helps|useful|helpful|needed|necessary|possible|so)\b";
    CONFIRM = r"^\W*(?:please|yes|yeah|yep|yup|ya|sure|absolutely|definitely|of course|certainly|will do|can do|no problem|not a problem|no worries|happy to|done|for sure|totally|consider it done|leave (?:it|that|this) with (?:me|us)|you got it|you bet|ok(?:ay)?|perfect|sounds good|great|i can|we can|i will|we will|on it|please do|that would be|that['’]d be|would be great|love that|that would help|good idea|sounds great|works for me|that works|works|suits (?:me|us)|that suits|brilliant|lovely|ideal)\b";
    /// "Thursday's fine", "Friday morning works", "10am suits us": the time offered, agreed.
    TIME_AGREED = r"^\W*(?:(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|that time|the \d{1,2}(?:st|nd|rd|th)?|\d{1,2}(?::\d\d)?\s*(?:am|pm)?)(?:\s+(?:morning|afternoon|evening))?(?:(?:['’]s|\s+is)?\s+(?:works|fine|good|great|perfect|suits)|\s+it is)\b";
    DECLINE = r"^\W*(?:no\b|nah\b|nope\b|not (?:now|yet|really|this|at the moment|necessary|needed|for now)|no need|(?:i['’]m|we['’]re|i am|we are) (?:good|fine|okay|all set)|don['’]t bother|that['’]s (?:ok|okay|fine|alright)|i['’]d rather|maybe later|hold off|let['’]s not|(?:we['’]ll|i['’]ll) pass|no thanks)";
}

/// Capitalised names that are not people ("That'll", "It will").
const NOT_NAMES: &[&str] = &[
    "That",
    "It",
    "This",
    "There",
    "What",
    "Which",
    "Who",
    "He",
    "She",
    "They",
    "Everything",
    "Nothing",
    "Someone",
    "Somebody",
    "Everyone",
    "Everybody",
    "Nobody",
    "Today",
    "Tomorrow",
    "Yes",
    "Okay",
    "Sure",
    "Great",
    "Perfect",
    "Then",
    "Mine",
    "Yours",
    "These",
    "Those",
    "Here",
    "Where",
    "When",
    "Why",
    "How",
    "One",
    "Next",
    "Legal",
    "Finance",
    "Friday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Saturday",
    "Sunday",
    "So",
    "And",
    "But",
    "Also",
    "Just",
    "Well",
    "Now",
    "Honestly",
    "Obviously",
    "Hopefully",
    "Maybe",
    "Probably",
    "Otherwise",
    "Both",
    "All",
    "Each",
    "Either",
    "Neither",
    "You",
    "We",
    "I",
];

/// "Dana will", "Raj is going to" (case-sensitive: a name is capitalised).
static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    super::re_cased(
        r"\b([A-Z][a-z]+)(?:\s+(?:from|at|on|in) (?:our|my|the) [\w -]{1,30}?)?(?:['’]ll|\s+will|\s+is going to|['’]s going to|\s+can)\b",
    )
});

/// "Our IT lead, Farid, will" (the name case-sensitive, the role not).
static APPOSITIVE: LazyLock<Regex> = LazyLock::new(|| {
    super::re_cased(
        r"\b(?i:our|my|their|your) [\w -]{1,30}?, ([A-Z][a-z]+), (?:will|is going to|can)\b",
    )
});

/// How a promise is voiced, which decides whose it is and whether it needs an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Voice {
    /// "I'll", "let me", "we can": the speaker's side.
    Own,
    /// "you'll have it tonight": the speaker's side delivers.
    Delivery,
    /// "so you'll send me…": the addressee's side.
    ForOther,
    /// "could you send…?": the addressee's, once they agree.
    Request,
    /// "can we get a quote?": the addressee's, once they agree; the object names the intent.
    RequestGet,
    /// "want me to send…?": the speaker's, once the other side accepts.
    Offer,
    /// "could we do a demo next week?": a meeting proposed by either side, the seller's to
    /// arrange once the other side agrees.
    Proposal,
    /// "Dana will": that person's side (the speaker's when Dana is not in the meeting).
    Named,
    /// "the ball's in your court on the route list": the addressee's, naming what they owe.
    OwedByOther,
    /// "I won't", "let's not", "don't": a look-alike.
    Negated,
}

#[derive(Debug, Clone)]
pub(super) struct Head {
    pub start: usize,
    pub end: usize,
    pub voice: Voice,
    /// The named person, for [`Voice::Named`].
    pub name: Option<String>,
    /// "let me", "we'll", "I can", "should be able to": a softer promise.
    pub implicit: bool,
}

/// The promise openings of a sentence, in order, none overlapping.
pub(super) fn heads(sentence: &str) -> Vec<Head> {
    let question = sentence.trim_end().ends_with('?');
    let mut found: Vec<Head> = Vec::new();
    // Before the negations: its "don't" negates nothing.
    add(&mut found, sentence, &WHY_DONT, Voice::Offer);
    add(&mut found, sentence, &NEGATED, Voice::Negated);
    add(&mut found, sentence, &REQUEST_GET, Voice::RequestGet);
    if question {
        add(&mut found, sentence, &OFFER, Voice::Offer);
        add(&mut found, sentence, &REQUEST, Voice::Request);
        add(&mut found, sentence, &PROPOSE, Voice::Proposal);
    }
    add(&mut found, sentence, &IF_YOU_COULD, Voice::Request);
    if let Some(verb) = IMPERATIVE.captures(sentence).and_then(|c| c.get(1)) {
        // Zero-width at the verb: the request is all of it.
        push(&mut found, verb.start(), verb.start(), Voice::Request, None);
    }
    add(&mut found, sentence, &WOULD_BE_GREAT, Voice::RequestGet);
    add(&mut found, sentence, &YOU_HAVE, Voice::Delivery);
    add(&mut found, sentence, &OWE, Voice::Delivery);
    // "expect an email from me": the opening ends at its verb, so what is expected stays in
    // the predicate.
    for c in FROM_ME.captures_iter(sentence) {
        if let Some(verb) = c.get(1) {
            push(&mut found, verb.start(), verb.end(), Voice::Delivery, None);
        }
    }
    add(&mut found, sentence, &VOICED, Voice::ForOther);
    add(&mut found, sentence, &BALL, Voice::OwedByOther);
    for c in WOULD.captures_iter(sentence) {
        // "I'd have to check…" is an obligation, not a promise.
        if let (Some(m), Some(verb)) = (c.get(0), c.get(1))
            && !sentence[verb.end()..].starts_with(" to ")
        {
            push(&mut found, m.start(), verb.start(), Voice::Own, None);
        }
    }
    // An imperative ("Send me the deck") has no opening and is a request, not a promise:
    // only a future ("will send") or a present ("sending", "I'm sending") opens one here.
    if let Some(c) = SUBJECTLESS.captures(sentence)
        && let (Some(m), Some(opening)) = (c.get(0), c.get(1).or(c.get(2)))
    {
        // Zero-width when the verb opens the sentence: the promise is all of it.
        let (start, end) = (opening.start(), opening.end());
        if found.iter().all(|h| h.start >= m.end() || h.end <= start) {
            push(&mut found, start, end, Voice::Own, None);
        }
    }
    if let Some(verb) = LEAVE.captures(sentence).and_then(|c| c.get(1)) {
        push(&mut found, verb.start(), verb.start(), Voice::Own, None);
    }
    add(&mut found, sentence, &SELF, Voice::Own);
    add(&mut found, sentence, &BARE, Voice::Own);
    add(&mut found, sentence, &TEAM, Voice::Own);
    // "Our IT lead, Farid, will send you…": the person named beside their role.
    for c in APPOSITIVE.captures_iter(sentence) {
        if let (Some(m), Some(name)) = (c.get(0), c.get(1)) {
            let name = Some(name.as_str().to_string());
            push(&mut found, m.start(), m.end(), Voice::Named, name);
        }
    }
    for c in NAMED.captures_iter(sentence) {
        if let (Some(m), Some(name)) = (c.get(0), c.get(1))
            && !NOT_NAMES.contains(&name.as_str())
        {
            let name = Some(name.as_str().to_string());
            push(&mut found, m.start(), m.end(), Voice::Named, name);
        }
    }
    found.retain(|h| {
        !matches!(h.voice, Voice::Own | Voice::Offer) || !RELATIVE.is_match(&sentence[..h.start])
    });
    found.sort_by_key(|h| h.start);
    // "Not only will I send the deck, I'll add the references": one promise.
    if NOT_ONLY.is_match(sentence) {
        found.truncate(1);
    }
    // "I'll see if I can get you…" is one hedged promise, not two.
    let nested: Vec<usize> = (1..found.len())
        .filter(|&k| NESTED.is_match(&sentence[found[k - 1].end..found[k].start]))
        .collect();
    for k in nested.into_iter().rev() {
        found.remove(k);
    }
    for head in &mut found {
        let text = sentence[head.start..head.end].to_lowercase();
        head.implicit = text.starts_with("let")
            || text.starts_with("we")
            || text.contains("can")
            || text.contains("able")
            || text.contains("happy")
            || text.contains("glad")
            || head.voice == Voice::Delivery;
    }
    found
}

fn add(found: &mut Vec<Head>, sentence: &str, re: &Regex, voice: Voice) {
    for m in re.find_iter(sentence) {
        // "— happy to": the opening starts at its first word.
        let lead = m.as_str().len()
            - m.as_str()
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .len();
        push(found, m.start() + lead, m.end(), voice, None);
    }
}

/// Adds an opening unless it overlaps one found before (the earlier patterns win).
fn push(found: &mut Vec<Head>, start: usize, end: usize, voice: Voice, name: Option<String>) {
    if found.iter().any(|h| start < h.end && h.start < end) {
        return;
    }
    found.push(Head {
        start,
        end,
        voice,
        name,
        implicit: false,
    });
}

/// Where the clause that starts at `from` ends (before `limit`).
pub(super) fn clause_end(sentence: &str, from: usize, limit: usize) -> usize {
    CLAUSE_END
        .find(&sentence[from..limit])
        .map_or(limit, |m| from + m.start())
}

/// A condition voiced before the promise ("Assuming the pilot goes well, I'll…"): where it
/// starts, if one does between `from` and the promise.
pub(super) fn leading_condition(sentence: &str, from: usize, head: usize) -> Option<usize> {
    CONDITION
        .find_iter(&sentence[from..head])
        .map(|m| from + m.start())
        .find(|&at| is_condition(&sentence[..at], &sentence[at..head]))
}

/// "if it helps", "if you'd like" just before a promise.
pub(super) fn polite_if_before(text: &str) -> bool {
    POLITE_IF.is_match(text)
}

/// Whether `clause`, said after `before`, is a condition: not politeness, not "especially
/// if" or "see if", and a "once" only when it waits on a decision.
fn is_condition(before: &str, clause: &str) -> bool {
    !NOT_A_CONDITION.is_match(before)
        && !POLITE_IF.is_match(clause)
        && (!TEMPORAL.is_match(clause) || DECISION.is_match(clause))
}

/// A condition after the promise ("…once security signs off"), not a polite "if that helps".
pub(super) fn trailing_condition(rest: &str) -> Option<usize> {
    CONDITION
        .find_iter(rest)
        .map(|m| m.start())
        .find(|&at| is_condition(&rest[..at], &rest[at..]))
}

/// How the other side answers a request or an offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Answer {
    Agrees,
    Declines,
    Neither,
}

pub(super) fn answer(reply: &str) -> Answer {
    if CONFIRM.is_match(reply) || TIME_AGREED.is_match(reply) {
        Answer::Agrees
    } else if DECLINE.is_match(reply) {
        Answer::Declines
    } else {
        Answer::Neither
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn voices(s: &str) -> Vec<(Voice, &str)> {
        heads(s)
            .into_iter()
            .map(|h| (h.voice, &s[h.start..h.end]))
            .collect()
    }

    #[test]
    fn openings_and_their_voices() {
        assert_eq!(
            voices("I'll send you the recording and Raj will set up a sandbox."),
            [(Voice::Own, "I'll"), (Voice::Named, "Raj will")]
        );
        assert_eq!(
            voices("So Victor, you'll send me the W-9?"),
            [(Voice::ForOther, "you'll")]
        );
        assert_eq!(
            voices("You'll have the updated quote tonight."),
            [(Voice::Delivery, "You'll have")]
        );
        assert_eq!(
            voices("Want me to send the API docs too?"),
            [(Voice::Offer, "Want me to")]
        );
        assert_eq!(
            voices("Would you also be able to send the pricing sheet?"),
            [(Voice::Request, "Would you also be able to")]
        );
        assert_eq!(voices("I can't send that."), [(Voice::Negated, "I can't")]);
        assert_eq!(voices("let's not book it"), [(Voice::Negated, "let's not")]);
        assert_eq!(voices("That'll work. It will be fine."), []);
        assert_eq!(
            voices("our finance team will send the W-9"),
            [(Voice::Own, "our finance team will")]
        );
        assert_eq!(
            voices("Great. Will send the recap tonight."),
            [(Voice::Own, "Will ")]
        );
        assert_eq!(voices("Sending the invite now."), [(Voice::Own, "")]);
        assert_eq!(
            voices("Send me the deck."),
            [(Voice::Request, "")],
            "an imperative is a request, not a promise"
        );
        assert_eq!(
            voices("Ping me after the holidays and we'll go from there."),
            [(Voice::Request, ""), (Voice::Own, "we'll")]
        );
        assert_eq!(voices("Watch this: drag the job."), []);
        assert_eq!(
            voices("Can you send me something I can forward to my partner?"),
            [(Voice::Request, "Can you")]
        );
        assert_eq!(
            voices("Leave the pricing on the extra days with me."),
            [(Voice::Own, "")]
        );
        assert_eq!(
            voices("Our IT lead, Farid, will send you the list."),
            [(Voice::Named, "Our IT lead, Farid, will")]
        );
        assert_eq!(
            voices("I owe you a revised quote."),
            [(Voice::Delivery, "I owe you")]
        );
        assert_eq!(
            voices("just email me and I'll read it"),
            [(Voice::Own, "I'll")]
        );
        assert_eq!(
            voices("Once it's approved we'd send the PO."),
            [(Voice::Own, "we'd ")]
        );
        assert_eq!(voices("I'd have to check with my director."), []);
        assert_eq!(
            voices("Why don't I set up a sandbox walkthrough for Thursday."),
            [(Voice::Offer, "Why don't I")]
        );
        assert_eq!(
            voices("So the ball's in your court on the route list."),
            [(Voice::OwedByOther, "the ball's in your court")]
        );
    }

    #[test]
    fn conditions_and_answers() {
        let s = "Assuming the pilot goes well, I'll put together a proposal";
        assert_eq!(leading_condition(s, 0, s.find("I'll").unwrap()), Some(0));
        assert_eq!(trailing_condition(" send it if that helps"), None);
        assert_eq!(
            trailing_condition(" refresh it once security signs off"),
            Some(12)
        );
        assert_eq!(
            trailing_condition(" a discount by Monday, especially if you're open to a term"),
            None
        );
        assert_eq!(
            trailing_condition(" a discount, but only if you sign"),
            Some(22)
        );
        assert_eq!(
            trailing_condition(" a clip after the call so you can see if it's what they mean"),
            None
        );
        assert_eq!(answer("Yep, happy to."), Answer::Agrees);
        assert_eq!(answer("No problem."), Answer::Agrees);
        assert_eq!(answer("Nah, I grabbed them already."), Answer::Declines);
        assert_eq!(answer("Not this quarter, thanks"), Answer::Declines);
        assert_eq!(answer("What's the cap?"), Answer::Neither);
        assert_eq!(answer("Thursday's fine."), Answer::Agrees);
        assert_eq!(answer("Tuesday it is."), Answer::Agrees);
        assert_eq!(answer("Leave it with me."), Answer::Agrees);
        assert_eq!(answer("Friday morning works for us"), Answer::Agrees);
        assert_eq!(answer("That's fine, no need."), Answer::Declines);
    }
}
