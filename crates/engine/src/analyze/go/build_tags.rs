//! Build tags the repository's own build passes to `go build` (`make build` running `go build
//! -tags fs_embed`): files behind them are in the binary the project ships (embedded assets, a
//! production driver), so ferry's image builds with the same tags.

use crate::analyze::Fact;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::fact;
use crate::model::Finding;

/// Tags that select a test or development build, not the one the project ships.
const NOT_SHIPPED: [&str; 6] = ["test", "integration", "e2e", "dev", "debug", "mock"];

/// Packages that compile C code (bindings to a C library): they build only with cgo and the
/// library's headers.
const CGO_PACKAGES: [&str; 6] = [
    "github.com/msteinert/pam",
    "github.com/mattn/go-sqlite3",
    "github.com/mattn/go-oci8",
    "github.com/godror/godror",
    "gopkg.in/gographics/imagick",
    "github.com/linxGnu/grocksdb",
];

/// The build command with the repository's tags added beside `timetzdata`, said in an info
/// finding.
pub(super) fn with_repository_tags(files: &AppFiles, build: &mut [String], findings: &mut Vec<Finding>) {
    let Some(mut tags) = repository_tags(files) else { return };
    // A tag whose files embed what a front-end build makes (`//go:embed assets/*.js` with no
    // such files committed), or bind a C library while cgo is off, would fail the image's
    // `go build`: the build stays without it, and says so.
    let static_build = build.first().is_some_and(|word| word == "CGO_ENABLED=0");
    let mut left_out: Vec<(TagCheck, TagFinding)> = vec![(unbuilt_embed, frontend_finding)];
    if static_build {
        left_out.push((binds_c, cgo_finding));
    }
    for (check, finding) in left_out {
        if let Some((tag, at)) = tags.value.iter().find_map(|tag| check(files, tag).map(|at| (tag.clone(), at))) {
            findings.push(finding(&tag, at));
            tags.value.retain(|t| t != &tag);
        }
    }
    let Some(position) = build.iter().position(|word| word == "-tags") else { return };
    let Some(value) = build.get_mut(position + 1) else { return };
    let added: Vec<&String> = tags.value.iter().filter(|tag| !value.split(',').any(|t| t == tag.as_str())).collect();
    if added.is_empty() {
        return;
    }
    let names: Vec<&str> = added.iter().map(|tag| tag.as_str()).collect();
    value.push(',');
    value.push_str(&names.join(","));
    findings.push(Finding::info(
        "build-tags",
        format!(
            "the repository builds with -tags {}: the image's go build passes them too, so the files behind them are in the binary",
            names.join(",")
        ),
        tags.source,
    ));
}

/// Where a tag's files show it cannot be built in ferry's image, as `path:line`.
type TagCheck = fn(&AppFiles, &str) -> Option<String>;
/// What is said when such a tag is left out.
type TagFinding = fn(&str, String) -> Finding;

fn frontend_finding(tag: &str, embed_at: String) -> Finding {
    Finding::warning(
        "build-needs-frontend",
        format!(
            "the repository builds with -tags {tag} after building the files it embeds ({embed_at}), which are not committed: ferry's image builds without the tag, so the binary looks for them on disk, where the image has none"
        ),
        embed_at,
    )
    .with_fix(format!("build the front end in a stage before `go build`, then pass -tags {tag}"))
}

fn cgo_finding(tag: &str, at: String) -> Finding {
    Finding::warning(
        "build-tag-needs-cgo",
        format!(
            "the repository builds with -tags {tag}, whose code binds a C library ({at}): ferry's static build (cgo off) would fail with it, so the image builds without the tag and that feature is not in the binary"
        ),
        at,
    )
    .with_fix(format!("to keep it, build with CGO_ENABLED=1, the C library's headers and -tags {tag}"))
}

/// The line of a file built only with `tag` that imports C code (`import "C"`, a binding
/// package), as `path:line`.
fn binds_c(files: &AppFiles, tag: &str) -> Option<String> {
    gated_files(files, tag).find_map(|(path, text)| {
        let index = text.lines().position(|line| {
            let line = line.trim();
            let imports =
                |package: &str| [format!("\"{package}\""), format!("\"{package}/")].iter().any(|p| line.contains(p));
            line == "import \"C\"" || CGO_PACKAGES.iter().any(|package| imports(package))
        })?;
        Some(format!("{path}:{}", index + 1))
    })
}

/// The Go files built only with `tag`, `public/` included: that is where embedded assets' Go
/// files often sit.
fn gated_files<'a>(files: &'a AppFiles, tag: &'a str) -> impl Iterator<Item = (&'a String, &'a String)> {
    files.files.iter().filter(|(path, _)| path.ends_with(".go")).filter(move |(_, text)| {
        text.lines().find(|l| l.starts_with("//go:build")).is_some_and(|l| l.split_whitespace().any(|w| w == tag))
    })
}

/// The `//go:embed` line of a file built only with `tag` whose patterns name files the
/// repository does not hold (a bundler's output), as `path:line`.
fn unbuilt_embed(files: &AppFiles, tag: &str) -> Option<String> {
    for (path, text) in gated_files(files, tag) {
        let folder = path.rsplit_once('/').map_or(String::new(), |(dir, _)| format!("{dir}/"));
        for (index, line) in text.lines().enumerate() {
            let Some(patterns) = line.strip_prefix("//go:embed ") else { continue };
            let missing = patterns.split_whitespace().any(|pattern| {
                let fixed = pattern.split(['*', '?', '[']).next().unwrap_or(pattern);
                let prefix = format!("{folder}{fixed}");
                !files.files.keys().any(|p| p.starts_with(&prefix))
            });
            if missing {
                return Some(format!("{path}:{}", index + 1));
            }
        }
    }
    None
}

/// The tags of the first `go build` in the repository's Makefile, Dockerfile or build scripts
/// that passes any, with where.
pub(super) fn repository_tags(files: &AppFiles) -> Option<Fact<Vec<String>>> {
    let build_files = files.files.iter().filter(|(path, _)| is_build_file(path));
    for (path, text) in build_files {
        for (index, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with('#') || !code.contains("go build") {
                continue;
            }
            let Some(tags) = tags_of(code).filter(|tags| !tags.is_empty()) else { continue };
            return Some(fact(tags, format!("{path}:{}", index + 1)));
        }
    }
    None
}

/// The Makefile, Dockerfiles and shell scripts of the repository's root or `scripts/`.
fn is_build_file(path: &str) -> bool {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    let build_dir = dir.is_empty() || dir == "scripts" || dir == "build";
    build_dir
        && (matches!(name, "Makefile" | "GNUmakefile" | "makefile")
            || name.starts_with("Dockerfile")
            || name.ends_with(".sh"))
}

/// The tags a `go build` line passes: `-tags fs_embed`, `-tags=a,b`, `--tags "a b"`. None when
/// they come from a variable the line does not show, or when any selects a test build.
fn tags_of(code: &str) -> Option<Vec<String>> {
    let after_build = &code[code.find("go build")?..];
    let words: Vec<&str> = after_build.split_whitespace().collect();
    let position = words.iter().position(|w| matches!(w.trim_start_matches('-').split('=').next(), Some("tags")))?;
    let (mut value, mut next) = match words[position].split_once('=') {
        Some((_, value)) => (value.to_string(), position + 1),
        None => (words.get(position + 1)?.to_string(), position + 2),
    };
    // `-tags "pam prod"`: a quoted list runs to its closing quote.
    if let Some(quote) = value.chars().next().filter(|c| *c == '"' || *c == '\'') {
        while value.len() < 2 || !value.ends_with(quote) {
            value.push(' ');
            value.push_str(words.get(next)?);
            next += 1;
        }
    }
    let value = value.trim_matches(['"', '\'']);
    if value.contains('$') || value.starts_with('-') {
        return None;
    }
    let tags: Vec<String> = value.split([',', ' ']).filter(|tag| !tag.is_empty()).map(str::to_string).collect();
    (!tags.iter().any(|tag| NOT_SHIPPED.contains(&tag.as_str()))).then_some(tags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tags_of_a_go_build_line() {
        let tags = |line: &str| tags_of(line).map(|t| t.join(","));
        assert_eq!(tags("go build -tags fs_embed -ldflags \"-X v=1\" -o app ."), Some("fs_embed".into()));
        assert_eq!(tags("CGO_ENABLED=0 go build -tags=netgo,osusergo -o app ."), Some("netgo,osusergo".into()));
        assert_eq!(tags("go build -tags $(TAGS) -o app ."), None);
        assert_eq!(tags("go build -tags integration ./..."), None);
        assert_eq!(tags("go build -o app ."), None);
        assert_eq!(tags("go build -v -tags \"pam prod\" -o .bin/gogs ./cmd/gogs"), Some("pam,prod".into()));
    }

    #[test]
    fn a_tag_that_embeds_an_unbuilt_front_end_is_left_out() {
        let files = AppFiles::from_pairs([
            ("Makefile", "build:\n\tnpm run build\n\tgo build -tags fs_embed -o app .\n"),
            (
                "public/fs_embed.go",
                "//go:build fs_embed\n\npackage public\n\n//go:embed .vite/manifest.json assets/*.js\nvar Files embed.FS\n",
            ),
            ("public/fs_os.go", "//go:build !fs_embed\n\npackage public\n"),
            ("public/ts/main.ts", "console.log(1)\n"),
        ]);
        let mut build: Vec<String> = ["go", "build", "-tags", "timetzdata", "."].map(String::from).to_vec();
        let mut findings = Vec::new();
        with_repository_tags(&files, &mut build, &mut findings);
        assert_eq!(build[3], "timetzdata");
        let said: Vec<(&str, &str)> = findings.iter().map(|f| (f.kind.as_str(), f.source.as_str())).collect();
        assert_eq!(said, [("build-needs-frontend", "public/fs_embed.go:5")]);
    }

    #[test]
    fn a_tag_that_binds_a_c_library_is_left_out_of_a_static_build() {
        let files = AppFiles::from_pairs([
            ("Dockerfile", "FROM golang\nRUN apk add linux-pam-dev\nRUN go build -tags \"pam sso\" -o app ./cmd/app\n"),
            (
                "internal/auth/pam/pam.go",
                "//go:build pam\n\npackage pam\n\nimport (\n\t\"github.com/msteinert/pam/v2\"\n)\n",
            ),
            ("internal/auth/sso.go", "//go:build sso\n\npackage auth\n"),
        ]);
        let mut build: Vec<String> =
            ["CGO_ENABLED=0", "go", "build", "-tags", "timetzdata", "."].map(String::from).to_vec();
        let mut findings = Vec::new();
        with_repository_tags(&files, &mut build, &mut findings);
        assert_eq!(build[4], "timetzdata,sso", "the other tag is kept");
        let said: Vec<(&str, &str)> = findings.iter().map(|f| (f.kind.as_str(), f.source.as_str())).collect();
        assert_eq!(said, [("build-tag-needs-cgo", "internal/auth/pam/pam.go:6"), ("build-tags", "Dockerfile:3")]);
        let mut cgo: Vec<String> =
            ["CGO_ENABLED=1", "go", "build", "-tags", "timetzdata", "."].map(String::from).to_vec();
        with_repository_tags(&files, &mut cgo, &mut Vec::new());
        assert_eq!(cgo[4], "timetzdata,pam,sso", "a cgo build keeps it");
    }

    #[test]
    fn the_first_build_file_with_tags() {
        let files = AppFiles::from_pairs([
            ("Makefile", "build:\n\tnpx vite build\n\tgo build -tags fs_embed -o wiki .\n"),
            ("internal/x.go", "package x\n"),
        ]);
        let found = repository_tags(&files).expect("tags");
        assert_eq!((found.value, found.source.as_str()), (vec!["fs_embed".to_string()], "Makefile:3"));
    }
}
