//! Connections: credentials stored sealed through `baton connections`, never shown, bound to
//! one org, rewrapped by `rotate`; and an org's own Slack workspace used by the notifier (its
//! bot token, with no global token configured).

use std::{io::Write as _, sync::Arc};

use baton_core::clock::ManualClock;
use baton_platform::{component::Component, config::BusKind};
use baton_schemas::{Notification, NotificationKind};
use secrecy::SecretString;
use serde_json::json;

use crate::harness::{Env, ORG, REP, TEAM, repo, slack_api};

const K1: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
const K2: &str = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";

/// `baton <args>` with the key variables `keys` (id, base64) and `active`, `stdin` piped in.
fn cli(
    env: &Env,
    keys: &[(&str, &str)],
    active: &str,
    args: &[&str],
    stdin: &str,
) -> (bool, String, String) {
    let mut vars = env.vars();
    for (id, k) in keys {
        vars.push((
            format!("BATON_CONNECTIONS__KEYS__{}", id.to_uppercase()),
            k.to_string(),
        ));
    }
    vars.push(("BATON_CONNECTIONS__ACTIVE_KEY".into(), active.into()));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(args)
        .current_dir(repo())
        .envs(vars)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_are_sealed_bound_to_one_org_rotated_and_removed() {
    let env = Env::new(BusKind::Embedded, None).await;
    let k1 = [("k1", K1)];
    let secret = r#"{"bot_token": "xoxb-brightlane-123", "signing_secret": "ws-signing-secret"}"#;
    let add = [
        "connections",
        "add",
        "--org",
        ORG,
        "--provider",
        "slack",
        "--account",
        TEAM,
    ];
    let (ok, out, err) = cli(&env, &k1, "k1", &add, secret);
    assert!(ok, "{err}");
    assert!(out.contains("connected slack"), "{out}");
    assert!(!out.contains("xoxb") && !err.contains("xoxb"));

    let (ok, out, err) = cli(&env, &k1, "k1", &["connections", "list", "--org", ORG], "");
    assert!(ok, "{err}");
    assert!(out.contains(TEAM) && out.contains("k1"), "{out}");
    assert!(
        !out.contains("xoxb") && !out.contains("ws-signing"),
        "{out}"
    );
    let (sealed, wrapped): (Vec<u8>, Vec<u8>) =
        sqlx::query_as("SELECT sealed, wrapped_key FROM connections")
            .fetch_one(&env.owner)
            .await
            .unwrap();
    for bytes in [&sealed, &wrapped] {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("xoxb") && !text.contains("ws-signing"));
    }

    // A bad credential is named; without a key nothing can be added.
    let google = [
        "connections",
        "add",
        "--org",
        ORG,
        "--provider",
        "google",
        "--account",
        "maya@example.test",
        "--user",
        REP,
    ];
    let (ok, _, err) = cli(&env, &k1, "k1", &google, r#"{"refresh_token": ""}"#);
    assert!(!ok && err.contains("\"refresh_token\""), "{err}");
    let (ok, _, err) = cli(&env, &[], "", &google, r#"{"refresh_token": "r"}"#);
    assert!(!ok && err.contains("connections"), "{err}");

    // The workspace belongs to one org.
    sqlx::query("INSERT INTO orgs (id, name) VALUES ('org_other', 'Other')")
        .execute(&env.owner)
        .await
        .unwrap();
    let steal = [
        "connections",
        "add",
        "--org",
        "org_other",
        "--provider",
        "slack",
        "--account",
        TEAM,
    ];
    let (ok, _, err) = cli(&env, &k1, "k1", &steal, secret);
    assert!(!ok && err.contains("connected to another org"), "{err}");
    let (ok, out, _) = cli(
        &env,
        &k1,
        "k1",
        &["connections", "list", "--org", "org_other"],
        "",
    );
    assert!(ok && out.contains("no connections"), "{out}");

    // A second key becomes active: rotate rewraps; then the first key can go.
    let both = [("k1", K1), ("k2", K2)];
    let (ok, out, err) = cli(&env, &both, "k2", &["connections", "rotate"], "");
    assert!(ok, "{err}");
    assert!(out.contains("1 credential(s) rewrapped under k2"), "{out}");
    let (key_id, sealed_after): (String, Vec<u8>) =
        sqlx::query_as("SELECT key_id, sealed FROM connections")
            .fetch_one(&env.owner)
            .await
            .unwrap();
    assert_eq!(key_id, "k2");
    assert_eq!(
        sealed_after, sealed,
        "the secret itself is not re-encrypted"
    );
    let k2 = [("k2", K2)];
    let remove = [
        "connections",
        "remove",
        "--org",
        ORG,
        "--provider",
        "slack",
        "--account",
        TEAM,
    ];
    let (ok, out, err) = cli(&env, &k2, "k2", &remove, "");
    assert!(ok && out.contains("disconnected"), "{err}");
    let (ok, _, err) = cli(&env, &k2, "k2", &remove, "");
    assert!(!ok && err.contains("has no slack connection"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_org_with_its_own_workspace_is_posted_to_with_its_bot_token() {
    let (base, api) = slack_api().await;
    let mut env = Env::new(BusKind::Embedded, None).await;
    env.config.notifier.slack_base_url = base;
    env.config.notifier.slack_token = None;
    env.config
        .connections
        .keys
        .insert("k1".into(), SecretString::from(K1.to_string()));
    env.config.connections.active_key = Some("k1".into());
    let keys = baton_platform::connections::Keyring::new(&env.config.connections).unwrap();
    let org: baton_schemas::OrgId = ORG.parse().unwrap();
    let mut tx = baton_platform::store::begin_for_org(&env.svc.pool, &org)
        .await
        .unwrap();
    baton_platform::connections::store::add(
        &mut tx,
        &keys,
        &org,
        baton_platform::connections::Provider::Slack,
        TEAM,
        None,
        &json!({ "bot_token": "xoxb-brightlane-own", "signing_secret": "s" }),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let clock = ManualClock::at("2026-12-01T15:00:00Z".parse().unwrap());
    let notifier = baton_notifier::Notifier::build(&env.config, Arc::new(clock))
        .await
        .unwrap();
    let shutdown = tokio_util::sync::CancellationToken::new();
    let task = tokio::spawn(notifier.run(shutdown.clone()));
    let n = Notification {
        notification_id: uuid::Uuid::now_v7().to_string(),
        org_id: ORG.into(),
        user_id: REP.into(),
        kind: NotificationKind::Inform,
        text: "Prep is ready".into(),
        blocks: None,
        job_id: None,
        pending_action_id: None,
        created_at: chrono::Utc::now(),
    };
    env.publish_message(&n).await;
    env.wait(
        &format!(
            "SELECT bool_or(status = 'sent') FROM notification_deliveries WHERE notification_id = '{}'",
            n.notification_id
        ),
        "the Slack delivery",
    )
    .await;
    let posts = api.posts.lock().unwrap().clone();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].0, "Bearer xoxb-brightlane-own");
    shutdown.cancel();
    task.await.unwrap().unwrap();
}
