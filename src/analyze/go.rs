//! Go applications read from their source folder: the Go version go.mod asks for, the main
//! package the image is built around, the web framework, the port, the environment the code
//! reads, and what will not survive a container. Every fact says which file (and line) it
//! came from.

use super::app_files::AppFiles;
use super::source::{Fact, Framework, SourceFacts, code_lines, env_reads, fact, host_bound_code, version_in};
use crate::model::{Finding, FindingLevel, PackageManager};

const EXTENSIONS: [&str; 1] = ["go"];

/// The Go release used when go.mod names none.
const DEFAULT_VERSION: &str = "1.25";

/// Where the build stage writes the binary, and where the final image keeps it.
const BUILD_DIR: &str = "/out";
const APP_DIR: &str = "/app";

const FRAMEWORKS: [(&str, Framework); 6] = [
    ("github.com/gin-gonic/gin", Framework { name: "Gin", default_port: Some(8080) }),
    ("github.com/labstack/echo", Framework { name: "Echo", default_port: None }),
    ("github.com/gofiber/fiber", Framework { name: "Fiber", default_port: Some(3000) }),
    ("github.com/go-chi/chi", Framework { name: "chi", default_port: None }),
    ("github.com/gorilla/mux", Framework { name: "gorilla/mux", default_port: None }),
    ("github.com/julienschmidt/httprouter", Framework { name: "httprouter", default_port: None }),
];

/// Calls that start a server on an address.
const SERVE_MARKERS: [&str; 6] = ["ListenAndServe(", "ListenAndServeTLS(", ".Run(", ".Listen(", ".Start(", "Serve("];

/// Ports of other services that a line naming a port may be about.
const OTHER_SERVICES: [&str; 12] =
    ["db_", "dbport", "database", "postgres", "mysql", "redis", "smtp", "mail", "grpc", "metrics", "pprof", "debug"];

/// The facts of a Go app, or `None` when the folder has no go.mod at its root.
pub fn analyze(files: &AppFiles) -> Option<SourceFacts> {
    let module = GoMod::parse(files.get("go.mod")?);
    let mut facts = SourceFacts::new("go", DEFAULT_VERSION, fact(PackageManager::Go, "go.mod"));
    facts.version = module.version();
    facts.framework = FRAMEWORKS.iter().find_map(|(path, framework)| {
        module.requires.iter().find(|r| !r.indirect && is_module(&r.path, path)).map(|r| fact(*framework, r.at()))
    });
    readiness(files, &module, &mut facts.findings);
    let cgo = needs_cgo(files, &module);
    if let Some(main) = main_package(files, &module, &mut facts.findings) {
        let binary = binary_name(&main.dir, &module);
        let package = if main.dir.is_empty() { ".".to_string() } else { format!("./{}", main.dir) };
        facts.build = Some(fact(build_command(&package, &binary, cgo), main.source.clone()));
        facts.start = Some(fact(vec![format!("{APP_DIR}/{binary}")], main.source.clone()));
        facts.entry = Some(fact(package, main.source));
    }
    facts.port = port_in_code(files);
    facts.env_read = env_reads(files, &EXTENSIONS, &["os.Getenv(\"", "os.LookupEnv(\"", "env:\""]);
    Some(facts)
}

/// `CGO_ENABLED=0 go build ...`: the command the image's build stage runs, as words. A static
/// binary runs on an empty base image; `timetzdata` embeds the time zone database it would
/// otherwise look for on disk.
fn build_command(package: &str, binary: &str, cgo: bool) -> Vec<String> {
    let cgo = if cgo { "CGO_ENABLED=1" } else { "CGO_ENABLED=0" };
    [cgo, "go", "build", "-trimpath", "-ldflags=-s -w", "-tags", "timetzdata", "-o"]
        .iter()
        .map(|w| (*w).to_string())
        .chain([format!("{BUILD_DIR}/{binary}"), package.to_string()])
        .collect()
}

/// What go.mod says, each line kept with its number.
#[derive(Debug, Default)]
struct GoMod {
    module: Option<String>,
    go: Option<(String, usize)>,
    toolchain: Option<(String, usize)>,
    requires: Vec<Require>,
}

#[derive(Debug)]
struct Require {
    path: String,
    line: usize,
    indirect: bool,
}

impl Require {
    fn at(&self) -> String {
        format!("go.mod:{}", self.line)
    }
}

impl GoMod {
    fn parse(text: &str) -> GoMod {
        let mut module = GoMod::default();
        let mut in_require = false;
        for (index, raw) in text.lines().enumerate() {
            let line_no = index + 1;
            let (code, comment) = raw.split_once("//").unwrap_or((raw, ""));
            let code = code.trim();
            let indirect = comment.trim() == "indirect";
            if in_require {
                if code.starts_with(')') {
                    in_require = false;
                } else if let Some(path) = code.split_whitespace().next() {
                    module.requires.push(Require { path: unquote(path), line: line_no, indirect });
                }
                continue;
            }
            let mut words = code.split_whitespace();
            match (words.next(), words.next()) {
                (Some("module"), Some(path)) => module.module = Some(unquote(path)),
                (Some("go"), Some(version)) => module.go = Some((version.to_string(), line_no)),
                (Some("toolchain"), Some(version)) => module.toolchain = Some((version.to_string(), line_no)),
                (Some("require"), Some("(")) => in_require = true,
                (Some("require"), Some(path)) => {
                    module.requires.push(Require { path: unquote(path), line: line_no, indirect });
                }
                _ => {}
            }
        }
        module
    }

    /// `go 1.22[.x]` as major.minor; a newer `toolchain go1.23.4` wins, since the image must
    /// be able to build with it (the official images do not download toolchains).
    fn version(&self) -> Option<Fact<String>> {
        let read = |(text, line): &(String, usize)| {
            let version = version_in(text.trim_start_matches("go"), 2)?;
            let key: Vec<u32> = version.split('.').filter_map(|n| n.parse().ok()).collect();
            Some((key, fact(version, format!("go.mod:{line}"))))
        };
        let go = self.go.as_ref().and_then(read);
        let toolchain = self.toolchain.as_ref().and_then(read);
        match (go, toolchain) {
            (Some(go), Some(toolchain)) if toolchain.0 > go.0 => Some(toolchain.1),
            (Some(go), _) => Some(go.1),
            (None, toolchain) => toolchain.map(|t| t.1),
        }
    }

    fn require(&self, path: &str) -> Option<&Require> {
        self.requires.iter().find(|r| is_module(&r.path, path))
    }

    /// The module path's last element, without a major version suffix (`/v2`).
    fn name(&self) -> Option<&str> {
        let path = self.module.as_deref()?;
        let mut parts = path.rsplit('/');
        let last = parts.next()?;
        let is_major = last.len() > 1 && last.starts_with('v') && last[1..].chars().all(|c| c.is_ascii_digit());
        if is_major { parts.next() } else { Some(last) }
    }
}

fn unquote(text: &str) -> String {
    text.trim_matches('"').to_string()
}

/// `github.com/go-chi/chi/v5` is `github.com/go-chi/chi`.
fn is_module(path: &str, wanted: &str) -> bool {
    path == wanted
        || path
            .strip_prefix(wanted)
            .and_then(|rest| rest.strip_prefix("/v"))
            .is_some_and(|major| !major.is_empty() && major.chars().all(|c| c.is_ascii_digit()))
}

/// A folder with `package main` and `func main()`, and where `func main` is.
struct MainPackage {
    /// Relative to the root, empty for the root itself.
    dir: String,
    source: String,
}

/// The main package the image runs: the root's, else one under `cmd/`, preferring the one
/// named after the module, else any other (outside examples and tools).
fn main_package(files: &AppFiles, module: &GoMod, findings: &mut Vec<Finding>) -> Option<MainPackage> {
    let mut mains: Vec<MainPackage> = Vec::new();
    for (path, text) in files.with_extensions(&EXTENSIONS) {
        if super::source::is_test_path(path) || path.starts_with("vendor/") {
            continue;
        }
        let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        if mains.iter().any(|m| m.dir == dir) {
            continue;
        }
        let is_main = text.lines().any(|l| l.trim() == "package main");
        let func = text.lines().position(|l| l.starts_with("func main()"));
        if let (true, Some(line)) = (is_main, func) {
            mains.push(MainPackage { dir: dir.to_string(), source: format!("{path}:{}", line + 1) });
        }
    }
    if let Some(at) = mains.iter().position(|m| m.dir.is_empty()) {
        return Some(mains.swap_remove(at));
    }
    let commands: Vec<usize> = (0..mains.len())
        .filter(|&i| mains[i].dir.strip_prefix("cmd/").is_some_and(|name| !name.contains('/')))
        .collect();
    let candidates: Vec<usize> = if commands.is_empty() {
        const NOT_THE_APP: [&str; 6] = ["example", "tools/", "scripts/", "hack/", "testdata/", "internal/tools"];
        (0..mains.len()).filter(|&i| !NOT_THE_APP.iter().any(|skip| mains[i].dir.contains(skip))).collect()
    } else {
        commands
    };
    let folder = |i: &usize| mains[*i].dir.rsplit('/').next().unwrap_or("").to_string();
    let chosen = candidates
        .iter()
        .find(|i| module.name().is_some_and(|name| folder(i) == name))
        .or_else(|| candidates.iter().find(|i| ["server", "api", "web", "app"].contains(&folder(i).as_str())))
        .or_else(|| candidates.first())
        .copied()?;
    let others: Vec<String> =
        candidates.iter().filter(|&&i| i != chosen).map(|&i| format!("./{}", mains[i].dir)).collect();
    if !others.is_empty() {
        findings.push(Finding {
            level: FindingLevel::Info,
            message: format!(
                "several main packages: the image runs ./{}; {} {} an image or a task of their own",
                mains[chosen].dir,
                others.join(", "),
                if others.len() == 1 { "needs" } else { "need" }
            ),
            source: mains[chosen].source.clone(),
        });
    }
    Some(mains.swap_remove(chosen))
}

/// The binary's name: the main package's folder, or the module's last element for the root.
fn binary_name(dir: &str, module: &GoMod) -> String {
    let name = dir.rsplit('/').next().filter(|n| !n.is_empty()).or_else(|| module.name()).unwrap_or("app");
    let clean: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).collect();
    if clean.is_empty() || clean.starts_with('.') { "app".to_string() } else { clean }
}

/// go-sqlite3 and `import "C"` compile C code: the binary needs cgo and a C library.
fn needs_cgo(files: &AppFiles, module: &GoMod) -> bool {
    ["github.com/mattn/go-sqlite3", "gorm.io/driver/sqlite"].iter().any(|path| module.require(path).is_some())
        || code_lines(files, &EXTENSIONS).any(|(_, line)| line.trim() == "import \"C\"")
}

/// A line of Go without its `//` comment; a `//` inside a string (`"http://..."`) stays.
fn without_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (at, c) in line.char_indices() {
        match quote {
            Some(q) if c == q && (previous != '\\' || q == '`') => quote = None,
            Some(_) => {}
            None if matches!(c, '"' | '`' | '\'') => quote = Some(c),
            None if c == '/' && previous == '/' => return &line[..at - 1],
            None => {}
        }
        previous = if previous == '\\' && c == '\\' { ' ' } else { c };
    }
    line
}

/// The string literals of a line of Go: `"..."` and `` `...` ``.
fn literals(line: &str) -> Vec<&str> {
    let mut found = Vec::new();
    for quote in ['"', '`'] {
        found.extend(line.split(quote).skip(1).step_by(2));
    }
    found
}

/// `:8080`, `0.0.0.0:8080`, `[::]:8080`, and with `loopback` also `localhost:8080`.
fn listen_port(literal: &str, loopback: bool) -> Option<u16> {
    let (host, port) = literal.rsplit_once(':')?;
    let any = matches!(host, "" | "0.0.0.0" | "[::]" | "::");
    let local = matches!(host, "localhost" | "127.0.0.1");
    if !(any || (loopback && local)) || port.is_empty() || !port.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    port.parse::<u16>().ok().filter(|p| *p != 0)
}

/// `ListenAndServe(":8080"`, `Addr: ":8080"`, `.Run(":8080")`, `.Listen(":3000")`, and the
/// defaults of a port variable: `getenv("PORT", "8080")`, `port = "8080"`, `flag.Int("port", 8080`.
fn port_in_code(files: &AppFiles) -> Option<Fact<u16>> {
    code_lines(files, &EXTENSIONS).find_map(|(at, line)| port_on_line(line).map(|port| fact(port, at)))
}

fn port_on_line(line: &str) -> Option<u16> {
    let code = without_comment(line);
    let serves = SERVE_MARKERS.iter().any(|m| code.contains(m));
    let lower = code.to_ascii_lowercase();
    if (serves || lower.contains("addr") || lower.contains("listen"))
        && let Some(port) = literals(code).iter().find_map(|l| listen_port(l, serves))
    {
        return Some(port);
    }
    // `port` as a word of its own (`port :=`, `PORT`, `httpPort`), not inside `transport`,
    // `report`, `support` or `import`.
    let names_a_port = lower.match_indices("port").any(|(i, _)| {
        let camel_case = code[i..].starts_with('P');
        let starts_word = camel_case || !lower[..i].ends_with(|c: char| c.is_ascii_alphabetic());
        let ends_word = !lower[i + 4..].starts_with(|c: char| c.is_ascii_lowercase() && c != 's');
        starts_word && ends_word
    });
    if !names_a_port || OTHER_SERVICES.iter().any(|s| lower.contains(s)) {
        return None;
    }
    let numeric = |text: &str| text.parse::<u16>().ok().filter(|p| *p != 0);
    if let Some(port) = literals(code).iter().find_map(|l| numeric(l)) {
        return Some(port);
    }
    // `port := 8080`, `flag.Int("port", 8080, ...)`: a bare number outside the strings.
    let outside: String = code.split('"').step_by(2).collect::<Vec<_>>().join(" ");
    outside
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .filter(|word| word.len() >= 2 && word.chars().all(|c| c.is_ascii_digit()))
        .find_map(numeric)
}

/// What works on an instance and breaks in a container.
fn readiness(files: &AppFiles, module: &GoMod, findings: &mut Vec<Finding>) {
    host_bound_code(files, &EXTENSIONS, findings);
    let mut warn = |level, message: String, source: String| findings.push(Finding { level, message, source });

    let sqlite = [
        ("github.com/mattn/go-sqlite3", true),
        ("gorm.io/driver/sqlite", true),
        ("modernc.org/sqlite", false),
        ("github.com/glebarez/sqlite", false),
    ];
    let mut cgo_said = false;
    for (path, cgo) in sqlite {
        let Some(require) = module.require(path) else { continue };
        warn(
            FindingLevel::Blocker,
            format!(
                "keeps data in an SQLite file on local disk ({path}): tasks lose it when they stop; move it to RDS"
            ),
            require.at(),
        );
        if cgo && !cgo_said {
            cgo_said = true;
            warn(
                FindingLevel::Info,
                "go-sqlite3 needs cgo: the image builds with CGO_ENABLED=1 and runs on Debian (glibc), not scratch"
                    .into(),
                require.at(),
            );
        }
    }
    for cron in ["github.com/robfig/cron", "github.com/go-co-op/gocron"] {
        if let Some(require) = module.require(cron) {
            warn(
                FindingLevel::Warning,
                "runs scheduled jobs in-process: every task runs them; use EventBridge Scheduler or one task".into(),
                require.at(),
            );
        }
    }

    for (path, text) in files.with_extensions(&EXTENSIONS) {
        if super::source::is_test_path(path) {
            continue;
        }
        let embeds = text.contains("//go:embed");
        // One upload finding a file: the folder is usually built on one line and written on the next.
        let mut upload_said = false;
        for (index, line) in text.lines().enumerate() {
            let at = format!("{path}:{}", index + 1);
            let code = without_comment(line);
            if !cgo_said && code.trim() == "import \"C\"" {
                cgo_said = true;
                warn(
                    FindingLevel::Info,
                    "uses cgo: the image builds with CGO_ENABLED=1 and runs on Debian (glibc), not scratch".into(),
                    at.clone(),
                );
            }
            if SERVE_MARKERS.iter().any(|m| code.contains(m))
                && let Some(address) = literals(code).into_iter().find(|l| {
                    listen_port(l, true).is_some() && (l.starts_with("localhost") || l.starts_with("127.0.0.1"))
                })
            {
                let port = address.rsplit_once(':').map_or("", |(_, p)| p);
                warn(
                    FindingLevel::Warning,
                    format!(
                        "listens on {address} only: the load balancer cannot reach it in a task; listen on \":{port}\""
                    ),
                    at.clone(),
                );
            }
            let disk_call = ["os.", "filepath.Join(", "SaveUploadedFile(", "http.Dir(", ".Static("];
            let upload = code.contains("SaveUploadedFile(")
                || (disk_call.iter().any(|c| code.contains(c))
                    && literals(code).iter().any(|l| l.to_ascii_lowercase().contains("upload")));
            if upload && !upload_said {
                upload_said = true;
                warn(
                    FindingLevel::Warning,
                    "writes uploads to local disk: lost when a task stops; write them to S3".into(),
                    at.clone(),
                );
            } else if !upload
                && !embeds
                && ["LoadHTMLGlob(", "LoadHTMLFiles(", "ParseGlob(", "ParseFiles(", "http.Dir(", ".Static("]
                    .iter()
                    .any(|c| code.contains(c))
            {
                warn(
                    FindingLevel::Warning,
                    "reads templates or static files from disk at run time: the image holds only the binary; \
                     embed them with //go:embed or copy them into the image"
                        .into(),
                    at.clone(),
                );
            }
            if literals(code).iter().any(|l| l.starts_with("/var/log/")) {
                warn(
                    FindingLevel::Warning,
                    "writes a log file on local disk: in a task, log to stdout and let CloudWatch Logs keep it".into(),
                    at,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHI_MOD: &str = "module github.com/acme/orders-api\n\ngo 1.22\n\ntoolchain go1.23.4\n\nrequire (\n\
        \tgithub.com/go-chi/chi/v5 v5.0.7\n\tgithub.com/jackc/pgx/v5 v5.7.0\n)\n\nrequire (\n\
        \tgithub.com/jackc/puddle/v2 v2.2.1 // indirect\n)\n";

    fn facts(pairs: &[(&str, &str)]) -> SourceFacts {
        analyze(&AppFiles::from_pairs(pairs.iter().copied())).unwrap()
    }

    #[test]
    fn reads_a_chi_service_under_cmd() {
        let main = "package main\n\nimport \"os\"\n\nfunc main() {\n\tport := os.Getenv(\"PORT\")\n\
            \tif port == \"\" {\n\t\tport = \"8080\"\n\t}\n\tdb, ok := os.LookupEnv(\"DATABASE_URL\")\n\
            \thttp.ListenAndServe(\":\"+port, r)\n}\n";
        let f = facts(&[
            ("go.mod", CHI_MOD),
            ("go.sum", ""),
            ("cmd/api/main.go", main),
            ("cmd/api/main_test.go", "package main\nfunc TestX() { http.ListenAndServe(\":9999\", nil) }\n"),
        ]);
        assert_eq!(f.runtime, "go");
        assert_eq!(f.version, Some(fact("1.23".to_string(), "go.mod:5")));
        assert_eq!(f.package_manager, fact(PackageManager::Go, "go.mod"));
        assert_eq!(f.entry, Some(fact("./cmd/api".to_string(), "cmd/api/main.go:5")));
        assert_eq!(f.start.unwrap().value, ["/app/api"]);
        let build = f.build.unwrap().value;
        assert_eq!(build[..3], ["CGO_ENABLED=0", "go", "build"]);
        assert_eq!(build[build.len() - 2..], ["/out/api", "./cmd/api"]);
        assert_eq!(f.port, Some(fact(8080, "cmd/api/main.go:8")));
        assert_eq!(f.framework, Some(fact(FRAMEWORKS[3].1, "go.mod:8")));
        let env: Vec<_> = f.env_read.iter().map(|e| (e.value.as_str(), e.source.as_str())).collect();
        assert_eq!(env, [("PORT", "cmd/api/main.go:6"), ("DATABASE_URL", "cmd/api/main.go:10")]);
        assert!(f.findings.is_empty(), "{:?}", f.findings);
    }

    #[test]
    fn versions_from_go_and_toolchain_lines() {
        let v = |module: &str| facts(&[("go.mod", module)]).version.map(|f| (f.value, f.source));
        assert_eq!(v("module m\n\ngo 1.22.5\n"), Some(("1.22".into(), "go.mod:3".into())));
        assert_eq!(v("module m\ngo 1.24\ntoolchain go1.23.4\n"), Some(("1.24".into(), "go.mod:2".into())));
        assert_eq!(v("module m\ngo 1.21.0\ntoolchain go1.21.6\n"), Some(("1.21".into(), "go.mod:2".into())));
        assert_eq!(v("module m\n"), None);
        assert_eq!(facts(&[("go.mod", "module m\n")]).default_version, "1.25");
        assert!(analyze(&AppFiles::from_pairs([("main.go", "package main")])).is_none());
    }

    #[test]
    fn main_package_at_the_root_is_named_after_the_module() {
        let f = facts(&[
            ("go.mod", "module github.com/acme/inventory/v2\n\ngo 1.21\n"),
            ("main.go", "package main\n\nfunc main() {\n\tr.Run()\n}\n"),
            ("cmd/seed/main.go", "package main\nfunc main() {}\n"),
        ]);
        assert_eq!(f.entry.unwrap().value, ".");
        assert_eq!(f.start.unwrap().value, ["/app/inventory"]);
        assert_eq!(f.build.unwrap().value.last().map(String::as_str), Some("."));
    }

    #[test]
    fn several_commands_prefer_the_module_name_and_say_so() {
        let main = "package main\n\nfunc main() {}\n";
        let f = facts(&[
            ("go.mod", "module example.com/billing\n"),
            ("cmd/billing/main.go", main),
            ("cmd/migrate/main.go", main),
            ("cmd/worker/main.go", main),
        ]);
        assert_eq!(f.entry.unwrap().value, "./cmd/billing");
        let info = f.findings.iter().find(|f| f.level == FindingLevel::Info).unwrap();
        assert!(info.message.contains("./cmd/migrate, ./cmd/worker"), "{}", info.message);
        assert_eq!(info.source, "cmd/billing/main.go:3");

        let f =
            facts(&[("go.mod", "module example.com/x\n"), ("cmd/migrate/main.go", main), ("cmd/zeta/main.go", main)]);
        assert_eq!(f.entry.unwrap().value, "./cmd/migrate");
    }

    #[test]
    fn ports_in_the_shapes_go_code_writes() {
        for (line, port) in [
            ("log.Fatal(http.ListenAndServe(\":8081\", mux))", Some(8081)),
            ("srv := &http.Server{Addr: \":9000\", Handler: r}", Some(9000)),
            ("r.Run(\":8082\")", Some(8082)),
            ("app.Listen(\":3000\")", Some(3000)),
            ("e.Logger.Fatal(e.Start(\"0.0.0.0:1323\"))", Some(1323)),
            ("port := getEnv(\"PORT\", \"8083\")", Some(8083)),
            ("port = \"8084\"", Some(8084)),
            ("port := flag.Int(\"port\", 8085, \"listen port\")", Some(8085)),
            ("addr := flag.String(\"addr\", \":8086\", \"listen address\")", Some(8086)),
            ("Port string `env:\"PORT\" envDefault:\"8087\"`", Some(8087)),
            ("http.ListenAndServe(\":\"+port, nil)", None),
            ("dbPort := getEnv(\"DB_PORT\", \"5432\")", None),
            ("rdb := redis.NewClient(&redis.Options{Addr: \"localhost:6379\"})", None),
            ("fmt.Println(\"listening\")", None),
        ] {
            assert_eq!(port_on_line(line), port, "{line}");
        }
    }

    #[test]
    fn frameworks_from_direct_requires() {
        let name = |requires: &str| {
            facts(&[("go.mod", &format!("module m\n\nrequire (\n{requires})\n"))]).framework.map(|f| f.value.name)
        };
        assert_eq!(name("\tgithub.com/gin-gonic/gin v1.10.0\n"), Some("Gin"));
        assert_eq!(name("\tgithub.com/labstack/echo/v4 v4.12.0\n"), Some("Echo"));
        assert_eq!(name("\tgithub.com/gofiber/fiber/v2 v2.52.5\n"), Some("Fiber"));
        assert_eq!(name("\tgithub.com/gorilla/mux v1.8.1\n"), Some("gorilla/mux"));
        assert_eq!(name("\tgithub.com/gin-gonic/gin v1.10.0 // indirect\n"), None);
        assert_eq!(name("\tgithub.com/gin-gonic/ginx v1.0.0\n"), None);
        assert_eq!(name(""), None);
    }

    #[test]
    fn readiness_findings_carry_file_and_line() {
        let f = facts(&[
            (
                "go.mod",
                "module github.com/acme/inventory\n\ngo 1.21\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n\
                 \tgithub.com/mattn/go-sqlite3 v1.14.22\n\tgithub.com/robfig/cron/v3 v3.0.1\n)\n",
            ),
            (
                "main.go",
                "package main\n\nfunc main() {\n\tr.LoadHTMLGlob(\"templates/*\")\n\
                 \tc.SaveUploadedFile(file, \"./uploads/\"+file.Filename)\n\
                 \tcache := \"http://10.0.4.21:8500\"\n\tr.Run(\"127.0.0.1:8080\")\n}\n",
            ),
        ]);
        let at = |text: &str| f.findings.iter().find(|x| x.message.contains(text)).map(|x| (x.level, x.source.clone()));
        assert_eq!(at("SQLite"), Some((FindingLevel::Blocker, "go.mod:7".into())));
        assert_eq!(at("cgo"), Some((FindingLevel::Info, "go.mod:7".into())));
        assert_eq!(at("scheduled jobs"), Some((FindingLevel::Warning, "go.mod:8".into())));
        assert_eq!(at("templates"), Some((FindingLevel::Warning, "main.go:4".into())));
        assert_eq!(at("uploads"), Some((FindingLevel::Warning, "main.go:5".into())));
        assert_eq!(at("10.0.4.21"), Some((FindingLevel::Warning, "main.go:6".into())));
        assert_eq!(at("127.0.0.1:8080 only"), Some((FindingLevel::Warning, "main.go:7".into())));
        assert_eq!(f.build.unwrap().value[0], "CGO_ENABLED=1");
        assert_eq!(f.port, Some(fact(8080, "main.go:7")));
    }

    #[test]
    fn comments_end_at_slashes_outside_strings() {
        assert_eq!(without_comment("r.Run(\":8080\") // was :9090"), "r.Run(\":8080\") ");
        assert_eq!(without_comment("u := \"http://10.0.0.1/x\" // note"), "u := \"http://10.0.0.1/x\" ");
        assert_eq!(without_comment("s := `a\\` // b"), "s := `a\\` ");
        assert_eq!(without_comment("q := \"say \\\"//\\\"\""), "q := \"say \\\"//\\\"\"");
    }

    #[test]
    fn import_c_needs_cgo() {
        let f = facts(&[("go.mod", "module m\n"), ("main.go", "package main\n\nimport \"C\"\n\nfunc main() {}\n")]);
        assert_eq!(f.build.unwrap().value[0], "CGO_ENABLED=1");
        assert!(f.findings.iter().any(|x| x.message.contains("cgo") && x.source == "main.go:3"));
    }

    #[test]
    fn transport_and_report_are_not_ports() {
        assert_eq!(port_on_line("client := &http.Client{Transport: &http.Transport{MaxIdleConns: 100}}"), None);
        assert_eq!(port_on_line("report := 42"), None);
        assert_eq!(port_on_line("httpPort := 9090"), Some(9090));
    }
}
