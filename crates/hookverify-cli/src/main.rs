#![doc = include_str!("../README.md")]

mod common;
mod demo;
mod events;
mod explain;
mod inbox;
mod listen;
mod receiver;
mod scheme_file;
mod send;
mod sign;
mod style;
mod verify;

use std::process::ExitCode;

use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand};

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
    /// Run a local receiver and fire every kind of delivery at it, for every provider.
    #[command(
        after_help = "Example:\n  hookverify demo\n\nExits 0 only when every outcome is the expected one."
    )]
    Demo(demo::DemoArgs),
    /// Run a local receiver: one line per verified event, rejections with their reason.
    #[command(
        after_help = "Example:\n  hookverify listen --provider sendable --secret whsec_... --port 3000 [--json]"
    )]
    Listen(listen::ListenArgs),
    /// Send a correctly signed test event, like a provider dashboard's "Send test event".
    #[command(
        after_help = "Example:\n  hookverify send --provider sendpilot --secret sp_... --url http://127.0.0.1:3000/ --event reply.received --repeat 3"
    )]
    Send(send::SendArgs),
    /// Print the headers a provider would send with a body (Mailgun, Adyen: the signed body).
    #[command(
        after_help = "Example:\n  hookverify sign --provider stripe --secret whsec_... --body-file event.json\n  hookverify sign --provider mailgun --secret key-... --body-file event.json > signed.json"
    )]
    Sign(sign::SignArgs),
    /// Check a captured request's signature, and say exactly why it fails.
    #[command(
        after_help = "Example:\n  hookverify verify --provider standard-webhooks --secret whsec_... \\\n    --header 'webhook-id: msg_1' --header 'webhook-timestamp: 1700000000' \\\n    --header 'webhook-signature: v1,...' --body-file body.json --now 1700000000"
    )]
    Verify(verify::VerifyArgs),
    /// Operate a Postgres inbox: status, replay of dead events, purge of processed ones.
    #[command(
        after_help = "Example:\n  hookverify inbox status --database-url postgres://app@127.0.0.1/app\n  hookverify inbox retry --database-url ...\n  hookverify inbox purge --older-than-secs 604800 --database-url ..."
    )]
    Inbox(inbox::InboxArgs),
}

/// `send --help`'s list of sample events, per provider, from hookverify-samples.
fn sample_events() -> String {
    let mut text = String::from("Sample events (--event), per provider:");
    for provider in hookverify::Provider::ALL {
        let events: Vec<&str> = hookverify_samples::for_provider(provider.name())
            .filter(|s| !s.older_shape)
            .map(|s| s.event_type)
            .collect();
        text.push_str(&format!("\n  {provider}: {}", events.join(", ")));
    }
    text
}

fn main() -> ExitCode {
    let command = Cli::command().mut_subcommand("send", |send| {
        send.after_long_help(format!(
            "Example:\n  hookverify send --provider sendpilot --secret sp_... --url http://127.0.0.1:3000/ --event reply.received --repeat 3\n\n{}",
            sample_events()
        ))
    });
    let cli = match Cli::from_arg_matches(&command.get_matches()) {
        Ok(cli) => cli,
        Err(err) => err.exit(),
    };
    let outcome = match cli.command {
        Command::Demo(args) => demo::run(&args),
        Command::Listen(args) => listen::run(&args),
        Command::Send(args) => send::run(&args),
        Command::Sign(args) => sign::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Inbox(args) => inbox::run(&args),
    };
    match outcome {
        Ok(code) => code,
        Err(usage) => {
            eprintln!("error: {usage}");
            ExitCode::from(2)
        }
    }
}
