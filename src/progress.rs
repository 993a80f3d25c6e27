//! The one place that builds progress bars: shown on stderr only when it is a terminal and the
//! user did not ask for quiet, so pipes, files and CI logs never see them.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar over a number of bytes (a file being read), hidden when it would not help anyone.
pub fn bytes(total: u64, message: &str, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{msg} [{bar:32}] {bytes}/{total_bytes} {elapsed} (eta {eta})",
        )
        .expect("the template is valid")
        .progress_chars("=> "),
    );
    bar.set_message(message.to_string());
    bar
}
