//! The detector's walk over a meeting: each turn's sentences, each promise opening in them
//! ([`promise`]), what it promises ([`object`]), whether it stands (the other side's answer
//! to a request or an offer), whose it is, its condition and its due date ([`due`]).

use chrono::NaiveDate;

use super::{
    Commitment, Intent, Intents, NonCommitment, Strength, due, object,
    promise::{self, Answer, Voice},
};
use crate::transcript::{Meeting, Role, Segment, sentences};

patterns! {
    /// A look-alike without a promise's opening: "don't send…", "no need for…", "hold off on…".
    NEGATION = r"\b(don['’]t|do not|won['’]t|will not|not ready|no need|not yet|hold off|rather not|no point|not interested in)\b";
    /// A promise to not do it: "I'll hold off on…", "we'll park the paperwork".
    DEFERRING = r"^(?:hold off|hold on|hold fire|hold|park|skip|pause|delay|postpone|wait|not|never|stop|drop (?:the|it|that|this|those)|shelve|leave (?:it|that|the)|bury|put (?:it|that|the [\w -]{1,30}) on (?:ice|hold))\b";
    /// "So, …", "to recap", "will do", "so I owe you the reports, the pricing, and …".
    RESTATEMENT = r"^((okay|ok|perfect|great|lovely|right|alright)[,.]? )?(so,|so to recap|to recap|will do\b|so (i|we) (still )?owe you\b[^.?!,]*,[^.?!,]*,)";
    /// A turn that restates the call ("so, quick recap", "to recap", "recap of where we are").
    RECAP = r"\b(?:to recap|let me recap|quick recap|recap of|in recap|recapping)\b";
    RETRACTION = r"^(?:actually,? )?(?:never mind|nevermind|scratch that|forget that|on second thought|no,? wait)\b";
    IMPLICIT_VERB = r"^(?:pop|get you)\b";
    /// Nothing but fillers ("yeah, ", "so, um, ").
    FILLER = r"^(?:\W*(?:yeah|yes|yep|so|um|uh|er|okay|ok|well|and|right|like|actually|honestly|look)\b)*\W*$";
}

/// Runs the detector over a meeting.
pub fn detect(meeting: &Meeting) -> Intents {
    let mut out = Intents::default();
    for index in 0..meeting.segments.len() {
        let turn = Turn::new(meeting, index);
        if RECAP.is_match(&turn.segment.text) {
            continue;
        }
        let before = out.commitments.len();
        for sentence in sentences(&turn.segment.text) {
            if RETRACTION.is_match(sentence.text) && out.commitments.len() > before {
                out.commitments.pop(); // "Let me send you the outline — actually, never mind"
                continue;
            }
            turn.read(sentence.text, &mut out);
        }
        drop_restated(&mut out.commitments, before);
    }
    out
}

/// Where the `k`th promise's clause ends, and its predicate (the words after the opening).
fn clause<'s>(s: &'s str, heads: &[promise::Head], k: usize) -> (usize, &'s str) {
    let head = &heads[k];
    let limit = heads.get(k + 1).map_or(s.len(), |h| h.start);
    let end = promise::clause_end(s, head.end, limit);
    (end, s[head.end..end].trim_start_matches([',', ' ']))
}

/// A phrase without the punctuation and joining word it was cut before.
fn tidy(phrase: &str) -> &str {
    let mut p = phrase.trim_end_matches([',', ' ', '.', '?', '!', '—', '-']);
    for joint in [" and", " but", " so", " or"] {
        if let Some(rest) = p.strip_suffix(joint) {
            p = rest.trim_end_matches([',', ' ']);
        }
    }
    p
}

/// "Then you'll have a number well before the
/// fifteenth. I'll get the proposal to you by Friday": a vague promise beside a specific one
/// of the same side is that one restated.
fn drop_restated(commitments: &mut Vec<Commitment>, from: usize) {
    let turn = commitments.split_off(from);
    let vague = |c: &Commitment| {
        matches!(c.intent, Intent::SendInfo | Intent::Pricing) && object::is_vague(&c.phrase)
    };
    let restated = |c: &Commitment| {
        vague(c)
            && turn
                .iter()
                .any(|d| d.owner_role == c.owner_role && !vague(d))
    };
    let kept: Vec<Commitment> = turn.iter().filter(|c| !restated(c)).cloned().collect();
    commitments.extend(kept);
}

/// "Kavya, can you send Mark the keys?": a request to someone named at the start (the name
/// case-sensitive, the fillers before it not).
static VOCATIVE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    super::re_cased(r"^(?:\W*(?i:so|and|okay|ok|oh|also)\W+)*([A-Z][a-z]+),")
});

/// One promise of a sentence, read.
#[derive(Clone, Copy)]
struct Promise<'s> {
    head: &'s promise::Head,
    intent: Intent,
    /// From its condition (when voiced first) to where its clause ends.
    phrase: &'s str,
    /// The words after the opening.
    predicate: &'s str,
    /// The promise up to the next one in the sentence (for its due date).
    said: &'s str,
    condition: Option<&'s str>,
}

impl Promise<'_> {
    /// "I won't send…", "we'll hold off on…", an offer the other side declines.
    fn looks_alike(&self, turn: &Turn<'_>) -> bool {
        self.head.voice == Voice::Negated
            || (DEFERRING.is_match(object::core(self.predicate))
                && !object::left_with_speaker(self.predicate))
            || (self.head.voice == Voice::Offer && turn.answer() == Answer::Declines)
    }
}

/// Whether promise `k` of sentence `s` only delivers the one before it: "…, you'll have it
/// by Friday", "…, it'll be with you tonight".
fn continues(s: &str, heads: &[promise::Head], k: usize) -> bool {
    k > 0
        && heads.get(k).is_some_and(|h| {
            h.voice == Voice::Delivery && object::is_pronoun(clause(s, heads, k).1)
        })
}

/// One segment, with what a promise in it is read against: the reply, the topic, the date.
#[derive(Clone, Copy)]
struct Turn<'a> {
    meeting: &'a Meeting,
    index: usize,
    segment: &'a Segment,
    /// The other side's next turn (a request's or an offer's answer).
    reply: Option<&'a Segment>,
    /// What the other side just asked for ("could you send the deck?" → "I'll send it").
    asked: Option<Intent>,
    topic: object::Topic,
    /// "Will do — I'll email you both…" restates what was just agreed.
    restates: bool,
    today: Option<NaiveDate>,
}

impl<'a> Turn<'a> {
    fn new(meeting: &'a Meeting, index: usize) -> Self {
        let segment = &meeting.segments[index];
        let other = |i: usize| meeting.segments.get(i).filter(|s| s.role != segment.role);
        let reply = other(index + 1).or_else(|| other(index + 2));
        // "Want me to send a sample?" — "From a roofing job?" — "Yep." — "Sure, great.": a
        // clarifying question is not the answer; the other side's next turn is. ("Absolutely.
        // What days are good?" answers, then asks.)
        let reply = match reply {
            Some(r)
                if r.text.trim_end().ends_with('?')
                    && promise::answer(&r.text) == Answer::Neither =>
            {
                meeting
                    .segments
                    .iter()
                    .skip(index + 2)
                    .take(3)
                    .find(|s| s.role == r.role && !std::ptr::eq(*s, r))
                    .or(Some(r))
            }
            r => r,
        };
        let previous = index.checked_sub(1).and_then(other);
        // What the talk is about: this turn and the three before it.
        let context: Vec<&str> = meeting.segments[index.saturating_sub(3)..=index]
            .iter()
            .map(|s| s.text.as_str())
            .collect();
        let context = context.join(" ");
        let mut turn = Turn {
            meeting,
            index,
            segment,
            reply,
            asked: None,
            topic: object::Topic::of(&context),
            restates: RESTATEMENT.is_match(&segment.text),
            today: meeting.local_date(),
        };
        turn.asked = previous.and_then(|p| turn.request_in(&p.text));
        turn
    }

    /// The intent of a request in `text` ("could you send us the route report?").
    fn request_in(&self, text: &str) -> Option<Intent> {
        sentences(text).into_iter().find_map(|s| {
            let heads = promise::heads(s.text);
            heads.iter().enumerate().find_map(|(k, head)| {
                let asks = matches!(head.voice, Voice::Request | Voice::RequestGet);
                asks.then(|| self.intent_at(s.text, &heads, k).map(|(intent, _)| intent))
                    .flatten()
            })
        })
    }

    /// The intent of the `k`th promise of a sentence, and where its clause ends.
    fn intent_at(&self, s: &str, heads: &[promise::Head], k: usize) -> Option<(Intent, usize)> {
        let head = &heads[k];
        let (end, predicate) = clause(s, heads, k);
        if head.voice == Voice::Proposal {
            // "could we do a proper demo next week?": only a meeting is proposed this way
            return object::names_meeting(predicate).then_some((Intent::ScheduleMeeting, end));
        }
        let delivered = matches!(
            head.voice,
            Voice::Delivery | Voice::RequestGet | Voice::Negated | Voice::OwedByOther
        );
        // "And the pricing — yeah, I'll get that over tomorrow": "that" is the fragment before.
        let opens_sentence = FILLER.is_match(&s[..head.start]);
        // "As for the quote, I'll get that over": a short lead-in in the same sentence, or
        // the fragment before it, names what "that" is.
        let lead_in = s[..head.start].trim_end_matches([',', ' ', '—']);
        let named_before = object::has_pronoun_object(predicate)
            .then(|| {
                if opens_sentence {
                    self.fragment_before(s)
                } else {
                    (lead_in.split_whitespace().count() <= 4).then_some(lead_in)
                }
            })
            .flatten()
            .and_then(|f| object::intent(f, true, self.topic, None));
        let asked = named_before.or(self.asked);
        let intent = object::intent(predicate, delivered, self.topic, asked).or_else(|| {
            // "a proposal, which you'll have by Thursday", "Revised proposal — you'll have it
            // Thursday": the thing is the antecedent.
            let before = s[..head.start].trim_end();
            let antecedent = before
                .strip_suffix("which")
                .or_else(|| before.strip_suffix("that"))
                .or_else(|| (before.split_whitespace().count() <= 6).then_some(before))
                .filter(|a| !a.is_empty())
                .or_else(|| opens_sentence.then(|| self.fragment_before(s)).flatten())?;
            let words: Vec<&str> = antecedent.split_whitespace().rev().take(6).collect();
            let antecedent = words.into_iter().rev().collect::<Vec<_>>().join(" ");
            (head.voice == Voice::Delivery)
                .then(|| object::intent(&antecedent, true, self.topic, None))
                .flatten()
        });
        // "Can we get the API rate limits in writing?": what is asked for is information,
        // named or not.
        let intent = intent.or_else(|| {
            (head.voice == Voice::RequestGet && predicate.split_whitespace().count() >= 2)
                .then_some(Intent::SendInfo)
        });
        intent.map(|i| (i, end))
    }

    /// The short fragment said just before sentence `s` in this turn ("Revised proposal"), if
    /// it is one (a few words, no verb of its own).
    fn fragment_before(&self, s: &str) -> Option<&'a str> {
        let text: &'a str = &self.segment.text;
        // Where `s` sits in this turn (a sentence of another turn has no fragment here).
        let at = (s.as_ptr() as usize)
            .checked_sub(text.as_ptr() as usize)
            .filter(|&at| at + s.len() <= text.len())?;
        // The nearest piece that says something: "And the pricing — I'll — yeah, I'll get
        // that over" skips the false start "I'll".
        let fragment = text[..at]
            .rsplit(['.', '?', '!', '—'])
            .map(str::trim)
            .find(|piece| {
                !piece.is_empty() && !FILLER.is_match(piece) && promise::heads(piece).is_empty()
            })?;
        (fragment.split_whitespace().count() <= 4).then_some(fragment)
    }

    /// "we will hold off on the contract": what a deferring promise looks like it promises.
    fn deferred_at(&self, s: &str, heads: &[promise::Head], k: usize) -> Option<(Intent, usize)> {
        let (end, predicate) = clause(s, heads, k);
        let predicate = object::core(predicate);
        DEFERRING
            .is_match(predicate)
            .then(|| object::intent(predicate, true, self.topic, None))
            .flatten()
            .map(|intent| (intent, end))
    }

    fn read(&self, s: &str, out: &mut Intents) {
        let restating = self.restates || RESTATEMENT.is_match(s);
        if restating && object::kinds_named(s) >= 2 && !s.ends_with('?') {
            return; // "So, pricing to you by Monday, the guide to Derek, and the intro…"
        }
        let heads = promise::heads(s);
        if heads.is_empty() {
            self.look_alike(s, out);
            return;
        }
        for k in 0..heads.len() {
            if continues(s, &heads, k) && self.promise_at(s, &heads, k - 1).is_some() {
                continue; // "…, you'll have it by Friday" is the promise before it, delivered
            }
            let Some(promise) = self.promise_at(s, &heads, k) else {
                continue;
            };
            if promise.looks_alike(self) {
                out.non_commitments.push(NonCommitment {
                    speaker: self.segment.speaker.clone(),
                    speaker_role: self.segment.role,
                    looks_like: promise.intent,
                    phrase: promise.phrase.to_string(),
                    segment_index: self.index,
                });
                continue;
            }
            let from = k.checked_sub(1).map_or(0, |p| heads[p].end);
            let colleague = self.colleague_asked(s, promise.head.voice);
            let agreed = match colleague {
                Some(reply) => promise::answer(&reply.text) == Answer::Agrees,
                None => self.agreed(promise.head.voice),
            };
            if !agreed || self.offered_in_passing(s, from, promise.head) {
                continue;
            }
            let owner_role = match colleague {
                Some(_) => self.segment.role,
                None => self.owner(promise.head),
            };
            let duplicate =
                |c: &Commitment| c.owner_role == owner_role && c.intent == promise.intent;
            if restating && out.commitments.iter().any(duplicate) {
                continue;
            }
            out.commitments.push(self.commitment(&promise, owner_role));
        }
    }

    /// The `k`th promise of sentence `s`, read: what, from where to where, on what condition.
    fn promise_at<'s>(
        &self,
        s: &'s str,
        heads: &'s [promise::Head],
        k: usize,
    ) -> Option<Promise<'s>> {
        let head = &heads[k];
        let (intent, end) = self
            .intent_at(s, heads, k)
            .or_else(|| self.deferred_at(s, heads, k))?;
        let from = k.checked_sub(1).map_or(0, |p| heads[p].end);
        let start = promise::leading_condition(s, from, head.start).unwrap_or(head.start);
        let condition = (start < head.start)
            .then(|| s[start..head.start].trim_end_matches([',', ' ']))
            .or_else(|| {
                let rest = &s[head.end..];
                promise::trailing_condition(rest)
                    .map(|at| rest[at..].trim_end_matches(['.', '?', '!']))
            });
        Some(Promise {
            head,
            intent,
            phrase: tidy(&s[start..end]),
            predicate: clause(s, heads, k).1,
            // Up to the next promise, or past it when that one only delivers this one ("I'll
            // put together a proposal, you'll have it by Friday": the date is in the second).
            said: &s[start
                ..heads
                    .get(k + 1 + usize::from(continues(s, heads, k + 1)))
                    .map_or(s.len(), |h| h.start)],
            condition,
        })
    }

    /// A request put to a colleague of the speaker's own side by name ("Kavya, can you send
    /// Mark the keys?"): that colleague's next turn, which answers it.
    fn colleague_asked(&self, s: &str, voice: Voice) -> Option<&'a Segment> {
        if !matches!(voice, Voice::Request | Voice::RequestGet) {
            return None;
        }
        let name = VOCATIVE.captures(s)?.get(1)?.as_str();
        let colleague = self.meeting.attendees.iter().find(|a| {
            a.role == self.segment.role && a.name.split_whitespace().next() == Some(name)
        })?;
        self.meeting.segments[self.index + 1..]
            .iter()
            .take(3)
            .find(|seg| seg.speaker == colleague.name)
    }

    /// Whether a promise voiced this way stands: a request or an offer needs the other
    /// side's yes (and a request answered by a promise of their own is that promise);
    /// "so you'll send me…" stands unless they say no.
    fn agreed(&self, voice: Voice) -> bool {
        match voice {
            Voice::Request | Voice::RequestGet => {
                self.answer() == Answer::Agrees && !self.reply_promises()
            }
            Voice::Offer | Voice::Proposal => self.answer() == Answer::Agrees,
            Voice::ForOther | Voice::OwedByOther => self.answer() != Answer::Declines,
            Voice::Own | Voice::Delivery | Voice::Named => true,
            Voice::Negated => false,
        }
    }

    /// "…and if it helps I can get one of our engineers on a call": an offer made in
    /// passing, not a promise.
    fn offered_in_passing(&self, s: &str, from: usize, head: &promise::Head) -> bool {
        head.voice == Voice::Own
            && s[head.start..head.end].to_lowercase().ends_with("can")
            && promise::polite_if_before(&s[from..head.start])
    }

    fn answer(&self) -> Answer {
        self.reply
            .map_or(Answer::Neither, |r| promise::answer(&r.text))
    }

    /// Whether the reply makes a promise of its own ("Sure, I'll send it tonight"), not just
    /// a yes ("Yep, happy to").
    fn reply_promises(&self) -> bool {
        // "it" in the reply ("Absolutely, you'll have it Friday") is what this turn asks for.
        let probe = Turn {
            asked: self.request_in(&self.segment.text).or(self.asked),
            ..*self
        };
        self.reply.is_some_and(|r| {
            sentences(&r.text).iter().any(|s| {
                let heads = promise::heads(s.text);
                (0..heads.len()).any(|k| {
                    matches!(heads[k].voice, Voice::Own | Voice::Delivery | Voice::Named)
                        && probe.intent_at(s.text, &heads, k).is_some()
                })
            })
        })
    }

    fn owner(&self, head: &promise::Head) -> Role {
        let speaker = self.segment.role;
        match head.voice {
            Voice::ForOther | Voice::OwedByOther | Voice::Request | Voice::RequestGet => {
                speaker.other()
            }
            Voice::Named => head
                .name
                .as_deref()
                .and_then(|name| {
                    self.meeting
                        .attendees
                        .iter()
                        .find(|a| a.name.split_whitespace().next() == Some(name))
                })
                .map_or(speaker, |a| a.role),
            Voice::Own | Voice::Delivery | Voice::Offer | Voice::Negated => speaker,
            Voice::Proposal => Role::Rep,
        }
    }

    fn commitment(&self, promise: &Promise<'_>, owner_role: Role) -> Commitment {
        let Promise {
            head,
            intent,
            phrase,
            predicate,
            said,
            condition,
        } = *promise;
        let strength = if head.implicit
            || object::is_hedged(predicate)
            || IMPLICIT_VERB.is_match(object::core(predicate))
        {
            Strength::Implicit
        } else {
            Strength::Explicit
        };
        let asked_for = matches!(head.voice, Voice::Request | Voice::RequestGet);
        let due = self.today.and_then(|today| {
            due::resolve_in(said, &self.segment.text, today).or_else(|| {
                asked_for
                    .then(|| self.reply.and_then(|r| due::resolve(&r.text, today)))
                    .flatten()
            })
        });
        let mut confidence: f64 = match strength {
            Strength::Explicit => 0.9,
            Strength::Implicit => 0.8,
        };
        if due.is_some() {
            confidence += 0.05;
        }
        if condition.is_some() {
            confidence -= 0.2;
        }
        if owner_role != self.segment.role {
            confidence -= 0.05;
        }
        Commitment {
            speaker: self.segment.speaker.clone(),
            speaker_role: self.segment.role,
            owner_role,
            intent,
            phrase: phrase.to_string(),
            strength,
            conditional: condition.is_some(),
            condition: condition.map(str::to_string),
            due,
            confidence: (confidence * 100.0).round() / 100.0,
            segment_index: self.index,
        }
    }

    /// A sentence without a promise's opening that still looks like one: "don't send me a
    /// proposal yet", "no need for references", "hold off on the order form".
    fn look_alike(&self, s: &str, out: &mut Intents) {
        let Some(negation) = NEGATION.find(s) else {
            return;
        };
        let rest = &s[negation.start()..];
        if let Some(intent) = object::intent(rest, true, self.topic, None) {
            out.non_commitments.push(NonCommitment {
                speaker: self.segment.speaker.clone(),
                speaker_role: self.segment.role,
                looks_like: intent,
                phrase: rest.trim_end_matches(['.', '?', '!']).to_string(),
                segment_index: self.index,
            });
        }
    }
}
