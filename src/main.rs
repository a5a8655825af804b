//! `burn-init`: train, evaluate and query the mission's MNIST network. See `--help`.

mod cli;

/// mimalloc instead of the system allocator: every training step frees and allocates tensors of
/// up to 1.6 MB (the 784×512 kernel, its gradient and Adam's moments), which glibc serves from
/// fresh mmaps, paying a page fault per 4 KiB each time; mimalloc keeps those pages.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;

use cli::args::{Cli, Command};
use cli::commands::{run_diagnose, run_evaluate, run_predict, run_summary, run_train};

fn main() -> std::process::ExitCode {
    let cli = Cli::parse(); // bad arguments: usage on stderr, exit code 2
    burn_init::training::join_rayon_pool();
    let result = match cli.command {
        Command::Train(args) => run_train(args),
        Command::Evaluate(args) => run_evaluate(args),
        Command::Predict(args) => run_predict(args),
        Command::Summary(args) => run_summary(args),
        Command::Diagnose(args) => run_diagnose(args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", message(&error));
            std::process::ExitCode::FAILURE
        }
    }
}

/// The error and its causes on one line, like `{:#}`, but without repeating a cause that an
/// outer message already quotes (our error types print their source, as in
/// `file: invalid gzip header`, and also expose it as the source).
fn message(error: &anyhow::Error) -> String {
    let mut message = error.to_string();
    for cause in error.chain().skip(1) {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
    }
    message
}
