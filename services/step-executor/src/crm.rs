//! The CRM actions, applied in the step's transaction; each row carries a unique
//! idempotency key, so a re-run creates nothing twice.

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
        other => Ok(Err(SkillError::Unknown { key: other.into() })),
    }
}

fn bad(action: &str, message: String) -> Handled<Outcome> {
    Ok(Err(SkillError::BadInput {
        key: action.to_string(),
        message,
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
