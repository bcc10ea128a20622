//! Spring properties the code binds by their dotted names, which an operator sets through
//! relaxed binding: the fields of `@ConfigurationProperties("kafka")` classes
//! (`clusters[0].bootstrapServers` → `KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS`), and keys read with
//! `environment.getProperty("auth.type")` or switched on with `@ConditionalOnProperty`.
//! A field `@NotBlank` asks for is required; a `Map` field binds whatever keys the config
//! files list under it; a value application.yml gives a field is its default.

use std::sync::LazyLock;

use regex::Regex;

use super::CODE;
use super::spring_config::{SpringConfig, placeholder_default};
use crate::analyze::app_files::AppFiles;
use crate::analyze::variables::VariableRead;

/// `String name;`, `private Integer timeout = 30;`, `List<@Valid Cluster> clusters = new ArrayList<>();`.
static FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:(?:private|protected|public|final)\s+)*([A-Za-z][\w<>@ ,.?]*?)\s+([a-z]\w*)\s*(?:=\s*(.+?))?;\s*$",
    )
    .expect("valid pattern")
});
/// The prefix of `@ConfigurationProperties("kafka")` or `(prefix = "auth.oauth2")`.
static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"@ConfigurationProperties\(\s*(?:(?:prefix|value)\s*=\s*)?"([\w.\-]+)""#).expect("valid pattern")
});
/// A dotted key the code asks the environment for, or a constant holding one.
static PROPERTY_READ: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:getProperty|getRequiredProperty)\(\s*(?:"([a-z][\w\-]*(?:\.[\w\-]+)+)"|([A-Z][A-Z0-9_]+)\s*[,)])"#)
        .expect("valid pattern")
});
static CONDITIONAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"@ConditionalOnProperty\(\s*(?:(?:value|name)\s*=\s*)?"([a-z][\w\-]*(?:\.[\w\-]+)+)""#)
        .expect("valid pattern")
});

/// Types Spring binds from one value.
pub(super) const SCALARS: [&str; 14] = [
    "String", "Integer", "int", "Long", "long", "Boolean", "boolean", "Double", "double", "Duration", "URI", "URL",
    "Path", "DataSize",
];

/// Every property the code binds by name, as the variables that set it.
pub(super) fn reads(files: &AppFiles, config: &SpringConfig) -> Vec<VariableRead> {
    let mut bound = Bound::default();
    let sources = files
        .with_extensions(&CODE)
        .filter(|(path, _)| crate::analyze::variables::scope_of(path) == crate::model::VariableScope::Runtime);
    for (path, text) in sources {
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            let at = format!("{path}:{}", index + 1);
            if let Some(caps) = PREFIX.captures(line) {
                let prefix = relaxed(&caps[1]);
                if let Some(body) = class_body_after(&lines, index) {
                    fields(&lines, body, &prefix, &at, 0, &mut bound);
                }
                bound.found.extend(super::constructor_properties::reads(&lines, index, &prefix, path));
            }
            // Only Spring's `Environment` resolves relaxed names; another resolver's
            // `getProperty` (a plugin's own settings) is not the environment.
            let of_environment = |caps: &regex::Captures| {
                let before = line[..caps.get(0).map_or(0, |m| m.start())].trim_end_matches('.').to_ascii_lowercase();
                before.ends_with("getenvironment()") || before.ends_with("env") || before.ends_with("environment")
            };
            let reads = PROPERTY_READ.captures_iter(line).filter(|caps| of_environment(caps));
            for caps in reads.chain(CONDITIONAL.captures_iter(line)) {
                let key = match caps.get(1) {
                    Some(key) => key.as_str().to_string(),
                    None => match constant(text, &caps[2]) {
                        Some(key) => key,
                        None => continue,
                    },
                };
                // `local.server.port` and the like: Spring or the JVM sets them, nobody else.
                if super::spring_config::is_builtin_property(&key) {
                    continue;
                }
                // Where application.yml gives the key a value, that line is what to change.
                let read = match config.get(&key) {
                    Some(entry) => VariableRead::new(relaxed(&key), entry.at.clone())
                        .with_default(Some(placeholder_default(&entry.value).unwrap_or(&entry.value).to_string())),
                    None => VariableRead::new(relaxed(&key), at.clone()),
                };
                bound.found.push(read);
            }
        }
    }
    configured(bound, config)
}

/// What binding a class found: its variables, and the names of its `Map` fields, whose keys
/// are whatever the config files list.
#[derive(Default)]
struct Bound {
    found: Vec<VariableRead>,
    maps: Vec<String>,
}

/// The bound variables with what application.yml says of them: a value there is the default
/// (a placeholder's own variable carries its requirement), and each key listed under a `Map`
/// field is a variable of its own.
fn configured(bound: Bound, config: &SpringConfig) -> Vec<VariableRead> {
    let Bound { mut found, maps } = bound;
    let base = || config.entries.iter().filter(|e| e.base);
    // A value in the files wins over the field's initial value: Spring binds it over it.
    for read in found.iter_mut() {
        let Some(entry) = base().find(|e| relaxed(&e.key) == read.name) else { continue };
        // The line that gives the value is what an operator would change.
        read.source = entry.at.clone();
        read.required = false;
        read.default = match placeholder_default(&entry.value) {
            Some(default) => Some(default.to_string()),
            None if entry.value.trim_start().starts_with("${") => None,
            None => Some(entry.value.clone()),
        };
    }
    for map in maps {
        let under = format!("{map}_");
        for entry in base().filter(|e| relaxed(&e.key).starts_with(&under)) {
            let default = placeholder_default(&entry.value).unwrap_or(&entry.value).to_string();
            let default = Some(default).filter(|d| !d.starts_with("${"));
            found.push(VariableRead::new(relaxed(&entry.key), entry.at.clone()).with_default(default));
        }
    }
    found
}

/// The lines of the class declared at or just below `index` (past annotations), as the range
/// of its members.
fn class_body_after(lines: &[&str], index: usize) -> Option<(usize, usize)> {
    let declared = (index..lines.len().min(index + 8)).find(|&i| lines[i].contains("class "))?;
    // The brace opens on the declaration's line, or on the next one (`public class Config` /
    // `{`).
    let start = (declared..lines.len().min(declared + 2)).find(|&i| lines[i].contains('{'))?;
    let indent = |line: &str| line.len() - line.trim_start().len();
    let own = indent(lines[declared]);
    let end = (start + 1..lines.len()).find(|&i| lines[i].trim() == "}" && indent(lines[i]) == own)?;
    Some((start + 1, end))
}

/// The fields of the class whose members are `body`, each set as `prefix_FIELD`; a nested
/// class of the file (or a list of one, bound by index) adds its own fields under the field.
fn fields(lines: &[&str], body: (usize, usize), prefix: &str, at: &str, depth: usize, bound: &mut Bound) {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let member = lines[body.0..body.1].iter().find(|l| !l.trim().is_empty()).map_or(0, |l| indent(l));
    for index in body.0..body.1 {
        let line = lines[index];
        if indent(line) != member || (line.contains('(') && !line.contains('=')) {
            continue;
        }
        let Some(caps) = FIELD.captures(line) else { continue };
        // A static field is bound only through an instance setter that writes it
        // (`public void setProfile(String profile) { Config.profile = profile; }`).
        if line.contains("static ") && !instance_setter(&lines[body.0..body.1], &caps[2]) {
            continue;
        }
        let kind = caps[1].trim().trim_start_matches("static ").trim_start_matches("final ").trim();
        let name = format!("{prefix}_{}", caps[2].to_ascii_uppercase());
        let source = format!("{}:{}", at.rsplit_once(':').map_or(at, |(path, _)| path), index + 1);
        if SCALARS.contains(&kind) {
            let default = caps.get(3).and_then(|d| literal(d.as_str()));
            // Only the class's own fields must be there: a nested element's validation applies
            // when the element is listed.
            let required = depth == 0 && default.is_none() && validated_not_empty(lines, index);
            bound.found.push(VariableRead::new(name, source).with_default(default).required(required));
            continue;
        }
        if kind.starts_with("Map<") {
            bound.maps.push(name);
            continue;
        }
        // `List<@Valid Cluster>` binds `clusters[0].name`, set as `CLUSTERS_0_NAME`.
        let (element, listed) = match kind.strip_prefix("List<").or_else(|| kind.strip_prefix("Set<")) {
            Some(inner) => (inner.trim_end_matches('>').rsplit(' ').next().unwrap_or(inner), true),
            None => (kind, false),
        };
        // A list of plain values takes one comma-separated variable (`ALLOWEDORIGINS=a,b`).
        if listed && SCALARS.contains(&element) {
            bound.found.push(VariableRead::new(name, source));
            continue;
        }
        if depth < 2
            && let Some(nested) = nested_class(lines, element)
        {
            let under = if listed { format!("{name}_0") } else { name };
            fields(lines, nested, &under, at, depth + 1, bound);
        }
    }
}

/// Whether the class members hold a setter of `field` that is not static and that no `@Value`
/// fills instead: Spring binds the prefixed property through it.
fn instance_setter(members: &[&str], field: &str) -> bool {
    let mut name = field.to_string();
    name[..1].make_ascii_uppercase();
    let setter = format!("void set{name}(");
    members.iter().enumerate().any(|(at, l)| {
        let injected = at > 0 && members[at - 1].trim_start().starts_with("@Value");
        l.contains(&setter) && !l.contains("static ") && !injected
    })
}

/// `@NotBlank`, `@NotNull` or `@NotEmpty` among the annotations just above the field at
/// `index` (or before it on its line).
pub(super) fn validated_not_empty(lines: &[&str], index: usize) -> bool {
    let refuses = |line: &str| ["@NotBlank", "@NotNull", "@NotEmpty"].iter().any(|a| line.contains(a));
    let above = lines[..index].iter().rev().take_while(|l| l.trim_start().starts_with('@')).any(|l| refuses(l));
    above || refuses(lines[index])
}

/// The member lines of `public static class Name {` in the same file.
fn nested_class(lines: &[&str], name: &str) -> Option<(usize, usize)> {
    let declaration = format!("class {name} ");
    let at = lines.iter().position(|l| l.contains(&declaration) && l.contains('{'))?;
    class_body_after(lines, at)
}

/// `static final String KEY = "dynamic.config.enabled";` → the key.
fn constant(text: &str, name: &str) -> Option<String> {
    let pattern = Regex::new(&format!(r#"\b{}\s*=\s*"([a-z][\w\-]*(?:\.[\w\-]+)+)""#, regex::escape(name))).ok()?;
    pattern.captures(text).map(|c| c[1].to_string())
}

/// A field's initial value when it is a literal: `"-value"`, `30`, `false`.
pub(super) fn literal(value: &str) -> Option<String> {
    let value = value.trim();
    if let Some(quoted) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        return Some(quoted.to_string());
    }
    let plain = value.trim_end_matches(['L', 'l']);
    (plain.parse::<f64>().is_ok() || matches!(value, "true" | "false")).then(|| value.to_string())
}

/// `auth.oauth2` → `AUTH_OAUTH2`, `spring.ldap.base-dn` → `SPRING_LDAP_BASEDN`.
pub(super) fn relaxed(key: &str) -> String {
    key.replace('-', "").replace('.', "_").to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bound_classes_and_dotted_reads() {
        let properties = "@Configuration\n@ConfigurationProperties(\"kafka\")\n@Data\npublic class ClustersProperties {\n\n  List<@Valid Cluster> clusters = new ArrayList<>();\n\n  String internalTopicPrefix;\n\n  Map<String, Object> properties;\n\n  @Data\n  public static class Cluster {\n    @NotBlank\n    String name;\n    String bootstrapServers;\n    boolean readOnly = false;\n  }\n}\n";
        let operations = "public class DynamicConfigOperations {\n  static final String DYNAMIC_CONFIG_ENABLED_ENV_PROPERTY = \"dynamic.config.enabled\";\n  boolean enabled() {\n    return env.getProperty(DYNAMIC_CONFIG_ENABLED_ENV_PROPERTY) != null;\n  }\n}\n";
        let conditional =
            "@ConditionalOnProperty(value = \"auth.type\", havingValue = \"LOGIN_FORM\")\npublic class BasicAuth {}\n";
        let files = AppFiles::from_pairs([
            ("src/main/java/app/ClustersProperties.java", properties),
            ("src/main/java/app/DynamicConfigOperations.java", operations),
            ("src/main/java/app/BasicAuth.java", conditional),
            ("src/main/resources/application.yml", "auth:\n  type: DISABLED\n"),
        ]);
        let config = SpringConfig::read(&files);
        let reads = reads(&files, &config);
        assert_eq!(reads[0].source, "src/main/resources/application.yml:2", "the line that gives the default");
        let found: Vec<(String, Option<String>)> = reads.into_iter().map(|r| (r.name, r.default)).collect();
        assert_eq!(
            found,
            [
                ("AUTH_TYPE".to_string(), Some("DISABLED".to_string())),
                ("KAFKA_CLUSTERS_0_NAME".to_string(), None),
                ("KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS".to_string(), None),
                ("KAFKA_CLUSTERS_0_READONLY".to_string(), Some("false".to_string())),
                ("KAFKA_INTERNALTOPICPREFIX".to_string(), None),
                ("DYNAMIC_CONFIG_ENABLED".to_string(), None),
            ]
        );
    }
}
