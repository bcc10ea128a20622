//! YAML read as far as analysis needs it, without a YAML library's strictness: a repository's
//! templated or half-valid files still give their plain keys.

/// The scalar leaves of a YAML file as dotted keys, with their line numbers. Enough of YAML for
/// Spring's files, compose files and Kubernetes manifests: nested maps, dotted keys, several
/// documents. A list item's own line is skipped; the keys below it stay under the list's key.
pub fn yaml_leaves(text: &str) -> Vec<(usize, String, String)> {
    leaves(text, false)
}

/// The leaves as [`yaml_leaves`] gives them, and also each key written with no value and nothing
/// under it (`domain:`), with an empty value: a setting present but empty, which Spring binds
/// as the empty string.
pub fn yaml_leaves_with_empty(text: &str) -> Vec<(usize, String, String)> {
    leaves(text, true)
}

fn leaves(text: &str, empty: bool) -> Vec<(usize, String, String)> {
    let mut entries = Vec::new();
    let mut path: Vec<(usize, String)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.trim();
        if code == "---" {
            path.clear();
            continue;
        }
        if code.is_empty() || code.starts_with('#') || code.starts_with('-') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let Some((key, value)) = code.split_once(": ").or_else(|| code.strip_suffix(':').map(|k| (k, ""))) else {
            continue;
        };
        while path.last().is_some_and(|(level, _)| *level >= indent) {
            path.pop();
        }
        let key = key.trim().trim_matches(['"', '\'']).to_string();
        // `password: # empty by default`: a comment where the value would be is no value.
        let value =
            if value.trim_start().starts_with('#') { "" } else { value.split(" #").next().unwrap_or("").trim() };
        if value.is_empty() {
            if empty && !has_children(text, i, indent) {
                let full: Vec<&str> = path.iter().map(|(_, k)| k.as_str()).chain([key.as_str()]).collect();
                entries.push((i + 1, full.join("."), String::new()));
            }
            path.push((indent, key));
            continue;
        }
        let full: Vec<&str> = path.iter().map(|(_, k)| k.as_str()).chain([key.as_str()]).collect();
        entries.push((i + 1, full.join("."), value.trim_matches(['"', '\'']).to_string()));
    }
    entries
}

/// Whether the key on line `index` has lines under it: the next line with content is indented
/// deeper, or is a list item.
fn has_children(text: &str, index: usize, indent: usize) -> bool {
    let next = text.lines().skip(index + 1).find(|l| {
        let code = l.trim();
        !code.is_empty() && !code.starts_with('#')
    });
    next.is_some_and(|l| {
        let own = l.len() - l.trim_start().len();
        own > indent || (own == indent && l.trim_start().starts_with('-'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_where_the_value_would_be_is_no_value() {
        let text = "spring:\n  redis:\n    password: # empty by default\n    port: 6379 # the port\n";
        let leaves = yaml_leaves_with_empty(text);
        assert_eq!(
            leaves,
            [
                (3, "spring.redis.password".to_string(), String::new()),
                (4, "spring.redis.port".to_string(), "6379".to_string())
            ]
        );
    }
}
