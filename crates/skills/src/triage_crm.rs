//! What `classify-email` reads from the CRM and pulls out of the text: the sender matched to
//! a contact (by address) or a company (by domain, never a free-mail one), the deal the email
//! is about, the return date of an out-of-office, the person a referral names, an opt-out.

use chrono::{DateTime, Datelike, NaiveDate};
use serde_json::{Value, json};

use crate::{
    email::{self, Email},
    json::list,
    pipeline::CLOSED,
    said::month_of as month,
};

const FREE_MAIL: [&str; 10] = [
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "icloud.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
];
/// The sender's place in the org's CRM.
pub struct Crm<'a> {
    contact: Option<&'a Value>,
    company: Option<&'a Value>,
    deal: Option<&'a Value>,
}

fn str_of<'a>(v: Option<&'a Value>, key: &str) -> Option<&'a str> {
    v.and_then(|v| v.get(key)).and_then(Value::as_str)
}

impl<'a> Crm<'a> {
    pub fn match_sender(org: &'a Value, e: &Email) -> Crm<'a> {
        let sender = e.sender();
        let contact = list(org, "contacts").find(|c| {
            c.get("email")
                .and_then(Value::as_str)
                .is_some_and(|a| a.eq_ignore_ascii_case(&sender))
        });
        let domain = sender
            .rsplit_once('@')
            .map(|(_, d)| d.to_string())
            .unwrap_or_default();
        let company = match str_of(contact, "company_id") {
            Some(id) => list(org, "companies").find(|c| c["id"] == id),
            None if !FREE_MAIL.contains(&domain.as_str()) && !domain.is_empty() => {
                list(org, "companies").find(|c| {
                    c["domain"]
                        .as_str()
                        .is_some_and(|d| d.eq_ignore_ascii_case(&domain))
                })
            }
            None => None,
        };
        let deal = company.and_then(|co| company_deal(org, &co["id"]));
        Crm {
            contact,
            company,
            deal,
        }
    }

    /// The CRM contacts on the thread besides the sender (its To and Cc), in that order.
    pub fn thread_contacts(org: &Value, e: &Email) -> Vec<String> {
        let sender = e.sender();
        let mut out: Vec<String> = Vec::new();
        for addr in e.to.iter().chain(&e.cc).filter_map(|a| email::address(a)) {
            if addr.eq_ignore_ascii_case(&sender) {
                continue;
            }
            let found = list(org, "contacts").find(|c| {
                c["email"]
                    .as_str()
                    .is_some_and(|a| a.eq_ignore_ascii_case(&addr))
            });
            if let Some(id) = found.and_then(|c| c["id"].as_str())
                && !out.iter().any(|o| o == id)
            {
                out.push(id.to_string());
            }
        }
        out
    }

    pub fn knows_sender(&self) -> bool {
        self.contact.is_some() || self.company.is_some()
    }

    pub fn contact_id(&self) -> Option<&str> {
        str_of(self.contact, "id")
    }

    pub fn company_id(&self) -> Option<&str> {
        str_of(self.company, "id")
    }

    pub fn deal_id(&self) -> Option<&str> {
        str_of(self.deal, "id")
    }

    pub fn owner_user_id(&self) -> Option<&str> {
        str_of(self.deal, "owner_user_id")
    }
}

/// The company's deal an email is about: its most recently active open deal, else its most
/// recently active one.
fn company_deal<'a>(org: &'a Value, company: &Value) -> Option<&'a Value> {
    let activity = |d: &&&Value| {
        d["last_activity_at"]
            .as_str()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
    };
    let deals: Vec<&Value> = list(org, "deals")
        .filter(|d| &d["company_id"] == company)
        .collect();
    let open = deals
        .iter()
        .filter(|d| !d["stage"].as_str().is_some_and(|s| CLOSED.contains(&s)))
        .max_by_key(activity);
    open.or_else(|| deals.iter().max_by_key(activity)).copied()
}

patterns! {
    RETURN = r"(?i)\b(?:back|return(?:ing)?|until|till|through|hasta|volver[ée])\b[^.\n]{0,40}?\b(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?";
    RETURN_DM = r"(?i)\b(?:back|return(?:ing)?|until|till|through)\b[^.\n]{0,40}?\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b\.?(?:,?\s+(\d{4}))?";
    RETURN_ES = r"(?i)\b(?:hasta|volver[ée]|regreso)\b[^.\n]{0,30}?\b(\d{1,2}) de (enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)(?: de (\d{4}))?";
}

/// "back on Tuesday, December 1" sent on 2026-11-25 → 2026-12-01. Without a year, the first
/// such date not long before the email.
pub fn extract_return_date(text: &str, sent: Option<&str>) -> Option<String> {
    let sent = sent
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|d| d.date_naive());
    let (m, d, y) = if let Some(c) = RETURN.captures(text) {
        (
            month(&c[1])?,
            c[2].parse().ok()?,
            c.get(3).and_then(|y| y.as_str().parse().ok()),
        )
    } else if let Some(c) = RETURN_DM
        .captures(text)
        .or_else(|| RETURN_ES.captures(text))
    {
        (
            month(&c[2])?,
            c[1].parse().ok()?,
            c.get(3).and_then(|y| y.as_str().parse().ok()),
        )
    } else {
        return None;
    };
    let year = y.unwrap_or_else(|| {
        let base = sent.map_or(2026, |s| s.year());
        match (NaiveDate::from_ymd_opt(base, m, d), sent) {
            (Some(date), Some(s)) if (s - date).num_days() > 31 => base + 1,
            _ => base,
        }
    });
    NaiveDate::from_ymd_opt(year, m, d).map(|d| d.to_string())
}

patterns! {
    /// A name is capitalised words: matched case-sensitively inside the case-insensitive pattern.
    PERSON = r"(?:(?:our|the|my) ([a-z][a-z ]{2,40}?),\s+)?((?-i:\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+){1,2}))\s*(?:\(|-|–|—|at|:|,)?\s*<?([A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})";
}

/// The person a "wrong person" reply points to: name, address and, when said, title.
pub fn referred_to(text: &str, sender: &str) -> Option<Value> {
    for c in PERSON.captures_iter(text) {
        let addr = c[3].to_lowercase();
        if addr != sender {
            let title = c.get(1).map(|t| title_case(t.as_str()));
            return Some(json!({"name": &c[2], "email": addr, "title": title}));
        }
    }
    let addr = email::addresses(text).into_iter().find(|a| a != sender)?;
    Some(json!({"name": null, "email": addr, "title": null}))
}

fn title_case(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

patterns! {
    OPT_OUT = r"(?i)\b((take|remove) (me|us) (off|from)|remove (my|our) (address|e-?mail|details|name) from|unsubscribe|stop (e-?mailing|contacting|sending)|do not (contact|email)|don'?t (contact|email) (me|us)|dar(me|nos) de baja|no (me|nos) (escrib|contact))";
}

/// The sender asked not to be contacted again.
pub fn opted_out(text: &str) -> bool {
    OPT_OUT.is_match(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_return_date_without_a_year_is_the_next_one() {
        let sent = Some("2026-12-20T10:00:00-05:00");
        assert_eq!(
            extract_return_date("I am back on Monday, January 4.", sent).as_deref(),
            Some("2027-01-04")
        );
        assert_eq!(
            extract_return_date("Away, back on 4th January.", sent).as_deref(),
            Some("2027-01-04")
        );
        assert_eq!(extract_return_date("Away, back soon.", sent), None);
        assert_eq!(
            extract_return_date("Estaré fuera hasta el 7 de enero.", sent).as_deref(),
            Some("2027-01-07")
        );
        assert_eq!(
            extract_return_date("I'm back Monday, December 21", sent).as_deref(),
            Some("2026-12-21")
        );
    }

    #[test]
    fn a_referral_names_the_person_and_their_title() {
        let r = referred_to(
            "You'd want our service manager, Tasha Greene (tgreene@peach.com).",
            "me@peach.com",
        )
        .unwrap();
        assert_eq!(r["name"], "Tasha Greene");
        assert_eq!(r["email"], "tgreene@peach.com");
        assert_eq!(r["title"], "Service Manager");
    }
}
