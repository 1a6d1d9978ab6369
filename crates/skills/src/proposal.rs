//! `generate-proposal`: the proposal document for a deal — rendered as Markdown from the deal,
//! the company, the org's product profile and (when the tier-3 source answered) its proposal
//! template — and the email that carries it as an attachment. The email says "attached"
//! because the attachment is in the draft; the step-executor stores the document as a
//! `proposals` row (`record-proposal`) and the email provider receives the file.

use base64::Engine as _;
use serde_json::{Value, json};

use crate::{email::first_name, messages::thousands};

/// The sections a proposal has when the org has no template.
const DEFAULT_SECTIONS: [&str; 5] = [
    "Your goals",
    "Proposed solution",
    "Pricing",
    "Implementation plan",
    "Next steps",
];

/// What the document is made from.
struct Facts<'a> {
    deal: &'a Value,
    company: &'a Value,
    contact_name: &'a str,
    profile: &'a Value,
    options: Vec<Value>,
    currency: &'a str,
    commitment: Option<&'a str>,
}

pub fn generate_proposal(input: &Value) -> Result<Value, String> {
    let ctx = input.get("context").unwrap_or(&Value::Null);
    let deal = ctx
        .get("deal")
        .filter(|d| d.is_object())
        .ok_or("context.deal is missing: generate-proposal needs a deal (event payload deal_id)")?;
    let deal_name = deal["name"].as_str().unwrap_or("your team");
    let currency = deal["currency"].as_str().unwrap_or("USD");
    let contact = ctx.get("contact").filter(|c| c.is_object());
    let facts = Facts {
        deal,
        company: ctx.get("company").unwrap_or(&Value::Null),
        contact_name: contact.and_then(|c| c["name"].as_str()).unwrap_or("there"),
        profile: ctx.pointer("/org/product_profile").unwrap_or(&Value::Null),
        options: pricing_options(ctx, currency),
        currency,
        commitment: input
            .pointer("/event/payload/commitment")
            .and_then(Value::as_str),
    };
    let template = ctx.get("proposal_templates").filter(|t| t.is_object());
    let sections: Vec<String> = template
        .and_then(|t| t["sections"].as_array())
        .map(|s| {
            s.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_else(|| DEFAULT_SECTIONS.iter().map(|s| s.to_string()).collect());
    let title = format!("Proposal: {deal_name}");
    let document = render(&title, &sections, &facts);
    let filename = format!("{}.md", file_stem(&title));
    let mut body = format!(
        "Hi {},\n\nAs promised, here is our proposal for {deal_name}.\n",
        first_name(facts.contact_name)
    );
    let lines = pricing_lines(&facts.options, currency);
    if !lines.is_empty() {
        body.push_str(&format!("\nOptions:\n{}\n", lines.join("\n")));
    }
    body.push_str(&format!(
        "\nThe full proposal is attached ({filename}). Happy to walk through it on a call.\n"
    ));
    let attachment = json!({
        "filename": filename,
        "content_type": "text/markdown; charset=utf-8",
        "content_base64": base64::engine::general_purpose::STANDARD.encode(&document),
    });
    Ok(json!({
        "title": title,
        "deal_id": deal.get("id"),
        "sections": sections,
        "options": facts.options,
        "deal_amount": deal["amount"].as_f64(),
        "template_used": template.is_some(),
        "in_response_to": facts.commitment,
        "document": document,
        "email": {
            "to": contact.map(|c| json!({"name": c.get("name"), "email": c.get("email"), "contact_id": c.get("id")})),
            "subject": title,
            "body": body,
            "attachments": [attachment],
        }
    }))
}

/// The document: a title, who it is for, then each section with what the facts say about it;
/// a section the facts say nothing about is left for the rep to write, and says so.
fn render(title: &str, sections: &[String], f: &Facts<'_>) -> String {
    let company = f.company["name"].as_str().unwrap_or("");
    let mut doc = format!("# {title}\n\nPrepared for {}", f.contact_name);
    if !company.is_empty() {
        doc.push_str(&format!(", {company}"));
    }
    doc.push_str(".\n");
    for section in sections {
        doc.push_str(&format!("\n## {section}\n\n"));
        doc.push_str(&section_text(section, f).unwrap_or_else(|| {
            "_To be written by your account executive before sending._\n".into()
        }));
    }
    doc
}

/// What the facts say for a section, chosen by what its heading is about.
fn section_text(section: &str, f: &Facts<'_>) -> Option<String> {
    let s = section.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| s.contains(w));
    if has(&["goal", "summary", "overview", "objective"]) {
        let mut t = String::new();
        if let Some(c) = f.commitment {
            t.push_str(&format!("From our conversation: \"{c}\"\n\n"));
        }
        let techs = f.company["field_technicians"].as_f64();
        if let Some(n) = techs {
            t.push_str(&format!("A rollout for {n:.0} field technicians.\n"));
        }
        return (!t.is_empty()).then_some(t);
    }
    if has(&["solution", "product", "scope"]) {
        let summary = f.profile["summary"].as_str()?;
        let points = crate::messages::strings(&f.profile["differentiators"])
            .map(|d| format!("- {d}\n"))
            .collect::<String>();
        return Some(format!("{summary}\n\n{points}"));
    }
    if has(&["pricing", "price", "investment", "cost"]) {
        return pricing_section(f);
    }
    if has(&["implementation", "onboarding", "rollout", "timeline"]) {
        let fee = &f.profile["implementation_fee"];
        let amount = fee["standard"].as_i64()?;
        let note = fee["note"]
            .as_str()
            .map_or(String::new(), |n| format!(" ({n})"));
        return Some(format!(
            "Implementation: {} {}{note}.\n",
            thousands(amount),
            fee["currency"].as_str().unwrap_or(f.currency)
        ));
    }
    if has(&["next step"]) {
        let close = f.deal["close_date"].as_str();
        let mut t =
            String::from("- A call to walk through this proposal\n- Order form and kickoff date\n");
        if let Some(d) = close {
            t.push_str(&format!("- Target start before {d}\n"));
        }
        return Some(t);
    }
    None
}

fn pricing_section(f: &Facts<'_>) -> Option<String> {
    if f.options.is_empty() {
        return None;
    }
    let mut t = String::from(
        "| Plan | Per technician / month | Technicians | Per year |\n|---|---|---|---|\n",
    );
    for o in &f.options {
        let or_dash = |v: &Value| {
            v.as_f64()
                .map_or("—".into(), |x| thousands(x.round() as i64))
        };
        t.push_str(&format!(
            "| {} | {} {} | {} | {} |\n",
            o["plan"].as_str().unwrap_or(""),
            money(&o["price_per_technician_month"]),
            f.currency,
            or_dash(&o["technicians"]),
            or_dash(&o["annual_total"]),
        ));
    }
    let includes = f.profile["plans"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["currency"] == f.currency)
        .filter_map(|p| {
            let items: Vec<&str> = crate::messages::strings(&p["includes"]).collect();
            (!items.is_empty()).then(|| {
                format!(
                    "- {}: {}\n",
                    p["name"].as_str().unwrap_or(""),
                    items.join(", ")
                )
            })
        })
        .collect::<String>();
    if !includes.is_empty() {
        t.push_str(&format!("\n{includes}"));
    }
    Some(t)
}

/// 65.0 → "65", 64.5 → "64.50", 7500 → "7,500".
fn money(v: &Value) -> String {
    match v.as_f64() {
        Some(x) if x.fract() == 0.0 => thousands(x as i64),
        Some(x) => format!("{x:.2}"),
        None => "—".into(),
    }
}

/// "Proposal: Keystone — Field Pro" → "Proposal-Keystone-Field-Pro".
fn file_stem(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    words.join("-")
}

/// The org's plans in the deal's currency, priced for the company's field technicians.
fn pricing_options(ctx: &Value, currency: &str) -> Vec<Value> {
    let technicians = ctx
        .pointer("/company/field_technicians")
        .and_then(Value::as_f64);
    let plans = ctx
        .pointer("/org/product_profile/plans")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|plan| plan.get("currency").and_then(Value::as_str) == Some(currency));
    plans
        .filter_map(|plan| {
            let price = plan.get("price_per_technician_month")?.as_f64()?;
            let name = plan.get("name")?.as_str()?;
            Some(json!({
                "plan": name,
                "price_per_technician_month": price,
                "technicians": technicians,
                "annual_total": technicians.map(|t| t * price * 12.0),
                "currency": currency,
            }))
        })
        .collect()
}

/// One line per priced option, for the proposal email.
fn pricing_lines(options: &[Value], currency: &str) -> Vec<String> {
    options
        .iter()
        .map(|o| {
            let annual = o["annual_total"]
                .as_f64()
                .map(|t| format!(" ({t:.0} {currency} a year)"))
                .unwrap_or_default();
            format!(
                "- {}: {} {currency}/technician/month{annual}",
                o["plan"].as_str().unwrap_or_default(),
                money(&o["price_per_technician_month"]),
            )
        })
        .collect()
}
