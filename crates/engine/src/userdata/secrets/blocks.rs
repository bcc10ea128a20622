//! Secrets that span lines, so a line alone cannot tell: PEM private key blocks, heredocs fed
//! to `chpasswd` or `passwd`, heredocs written to `.pgpass`, and cloud-config's `chpasswd:`
//! block. [`Reader`] remembers which of these the next line belongs to.

use super::commands::{feeds_pairs, feeds_password};
use super::line::line_spans;
use super::names::is_reference;
use super::shell::words;
use super::values::{Span, pgpass_span, user_password_spans};

/// What a heredoc's body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Body {
    /// `user:password` lines for `chpasswd`.
    Pairs,
    /// A password on each line (`passwd --stdin`, `sudo -S`, `docker login --password-stdin`).
    Passwords,
    /// `.pgpass` lines.
    Pgpass,
    /// Anything else (`.env` files, configs): read line by line like the script.
    Text,
}

#[derive(Debug)]
struct Heredoc {
    delimiter: String,
    body: Body,
}

/// Reads user data line by line, carrying what the previous lines opened.
#[derive(Debug, Default)]
pub(super) struct Reader {
    in_private_key: bool,
    heredoc: Option<Heredoc>,
    /// The indentation of cloud-config's `chpasswd:` key while inside its block.
    chpasswd_block: Option<usize>,
}

/// What to make of one line.
pub(super) enum Masked {
    /// Mask these spans of the line.
    Spans(Vec<Span>),
    /// Keep the line up to here, then one mask for the rest (a private key's first line).
    RestFrom(usize),
    /// The whole line is secret (inside a private key).
    Whole,
}

impl Reader {
    /// The secrets of the next line; `names` gathers what held them.
    pub(super) fn line(&mut self, line: &str, names: &mut Vec<String>) -> Masked {
        if self.in_private_key {
            self.in_private_key = !line.contains("-----END");
            return if self.in_private_key { Masked::Whole } else { Masked::Spans(Vec::new()) };
        }
        if let Some(at) = line.find("-----BEGIN").filter(|_| line.contains("PRIVATE KEY")) {
            // A key may sit on this very line (a one-line PEM, escaped newlines): keep the
            // marker, mask the rest, and everything until the END line.
            self.in_private_key = !line[at..].contains("-----END");
            names.push("PRIVATE KEY".to_string());
            let marker_end = line[at + 10..].find("-----").map_or(line.len(), |e| at + 10 + e + 5);
            return Masked::RestFrom(marker_end);
        }
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        let body = &line[indent..indent + trimmed.len()];
        let mut spans = line_spans(line, names);
        let in_heredoc = self.heredoc.as_ref().map(|heredoc| heredoc.body);
        if let Some(heredoc) = &self.heredoc
            && trimmed == heredoc.delimiter
        {
            self.heredoc = None;
            self.chpasswd_block = None;
            return Masked::Spans(spans);
        }
        match in_heredoc {
            Some(Body::Pairs) => spans.extend(shift(indent, user_password_spans(body))),
            Some(Body::Passwords) if !is_reference(body) && !body.is_empty() => {
                spans.push((indent, indent + body.len()));
            }
            Some(Body::Pgpass) => spans.extend(shift(indent, pgpass_span(body, false).into_iter().collect())),
            _ => {}
        }
        // Cloud-config is read in a heredoc as well: a script often writes it into
        // /etc/cloud/cloud.cfg.d/.
        if let Some(block_indent) = self.chpasswd_block {
            if trimmed.is_empty() || indent > block_indent {
                spans.extend(shift(indent, user_password_spans(&line[indent..indent + trimmed.len()])));
                return Masked::Spans(spans);
            }
            self.chpasswd_block = None;
        }
        if let Some(rest) = trimmed.strip_prefix("chpasswd:") {
            if rest.trim().is_empty() {
                self.chpasswd_block = Some(indent);
            } else {
                // `chpasswd: {list: "root:pw\nubuntu:pw"}`: every pair on the line.
                for word in words(line) {
                    let (start, text) = word.unquoted();
                    spans.extend(shift(start, user_password_spans(text)));
                }
            }
        }
        if in_heredoc.is_none() {
            self.heredoc = heredoc_opened_by(line);
        }
        Masked::Spans(spans)
    }
}

fn shift(offset: usize, spans: Vec<Span>) -> Vec<Span> {
    spans.into_iter().map(|(s, e)| (offset + s, offset + e)).collect()
}

/// The heredoc a line opens (`cat <<'EOF' | chpasswd`, `cat > ~/.pgpass <<-END`), if any.
fn heredoc_opened_by(line: &str) -> Option<Heredoc> {
    let at = line.match_indices("<<").map(|(i, _)| i).find(|&i| !line[i + 2..].starts_with('<'))?;
    if line[..at].contains("((") {
        // A shift inside arithmetic (`$((1 << 2))`), not a heredoc.
        return None;
    }
    let after = line[at + 2..].strip_prefix('-').unwrap_or(&line[at + 2..]).trim_start();
    let delimiter: String = after
        .chars()
        .take_while(|c| !c.is_whitespace() && !";|&)<>".contains(*c))
        .filter(|c| !"'\"\\".contains(*c))
        .collect();
    if delimiter.is_empty() {
        return None;
    }
    let words = words(line);
    let body = if feeds_pairs(&words) {
        Body::Pairs
    } else if feeds_password(&words) {
        Body::Passwords
    } else if line.contains("pgpass") {
        Body::Pgpass
    } else {
        Body::Text
    };
    Some(Heredoc { delimiter, body })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heredoc_openers() {
        let opened = |line: &str| heredoc_opened_by(line).map(|h| (h.delimiter, h.body));
        assert_eq!(opened("cat <<'EOF' | chpasswd"), Some(("EOF".into(), Body::Pairs)));
        assert_eq!(opened("chpasswd <<-\"END\""), Some(("END".into(), Body::Pairs)));
        assert_eq!(opened("cat > /root/.pgpass << PG"), Some(("PG".into(), Body::Pgpass)));
        assert_eq!(opened("passwd --stdin app <<EOF"), Some(("EOF".into(), Body::Passwords)));
        assert_eq!(opened("cat > .env <<ENV"), Some(("ENV".into(), Body::Text)));
        assert_eq!(opened("chpasswd <<< 'root:pw'"), None);
        assert_eq!(opened("echo $((1 << 2))"), None);
    }
}
