//! The blocks a line of indented code sits in, read from the indentation alone: the lines
//! above it that are less indented than everything between, nearest first. Enough to ask
//! "is this inside a function / a method / an `if`" without parsing the language.

/// The lines that open the blocks holding line `index`, nearest first, with their numbers:
/// each less indented than the one before, blank lines skipped. Stops after a line at the
/// left margin.
pub fn enclosing_lines<'a>(lines: &'a [&'a str], index: usize) -> impl Iterator<Item = (usize, &'a str)> + 'a {
    let mut level = lines.get(index).map_or(0, |line| indentation(line));
    let mut at = index.min(lines.len());
    std::iter::from_fn(move || {
        while level > 0 && at > 0 {
            at -= 1;
            let line = lines[at];
            if line.trim().is_empty() || indentation(line) >= level {
                continue;
            }
            level = indentation(line);
            return Some((at, line));
        }
        None
    })
}

pub fn indentation(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_less_indented_line_above_nearest_first() {
        let text = "class A {\n  run() {\n    if (x) {\n\n      go()\n    }\n  }\n}\nlast()\n";
        let lines: Vec<&str> = text.lines().collect();
        let found: Vec<usize> = enclosing_lines(&lines, 4).map(|(at, _)| at).collect();
        assert_eq!(found, [2, 1, 0]);
        assert_eq!(enclosing_lines(&lines, 8).count(), 0, "a line at the margin is in no block");
        assert_eq!(enclosing_lines(&lines, 99).count(), 0, "a line past the end is in none");
    }
}
