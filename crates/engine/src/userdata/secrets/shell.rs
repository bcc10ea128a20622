//! Shell lines as far as masking needs them: words (quotes and `$(...)` keep spaces inside one
//! word), pipelines (split at `;`, `&&`, `||`, `&`) and the commands of a pipeline (split at
//! `|`). This is no shell parser: it only has to find which command an option belongs to, so
//! `-p` is read as a password for `sshpass` and as a port for `docker run`.

/// One shell word: where it starts in the line, and its text with its quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Word<'a> {
    pub start: usize,
    pub text: &'a str,
}

impl<'a> Word<'a> {
    /// The word without one pair of surrounding quotes, and where that starts in the line.
    pub fn unquoted(&self) -> (usize, &'a str) {
        unquote(self.start, self.text)
    }

    /// The program this word names when it is a command: `/usr/bin/curl` → `curl`.
    pub fn program(&self) -> &'a str {
        let (_, text) = self.unquoted();
        text.rsplit('/').next().unwrap_or(text)
    }

    /// An option (`-p`, `--user=x`), not an argument.
    pub fn is_option(&self) -> bool {
        self.unquoted().1.starts_with('-')
    }
}

/// `text` (found at `start`) without one pair of surrounding quotes; a quote only at the start
/// (`"pa ss` cut by a missing close) is dropped too.
pub(super) fn unquote(start: usize, text: &str) -> (usize, &str) {
    for quote in ['"', '\''] {
        if let Some(inner) = text.strip_prefix(quote) {
            return (start + 1, inner.strip_suffix(quote).unwrap_or(inner));
        }
    }
    (start, text)
}

/// The words of a line. Quotes, backquotes and `$(...)` keep whitespace inside one word.
pub(super) fn words(line: &str) -> Vec<Word<'_>> {
    let mut words = Vec::new();
    let mut start = None;
    let mut quote = None;
    let mut depth = 0usize;
    let mut previous = '\0';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => {
                quote = Some(c);
                start.get_or_insert(i);
            }
            (None, '(') if previous == '$' => depth += 1,
            (None, ')') if depth > 0 => depth -= 1,
            (None, c) if c.is_whitespace() && depth == 0 => {
                if let Some(s) = start.take() {
                    words.push(Word { start: s, text: &line[s..i] });
                }
            }
            (None, _) => {
                start.get_or_insert(i);
            }
        }
        previous = c;
    }
    if let Some(s) = start {
        words.push(Word { start: s, text: &line[s..] });
    }
    words
}

/// The commands of one pipeline, each a run of words.
pub(super) type Pipeline<'a> = Vec<Vec<Word<'a>>>;

/// The line's words as pipelines of commands. A word ending in `;` (`fi;`) ends its pipeline.
pub(super) fn pipelines<'a>(words: &[Word<'a>]) -> Vec<Pipeline<'a>> {
    let mut pipelines = Vec::new();
    let mut pipeline: Pipeline<'a> = vec![Vec::new()];
    for word in words {
        match word.text {
            "|" | "|&" => pipeline.push(Vec::new()),
            ";" | "&&" | "||" | "&" => pipelines.push(std::mem::replace(&mut pipeline, vec![Vec::new()])),
            text => {
                let ends = text.ends_with(';') && !text.ends_with("\\;");
                let text = if ends { &text[..text.len() - 1] } else { text };
                if let Some(command) = pipeline.last_mut().filter(|_| !text.is_empty()) {
                    command.push(Word { start: word.start, text });
                }
                if ends {
                    pipelines.push(std::mem::replace(&mut pipeline, vec![Vec::new()]));
                }
            }
        }
    }
    pipelines.push(pipeline);
    pipelines.into_iter().map(|p| p.into_iter().filter(|c| !c.is_empty()).collect()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &str) -> Vec<&str> {
        words(line).iter().map(|w| w.text).collect()
    }

    #[test]
    fn quotes_and_substitutions_are_one_word() {
        assert_eq!(texts("a 'b c' \"d e\"f $(g h) `i j`"), vec!["a", "'b c'", "\"d e\"f", "$(g h)", "`i j`"]);
        assert_eq!(words("  x")[0], Word { start: 2, text: "x" });
    }

    #[test]
    fn pipelines_and_commands() {
        let words = words("echo root:x | sudo chpasswd && chown a:b f; ls");
        let found: Vec<Vec<Vec<&str>>> =
            pipelines(&words).iter().map(|p| p.iter().map(|c| c.iter().map(|w| w.text).collect()).collect()).collect();
        assert_eq!(
            found,
            vec![
                vec![vec!["echo", "root:x"], vec!["sudo", "chpasswd"]],
                vec![vec!["chown", "a:b", "f"]],
                vec![vec!["ls"]]
            ]
        );
    }

    #[test]
    fn programs_and_unquoting() {
        assert_eq!(Word { start: 0, text: "/usr/bin/curl" }.program(), "curl");
        assert_eq!(unquote(4, "'pa ss'"), (5, "pa ss"));
        assert_eq!(unquote(0, "\"open"), (1, "open"));
    }
}
