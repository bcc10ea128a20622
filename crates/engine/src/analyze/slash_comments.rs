//! Line comments of the languages that write them `//`.

/// A line of C-like code (Go, JavaScript, Java) without its `//` comment; a `//` inside a
/// string (`"http://..."`) stays.
pub(crate) fn without_slash_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (at, c) in line.char_indices() {
        match quote {
            Some(q) if c == q && (previous != '\\' || q == '`') => quote = None,
            Some(_) => {}
            None if matches!(c, '"' | '`' | '\'') => quote = Some(c),
            None if c == '/' && previous == '/' => return &line[..at - 1],
            None => {}
        }
        previous = if previous == '\\' && c == '\\' { ' ' } else { c };
    }
    line
}
