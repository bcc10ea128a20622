//! The default a Python read gives as its second argument (`os.getenv("X", "base")`), when it
//! is one value the variable takes unset.

use super::text::literal;

/// Words of a condition that asks for hardware (`torch.cuda.is_available()`): a task without it
/// takes the `else` branch.
const HARDWARE_WORDS: [&str; 4] = ["cuda", "gpu", "is_available", "mps"];

/// The default a read's second argument gives, when it is one value. A string the argument goes
/// on computing with (`",".join(...)`) is no default; a conditional (`"debug" if DEBUG else
/// "info"`) has none of its own, unless it asks for hardware, whose absence takes the `else`.
pub fn argument_default(after: &str) -> Option<String> {
    let value = literal(after)?;
    let trimmed = after.trim_start();
    let Some(quote) = trimmed.chars().next().filter(|c| matches!(c, '"' | '\'')) else { return Some(value) };
    let rest = trimmed[quote.len_utf8() * 2 + value.len()..].trim_start();
    if rest.is_empty() || rest.starts_with([')', ',']) {
        return Some(value);
    }
    let (condition, otherwise) = rest.strip_prefix("if ")?.split_once(" else ")?;
    let condition = condition.to_ascii_lowercase();
    let hardware = HARDWARE_WORDS.iter().any(|word| condition.contains(word));
    hardware.then(|| argument_default(otherwise)).flatten()
}

/// Whether the read on line `index` sits in the `else` of a test for the variable's absence
/// (`None if "X" not in os.environ else os.environ.get("X", "yes")`): unset, the value is the
/// other branch's, and the read's own default never applies.
pub fn unset_branch_before(lines: &[&str], index: usize, name: &str) -> bool {
    let text = lines[index.saturating_sub(3)..=index].join(" ");
    let tests = [format!("\"{name}\" not in os.environ"), format!("'{name}' not in os.environ")];
    tests.iter().any(|test| text.split_once(test.as_str()).is_some_and(|(_, rest)| rest.contains("else")))
}

/// The literal the `else` of a test for the variable gives the same setting: `if
/// os.environ.get('X'):` over `KEY = os.environ.get('X')`, then `else:` over `KEY = 'value'`.
/// Unset, the setting takes that value: it is the read's default.
pub fn else_branch_default(lines: &[&str], index: usize, name: &str) -> Option<String> {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let line = lines.get(index)?;
    let (key, _) = line.trim().split_once('=')?;
    let key = key.trim();
    let header = lines[..index].iter().rposition(|l| !l.trim().is_empty() && indent(l) < indent(line))?;
    let test = lines[header].trim();
    let names_it = test.contains(&format!("'{name}'")) || test.contains(&format!("\"{name}\""));
    if !(test.starts_with("if ") && test.contains("environ") && names_it && !test.contains(" not ")) {
        return None;
    }
    let level = indent(lines[header]);
    let branch = lines[index + 1..].iter().position(|l| !l.trim().is_empty() && indent(l) <= level)? + index + 1;
    if lines[branch].trim() != "else:" || indent(lines[branch]) != level {
        return None;
    }
    let body = lines[branch + 1..].iter().take_while(|l| l.trim().is_empty() || indent(l) > level);
    body.filter_map(|l| l.trim().split_once('='))
        .find(|(assigned, _)| assigned.trim() == key)
        .and_then(|(_, value)| literal(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_literal_in_the_else_of_a_test_for_the_variable() {
        let text = "class Config:\n    if os.environ.get('SIGN_KEY'):\n        SIGN_KEY = os.environ.get('SIGN_KEY')\n    else:\n        SIGN_KEY = 'unset-key'\n        print('unset')\n    if os.getenv('OTHER'):\n        OTHER = os.getenv('OTHER')\n";
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(else_branch_default(&lines, 2, "SIGN_KEY").as_deref(), Some("unset-key"));
        assert_eq!(else_branch_default(&lines, 7, "OTHER"), None, "no else");
    }

    #[test]
    fn a_read_in_the_branch_for_a_set_variable() {
        let lines = [
            "EMOJIS = (",
            "    None",
            "    if \"EMOJIS\" not in os.environ",
            "    else os.environ.get(\"EMOJIS\", \"yes\")",
            ")",
        ];
        assert!(unset_branch_before(&lines, 3, "EMOJIS"));
        assert!(!unset_branch_before(&lines, 3, "OTHER"));
    }

    #[test]
    fn defaults_that_are_one_value() {
        assert_eq!(argument_default(" \"cuda\" if torch.cuda.is_available() else \"cpu\")").as_deref(), Some("cpu"));
        assert_eq!(argument_default(" \"debug\" if DEBUG else \"info\").upper()"), None);
        assert_eq!(argument_default(" \",\".join((\"a\", \"b\")),\n)"), None);
        assert_eq!(argument_default(" \"base\")").as_deref(), Some("base"));
        assert_eq!(argument_default(" 8000)").as_deref(), Some("8000"));
    }
}
