//! The default a pydantic field gives inside its annotation (`name: Annotated[str, Field("x")]`,
//! over several lines or one): the field is then not required, whatever a base class declared.

use super::text::literal;
use regex::Regex;
use std::sync::LazyLock;

static KEYWORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[A-Za-z_]\w*\s*=[^=]").expect("valid pattern"));

/// `Some(default)` when the field's statement is `Annotated[..., Field(<default>, ...)]` and
/// gives a default (the literal, or `None` for one that is not a literal, as `default_factory`);
/// `None` when it gives none (`Field(...)`, `Field(description="...")`) or is not annotated so.
pub fn field_default(statement: &str) -> Option<Option<String>> {
    let annotation = statement.split_once(':')?.1.trim_start();
    if !annotation.starts_with("Annotated[") {
        return None;
    }
    let arguments = annotation.split_once("Field(")?.1.trim_start();
    if arguments.starts_with("...") || arguments.starts_with(')') {
        return None;
    }
    if let Some(value) = arguments.strip_prefix("default=") {
        return (!value.trim_start().starts_with("...")).then(|| literal(value));
    }
    if arguments.starts_with("default_factory=") {
        return Some(None);
    }
    (!KEYWORD.is_match(arguments)).then(|| literal(arguments))
}

#[cfg(test)]
mod tests {
    use super::field_default;

    #[test]
    fn defaults_given_in_the_annotation() {
        assert_eq!(field_default(r#" secret: Annotated[ str, Field("k3v9") ]"#), Some(Some("k3v9".into())));
        assert_eq!(
            field_default(r#" mail: Annotated[str | None, Field(default="a@b.c")]"#),
            Some(Some("a@b.c".into()))
        );
        assert_eq!(field_default(" tags: Annotated[list[str], Field(default_factory=list)]"), Some(None));
    }

    #[test]
    fn annotations_that_give_no_default() {
        assert_eq!(field_default(" secret: Annotated[str, Field(...)]"), None);
        assert_eq!(field_default(r#" secret: Annotated[str, Field(description="the key")]"#), None);
        assert_eq!(field_default(" secret: str"), None);
    }
}
