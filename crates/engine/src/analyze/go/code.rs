//! Reading Go code: the port it listens on, without its comments, and its string literals.

use super::EXTENSIONS;
use crate::analyze::app_files::AppFiles;
use crate::analyze::dialed_ports;
use crate::analyze::source::{Fact, fact};

/// Calls that start a server on an address.
pub(super) const SERVE_MARKERS: [&str; 6] =
    ["ListenAndServe(", "ListenAndServeTLS(", ".Run(", ".Listen(", ".Start(", "Serve("];

/// Ports of other services that a line naming a port may be about.
const OTHER_SERVICES: [&str; 14] = [
    "db_", "dbport", "database", "postgres", "mysql", "redis", "smtp", "mail", "grpc", "metrics", "pprof", "debug",
    "dns", "ssh",
];

/// A line of Go without its `//` comment; a `//` inside a string (`"http://..."`) stays.
pub(super) use crate::analyze::slash_comments::without_slash_comment as without_comment;

/// The string literals of a line of Go: `"..."` and `` `...` ``.
pub(super) fn literals(line: &str) -> Vec<&str> {
    let mut found = Vec::new();
    for quote in ['"', '`'] {
        found.extend(line.split(quote).skip(1).step_by(2));
    }
    found
}

/// `:8080`, `0.0.0.0:8080`, `[::]:8080`, and with `loopback` also `localhost:8080`.
pub(super) fn listen_port(literal: &str, loopback: bool) -> Option<u16> {
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
/// With `setting_required`, the app's config refuses to start without its listen setting
/// (`HTTP_PORT`, `env:"HTTP_PORT,required"`): a fallback address (`_defaultAddr = ":80"`) the
/// server package keeps for when it is given none is never the one it listens on.
pub(super) fn port_in_code(files: &AppFiles, setting_required: bool) -> Option<Fact<u16>> {
    app_lines(files).find_map(|(at, line)| {
        if setting_required && without_comment(line).to_ascii_lowercase().contains("default") {
            return None;
        }
        let port = listen_on_line(line)?;
        if debug_listener_at(files, &at) || in_side_server_package(&at) {
            return None;
        }
        // `ListenAndServe(":80", m.HTTPHandler(nil))` beside autocert only sends browsers on
        // to HTTPS: the app itself serves elsewhere.
        let redirect = matches!(port, 80 | 443) && redirects_nearby(files, &at);
        (!redirect).then(|| fact(port, at))
    })
}

/// Whether `at` (`path:line`) sits in a package of a side server (`pkg/grpcserver/`,
/// `internal/metrics/`): the address it defaults to is the gRPC or metrics listener's, which
/// the app starts beside its HTTP server; the load balancer never reaches it.
fn in_side_server_package(at: &str) -> bool {
    let path = at.rsplit_once(':').map_or(at, |(path, _)| path).to_ascii_lowercase();
    let folders = path.rsplit_once('/').map_or("", |(folders, _)| folders);
    folders.split('/').any(|folder| ["grpc", "metrics", "prometheus", "pprof"].iter().any(|side| folder.contains(side)))
}

/// Long names of a command-line flag that sets where the server listens.
pub(super) const LISTEN_FLAGS: [&str; 10] = [
    "listen",
    "listen-port",
    "listen-addr",
    "http-listen",
    "http-port",
    "http-addr",
    "web-port",
    "server-port",
    "addr",
    "bind-addr",
];

/// The default of the server's listen flag as a go-flags struct tag declares it
/// (`HTTPPort uint \`long:"listen" default:"8081"\``, or `default:":8081"`): what the server
/// listens on when started without the flag. A flag named `port` counts only when its
/// description says it is the HTTP server's, since a tool's `--port` is often a database's.
pub(super) fn port_of_listen_flag(files: &AppFiles) -> Option<Fact<u16>> {
    app_lines(files).find_map(|(at, line)| {
        let long = tag_value(line, "long")?;
        let lower = line.to_ascii_lowercase();
        let http_port = long == "port" && (lower.contains("http") || lower.contains("listen"));
        if !(LISTEN_FLAGS.contains(&long) || http_port) || OTHER_SERVICES.iter().any(|s| long.contains(s)) {
            return None;
        }
        let default = tag_value(line, "default")?;
        let port = default.parse::<u16>().ok().filter(|p| *p != 0).or_else(|| listen_port(default, true))?;
        Some(fact(port, at))
    })
}

/// The value of `name:"..."` in a Go struct tag on the line.
pub(super) fn tag_value<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let marker = format!("{name}:\"");
    let start = line
        .match_indices(&marker)
        .find(|(at, _)| *at == 0 || !line[..*at].ends_with(|c: char| c.is_alphanumeric() || c == '-'))?
        .0
        + marker.len();
    line[start..].split('"').next()
}

/// The lines of the server itself: not tests, tools or examples beside it.
fn app_lines(files: &AppFiles) -> impl Iterator<Item = (String, &str)> {
    crate::analyze::source::app_code_lines(files, &EXTENSIONS)
}

/// Whether the lines around `at` (`path:line`) speak of redirects or certificates.
fn redirects_nearby(files: &AppFiles, at: &str) -> bool {
    let Some((path, line)) = at.rsplit_once(':') else { return false };
    let (Some(text), Ok(line)) = (files.get(path), line.parse::<usize>()) else { return false };
    text.lines().skip(line.saturating_sub(4)).take(7).any(|l| {
        let lower = l.to_ascii_lowercase();
        lower.contains("redirect") || lower.contains("autocert") || lower.contains("httphandler")
    })
}

/// Whether the listener at `at` (`path:line`) is a profiling or debugging side door.
fn debug_listener_at(files: &AppFiles, at: &str) -> bool {
    let Some((path, line)) = at.rsplit_once(':') else { return false };
    let (Some(text), Ok(line)) = (files.get(path), line.parse::<usize>()) else { return false };
    let lines: Vec<&str> = text.lines().collect();
    debug_listener(text, &lines, line.saturating_sub(1))
}

/// Whether the listener on line `index` serves pprof or a debug endpoint, not the app: pprof
/// named on it or on the few lines that guard it (`if cfg.EnablePprof { go func() {`), or a
/// loopback listener on the default mux of a file that imports `net/http/pprof`, which is
/// what registers on that mux. Such a listener is usually off by default and never the one
/// the load balancer reaches, so it sets neither the port nor a loopback finding.
pub(super) fn debug_listener(text: &str, lines: &[&str], index: usize) -> bool {
    let Some(line) = lines.get(index) else { return false };
    let code = without_comment(line);
    let loopback = literals(code).iter().any(|l| l.starts_with("127.0.0.1:") || l.starts_with("localhost:"));
    let guard = lines[index.saturating_sub(4)..=index]
        .iter()
        .map(|l| l.to_ascii_lowercase())
        .any(|l| l.contains("pprof") || l.contains("profil") || (loopback && l.contains("debug")));
    let default_mux = code.replace(' ', "").contains(",nil)");
    guard || (loopback && default_mux && text.contains("\"net/http/pprof\""))
}

/// A number that only a variable's name says is a port (`port := 8080`): weaker than a listen
/// address or a port setting's default, so it is asked last.
pub(super) fn port_named_in_code(files: &AppFiles) -> Option<Fact<u16>> {
    let named: Vec<Fact<u16>> = app_lines(files)
        .filter(|(at, _)| !in_service_function(files, at))
        .filter_map(|(at, line)| {
            port_on_line(line).filter(|port| !dialed_ports::is_dialed(*port)).map(|port| fact(port, at))
        })
        .collect();
    // `DefaultPort = 8080` in `config/web` over a `timeoutPort` met first in `client/`: a name
    // or a folder that speaks of serving says which of several is the app's.
    let serving = |found: &&Fact<u16>| {
        let line = found.source.rsplit_once(':').and_then(|(path, n)| {
            files.get(path).and_then(|text| text.lines().nth(n.parse::<usize>().ok()?.checked_sub(1)?))
        });
        let said = format!("{} {}", found.source, line.unwrap_or("")).to_ascii_lowercase();
        SERVING_WORDS.iter().any(|word| said.contains(word))
    };
    named.iter().find(serving).or(named.first()).cloned()
}

/// Words in a port's name or path that speak of the app's own server.
const SERVING_WORDS: [&str; 6] = ["http", "web", "server", "listen", "default", "api"];

/// Whether the line at `at` (`path:line`) sits in a function named for another service
/// (`func (i *InitDB) MysqlEmptyDsn() string {` filling in `i.Port = "3306"`): a port there
/// is the database's.
fn in_service_function(files: &AppFiles, at: &str) -> bool {
    let Some((path, line)) = at.rsplit_once(':') else { return false };
    let (Some(text), Ok(line)) = (files.get(path), line.parse::<usize>()) else { return false };
    let lines: Vec<&str> = text.lines().take(line).collect();
    lines.iter().rev().find(|l| l.starts_with("func ")).is_some_and(|func| {
        let name = func.split('(').filter(|part| !part.trim().is_empty()).nth(usize::from(func.starts_with("func (")));
        let lower = name.unwrap_or(func).to_ascii_lowercase();
        lower.contains("dsn") || OTHER_SERVICES.iter().any(|service| lower.contains(service))
    })
}

fn listen_on_line(line: &str) -> Option<u16> {
    let code = without_comment(line);
    let serves = SERVE_MARKERS.iter().any(|m| code.contains(m));
    let lower = code.to_ascii_lowercase();
    if serves || lower.contains("addr") || lower.contains("listen") {
        return literals(code).iter().find_map(|l| listen_port(l, serves));
    }
    None
}

fn port_on_line(line: &str) -> Option<u16> {
    let code = without_comment(line);
    let lower = code.to_ascii_lowercase();
    let names_a_port = lower.match_indices("port").any(|(i, _)| port_is_a_word(code, i));
    // `if port == 80 {`, `if p.Port < 1 || p.Port > 65535 {`: a comparison tests a port the
    // code is given, and a range check's bound is no port at all; neither sets one.
    let compares = ["==", "!=", "<=", ">=", " < ", " > "].iter().any(|op| code.contains(op));
    if !names_a_port || compares || OTHER_SERVICES.iter().any(|s| lower.contains(s)) {
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

/// Whether the `port` at byte `i` of `code` is a word of its own: `port :=`, `PORT`,
/// `DB_PORT`, `httpPort`, `HTTPPort`, but not the inside of `transport`, `report`, `import`,
/// `EXPORT` or `PORTAL`. Capitals mark a word's start only in camelCase (`Port` then lower
/// case); in SCREAMING_CASE only an underscore or a non-letter does.
fn port_is_a_word(code: &str, i: usize) -> bool {
    let word = &code[i..i + 4];
    let before = code[..i].chars().next_back();
    let after = code[i + 4..].chars().next();
    let letter = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphabetic());
    // `PORTS` is still the word; `PORTAL` is another.
    let another_word_follows = after.is_some_and(|c| c.is_ascii_alphabetic() && c != 'S');
    match word {
        "PORT" => !letter(before) && !another_word_follows,
        "Port" => !after.is_some_and(|c| c.is_ascii_lowercase() && c != 's'),
        _ => !letter(before) && !after.is_some_and(|c| c.is_ascii_lowercase() && c != 's'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            ("ERROR_EXPORT_TAG_FAIL = 10009", None),
            ("PORTAL_ITEMS = 20", None),
            ("HTTP_PORT = 8090", Some(8090)),
            ("HTTPPort = 8091", Some(8091)),
        ] {
            assert_eq!(listen_on_line(line).or_else(|| port_on_line(line)), port, "{line}");
        }
    }

    #[test]
    fn a_pprof_listener_is_not_the_server() {
        let text = "import _ \"net/http/pprof\"\nfunc main() {\n\tif cfg.EnablePprof {\n\t\tgo func() {\n\t\t\t_ = http.ListenAndServe(\"127.0.0.1:6060\", nil)\n\t\t}()\n\t}\n\thttp.ListenAndServe(\":3000\", r)\n}\n";
        let lines: Vec<&str> = text.lines().collect();
        assert!(debug_listener(text, &lines, 4));
        assert!(!debug_listener(text, &lines, 7));
        let bare = "import _ \"net/http/pprof\"\ngo http.ListenAndServe(\"localhost:6061\", nil)\n";
        assert!(debug_listener(bare, &bare.lines().collect::<Vec<_>>(), 1));
        let app = AppFiles::from_pairs([("main.go", text)]);
        assert_eq!(port_in_code(&app, false), Some(fact(3000, "main.go:8")));
    }

    #[test]
    fn comments_end_at_slashes_outside_strings() {
        assert_eq!(without_comment("r.Run(\":8080\") // was :9090"), "r.Run(\":8080\") ");
        assert_eq!(without_comment("u := \"http://10.0.0.1/x\" // note"), "u := \"http://10.0.0.1/x\" ");
        assert_eq!(without_comment("s := `a\\` // b"), "s := `a\\` ");
        assert_eq!(without_comment("q := \"say \\\"//\\\"\""), "q := \"say \\\"//\\\"\"");
    }

    #[test]
    fn the_listen_flag_default_is_the_port_not_a_database_flag() {
        let options = "type Options struct {\n\tPort uint `long:\"port\" description:\"Database server port\" default:\"5432\"`\n\tListen uint `long:\"listen\" description:\"HTTP listen port\" default:\"7070\"`\n}\n";
        let app = AppFiles::from_pairs([("cli/options.go", options)]);
        assert_eq!(port_of_listen_flag(&app), Some(fact(7070, "cli/options.go:3")));
        assert_eq!(tag_value("X string `long:\"bind\" default:\"localhost\"`", "default"), Some("localhost"));
    }

    #[test]
    fn a_dialed_port_is_not_the_apps_and_a_serving_name_wins() {
        let client = "package client\n\nconst (\n\ttimeoutPort = 7000\n\tdnsPort = 53\n)\n";
        let web = "package web\n\nconst (\n\tDefaultPort = 8080\n)\n";
        let app = AppFiles::from_pairs([("client/client.go", client), ("config/web/web.go", web)]);
        assert_eq!(port_named_in_code(&app), Some(fact(8080, "config/web/web.go:4")));
        let only_dns =
            AppFiles::from_pairs([("client/client.go", "package client\nconst smtpServerPort = 587\nvar port = 53\n")]);
        assert_eq!(port_named_in_code(&only_dns), None);
    }

    #[test]
    fn transport_and_report_are_not_ports() {
        assert_eq!(port_on_line("client := &http.Client{Transport: &http.Transport{MaxIdleConns: 100}}"), None);
        assert_eq!(port_on_line("report := 42"), None);
        assert_eq!(port_on_line("httpPort := 9090"), Some(9090));
    }

    #[test]
    fn a_range_checks_bound_is_no_port() {
        assert_eq!(port_on_line("if s.Port < 1 || s.Port > 65535 {"), None);
        assert_eq!(port_on_line("if port >= 1024 {"), None);
    }
}
