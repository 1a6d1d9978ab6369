//! Pipeline and campaign health, from an org in the sample-data format: the deals that have
//! gone quiet (`find-stale-deals`) and the campaigns that underperform (`monitor-campaigns`).
//! Deterministic rules, measured against the data README's truth; "now" is the org's
//! `as_of` (or the input's `now`), never the clock, so the same input always answers alike.
//!
//! Input: the org itself, or `{"org": <org>, "now"?, …thresholds}`.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::{Map, Value, json};

use crate::json::list;

/// Deals in these stages are finished: never stale.
pub(crate) const CLOSED: [&str; 2] = ["closed_won", "closed_lost"];
/// Inactive strictly longer than this many days (of 24 h) is stale, by default.
pub const STALE_AFTER_DAYS: f64 = 14.0;

/// Campaign health thresholds over the last `window_days` (ending the day before now).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CampaignRule {
    pub window_days: i64,
    /// Bounced / sent above this is `high_bounce_rate`.
    pub max_bounce_rate: f64,
    /// Opened / delivered below this is `low_open_rate`.
    pub min_open_rate: f64,
    /// Replied / delivered below this is `low_reply_rate`.
    pub min_reply_rate: f64,
}

impl Default for CampaignRule {
    fn default() -> Self {
        CampaignRule {
            window_days: 7,
            max_bounce_rate: 0.05,
            min_open_rate: 0.20,
            min_reply_rate: 0.01,
        }
    }
}

/// The org an input is about, and its "now".
fn org_and_now(input: &Value) -> Result<(&Value, DateTime<Utc>), String> {
    let org = input.get("org").filter(|o| o.is_object()).unwrap_or(input);
    let now = input
        .get("now")
        .or_else(|| org.get("as_of"))
        .and_then(Value::as_str)
        .ok_or("the org has no `as_of` (and the input no `now`): staleness is measured from it")?;
    let now = DateTime::parse_from_rfc3339(now)
        .map_err(|e| format!("`as_of`/`now` {now:?} is not an RFC 3339 time: {e}"))?;
    Ok((org, now.with_timezone(&Utc)))
}

/// A non-negative number the input may set; absent means `default`, anything else is bad
/// input (a threshold that silently fell back would judge by a rule nobody asked for).
fn number(input: &Value, key: &str, default: f64) -> Result<f64, String> {
    match input.get(key) {
        None | Some(Value::Null) => Ok(default),
        Some(v) => v
            .as_f64()
            .filter(|x| x.is_finite() && *x >= 0.0)
            .ok_or_else(|| format!("`{key}` must be a non-negative number, not {v}")),
    }
}

/// The campaign window in whole days, 1 to 366.
fn window_days(input: &Value, default: i64) -> Result<i64, String> {
    let days = number(input, "window_days", default as f64)?;
    if days.fract() != 0.0 || !(1.0..=366.0).contains(&days) {
        return Err(format!(
            "`window_days` must be a whole number from 1 to 366, not {days}"
        ));
    }
    Ok(days as i64)
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

/// `find-stale-deals`: open deals whose last activity is strictly more than `threshold_days`
/// × 24 h before now, most neglected first, with each owner's list.
pub fn find_stale_deals(input: &Value) -> Result<Value, String> {
    let (org, now) = org_and_now(input)?;
    let days = number(input, "threshold_days", STALE_AFTER_DAYS)?;
    let threshold = Duration::milliseconds((days * 86_400_000.0).round() as i64);
    let mut stale = Vec::new();
    for deal in list(org, "deals") {
        let stage = deal.get("stage").and_then(Value::as_str).unwrap_or("");
        if CLOSED.contains(&stage) {
            continue;
        }
        let id = deal.get("id").and_then(Value::as_str).unwrap_or("?");
        let Some(last) = deal
            .get("last_activity_at")
            .or_else(|| deal.get("created_at"))
            .and_then(Value::as_str)
        else {
            return Err(format!("deal {id} has no last_activity_at"));
        };
        let last = DateTime::parse_from_rfc3339(last)
            .map_err(|e| format!("deal {id}: last_activity_at {last:?}: {e}"))?;
        let idle = now - last.with_timezone(&Utc);
        if idle > threshold {
            stale.push((idle, deal));
        }
    }
    stale.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut by_owner: Map<String, Value> = Map::new();
    let deals: Vec<Value> = stale
        .iter()
        .map(|(idle, deal)| {
            let owner = deal.get("owner_user_id").cloned().unwrap_or(Value::Null);
            if let Some(o) = owner.as_str() {
                let ids = by_owner.entry(o).or_insert_with(|| json!([]));
                if let Some(ids) = ids.as_array_mut() {
                    ids.push(deal["id"].clone());
                }
            }
            json!({
                "deal_id": deal["id"],
                "name": deal.get("name"),
                "stage": deal.get("stage"),
                "days_since_activity": round(idle.num_milliseconds() as f64 / 86_400_000.0, 2),
                "owner_user_id": owner,
            })
        })
        .collect();
    Ok(json!({
        "as_of": now,
        "threshold_days": days,
        "stale_deals": deals,
        "by_owner": by_owner,
    }))
}

/// One campaign's totals over the window.
#[derive(Debug, Default, Clone, Copy)]
struct Totals {
    sent: u64,
    delivered: u64,
    opened: u64,
    replied: u64,
    bounced: u64,
}

fn totals(campaign: &Value, from: NaiveDate, to: NaiveDate) -> Totals {
    let mut t = Totals::default();
    for day in list(campaign, "daily_metrics") {
        let date = day
            .get("date")
            .and_then(Value::as_str)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        if !date.is_some_and(|d| d >= from && d <= to) {
            continue;
        }
        let n = |k: &str| day.get(k).and_then(Value::as_u64).unwrap_or(0);
        t.sent += n("sent");
        t.delivered += n("delivered");
        t.opened += n("opened");
        t.replied += n("replied");
        t.bounced += n("bounced");
    }
    t
}

/// `part / whole`, or `None` when nothing was sent (no rate to judge).
fn rate(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// `monitor-campaigns`: each campaign's bounce, open and reply rates over the window, and
/// whether (and why) it underperforms. A campaign that sent nothing in the window has no
/// rates and is not judged.
pub fn monitor_campaigns(input: &Value) -> Result<Value, String> {
    let (org, now) = org_and_now(input)?;
    let d = CampaignRule::default();
    let rule = CampaignRule {
        window_days: window_days(input, d.window_days)?,
        max_bounce_rate: number(input, "max_bounce_rate", d.max_bounce_rate)?,
        min_open_rate: number(input, "min_open_rate", d.min_open_rate)?,
        min_reply_rate: number(input, "min_reply_rate", d.min_reply_rate)?,
    };
    let to = now.date_naive() - Duration::days(1);
    let from = to - Duration::days(rule.window_days - 1);
    let campaigns: Vec<Value> = list(org, "campaigns")
        .map(|c| judge(c, totals(c, from, to), &rule))
        .collect();
    Ok(json!({
        "window": { "from": from, "to": to },
        "rule": {
            "window_days": rule.window_days,
            "max_bounce_rate": rule.max_bounce_rate,
            "min_open_rate": rule.min_open_rate,
            "min_reply_rate": rule.min_reply_rate,
        },
        "campaigns": campaigns,
    }))
}

fn judge(campaign: &Value, t: Totals, rule: &CampaignRule) -> Value {
    let bounce = rate(t.bounced, t.sent);
    let open = rate(t.opened, t.delivered);
    let reply = rate(t.replied, t.delivered);
    let mut reasons = Vec::new();
    if bounce.is_some_and(|r| r > rule.max_bounce_rate) {
        reasons.push("high_bounce_rate");
    }
    if open.is_some_and(|r| r < rule.min_open_rate) {
        reasons.push("low_open_rate");
    }
    if reply.is_some_and(|r| r < rule.min_reply_rate) {
        reasons.push("low_reply_rate");
    }
    json!({
        "campaign_id": campaign.get("id"),
        "name": campaign.get("name"),
        "owner_user_id": campaign.get("owner_user_id"),
        "underperforming": !reasons.is_empty(),
        "reasons": reasons,
        "last_7_days": {
            "sent": t.sent,
            "delivered": t.delivered,
            "bounce_rate": bounce.map(|r| round(r, 4)),
            "open_rate": open.map(|r| round(r, 4)),
            "reply_rate": reply.map(|r| round(r, 4)),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(deals: Value) -> Value {
        json!({ "id": "org_t", "as_of": "2026-11-30T12:00:00Z", "deals": deals })
    }

    #[test]
    fn stale_is_strictly_more_than_fourteen_days_of_twenty_four_hours() {
        let input = org(json!([
            { "id": "d_just_over", "stage": "proposal", "owner_user_id": "u_a", "last_activity_at": "2026-11-16T11:59:59Z" },
            { "id": "d_exactly", "stage": "proposal", "owner_user_id": "u_a", "last_activity_at": "2026-11-16T12:00:00Z" },
            { "id": "d_won", "stage": "closed_won", "owner_user_id": "u_a", "last_activity_at": "2026-01-01T00:00:00Z" },
            { "id": "d_old", "stage": "discovery", "owner_user_id": "u_b", "last_activity_at": "2026-10-01T00:00:00-05:00" },
        ]));
        let out = find_stale_deals(&input).unwrap();
        let ids: Vec<&str> = out["stale_deals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["deal_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["d_old", "d_just_over"]);
        assert_eq!(out["stale_deals"][1]["days_since_activity"], 14.0);
        assert_eq!(out["by_owner"]["u_b"], json!(["d_old"]));
        let looser = json!({ "org": input, "threshold_days": 30 });
        assert_eq!(
            find_stale_deals(&looser).unwrap()["stale_deals"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn a_threshold_that_is_not_a_sane_number_is_bad_input() {
        let org = org(json!([]));
        for (skill, key, value) in [
            (
                find_stale_deals as fn(&Value) -> Result<Value, String>,
                "threshold_days",
                json!("30"),
            ),
            (find_stale_deals, "threshold_days", json!(-1)),
            (monitor_campaigns, "window_days", json!(0)),
            (monitor_campaigns, "window_days", json!(2.5)),
            (monitor_campaigns, "min_open_rate", json!(true)),
        ] {
            let input = json!({ "org": org, key: value });
            let err = skill(&input).unwrap_err();
            assert!(err.contains(key), "{key}={value}: {err}");
        }
        let fine = json!({ "org": org, "window_days": 30, "threshold_days": 7.5 });
        assert!(monitor_campaigns(&fine).is_ok() && find_stale_deals(&fine).is_ok());
    }

    #[test]
    fn an_org_without_a_now_is_bad_input() {
        let err = find_stale_deals(&json!({ "deals": [] })).unwrap_err();
        assert!(err.contains("as_of"), "{err}");
    }

    #[test]
    fn campaigns_are_judged_on_the_seven_days_before_now() {
        let day = |date: &str, sent: u64, bounced: u64, opened: u64, replied: u64| json!({ "date": date, "sent": sent, "delivered": sent - bounced, "opened": opened, "replied": replied, "bounced": bounced });
        let input = json!({ "as_of": "2026-11-30T12:00:00Z", "campaigns": [
            { "id": "cmp_ok", "daily_metrics": [day("2026-11-29", 100, 1, 40, 3)] },
            // Bad days outside the window (the 22nd, and today) do not count.
            { "id": "cmp_window", "daily_metrics": [
                day("2026-11-22", 100, 50, 0, 0), day("2026-11-23", 100, 2, 40, 2), day("2026-11-30", 100, 90, 0, 0)
            ] },
            { "id": "cmp_bad", "daily_metrics": [day("2026-11-25", 200, 20, 20, 1)] },
            { "id": "cmp_silent", "daily_metrics": [day("2026-11-25", 0, 0, 0, 0)] },
        ]});
        let out = monitor_campaigns(&input).unwrap();
        let verdict = |i: usize| {
            (
                out["campaigns"][i]["underperforming"].clone(),
                out["campaigns"][i]["reasons"].clone(),
            )
        };
        assert_eq!(verdict(0), (json!(false), json!([])));
        assert_eq!(verdict(1), (json!(false), json!([])));
        assert_eq!(
            verdict(2),
            (
                json!(true),
                json!(["high_bounce_rate", "low_open_rate", "low_reply_rate"])
            )
        );
        assert_eq!(verdict(3), (json!(false), json!([])));
        assert_eq!(
            out["window"],
            json!({ "from": "2026-11-23", "to": "2026-11-29" })
        );
    }
}
