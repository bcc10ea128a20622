//! What in a Go app will not survive a container, as findings with their file and line.

use super::EXTENSIONS;
use super::code::{SERVE_MARKERS, debug_listener, listen_port, literals, without_comment};
use super::modfile::GoMod;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{host_bound_code, is_test_path};
use crate::model::Finding;

/// What works on an instance and breaks in a container.
pub(super) fn readiness(files: &AppFiles, module: &GoMod, findings: &mut Vec<Finding>) {
    host_bound_code(files, &EXTENSIONS, findings);
    embedded_stores(module, findings);
    let cgo_said = sqlite_drivers(files, module, findings);
    schedulers(files, module, findings);
    code_findings(files, cgo_said, findings);
    super::start_state::findings(files, findings);
    super::data_dir::data_dir_state(files, findings);
    findings.extend(super::dotenv_load::fatal_env_file(files));
}

/// Embedded key-value stores the module requires directly.
fn embedded_stores(module: &GoMod, findings: &mut Vec<Finding>) {
    // Embedded key-value stores keep their files beside the app, like SQLite.
    let stores = [
        ("go.etcd.io/bbolt", "BoltDB"),
        ("github.com/boltdb/bolt", "BoltDB"),
        ("github.com/dgraph-io/badger", "Badger"),
        ("github.com/syndtr/goleveldb", "LevelDB"),
        ("github.com/cockroachdb/pebble", "Pebble"),
        ("github.com/tidwall/buntdb", "BuntDB"),
    ];
    for (path, store) in stores {
        if let Some(require) = module.require(path).filter(|r| !r.indirect) {
            findings.push(crate::analyze::readiness::embedded_store(store, require.at()));
        }
    }
}

/// Drivers of databases that run as servers.
const NETWORKED_DRIVERS: [&str; 8] = [
    "gorm.io/driver/mysql",
    "gorm.io/driver/postgres",
    "gorm.io/driver/sqlserver",
    "github.com/go-sql-driver/mysql",
    "github.com/lib/pq",
    "github.com/jackc/pgx/v5",
    "github.com/jackc/pgx/v4",
    "github.com/microsoft/go-mssqldb",
];

/// SQLite drivers the app uses, and the cgo the first driver that needs it brings.
/// Gives whether cgo was said, so the code's own `import "C"` is not said again.
fn sqlite_drivers(files: &AppFiles, module: &GoMod, findings: &mut Vec<Finding>) -> bool {
    let sqlite = [
        ("github.com/mattn/go-sqlite3", true),
        ("gorm.io/driver/sqlite", true),
        ("modernc.org/sqlite", false),
        ("github.com/glebarez/sqlite", false),
    ];
    let mut cgo_said = false;
    // An app that also requires a networked database's driver picks one by a setting: SQLite
    // is one choice, not where its data must live.
    let networked = NETWORKED_DRIVERS.iter().find(|driver| module.require(driver).is_some_and(|r| !r.indirect));
    // Read once for every driver, and only where a server driver leaves the choice open.
    let default_at = networked.and_then(|_| sqlite_default(files));
    findings.extend(super::memory_store::finding(files));
    for (path, cgo) in sqlite {
        let Some(require) = super::sqlite_use::used_sqlite(files, module, path) else { continue };
        // A server driver beside SQLite, but SQLite the default (`return "sqlite+./data/db"`
        // in `defaultDB()`, `default:"sqlite3"`): unset, the data stays on the task's disk.
        findings.push(match (networked, default_at.clone()) {
            (None, _) => Finding::blocker(
                "sqlite",
                format!(
                    "keeps data in an SQLite file on local disk ({path}): tasks lose it when they stop; move it to RDS"
                ),
                require.at(),
            ),
            (Some(_), Some(at)) => Finding::blocker(
                "sqlite",
                format!(
                    "keeps data in an SQLite file on local disk unless its database setting names a server (SQLite through {path} is the default): tasks lose it when they stop"
                ),
                at,
            )
            .with_fix("set the app's database setting to an RDS database on the service"),
            (Some(driver), None) => Finding::warning(
                "sqlite",
                format!(
                    "can keep its data in an SQLite file ({path}) as well as in a database server ({driver}): \
                     an SQLite file on a task's disk is lost when it stops"
                ),
                require.at(),
            )
            .with_fix("choose the database server in the app's settings, on RDS"),
        });
        if cgo && !cgo_said {
            cgo_said = true;
            findings.push(Finding::info(
                "cgo",
                "go-sqlite3 needs cgo: the image builds with CGO_ENABLED=1 and runs on Debian (glibc), not scratch",
                require.at(),
            ));
        }
    }
    cgo_said
}

/// Where the code gives an SQLite database as the default: a string starting `sqlite` returned
/// by a function named for a default, or on a line that says default (a flag's, a struct tag's).
fn sqlite_default(files: &AppFiles) -> Option<String> {
    files.with_extensions(&EXTENSIONS).filter(|(path, _)| !is_test_path(path)).find_map(|(path, text)| {
        let lines: Vec<&str> = text.lines().collect();
        let index = lines.iter().enumerate().position(|(index, line)| {
            let code = line.split("//").next().unwrap_or("");
            let sqlite = code.contains("\"sqlite") || code.contains(":\"sqlite");
            let said = code.to_ascii_lowercase().contains("default");
            // Asked only of a line that names SQLite: the walk up to its function costs.
            let in_default_function = || {
                code.trim_start().starts_with("return ")
                    && lines[..index]
                        .iter()
                        .rev()
                        .find(|l| l.starts_with("func "))
                        .is_some_and(|f| f.to_ascii_lowercase().contains("default"))
            };
            sqlite && (said || in_default_function())
        })?;
        Some(format!("{path}:{}", index + 1))
    })
}

/// Cron libraries the app's code imports: jobs that every task would run. A module that only
/// requires one (a dependency's dependency, a tool) schedules nothing; the import is cited.
fn schedulers(files: &AppFiles, module: &GoMod, findings: &mut Vec<Finding>) {
    for cron in ["github.com/robfig/cron", "github.com/go-co-op/gocron"] {
        if module.require(cron).is_none() {
            continue;
        }
        // An example plugin beside the server (`plugin/example/clock`) is not the server.
        let aside = |path: &str| {
            path.split('/').any(|part| matches!(part, "example" | "examples" | "demo" | "demos" | "sample" | "samples"))
        };
        let served = |path: &str| !is_test_path(path) && !aside(path);
        let imported = files.with_extensions(&EXTENSIONS).filter(|(path, _)| served(path)).find_map(|(path, text)| {
            let index = text.lines().position(|line| line.contains(&format!("\"{cron}")))?;
            Some(format!("{path}:{}", index + 1))
        });
        if let Some(at) = imported {
            findings.push(Finding::warning(
                "scheduler",
                "runs scheduled jobs in-process: every task runs them; use EventBridge Scheduler or one task",
                at,
            ));
        }
    }
}

/// The app's Go code, line by line (tests aside): cgo, loopback binds, files on local disk
/// and log files. `cgo_said` when the module's dependencies already said cgo.
fn code_findings(files: &AppFiles, mut cgo_said: bool, findings: &mut Vec<Finding>) {
    let mut migrates_said = false;
    for (path, text) in files.with_extensions(&EXTENSIONS) {
        if is_test_path(path) {
            continue;
        }
        // One upload finding a file: the folder is usually built on one line and written on the next.
        let mut upload_said = false;
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            let at = format!("{path}:{}", index + 1);
            let code = without_comment(line);
            if !cgo_said && code.trim() == "import \"C\"" {
                cgo_said = true;
                findings.push(Finding::info(
                    "cgo",
                    "uses cgo: the image builds with CGO_ENABLED=1 and runs on Debian (glibc), not scratch",
                    at.clone(),
                ));
            }
            if !migrates_said && code.contains(".AutoMigrate(") {
                // GORM alters the tables to fit the models at every start, in every task.
                migrates_said = true;
                findings.push(crate::analyze::readiness::migrations_at_start("GORM AutoMigrate", at.clone()));
            }
            if !debug_listener(text, &lines, index) {
                loopback_binds(code, &at, findings);
            }
            let from_data_dir = super::data_dir::read_from_data_dir(&lines, index);
            uploads_on_disk(code, &at, from_data_dir, &mut upload_said, findings);
            if literals(code).iter().any(|l| l.starts_with("/var/log/")) {
                findings.push(Finding::warning(
                    "log-files",
                    "writes a log file on local disk: in a task, log to stdout and let CloudWatch Logs keep it",
                    at,
                ));
            }
        }
    }
}

/// A line that serves on a loopback address, or sets a default configuration's listen field
/// to one: the load balancer cannot reach either.
fn loopback_binds(code: &str, at: &str, findings: &mut Vec<Finding>) {
    if SERVE_MARKERS.iter().any(|m| code.contains(m))
        && let Some(address) = literals(code)
            .into_iter()
            .find(|l| listen_port(l, true).is_some() && (l.starts_with("localhost") || l.starts_with("127.0.0.1")))
    {
        let port = address.rsplit_once(':').map_or("", |(_, p)| p);
        findings.push(Finding::blocker(
            "loopback-bind",
            format!("listens on {address} only: the load balancer cannot reach it in a task; listen on \":{port}\""),
            at,
        ));
    }
    if let Some(field) = loopback_bind_field(code) {
        findings.push(Finding::blocker(
            "loopback-bind",
            format!(
                "the default configuration binds the server to {field}: the load balancer cannot reach it in a task; bind to 0.0.0.0 in the app's configuration"
            ),
            at,
        ));
    }
}

/// A line that writes uploads to local disk (said once a file, through `upload_said`).
/// `from_data_dir`: whether the line's path is under a configured data directory, where
/// uploads are the app's state (a blocker); an uploaded file saved as it is blocks too. Reads of templates and static folders are
/// `static_folders`' (the image copies the committed ones).
fn uploads_on_disk(code: &str, at: &str, from_data_dir: bool, upload_said: &mut bool, findings: &mut Vec<Finding>) {
    let disk_call = ["os.", "filepath.Join(", "SaveUploadedFile(", "http.Dir(", ".Static("];
    let upload = code.contains("SaveUploadedFile(")
        || (disk_call.iter().any(|c| code.contains(c))
            && literals(code).iter().any(|l| l.to_ascii_lowercase().contains("upload")));
    if upload && !*upload_said {
        *upload_said = true;
        let message = "writes uploads to local disk: lost when a task stops; write them to S3";
        // Gin's `SaveUploadedFile` writes the uploaded bytes themselves: each task keeps its own.
        let saved = code.contains("SaveUploadedFile(");
        findings.push(if from_data_dir {
            Finding::blocker("local-disk-writes", format!("{message} (they are kept under its data directory)"), at)
        } else if saved {
            Finding::blocker("local-disk-writes", format!("{message} (other tasks never see them)"), at)
        } else {
            Finding::warning("local-disk-writes", message, at)
        });
    }
}

/// A default configuration's listen field on loopback, in a struct literal: `Bind: "localhost",`
/// or `ListenAddr: "127.0.0.1:8080",`. Gives the address.
fn loopback_bind_field(code: &str) -> Option<String> {
    const FIELDS: [&str; 6] = ["Bind", "BindAddr", "BindAddress", "Listen", "ListenAddr", "ListenAddress"];
    let (field, value) = code.trim().split_once(':')?;
    if !FIELDS.contains(&field.trim()) {
        return None;
    }
    let quoted = value.trim().strip_prefix('"')?;
    let value = &quoted[..quoted.find('"')?];
    let host = value.rsplit_once(':').map_or(value, |(host, _)| host);
    matches!(host, "localhost" | "127.0.0.1").then(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::super::facts;
    use crate::analyze::source::fact;
    use crate::model::FindingLevel;

    #[test]
    fn a_cron_library_only_the_module_requires_schedules_nothing() {
        let f = facts(&[
            ("go.mod", "module m\n\ngo 1.21\n\nrequire github.com/robfig/cron/v3 v3.0.1\n"),
            ("main.go", "package main\n\nfunc main() {}\n"),
        ]);
        assert!(!f.findings.iter().any(|x| x.kind == "scheduler"), "{:?}", f.findings);
        let example = facts(&[
            (
                "go.mod",
                "module m

go 1.21

require github.com/robfig/cron/v3 v3.0.1
",
            ),
            (
                "main.go",
                "package main

func main() {}
",
            ),
            (
                "plugin/example/clock/main.go",
                "package main

import \"github.com/robfig/cron/v3\"
",
            ),
        ]);
        assert!(!example.findings.iter().any(|x| x.kind == "scheduler"), "an example plugin: {:?}", example.findings);
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
                "package main\n\nimport \"github.com/robfig/cron/v3\"\n\nfunc main() {\n\tr.LoadHTMLGlob(\"templates/*\")\n\
                 \tc.SaveUploadedFile(file, \"./uploads/\"+file.Filename)\n\
                 \tcache := \"http://10.0.4.21:8500\"\n\tr.Run(\"127.0.0.1:8080\")\n}\n",
            ),
            ("templates/index.tmpl", "<p>{{ .Name }}</p>\n"),
        ]);
        let at = |text: &str| f.findings.iter().find(|x| x.message.contains(text)).map(|x| (x.level, x.source.clone()));
        assert_eq!(at("SQLite"), Some((FindingLevel::Blocker, "go.mod:7".into())));
        assert_eq!(at("cgo"), Some((FindingLevel::Info, "go.mod:7".into())));
        assert_eq!(at("scheduled jobs"), Some((FindingLevel::Warning, "main.go:3".into())));
        // The committed folder is copied into the image beside the binary.
        assert_eq!(at("templates"), Some((FindingLevel::Info, "main.go:6".into())));
        // The uploaded file itself is saved on the task's disk.
        assert_eq!(at("uploads"), Some((FindingLevel::Blocker, "main.go:7".into())));
        assert_eq!(at("10.0.4.21"), Some((FindingLevel::Warning, "main.go:8".into())));
        assert_eq!(at("127.0.0.1:8080 only"), Some((FindingLevel::Blocker, "main.go:9".into())));
        assert_eq!(f.build.unwrap().value[0], "CGO_ENABLED=1");
        assert_eq!(f.port, Some(fact(8080, "main.go:9")));
    }

    #[test]
    fn a_default_configuration_bound_to_loopback() {
        assert_eq!(super::loopback_bind_field("Bind: \"localhost\", /* IPv6? */").as_deref(), Some("localhost"));
        assert_eq!(super::loopback_bind_field("ListenAddr: \"127.0.0.1:8080\",").as_deref(), Some("127.0.0.1:8080"));
        assert_eq!(super::loopback_bind_field("Bind: \"0.0.0.0\","), None);
        assert_eq!(super::loopback_bind_field("Host: \"http://localhost:8080\","), None);
    }
}
