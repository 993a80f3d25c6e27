use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use anyhow::{bail, Result};

use crate::web::{self, Config};
use crate::Context;

/// Serve the catalogue as local web pages: browse with photos, log a finding, review merges.
///
/// Listens on 127.0.0.1 only, unless --listen names another address, which needs --auth (a
/// users file: see docs/web.md). Prints the URL and serves until interrupted. Pages work
/// without JavaScript; every write goes through the same use cases as the commands.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The port to listen on (0: any free port; the URL printed says which)
    #[arg(long, default_value_t = 8421)]
    pub port: u16,
    /// Listen on this address instead of 127.0.0.1 (needs --auth)
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<IpAddr>,
    /// The users file: one `name:role:argon2-hash` a line, role reader, investigator or
    /// reviewer (docs/web.md). Without it every visitor on 127.0.0.1 acts as the configured
    /// investigator
    #[arg(long, value_name = "FILE")]
    pub auth: Option<PathBuf>,
    /// The largest upload accepted, in MB
    #[arg(long, default_value_t = 50, value_name = "MB")]
    pub max_upload: u64,
    /// Seconds a write waits for the catalogue's lock (an import holds it) before the page
    /// answers 503 and asks to try again
    #[arg(long, default_value_t = 3, value_name = "SECONDS")]
    pub lock_wait: u64,
    /// Print the argon2 hash of the password on the first line of stdin, for a users file
    /// line (`name:role:HASH`), and start nothing
    #[arg(long)]
    pub hash_password: bool,
    /// Who records findings and decisions when no one logs in (else COMPTRACE_INVESTIGATOR,
    /// else the login name: USER, else LOGNAME)
    #[arg(long)]
    pub investigator: Option<String>,
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    if args.hash_password {
        return print_hash(out);
    }
    let address = listen_address(&args)?;
    let users = match &args.auth {
        Some(path) => Some(web::auth::Users::load(path)?),
        None => None,
    };
    // the catalogue must open (and be migrated) before the first visitor, as the CLI opens it
    drop(ctx.open()?);
    let config = Config {
        db: ctx.db.clone(),
        address,
        users,
        max_upload: args.max_upload.saturating_mul(1024 * 1024),
        lock_wait: std::time::Duration::from_secs(args.lock_wait),
        investigator: args.investigator,
    };
    web::serve(config, |url| {
        let _ = writeln!(out, "{url}");
        let _ = out.flush();
    })
}

/// Reads one password line from stdin and prints its hash.
fn print_hash(out: &mut dyn Write) -> Result<()> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']);
    if password.is_empty() {
        bail!("--hash-password: no password on stdin");
    }
    writeln!(out, "{}", web::auth::hash_password(password)?)?;
    Ok(())
}

/// 127.0.0.1 unless --listen says otherwise; another address only with --auth, since the
/// pages can write to the catalogue.
fn listen_address(args: &Args) -> Result<SocketAddr> {
    let ip = match args.listen {
        None => IpAddr::V4(Ipv4Addr::LOCALHOST),
        Some(ip) if args.auth.is_none() && !ip.is_loopback() => bail!(
            "--listen {ip} needs --auth FILE: off the loopback address anyone who reaches the port could read and write the catalogue (see docs/web.md); nothing was started"
        ),
        Some(ip) => ip,
    };
    Ok(SocketAddr::new(ip, args.port))
}
