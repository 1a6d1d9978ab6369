//! The CRM actions, applied in the step's transaction; each row carries a unique
//! idempotency key, so a re-run creates nothing twice.

use baton_core::status::ProposalStatus;
use baton_platform::{jobs::JobRow, runtime::Handled};
use baton_skills::{Cost, SkillError, SkillOutput};
use serde_json::{Map, Value, json};
use sqlx::PgConnection;

type Outcome = Result<SkillOutput, SkillError>;

pub(crate) async fn apply(
    tx: &mut PgConnection,
    job: &JobRow,
    action: &str,
    key: &str,
    input: &Map<String, Value>,
) -> Handled<Outcome> {
    match action {
        "create-task" => create_tasks(tx, job, key, input).await,
        "update-deal-stage" => update_deal_stage(tx, input).await,
        "record-email" => record_email(tx, job, input).await,
        "record-proposal" => record_proposal(tx, job, input).await,
        baton_skills::pm5::SEND_EMAIL => pm5_send_email(tx, input).await,
        other => Ok(Err(SkillError::Unknown { key: other.into() })),
    }
}

fn bad(action: &str, message: String) -> Handled<Outcome> {
    Ok(Err(SkillError::BadInput {
        key: action.to_string(),
        message,
    }))
}

/// PM5's side effect (`baton bench pm5` only; the action exists when `skills.benchmark` is
/// on): the specification's statement with the draft's body (a rep's edit at the gate
/// lands there), in the step's transaction, so it commits with the
/// step's result or not at all. `sent_emails` is the benchmark's table, not a migration's,
/// hence the unchecked query.
async fn pm5_send_email(tx: &mut PgConnection, input: &Map<String, Value>) -> Handled<Outcome> {
    let (Some(meeting), Some(body)) = (
        input.get("meeting_id").and_then(Value::as_str),
        input
            .get("draft")
            .and_then(|d| d.get("body"))
            .and_then(Value::as_str),
    ) else {
        return bad(
            baton_skills::pm5::SEND_EMAIL,
            "input needs meeting_id and draft.body".into(),
        );
    };
    let attempts: i32 = sqlx::query_scalar(baton_skills::pm5::SEND_EMAIL_SQL)
        .bind(meeting)
        .bind(body)
        .fetch_one(&mut *tx)
        .await?;
    Ok(Ok(SkillOutput {
        output: json!({ "sent": true, "meeting_id": meeting, "attempts": attempts }),
        cost: Cost::default(),
    }))
}

/// One task per action item, owned by the job's rep, on the event's deal and contact.
async fn create_tasks(
    tx: &mut PgConnection,
    job: &JobRow,
    key: &str,
    input: &Map<String, Value>,
) -> Handled<Outcome> {
    let Some(tasks) = input.get("tasks").and_then(Value::as_array) else {
        return bad(
            "create-task",
            "input.tasks must be a list of action items".into(),
        );
    };
    let payload = |k: &str| job.trigger_payload.get(k).and_then(Value::as_str);
    let mut created = Vec::new();
    for (i, t) in tasks.iter().enumerate() {
        let title = t
            .get("text")
            .or_else(|| t.get("title"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        if title.trim().is_empty() {
            return bad("create-task", format!("task {i} has no text"));
        }
        let id = sqlx::query_scalar!(
            "INSERT INTO tasks (org_id, owner_user_id, deal_id, contact_id, title, due_date, source_job_id, idempotency_key)
             VALUES ($1, $2, $3, $4, $5, $6::text::date, $7, $8)
             ON CONFLICT (idempotency_key) DO UPDATE SET idempotency_key = EXCLUDED.idempotency_key
             RETURNING id",
            job.org_id.as_str(),
            job.user_id.as_str(),
            payload("deal_id"),
            payload("contact_id"),
            title,
            t.get("due_date").and_then(Value::as_str),
            job.id.uuid(),
            format!("{key}:{i}"),
        )
        .fetch_optional(&mut *tx)
        .await?;
        created.extend(id.map(|id| id.to_string()));
    }
    Ok(Ok(SkillOutput {
        output: json!({ "created": created.len(), "task_ids": created }),
        cost: Cost::default(),
    }))
}

/// Moves a deal of the org to another stage; a stage the CRM does not have is bad input.
async fn update_deal_stage(tx: &mut PgConnection, input: &Map<String, Value>) -> Handled<Outcome> {
    let (Some(deal), Some(stage)) = (
        input.get("deal_id").and_then(Value::as_str),
        input.get("stage").and_then(Value::as_str),
    ) else {
        return bad("update-deal-stage", "input needs deal_id and stage".into());
    };
    let from = sqlx::query_scalar!("SELECT stage FROM deals WHERE id = $1", deal)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(from) = from else {
        return bad(
            "update-deal-stage",
            format!("deal {deal} is not in this org"),
        );
    };
    // Under a savepoint: a stage the CHECK refuses must fail the step, not abort the
    // transaction the step's result is recorded in.
    let mut savepoint = sqlx::Connection::begin(&mut *tx).await?;
    let moved = sqlx::query!(
        "UPDATE deals SET stage = $2, last_activity_at = now() WHERE id = $1",
        deal,
        stage,
    )
    .execute(&mut *savepoint)
    .await;
    match moved {
        Ok(_) => {
            savepoint.commit().await?;
            Ok(Ok(SkillOutput {
                output: json!({ "deal_id": deal, "from": from, "to": stage }),
                cost: Cost::default(),
            }))
        }
        Err(e)
            if e.as_database_error()
                .and_then(|d| d.code())
                .is_some_and(|c| c == "23514") =>
        {
            savepoint.rollback().await?;
            bad(
                "update-deal-stage",
                format!("`{stage}` is not a deal stage"),
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// Stores the job's proposal (`proposal`: generate-proposal's output) with its rendered
/// document, as `status` (draft or sent); one row per job, so marking it sent updates the
/// row its draft made.
async fn record_proposal(
    tx: &mut PgConnection,
    job: &JobRow,
    input: &Map<String, Value>,
) -> Handled<Outcome> {
    let Some(proposal) = input.get("proposal").filter(|p| p["title"].is_string()) else {
        return bad(
            "record-proposal",
            "input.proposal must be generate-proposal's output".into(),
        );
    };
    let status = match input
        .get("status")
        .and_then(Value::as_str)
        .unwrap_or("draft")
        .parse::<ProposalStatus>()
    {
        Ok(s) => s,
        Err(e) => return bad("record-proposal", format!("input.status: {e}")),
    };
    let body = json!({
        "document": proposal["document"],
        "sections": proposal["sections"],
        "options": proposal["options"],
        "in_response_to": proposal["in_response_to"],
    });
    let id = sqlx::query_scalar!(
        "INSERT INTO proposals (org_id, deal_id, title, body, status, source_job_id, idempotency_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (idempotency_key) DO UPDATE SET status = EXCLUDED.status
         RETURNING id",
        job.org_id.as_str(),
        proposal["deal_id"].as_str(),
        proposal["title"].as_str(),
        body,
        status.as_str(),
        job.id.uuid(),
        format!("proposal:{}", job.id),
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(Ok(SkillOutput {
        output: json!({ "proposal_id": id.to_string(), "status": status.as_str() }),
        cost: Cost::default(),
    }))
}

/// Stores an inbound email on its thread (once per message id) and applies what its triage
/// says about the sender: an opt-out marks the contact do-not-contact, an out-of-office
/// records the return date, a referral adds the person it names. Input: `email` (the
/// message) and `triage` (classify-email).
async fn record_email(
    tx: &mut PgConnection,
    job: &JobRow,
    input: &Map<String, Value>,
) -> Handled<Outcome> {
    let (Some(email), Some(triage)) = (
        input.get("email").filter(|e| e.is_object()),
        input.get("triage").filter(|t| t.is_object()),
    ) else {
        return bad("record-email", "input needs `email` and `triage`".into());
    };
    let str_of = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let Some(thread) = str_of(email, "thread_id").or_else(|| str_of(email, "id")) else {
        return bad("record-email", "the email has no thread_id or id".into());
    };
    let contact = str_of(triage, "contact_id");
    let message = json!({
        "id": email.get("id"), "message_id": email.get("message_id"), "from": email.get("from"),
        "to": email.get("to"), "cc": email.get("cc"),
        "date": email.get("date"), "subject": email.get("subject"), "body_text": email.get("body_text"),
        "category": triage.get("category"),
    });
    let (deal, subject, date) = (
        str_of(triage, "deal_id"),
        str_of(email, "subject"),
        str_of(email, "date"),
    );
    let stored = sqlx::query_scalar!(
        r#"INSERT INTO email_threads (id, org_id, user_id, contact_id, deal_id, subject, messages, last_message_at)
           VALUES ($1, $2, $3, $4, $5, $6, jsonb_build_array($7::jsonb), $8::text::timestamptz)
           ON CONFLICT (id) DO UPDATE SET
             messages = CASE WHEN email_threads.messages @> jsonb_build_array(jsonb_build_object('id', $7::jsonb -> 'id'))
                             THEN email_threads.messages ELSE email_threads.messages || jsonb_build_array($7::jsonb) END,
             last_message_at = GREATEST(email_threads.last_message_at, EXCLUDED.last_message_at),
             contact_id = COALESCE(email_threads.contact_id, EXCLUDED.contact_id),
             deal_id = COALESCE(email_threads.deal_id, EXCLUDED.deal_id)
           RETURNING jsonb_array_length(messages) AS "messages!""#,
        thread,
        job.org_id.as_str(),
        job.user_id.as_str(),
        contact.as_deref(),
        deal.as_deref(),
        subject.as_deref(),
        message,
        date.as_deref(),
    )
    .fetch_one(&mut *tx)
    .await?;
    let opt_out = triage
        .get("opt_out")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let back = str_of(triage, "return_date");
    if let Some(contact) = contact.as_deref() {
        let reason = opt_out.then(|| {
            format!(
                "asked not to be contacted (email {})",
                str_of(email, "id").unwrap_or_default()
            )
        });
        sqlx::query!(
            "UPDATE contacts SET do_not_contact = do_not_contact OR $2,
                    do_not_contact_reason = COALESCE($3, do_not_contact_reason),
                    out_of_office_until = COALESCE($4::text::date, out_of_office_until)
             WHERE id = $1",
            contact,
            opt_out,
            reason,
            back.as_deref(),
        )
        .execute(&mut *tx)
        .await?;
    }
    let referred = referred_contact(tx, triage).await?;
    Ok(Ok(SkillOutput {
        output: json!({ "thread_id": thread, "messages": stored, "contact_id": contact, "do_not_contact": opt_out && contact.is_some(), "out_of_office_until": back, "referred_contact_id": referred }),
        cost: Cost::default(),
    }))
}

/// A "wrong person" reply that names who to talk to instead: that person becomes a contact
/// at the sender's company (once per address; an address the CRM has is that contact).
async fn referred_contact(tx: &mut PgConnection, triage: &Value) -> Handled<Option<String>> {
    let r = &triage["referred_to"];
    let (Some(name), Some(address)) = (r["name"].as_str(), r["email"].as_str()) else {
        return Ok(None);
    };
    if triage["category"] != "referral_wrong_person" {
        return Ok(None);
    }
    let id = format!(
        "ct_ref_{}",
        &uuid::Uuid::new_v5(
            &uuid::Uuid::NAMESPACE_URL,
            address.to_lowercase().as_bytes()
        )
        .simple()
        .to_string()[..12]
    );
    let id = sqlx::query_scalar!(
        "WITH known AS (SELECT id FROM contacts WHERE lower(email) = lower($3) LIMIT 1),
              added AS (INSERT INTO contacts (id, org_id, company_id, name, title, email)
                        SELECT $1, current_setting('app.org_id'), $2, $4, $5, $3
                        WHERE NOT EXISTS (SELECT 1 FROM known)
                        ON CONFLICT (id) DO NOTHING RETURNING id)
         SELECT id AS \"id!\" FROM known UNION ALL SELECT id FROM added",
        id,
        triage["company_id"].as_str(),
        address,
        name,
        r["title"].as_str(),
    )
    .fetch_optional(&mut *tx)
    .await?;
    Ok(id)
}

/// The CRM records an email sender may be: contacts with that address, companies by that
/// domain (or the contacts'), and those companies' deals, in the org format classify-email
/// matches against; plus the contacts among the thread's other addresses (`on_thread`: its
/// To and Cc, at most [`THREAD_ADDRESSES`]).
/// Addresses of a thread looked up at most (a mass mail's list is not a meeting).
const THREAD_ADDRESSES: usize = 50;

pub(crate) async fn sender_records(
    tx: &mut PgConnection,
    address: &str,
    on_thread: &[String],
) -> Handled<Value> {
    let address = address.to_lowercase();
    let domain = address.rsplit_once('@').map_or("", |(_, d)| d).to_string();
    let on_thread: Vec<String> = on_thread
        .iter()
        .take(THREAD_ADDRESSES)
        .map(|a| a.to_lowercase())
        .collect();
    let records = sqlx::query_scalar!(
        r#"WITH co AS (
             SELECT id FROM companies WHERE lower(domain) = $2
             UNION SELECT company_id FROM contacts WHERE lower(email) = $1 AND company_id IS NOT NULL)
           SELECT jsonb_build_object(
             'contacts', (SELECT COALESCE(jsonb_agg(to_jsonb(c) - 'org_id'), '[]'::jsonb) FROM contacts c
                          WHERE lower(c.email) = $1 OR lower(c.email) = ANY($3)),
             'companies', (SELECT COALESCE(jsonb_agg(to_jsonb(x) - 'org_id'), '[]'::jsonb) FROM companies x WHERE x.id IN (SELECT id FROM co)),
             'deals', (SELECT COALESCE(jsonb_agg(to_jsonb(d) - 'org_id'), '[]'::jsonb) FROM deals d WHERE d.company_id IN (SELECT id FROM co))
           ) AS "records!""#,
        address,
        domain,
        &on_thread,
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(records)
}

/// Why an email to this recipient must not be sent: the contact asked not to be contacted.
pub(crate) async fn do_not_contact(
    tx: &mut PgConnection,
    contact_id: Option<&str>,
    address: Option<&str>,
) -> Handled<Option<String>> {
    let reason = sqlx::query_scalar!(
        r#"SELECT COALESCE(do_not_contact_reason, 'marked do-not-contact') AS "reason!" FROM contacts
           WHERE do_not_contact AND (id = $1 OR lower(email) = lower($2)) LIMIT 1"#,
        contact_id,
        address,
    )
    .fetch_optional(&mut *tx)
    .await?;
    Ok(reason)
}
