//! The Kafka client authenticates with SASL/SCRAM-SHA-512 to a Tansu of its own with
//! authentication on and a user made with `tansu user create`: the right password publishes,
//! creates topics and consumes; a wrong one is refused. Tansu 0.6.0 cannot serve TLS (its
//! `--cert` and `--key` flags exclude each other and its listener never uses the acceptor),
//! so SASL runs over plaintext here; the TLS half is the librdkafka configuration shown in
//! `config::kafka`'s unit tests (README, Kafka in production).

use std::{
    path::{Path, PathBuf},
    process::Stdio,
    time::Duration,
};

use baton_platform::{
    bus::{Bus, BusConsumer, kafka::KafkaBus},
    config::{KafkaConfig, KafkaSecurity, SaslMechanism, SecurityProtocol},
};
use secrecy::SecretString;

use crate::support::{envelope, text};

fn tansu() -> PathBuf {
    std::env::var_os("TANSU")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin/tansu")))
        .filter(|p| p.exists())
        .expect("the Tansu binary (TANSU, or ~/.cargo/bin/tansu; infra/test.sh installs it)")
}

/// A broker on `port` storing in `dir`, with or without authentication.
async fn broker(dir: &Path, port: u16, authentication: bool) -> tokio::process::Child {
    let url = format!("tcp://127.0.0.1:{port}");
    let mut cmd = tokio::process::Command::new(tansu());
    cmd.current_dir(dir)
        .args([
            "broker",
            "--listener-url",
            &url,
            "--advertised-listener-url",
            &url,
        ])
        .args(["--storage-engine", "sqlite://tansu.db"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    if authentication {
        cmd.arg("--authentication");
    }
    let child = cmd.spawn().unwrap();
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return child;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("tansu did not listen on {port}");
}

async fn tansu_cli(args: &[&str]) {
    let out = tokio::process::Command::new(tansu())
        .args(args)
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "tansu {args:?}: {out:?}");
}

fn scram(port: u16, password: &str) -> KafkaConfig {
    KafkaConfig {
        bootstrap_servers: format!("127.0.0.1:{port}"),
        security: KafkaSecurity {
            protocol: SecurityProtocol::SaslPlaintext,
            sasl_mechanism: Some(SaslMechanism::ScramSha512),
            username: Some("baton".into()),
            password: Some(SecretString::from(password)),
            ..KafkaSecurity::default()
        },
        ..KafkaConfig::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scram_credentials_let_the_bus_in_and_wrong_ones_do_not() {
    let dir = std::env::temp_dir().join(baton_testkit::unique("tansu-sasl"));
    std::fs::create_dir_all(&dir).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // The user is made while authentication is off (Tansu refuses the admin call otherwise),
    // then the broker restarts on the same storage with authentication on.
    let open = broker(&dir, port, false).await;
    let url = format!("tcp://127.0.0.1:{port}");
    tansu_cli(&[
        "user",
        "create",
        "baton",
        "right-password",
        "--broker",
        &url,
        "--mechanism",
        "scram512",
    ])
    .await;
    drop(open);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let _broker = broker(&dir, port, true).await;

    let bus = KafkaBus::new(&scram(port, "right-password"), 1, 1).unwrap();
    let topic = baton_testkit::unique("sasl");
    bus.create_topics(std::slice::from_ref(&topic))
        .await
        .unwrap();
    bus.publish(vec![envelope(&topic, "k", "over SCRAM")])
        .await
        .unwrap();
    let mut consumer = bus
        .subscribe(&baton_testkit::unique("g"), std::slice::from_ref(&topic))
        .await
        .unwrap();
    let d = tokio::time::timeout(Duration::from_secs(30), consumer.next())
        .await
        .expect("a delivery within 30 s")
        .unwrap();
    assert_eq!(text(&d), "over SCRAM");

    // A wrong password: nothing gets through.
    let mut wrong = scram(port, "wrong-password");
    wrong
        .properties
        .insert("message.timeout.ms".into(), "5000".into());
    let refused = KafkaBus::new(&wrong, 1, 1)
        .unwrap()
        .publish(vec![envelope(&topic, "k", "refused")])
        .await;
    assert!(refused.is_err(), "a wrong password must not publish");
    std::fs::remove_dir_all(&dir).ok();
}
