//! A line of pretty JSON as tokens: keys, strings (with ferry's `${…}` placeholders), numbers,
//! literals and punctuation. A line that does not read as JSON is still drawn, piece by piece.

use super::{Token, Tokens, push, quoted};

/// One line of JSON.
pub fn json_line(line: &str) -> Tokens {
    let chars: Vec<char> = line.chars().collect();
    let mut tokens = Tokens::new();
    let mut at = 0;
    while at < chars.len() {
        let c = chars[at];
        let (token, length) = match c {
            '"' => {
                let length = quoted(&chars[at..]);
                let after = chars[at + length..].iter().find(|c| !c.is_whitespace());
                (if after == Some(&':') { Token::Key } else { Token::Text }, length)
            }
            '{' | '}' | '[' | ']' | ',' | ':' => (Token::Punctuation, 1),
            '-' | '0'..='9' => (Token::Number, run(&chars[at..], |c| c.is_ascii_digit() || "+-.eE".contains(c))),
            'a'..='z' => {
                let length = run(&chars[at..], |c| c.is_ascii_alphabetic());
                let word: String = chars[at..at + length].iter().collect();
                (if ["true", "false", "null"].contains(&word.as_str()) { Token::Literal } else { Token::Plain }, length)
            }
            _ => (Token::Plain, 1),
        };
        let piece: String = chars[at..at + length].iter().collect();
        if token == Token::Text {
            text_with_placeholders(&mut tokens, &piece);
        } else {
            push(&mut tokens, token, &piece);
        }
        at += length;
    }
    tokens
}

/// How many characters from the first satisfy `keep` (at least one).
fn run(chars: &[char], keep: impl Fn(char) -> bool) -> usize {
    chars.iter().take_while(|c| keep(**c)).count().max(1)
}

/// A string value, its `${…}` placeholders (filled in at apply time) told apart.
fn text_with_placeholders(tokens: &mut Tokens, text: &str) {
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let end = rest[start..].find('}').map_or(rest.len(), |end| start + end + 1);
        push(tokens, Token::Text, &rest[..start]);
        push(tokens, Token::Variable, &rest[start..end]);
        rest = &rest[end..];
    }
    push(tokens, Token::Text, rest);
}

#[cfg(test)]
mod tests {
    use super::*;
    use Token::*;

    fn kinds(line: &str) -> Vec<(Token, String)> {
        json_line(line)
    }

    fn of(pieces: &[(Token, &str)]) -> Vec<(Token, String)> {
        pieces.iter().map(|(t, s)| (*t, s.to_string())).collect()
    }

    #[test]
    fn keys_values_and_punctuation() {
        assert_eq!(
            kinds(r#"  "cpu": "1024","#),
            of(&[
                (Plain, "  "),
                (Key, "\"cpu\""),
                (Punctuation, ":"),
                (Plain, " "),
                (Text, "\"1024\""),
                (Punctuation, ",")
            ])
        );
        assert_eq!(
            kinds(r#""minTaskCount": -2.5e3, "x": true"#),
            of(&[
                (Key, "\"minTaskCount\""),
                (Punctuation, ":"),
                (Plain, " "),
                (Number, "-2.5e3"),
                (Punctuation, ","),
                (Plain, " "),
                (Key, "\"x\""),
                (Punctuation, ":"),
                (Plain, " "),
                (Literal, "true")
            ])
        );
        assert_eq!(kinds("  ],"), of(&[(Plain, "  "), (Punctuation, "],")]));
    }

    #[test]
    fn placeholders_and_escapes_in_strings() {
        assert_eq!(kinds(r#""${ferry:run-id}-x""#), of(&[(Text, "\""), (Variable, "${ferry:run-id}"), (Text, "-x\"")]));
        assert_eq!(kinds(r#""a\"b" :"#), of(&[(Key, "\"a\\\"b\""), (Plain, " "), (Punctuation, ":")]));
    }

    #[test]
    fn what_is_not_json_is_still_drawn() {
        assert_eq!(kinds("oops"), of(&[(Plain, "oops")]));
        assert_eq!(kinds("\"open"), of(&[(Text, "\"open")]));
        assert_eq!(kinds("é ~"), of(&[(Plain, "é ~")]));
    }
}
