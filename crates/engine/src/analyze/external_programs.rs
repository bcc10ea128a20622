//! Programs the app's code runs: `exec.Command("git", ...)`, `spawn('ffmpeg', ...)`,
//! `subprocess.run(["pdftotext", ...])`, `new ProcessBuilder("soffice", ...)`, or a library
//! that runs one for it (`fluent-ffmpeg`, JODConverter). Ferry's images are slim (Go's is
//! scratch): none of these programs is there, so each is installed in the final image from its
//! Debian package, or the feature fails at its first use.

use super::app_files::AppFiles;
use super::slash_comments::without_slash_comment;
use super::source::{SourceFacts, fact, is_test_path};
use crate::model::{Finding, VariableScope};

/// Programs apps commonly run, and the Debian package that installs each. A program not named
/// here is not guessed at: its package name could be anything.
const PACKAGES: [(&str, &str); 33] = [
    ("git", "git"),
    ("ffmpeg", "ffmpeg"),
    ("ffprobe", "ffmpeg"),
    ("convert", "imagemagick"),
    ("magick", "imagemagick"),
    ("identify", "imagemagick"),
    ("gm", "graphicsmagick"),
    ("gs", "ghostscript"),
    ("ssh", "openssh-client"),
    ("rsync", "rsync"),
    ("pandoc", "pandoc"),
    ("gpg", "gnupg"),
    ("sqlite3", "sqlite3"),
    ("pg_dump", "postgresql-client"),
    ("pg_restore", "postgresql-client"),
    ("psql", "postgresql-client"),
    ("mysqldump", "default-mysql-client"),
    ("mysql", "default-mysql-client"),
    ("wkhtmltopdf", "wkhtmltopdf"),
    ("soffice", "libreoffice"),
    ("libreoffice", "libreoffice"),
    ("pdftotext", "poppler-utils"),
    ("pdftoppm", "poppler-utils"),
    ("pdfinfo", "poppler-utils"),
    ("tesseract", "tesseract-ocr"),
    ("exiftool", "libimage-exiftool-perl"),
    ("python3", "python3"),
    ("python", "python3"),
    ("curl", "curl"),
    ("unzip", "unzip"),
    ("7z", "p7zip-full"),
    ("qpdf", "qpdf"),
    ("mediainfo", "mediainfo"),
];

/// Libraries that run a program the code never names, by the runtime whose code imports them:
/// the import's marker on a line, and the program the library runs.
const LIBRARIES: [(&str, &str, &str); 10] = [
    ("node", "fluent-ffmpeg", "ffmpeg"),
    ("node", "libreoffice-convert", "soffice"),
    ("node", "simple-git", "git"),
    ("node", "node-poppler", "pdftotext"),
    ("python", "import pytesseract", "tesseract"),
    ("python", "pdf2image", "pdftoppm"),
    ("python", "pypandoc", "pandoc"),
    ("python", "import git", "git"),
    ("java", "import org.jodconverter", "soffice"),
    ("java", "import org.artofsolving.jodconverter", "soffice"),
];

/// Node packages that bring their own ffmpeg binary: `fluent-ffmpeg` is pointed at it.
const BUNDLED_FFMPEG: [&str; 3] = ["ffmpeg-static", "@ffmpeg-installer/ffmpeg", "ffbinaries"];

/// Node modules that run processes: a file that loads none runs none.
const NODE_PROCESS_MODULES: [&str; 3] = ["child_process", "execa", "cross-spawn"];

/// Adds the Debian packages of the programs the app's code runs to what the image installs,
/// with an info finding that names each program and the line that runs it first.
pub(crate) fn add(files: &AppFiles, facts: &mut SourceFacts) {
    let runs = programs_run(files, facts.runtime);
    let Some((_, first_at)) = runs.first().cloned() else { return };
    let mut packages: Vec<String> = Vec::new();
    for package in runs.iter().filter_map(|(program, _)| package_of(program)) {
        if !packages.iter().any(|p| p == package) {
            packages.push(package.to_string());
        }
    }
    let named: Vec<String> = runs.iter().map(|(program, at)| format!("`{program}` ({at})")).collect();
    let image = if facts.runtime == "go" {
        "is Debian slim with {} installed, not scratch, which holds the binary alone"
    } else {
        "installs {} (a slim image has none of them)"
    };
    facts.findings.push(Finding::info(
        "external-programs",
        format!("the code runs {}: the image {}", named.join(", "), image.replace("{}", &packages.join(", "))),
        first_at.clone(),
    ));
    let (mut all, source) = match facts.system_packages.take() {
        Some(held) => (held.value, format!("{}; programs the code runs ({first_at})", held.source)),
        None => (Vec::new(), first_at),
    };
    all.extend(packages);
    all.sort();
    all.dedup();
    facts.system_packages = Some(fact(all, source));
}

/// Each known program the runtime's code runs, once, with where it is first run: by name in
/// a call, or through a library it imports.
fn programs_run(files: &AppFiles, runtime: &str) -> Vec<(String, String)> {
    let extensions: &[&str] = match runtime {
        "go" => &["go"],
        "node" => &["js", "mjs", "cjs", "ts", "mts", "cts"],
        "python" => &["py"],
        "java" => &["java", "kt"],
        _ => return Vec::new(),
    };
    let bundled_ffmpeg = BUNDLED_FFMPEG.iter().any(|name| super::node_package_use::imported_at(files, name).is_some());
    let mut runs: Vec<(String, String)> = Vec::new();
    for (path, text) in files.with_extensions(extensions) {
        if is_test_path(path) || crate::analyze::variables::scope_of(path) != VariableScope::Runtime {
            continue;
        }
        // A bare `exec(` is a process only where the file loads a module that runs one.
        let runs_processes = runtime != "node" || NODE_PROCESS_MODULES.iter().any(|module| text.contains(module));
        for (index, line) in text.lines().enumerate() {
            let code =
                if runtime == "python" { line.split('#').next().unwrap_or("") } else { without_slash_comment(line) };
            let trimmed = code.trim_start();
            if trimmed.starts_with('*') || trimmed.starts_with("/*") {
                continue;
            }
            let called = run_call(code, runtime).filter(|_| runs_processes);
            let through_library = LIBRARIES
                .iter()
                .filter(|(language, marker, _)| *language == runtime && imports(code, runtime, marker))
                .map(|(_, _, program)| *program);
            for program in called.into_iter().chain(through_library) {
                let own_runtime = runtime == "python" && program.starts_with("python");
                let bundled = bundled_ffmpeg && matches!(program, "ffmpeg" | "ffprobe");
                if !own_runtime && !bundled && package_of(program).is_some() && !runs.iter().any(|(p, _)| p == program)
                {
                    runs.push((program.to_string(), format!("{path}:{}", index + 1)));
                }
            }
        }
    }
    runs
}

/// The Debian package of a known program.
fn package_of(program: &str) -> Option<&'static str> {
    PACKAGES.iter().find(|(name, _)| *name == program).map(|(_, package)| *package)
}

/// Whether a line imports the library `marker` names: a Python or Java import line, or a
/// JavaScript `require('fluent-ffmpeg')` / `from 'fluent-ffmpeg'`.
fn imports(code: &str, runtime: &str, marker: &str) -> bool {
    match runtime {
        "node" => [format!("'{marker}'"), format!("\"{marker}\"")].iter().any(|quoted| {
            code.contains(quoted.as_str())
                && (code.contains("require(") || code.contains(" from ") || code.contains("import("))
        }),
        "python" if !marker.starts_with("import ") => {
            let trimmed = code.trim_start();
            trimmed.starts_with(&format!("import {marker}")) || trimmed.starts_with(&format!("from {marker} import"))
        }
        "python" => {
            let trimmed = code.trim_start();
            let module = marker.trim_start_matches("import ");
            trimmed == marker
                || trimmed.starts_with(&format!("{marker} as "))
                || trimmed.starts_with(&format!("{marker}."))
                || trimmed.starts_with(&format!("from {module} import"))
        }
        _ => code.trim_start().starts_with(marker),
    }
}

/// The program a line's call runs, by runtime: its first argument names the program (a list's
/// first item, or a command line's first word).
fn run_call<'a>(code: &'a str, runtime: &str) -> Option<&'a str> {
    match runtime {
        "go" => ["exec.CommandContext(", "exec.Command("].iter().find_map(|call| {
            let rest = &code[code.find(call)? + call.len()..];
            first_program(if call.contains("Context") { rest.split_once(',')?.1 } else { rest })
        }),
        "java" => ["ProcessBuilder(", "getRuntime().exec("]
            .iter()
            .find_map(|call| first_program(&code[code.find(call)? + call.len()..])),
        _ => calls(code)
            .find_map(|(object, name, rest)| runs_a_program(runtime, object, name).then_some(rest))
            .and_then(first_program),
    }
}

/// Whether `object.name(` (or a bare `name(`) runs a program in Node or Python. Node's calls
/// are `child_process`'s and the promisified names code gives them (`execAsync`, `spawnSync`);
/// a method of another value (`pattern.exec(`) runs nothing.
fn runs_a_program(runtime: &str, object: &str, name: &str) -> bool {
    match runtime {
        "node" => {
            let process_call = ["exec", "spawn"].iter().any(|start| name.starts_with(start));
            process_call && ["", "cp", "childProcess", "child_process", "child", "proc"].contains(&object)
        }
        "python" => match object {
            "subprocess" | "sp" => ["run", "call", "check_call", "check_output", "Popen"].contains(&name),
            "os" => ["system", "popen"].contains(&name),
            "shutil" => name == "which",
            "asyncio" | "" => {
                ["create_subprocess_exec", "create_subprocess_shell", "Popen", "check_output", "check_call"]
                    .contains(&name)
            }
            _ => false,
        },
        _ => false,
    }
}

/// Every call on a line as (the object it is a method of, or empty; the name; what follows the
/// opening parenthesis).
fn calls(code: &str) -> impl Iterator<Item = (&str, &str, &str)> {
    static CALL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?:([A-Za-z_$][\w$]*)\.)?([A-Za-z_$][\w$]*)\(").expect("valid pattern")
    });
    CALL.captures_iter(code).filter_map(move |c| {
        let whole = c.get(0)?;
        // `a.b.exec(` is a method of `a.b`: its object is no module.
        if code[..whole.start()].ends_with('.') {
            return None;
        }
        let object = c.get(1).map_or("", |m| m.as_str());
        Some((object, c.get(2)?.as_str(), &code[whole.end()..]))
    })
}

/// The program named by a call's first argument: `"git"`, `["ffmpeg", ...]`, `'soffice --headless'`,
/// `` `convert ${input}` ``, `new String[]{"gs", ...}`, `listOf("git")`, `f"pdftotext {path}"`. A
/// path is read when it is a system folder's (`/usr/bin/soffice`); a variable is not read.
fn first_program(argument: &str) -> Option<&str> {
    let mut rest = argument.trim_start();
    for opener in ["new String[]{", "new String[] {", "List.of(", "listOf(", "arrayOf(", "Arrays.asList(", "[", "("] {
        if let Some(after) = rest.strip_prefix(opener) {
            rest = after.trim_start();
            break;
        }
    }
    rest = rest.strip_prefix(['f', 'r']).filter(|after| after.starts_with(['"', '\''])).unwrap_or(rest);
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let inner = &rest[1..];
    let literal = &inner[..inner.find(quote)?];
    let word = literal.split_whitespace().next()?;
    let program =
        ["/usr/bin/", "/usr/local/bin/", "/bin/"].iter().find_map(|folder| word.strip_prefix(folder)).unwrap_or(word);
    (!program.is_empty() && !program.contains(['/', '$', '{'])).then_some(program)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PackageManager;

    fn facts_of(runtime: &'static str, version: &'static str) -> SourceFacts {
        SourceFacts::new(runtime, version, fact(PackageManager::Npm, "package.json"))
    }

    #[test]
    fn the_program_a_call_runs() {
        assert_eq!(run_call("cmd := exec.Command(\"git\", \"--version\")", "go"), Some("git"));
        assert_eq!(run_call("exec.CommandContext(ctx, \"ffmpeg\", \"-i\", in)", "go"), Some("ffmpeg"));
        assert_eq!(run_call("exec.Command(\"/usr/bin/git\")", "go"), Some("git"));
        assert_eq!(run_call("exec.Command(\"./bin/tool\")", "go"), None);
        assert_eq!(run_call("exec.Command(name, args...)", "go"), None);
        assert_eq!(run_call("const p = spawn('ffprobe', ['-v', 'quiet', file])", "node"), Some("ffprobe"));
        assert_eq!(run_call("await execAsync(`soffice --headless --convert-to pdf ${f}`)", "node"), Some("soffice"));
        assert_eq!(run_call("cp.execSync(`git rev-parse HEAD`)", "node"), Some("git"));
        assert_eq!(run_call("const m = pattern.exec('git')", "node"), None);
        assert_eq!(run_call("respawn('git')", "node"), None);
        assert_eq!(
            run_call("out = subprocess.check_output([\"pdftotext\", path, \"-\"])", "python"),
            Some("pdftotext")
        );
        assert_eq!(run_call("os.system(f\"convert {src} {dst}\")", "python"), Some("convert"));
        assert_eq!(run_call("if shutil.which('ffmpeg') is None:", "python"), Some("ffmpeg"));
        assert_eq!(
            run_call("Process p = new ProcessBuilder(\"soffice\", \"--headless\").start();", "java"),
            Some("soffice")
        );
        assert_eq!(run_call("Runtime.getRuntime().exec(new String[]{\"gs\", \"-q\"});", "java"), Some("gs"));
    }

    #[test]
    fn packages_once_each_with_an_info_finding() {
        let files = AppFiles::from_pairs([
            (
                "git/run.go",
                "package git\nfunc v() { exec.Command(\"git\", \"--version\") }\nfunc l() { exec.Command(\"git\", \"log\") }\n",
            ),
            (
                "media/thumb.go",
                "package media\nfunc t() { exec.Command(\"ffprobe\", p) }\nfunc u() { exec.Command(\"unknown-tool\") }\n",
            ),
        ]);
        let mut facts = facts_of("go", "1.22");
        add(&files, &mut facts);
        let found = facts.system_packages.expect("programs");
        assert_eq!(found.value, ["ffmpeg", "git"]);
        assert_eq!(found.source, "git/run.go:2");
        assert_eq!(facts.findings[0].kind, "external-programs");
        assert!(facts.findings[0].message.contains("not scratch"), "{}", facts.findings[0].message);
        let mut none = facts_of("go", "1.22");
        add(&AppFiles::from_pairs([("main.go", "package main\n")]), &mut none);
        assert!(none.system_packages.is_none() && none.findings.is_empty());
    }

    #[test]
    fn a_library_that_runs_a_program_and_one_that_brings_its_own() {
        let node = AppFiles::from_pairs([(
            "server/media.js",
            "const ffmpeg = require('fluent-ffmpeg')\n// spawn('git')\nmodule.exports = (f) => ffmpeg(f)\n",
        )]);
        let mut facts = facts_of("node", "20");
        add(&node, &mut facts);
        assert_eq!(facts.system_packages.as_ref().map(|p| p.value.clone()), Some(vec!["ffmpeg".to_string()]));
        assert_eq!(facts.findings[0].source, "server/media.js:1");
        let bundled = AppFiles::from_pairs([
            ("server/media.js", "const ffmpeg = require('fluent-ffmpeg')\n"),
            ("server/path.js", "const path = require('ffmpeg-static')\n"),
        ]);
        let mut facts = facts_of("node", "20");
        add(&bundled, &mut facts);
        assert!(facts.system_packages.is_none());
        let java = AppFiles::from_pairs([(
            "src/main/java/a/Office.java",
            "package a;\nimport org.jodconverter.local.LocalConverter;\nclass Office {}\n",
        )]);
        let mut facts = facts_of("java", "17");
        add(&java, &mut facts);
        assert_eq!(facts.system_packages.map(|p| p.value), Some(vec!["libreoffice".to_string()]));
    }

    #[test]
    fn a_python_app_running_python_needs_nothing_more() {
        let files =
            AppFiles::from_pairs([("app/jobs.py", "import subprocess\nsubprocess.run([\"python3\", \"x.py\"])\n")]);
        let mut facts = facts_of("python", "3.12");
        add(&files, &mut facts);
        assert!(facts.system_packages.is_none());
        let mut node = facts_of("node", "20");
        let files = AppFiles::from_pairs([(
            "src/py.ts",
            "import { spawn } from 'child_process'\nconst p = spawn('python3', ['-m', 'x'])\n",
        )]);
        add(&files, &mut node);
        assert_eq!(node.system_packages.map(|p| p.value), Some(vec!["python3".to_string()]));
    }
}
