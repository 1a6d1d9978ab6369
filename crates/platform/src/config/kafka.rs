//! `[bus.kafka]`: the brokers, how clients authenticate to them and encrypt (`[bus.kafka.security]`:
//! TLS, SASL PLAIN / SCRAM / OAUTHBEARER), producer compression, and librdkafka properties
//! passed through. [`KafkaConfig::client_properties`] is the librdkafka configuration every
//! client Baton makes starts from.

use std::collections::BTreeMap;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct KafkaConfig {
    pub bootstrap_servers: String,
    pub session_timeout_ms: u32,
    /// librdkafka's `max.poll.interval.ms`, which is also the rebalance timeout a joining
    /// member announces: how long a rebalance may wait for a member that stopped answering.
    pub max_poll_interval_ms: u32,
    /// Use the idempotent producer (acks=all). Correctness never depends on it: the
    /// inbox/outbox protocol dedupes; it only avoids broker-side duplicates on retry.
    pub idempotence: bool,
    /// How the clients reach the brokers (`[bus.kafka.security]`).
    pub security: KafkaSecurity,
    /// Producer compression of message batches.
    pub compression: Compression,
    /// Extra librdkafka properties, applied last.
    pub properties: BTreeMap<String, String>,
}

impl Default for KafkaConfig {
    fn default() -> Self {
        KafkaConfig {
            bootstrap_servers: "127.0.0.1:9092".into(),
            session_timeout_ms: 10_000,
            max_poll_interval_ms: 300_000,
            idempotence: true,
            security: KafkaSecurity::default(),
            compression: Compression::default(),
            properties: BTreeMap::new(),
        }
    }
}

/// librdkafka's `security.protocol`.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum SecurityProtocol {
    #[default]
    Plaintext,
    Ssl,
    SaslPlaintext,
    SaslSsl,
}

impl SecurityProtocol {
    fn librdkafka(self) -> &'static str {
        match self {
            Self::Plaintext => "plaintext",
            Self::Ssl => "ssl",
            Self::SaslPlaintext => "sasl_plaintext",
            Self::SaslSsl => "sasl_ssl",
        }
    }

    fn tls(self) -> bool {
        matches!(self, Self::Ssl | Self::SaslSsl)
    }

    fn sasl(self) -> bool {
        matches!(self, Self::SaslPlaintext | Self::SaslSsl)
    }
}

/// librdkafka's `sasl.mechanism`.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
pub enum SaslMechanism {
    #[serde(rename = "PLAIN")]
    Plain,
    #[serde(rename = "SCRAM-SHA-256")]
    ScramSha256,
    #[serde(rename = "SCRAM-SHA-512")]
    ScramSha512,
    /// OAuth 2 client credentials against `oauth_token_endpoint` (librdkafka's OIDC method).
    #[serde(rename = "OAUTHBEARER")]
    OAuthBearer,
}

impl SaslMechanism {
    fn librdkafka(self) -> &'static str {
        match self {
            Self::Plain => "PLAIN",
            Self::ScramSha256 => "SCRAM-SHA-256",
            Self::ScramSha512 => "SCRAM-SHA-512",
            Self::OAuthBearer => "OAUTHBEARER",
        }
    }
}

/// `[bus.kafka.security]`: TLS and SASL. Confluent Cloud: `protocol = "sasl_ssl"`,
/// `sasl_mechanism = "PLAIN"`, the API key and secret as `username` and `password`. Amazon MSK
/// with SASL/SCRAM: `protocol = "sasl_ssl"`, `sasl_mechanism = "SCRAM-SHA-512"`. (README,
/// Kafka in production.)
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct KafkaSecurity {
    pub protocol: SecurityProtocol,
    /// PEM file of the CAs that sign the brokers' certificates; unset = the system's.
    pub ca_location: Option<String>,
    /// The client's own certificate and key (PEM), for brokers that require mutual TLS.
    pub certificate_location: Option<String>,
    pub key_location: Option<String>,
    pub key_password: Option<SecretString>,
    /// Check that the broker's certificate names the host connected to.
    pub verify_hostname: bool,
    pub sasl_mechanism: Option<SaslMechanism>,
    /// PLAIN and SCRAM.
    pub username: Option<String>,
    pub password: Option<SecretString>,
    /// OAUTHBEARER: the token endpoint and client credentials.
    pub oauth_token_endpoint: Option<String>,
    pub oauth_client_id: Option<String>,
    pub oauth_client_secret: Option<SecretString>,
    pub oauth_scope: Option<String>,
}

impl Default for KafkaSecurity {
    fn default() -> Self {
        Self {
            protocol: SecurityProtocol::default(),
            ca_location: None,
            certificate_location: None,
            key_location: None,
            key_password: None,
            verify_hostname: true,
            sasl_mechanism: None,
            username: None,
            password: None,
            oauth_token_endpoint: None,
            oauth_client_id: None,
            oauth_client_secret: None,
            oauth_scope: None,
        }
    }
}

/// Producer `compression.type`.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    None,
    Gzip,
    Snappy,
    /// Fast, and librdkafka's own: the default.
    #[default]
    Lz4,
}

impl Compression {
    pub fn librdkafka(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Gzip => "gzip",
            Self::Snappy => "snappy",
            Self::Lz4 => "lz4",
        }
    }
}

/// A librdkafka property and its value; secrets are marked so that [`redacted`] can show
/// the configuration without them.
#[derive(Debug, Clone)]
pub struct Property {
    pub key: &'static str,
    pub value: String,
    pub secret: bool,
}

impl Property {
    fn plain(key: &'static str, value: impl Into<String>) -> Self {
        Property {
            key,
            value: value.into(),
            secret: false,
        }
    }

    fn secret(key: &'static str, value: &SecretString) -> Self {
        Property {
            key,
            value: value.expose_secret().to_string(),
            secret: true,
        }
    }
}

/// `properties` as `key=value` lines, secrets shown as `****`.
pub fn redacted(properties: &[Property]) -> String {
    properties
        .iter()
        .map(|p| {
            let v = if p.secret { "****" } else { p.value.as_str() };
            format!("{}={v}\n", p.key)
        })
        .collect()
}

impl KafkaConfig {
    /// The librdkafka configuration every client starts from: the brokers, TLS and SASL.
    /// (`properties` are applied after it, and producer and consumer settings on top.)
    pub fn client_properties(&self) -> Vec<Property> {
        let s = &self.security;
        let mut p = vec![
            Property::plain("bootstrap.servers", &self.bootstrap_servers),
            Property::plain("security.protocol", s.protocol.librdkafka()),
        ];
        if s.protocol.tls() {
            let optional = [
                ("ssl.ca.location", &s.ca_location),
                ("ssl.certificate.location", &s.certificate_location),
                ("ssl.key.location", &s.key_location),
            ];
            for (key, value) in optional {
                if let Some(v) = value {
                    p.push(Property::plain(key, v));
                }
            }
            if let Some(pw) = &s.key_password {
                p.push(Property::secret("ssl.key.password", pw));
            }
            let check = if s.verify_hostname { "https" } else { "none" };
            p.push(Property::plain(
                "ssl.endpoint.identification.algorithm",
                check,
            ));
        }
        if let (true, Some(m)) = (s.protocol.sasl(), s.sasl_mechanism) {
            p.push(Property::plain("sasl.mechanism", m.librdkafka()));
            match m {
                SaslMechanism::OAuthBearer => {
                    p.push(Property::plain("sasl.oauthbearer.method", "oidc"));
                    let fields = [
                        (
                            "sasl.oauthbearer.token.endpoint.url",
                            &s.oauth_token_endpoint,
                        ),
                        ("sasl.oauthbearer.client.id", &s.oauth_client_id),
                        ("sasl.oauthbearer.scope", &s.oauth_scope),
                    ];
                    for (key, value) in fields {
                        if let Some(v) = value {
                            p.push(Property::plain(key, v));
                        }
                    }
                    if let Some(secret) = &s.oauth_client_secret {
                        p.push(Property::secret("sasl.oauthbearer.client.secret", secret));
                    }
                }
                _ => {
                    if let Some(u) = &s.username {
                        p.push(Property::plain("sasl.username", u));
                    }
                    if let Some(pw) = &s.password {
                        p.push(Property::secret("sasl.password", pw));
                    }
                }
            }
        }
        p
    }

    /// What is wrong with `[bus.kafka]`, each problem naming its key.
    pub fn problems(&self) -> Vec<String> {
        let s = &self.security;
        let mut problems = Vec::new();
        let key = |k: &str| format!("bus.kafka.security.{k}");
        if s.protocol.sasl() {
            match s.sasl_mechanism {
                None => problems.push(format!(
                    "{} is required when protocol is {}",
                    key("sasl_mechanism"),
                    s.protocol.librdkafka()
                )),
                Some(SaslMechanism::OAuthBearer) => {
                    for (k, missing) in [
                        ("oauth_token_endpoint", s.oauth_token_endpoint.is_none()),
                        ("oauth_client_id", s.oauth_client_id.is_none()),
                        ("oauth_client_secret", s.oauth_client_secret.is_none()),
                    ] {
                        if missing {
                            problems.push(format!("{} is required for OAUTHBEARER", key(k)));
                        }
                    }
                }
                Some(m) => {
                    if s.username.is_none() || s.password.is_none() {
                        problems.push(format!(
                            "{} and {} are required for {}",
                            key("username"),
                            key("password"),
                            m.librdkafka()
                        ));
                    }
                }
            }
        } else if s.sasl_mechanism.is_some() {
            problems.push(format!(
                "{} is set but protocol {} uses no SASL (sasl_plaintext or sasl_ssl does)",
                key("sasl_mechanism"),
                s.protocol.librdkafka()
            ));
        }
        let tls_files =
            s.ca_location.is_some() || s.certificate_location.is_some() || s.key_location.is_some();
        if tls_files && !s.protocol.tls() {
            problems.push(format!(
                "TLS files are set but protocol {} uses no TLS (ssl or sasl_ssl does)",
                s.protocol.librdkafka()
            ));
        }
        if s.certificate_location.is_some() != s.key_location.is_some() {
            problems.push(format!(
                "{} and {} go together (mutual TLS)",
                key("certificate_location"),
                key("key_location")
            ));
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scram_over_tls() -> KafkaConfig {
        KafkaConfig {
            bootstrap_servers: "b-1.msk.example:9096".into(),
            security: KafkaSecurity {
                protocol: SecurityProtocol::SaslSsl,
                ca_location: Some("/etc/baton/kafka-ca.pem".into()),
                sasl_mechanism: Some(SaslMechanism::ScramSha512),
                username: Some("baton".into()),
                password: Some(SecretString::from("pw")),
                ..KafkaSecurity::default()
            },
            ..KafkaConfig::default()
        }
    }

    /// The exact librdkafka configuration SASL/SCRAM over TLS produces (the part the Tansu
    /// test cannot run: Tansu 0.6.0 does not serve TLS; README, Kafka in production).
    #[test]
    fn scram_over_tls_is_this_librdkafka_configuration() {
        let props = scram_over_tls().client_properties();
        let shown = redacted(&props);
        println!("{shown}");
        assert_eq!(
            shown,
            "bootstrap.servers=b-1.msk.example:9096\n\
             security.protocol=sasl_ssl\n\
             ssl.ca.location=/etc/baton/kafka-ca.pem\n\
             ssl.endpoint.identification.algorithm=https\n\
             sasl.mechanism=SCRAM-SHA-512\n\
             sasl.username=baton\n\
             sasl.password=****\n"
        );
        let password = props.iter().find(|p| p.key == "sasl.password");
        assert_eq!(password.map(|p| p.value.as_str()), Some("pw"));
        assert!(scram_over_tls().problems().is_empty());
    }

    #[test]
    fn oauthbearer_uses_librdkafkas_oidc_client_credentials() {
        let c = KafkaConfig {
            security: KafkaSecurity {
                protocol: SecurityProtocol::SaslSsl,
                sasl_mechanism: Some(SaslMechanism::OAuthBearer),
                oauth_token_endpoint: Some("https://idp.example/oauth2/token".into()),
                oauth_client_id: Some("baton".into()),
                oauth_client_secret: Some(SecretString::from("s")),
                ..KafkaSecurity::default()
            },
            ..KafkaConfig::default()
        };
        let shown = redacted(&c.client_properties());
        assert!(shown.contains("sasl.mechanism=OAUTHBEARER\nsasl.oauthbearer.method=oidc\n"));
        assert!(
            shown
                .contains("sasl.oauthbearer.token.endpoint.url=https://idp.example/oauth2/token\n")
        );
        assert!(shown.contains("sasl.oauthbearer.client.secret=****\n"));
        assert!(c.problems().is_empty(), "{:?}", c.problems());
    }

    #[test]
    fn incomplete_security_is_named() {
        let mut c = KafkaConfig::default();
        c.security.protocol = SecurityProtocol::SaslPlaintext;
        assert_eq!(
            c.problems(),
            ["bus.kafka.security.sasl_mechanism is required when protocol is sasl_plaintext"]
        );
        c.security.sasl_mechanism = Some(SaslMechanism::Plain);
        assert_eq!(
            c.problems(),
            ["bus.kafka.security.username and bus.kafka.security.password are required for PLAIN"]
        );
        let mut plain = KafkaConfig::default();
        plain.security.ca_location = Some("ca.pem".into());
        plain.security.certificate_location = Some("c.pem".into());
        assert_eq!(plain.problems().len(), 2, "{:?}", plain.problems());
    }

    #[test]
    fn plaintext_is_the_default() {
        let shown = redacted(&KafkaConfig::default().client_properties());
        assert_eq!(
            shown,
            "bootstrap.servers=127.0.0.1:9092\nsecurity.protocol=plaintext\n"
        );
    }
}
