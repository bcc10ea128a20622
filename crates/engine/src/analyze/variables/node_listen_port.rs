//! A listen port parsed from a variable with no fallback: `port: Number(process.env.PORT)` in
//! hapi's `server.connection({...})`, or `const port = parseInt(process.env.PORT, 10)` then
//! `app.listen(port)`. Unset, the number is NaN, and the server cannot listen: the variable is
//! required, though the read itself has no marker of it.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;

/// `Number(process.env.X)`, `parseInt(process.env.X, 10)`, `+process.env.X`, with the name.
static PARSED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:\b(?:Number|parseInt|parseFloat)\(\s*process\.env(?:\.(\w+)|\[\s*['"](\w+)['"]\s*\])\s*(?:,\s*\d+\s*)?\)|\+\s*process\.env\.(\w+))"#,
    )
    .expect("valid pattern")
});

/// `const port = ` before the parse: the local name the number is kept under.
static HELD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:const|let|var)\s+(\w+)\s*=\s*$").expect("valid pattern"));

/// Marks required each read in `reads` (all from `text`) whose parsed number, with no fallback,
/// is the port the server listens on.
pub fn require_parsed_ports(text: &str, reads: &mut [VariableRead]) {
    if !text.contains("process.env") || !text.to_ascii_lowercase().contains("port") {
        return;
    }
    let lines: Vec<&str> = text.lines().collect();
    for read in reads.iter_mut().filter(|r| !r.required && r.default.is_none()) {
        let Some(number) = read.source.rsplit_once(':').and_then(|(_, l)| l.parse::<usize>().ok()) else { continue };
        let Some(line) = lines.get(number.saturating_sub(1)) else { continue };
        let server_options = in_server_options(&lines, number.saturating_sub(1));
        if parsed_port_without_fallback(line, &read.name, server_options, &lines[number.min(lines.len())..]) {
            read.required = true;
        }
    }
}

/// Whether `line` parses `name` into a number, with nothing after it to fall back on, that is
/// a port there (`port: Number(...)`, `.listen(Number(...))`) or under a local name the
/// `rest` of the file listens on.
fn parsed_port_without_fallback(line: &str, name: &str, server_options: bool, rest: &[&str]) -> bool {
    for captures in PARSED.captures_iter(line) {
        let read = captures.get(1).or(captures.get(2)).or(captures.get(3)).map_or("", |m| m.as_str());
        let whole = captures.get(0).expect("match");
        let after = line[whole.end()..].trim_start();
        if read != name || after.starts_with("||") || after.starts_with("??") || after.starts_with('?') {
            continue;
        }
        let before = line[..whole.start()].trim_end();
        // A unary `+` only, not a sum (`base + process.env.X`).
        if captures.get(3).is_some() && !(before.is_empty() || before.ends_with(['=', '(', ':', ','])) {
            continue;
        }
        let lower = before.to_ascii_lowercase();
        if (lower.ends_with("port:") && server_options) || lower.ends_with(".listen(") {
            return true;
        }
        if let Some(held) = HELD.captures(before).map(|c| c[1].to_string()) {
            return rest.iter().any(|later| listens_on(later, &held));
        }
    }
    false
}

/// Whether line `index` sits in the options object of a server's creation or listen call
/// (`server.connection({`, `Hapi.server({`, `.listen({`), not in any settings object (an email
/// section's `port:` is the mail server's).
fn in_server_options(lines: &[&str], index: usize) -> bool {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let Some(line) = lines.get(index) else { return false };
    let opener = lines[..index].iter().rev().find(|l| !l.trim().is_empty() && indent(l) < indent(line));
    let opening = |l: &str| {
        let lower = l.to_ascii_lowercase();
        ["connection(", "server(", "listen(", "createserver("].iter().any(|call| lower.contains(call))
    };
    opening(line) || opener.is_some_and(|l| opening(l))
}

/// Whether a line hands the local `held` to a listen call or a port option, as it is:
/// `.listen(port`, `port: port`, `{ port }`, `{ host, port }`.
fn listens_on(line: &str, held: &str) -> bool {
    let code = line.split("//").next().unwrap_or(line);
    let exact = |after: &str| {
        let after = after.trim_start();
        after.starts_with(held) && !after[held.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_') && {
            let tail = after[held.len()..].trim_start();
            !tail.starts_with("||") && !tail.starts_with("??")
        }
    };
    let listen = code.match_indices(".listen(").any(|(at, m)| exact(&code[at + m.len()..]));
    let option = code.match_indices("port:").any(|(at, m)| exact(&code[at + m.len()..]));
    let shorthand = held == "port"
        && code.contains('{')
        && code.split(['{', '}', ',']).any(|part| part.trim() == "port")
        && (code.contains("connection(") || code.contains("listen(") || code.contains("port }"));
    listen || option || shorthand
}

#[cfg(test)]
mod tests {
    use super::*;

    fn required(text: &str, name: &str, line: usize) -> bool {
        let mut reads = [VariableRead::new(name, format!("server.js:{line}"))];
        require_parsed_ports(text, &mut reads);
        reads[0].required
    }

    #[test]
    fn a_port_option_parsed_with_no_fallback() {
        let hapi = "const server = new Hapi.Server();\nserver.connection({\n  host: '0.0.0.0',\n  port: Number(process.env.PORT),\n});\n";
        assert!(required(hapi, "PORT", 4));
        let fallback = "server.connection({\n  port: Number(process.env.PORT) || 8000,\n});\n";
        assert!(!required(fallback, "PORT", 2));
        let mail = "module.exports = {\n  email: {\n    port: Number(process.env.MAIL_PORT),\n  },\n};\n";
        assert!(!required(mail, "MAIL_PORT", 3), "a mail server's port");
    }

    #[test]
    fn a_local_port_handed_to_listen() {
        let express = "const port = parseInt(process.env.APP_PORT, 10);\napp.listen(port, () => {});\n";
        assert!(required(express, "APP_PORT", 1));
        let shorthand = "const port = +process.env.PORT;\nserver.listen({ port }, cb);\n";
        assert!(required(shorthand, "PORT", 1));
        let later = "const port = Number(process.env.PORT);\napp.listen(port || 3000);\n";
        assert!(!required(later, "PORT", 1), "the listen call falls back");
        let unused = "const size = Number(process.env.PAGE_SIZE);\napp.listen(3000);\n";
        assert!(!required(unused, "PAGE_SIZE", 1), "not a port");
    }
}
