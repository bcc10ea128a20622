//! Which Go files the image's build compiles: `go build` on linux/amd64 with no `-tags`. A
//! file behind `//go:build debug`, `windows` or `!linux`, or named `_windows.go`, is not in
//! the binary, so its reads, routes and findings are not the service's.

/// Tags a default linux/amd64 build satisfies. `cgo` counts: a constraint on it picks the
/// cgo or the pure-Go half of one package, and either may be built.
const SATISFIED: [&str; 5] = ["linux", "amd64", "unix", "gc", "cgo"];

const OTHER_SYSTEMS: [&str; 16] = [
    "windows",
    "darwin",
    "freebsd",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "android",
    "ios",
    "js",
    "wasip1",
    "aix",
    "dragonfly",
    "illumos",
    "hurd",
    "zos",
];
const OTHER_ARCHES: [&str; 14] = [
    "386", "arm", "arm64", "ppc64", "ppc64le", "mips", "mipsle", "mips64", "mips64le", "s390x", "wasm", "riscv64",
    "loong64", "armbe",
];

/// Whether the default build leaves the Go file at `path` out.
pub(crate) fn excluded(path: &str, text: &str) -> bool {
    excluded_by_name(path) || constraint(text).is_some_and(|expression| !satisfied(&expression))
}

/// `x_windows.go`, `x_arm64.go`, `x_darwin_arm64.go`: constraints in the name.
fn excluded_by_name(path: &str) -> bool {
    let stem = path.rsplit('/').next().unwrap_or(path).trim_end_matches(".go");
    let parts: Vec<&str> = stem.split('_').skip(1).collect();
    let other = |part: &str| OTHER_SYSTEMS.contains(&part) || OTHER_ARCHES.contains(&part);
    match parts.as_slice() {
        // `_GOOS_GOARCH` counts only as a pair; `_js_thing` is no constraint.
        [.., system, arch]
            if (OTHER_SYSTEMS.contains(system) || *system == "linux") && (other(arch) || *arch == "amd64") =>
        {
            other(system) || other(arch)
        }
        [.., last] => other(last),
        [] => false,
    }
}

/// The `//go:build` expression above the package clause.
fn constraint(text: &str) -> Option<String> {
    text.lines()
        .take_while(|line| !line.trim_start().starts_with("package "))
        .find_map(|line| line.trim().strip_prefix("//go:build ").map(str::to_string))
}

/// Evaluates a build expression (`!debug && (linux || darwin)`) for the default build.
fn satisfied(expression: &str) -> bool {
    let tokens = tokens(expression);
    let mut at = 0;
    or(&tokens, &mut at)
}

fn tokens(expression: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut word = String::new();
    for c in expression.chars() {
        if c.is_alphanumeric() || c == '_' || c == '.' {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            found.push(std::mem::take(&mut word));
        }
        match c {
            '!' | '(' | ')' => found.push(c.to_string()),
            '&' | '|' if found.last().is_some_and(|last| last == &c.to_string()) => {
                found.pop();
                found.push(format!("{c}{c}"));
            }
            '&' | '|' => found.push(c.to_string()),
            _ => {}
        }
    }
    if !word.is_empty() {
        found.push(word);
    }
    found
}

fn or(tokens: &[String], at: &mut usize) -> bool {
    let mut value = and(tokens, at);
    while tokens.get(*at).is_some_and(|t| t == "||") {
        *at += 1;
        value |= and(tokens, at);
    }
    value
}

fn and(tokens: &[String], at: &mut usize) -> bool {
    let mut value = unary(tokens, at);
    while tokens.get(*at).is_some_and(|t| t == "&&") {
        *at += 1;
        value &= unary(tokens, at);
    }
    value
}

fn unary(tokens: &[String], at: &mut usize) -> bool {
    let Some(token) = tokens.get(*at) else { return true };
    *at += 1;
    match token.as_str() {
        "!" => !unary(tokens, at),
        "(" => {
            let value = or(tokens, at);
            *at += usize::from(tokens.get(*at).is_some_and(|t| t == ")"));
            value
        }
        tag => SATISFIED.contains(&tag) || tag.starts_with("go1."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_the_default_build_leaves_out() {
        let with = |constraint: &str| format!("//go:build {constraint}\n\npackage assets\n");
        assert!(excluded("assets/assets.go", &with("debug")));
        assert!(!excluded("assets/assetsfs.go", &with("!debug")));
        assert!(excluded("open_win.go", &with("windows")));
        assert!(!excluded("open_unix.go", &with("linux || darwin || freebsd")));
        assert!(excluded("tty.go", &with("!linux && !(freebsd || openbsd)")));
        assert!(!excluded("new.go", &with("go1.21 && (amd64 || arm64)")));
        assert!(excluded("tools.go", &with("tools")));
        assert!(excluded("platform/open_windows.go", "package platform\n"));
        assert!(excluded("platform/x_darwin_arm64.go", "package platform\n"));
        assert!(!excluded("server/http_handler.go", "package server\n"));
        assert!(!excluded("render_js_thing.go", "package server\n"));
        assert!(!excluded("x_linux_amd64.go", "package server\n"));
        assert!(!excluded("main.go", "package main\n\n//go:build debug is only a comment after the clause\n"));
    }
}
