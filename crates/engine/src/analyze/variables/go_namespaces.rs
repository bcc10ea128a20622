//! go-flags' `env-namespace`: a group's fields read `NAMESPACE_NAME`, not `NAME`. A struct
//! type used as a group (`SSL SSLGroup `env-namespace:"SSL"``) or an inline struct closed by
//! `} `env-namespace:"BOLT"`` puts its namespace before every env tag inside it, outermost
//! first.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;

static TYPE_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*type\s+(\w+)\s+struct\s*\{\s*$").expect("valid pattern"));
static INLINE_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\w+\s+struct\s*\{\s*$").expect("valid pattern"));
static GROUP_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*\w+\s+\*?(\w+)\s+`[^`]*env-namespace:"([A-Za-z0-9_]+)""#).expect("valid pattern")
});
static NAMESPACE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"env-namespace:"([A-Za-z0-9_]+)""#).expect("valid pattern"));

/// A block of lines (1-based, inclusive) and the namespace it puts before its tags.
struct Block {
    start: usize,
    end: usize,
    /// The named type the block declares; `None` for an inline struct.
    type_name: Option<String>,
    namespace: String,
}

/// Prefixes the reads of `path` that sit inside namespaced groups.
pub fn apply(path: &str, text: &str, reads: &mut [VariableRead]) {
    if !text.contains("env-namespace") {
        return;
    }
    let mut blocks = blocks(text);
    let group_fields: Vec<(usize, String, String)> = text
        .lines()
        .enumerate()
        .filter_map(|(i, line)| GROUP_FIELD.captures(line).map(|c| (i + 1, c[1].to_string(), c[2].to_string())))
        .collect();
    // A group type's namespace comes after the namespaces of the types that hold it.
    let mut of_type: HashMap<String, String> = HashMap::new();
    for _ in 0..4 {
        for (line, type_name, namespace) in &group_fields {
            let outer = enclosing(&blocks, *line).map(|b| namespace_of(b, &of_type)).unwrap_or_default();
            of_type.insert(type_name.clone(), format!("{outer}{namespace}_"));
        }
    }
    for block in blocks.iter_mut().filter(|b| b.type_name.is_some()) {
        block.namespace = of_type.get(block.type_name.as_deref().unwrap_or("")).cloned().unwrap_or_default();
    }
    for read in reads.iter_mut() {
        let Some(line) = read.source.strip_prefix(path).and_then(|l| l.strip_prefix(':')).and_then(|l| l.parse().ok())
        else {
            continue;
        };
        let mut holding: Vec<&Block> = blocks.iter().filter(|b| b.start < line && line < b.end).collect();
        holding.sort_by_key(|b| b.start);
        let prefix: String = holding.iter().map(|b| b.namespace.as_str()).collect();
        if !prefix.is_empty() && !read.name.starts_with(&prefix) {
            read.name = format!("{prefix}{}", read.name);
        }
    }
}

fn namespace_of(block: &Block, of_type: &HashMap<String, String>) -> String {
    match &block.type_name {
        Some(name) => of_type.get(name).cloned().unwrap_or_default(),
        None => block.namespace.clone(),
    }
}

/// The innermost block holding `line`.
fn enclosing(blocks: &[Block], line: usize) -> Option<&Block> {
    blocks.iter().filter(|b| b.start < line && line < b.end).min_by_key(|b| b.end - b.start)
}

/// Struct types and inline structs, each from its opening line to its closing brace.
fn blocks(text: &str) -> Vec<Block> {
    let mut open: Vec<(usize, Option<String>)> = Vec::new();
    let mut blocks = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if let Some(caps) = TYPE_START.captures(line) {
            open.push((index + 1, Some(caps[1].to_string())));
        } else if INLINE_START.is_match(line) && !open.is_empty() {
            open.push((index + 1, None));
        } else if line.trim_start().starts_with('}')
            && let Some((start, type_name)) = open.pop()
        {
            let namespace = match &type_name {
                Some(_) => String::new(),
                None => NAMESPACE.captures(line).map(|c| format!("{}_", &c[1])).unwrap_or_default(),
            };
            blocks.push(Block { start, end: index + 1, type_name, namespace });
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_types_and_inline_groups_prefix_their_tags() {
        let text = r#"type Opts struct {
	Port  int       `long:"port" env:"REMARK_PORT" default:"8080"`
	SSL   SSLGroup  `group:"ssl" env-namespace:"SSL"`
	Store StoreGroup `group:"store" env-namespace:"STORE"`
}

type SSLGroup struct {
	Port int `long:"port" env:"PORT" default:"8443"`
}

type StoreGroup struct {
	Bolt struct {
		Path string `long:"path" env:"PATH" default:"./var"`
	} `group:"bolt" env-namespace:"BOLT"`
}
"#;
        let mut reads = vec![
            VariableRead::new("REMARK_PORT", "cmd/server.go:2"),
            VariableRead::new("PORT", "cmd/server.go:8"),
            VariableRead::new("PATH", "cmd/server.go:13"),
        ];
        apply("cmd/server.go", text, &mut reads);
        let names: Vec<&str> = reads.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["REMARK_PORT", "SSL_PORT", "STORE_BOLT_PATH"]);
    }
}
