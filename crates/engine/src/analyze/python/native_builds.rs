//! Python packages pip builds from source on a slim image, because they publish no Linux
//! wheel: uWSGI, psycopg2 (not `psycopg2-binary`), mysqlclient, python-ldap, pyodbc, misaka. The
//! build needs a C compiler and the headers of the library they link to, and the running app
//! needs that library, so the image installs them before the dependencies.

use super::dependencies::Dependencies;
use crate::analyze::app_files::AppFiles;

/// Each package with the Debian packages its build and its use need (meinheld publishes only
/// its source).
const NATIVE: [(&str, &[&str]); 11] = [
    ("meinheld", &["gcc", "libc6-dev"]),
    ("uwsgi", &["gcc", "libc6-dev"]),
    ("psycopg2", &["gcc", "libc6-dev", "libpq-dev"]),
    // `psycopg[c]`: the C implementation of psycopg 3, published as source only.
    ("psycopg-c", &["gcc", "libc6-dev", "libpq-dev"]),
    ("mysqlclient", &["gcc", "libc6-dev", "pkg-config", "default-libmysqlclient-dev"]),
    ("python-ldap", &["gcc", "libc6-dev", "libldap2-dev", "libsasl2-dev"]),
    ("pyodbc", &["g++", "unixodbc-dev"]),
    ("pycairo", &["gcc", "libc6-dev", "pkg-config", "libcairo2-dev"]),
    // Markdown through cffi: an sdist only.
    ("misaka", &["gcc", "libc6-dev", "libffi-dev"]),
    ("pycrypto", &["gcc", "libc6-dev"]),
    ("pylibmc", &["gcc", "libc6-dev", "libmemcached-dev", "zlib1g-dev"]),
];

/// Packages that load a system library when the app imports them (`import magic` fails with
/// "failed to find libmagic" on a slim image), with the Debian packages that bring it.
const LIBRARIES: [(&str, &[&str]); 4] = [
    ("python-magic", &["libmagic1"]),
    ("weasyprint", &["libpango-1.0-0", "libpangoft2-1.0-0"]),
    ("cairosvg", &["libcairo2"]),
    ("pyvips", &["libvips42"]),
];

/// Packages that run a program at runtime (`ffmpeg-python` and Whisper shell out to `ffmpeg`),
/// with the Debian package that brings it: a slim image has none.
const PROGRAMS: [(&str, &str); 3] = [("ffmpeg-python", "ffmpeg"), ("openai-whisper", "ffmpeg"), ("pydub", "ffmpeg")];

/// The Debian packages the dependencies need to build and run, sorted and each once, with the
/// dependencies that need them (for where the fact was read).
pub(super) fn system_packages(files: &AppFiles, deps: &Dependencies) -> Option<(Vec<String>, String)> {
    let mut packages: Vec<String> = Vec::new();
    let mut needing: Vec<String> = Vec::new();
    if let Some(at) = git_source(files) {
        packages.push("git".into());
        needing.push(format!("a package fetched with git ({at})"));
    }
    for (name, needs) in NATIVE {
        if let Some(source) = deps.get(name) {
            packages.extend(needs.iter().map(|p| p.to_string()));
            needing.push(format!("{name} ({source})"));
        }
    }
    let mut running: Vec<String> = Vec::new();
    for (name, libraries) in LIBRARIES {
        if let Some(source) = deps.get(name) {
            packages.extend(libraries.iter().map(|p| p.to_string()));
            running.push(format!("{name} ({source}) loads {}", libraries.join(", ")));
        }
    }
    for (name, program) in PROGRAMS {
        if let Some(source) = deps.get(name) {
            packages.push(program.to_string());
            running.push(format!("{name} ({source}) runs {program}"));
        }
    }
    packages.sort();
    packages.dedup();
    let said: Vec<String> = [(needing, "built from source"), (running, "at runtime")]
        .into_iter()
        .filter(|(list, _)| !list.is_empty())
        .map(|(list, what)| format!("{what}: {}", list.join(", ")))
        .collect();
    (!packages.is_empty()).then(|| (packages, said.join("; ")))
}

/// Where the dependencies pull a package from a git repository (`git+https://` in a
/// requirement file, `"git": ...` in Pipfile.lock, `{git = ...}` in a Pipfile or pyproject):
/// pip runs `git` to fetch it, and a slim image has none.
fn git_source(files: &AppFiles) -> Option<String> {
    let mut manifests = super::dependencies::requirement_files(files);
    manifests.extend(["Pipfile", "Pipfile.lock", "pyproject.toml"].map(String::from));
    manifests.iter().find_map(|path| {
        let text = files.get(path)?;
        let index = text.lines().position(|line| {
            let code = line.split('#').next().unwrap_or("").replace(' ', "");
            code.contains("git+") || code.contains("\"git\":") || code.contains("{git=") || code.contains(",git=")
        })?;
        Some(format!("{path}:{}", index + 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deps(names: &[&str]) -> Dependencies {
        Dependencies(names.iter().map(|n| (n.to_string(), "requirements.txt".to_string())).collect())
    }

    #[test]
    fn packages_without_wheels_bring_their_build_tools() {
        let (packages, source) =
            system_packages(&AppFiles::default(), &deps(&["django", "psycopg2", "uwsgi"])).unwrap();
        assert_eq!(packages, ["gcc", "libc6-dev", "libpq-dev"]);
        assert!(source.contains("psycopg2 (requirements.txt)") && source.contains("uwsgi"), "{source}");
        assert_eq!(system_packages(&AppFiles::default(), &deps(&["django", "psycopg2-binary", "gunicorn"])), None);
        let (packages, source) = system_packages(&AppFiles::default(), &deps(&["fastapi", "ffmpeg-python"])).unwrap();
        assert_eq!(
            (packages, source.as_str()),
            (vec!["ffmpeg".to_string()], "at runtime: ffmpeg-python (requirements.txt) runs ffmpeg")
        );
        let (packages, source) = system_packages(&AppFiles::default(), &deps(&["django", "python-magic"])).unwrap();
        assert_eq!(packages, ["libmagic1"]);
        assert_eq!(source, "at runtime: python-magic (requirements.txt) loads libmagic1");
    }

    #[test]
    fn an_extra_that_builds_from_source_brings_its_build_tools() {
        let files = AppFiles::from_pairs([("requirements.txt", "Django==5.2\npsycopg[c,pool]==3.3.4\n")]);
        let deps = super::super::dependencies::dependencies(&files, None);
        let (packages, source) = system_packages(&files, &deps).unwrap();
        assert_eq!(packages, ["gcc", "libc6-dev", "libpq-dev"]);
        assert!(source.contains("psycopg-c (requirements.txt:2)"), "{source}");
        let binary = AppFiles::from_pairs([("requirements.txt", "psycopg[binary,pool]==3.3.4\n")]);
        assert_eq!(system_packages(&binary, &super::super::dependencies::dependencies(&binary, None)), None);
    }

    #[test]
    fn a_package_fetched_with_git_brings_git() {
        let lock = "{\n  \"default\": {\n    \"yamlish\": {\n      \"git\": \"https://example.com/yamlish.git\"\n    }\n  }\n}\n";
        let files = AppFiles::from_pairs([("Pipfile.lock", lock)]);
        let (packages, source) = system_packages(&files, &deps(&["flask"])).unwrap();
        assert_eq!(packages, ["git"]);
        assert_eq!(source, "built from source: a package fetched with git (Pipfile.lock:4)");
    }
}
