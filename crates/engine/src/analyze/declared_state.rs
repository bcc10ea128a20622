//! What the repository's own container setup says the app needs from its host: the state its
//! Dockerfile's `VOLUME`s and its compose service's named volumes keep on disk, and the host's
//! Docker socket. Maintainers declare a volume where the app writes what must outlive the
//! container; a task's disk does not.

use crate::analyze::app_files::AppFiles;
use crate::analyze::container_start::{dockerfiles, is_elsewhere};
use crate::model::{Finding, FindingLevel};

/// Last path segments of folders that hold an app's data or what its users upload, rather than
/// caches or keys it can make again.
const DATA_FOLDERS: [&str; 11] =
    ["data", "datastore", "db", "database", "state", "storage", "var", "store", "uploads", "upload", "attachments"];

/// Last path segments of folders that hold the settings an operator mounts, not state.
const SETTINGS_FOLDERS: [&str; 6] = ["config", "configs", "conf", "etc", "settings", "cfg"];

/// Images of services that are dependencies, not the app (their volumes are theirs).
const DEPENDENCY_IMAGES: [&str; 10] =
    ["postgres", "mysql", "mariadb", "redis", "mongo", "minio", "rabbitmq", "elasticsearch", "memcached", "valkey"];

/// Developer tools run beside an app in compose: database consoles, mail catchers, dashboards,
/// and the monitoring stack that watches it (its metrics and traces are the tools' own).
const TOOL_IMAGES: [&str; 21] = [
    "prometheus",
    "opentelemetry",
    "grafana",
    "loki",
    "jaeger",
    "tempo",
    "zipkin",
    "otel",
    "localstack",
    "pgadmin",
    "adminer",
    "phpmyadmin",
    "mailhog",
    "mailpit",
    "maildev",
    "smtp4dev",
    "redis-commander",
    "redisinsight",
    "mongo-express",
    "portainer",
    "kafka-ui",
];

/// One finding for the first volume the repository declares for the app, naming it. A folder
/// the start command is given, or a data folder the app's compose service mounts, is a blocker:
/// the app runs on it. A Dockerfile's volume may serve an optional mode (local file storage
/// beside S3), and other folders (media, keys) may be rebuilt: those warn.
pub fn finding(files: &AppFiles, start: &[String]) -> Option<Finding> {
    let (folder, source, composed) = dockerfile_volume(files)
        .map(|(folder, source)| (folder, source, false))
        .or_else(|| compose_volume(files).map(|(folder, source)| (folder, source, true)))?;
    let last = folder.trim_end_matches('/').rsplit('/').next().unwrap_or("").to_ascii_lowercase();
    let named_at_start = start.iter().any(|word| word.trim_end_matches('/') == folder.trim_end_matches('/'));
    let blocks = named_at_start || (composed && DATA_FOLDERS.contains(&last.as_str()));
    let level = if blocks { FindingLevel::Blocker } else { FindingLevel::Warning };
    Some(
        Finding::new(
            level,
            "local-disk-writes",
            format!(
                "the repository's own container keeps state in a volume at {folder}: a task's disk is its own and is lost when the task stops"
            ),
            source,
        )
        .with_fix("keep that state in a managed store (RDS, S3), or mount an EFS volume there and run one task"),
    )
}

/// A blocker when the app's own compose service mounts the host's Docker socket: the app
/// drives the host's Docker (a compose manager, a CI runner), and a Fargate task has no host
/// daemon to reach. Only the service that is the app counts (a proxy reading labels does not).
pub fn docker_socket(files: &AppFiles) -> Option<Finding> {
    let folder = folder_name(files);
    compose_files(files).find_map(|(path, text)| {
        let services = services(text);
        let app = services
            .iter()
            .find(|s| s.builds && !s.is_a_store())
            .or_else(|| services.iter().find(|s| !s.name.is_empty() && folder == s.name.to_ascii_lowercase()))?;
        let line = app.docker_socket?;
        Some(
            Finding::blocker(
                "host-docker-socket",
                "mounts the host's Docker socket (/var/run/docker.sock): it drives the host's Docker, and a task has no host daemon to reach",
                format!("{path}:{line}"),
            )
            .with_fix("run it on an EC2 instance with Docker; an Express Mode service cannot host it"),
        )
    })
}

fn compose_files(files: &AppFiles) -> impl Iterator<Item = (&String, &String)> {
    files.files.iter().filter(|(path, _)| {
        let name = path.rsplit('/').next().unwrap_or(path);
        (name.starts_with("docker-compose") || name.starts_with("compose"))
            && (name.ends_with(".yml") || name.ends_with(".yaml"))
            && !is_elsewhere(path)
    })
}

/// The analysed folder's own name, lower-case: it names the app among a compose file's services.
fn folder_name(files: &AppFiles) -> String {
    files
        .root
        .as_ref()
        .and_then(|root| root.file_name())
        .map(|name| name.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// The first folder a Dockerfile `VOLUME` declares: `VOLUME /data`, `VOLUME ["/a", "/b"]`.
fn dockerfile_volume(files: &AppFiles) -> Option<(String, String)> {
    dockerfiles(files).into_iter().find_map(|(path, text)| {
        text.lines().enumerate().find_map(|(index, line)| {
            let rest = line.trim().strip_prefix("VOLUME").filter(|r| r.starts_with([' ', '\t']))?;
            let folder = rest
                .split([' ', '[', ']', ',', '"', '\\'])
                .filter(|word| word.starts_with('/') || word.starts_with('$'))
                .find(|word| !is_scratch(word) && !is_dependency_folder(word) && !holds_code(files, word))?
                .to_string();
            Some((folder, format!("{path}:{}", index + 1)))
        })
    })
}

/// A temporary folder (`VOLUME /tmp`, which Spring Boot's guides declare for Tomcat's work
/// files): what lands there is scratch that a restart may drop, not state the app keeps; so is
/// a settings folder, which the app only reads.
fn is_scratch(folder: &str) -> bool {
    let last = folder.trim_end_matches('/').rsplit('/').next().unwrap_or("").to_ascii_lowercase();
    // `VOLUME /app/config`: where an operator mounts the settings file, read, not written; a
    // task takes its settings from the service's variables instead.
    // `/root/.cache/pre-commit`: a cache a tool fills again, not state.
    let cache = folder.split('/').any(|segment| segment == ".cache");
    matches!(folder.trim_end_matches('/'), "/tmp" | "/var/tmp") || SETTINGS_FOLDERS.contains(&last.as_str()) || cache
}

/// `VOLUME /usr/src/parse/cloud` over the repository's `cloud/` of code: where an operator
/// mounts code of their own (Cloud Code, plugins), read by the app, not state it writes.
fn holds_code(files: &AppFiles, folder: &str) -> bool {
    let last = folder.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    const CODE: [&str; 8] = [".js", ".ts", ".mjs", ".cjs", ".py", ".go", ".java", ".rb"];
    !last.is_empty()
        && !DATA_FOLDERS.contains(&last.to_ascii_lowercase().as_str())
        && files.files.keys().any(|path| {
            path.strip_prefix(last).is_some_and(|rest| rest.starts_with('/'))
                && CODE.iter().any(|extension| path.ends_with(extension))
        })
}

/// A folder of installed dependencies (`- /app/node_modules`, a dev compose file's anonymous
/// volume that keeps the image's packages from the bind mount): rebuilt by every install, no
/// state the app keeps.
fn is_dependency_folder(folder: &str) -> bool {
    let last = folder.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    matches!(last, "node_modules" | "vendor" | ".venv" | "venv" | "site-packages" | "bower_components")
}

/// The first named volume a compose file mounts into a service that is the app (built here,
/// or an image that is not a dependency's): `- app-data:/datastore`.
fn compose_volume(files: &AppFiles) -> Option<(String, String)> {
    // The folder's own name picks the app among several services (`scoold` beside `para`).
    let folder = folder_name(files);
    for (path, text) in compose_files(files) {
        let candidates: Vec<Service> =
            services(text).into_iter().filter(|s| !s.dependency && !s.tool && !s.is_a_store()).collect();
        let named = |s: &&Service| !s.name.is_empty() && folder.contains(&s.name.to_ascii_lowercase());
        let app = candidates.iter().find(|s| s.builds).or_else(|| candidates.iter().find(named));
        // Without a service that is recognisably the app, only the main compose file's images
        // stand for it: `docker-compose-whisper.yml` runs an add-on another project ships.
        let chosen: Vec<&Service> = match app {
            Some(app) => vec![app],
            None if main_compose(path) => candidates.iter().collect(),
            None => Vec::new(),
        };
        let state = |s: &Service| {
            s.named_volumes.iter().find(|(_, target)| !is_dependency_folder(target) && !is_scratch(target)).cloned()
        };
        if let Some((line, folder)) = chosen.into_iter().find_map(state) {
            return Some((folder, format!("{path}:{line}")));
        }
    }
    None
}

/// `docker-compose.yml`, `compose.yaml`, or their production variant: the app's own stack.
pub(crate) fn main_compose(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let stem = name.trim_end_matches(".yml").trim_end_matches(".yaml");
    let stem = stem.strip_prefix("docker-").unwrap_or(stem);
    matches!(stem, "compose" | "compose.prod" | "compose.production" | "compose-prod" | "compose-production")
}

pub(crate) struct Service {
    name: String,
    /// Built from this repository (`build:`): the app itself.
    builds: bool,
    /// Built from the repository root (`build: .`, `context: .`).
    pub(crate) builds_the_root: bool,
    /// The line index of its `command:` key.
    pub(crate) command_line: Option<usize>,
    dependency: bool,
    /// An image of a developer's tool beside the app (pgadmin, adminer, mailhog): its volume
    /// holds the tool's settings, not the app's state.
    tool: bool,
    named_volumes: Vec<(usize, String)>,
    /// The line that mounts the host's Docker socket into it.
    docker_socket: Option<usize>,
}

/// Folders database servers keep their data in: a volume there is the database's.
const STORE_DATA_FOLDERS: [&str; 8] = [
    "/var/lib/postgresql",
    "/var/lib/mysql",
    "/data/db",
    "/bitnami",
    "/var/lib/redis",
    "/var/lib/mongodb",
    // Search engines' own data folders (an ELK stack's `elasticsearch` built from a folder).
    "/usr/share/elasticsearch",
    "/usr/share/opensearch",
];

impl Service {
    /// A service as its name is read, before its settings; a developer tool may be named so.
    fn named(name: String) -> Service {
        let tool = TOOL_IMAGES.iter().any(|t| name.to_ascii_lowercase().starts_with(t));
        Service {
            name,
            builds: false,
            builds_the_root: false,
            command_line: None,
            dependency: false,
            tool,
            named_volumes: Vec::new(),
            docker_socket: None,
        }
    }

    /// What a line says of how the service is built (`build: .`) and where its `command:` is.
    fn note_build_and_command(&mut self, code: &str, index: usize) {
        if code.starts_with("build") {
            self.builds = true;
        }
        let root = |value: &str| matches!(value.trim().trim_matches(['"', '\'']), "." | "./");
        if code.strip_prefix("build:").or_else(|| code.strip_prefix("context:")).is_some_and(root) {
            self.builds_the_root = true;
        }
        if code.starts_with("command:") && self.command_line.is_none() {
            self.command_line = Some(index);
        }
    }

    /// A database built from the repository (`unleash-postgres` with `build: ./docker/local-postgres`)
    /// is still a database: named for one, or keeping its volume where a database server does.
    fn is_a_store(&self) -> bool {
        let lower = self.name.to_ascii_lowercase();
        // The last word names what it is (`unleash-postgres`; `mongo-express` is a web app).
        let last = lower.rsplit(['-', '_']).next().unwrap_or("");
        // A service named just `redis` (built from `docker/redis/redis.Dockerfile`) is one too.
        let named = DEPENDENCY_IMAGES.iter().any(|d| lower == *d || lower.contains(['-', '_']) && last.starts_with(d));
        let keeps =
            self.named_volumes.iter().any(|(_, target)| STORE_DATA_FOLDERS.iter().any(|f| target.starts_with(f)));
        named || keeps
    }
}

/// The services of a compose file, read by indentation: each one's image and the named volumes
/// in its `volumes:` list.
pub(crate) fn services(text: &str) -> Vec<Service> {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let mut services: Vec<Service> = Vec::new();
    let mut in_services = false;
    let mut service_indent = None;
    let mut volumes_indent: Option<usize> = None;
    // A long-form list item (`- type: volume` then `target: /data`): its line and whether it
    // is a named volume.
    let mut long_item: Option<(usize, bool)> = None;
    for (index, line) in text.lines().enumerate() {
        let code = line.trim();
        if code.is_empty() || code.starts_with('#') {
            continue;
        }
        let level = indent(line);
        if level == 0 {
            in_services = code == "services:";
            service_indent = None;
            continue;
        }
        if !in_services {
            continue;
        }
        if service_indent.is_none_or(|i| level <= i) && code.ends_with(':') && !code.starts_with('-') {
            service_indent = Some(level);
            volumes_indent = None;
            services.push(Service::named(code.trim_end_matches(':').trim_matches(['"', '\'']).to_string()));
            long_item = None;
            continue;
        }
        let Some(service) = services.last_mut() else { continue };
        if volumes_indent.is_some_and(|i| level <= i) {
            volumes_indent = None;
        }
        if volumes_indent.is_some()
            && let Some(kind) = code.strip_prefix("- type:")
        {
            long_item = Some((index + 1, kind.trim() == "volume"));
            continue;
        }
        if let (Some((at, volume)), Some(target)) = (long_item, code.strip_prefix("target:")) {
            if volume && volumes_indent.is_some() {
                service.named_volumes.push((at, target.trim().to_string()));
            }
            long_item = None;
            continue;
        }
        service.note_build_and_command(code, index);
        if let Some(image) = code.strip_prefix("image:") {
            let name = image.trim().trim_matches(['"', '\'']).rsplit('/').next().unwrap_or("").to_ascii_lowercase();
            service.dependency = DEPENDENCY_IMAGES.iter().any(|d| name.starts_with(d));
            service.tool |= TOOL_IMAGES.iter().any(|t| name.starts_with(t));
        } else if code == "volumes:" {
            volumes_indent = Some(level);
        } else if volumes_indent.is_some()
            && let Some(item) = code.strip_prefix("- ")
            && item.trim_matches(['"', '\'']).starts_with("/var/run/docker.sock")
        {
            service.docker_socket = Some(index + 1);
        } else if volumes_indent.is_some()
            && let Some(item) = code.strip_prefix("- ")
            && let Some((source, target)) = item.trim_matches(['"', '\'']).split_once(':')
            // A named volume; a bind mount of the working tree is for development.
            && !source.starts_with(['.', '/', '~', '$'])
        {
            let target = target.split(':').next().unwrap_or(target);
            service.named_volumes.push((index + 1, target.to_string()));
        }
    }
    services
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(pairs: &[(&str, &str)], start: &[&str]) -> Option<(FindingLevel, String)> {
        let start: Vec<String> = start.iter().map(|s| s.to_string()).collect();
        finding(&AppFiles::from_pairs(pairs.iter().copied()), &start).map(|f| (f.level, f.source))
    }

    #[test]
    fn a_compose_volume_of_the_app_not_of_its_database() {
        let compose = "services:\n  db:\n    image: postgres:16\n    volumes:\n      - pg-data:/var/lib/postgresql/data\n  watcher:\n    build: .\n    volumes:\n      - ./config.json:/app/config.json\n      - watcher-data:/datastore\n    ports:\n      - 5000:5000\nvolumes:\n  pg-data:\n  watcher-data:\n";
        assert_eq!(
            found(&[("docker-compose.yml", compose)], &["python", "watch.py", "-d", "/datastore"]),
            Some((FindingLevel::Blocker, "docker-compose.yml:10".into()))
        );
    }

    #[test]
    fn a_settings_volume_is_no_state() {
        let dockerfile = "FROM node:18\nWORKDIR /app\nVOLUME /app/config\nCMD [\"node\", \"server.js\"]\n";
        assert_eq!(found(&[("Dockerfile", dockerfile)], &[]), None);
        let both = dockerfile.replace("VOLUME /app/config", "VOLUME [\"/app/config\", \"/app/data\"]");
        assert_eq!(found(&[("Dockerfile", &both)], &[]), Some((FindingLevel::Warning, "Dockerfile:3".into())));
        let compose = "services:\n  app:\n    build: .\n    volumes:\n      - notes:/app/data\nvolumes:\n  notes:\n";
        assert_eq!(
            found(&[("Dockerfile", dockerfile), ("docker-compose.yml", compose)], &[]),
            Some((FindingLevel::Blocker, "docker-compose.yml:5".into())),
            "the compose file's data volume still counts"
        );
    }

    #[test]
    fn a_compose_volume_for_uploads_blocks() {
        let compose = "services:\n  app:\n    image: acme/maps:latest\n    volumes:\n      - data:/srv/maps/uploads\nvolumes:\n  data:\n";
        let media = compose.replace("uploads", "media");
        assert_eq!(
            found(&[("docker-compose.yml", compose)], &[]),
            Some((FindingLevel::Blocker, "docker-compose.yml:5".into())),
            "what users upload is lost with the task"
        );
        assert_eq!(
            found(&[("docker-compose.yml", &media)], &[]),
            Some((FindingLevel::Warning, "docker-compose.yml:5".into()))
        );
    }

    #[test]
    fn a_volume_for_installed_packages_is_no_state() {
        let compose = "services:\n  api:\n    build: .\n    volumes:\n      - .:/srv/app\n      - deps:/srv/app/node_modules\n    ports:\n      - 3000:3000\nvolumes:\n  deps:\n";
        assert_eq!(found(&[("docker-compose.yml", compose)], &["node", "dist/main"]), None);
        let dockerfile = "FROM node:20\nVOLUME /srv/app/node_modules\nCMD [\"node\", \"main.js\"]\n";
        assert_eq!(found(&[("Dockerfile", dockerfile)], &["node", "main.js"]), None);
    }

    #[test]
    fn the_apps_service_drives_the_hosts_docker() {
        let compose = "services:\n  dockge:\n    image: louislam/dockge:1\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n      - ./data:/app/data\n";
        let mut files = AppFiles::from_pairs([("compose.yaml", compose)]);
        files.root = Some(std::path::PathBuf::from("/src/dockge"));
        assert_eq!(docker_socket(&files).map(|f| f.source), Some("compose.yaml:5".into()));
        let proxy = "services:\n  proxy:\n    image: traefik:3.6\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n  backend:\n    build: ./backend\n";
        assert_eq!(docker_socket(&AppFiles::from_pairs([("compose.yml", proxy)])), None, "the proxy's, not the app's");
    }

    #[test]
    fn a_tool_beside_the_app_is_not_the_app() {
        let compose = "services:\n  db:\n    image: postgres:16\n    volumes:\n      - db:/var/lib/postgresql/data\n  \
                       pgadmin:\n    image: dpage/pgadmin4\n    volumes:\n      - pgadmin:/var/lib/pgadmin\n  \
                       mail:\n    image: mailhog/mailhog\n    volumes:\n      - mail:/maildir\n";
        assert_eq!(found(&[("docker-compose.yml", compose)], &[]), None);
    }

    #[test]
    fn a_dependency_built_from_the_repository_under_its_own_name_is_not_the_app() {
        let compose = "services:\n  redis:\n    build:\n      context: .\n      dockerfile: docker/redis/redis.Dockerfile\n    volumes:\n      - redis-data:/data\n  api:\n    build:\n      context: .\n    ports:\n      - 3000:3000\nvolumes:\n  redis-data:\n";
        let files = AppFiles::from_pairs([("docker-compose.yml", compose)]);
        assert!(finding(&files, &[]).is_none());
    }

    #[test]
    fn a_database_built_from_the_repository_is_not_the_app() {
        let compose = "services:\n  unleash-postgres:\n    build:\n      context: ./docker/local-postgres\n    volumes:\n      - unleash-postgres-data:/var/lib/postgresql/data\nvolumes:\n  unleash-postgres-data:\n";
        assert_eq!(found(&[("docker-compose.postgres.yml", compose)], &["node", "dist/server.js"]), None);
    }

    #[test]
    fn long_form_volumes_of_the_service_the_folder_is_named_for() {
        let compose = "services:\n  para:\n    image: erudikaltd/para:latest\n    volumes:\n      - type: volume\n        source: paraData\n        target: /para/data\n  scoold:\n    image: erudikaltd/scoold:latest\n    volumes:\n      - type: bind\n        source: ./scoold.conf\n        target: /scoold/application.conf\n";
        let mut files = AppFiles::from_pairs([("docker-compose.yml", compose)]);
        assert_eq!(
            finding(&files, &[]).map(|f| (f.source, f.message.contains("/para/data"))),
            Some(("docker-compose.yml:5".into(), true)),
            "a long-form volume names its target"
        );
        files.root = Some(std::path::PathBuf::from("/src/scoold"));
        assert!(finding(&files, &[]).is_none(), "the para service's volume is para's, not scoold's");
    }

    #[test]
    fn an_add_on_compose_file_runs_another_projects_image() {
        let whisper = "services:\n  speech:\n    image: ghcr.io/acme/speech-server:latest-cpu\n    volumes:\n      - speech-data:/srv/speech/data\nvolumes:\n  speech-data:\n";
        assert_eq!(found(&[("docker-compose-whisper.yml", whisper)], &[]), None);
        assert!(found(&[("docker-compose.yml", whisper)], &[]).is_some(), "the main file's only service is the app");
    }

    #[test]
    fn a_dockerfile_volume_blocks_when_the_app_is_started_on_it() {
        let data = "FROM python:3.12\nVOLUME [\"/usr/src/app/data\", \\\n        \"/usr/src/app/media\"]\n";
        assert_eq!(found(&[("Dockerfile", data)], &[]), Some((FindingLevel::Warning, "Dockerfile:2".into())));
        let started = ["/app/server", "--data", "/usr/src/app/data"];
        assert_eq!(found(&[("Dockerfile", data)], &started), Some((FindingLevel::Blocker, "Dockerfile:2".into())));
        let keys = "FROM golang:1.23\nVOLUME /go/keys\n";
        assert_eq!(found(&[("Dockerfile", keys)], &[]), Some((FindingLevel::Warning, "Dockerfile:2".into())));
        assert_eq!(found(&[("Dockerfile", "FROM node:22\n")], &[]), None);
    }

    #[test]
    fn a_volume_over_a_folder_of_code_a_cache_or_a_monitor_is_no_state() {
        let dockerfile = "FROM node:20\nVOLUME [\"/usr/src/parse/cloud\", \"/usr/src/parse/logs\"]\n";
        let files = [("Dockerfile", dockerfile), ("cloud/main.ts", "Parse.Cloud.define('hello', () => 'hi');\n")];
        assert_eq!(found(&files, &[]).map(|(_, at)| at), Some("Dockerfile:2".into()));
        let message = finding(&AppFiles::from_pairs(files), &[]).unwrap().message;
        assert!(message.contains("/usr/src/parse/logs"), "{message}");
        let dev = "services:\n  app:\n    build: .\n    volumes:\n      - cache:/root/.cache/pre-commit/\nvolumes:\n  cache:\n";
        assert_eq!(found(&[("docker-compose.yml", dev)], &[]), None);
        let monitor = "services:\n  prometheus:\n    image: prom/prometheus:v3\n    volumes:\n      - prometheus_data:/prometheus\n";
        assert_eq!(found(&[("docker-compose.yml", monitor)], &[]), None);
    }

    #[test]
    fn a_temporary_folder_volume_is_no_state() {
        let scratch = "FROM eclipse-temurin:21\nVOLUME /tmp\nCOPY app.jar /app.jar\n";
        assert_eq!(found(&[("Dockerfile", scratch)], &[]), None);
        let both = "FROM eclipse-temurin:21\nVOLUME [\"/tmp\", \"/srv/uploads\"]\n";
        assert_eq!(found(&[("Dockerfile", both)], &[]), Some((FindingLevel::Warning, "Dockerfile:2".into())));
    }
}
