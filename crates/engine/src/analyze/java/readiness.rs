//! What works on an instance and breaks in a container, for Java apps.

use super::spring_config::{SpringConfig, placeholder_default};
use super::{Build, CODE};
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{code_lines, host_bound_code, private_ip};
use crate::analyze::variables::in_inactive_profile;
use crate::model::{Finding, FindingLevel};

/// What works on an instance and breaks in a container.
pub(super) fn readiness(files: &AppFiles, build: &Build, config: &SpringConfig, findings: &mut Vec<Finding>) {
    host_bound_code(files, &["java", "kt", "properties", "yml", "yaml"], findings);
    private_addresses_in_config(config, findings);
    schedulers(files, build, config, findings);
    findings.extend(super::quartz_startup::jobs_loaded_at_start(files, config));
    database_files(files, build, config, findings);
    files_on_disk(files, config, findings);
    actuator_port(config, findings);
    findings.extend(actuator_exposed(config));
    // Migrations, an in-memory database and a loopback address come last, in this order:
    // reports list findings in the order they are found.
    migration_tools(build, config, findings);
    findings.extend(super::startup_seeds::seeded_accounts(files));
    findings.extend(in_memory_h2(build, config).or_else(|| in_memory_url(config)));
    findings.extend(loopback_address(config));
    findings.extend(super::dev_profile::dev_profile_default(config));
    findings.extend(super::dev_profile::active_profile_localhost(config));
}

/// Private addresses in the Spring config that `host_bound_code` did not find already.
fn private_addresses_in_config(config: &SpringConfig, findings: &mut Vec<Finding>) {
    // Values in config files are mostly unquoted; host_bound_code found the quoted ones.
    for entry in &config.entries {
        if let Some(ip) = private_ip(&format!("\"{}\"", entry.value))
            && !findings.iter().any(|f| f.source == entry.at && f.message.contains(&ip))
        {
            findings.push(Finding {
                kind: "hard-coded-address".into(),
                fix: None,
                level: FindingLevel::Warning,
                message: format!("hard-codes the private address {ip}: use a DNS name or configuration"),
                source: entry.at.clone(),
            });
        }
    }
}

/// `@Scheduled` methods and Quartz jobs, which every task would run.
fn schedulers(files: &AppFiles, build: &Build, config: &SpringConfig, findings: &mut Vec<Finding>) {
    // Scheduled jobs: ShedLock makes one task run each; Quartz in a clustered JDBC store too.
    let shedlock = build.depends_on("shedlock-spring");
    // Spring runs `@Scheduled` methods only once scheduling is switched on: without it they
    // are plain methods, and no task runs them on a timer.
    let enabled = scheduling_enabled(files);
    for (at, line) in code_lines(files, &CODE).filter(|_| enabled) {
        if line.trim_start().starts_with("@Scheduled") {
            // A job that takes a lock the tasks share first (`lockService.tryLock(...)`) runs once.
            let path = at.rsplit_once(':').map_or(at.as_str(), |(path, _)| path);
            // A JVM's own lock (`java.util.concurrent.locks`) is each task's: it shares nothing.
            let locks = files.get(path).is_some_and(|text| {
                (text.contains(".tryLock(") && !text.contains("java.util.concurrent.locks"))
                    || (text.contains("@SchedulerLock") && shedlock.is_some())
            });
            match (&shedlock, locks) {
                (_, true) => findings.push(Finding::info(
                    "scheduler",
                    "runs scheduled jobs in-process, each behind a lock the tasks share: one task runs each",
                    at,
                )),
                (Some(_), false) => findings.push(Finding::info(
                    "scheduler",
                    "runs scheduled jobs in-process, locked by ShedLock: one task runs each",
                    at,
                )),
                (None, false) => findings.push(Finding::warning(
                    "scheduler",
                    "runs scheduled jobs in-process: every task runs them; use EventBridge Scheduler, ShedLock or one task",
                    at,
                )),
            }
        }
    }
    let clustered = config.entries.iter().any(|e| e.key.ends_with("jobStore.isClustered") && e.value == "true");
    for quartz in ["spring-boot-starter-quartz", "quartz"] {
        if let Some(source) = build.depends_on(quartz)
            && !clustered
        {
            findings.push(Finding::warning(
                "scheduler",
                "runs Quartz jobs in-process: every task runs them; use a clustered JDBC job store or EventBridge Scheduler",
                source,
            ));
            break;
        }
    }
}

/// Whether the app switches Spring's scheduling on: `@EnableScheduling` on a class, or the
/// XML `<task:annotation-driven>` of older apps.
fn scheduling_enabled(files: &AppFiles) -> bool {
    files
        .with_extensions(&["java", "kt", "xml"])
        .any(|(_, text)| text.contains("@EnableScheduling") || text.contains("task:annotation-driven"))
}

/// Databases kept in a file on local disk: H2 or SQLite URLs in the config or the code, and
/// the SQLite driver.
fn database_files(files: &AppFiles, build: &Build, config: &SpringConfig, findings: &mut Vec<Finding>) {
    // Data on local disk.
    for entry in config.entries.iter().filter(|e| !in_inactive_profile(&e.at)) {
        if is_file_database(&entry.value) {
            findings.push(Finding::blocker(
                file_database_kind(&entry.value),
                "keeps its database in a file on local disk (H2 or SQLite): tasks lose it when they stop; move it to RDS",
                entry.at.clone(),
            ));
        }
    }
    for (at, line) in code_lines(files, &CODE) {
        if line.contains('"') && is_file_database(line) {
            findings.push(Finding::blocker(
                file_database_kind(line),
                "keeps its database in a file on local disk (H2 or SQLite): tasks lose it when they stop; move it to RDS",
                at,
            ));
        }
    }
    if let Some(source) = build.depends_on("sqlite-jdbc") {
        findings.push(Finding::blocker(
            "sqlite",
            "keeps data in an SQLite file on local disk: tasks lose it when they stop; move it to RDS",
            source,
        ));
    }
}

/// A JDBC URL of an H2 database in a file (not in memory, not a server) or of SQLite.
fn is_file_database(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    let h2_file = text.find("jdbc:h2:").is_some_and(|at| {
        let rest = &text[at + "jdbc:h2:".len()..];
        !rest.starts_with("mem:") && !rest.starts_with("tcp:") && !rest.starts_with("ssl:")
    });
    h2_file || text.contains("jdbc:sqlite:")
}

/// The finding's kind for a file database's URL: `sqlite`, or `embedded-database` for H2.
fn file_database_kind(text: &str) -> &'static str {
    if text.to_ascii_lowercase().contains("jdbc:sqlite:") { "sqlite" } else { "embedded-database" }
}

/// Uploads and log files written to local disk, which a task loses when it stops.
fn files_on_disk(files: &AppFiles, config: &SpringConfig, findings: &mut Vec<Finding>) {
    if let Some(entry) = config.entries.iter().find(|e| e.key == "spring.servlet.multipart.location") {
        findings.push(Finding::warning(
            "local-disk-writes",
            "keeps uploads in a local folder: lost when a task stops; write them to S3",
            entry.at.clone(),
        ));
    }
    let running = || files.with_extensions(&CODE).filter(|(path, _)| !crate::analyze::source::is_test_path(path));
    let constants = super::upload_constants::path_constants(running());
    for (path, text) in running().filter(|(_, text)| text.contains("MultipartFile")) {
        let names = super::upload_writes::multipart_names(text);
        for (i, line) in text.lines().enumerate() {
            if super::upload_writes::writes_upload(line, &names) {
                let at = format!("{path}:{}", i + 1);
                let finding = match super::upload_constants::used_before(text, i, &constants) {
                    Some(folder) => upload_folder_in_code(folder, &at),
                    None => uploads_written(text, config, at),
                };
                // One finding per folder constant, however many writes use it.
                if !findings.iter().any(|f| f.kind == finding.kind && f.source == finding.source) {
                    findings.push(finding);
                }
            }
        }
    }
    if let Some(entry) = config.entries.iter().find(|e| e.key == "logging.file.name" || e.key == "logging.file.path") {
        findings.push(Finding::warning(
            "log-files",
            "logs to a file: in a task only standard output reaches CloudWatch Logs; drop logging.file.*",
            entry.at.clone(),
        ));
    } else if let Some(at) = file_appender(files) {
        findings.push(Finding::warning(
            "log-files",
            "logs to a file through a file appender: lost when a task stops, and only standard output reaches CloudWatch Logs; log to the console appender",
            at,
        ));
    }
}

/// The first file appender of the app's logging configuration (`logback.xml`,
/// `logback-spring.xml`, `log4j2.xml`): Logback's `FileAppender` and `RollingFileAppender`,
/// Log4j 2's `<File>` and `<RollingFile>`.
fn file_appender(files: &AppFiles) -> Option<String> {
    const CONFIGS: [&str; 4] = ["logback.xml", "logback-spring.xml", "log4j2.xml", "log4j2-spring.xml"];
    const APPENDERS: [&str; 4] =
        ["core.rolling.RollingFileAppender\"", "core.FileAppender\"", "<RollingFile ", "<File "];
    files.files.iter().filter(|(path, _)| !crate::analyze::source::is_test_path(path)).find_map(|(path, text)| {
        let name = path.rsplit('/').next().unwrap_or(path);
        if !CONFIGS.contains(&name) {
            return None;
        }
        // An appender inside `<!-- -->` is switched off.
        let mut in_comment = false;
        let index = text.lines().position(|line| {
            let (was, opens, closes) = (in_comment, line.contains("<!--"), line.contains("-->"));
            in_comment = (was || opens) && !closes;
            !was && !opens && APPENDERS.iter().any(|a| line.contains(a))
        })?;
        Some(format!("{path}:{}", index + 1))
    })
}

/// An upload's content written to local disk, under the folder a setting the class injects
/// names when it has one: each task keeps its own copy and loses it when it stops.
fn uploads_written(text: &str, config: &SpringConfig, at: String) -> Finding {
    let setting = text.lines().filter(|l| l.contains("@Value(")).find_map(|line| {
        let key = line.split("${").nth(1)?.split(['}', ':']).next()?.trim();
        let lower = key.to_ascii_lowercase();
        let folder = ["path", "dir", "folder", "location", "upload"].iter().any(|w| lower.contains(w));
        let entry = config.entries.iter().find(|e| e.key == key).filter(|_| folder)?;
        Some(format!(" under the folder {key} names ({}, {})", entry.value, entry.at))
    });
    Finding::blocker(
        "local-disk-writes",
        format!(
            "writes uploaded files to local disk{}: each task keeps its own and loses them when it stops",
            setting.unwrap_or_default()
        ),
        at,
    )
    .with_fix("write uploads to S3, or mount EFS at the upload folder and run one task")
}

/// Uploads written to a folder the code fixes in a constant: no setting can point it at a
/// shared volume, and a Windows path is not even a folder in the Linux image.
fn upload_folder_in_code(folder: &super::upload_constants::PathConstant, at: &str) -> Finding {
    let windows = if super::upload_constants::is_windows_path(&folder.value) {
        ", a Windows path: in the Linux image it is only a file name in the working folder"
    } else {
        ""
    };
    Finding::blocker(
        "local-disk-writes",
        format!(
            "writes uploads ({at}) to the folder in the constant {} = \"{}\" ({}){windows}: each task keeps its own files and loses them when it stops",
            folder.name,
            folder.value.replace("\\\\", "\\"),
            folder.at
        ),
        folder.at.clone(),
    )
    .with_fix("write uploads to S3, or read the folder from a setting and mount EFS there with one task")
}

/// Actuator on a port of its own, where the load balancer does not check health.
fn actuator_port(config: &SpringConfig, findings: &mut Vec<Finding>) {
    let Some(entry) = config.get("management.server.port") else { return };
    let value = super::spring_config::placeholder_default(&entry.value).unwrap_or(&entry.value);
    let port = value.trim().parse::<u16>().ok();
    let app_port = config.port().map(|p| p.value).or(Some(8080));
    if port.is_some() && port == app_port {
        // The same port as the app's: Spring serves Actuator there, and it moves only when
        // the app's port is changed without it.
        findings.push(Finding::info(
            "actuator-port",
            format!("management.server.port is the app's own port ({value}): Actuator answers there as long as both stay the same; dropping the setting keeps it so"),
            entry.at.clone(),
        ));
        return;
    }
    findings.push(Finding::warning(
        "actuator-port",
        "Actuator listens on its own port: the load balancer checks health on the app's port; drop management.server.port",
        entry.at.clone(),
    ));
}

/// Actuator endpoints that hand out the app's settings, memory or controls (`env`,
/// `heapdump`, `shutdown`, or all of them with `*`) on the port the load balancer serves.
fn actuator_exposed(config: &SpringConfig) -> Option<Finding> {
    const SENSITIVE: [&str; 8] = ["*", "env", "heapdump", "threaddump", "configprops", "beans", "loggers", "shutdown"];
    let entry = config.get("management.endpoints.web.exposure.include")?;
    let exposed: Vec<&str> =
        entry.value.split(',').map(|e| e.trim().trim_matches(['"', '\''])).filter(|e| SENSITIVE.contains(e)).collect();
    if exposed.is_empty() {
        return None;
    }
    Some(
        Finding::warning(
            "actuator-exposed",
            format!(
                "Actuator exposes {} over HTTP: whoever reaches the load balancer can read the app's settings and memory",
                if exposed.contains(&"*") { "every endpoint (`*`)".to_string() } else { exposed.join(", ") }
            ),
            entry.at.clone(),
        )
        .with_fix("expose only health (and info): management.endpoints.web.exposure.include=health,info"),
    )
}

/// Flyway or Liquibase, unless the base config turns it off: they migrate at every start.
fn migration_tools(build: &Build, config: &SpringConfig, findings: &mut Vec<Finding>) {
    for (tool, disabled) in [("flyway-core", "spring.flyway.enabled"), ("liquibase-core", "spring.liquibase.enabled")] {
        let off = config.entries.iter().any(|e| e.key == disabled && e.value.trim() == "false" && e.base);
        if let Some(dependency) = build.depends_on(tool)
            && !off
        {
            findings.push(crate::analyze::readiness::migrations_at_start(tool, dependency));
        }
    }
    // Hibernate altering the schema to fit the entities (`update`, `create`), or Spring running
    // schema.sql/data.sql at every start: each task starting does it, together.
    let changes_schema = |e: &&super::spring_config::Entry| {
        let value = e.value.trim().to_ascii_lowercase();
        let ddl =
            e.key == "spring.jpa.hibernate.ddl-auto" && ["update", "create", "create-drop"].contains(&value.as_str());
        let scripts = ["spring.datasource.initialization-mode", "spring.sql.init.mode"].contains(&e.key.as_str())
            && value == "always";
        (ddl || scripts) && !in_inactive_profile(&e.at)
    };
    if let Some(entry) = config.entries.iter().find(changes_schema) {
        let what = format!("{} = {}", entry.key, entry.value.trim());
        findings.push(
            schema_dropped(entry, config)
                .unwrap_or_else(|| crate::analyze::readiness::migrations_at_start(&what, entry.at.clone())),
        );
    }
}

/// `ddl-auto: create` or `create-drop` on a database that outlives the app: Hibernate drops
/// every table at each start (and create-drop again at shutdown), so a deploy wipes the data.
/// On an in-memory database, or with no datasource configured, nothing outlives the app anyway.
fn schema_dropped(entry: &super::spring_config::Entry, config: &SpringConfig) -> Option<Finding> {
    let value = entry.value.trim().to_ascii_lowercase();
    if entry.key != "spring.jpa.hibernate.ddl-auto" || !["create", "create-drop"].contains(&value.as_str()) {
        return None;
    }
    let lasting = |e: &&super::spring_config::Entry| {
        e.key == "spring.datasource.url" && !in_inactive_profile(&e.at) && !e.value.contains(":mem:")
    };
    config.entries.iter().find(lasting)?;
    Some(
        Finding::blocker(
            "migrations-at-start",
            format!(
                "spring.jpa.hibernate.ddl-auto = {value} drops every table at each start: every deploy and every task starting wipes the data"
            ),
            entry.at.clone(),
        )
        .with_fix("set SPRING_JPA_HIBERNATE_DDL_AUTO=validate (or none) and manage the schema with Flyway or Liquibase, run once per release"),
    )
}

/// H2 on the runtime classpath with no datasource set.
fn in_memory_h2(build: &Build, config: &SpringConfig) -> Option<Finding> {
    // With H2 on the classpath and no datasource, Spring Boot runs an in-memory database.
    let datasource = config.entries.iter().any(|e| e.key == "spring.datasource.url" && !in_inactive_profile(&e.at));
    let h2 = match build {
        Build::Maven(_) => build.depends_on("h2"),
        // Gradle: a line that puts H2 on the runtime classpath, not a test's or a comment.
        Build::Gradle(g) => g
            .line_with(|l| {
                let l = l.trim_start();
                l.contains("com.h2database") && !l.starts_with("test") && !l.starts_with("//")
            })
            .map(|(line, _)| format!("{}:{line} com.h2database", g.file)),
    };
    let dependency = h2.filter(|_| !datasource)?;
    let chosen = config.entries.iter().find(|e| e.base && e.value.eq_ignore_ascii_case("h2")).map(|e| e.at.clone());
    Some(
        Finding::blocker(
            "embedded-database",
            "runs an in-memory H2 database (H2 is on the classpath and no datasource is set): every task has its own, empty at each start",
            chosen.unwrap_or(dependency),
        )
        .with_fix("set SPRING_DATASOURCE_URL (and its user and password) to an RDS database"),
    )
}

/// A datasource URL (or its placeholder's default) naming an in-memory H2 database
/// (`jdbc:h2:mem:shop`): set on purpose, it is still one empty database per task.
fn in_memory_url(config: &SpringConfig) -> Option<Finding> {
    let entry = config.entries.iter().find(|e| {
        let value = placeholder_default(&e.value).unwrap_or(&e.value).to_ascii_lowercase();
        e.key.ends_with("datasource.url") && value.contains("jdbc:h2:mem:") && !in_inactive_profile(&e.at)
    })?;
    Some(
        Finding::blocker(
            "embedded-database",
            "the datasource is an in-memory H2 database: every task has its own, empty at each start, and they never see each other's data",
            entry.at.clone(),
        )
        .with_fix("set SPRING_DATASOURCE_URL (and its user and password) to an RDS database"),
    )
}

/// `server.address` on loopback, where the load balancer cannot reach the app.
fn loopback_address(config: &SpringConfig) -> Option<Finding> {
    // `server.address=127.0.0.1` binds the app to loopback, unless a placeholder lets the
    // service set another address.
    let entry = config.get("server.address")?;
    let address = placeholder_default(&entry.value).unwrap_or(&entry.value).trim().to_string();
    matches!(address.as_str(), "127.0.0.1" | "localhost" | "::1").then(|| {
        Finding::blocker(
            "loopback-bind",
            format!(
                "server.address is {address}: the app listens on loopback, where the load balancer cannot reach it"
            ),
            entry.at.clone(),
        )
        .with_fix("drop server.address, or set SERVER_ADDRESS=0.0.0.0 on the service")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_logback_file_appender_writes_to_the_tasks_disk() {
        let logback = "<configuration>\n  <appender name=\"console\" class=\"ch.qos.logback.core.ConsoleAppender\"/>\n  <appender name=\"file\" class=\"ch.qos.logback.core.rolling.RollingFileAppender\">\n    <file>/data/app.log</file>\n  </appender>\n</configuration>\n";
        let files = AppFiles::from_pairs([("src/main/resources/logback.xml", logback)]);
        assert_eq!(file_appender(&files).as_deref(), Some("src/main/resources/logback.xml:3"));
        let console = AppFiles::from_pairs([
            (
                "src/main/resources/logback.xml",
                "<configuration>\n  <appender class=\"ch.qos.logback.core.ConsoleAppender\"/>\n</configuration>\n",
            ),
            ("src/test/resources/logback.xml", logback),
        ]);
        assert_eq!(file_appender(&console), None, "the tests' own logging is theirs");
        let commented = logback
            .replace("  <appender name=\"file\"", "  <!--\n  <appender name=\"file\"")
            .replace("</appender>\n", "</appender>\n  -->\n");
        let off = AppFiles::from_pairs([("src/main/resources/logback.xml", commented.as_str())]);
        assert_eq!(file_appender(&off), None, "commented out");
    }
}
