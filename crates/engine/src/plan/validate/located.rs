//! The artifacts as an operator types them, judged by the very rules that guard approval
//! (`validate_service_config`, `validate_dockerfile`), each problem placed on the line it
//! concerns so an editor can point at it while the text is being written. A text with no
//! problem here makes a plan `Plan::invalid` has nothing to say about, and the reverse.

use super::{Invalid, validate_dockerfile, validate_service_config};
use crate::model::ExpressServiceConfig;

/// One problem in an artifact's text and the line (1-based) it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    /// The line, counted from 1.
    pub line: usize,
    /// The rule broken, naming its field as `Plan::invalid` does.
    pub problem: Invalid,
}

/// service.json as typed: the config when it reads as one, and what is wrong with it. A text
/// that does not read (a syntax error, a string where a number goes) has that one problem, on
/// its line; one that reads has every rule it breaks, each on the line of its field.
pub fn check_service_json(
    text: &str,
    account_id: &str,
    region: &str,
) -> (Option<ExpressServiceConfig>, Vec<LineProblem>) {
    match serde_json::from_str::<ExpressServiceConfig>(text) {
        Err(error) => {
            let full = error.to_string();
            let place = format!(" at line {} column {}", error.line(), error.column());
            let message = full.strip_suffix(&place).unwrap_or(&full).to_string();
            let problem = Invalid::new("service.json", format!("does not read as a service config: {message}"));
            (None, vec![LineProblem { line: error.line().max(1), problem }])
        }
        Ok(config) => {
            let lines = field_lines(text);
            let problems = validate_service_config(&config, account_id, region)
                .into_iter()
                .map(|problem| LineProblem { line: line_of(&lines, &problem.field), problem })
                .collect();
            (Some(config), problems)
        }
    }
}

/// A Dockerfile as typed, every problem on the line its instruction starts (the first line
/// for what concerns the whole file).
pub fn check_dockerfile(text: &str) -> Vec<LineProblem> {
    validate_dockerfile(text)
        .into_iter()
        .map(|problem| {
            let line = problem.field.strip_prefix("Dockerfile line ").and_then(|n| n.parse().ok()).unwrap_or(1);
            LineProblem { line, problem }
        })
        .collect()
}

/// The line of `field` (`scalingTarget.maxTaskCount`, `tags[1].key`), or of the nearest
/// enclosing field that is written, or the first line.
fn line_of(lines: &[(String, usize)], field: &str) -> usize {
    let mut path = field;
    loop {
        if let Some((_, line)) = lines.iter().find(|(p, _)| p == path) {
            return *line;
        }
        match path.rfind(['.', '[']) {
            Some(cut) => path = &path[..cut],
            None => return 1,
        }
    }
}

/// Every member and element of a JSON document by its path (`a.b[2].c`) with the line it
/// starts on. Lenient: anything it cannot read ends the walk, never a panic or a loop.
fn field_lines(text: &str) -> Vec<(String, usize)> {
    let mut walker = Walker { bytes: text.as_bytes(), at: 0, line: 1, found: Vec::new() };
    walker.value("", 0);
    walker.found
}

/// As deep as any document serde_json reads (its recursion limit).
const MAX_DEPTH: usize = 128;

struct Walker<'a> {
    bytes: &'a [u8],
    at: usize,
    line: usize,
    found: Vec<(String, usize)>,
}

impl Walker<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while let Some(byte) = self.peek().filter(u8::is_ascii_whitespace) {
            self.line += usize::from(byte == b'\n');
            self.at += 1;
        }
    }

    fn value(&mut self, path: &str, depth: usize) {
        self.skip_space();
        match self.peek() {
            _ if depth > MAX_DEPTH => self.at = self.bytes.len(),
            Some(b'{') => self.object(path, depth),
            Some(b'[') => self.array(path, depth),
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                let start = self.at;
                while self.peek().is_some_and(|b| !b.is_ascii_whitespace() && !b",]}".contains(&b)) {
                    self.at += 1;
                }
                if self.at == start {
                    self.at = self.bytes.len();
                }
            }
            None => {}
        }
    }

    fn object(&mut self, path: &str, depth: usize) {
        self.at += 1;
        loop {
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'"') => {
                    let line = self.line;
                    let key = self.string();
                    self.skip_space();
                    if self.peek() == Some(b':') {
                        self.at += 1;
                    }
                    let child = if path.is_empty() { key } else { format!("{path}.{key}") };
                    self.found.push((child.clone(), line));
                    self.value(&child, depth + 1);
                }
                Some(b'}') => {
                    self.at += 1;
                    return;
                }
                _ => {
                    self.at = self.bytes.len();
                    return;
                }
            }
        }
    }

    fn array(&mut self, path: &str, depth: usize) {
        self.at += 1;
        let mut index = 0;
        loop {
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return;
                }
                None => return,
                Some(_) => {
                    let child = format!("{path}[{index}]");
                    self.found.push((child.clone(), self.line));
                    self.value(&child, depth + 1);
                    index += 1;
                }
            }
        }
    }

    /// A string at the cursor, its escapes read; the cursor after its closing quote.
    fn string(&mut self) -> String {
        let start = self.at;
        self.at += 1;
        while let Some(byte) = self.peek() {
            self.at += 1;
            match byte {
                b'\\' => self.at += 1,
                b'"' => break,
                b'\n' => self.line += 1,
                _ => {}
            }
        }
        let raw = String::from_utf8_lossy(&self.bytes[start..self.at.min(self.bytes.len())]);
        serde_json::from_str(&raw).unwrap_or_else(|_| raw.trim_matches('"').to_string())
    }
}

#[cfg(test)]
mod tests;
