//! Node.js applications read from their source folder: version, package manager, build, start
//! command, port, the environment they read, their framework, and what will not survive a
//! container. Every fact says which file (and line) it came from.

use serde_json::Value;

use super::app_files::AppFiles;
use crate::model::{Finding, FindingLevel, PackageManager};

/// A value and where it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact<T> {
    pub value: T,
    pub source: String,
}

fn fact<T>(value: T, source: impl Into<String>) -> Fact<T> {
    Fact { value, source: source.into() }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeFacts {
    /// The major version, e.g. `20`.
    pub version: Option<Fact<String>>,
    pub package_manager: Fact<PackageManager>,
    pub build: Option<Fact<Vec<String>>>,
    pub start: Option<Fact<Vec<String>>>,
    pub port: Option<Fact<u16>>,
    pub framework: Option<Fact<Framework>>,
    /// Environment variables the code reads.
    pub env_read: Vec<Fact<String>>,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Framework {
    pub name: &'static str,
    pub default_port: Option<u16>,
}

const FRAMEWORKS: [(&str, Framework); 5] = [
    ("next", Framework { name: "Next.js", default_port: Some(3000) }),
    ("@nestjs/core", Framework { name: "NestJS", default_port: Some(3000) }),
    ("fastify", Framework { name: "Fastify", default_port: Some(3000) }),
    ("koa", Framework { name: "Koa", default_port: None }),
    ("express", Framework { name: "Express", default_port: None }),
];

/// The facts of a Node.js app, or `None` when the folder has no package.json.
pub fn analyze_node(files: &AppFiles) -> Option<NodeFacts> {
    let manifest: Value = serde_json::from_str(files.get("package.json")?).unwrap_or(Value::Null);
    let package_manager = package_manager(files, &manifest);
    let pm = package_manager.value;
    let mut findings = Vec::new();
    let framework = framework(&manifest);
    Some(NodeFacts {
        version: version(files, &manifest),
        build: manifest
            .pointer("/scripts/build")
            .and_then(Value::as_str)
            .map(|_| fact(vec![pm.command().to_string(), "run".into(), "build".into()], "package.json scripts.build")),
        start: start(files, &manifest, pm),
        port: port_in_code(files),
        env_read: env_read(files),
        framework,
        findings: {
            readiness(files, &manifest, &mut findings);
            findings
        },
        package_manager,
    })
}

fn version(files: &AppFiles, manifest: &Value) -> Option<Fact<String>> {
    let from_range = |range: &str| -> Option<String> {
        let digits: String =
            range.chars().skip_while(|c| !c.is_ascii_digit()).take_while(char::is_ascii_digit).collect();
        (!digits.is_empty()).then_some(digits)
    };
    if let Some(v) = manifest.pointer("/engines/node").and_then(Value::as_str).and_then(from_range) {
        return Some(fact(v, "package.json engines.node"));
    }
    for file in [".nvmrc", ".node-version"] {
        let Some(text) = files.get(file) else { continue };
        let text = text.trim();
        let codename = match text.trim_start_matches("lts/") {
            "hydrogen" => Some("18".to_string()),
            "iron" => Some("20".to_string()),
            "jod" => Some("22".to_string()),
            _ => None,
        };
        if let Some(v) = codename.or_else(|| from_range(text)) {
            return Some(fact(v, file));
        }
    }
    manifest
        .pointer("/volta/node")
        .and_then(Value::as_str)
        .and_then(from_range)
        .map(|v| fact(v, "package.json volta.node"))
}

fn package_manager(files: &AppFiles, manifest: &Value) -> Fact<PackageManager> {
    if let Some(field) = manifest.get("packageManager").and_then(Value::as_str) {
        let (name, version) = field.split_once('@').unwrap_or((field, ""));
        let manager = match name {
            "pnpm" => Some(PackageManager::Pnpm),
            "bun" => Some(PackageManager::Bun),
            "yarn" if version.starts_with('1') => Some(PackageManager::Yarn),
            "yarn" => Some(PackageManager::YarnBerry),
            "npm" => Some(PackageManager::Npm),
            _ => None,
        };
        if let Some(manager) = manager {
            return fact(manager, "package.json packageManager");
        }
    }
    let lockfiles = [
        ("pnpm-lock.yaml", PackageManager::Pnpm),
        ("bun.lockb", PackageManager::Bun),
        ("bun.lock", PackageManager::Bun),
        ("package-lock.json", PackageManager::Npm),
    ];
    if let Some((file, manager)) = lockfiles.iter().find(|(file, _)| files.has(file)) {
        return fact(*manager, *file);
    }
    if let Some(lock) = files.get("yarn.lock") {
        let berry = lock.contains("__metadata:") || files.has(".yarnrc.yml");
        return fact(if berry { PackageManager::YarnBerry } else { PackageManager::Yarn }, "yarn.lock");
    }
    fact(PackageManager::Npm, "default: no lockfile")
}

/// `scripts.start`, then `main`, then Procfile `web:`: as exec-form words.
fn start(files: &AppFiles, manifest: &Value, pm: PackageManager) -> Option<Fact<Vec<String>>> {
    if let Some(script) = manifest.pointer("/scripts/start").and_then(Value::as_str) {
        let words: Vec<String> = script.split_whitespace().map(str::to_string).collect();
        // `node x.js` runs directly, so signals reach the app; anything else goes through the
        // package manager, which knows the script's PATH.
        let direct = words.first().is_some_and(|w| w == "node") && !script.contains(['&', '|', ';', '$']);
        let command = if direct { words } else { vec![pm.command().to_string(), "run".into(), "start".into()] };
        return Some(fact(command, "package.json scripts.start"));
    }
    if let Some(main) = manifest.get("main").and_then(Value::as_str) {
        return Some(fact(vec!["node".into(), main.to_string()], "package.json main"));
    }
    let procfile = files.get("Procfile")?;
    let (line, web) = procfile.lines().enumerate().find_map(|(i, l)| l.strip_prefix("web:").map(|w| (i + 1, w)))?;
    Some(fact(web.split_whitespace().map(str::to_string).collect(), format!("Procfile line {line}")))
}

fn framework(manifest: &Value) -> Option<Fact<Framework>> {
    FRAMEWORKS.iter().find_map(|(package, framework)| {
        manifest
            .pointer(&format!("/dependencies/{}", package.replace('/', "~1")))
            .map(|_| fact(*framework, format!("package.json dependencies.{package}")))
    })
}

/// `listen(process.env.PORT || 8080)`, `?? 8080`, or `.listen(8080`.
fn port_in_code(files: &AppFiles) -> Option<Fact<u16>> {
    let is_test = |path: &str| {
        path.contains("test/")
            || path.contains("tests/")
            || path.contains("__tests__/")
            || path.contains(".test.")
            || path.contains(".spec.")
    };
    for (path, text) in files.sources().filter(|(path, _)| !is_test(path)) {
        for (index, line) in text.lines().enumerate() {
            let candidates = ["process.env.PORT ||", "process.env.PORT ??", ".listen("];
            for marker in candidates {
                let Some(at) = line.find(marker) else { continue };
                let rest = line[at + marker.len()..].trim_start();
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                if let Some(port) = digits.parse::<u16>().ok().filter(|p| *p != 0) {
                    return Some(fact(port, format!("{path}:{}", index + 1)));
                }
            }
        }
    }
    None
}

fn env_read(files: &AppFiles) -> Vec<Fact<String>> {
    let mut found: Vec<Fact<String>> = Vec::new();
    for (path, text) in files.sources() {
        for (index, line) in text.lines().enumerate() {
            let mut rest = line;
            while let Some(at) = rest.find("process.env.") {
                rest = &rest[at + "process.env.".len()..];
                let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if !name.is_empty() && !found.iter().any(|f| f.value == name) {
                    found.push(fact(name, format!("{path}:{}", index + 1)));
                }
            }
        }
    }
    found
}

/// What works on an instance and breaks in a container.
fn readiness(files: &AppFiles, manifest: &Value, findings: &mut Vec<Finding>) {
    let depends_on = |name: &str| manifest.pointer(&format!("/dependencies/{name}")).is_some();
    let mut warn = |level, message: &str, source: String| {
        findings.push(Finding { level, message: message.to_string(), source });
    };
    for sqlite in ["sqlite3", "better-sqlite3"] {
        if depends_on(sqlite) {
            warn(
                FindingLevel::Blocker,
                "keeps data in an SQLite file on local disk: tasks lose it when they stop; move it to RDS",
                format!("package.json dependencies.{sqlite}"),
            );
        }
    }
    for cron in ["node-cron", "cron"] {
        if depends_on(cron) {
            warn(
                FindingLevel::Warning,
                "runs scheduled jobs in-process: every task runs them; use EventBridge Scheduler or one task",
                format!("package.json dependencies.{cron}"),
            );
        }
    }
    for (path, text) in files.sources().map(|(p, t)| (p.to_string(), t.to_string())).collect::<Vec<_>>() {
        for (index, line) in text.lines().enumerate() {
            let at = format!("{path}:{}", index + 1);
            if line.contains("dest:") && text.contains("multer") {
                warn(
                    FindingLevel::Warning,
                    "writes uploads to local disk: lost when a task stops; write them to S3",
                    at.clone(),
                );
            }
            if line.contains("169.254.169.254") {
                warn(
                    FindingLevel::Warning,
                    "calls the EC2 instance metadata service: tasks use the ECS task metadata and role instead",
                    at.clone(),
                );
            }
            if let Some(ip) = private_ip(line) {
                warn(
                    FindingLevel::Warning,
                    &format!("hard-codes the private address {ip}: use a DNS name or configuration"),
                    at.clone(),
                );
            }
        }
    }
    for file in ["ecosystem.config.js", "ecosystem.config.cjs"] {
        if files.get(file).is_some_and(|t| t.contains("cluster")) {
            warn(
                FindingLevel::Warning,
                "pm2 runs it in cluster mode: a task runs one process; scale with tasks instead",
                file.to_string(),
            );
        }
    }
}

/// A quoted private IPv4 address (10/8, 172.16/12, 192.168/16) in a line of code.
fn private_ip(line: &str) -> Option<String> {
    for quote in ['"', '\'', '`'] {
        for part in line.split(quote).skip(1).step_by(2) {
            let address = part.split_once("://").map_or(part, |(_, rest)| rest);
            let host = address.split([':', '/']).next().unwrap_or("");
            let octets: Vec<u8> = host.split('.').filter_map(|o| o.parse().ok()).collect();
            if octets.len() == 4 && host.split('.').count() == 4 {
                let private = octets[0] == 10
                    || (octets[0] == 172 && (16..=31).contains(&octets[1]))
                    || (octets[0] == 192 && octets[1] == 168);
                if private {
                    return Some(host.to_string());
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_typical_express_app() {
        let files = AppFiles::from_pairs([
            (
                "package.json",
                r#"{"engines":{"node":">=20"},"scripts":{"start":"node src/server.js"},"dependencies":{"express":"^4"}}"#,
            ),
            ("package-lock.json", "{}"),
            (
                "src/server.js",
                "const db = process.env.DATABASE_URL;\napp.listen(process.env.PORT || 8080);\nfetch('http://10.0.3.7:9000/x')\n",
            ),
        ]);
        let facts = analyze_node(&files).unwrap();
        assert_eq!(facts.version, Some(fact("20".to_string(), "package.json engines.node")));
        assert_eq!(facts.package_manager.value, PackageManager::Npm);
        assert_eq!(facts.start.unwrap().value, ["node", "src/server.js"]);
        assert_eq!(facts.port, Some(fact(8080, "src/server.js:2")));
        let env: Vec<_> = facts.env_read.iter().map(|f| f.value.as_str()).collect();
        assert_eq!(env, ["DATABASE_URL", "PORT"]);
        assert_eq!(facts.framework.unwrap().value.name, "Express");
        assert!(facts.findings.iter().any(|f| f.message.contains("10.0.3.7") && f.source == "src/server.js:3"));
    }

    #[test]
    fn package_managers_from_field_and_lockfiles() {
        let pm = |pairs: &[(&str, &str)]| {
            analyze_node(&AppFiles::from_pairs(pairs.iter().copied())).unwrap().package_manager.value
        };
        assert_eq!(pm(&[("package.json", r#"{"packageManager":"pnpm@9.1.0"}"#)]), PackageManager::Pnpm);
        assert_eq!(pm(&[("package.json", r#"{"packageManager":"yarn@4.1.0"}"#)]), PackageManager::YarnBerry);
        assert_eq!(pm(&[("package.json", "{}"), ("yarn.lock", "# yarn lockfile v1\n")]), PackageManager::Yarn);
        assert_eq!(
            pm(&[("package.json", "{}"), ("yarn.lock", "__metadata:\n  version: 8\n")]),
            PackageManager::YarnBerry
        );
        assert_eq!(pm(&[("package.json", "{}"), ("bun.lockb", "")]), PackageManager::Bun);
    }

    #[test]
    fn versions_from_nvmrc_codenames_and_volta() {
        let v = |pairs: &[(&str, &str)]| {
            analyze_node(&AppFiles::from_pairs(pairs.iter().copied())).unwrap().version.map(|f| f.value)
        };
        assert_eq!(v(&[("package.json", "{}"), (".nvmrc", "lts/iron\n")]).as_deref(), Some("20"));
        assert_eq!(v(&[("package.json", "{}"), (".node-version", "v22.3.0")]).as_deref(), Some("22"));
        assert_eq!(v(&[("package.json", r#"{"volta":{"node":"18.19.0"}}"#)]).as_deref(), Some("18"));
        assert_eq!(v(&[("package.json", "{}")]), None);
    }
}
