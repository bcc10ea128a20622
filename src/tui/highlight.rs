//! Syntax colours for the artifacts ferry shows: the Dockerfile and the service config.
//!
//! A small lexer per language rather than syntect: syntect bundles no Dockerfile syntax, and
//! its regex engine and syntax sets would add minutes to a fresh build on a small machine
//! (issue 17 counts a newcomer's first build in minutes). Both languages are read a line at a
//! time, which is all a pane that scrolls sideways needs, and each lexer is tested below.
//! Colours only add to what the text says: under `NO_COLOR` the frame loses them and nothing
//! else (`theme::strip_colors`), so a keyword or a key is never told apart by colour alone.

mod dockerfile;
mod json;

use ratatui::style::{Color, Modifier, Style};

pub use dockerfile::dockerfile_line;
pub use json::json_line;

/// What a piece of a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    /// A Dockerfile instruction (`FROM`, `RUN`).
    Keyword,
    Comment,
    /// An object key in JSON.
    Key,
    Text,
    Number,
    /// `true`, `false`, `null`.
    Literal,
    /// `${…}` and `$NAME`: filled in later (by ferry at apply time, or by Docker).
    Variable,
    /// `--from=build`, `--omit=dev`.
    Flag,
    Punctuation,
    Plain,
}

impl Token {
    /// How the token is drawn.
    pub fn style(self) -> Style {
        match self {
            Token::Keyword => Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD),
            Token::Comment => super::theme::dim(),
            Token::Key => Style::new().fg(super::theme::ACCENT),
            Token::Text => Style::new().fg(Color::Green),
            Token::Number | Token::Literal => Style::new().fg(Color::Yellow),
            Token::Variable => Style::new().fg(Color::Blue),
            Token::Flag => Style::new().fg(Color::Cyan),
            Token::Punctuation | Token::Plain => Style::new(),
        }
    }
}

/// A line as tokens, each with its text.
pub type Tokens = Vec<(Token, String)>;

/// The tokens as a line to draw, each piece made safe (a plan's text is untrusted).
pub fn line(tokens: Tokens) -> ratatui::text::Line<'static> {
    let spans: Vec<ratatui::text::Span<'static>> = tokens
        .into_iter()
        .map(|(token, text)| ratatui::text::Span::styled(super::widgets::safe(&text), token.style()))
        .collect();
    ratatui::text::Line::from(spans)
}

/// Adds `text` as `token`, joined to the last piece when it is of the same kind.
fn push(tokens: &mut Tokens, token: Token, text: &str) {
    if text.is_empty() {
        return;
    }
    match tokens.last_mut() {
        Some((last, piece)) if *last == token => piece.push_str(text),
        _ => tokens.push((token, text.to_string())),
    }
}

/// The text of a quoted string starting at `chars[0]` (a `"`), through its closing quote or
/// the end of the line.
fn quoted(chars: &[char]) -> usize {
    let mut at = 1;
    while at < chars.len() {
        match chars[at] {
            '\\' => at += 2,
            '"' => return at + 1,
            _ => at += 1,
        }
    }
    chars.len()
}
