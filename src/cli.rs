//! The command line: global options and the list of commands. Each command's arguments live in
//! its own module under src/cmd/, and the doc comment on each is its --help text. The values
//! of the library's own types (entity families, cluster kinds, output formats) are spelled for
//! clap here, by their names, so the layers below never depend on clap.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::cmd;
use crate::entity::Family;
use crate::matching::cluster;
use crate::output::{report::ReportFormat, Format};
use crate::report::By;
use crate::screening::{Decision, ListFormat, Role};

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
    Classify(cmd::classify::Args),
    Lists(cmd::lists::Args),
    Screen(cmd::screen::Args),
    ScreenDecide(cmd::screen::DecideArgs),
    Cluster(cmd::cluster::Args),
    Dedup(cmd::dedup::Args),
    Merge(cmd::merge::Args),
    Distinct(cmd::distinct::Args),
    Merges(cmd::merges::Args),
    Unmerge(cmd::unmerge::Args),
    Amend(Box<cmd::amend::Args>),
    Correct(cmd::correct::Args),
    Retract(cmd::retract::Args),
    Unretract(cmd::unretract::Args),
    RetractSource(cmd::retract::SourceArgs),
    Embargo(cmd::embargo::Args),
    ArchiveSource(cmd::archive_source::Args),
    History(cmd::history::Args),
    Trace(cmd::trace::Args),
    Shipments(cmd::shipments::Args),
    Check(cmd::check::Args),
    Backup(cmd::backup::Args),
    Export(cmd::export::Args),
    ImportCatalogue(cmd::import_catalogue::Args),
    Demo(cmd::demo::Args),
    Serve(cmd::serve::Args),
}

/// Lets clap take a value of a type by its `name()`, one of its `ALL`. Written out here rather
/// than derived on the type, which would tie a pure module to clap; the help text is the same
/// as the derive's for variants without doc comments.
macro_rules! value_enum_by_name {
    ($($t:ty),+ $(,)?) => {$(
        impl clap::ValueEnum for $t {
            fn value_variants<'a>() -> &'a [Self] {
                &<$t>::ALL
            }

            fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
                Some(clap::builder::PossibleValue::new(self.name()))
            }
        }
    )+};
}

value_enum_by_name!(
    Family,
    cluster::Kind,
    By,
    Format,
    ReportFormat,
    Role,
    Decision,
    ListFormat
);

#[cfg(test)]
mod tests {
    use clap::ValueEnum;

    use super::*;

    #[test]
    fn every_value_parses_from_its_name() {
        fn check<T: ValueEnum + PartialEq + std::fmt::Debug>(name: impl Fn(&T) -> &'static str) {
            for v in T::value_variants() {
                assert_eq!(T::from_str(name(v), false).as_ref(), Ok(v));
            }
        }
        check::<Family>(|v| v.name());
        check::<cluster::Kind>(|v| v.name());
        check::<By>(|v| v.name());
        check::<Format>(|v| v.name());
        check::<ReportFormat>(|v| v.name());
        check::<Role>(|v| v.name());
        check::<Decision>(|v| v.name());
        check::<ListFormat>(|v| v.name());
    }
}
