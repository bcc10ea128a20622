//! What every runtime's analysis reports about a source folder, and the scans they share:
//! code lines outside tests, the environment variables the code reads, and what in the code
//! will not survive a container (instance metadata, hard-coded private addresses).

use super::app_files::AppFiles;
use crate::model::{Finding, PackageManager};

/// A value and where it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact<T> {
    /// What was read.
    pub value: T,
    /// Where: `path:line`, a file's key (`package.json scripts.start`), or `default: why`.
    pub source: String,
}

/// A fact of `value` read at `source`.
pub fn fact<T>(value: T, source: impl Into<String>) -> Fact<T> {
    Fact { value, source: source.into() }
}

/// The facts one runtime's analysis read from the source folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFacts {
    /// `node`, `python`, `go` or `java`.
    pub runtime: &'static str,
    /// The version the base image is pinned to, when the source names one.
    pub version: Option<Fact<String>>,
    /// The version used when nothing names one (the runtime's current long-term release).
    pub default_version: &'static str,
    /// The tool that installs the dependencies, from the lockfile or manifest that says so.
    pub package_manager: Fact<PackageManager>,
    /// The package manager's major release the image installs, when the project says which
    /// and nothing pins it for corepack (pnpm's lockfile format).
    pub package_manager_release: Option<Fact<String>>,
    /// Files the dependency install needs besides the manifests.
    pub install_files: Vec<String>,
    /// Lifecycle scripts the production install must not run (they need development tools).
    pub skipped_install_scripts: Vec<String>,
    /// Lifecycle scripts kept only in their steps that need no database: (script, steps).
    pub trimmed_install_scripts: Vec<(String, String)>,
    /// The commands of the install lifecycle scripts the install still runs.
    pub install_scripts: Vec<String>,
    /// Debian packages the dependency install needs to build native extensions, and the
    /// libraries they link to (`libpq-dev` for psycopg2).
    pub system_packages: Option<Fact<Vec<String>>>,
    /// Optional dependency groups the production install needs (the one with the server).
    pub install_extras: Vec<String>,
    /// Dependency groups the production install needs, the same way.
    pub install_groups: Vec<String>,
    /// The production install includes the project itself: the start runs its own script.
    pub install_project: bool,
    /// Packages the image installs beside the dependencies: the server the start command runs.
    pub added_packages: Vec<String>,
    /// The command that builds the app at image time (`npm run build`, `go build ...`).
    pub build: Option<Fact<Vec<String>>>,
    /// The Go main package, the Java jar, the Python WSGI/ASGI application.
    pub entry: Option<Fact<String>>,
    /// The folder the image builds from, relative to the app's folder, when it is not the
    /// folder itself (`..` for a module its Maven reactor builds).
    pub build_context: Option<Fact<String>>,
    /// The command the container runs, as exec-form words.
    pub start: Option<Fact<Vec<String>>>,
    /// The port the code or its settings name.
    pub port: Option<Fact<u16>>,
    /// The port the start command listens on when nothing in the code names one (gunicorn's
    /// 8000 for a Flask app), ahead of the framework's own default.
    pub server_default_port: Option<Fact<u16>>,
    /// The port the repository's own Dockerfile serves on (`ENV PORT`, `EXPOSE`).
    pub image_port: Option<Fact<u16>>,
    /// The port the example environment file sets (`PORT=3000` in `.env.example`).
    pub example_port: Option<Fact<u16>>,
    /// The app's own listen setting with no default (`HTTP_PORT`), and the port the example
    /// environment file gives it, if it does.
    pub listen_setting: Option<(String, Option<Fact<u16>>)>,
    /// Whether that port is one the image sets (`ENV PORT=1443`), not only documents (`EXPOSE`).
    pub image_sets_port: bool,
    /// The web framework the dependencies name.
    pub framework: Option<Fact<Framework>>,
    /// A health endpoint the framework serves (Spring Boot Actuator), used when the load
    /// balancer has no health check to copy.
    pub health_path: Option<Fact<String>>,
    /// Files the built app opens by a relative path at start (a Go binary's `conf/app.ini`):
    /// an image that holds only the build output must copy them beside it.
    pub runtime_files: Vec<Fact<String>>,
    /// Files the image copies to where the app loads them (settings kept outside a jar).
    pub placed_files: Vec<crate::model::PlacedFile>,
    /// Every read of an environment variable in the code, as the runtime's reader found it.
    pub variables: Vec<crate::analyze::variables::VariableRead>,
    /// Variables the start command expands (`--port $LNBITS_PORT`) that the repository's own
    /// image sets with `ENV`, which ferry's image does not: the service sets them instead.
    pub image_env: Vec<Fact<(String, String)>>,
    /// What in the code will not survive a container, or needs the operator, with its line.
    pub findings: Vec<Finding>,
}

impl SourceFacts {
    /// Facts with nothing found yet but the runtime and its package manager.
    pub fn new(runtime: &'static str, default_version: &'static str, package_manager: Fact<PackageManager>) -> Self {
        SourceFacts {
            runtime,
            version: None,
            default_version,
            package_manager,
            package_manager_release: None,
            install_files: Vec::new(),
            skipped_install_scripts: Vec::new(),
            trimmed_install_scripts: Vec::new(),
            install_scripts: Vec::new(),
            system_packages: None,
            install_extras: Vec::new(),
            install_groups: Vec::new(),
            install_project: false,
            added_packages: Vec::new(),
            build: None,
            entry: None,
            build_context: None,
            start: None,
            port: None,
            server_default_port: None,
            image_port: None,
            example_port: None,
            listen_setting: None,
            image_sets_port: false,
            framework: None,
            runtime_files: Vec::new(),
            placed_files: Vec::new(),
            health_path: None,
            variables: Vec::new(),
            image_env: Vec::new(),
            findings: Vec::new(),
        }
    }
}

/// A web framework the analysis knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Framework {
    /// Its name as people write it (`Express`, `FastAPI`, `Spring Boot`).
    pub name: &'static str,
    /// The port it listens on when the code names none; `None` when it has no default.
    pub default_port: Option<u16>,
}

/// Tests say nothing about how the app runs in production.
pub fn is_test_path(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    path.starts_with("test/")
        || path.starts_with("tests/")
        || path.contains("/test/")
        || path.contains("/tests/")
        || path.contains("__tests__/")
        || path.contains(".test.")
        || path.contains(".spec.")
        || name.starts_with("test_")
        || name.ends_with("_test.go")
        || name.ends_with("_test.py")
        || in_test_source_set(path)
}

/// `src/functionalTest/java/...`, `api/src/integration-test/resources/...`, `src/testFixtures/`:
/// a Gradle or Maven source set named for a kind of test holds test code and the test run's
/// own `application.properties`, only on the tests' class path, never what the server loads.
fn in_test_source_set(path: &str) -> bool {
    let segments: Vec<&str> = path.split('/').collect();
    // A folder, not the file itself; a source set's name starts in lower case (`SpeedTest/`
    // is a component's folder).
    segments.windows(3).any(|parts| {
        let set = parts[1];
        let camel =
            set.starts_with(|c: char| c.is_ascii_lowercase()) && (set.ends_with("Test") || set.ends_with("Tests"));
        let dashed = ["-test", "-tests", "_test", "_tests"].iter().any(|end| set.ends_with(end));
        parts[0] == "src" && ((set.len() > 4 && (camel || dashed)) || set == "testFixtures")
    })
}

/// Every line of the running app's own files with one of `extensions` (not tests, scripts,
/// tools or examples), as (`path:line`, line). Each file's scope is judged once.
pub fn app_code_lines<'a>(files: &'a AppFiles, extensions: &'a [&str]) -> impl Iterator<Item = (String, &'a str)> + 'a {
    files
        .with_extensions(extensions)
        .filter(|(path, _)| {
            !is_test_path(path) && crate::analyze::variables::scope_of(path) == crate::model::VariableScope::Runtime
        })
        .flat_map(|(path, text)| {
            text.lines().enumerate().map(move |(index, line)| (format!("{path}:{}", index + 1), line))
        })
}

/// Every line of the non-test files with one of `extensions`, as (`path:line`, line).
pub fn code_lines<'a>(files: &'a AppFiles, extensions: &'a [&str]) -> impl Iterator<Item = (String, &'a str)> + 'a {
    files.with_extensions(extensions).filter(|(path, _)| !is_test_path(path)).flat_map(|(path, text)| {
        text.lines().enumerate().map(move |(index, line)| (format!("{path}:{}", index + 1), line))
    })
}

/// A command line split into words as a shell would (quotes group, and are dropped), for
/// exec form; `None` when the quoting is unbalanced.
pub fn shell_words(line: &str) -> Option<Vec<String>> {
    shlex::split(line)
}

/// A command line as exec-form words for a container: split into words when it is one plain
/// command, or handed whole to `sh -c` when a shell must read it (`;`, `&&`, `||`, pipes,
/// redirections, substitutions): splitting those into words would run `flask db upgrade;` as
/// one program's arguments. `None` when the quoting is unbalanced.
pub fn command_words(line: &str) -> Option<Vec<String>> {
    let words = shell_words(line)?;
    // `NODE_ENV=production node app.js`: in exec form the assignment would be the program.
    if needs_shell(line) || words.first().is_some_and(|word| is_assignment(word)) {
        return Some(vec!["sh".into(), "-c".into(), line.trim().to_string()]);
    }
    Some(words)
}

/// `NODE_ENV=production`: a shell assignment before the program.
pub fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Whether a shell operator stands outside quotes in `line`. A `$VAR` alone does not count:
/// exec form passes it on unexpanded, which callers that fill `$PORT` handle themselves.
pub fn needs_shell(line: &str) -> bool {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (Some('\''), '\'') => quote = None,
            (Some('\''), _) => {}
            (_, '\\') => escaped = true,
            (Some('"'), '"') => quote = None,
            (Some('"'), '`') => return true,
            (Some('"'), '$') if chars.peek() == Some(&'(') => return true,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, ';' | '|' | '&' | '<' | '>' | '`') => return true,
            (None, '$') if chars.peek() == Some(&'(') => return true,
            (None, _) => {}
        }
    }
    false
}

/// The first whole number right after `marker` on a line, as a port.
pub fn port_after(line: &str, marker: &str) -> Option<u16> {
    let at = line.find(marker)?;
    let rest = line[at + marker.len()..].trim_start().trim_start_matches(['"', '\'', ':']);
    // `bind = "127.0.0.1:5000"`: an address, whose port follows its last colon.
    let token: String =
        rest.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '[' | ']')).collect();
    let port = match token.rsplit_once(':') {
        Some((host, port)) if host.contains('.') || host.ends_with(']') || host == "localhost" => port,
        _ => &token,
    };
    let digits: String = port.chars().take_while(char::is_ascii_digit).collect();
    // `127.0.0.1` alone is an address with no port.
    let address_only = port.len() > digits.len() && port[digits.len()..].starts_with('.');
    digits.parse::<u16>().ok().filter(|p| *p != 0 && !address_only)
}

/// Findings any runtime's code can earn: the EC2 metadata service and hard-coded private
/// addresses, which mean nothing to a task.
pub fn host_bound_code(files: &AppFiles, extensions: &[&str], findings: &mut Vec<Finding>) {
    let mut prose = Prose::for_file("");
    let mut file = String::new();
    let mut sample = false;
    let clients = client_packages(files);
    for (at, line) in code_lines(files, extensions) {
        let path = at.rsplit_once(':').map_or(at.as_str(), |(path, _)| path);
        // A mobile or desktop client beside the server talks to its own hosts; the settings of a
        // developer's machine or the tests (`config/env/test.js`, `settings/local.py`) are not
        // the service's.
        if clients.iter().any(|folder| path.starts_with(folder.as_str())) || for_another_environment(path) {
            continue;
        }
        if path != file {
            file = path.to_string();
            prose = Prose::for_file(path);
            // A sample event or example body names the hosts of whoever captured it.
            sample = files.get(path).is_some_and(|text| super::sample_data::is_sample_data(path, text));
        }
        if sample {
            continue;
        }
        // A comment or docstring that names the metadata service (a deny list's) calls nothing.
        // `//` after a colon is a URL's (`http://`), not a comment.
        let in_prose = prose.line(line);
        let comment = line.match_indices("//").map(|(at, _)| at).find(|&at| !line[..at].ends_with(':'));
        let code = comment.map_or(line, |at| &line[..at]);
        let code = if in_prose || code.trim_start().starts_with(['#', '*']) { "" } else { code };
        if code.contains("169.254.169.254") && !in_a_range_list(code) && !a_list_entry(code) {
            findings.push(
                Finding::warning("instance-metadata", "calls the EC2 instance metadata service", at.clone())
                    .with_fix("use the task role's credentials and the ECS task metadata endpoint"),
            );
        }
        // A docstring's or a block comment's example address (`e.g '192.168.0.1'`) is text, as
        // is a schema's documented example (`examples: ['http://192.168.1.88:3000/']`).
        if let Some(ip) = private_ip(code).filter(|_| !documents_an_example(code)) {
            findings.push(hard_coded_address(&ip, at));
        }
    }
}

/// A line that gives a schema's or an API doc's example value: `examples: [...]`,
/// `example: '...'`, `"example": ...`.
fn documents_an_example(code: &str) -> bool {
    let trimmed = code.trim_start().trim_start_matches(['"', '\'']);
    ["examples", "example"].iter().any(|key| {
        trimmed
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start_matches(['"', '\'']).trim_start().starts_with([':', '=']))
    })
}

/// The folders (`packages/app/`) of packages that are a mobile or desktop client: their
/// package.json depends on React Native, Expo, Electron or Capacitor.
fn client_packages(files: &AppFiles) -> Vec<String> {
    const CLIENTS: [&str; 4] = ["\"react-native\"", "\"expo\"", "\"electron\"", "\"@capacitor/core\""];
    files
        .files
        .iter()
        .filter_map(|(path, text)| {
            let folder = path.strip_suffix("package.json")?;
            (!folder.is_empty() && CLIENTS.iter().any(|c| text.contains(c))).then(|| folder.to_string())
        })
        .collect()
}

/// Whether lines are inside a Python docstring (`"""`, `'''`) or a `/* */` block comment: text for
/// people, fed a line at a time.
struct Prose {
    open: Option<&'static str>,
    /// What opens prose in this file's language.
    openers: &'static [&'static str],
}

impl Prose {
    fn for_file(path: &str) -> Prose {
        let openers: &'static [&'static str] = if path.ends_with(".py") { &["\"\"\"", "'''"] } else { &["/*"] };
        Prose { open: None, openers }
    }

    /// Whether `line` is (partly) prose, and what is still open after it.
    fn line(&mut self, line: &str) -> bool {
        let was_open = self.open.is_some();
        let mut rest = line;
        let mut touched = was_open;
        loop {
            match self.open {
                Some(close) => match rest.find(close) {
                    Some(at) => {
                        rest = &rest[at + close.len()..];
                        self.open = None;
                    }
                    None => return true,
                },
                None => {
                    // `LoadHTMLGlob("templates/*")`: a block comment opens only outside a string.
                    let outside_strings = |at: &usize| {
                        let before = &rest[..*at];
                        ['\'', '"', '`'].iter().all(|quote| before.matches(*quote).count() % 2 == 0)
                    };
                    let opener = self
                        .openers
                        .iter()
                        .copied()
                        .filter_map(|mark| {
                            let mut found = rest.match_indices(mark).map(|(at, _)| at);
                            let at = if mark == "/*" { found.find(outside_strings) } else { found.next() };
                            at.map(|at| (at, mark))
                        })
                        .min_by_key(|(at, _)| *at);
                    let Some((at, mark)) = opener else { return touched };
                    touched = true;
                    rest = &rest[at + mark.len()..];
                    self.open = Some(if mark == "/*" { "*/" } else { mark });
                }
            }
        }
    }
}

pub fn hard_coded_address(ip: &str, source: String) -> Finding {
    Finding::warning("hard-coded-address", format!("hard-codes the private address {ip}"), source)
        .with_fix("use a DNS name or a setting")
}

/// A line of a security block or allow list: ranges (`10.0.0.0/8`), or addresses checked
/// against (`isInSubnet`, `reservedNetworks`), never connected to.
/// A settings file named for a developer's machine or the tests.
fn for_another_environment(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    let settings = path.contains("config") || path.contains("settings") || path.contains("/env/");
    settings && ["development", "dev", "local", "test", "testing"].contains(&stem.as_str())
}

/// A line that is only a quoted address and a comma: an entry of a list or set spread over lines
/// (the hosts a proxy refuses), which names the address without calling it.
fn a_list_entry(code: &str) -> bool {
    let entry = code.trim().trim_end_matches(',').trim();
    entry.len() > 2
        && entry.starts_with(['"', '\'', '`'])
        && entry.ends_with(['"', '\'', '`'])
        && !entry.contains("://")
}

fn in_a_range_list(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    ["subnet", "prefix", "cidr", "blocked", "blocklist", "denylist", "reserved", "forbidden", "ssrf"]
        .iter()
        .any(|word| lower.contains(word))
}

/// A quoted private IPv4 address (10/8, 172.16/12, 192.168/16) in a line of code. A range
/// (`"10.0.0.0/8"`) or a network's own address (`10.0.0.0`) is a deny or allow list's entry,
/// not a host the app calls.
pub fn private_ip(line: &str) -> Option<String> {
    if in_a_range_list(line) {
        return None;
    }
    for quote in ['"', '\'', '`'] {
        for part in line.split(quote).skip(1).step_by(2) {
            let address = part.split_once("://").map_or(part, |(_, rest)| rest);
            let address = address.rsplit_once('@').map_or(address, |(_, host)| host);
            let host = address.split([':', '/']).next().unwrap_or("");
            let range =
                address[host.len()..].strip_prefix('/').is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
            let octets: Vec<u8> = host.split('.').filter_map(|o| o.parse().ok()).collect();
            if octets.len() == 4 && host.split('.').count() == 4 && !range && octets[3] != 0 {
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

/// The leading digits of a version range (`>=3.11,<4` → `3.11`), keeping `parts` numbers.
pub fn version_in(range: &str, parts: usize) -> Option<String> {
    let start = range.find(|c: char| c.is_ascii_digit())?;
    let numbers: Vec<&str> = range[start..]
        .split('.')
        .map(|part| part.split(|c: char| !c.is_ascii_digit()).next().unwrap_or(""))
        .take(parts)
        .take_while(|part| !part.is_empty())
        .collect();
    (!numbers.is_empty()).then(|| numbers.join("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradle_test_source_sets_are_tests() {
        assert!(is_test_path("src/integrationTest/resources/application.properties"));
        assert!(is_test_path("api/src/functionalTest/java/A.java"));
        assert!(is_test_path("src/testFixtures/java/A.java"));
        assert!(!is_test_path("src/main/resources/application.yaml"));
        assert!(!is_test_path("src/SpeedTest/index.js"));
        assert!(!is_test_path("src/abTest.ts"));
    }

    #[test]
    fn docstrings_and_block_comments_are_prose() {
        let mut python = Prose::for_file("guard.py");
        let lines = ["def f():", "    \"\"\"Refuses e.g. 169.254.169.254", "    and more.\"\"\"", "    return 1"];
        assert_eq!(lines.map(|l| python.line(l)), [false, true, true, false]);
        let mut script = Prose::for_file("guard.js");
        let lines = ["/**", " * 169.254.169.254 is refused", " */", "fetch(url)", "glob('\"\"\"')"];
        assert_eq!(lines.map(|l| script.line(l)), [true, true, true, false, false]);
    }

    #[test]
    fn commands_a_shell_must_read_go_to_sh_c_whole() {
        let words = |line: &str| command_words(line).unwrap();
        assert_eq!(
            words(" flask db upgrade; gunicorn app:app -b 0.0.0.0:$PORT"),
            ["sh", "-c", "flask db upgrade; gunicorn app:app -b 0.0.0.0:$PORT"]
        );
        assert_eq!(words("npm run migrate && node server.js")[..2], ["sh", "-c"]);
        assert_eq!(words("node server.js | tee log")[..2], ["sh", "-c"]);
        assert_eq!(words("node $(cat entry)")[..2], ["sh", "-c"]);
        // Operators inside quotes are text, and a plain command stays words.
        assert_eq!(words("node -e 'a && b; c'"), ["node", "-e", "a && b; c"]);
        assert_eq!(words("gunicorn app:app -b 0.0.0.0:$PORT"), ["gunicorn", "app:app", "-b", "0.0.0.0:$PORT"]);
        assert_eq!(words(r"echo a\;b"), ["echo", "a;b"]);
        assert_eq!(command_words("node 'unbalanced"), None);
        // An assignment before the program is the shell's to read; an option with `=` is not one.
        assert_eq!(words("NODE_ENV=production node app.js"), ["sh", "-c", "NODE_ENV=production node app.js"]);
        assert_eq!(words("node --max-old-space-size=512 app.js")[0], "node");
    }

    #[test]
    fn versions_from_ranges() {
        assert_eq!(version_in(">=3.11,<4", 2).as_deref(), Some("3.11"));
        assert_eq!(version_in("^3.12", 2).as_deref(), Some("3.12"));
        assert_eq!(version_in("go1.22.3", 2).as_deref(), Some("1.22"));
        assert_eq!(version_in("v22.3.0", 1).as_deref(), Some("22"));
        assert_eq!(version_in("lts", 1), None);
    }

    #[test]
    fn private_addresses_in_urls_and_credentials() {
        assert_eq!(private_ip(r#"db = "postgres://u:p@10.0.3.7:5432/x""#).as_deref(), Some("10.0.3.7"));
        assert_eq!(private_ip("'172.20.1.1'").as_deref(), Some("172.20.1.1"));
        assert_eq!(private_ip("'172.32.1.1'"), None);
        assert_eq!(private_ip("\"8.8.8.8\""), None);
        // SSRF deny lists: ranges and networks to refuse, not hosts to call.
        assert_eq!(private_ip("ip.isInSubnet(new Address4('10.0.0.0/8')) ||"), None);
        assert_eq!(private_ip(r#"netip.MustParsePrefix("192.168.0.0/16"), // RFC-1918"#), None);
        assert_eq!(private_ip(r#"blocked = ["192.168.1.5"]"#), None);
        let files = AppFiles::from_pairs([(
            "validate.go",
            "// ranges cover link-local (including cloud IMDS at 169.254.169.254)\nvar reservedNetworks = []netip.Prefix{\n\tnetip.MustParsePrefix(\"10.0.0.0/8\"),\n}\n",
        )]);
        let mut found = Vec::new();
        host_bound_code(&files, &["go"], &mut found);
        assert!(found.is_empty(), "{found:?}");
        // A developer's settings are not the service's.
        let local = AppFiles::from_pairs([("config/settings/local.py", "INTERNAL_IPS = ['10.0.2.2']\n")]);
        let mut none = Vec::new();
        host_bound_code(&local, &["py"], &mut none);
        assert!(none.is_empty(), "{none:?}");
        // A set of hosts a proxy refuses, one per line, names the service without calling it.
        let refused = "const REFUSED = new Set([\n  '169.254.169.254',\n  'metadata.google.internal',\n]);\n";
        let calls = "const r = await fetch('http://169.254.169.254/latest/meta-data/');\n";
        let files = AppFiles::from_pairs([("proxy.js", refused), ("meta.js", calls)]);
        host_bound_code(&files, &["js"], &mut found);
        let sources: Vec<&str> = found.iter().map(|f| f.source.as_str()).collect();
        assert_eq!(sources, ["meta.js:1"]);
        let schema = "Type.String({\n  description: 'Address of the API',\n  examples: ['http://192.168.1.88:3000/api/']\n})\nconst relay = 'http://10.0.0.9:8080'\n";
        let mut said = Vec::new();
        host_bound_code(&AppFiles::from_pairs([("src/schemas.ts", schema)]), &["ts"], &mut said);
        assert_eq!(said.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["src/schemas.ts:5"]);
    }

    #[test]
    fn test_files_are_not_production_code() {
        for path in [
            "tests/x.py",
            "pkg/server_test.go",
            "src/test/java/A.java",
            "test_app.py",
            "a.spec.ts",
            "src/functionalTest/resources/application.properties",
            "api/src/integration-test/java/A.java",
        ] {
            assert!(is_test_path(path), "{path}");
        }
        assert!(!is_test_path("src/main/java/A.java"));
        assert!(!is_test_path("contest.py"));
    }
}
