//! The command line: global options and the list of commands. Each command's arguments live in
//! its own module under src/cmd/, and the doc comment on each is its --help text.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::cmd;

/// comptrace: a catalogue of components found in weapons, traced to their makers, the makers'
/// countries, and the evidence.
///
/// Start with `comptrace demo` to see a catalogue built from published findings, or
/// `comptrace init` to make an empty one.
#[derive(Debug, Parser)]
#[command(name = "comptrace", version, max_term_width = 100)]
pub struct Cli {
    /// The catalogue file [default: ./comptrace.db]
    #[arg(
        long,
        global = true,
        env = "COMPTRACE_DB",
        hide_env_values = true,
        value_name = "PATH"
    )]
    pub db: Option<PathBuf>,

    /// Print no summaries or progress on stderr (data on stdout is unchanged)
    #[arg(long, short, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Init(cmd::init::Args),
    Log(Box<cmd::log::Args>),
    Import(cmd::import::Args),
    Parts(cmd::parts::Args),
    Manufacturers(cmd::manufacturers::Args),
    Weapons(cmd::weapons::Args),
    Show(cmd::show::Args),
    Search(cmd::search::Args),
    Report(cmd::report::Args),
    Cluster(cmd::cluster::Args),
    Dedup(cmd::dedup::Args),
    Merge(cmd::merge::Args),
    Distinct(cmd::distinct::Args),
    Merges(cmd::merges::Args),
    Unmerge(cmd::unmerge::Args),
    Check(cmd::check::Args),
    Backup(cmd::backup::Args),
    Export(cmd::export::Args),
    ImportCatalogue(cmd::import_catalogue::Args),
    Demo(cmd::demo::Args),
}
