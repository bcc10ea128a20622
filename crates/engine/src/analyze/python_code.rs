//! The lines of a Python file that are code: a comment or a line inside a triple-quoted string
//! (a docstring's usage example, a commented-out call) says nothing the running app does, so
//! readers of routes, servers and imports skip them.

/// Each code line of `text` with its 1-based number; comments, docstrings and other
/// triple-quoted strings are left out.
pub(crate) fn code_lines(text: &str) -> Vec<(usize, &str)> {
    let mut inside: Option<&str> = None;
    let mut code = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let was_inside = inside.is_some();
        let mut opened = false;
        for quote in quotes_in(line) {
            match inside {
                Some(open) if open == quote => inside = None,
                Some(_) => {}
                None => {
                    inside = Some(quote);
                    opened = true;
                }
            }
        }
        // A line that opens or closes a string, or lies within one, is the string's text;
        // `x = """one line"""` opens and closes on its own line and stays code.
        let in_string = was_inside || (opened && inside.is_some());
        if !in_string && !line.trim_start().starts_with('#') {
            code.push((index + 1, line));
        }
    }
    code
}

/// The triple quotes on `line`, in order.
fn quotes_in(line: &str) -> Vec<&'static str> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("\"\"\"").into_iter().chain(rest.find("'''")).min() {
        found.push(if rest[at..].starts_with("\"\"\"") { "\"\"\"" } else { "'''" });
        rest = &rest[at + 3..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docstrings_and_comments_are_not_code() {
        let text = "def f():\n    \"\"\"Example:\n        @app.route('/post')\n    \"\"\"\n    # app.run()\n    x = '''inline'''\n    return 1\n";
        let numbers: Vec<usize> = code_lines(text).iter().map(|(n, _)| *n).collect();
        assert_eq!(numbers, [1, 6, 7]);
    }
}
