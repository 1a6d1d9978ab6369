//! An inbound email in the sample-data format, and what a reader looks at: the new text only
//! (quoted replies, Outlook `Original Message` blocks, signatures, disclaimers and phone
//! footers stripped; a forwarded message's own text kept), its language, the autoreply
//! headers and the sender's address.

use serde::Deserialize;
use serde_json::Value;

/// Bodies longer than this are read only up to here (a reply's new text comes first).
const MAX_BODY_CHARS: usize = 64 * 1024;

#[derive(Debug, Clone, Deserialize)]
pub struct Email {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub thread_id: Option<String>,
    pub from: String,
    #[serde(default)]
    pub to: Vec<String>,
    #[serde(default)]
    pub cc: Vec<String>,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub body_text: String,
    #[serde(default)]
    pub headers: serde_json::Map<String, Value>,
}

patterns! {
    /// Where the quoted or appended part of a reply begins.
    QUOTE_START = r"(?i)^(on .{4,200}wrote:?|el .{4,200}escribió:?|-{2,}\s*(original message|mensaje original|forwarded message)\s*-{2,}|sent from my \w+|enviado desde mi \w+|get outlook for \w+)\s*$";
    /// The first line of a legal footer.
    DISCLAIMER = r"(?i)^(confidentiality notice|disclaimer|this (e-?mail|electronic mail|message|communication)\b.{0,60}\b(confidential|intended (only|solely))|aviso de confidencialidad|este (mensaje|correo) .{0,60}confidencial)";
    /// A line that closes the message: what follows is the signature.
    SIGN_OFF = r"(?i)^(thanks|thank you|many thanks|thanks again|thx|cheers|regards|best|best regards|kind regards|warm regards|all the best|sincerely|talk soon|un saludo|saludos|un abrazo|gracias|muchas gracias|atentamente|cordialmente)[\s,.!]*$";
    OUTLOOK_HEADER = r"(?i)^(from|de|sent|enviado( el)?|to|para|cc|subject|asunto|date|fecha):\s";
    IMAGE = r"\[cid:[^\]]*\]";
    ADDRESS = r"(?i)[a-z0-9._%+'-]+@[a-z0-9.-]+\.[a-z]{2,}";
}

impl Email {
    pub fn parse(v: &Value) -> Result<Email, String> {
        let mut e = Email::deserialize(v).map_err(|e| format!("not an email: {e}"))?;
        if e.body_text.len() > MAX_BODY_CHARS {
            let mut end = MAX_BODY_CHARS;
            while !e.body_text.is_char_boundary(end) {
                end -= 1;
            }
            e.body_text.truncate(end);
        }
        Ok(e)
    }

    /// The sender's address, lower-cased.
    pub fn sender(&self) -> String {
        address(&self.from).unwrap_or_default()
    }

    /// The sender's display name (`Name <addr>`), or the address.
    pub fn sender_name(&self) -> String {
        display_name(&self.from).unwrap_or_else(|| self.sender())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.as_str())
    }

    /// Marked by its headers as an automatic reply (RFC 3834 and the common vendor ones).
    pub fn auto_submitted(&self) -> bool {
        let auto = self
            .header("Auto-Submitted")
            .is_some_and(|v| !v.trim().eq_ignore_ascii_case("no"));
        let precedence = self
            .header("Precedence")
            .is_some_and(|v| v.eq_ignore_ascii_case("auto_reply"));
        auto || precedence
            || self.header("X-Autoreply").is_some()
            || self.header("X-Autorespond").is_some()
    }

    pub fn forwarded(&self) -> bool {
        let s = self.subject.trim_start().to_ascii_lowercase();
        ["fw:", "fwd:", "rv:", "reenv:"]
            .iter()
            .any(|p| s.starts_with(p))
    }

    /// The text the sender wrote (and, for a forward, the forwarded message's text).
    pub fn new_text(&self) -> String {
        let first = first_name(&self.sender_name()).to_lowercase();
        let full = self.sender_name().to_lowercase();
        let mut out: Vec<&str> = Vec::new();
        let mut in_signature = false;
        let lines: Vec<&str> = self.body_text.lines().collect();
        for (i, raw) in lines.iter().enumerate() {
            let line = raw.trim();
            if line.starts_with('>')
                || IMAGE.is_match(line) && IMAGE.replace_all(line, "").trim().is_empty()
            {
                continue;
            }
            if DISCLAIMER.is_match(line) || QUOTE_START.is_match(line) && !self.forwarded() {
                break;
            }
            if outlook_block_at(&lines, i) {
                if !self.forwarded() {
                    break;
                }
                in_signature = false; // the forwarded message starts here
                continue;
            }
            if OUTLOOK_HEADER.is_match(line) && self.forwarded()
                || line.chars().all(|c| c == '_' || c == '-') && !line.is_empty()
            {
                continue;
            }
            if in_signature {
                continue;
            }
            let lower = line.to_lowercase();
            let has_content = out.iter().any(|l| !l.trim().is_empty());
            if has_content
                && (SIGN_OFF.is_match(line) || lower == first || lower == full || line == "--")
            {
                in_signature = true;
                continue;
            }
            out.push(line);
        }
        out.join("\n").trim().to_string()
    }
}

/// An Outlook-style header block (`From:` then `Sent:`/`To:` within two lines) starts here.
fn outlook_block_at(lines: &[&str], i: usize) -> bool {
    let is = |j: usize, names: &[&str]| {
        lines.get(j).is_some_and(|l| {
            let l = l.trim().to_ascii_lowercase();
            names.iter().any(|n| l.starts_with(n))
        })
    };
    is(i, &["from:", "de:"])
        && (is(i + 1, &["sent:", "enviado", "date:", "fecha:"])
            || is(i + 2, &["sent:", "to:", "enviado", "para:"]))
}

/// The address in `Name <addr>` or a bare address, lower-cased.
pub fn address(s: &str) -> Option<String> {
    ADDRESS.find(s).map(|m| m.as_str().to_lowercase())
}

/// Every address in a text, lower-cased, in order.
pub fn addresses(text: &str) -> Vec<String> {
    ADDRESS
        .find_iter(text)
        .map(|m| m.as_str().to_lowercase())
        .collect()
}

/// The name in `Name <addr>` (None for a bare address).
pub fn display_name(from: &str) -> Option<String> {
    from.split_once('<')
        .map(|(name, _)| name.trim().trim_matches('"').to_string())
        .filter(|n| !n.is_empty())
}

pub fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

/// `es` when Spanish function words outnumber English ones, else `en`.
pub fn language(text: &str) -> &'static str {
    // Function words each language uses and its neighbours mostly do not.
    const WORDS: [(&str, &[&str]); 7] = [
        (
            "en",
            &[
                "the", "and", "to", "is", "you", "we", "for", "of", "it", "that", "this", "with",
                "on", "are", "be", "can", "have", "will", "our", "your",
            ],
        ),
        (
            "es",
            &[
                "el", "la", "los", "las", "que", "del", "y", "para", "por", "con", "una", "nos",
                "es", "muy", "pero", "gracias", "hola", "usted", "podemos", "semana", "mañana",
                "tarde", "está", "estaré", "qué", "hay", "si", "tendría", "pagamos", "año",
            ],
        ),
        (
            "pt",
            &[
                "o",
                "os",
                "não",
                "com",
                "uma",
                "obrigado",
                "obrigada",
                "estou",
                "até",
                "para",
                "sua",
                "meu",
                "minha",
                "você",
                "assuntos",
                "contacte",
                "escritório",
            ],
        ),
        (
            "fr",
            &[
                "le",
                "les",
                "je",
                "vous",
                "nous",
                "est",
                "et",
                "pour",
                "avec",
                "une",
                "merci",
                "bonjour",
                "suis",
                "mon",
                "votre",
                "pas",
                "toute",
                "cordialement",
            ],
        ),
        (
            "de",
            &[
                "der", "die", "das", "und", "ich", "sie", "ist", "nicht", "mit", "für", "bitte",
                "vielen", "dank", "bis", "zum", "auf", "meine", "ihre", "grüßen", "grüße", "wir",
                "oder", "mir", "uns", "hallo", "viele", "nächste", "woche", "könnten", "können",
                "würde", "wäre", "haben", "ein", "eine", "gerne",
            ],
        ),
        (
            "nl",
            &[
                "de", "het", "een", "ik", "en", "van", "niet", "met", "voor", "bedankt", "uw",
                "tot", "mijn", "kunt", "zaken", "ons",
            ],
        ),
        (
            "it",
            &[
                "il", "gli", "che", "non", "sono", "grazie", "della", "per", "con", "una", "fino",
                "ufficio", "cordiali", "saluti",
            ],
        ),
    ];
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let score = |list: &[&str]| words.iter().filter(|w| list.contains(&w.as_str())).count();
    // English wins ties: most mail is English, and a short line says little.
    WORDS
        .iter()
        .map(|(lang, list)| (*lang, score(list)))
        .fold(
            ("en", 0),
            |best, (lang, n)| if n > best.1 { (lang, n) } else { best },
        )
        .0
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quoted_replies_signatures_and_disclaimers_are_not_read() {
        let e = Email::parse(&json!({
            "from": "Pat Doe <pat@example.com>", "subject": "Re: hi",
            "body_text": "Sounds good.\n\nPat\n\nPat Doe | VP Ops\n555-0100\n\nOn Mon, Nov 30, 2026 at 9:00 AM Sam <sam@x.io> wrote:\n> pricing?\n\nCONFIDENTIALITY NOTICE: secret"
        }))
        .unwrap();
        assert_eq!(e.new_text(), "Sounds good.");
    }

    #[test]
    fn a_forward_keeps_the_forwarded_text_and_a_reply_drops_the_outlook_block() {
        let body = "See below.\n\nNadia\n\n____\nFrom: Ryan <r@x.io>\nSent: 26 November\nTo: Nadia\nSubject: Rooms\n\nThe room is free Thursday.\n\nThanks\nRyan";
        let fw = Email::parse(
            &json!({"from": "Nadia H <n@x.io>", "subject": "FW: Rooms", "body_text": body}),
        )
        .unwrap();
        assert!(fw.new_text().contains("free Thursday"));
        let re = Email::parse(
            &json!({"from": "Nadia H <n@x.io>", "subject": "RE: Rooms", "body_text": body}),
        )
        .unwrap();
        assert_eq!(re.new_text(), "See below.");
    }

    #[test]
    fn language_is_told_by_function_words() {
        assert_eq!(
            language("¿Podríamos hablar la semana que viene por la tarde?"),
            "es"
        );
        assert_eq!(language("Could we talk next week in the afternoon?"), "en");
    }
}
