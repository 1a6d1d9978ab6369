//! Erasing a contact's personal data (`baton contacts erase`): the contact row is kept for
//! the records that reference it, with its name, email, phone and title gone; every other
//! table is searched through the catalog — every text, JSON and byte column of every table —
//! for the contact's email, full name and phone, and each occurrence is replaced. In a row
//! that names them, their first name alone (a draft's "Hi Linda,") goes too. In transcripts,
//! what they said goes with their name. Byte columns (the embedded log's Avro payloads) are
//! overwritten in place with as many `*` as the bytes they replace, so every record still
//! decodes. One transaction; the audit trail records which tables changed and how many rows,
//! never the data.
//!
//! What this cannot reach: messages already published to Kafka topics (until the topics'
//! retention passes), Slack messages already posted and emails already sent.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use sqlx::{PgConnection, PgPool, Row};

use crate::Result;

/// What replaces erased text.
pub const MASK: &str = "[erased]";

/// Rows changed per table (`table.column`), in name order.
#[derive(Debug, Default)]
pub struct Erased {
    pub rows: BTreeMap<String, u64>,
}

/// The contact's identifying values, longest first (a full name before its parts).
struct Terms {
    exact: Vec<String>,
    first_name: Option<String>,
}

/// Erases contact `contact_id` of `org_id`, acting as the owner (`pool` must bypass
/// row-level security: it searches every table); `operator` is recorded in the audit trail.
pub async fn erase_contact(
    pool: &PgPool,
    org_id: &str,
    contact_id: &str,
    operator: &str,
) -> Result<Erased> {
    let mut tx = pool.begin().await?;
    let row = sqlx::query(
        "SELECT name, email, phone FROM contacts WHERE id = $1 AND org_id = $2 FOR UPDATE",
    )
    .bind(contact_id)
    .bind(org_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        crate::Error::Config(vec![format!("no contact {contact_id} in org {org_id}")])
    })?;
    let name: String = row.get(0);
    let email: Option<String> = row.get(1);
    let phone: Option<String> = row.get(2);
    let mut exact: Vec<String> = [Some(name.clone()), email, phone]
        .into_iter()
        .flatten()
        .filter(|t| t.chars().count() >= 4 && t != MASK)
        .collect();
    exact.sort_by_key(|t| std::cmp::Reverse(t.len()));
    let terms = Terms {
        exact,
        first_name: name
            .split_whitespace()
            .next()
            .filter(|f| f.chars().count() >= 3 && name.contains(' '))
            .map(str::to_string),
    };
    let mut erased = Erased::default();
    erased.rows.insert(
        "meetings.transcript".into(),
        transcripts(&mut tx, org_id, &name).await?,
    );
    for (table, column, kind) in columns(&mut tx).await? {
        let n = match kind.as_str() {
            "bytea" => bytes(&mut tx, &table, &column, &terms).await?,
            _ => text(&mut tx, &table, &column, &kind, &terms).await?,
        };
        if n > 0 {
            *erased.rows.entry(format!("{table}.{column}")).or_default() += n;
        }
    }
    erased.rows.retain(|_, n| *n > 0);
    sqlx::query(
        "UPDATE contacts SET name = $3, email = NULL, phone = NULL, title = NULL,
                timezone = NULL, out_of_office_until = NULL,
                do_not_contact = true, do_not_contact_reason = 'erased'
         WHERE id = $1 AND org_id = $2",
    )
    .bind(contact_id)
    .bind(org_id)
    .bind(MASK)
    .execute(&mut *tx)
    .await?;
    erased.rows.insert("contacts".into(), 1);
    sqlx::query(
        "INSERT INTO audit_log (id, org_id, service, actor, action, detail)
         VALUES ($1, $2, 'cli', $3, 'contact.erased', $4)",
    )
    .bind(uuid::Uuid::now_v7())
    .bind(org_id)
    .bind(operator)
    .bind(json!({ "contact_id": contact_id, "rows": erased.rows }))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(erased)
}

/// Every text, JSON and byte column of the schema's tables (the contact row and the
/// migrations excepted), as (table, column, type).
async fn columns(tx: &mut PgConnection) -> Result<Vec<(String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT c.table_name::text, c.column_name::text,
                CASE WHEN c.data_type = 'ARRAY' THEN 'array' ELSE c.data_type::text END
         FROM information_schema.columns c
         JOIN information_schema.tables t
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
           AND c.table_name NOT IN ('_sqlx_migrations', 'contacts')
           AND (c.data_type IN ('text', 'character varying', 'jsonb', 'json', 'bytea')
                OR (c.data_type = 'ARRAY' AND c.udt_name IN ('_text', '_varchar')))
         ORDER BY 1, 2",
    )
    .fetch_all(&mut *tx)
    .await?)
}

fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Replaces the terms in one text, JSON or text-array column; returns the rows changed.
async fn text(
    tx: &mut PgConnection,
    table: &str,
    column: &str,
    kind: &str,
    terms: &Terms,
) -> Result<u64> {
    let (t, c) = (ident(table), ident(column));
    // The column as text, and how text goes back into it.
    let (as_text, back) = match kind {
        "jsonb" | "json" => (format!("{c}::text"), format!("::{kind}")),
        "array" => (format!("array_to_json({c})::text"), String::new()),
        _ => (c.clone(), String::new()),
    };
    // Terms as they appear inside JSON text (escaped), which for plain text is the term.
    let json_form = |s: &str| {
        let quoted = serde_json::to_string(s).unwrap_or_default();
        quoted[1..quoted.len().saturating_sub(1)].to_string()
    };
    let exact: Vec<String> = terms.exact.iter().map(|s| json_form(s)).collect();
    let mut replaced = as_text.clone();
    for i in 0..exact.len() {
        replaced = format!("replace({replaced}, ${}, $1)", i + 2);
    }
    if let Some(first) = &terms.first_name {
        let pattern = format!("\\m{}\\M", regex_escape(&json_form(first)));
        replaced = format!(
            "regexp_replace({replaced}, '{}', $1, 'g')",
            pattern.replace('\'', "''")
        );
    }
    let matches = (0..exact.len())
        .map(|i| format!("strpos({as_text}, ${}) > 0", i + 2))
        .collect::<Vec<_>>()
        .join(" OR ");
    if matches.is_empty() {
        return Ok(0);
    }
    let set = match kind {
        "array" => {
            format!("ARRAY(SELECT x FROM json_array_elements_text(({replaced})::json) AS x)")
        }
        _ => format!("({replaced}){back}"),
    };
    let sql = format!("UPDATE {t} SET {c} = {set} WHERE {matches}");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(MASK);
    for term in &exact {
        q = q.bind(term);
    }
    Ok(q.execute(&mut *tx).await?.rows_affected())
}

/// Escapes a regular expression's special characters.
fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let special = "\\.^$|?*+()[]{}".contains(c);
            special
                .then_some('\\')
                .into_iter()
                .chain(std::iter::once(c))
        })
        .collect()
}

/// Overwrites the terms in one byte column with as many `*` as their bytes (an Avro or JSON
/// record keeps its lengths, so it still decodes); returns the rows changed.
async fn bytes(tx: &mut PgConnection, table: &str, column: &str, terms: &Terms) -> Result<u64> {
    let (t, c) = (ident(table), ident(column));
    let mut changed = 0;
    for term in &terms.exact {
        let sql = format!(
            "SELECT ctid::text, {c} FROM {t} WHERE position(convert_to($1, 'UTF8') IN {c}) > 0"
        );
        let rows: Vec<(String, Vec<u8>)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(term)
            .fetch_all(&mut *tx)
            .await?;
        for (ctid, mut value) in rows {
            overwrite(&mut value, term.as_bytes());
            if let Some(first) = &terms.first_name {
                overwrite_word(&mut value, first.as_bytes());
            }
            let sql = format!("UPDATE {t} SET {c} = $1 WHERE ctid = $2::tid");
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(&value)
                .bind(&ctid)
                .execute(&mut *tx)
                .await?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// Replaces every occurrence of `term` in `value` with `*`s of the same length.
fn overwrite(value: &mut [u8], term: &[u8]) {
    if term.is_empty() {
        return;
    }
    let mut i = 0;
    while i + term.len() <= value.len() {
        if &value[i..i + term.len()] == term {
            value[i..i + term.len()].fill(b'*');
            i += term.len();
        } else {
            i += 1;
        }
    }
}

/// Replaces `word` where it stands as a word (no letter or digit either side) with `*`s.
fn overwrite_word(value: &mut [u8], word: &[u8]) {
    let n = word.len();
    if n == 0 {
        return;
    }
    let boundary = |b: Option<&u8>| b.is_none_or(|b| !b.is_ascii_alphanumeric());
    let mut i = 0;
    while i + n <= value.len() {
        if &value[i..i + n] == word
            && boundary(i.checked_sub(1).and_then(|j| value.get(j)))
            && boundary(value.get(i + n))
        {
            value[i..i + n].fill(b'*');
            i += n;
        } else {
            i += 1;
        }
    }
}

/// In the org's transcripts, what the contact said goes with their name (a speaker is named
/// by full name); returns the meetings changed.
async fn transcripts(tx: &mut PgConnection, org_id: &str, name: &str) -> Result<u64> {
    let rows: Vec<(String, Value)> = sqlx::query_as(
        "SELECT id, transcript FROM meetings
         WHERE org_id = $1 AND transcript IS NOT NULL AND strpos(transcript::text, $2) > 0",
    )
    .bind(org_id)
    .bind(name)
    .fetch_all(&mut *tx)
    .await?;
    let mut changed = 0;
    for (id, mut transcript) in rows {
        let mut touched = false;
        for segment in transcript["segments"].as_array_mut().into_iter().flatten() {
            if segment["speaker"].as_str() == Some(name) {
                segment["speaker"] = json!(MASK);
                segment["text"] = json!(MASK);
                touched = true;
            }
        }
        if touched {
            sqlx::query("UPDATE meetings SET transcript = $1 WHERE id = $2")
                .bind(&transcript)
                .bind(&id)
                .execute(&mut *tx)
                .await?;
            changed += 1;
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_overwritten_in_place_keeping_their_length() {
        let mut v = b"\x0c\x12lmarsh@k.com and lmarsh@k.com".to_vec();
        let len = v.len();
        overwrite(&mut v, b"lmarsh@k.com");
        assert_eq!(v.len(), len);
        assert_eq!(&v[2..14], b"************");
        assert!(!String::from_utf8_lossy(&v).contains("lmarsh"));
    }

    #[test]
    fn a_first_name_goes_only_where_it_is_a_word() {
        let mut v = b"Hi Linda, Lindal Linda".to_vec();
        overwrite_word(&mut v, b"Linda");
        assert_eq!(v, b"Hi *****, Lindal *****".to_vec());
    }

    #[test]
    fn regex_specials_are_escaped() {
        assert_eq!(regex_escape("Jo.(A)"), "Jo\\.\\(A\\)");
    }
}
