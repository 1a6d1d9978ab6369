//! `baton contacts erase`: a contact's personal data removed from every table that holds it
//! (see `baton_platform::erasure`), as the owner, with what it cannot reach said.

use baton_platform::config::{BusKind, Config};
use baton_schemas::OrgId;
use clap::Subcommand;
use secrecy::ExposeSecret;

#[derive(Subcommand)]
pub enum ContactsCmd {
    /// Erase a contact's personal data (name, email, phone, what they said in transcripts,
    /// drafts and outputs naming them, the embedded log's copies). Runs as database.url's
    /// login, which must bypass row-level security (the owner): it searches every table.
    Erase {
        contact_id: String,
        #[arg(long)]
        org: OrgId,
    },
}

pub async fn contacts(config: &Config, cmd: ContactsCmd) -> anyhow::Result<()> {
    match cmd {
        ContactsCmd::Erase { contact_id, org } => {
            let pool = sqlx::postgres::PgPoolOptions::new()
                .max_connections(2)
                .connect(config.database.url.expose_secret())
                .await?;
            let operator = config.cli.operator();
            let erased =
                baton_platform::erasure::erase_contact(&pool, org.as_str(), &contact_id, &operator)
                    .await?;
            println!(
                "erased contact {contact_id} of {org} (audited as contact.erased by {operator}):"
            );
            for (table, rows) in &erased.rows {
                println!("  {table}: {rows} row(s)");
            }
            println!("not reachable from here:");
            if config.bus.kind == BusKind::Kafka {
                println!(
                    "  - messages already on the Kafka topics, until the topics' retention passes"
                );
            }
            println!("  - Slack messages already posted, and emails already sent");
            Ok(())
        }
    }
}
