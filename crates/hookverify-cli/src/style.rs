//! Colour on a terminal, plain text when piped (`anstream` strips the styles then, and honours
//! `NO_COLOR` / `CLICOLOR_FORCE`).

use anstyle::{AnsiColor, Style};

pub(crate) const OK: Style = AnsiColor::Green.on_default().bold();
pub(crate) const BAD: Style = AnsiColor::Red.on_default().bold();
pub(crate) const WARN: Style = AnsiColor::Yellow.on_default();
pub(crate) const DIM: Style = Style::new().dimmed();
pub(crate) const BOLD: Style = Style::new().bold();

/// `text` in `style` (the escape codes are removed by `anstream` when not on a terminal).
pub(crate) fn paint(style: Style, text: impl std::fmt::Display) -> String {
    format!("{style}{text}{style:#}")
}
