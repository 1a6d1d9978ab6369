//! The email_received sequence's built-ins after triage: `draft-email-reply` (the rep's
//! reply to a pricing question, an objection or good news, in the sender's language, for the
//! rep to approve) and `email-triage-notice` (an inform-only note to the rep for what only
//! they can handle: support, contracts, and what was recorded in the CRM). Names and
//! subjects only in the notice; never the message body.

use serde_json::{Value, json};

use crate::{
    email::{self, first_name},
    triage,
};

fn triage_and_email(input: &Value) -> Result<(&Value, &Value), String> {
    let t = input
        .get("triage")
        .filter(|t| t.is_object())
        .ok_or("`triage` (the classify-email output) is missing")?;
    let e = input
        .get("email")
        .filter(|e| e.is_object())
        .ok_or("`email` is missing")?;
    Ok((t, e))
}

fn sender_name(email: &Value) -> String {
    let from = email["from"].as_str().unwrap_or_default();
    email::display_name(from).unwrap_or_else(|| from.to_string())
}

/// `draft-email-reply`.
pub fn draft_email_reply(input: &Value) -> Result<Value, String> {
    let (t, email) = triage_and_email(input)?;
    let name = sender_name(email);
    let first = first_name(&name);
    let rep = input
        .pointer("/context/user/name")
        .and_then(Value::as_str)
        .map(first_name)
        .unwrap_or_default();
    let spanish = t["language"] == "es";
    let line = match (t["category"].as_str().unwrap_or_default(), spanish) {
        ("pricing_question", false) => {
            "Thanks for asking. I'll put the numbers together for your team and send them over shortly; a quick call is the fastest way to an exact quote if that helps."
        }
        ("objection", false) => {
            "Thank you for being straight with me about this. Let me look at what we can do and come back to you with options. Would a short call this week help?"
        }
        ("positive_interest", false) => {
            "That's great to hear, thank you. I'll send the next steps over shortly."
        }
        (_, false) => "Thanks for your note. I'll get back to you shortly.",
        ("pricing_question", true) => {
            "Gracias por preguntar. Preparo los números para vuestro equipo y os los envío en breve; si os ayuda, una llamada corta es la forma más rápida de cerrar un presupuesto exacto."
        }
        ("objection", true) => {
            "Gracias por la franqueza. Déjame ver qué podemos hacer y vuelvo con opciones. ¿Os vendría bien una llamada corta esta semana?"
        }
        (_, true) => "Muchas gracias por tu mensaje. Te respondo en breve.",
    };
    let (hi, bye) = if spanish {
        ("Hola", "Un saludo")
    } else {
        ("Hi", "Best")
    };
    let subject = format!(
        "Re: {}",
        triage::strip_prefixes(email["subject"].as_str().unwrap_or_default())
    );
    Ok(json!({
        "to": {"name": name, "email": crate::email::address(email["from"].as_str().unwrap_or_default()), "contact_id": t["contact_id"]},
        "subject": subject,
        "body": format!("{hi} {first},\n\n{line}\n\n{bye},\n{rep}"),
        "in_reply_to": email.get("message_id"),
        "category": t["category"],
    }))
}

/// `email-triage-notice`.
pub fn email_triage_notice(input: &Value) -> Result<Value, String> {
    let (t, email) = triage_and_email(input)?;
    let who = sender_name(email);
    let subject = email["subject"].as_str().unwrap_or_default();
    let what = match t["category"].as_str().unwrap_or_default() {
        "support_issue" => {
            "a support issue; it needs you (or support), not a sales reply".to_string()
        }
        "contract_legal" => {
            "a contract or legal question; it needs you, not an automatic draft".to_string()
        }
        "out_of_office" => match t["return_date"].as_str() {
            Some(d) => {
                format!("an out-of-office reply; back {d} (recorded on the contact, not answered)")
            }
            None => "an out-of-office reply (not answered)".to_string(),
        },
        "not_interested" if t["opt_out"] == true => {
            "an opt-out; the contact is now do-not-contact and no email will go to them".to_string()
        }
        "not_interested" => {
            "not interested for now; consider closing or nurturing the deal".to_string()
        }
        "referral_wrong_person" => {
            let added = input
                .pointer("/outputs/record/referred_contact_id")
                .is_some_and(Value::is_string);
            match t.pointer("/referred_to/name").and_then(Value::as_str) {
                Some(n) if added => {
                    format!("the wrong person; they point to {n}, now a contact in your CRM")
                }
                Some(n) => format!("the wrong person; they point to {n}"),
                None => "the wrong person; they point to someone else".to_string(),
            }
        }
        other => other.replace('_', " "),
    };
    let text = format!("Email from {who} — \"{subject}\": {what}.");
    Ok(json!({
        "notification": {"template": "email_triage", "inform_only": true, "category": t["category"], "text": text},
    }))
}
