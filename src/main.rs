//! Parses arguments, runs the command, prints the error chain and owns the exit code:
//! 0 success, 1 an error the user can act on (message on stderr), 2 a usage error (from clap).
//! A closed pipe (`comptrace parts | head`) is success.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = comptrace::cli::Cli::parse();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = comptrace::run(cli, &mut out).and_then(|()| out.flush().map_err(Into::into));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // a message may quote a name from someone's file: its control characters escaped
            let message = format!("{e:#}");
            let _ = writeln!(
                io::stderr(),
                "error: {}",
                comptrace::safe_text::message_for_people(&message)
            );
            ExitCode::from(1)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

// the import's two threads allocate on one and free on the other, millions of times; the
// system allocator takes a lock for each of those, mimalloc does not
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
