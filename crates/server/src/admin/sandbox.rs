//! Admin commands for the sandbox ERPs integrate against: each client's verification reports,
//! a reset, and production credentials for a sandbox app that did what it should
//! (`erp-app promote`, in `setup`).

use clap::Subcommand;
use entrepot_app::App;
use serde_json::json;

use super::{find_client, print};

#[derive(Debug, Subcommand)]
pub enum SandboxCmd {
    /// What the client's sandbox apps and Bird test key have called successfully, against each
    /// dialect's checklist.
    Report {
        #[arg(long)]
        client: String,
    },
    /// Start the client's sandbox again: a fresh twin (SKUs copied again, play stock and
    /// balance); test keys and webhooks move to it, the old twin's orders stay behind.
    Reset {
        #[arg(long)]
        client: String,
    },
}

pub async fn run(app: &App, c: SandboxCmd) -> anyhow::Result<()> {
    match c {
        SandboxCmd::Report { client } => {
            let client = find_client(app, &client).await?;
            let reports: Vec<_> = app
                .sandbox_reports(&client.id)
                .await?
                .into_iter()
                .map(|(oc, report)| match oc {
                    Some(a) => json!({"dialect": "oc", "name": a.name, "client_key": a.client_key, "report": report}),
                    None => json!({"dialect": "bird", "name": "Bird test key", "report": report}),
                })
                .collect();
            print(&reports)
        }
        SandboxCmd::Reset { client } => {
            let client = find_client(app, &client).await?;
            let twin = app.reset_sandbox(&client.id).await?;
            print(&json!({"client_id": client.id, "sandbox_client_id": twin}))
        }
    }
}
