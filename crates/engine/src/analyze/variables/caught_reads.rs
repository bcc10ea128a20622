//! Reads that throw without their variable, inside a `try` whose `catch` carries on with a
//! fallback: `try { id = config.getOrThrow('GITHUB_CLIENT_ID') } catch { return new Dummy() }`.
//! The app starts without the variable; only the feature is off.

use super::VariableRead;

/// How far up a read's enclosing `try` is looked for, and how far down its `catch`.
const REACH: usize = 200;

/// Marks not required each required read in `reads` (all from `text`) that sits in a `try`
/// block whose `catch` neither throws again nor exits.
pub fn release_caught(text: &str, reads: &mut [VariableRead]) {
    if !text.contains("try") || !text.contains("catch") {
        return;
    }
    let lines: Vec<&str> = text.lines().collect();
    for read in reads.iter_mut().filter(|r| r.required) {
        let Some(line) = read.source.rsplit_once(':').and_then(|(_, l)| l.parse::<usize>().ok()) else { continue };
        if line >= 1 && line <= lines.len() && caught_with_fallback(&lines, line - 1) {
            read.required = false;
        }
    }
}

/// Whether line `index` is inside a `try { ... }` whose `catch` block does not rethrow.
fn caught_with_fallback(lines: &[&str], index: usize) -> bool {
    let mut depth = 0i32;
    for at in (index.saturating_sub(REACH)..index).rev() {
        let code = lines[at];
        depth += braces(code, '}') - braces(code, '{');
        if depth >= 0 {
            continue;
        }
        // `at` opens a block around the read.
        let opens_try = code.split(|c: char| !c.is_ascii_alphanumeric()).any(|word| word == "try");
        if opens_try {
            return catch_carries_on(lines, at);
        }
        depth = 0;
    }
    false
}

/// Whether the `catch` of the `try` opened on line `try_line` carries on: its block has no
/// `throw` and no exit.
fn catch_carries_on(lines: &[&str], try_line: usize) -> bool {
    let mut depth = 0i32;
    let end = lines.len().min(try_line + REACH);
    for at in try_line..end {
        let code = lines[at];
        let before = depth;
        depth += braces(code, '{') - braces(code, '}');
        // The `try` block closes on a line that opens its `catch` (`} catch {`), or before it.
        let catch_opens = code.contains("catch") && (before <= 1 || depth <= 1) && at > try_line;
        if catch_opens {
            // The catch block: from `catch` on its line to the brace that closes it.
            let from_catch = &code[code.find("catch").unwrap_or(0)..];
            let body = std::iter::once(from_catch).chain(lines[at + 1..end.min(at + 40)].iter().copied());
            let mut inner = 0i32;
            for line in body {
                if ["throw ", "throw(", "process.exit("].iter().any(|stop| line.contains(stop)) {
                    return false;
                }
                inner += braces(line, '{') - braces(line, '}');
                if inner <= 0 && line.contains('}') {
                    break;
                }
            }
            return true;
        }
        if depth <= 0 && at > try_line && !code.contains("catch") {
            // The block closed without a catch on this line: the next line may hold it.
            continue;
        }
    }
    false
}

/// The count of `brace` in the code of `line`, outside strings and a `//` comment.
fn braces(line: &str, brace: char) -> i32 {
    let code = line.split("//").next().unwrap_or(line);
    let mut quote: Option<char> = None;
    let mut count = 0;
    for c in code.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, c) if c == brace => count += 1,
            _ => {}
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn required_after(text: &str, line: usize) -> bool {
        let mut reads = [VariableRead::new("X", format!("a.ts:{line}")).required(true)];
        release_caught(text, &mut reads);
        reads[0].required
    }

    #[test]
    fn a_caught_read_with_a_fallback_is_not_required() {
        let caught = "useFactory: (config) => {\n  try {\n    const id = config.getOrThrow('X');\n    return new Strategy(id);\n  } catch {\n    return new Dummy();\n  }\n},\n";
        assert!(!required_after(caught, 3));
        let rethrown =
            "try {\n  const id = config.getOrThrow('X');\n} catch (error) {\n  throw new Error('no X');\n}\n";
        assert!(required_after(rethrown, 2));
        let outside = "try {\n  run();\n} catch {\n  log();\n}\nconst id = config.getOrThrow('X');\n";
        assert!(required_after(outside, 6));
    }
}
