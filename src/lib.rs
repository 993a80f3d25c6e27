//! comptrace: a catalogue of components found in weapons, traced to makers, countries and
//! evidence. The binary only parses arguments; everything it does is here, so tests and
//! other programs can drive the same code.

pub mod classification;
pub mod cli;
pub mod cmd;
pub mod country;
pub mod dates;
pub mod db;
pub mod entity;
pub mod evidence;
pub mod exif;
pub mod export_ftm;
pub mod finding;
pub mod matching;
pub mod normalize;
pub mod outfile;
pub mod output;
pub mod progress;
pub mod report;
pub mod safe_text;
pub mod screening;
pub mod shipment;
pub mod supply;
pub mod table;
#[cfg(test)]
mod test_alloc;
pub mod usecase;
pub mod web;

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

/// What every command gets besides its own arguments.
pub struct Context {
    pub db: PathBuf,
    pub quiet: bool,
}

impl Context {
    /// Opens the catalogue for a command that needs an existing one.
    pub fn open(&self) -> Result<db::Catalogue> {
        db::Catalogue::open(&self.db)
    }

    /// Opens the catalogue for a command that only reads: nothing is written, and a catalogue
    /// on read-only media answers (`db::Catalogue::open_read_only`).
    pub fn open_read_only(&self) -> Result<db::Catalogue> {
        db::Catalogue::open_read_only(&self.db)
    }

    /// A summary line for people, on stderr, unless --quiet; control characters a name in it
    /// carries are shown escaped (`safe_text::message_for_people`).
    pub fn note(&self, message: impl std::fmt::Display) {
        if !self.quiet {
            let text = message.to_string();
            let _ = writeln!(
                std::io::stderr(),
                "{}",
                safe_text::message_for_people(&text)
            );
        }
    }
}

/// Runs a parsed command line, writing data to `out`.
pub fn run(cli: cli::Cli, out: &mut dyn Write) -> Result<()> {
    db::configure_library();
    let db = cli.db.clone().unwrap_or_else(db::default_path);
    dispatch(cli, out).map_err(|e| db::explain_storage_error(e, &db))
}

fn dispatch(cli: cli::Cli, out: &mut dyn Write) -> Result<()> {
    let ctx = Context {
        db: cli.db.clone().unwrap_or_else(db::default_path),
        quiet: cli.quiet,
    };
    use cli::Command::*;
    match cli.command {
        Init(args) => cmd::init::run(&ctx, args, out),
        Log(args) => cmd::log::run(&ctx, *args, out),
        Import(args) => cmd::import::run(&ctx, args, out),
        Parts(args) => cmd::parts::run(&ctx, args, out),
        Manufacturers(args) => cmd::manufacturers::run(&ctx, args, out),
        Weapons(args) => cmd::weapons::run(&ctx, args, out),
        Show(args) => cmd::show::run(&ctx, args, out),
        Search(args) => cmd::search::run(&ctx, args, out),
        Report(args) => cmd::report::run(&ctx, args, out),
        Classify(args) => cmd::classify::run(&ctx, args, out),
        Lists(args) => cmd::lists::run(&ctx, args, out),
        Screen(args) => cmd::screen::run(&ctx, args, out),
        ScreenDecide(args) => cmd::screen::run_decide(&ctx, args, out),
        Cluster(args) => cmd::cluster::run(&ctx, args, out),
        Dedup(args) => cmd::dedup::run(&ctx, args, out),
        Merge(args) => cmd::merge::run(&ctx, args, out),
        Distinct(args) => cmd::distinct::run(&ctx, args, out),
        Merges(args) => cmd::merges::run(&ctx, args, out),
        Unmerge(args) => cmd::unmerge::run(&ctx, args, out),
        Amend(args) => cmd::amend::run(&ctx, *args, out),
        Correct(args) => cmd::correct::run(&ctx, args, out),
        Retract(args) => cmd::retract::run(&ctx, args, out),
        Unretract(args) => cmd::unretract::run(&ctx, args, out),
        RetractSource(args) => cmd::retract::run_source(&ctx, args, out),
        Embargo(args) => cmd::embargo::run(&ctx, args, out),
        ArchiveSource(args) => cmd::archive_source::run(&ctx, args, out),
        History(args) => cmd::history::run(&ctx, args, out),
        Trace(args) => cmd::trace::run(&ctx, args, out),
        Shipments(args) => cmd::shipments::run(&ctx, args, out),
        Check(args) => cmd::check::run(&ctx, args, out),
        Backup(args) => cmd::backup::run(&ctx, args, out),
        Export(args) => cmd::export::run(&ctx, args, out),
        ImportCatalogue(args) => cmd::import_catalogue::run(&ctx, args, out),
        Demo(args) => cmd::demo::run(&ctx, args, out),
        Serve(args) => cmd::serve::run(&ctx, args, out),
    }
}
