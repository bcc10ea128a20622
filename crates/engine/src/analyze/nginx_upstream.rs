//! An image that runs nginx in front of the app server in one container: its `EXPOSE 80` is
//! nginx's, and the app server listens where nginx's site proxies to (`proxy_pass
//! http://localhost:8000`). Putting the app server itself on 80 would need root, and leave
//! nginx's static files and headers out.

use crate::analyze::app_files::AppFiles;

/// The port the app server listens on behind the nginx that `dockerfile` installs, when a site
/// in the repository listens on `exposed` and proxies to this machine: the port, and the
/// `path:line` of the proxy.
pub fn proxied_port(files: &AppFiles, dockerfile: &str, exposed: u16) -> Option<(u16, String)> {
    if !dockerfile.to_ascii_lowercase().contains("nginx") {
        return None;
    }
    files.files.iter().filter(|(path, _)| !path.to_ascii_lowercase().contains("dockerfile")).find_map(|(path, text)| {
        if !text.contains("proxy_pass") || !text.lines().any(|line| listens_on(line, exposed)) {
            return None;
        }
        text.lines().enumerate().find_map(|(index, line)| {
            let port = upstream_port(line).filter(|port| *port != exposed)?;
            Some((port, format!("{path}:{}", index + 1)))
        })
    })
}

/// `listen 80;`, `listen 80 default_server;`, `listen [::]:80;`, `listen 0.0.0.0:80;`.
fn listens_on(line: &str, port: u16) -> bool {
    let mut words = line.split_whitespace();
    if words.next() != Some("listen") {
        return false;
    }
    let address = words.next().unwrap_or("").trim_end_matches(';');
    let listened = address.rsplit_once(':').map_or(address, |(_, port)| port);
    listened == port.to_string()
}

/// The local port of `proxy_pass http://127.0.0.1:8000;` or an upstream's `server localhost:8000;`.
fn upstream_port(line: &str) -> Option<u16> {
    let line = line.trim();
    let target = line.strip_prefix("proxy_pass").or_else(|| line.strip_prefix("server "))?;
    let target = target.trim().trim_end_matches(';');
    let host_port = target.split_once("://").map_or(target, |(_, rest)| rest);
    let host_port = host_port.split('/').next().unwrap_or("");
    let (host, port) = host_port.rsplit_once(':')?;
    let local = matches!(host, "127.0.0.1" | "localhost" | "0.0.0.0" | "[::1]");
    local.then(|| port.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_app_server_behind_an_nginx_in_the_same_image() {
        let site = "server {\n    listen 80 default;\n    location /api {\n        proxy_pass http://localhost:8000;\n    }\n}\n";
        let files = AppFiles::from_pairs([("docker/nginx/site.conf", site)]);
        let dockerfile = "FROM python:3.12\nRUN apt-get install -y nginx\nEXPOSE 80\n";
        assert_eq!(proxied_port(&files, dockerfile, 80), Some((8000, "docker/nginx/site.conf:4".to_string())));
        assert_eq!(proxied_port(&files, "FROM python:3.12\nEXPOSE 80\n", 80), None, "no nginx in the image");
        assert_eq!(proxied_port(&files, dockerfile, 8080), None, "the site listens elsewhere");
        let remote = AppFiles::from_pairs([("site.conf", "listen 80;\nproxy_pass http://api:8000;\n")]);
        assert_eq!(proxied_port(&remote, dockerfile, 80), None, "another container's server");
    }
}
