//! go.mod: the Go version and toolchain, the module path, and the modules it requires.

use crate::analyze::source::{Fact, fact, version_in};

/// What go.mod says, each line kept with its number.
#[derive(Debug, Default)]
pub(super) struct GoMod {
    module: Option<String>,
    go: Option<(String, usize)>,
    toolchain: Option<(String, usize)>,
    pub(super) requires: Vec<Require>,
}

#[derive(Debug)]
pub(super) struct Require {
    pub(super) path: String,
    line: usize,
    pub(super) indirect: bool,
}

impl Require {
    pub(super) fn at(&self) -> String {
        format!("go.mod:{}", self.line)
    }
}

impl GoMod {
    pub(super) fn parse(text: &str) -> GoMod {
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
    pub(super) fn version(&self) -> Option<Fact<String>> {
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

    pub(super) fn require(&self, path: &str) -> Option<&Require> {
        self.requires.iter().find(|r| is_module(&r.path, path))
    }

    /// The module path's last element, without a major version suffix (`/v2`).
    pub(super) fn name(&self) -> Option<&str> {
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
pub(super) fn is_module(path: &str, wanted: &str) -> bool {
    path == wanted
        || path
            .strip_prefix(wanted)
            .and_then(|rest| rest.strip_prefix("/v"))
            .is_some_and(|major| !major.is_empty() && major.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::super::{analyze, facts};
    use crate::analyze::app_files::AppFiles;

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
}
