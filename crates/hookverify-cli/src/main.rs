#![doc = include_str!("../README.md")]

mod common;
mod events;
mod sign;
mod verify;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Sign and verify webhooks locally: Standard Webhooks/Svix, Sendable, SendPilot, AutoSend,
/// SendKit, Sent, Stripe and GitHub.
#[derive(Parser)]
#[command(name = "hookverify", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the headers a provider would send with a body.
    #[command(
        after_help = "Example:\n  hookverify sign --provider stripe --secret whsec_... --body-file event.json"
    )]
    Sign(sign::SignArgs),
    /// Check a captured request's signature, and say exactly why it fails.
    #[command(
        after_help = "Example:\n  hookverify verify --provider standard-webhooks --secret whsec_... \\\n    --header 'webhook-id: msg_1' --header 'webhook-timestamp: 1700000000' \\\n    --header 'webhook-signature: v1,...' --body-file body.json --now 1700000000"
    )]
    Verify(verify::VerifyArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Sign(args) => sign::run(&args),
        Command::Verify(args) => verify::run(&args),
    };
    match outcome {
        Ok(code) => code,
        Err(usage) => {
            eprintln!("error: {usage}");
            ExitCode::from(2)
        }
    }
}
