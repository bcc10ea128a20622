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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_that_are_one_value() {
        assert_eq!(argument_default(" \"cuda\" if torch.cuda.is_available() else \"cpu\")").as_deref(), Some("cpu"));
        assert_eq!(argument_default(" \"debug\" if DEBUG else \"info\").upper()"), None);
        assert_eq!(argument_default(" \",\".join((\"a\", \"b\")),\n)"), None);
        assert_eq!(argument_default(" \"base\")").as_deref(), Some("base"));
        assert_eq!(argument_default(" 8000)").as_deref(), Some("8000"));
    }
}
