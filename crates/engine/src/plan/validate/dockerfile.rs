//! A Dockerfile against what Docker's parser accepts and what a service needs of its image.
//!
//! The reading follows Docker's Dockerfile reference: parser directives only at the very top
//! (`# escape=` changes the line continuation character), comment lines, continuations (also
//! across comment and blank lines), and heredocs (`RUN <<EOF`) whose bodies are not
//! instructions. Beyond Docker's own rules, CMD and ENTRYPOINT must be JSON arrays (exec form):
//! in shell form the app runs under `/bin/sh -c` and never receives the SIGTERM ECS sends
//! before stopping a task, so every deployment would end its tasks the hard way.

use super::{Invalid, quoted};

/// Every instruction Docker knows (the Dockerfile reference).
pub const INSTRUCTIONS: [&str; 18] = [
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];
/// The parser directives Docker knows; any other `# name=value` line is a comment.
const DIRECTIVES: [&str; 3] = ["syntax", "escape", "check"];

/// One instruction: its first line (1-based), keyword in capitals, and its arguments with
/// continuations joined.
struct Instruction {
    line: usize,
    keyword: String,
    arguments: String,
}

/// Every rule the Dockerfile `text` breaks, each on the line it starts at.
pub fn validate_dockerfile(text: &str) -> Vec<Invalid> {
    let mut found = Vec::new();
    let instructions = read(text, &mut found);
    let mut from_seen = false;
    // Whether the stage being read sets a command: only the last stage's one runs.
    let mut stage_runs_something = false;
    for instruction in &instructions {
        let field = format!("Dockerfile line {}", instruction.line);
        let keyword = instruction.keyword.as_str();
        let arguments = instruction.arguments.as_str();
        if !INSTRUCTIONS.contains(&keyword) {
            found.push(Invalid::new(field, format!("{} is not a Dockerfile instruction", quoted(keyword))));
            continue;
        }
        if keyword == "FROM" {
            from_seen = true;
            stage_runs_something = false;
        }
        if arguments.is_empty() {
            found.push(Invalid::new(field, format!("{keyword} needs arguments")));
            continue;
        }
        match keyword {
            "FROM" => found.extend(from_form(arguments).map(|message| Invalid::new(&field, message))),
            // ARG before the first FROM declares what FROM lines may use.
            "ARG" => {}
            _ if !from_seen => {
                found.push(Invalid::new(field, format!("{keyword} comes before the first FROM: only ARG may")))
            }
            "CMD" | "ENTRYPOINT" => match exec_form(keyword, arguments) {
                Ok(runs) => stage_runs_something |= runs,
                Err(message) => {
                    // It sets a command, just not in a form that works: said once, here.
                    stage_runs_something = true;
                    found.push(Invalid::new(field, message));
                }
            },
            "ONBUILD" => found.extend(onbuild(arguments).map(|message| Invalid::new(&field, message))),
            _ => {}
        }
    }
    if instructions.is_empty() {
        found.push(Invalid::new("Dockerfile", "is empty: it has no instructions"));
    } else if !from_seen {
        found.push(Invalid::new("Dockerfile", "has no FROM: every image starts from one"));
    } else if !stage_runs_something {
        found.push(Invalid::new(
            "Dockerfile",
            "its last stage has no CMD or ENTRYPOINT: the container would run the base image's command, not the app",
        ));
    }
    found
}

/// The instructions of `text`, reporting malformed directives and unfinished heredocs.
fn read(text: &str, found: &mut Vec<Invalid>) -> Vec<Instruction> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.split('\n').map(|line| line.strip_suffix('\r').unwrap_or(line)).collect();
    let line_field = |index: usize| format!("Dockerfile line {}", index + 1);
    let mut escape = '\\';
    let mut index = 0;
    let mut directives: Vec<String> = Vec::new();
    while let Some((name, value)) = lines.get(index).and_then(|line| directive(line)) {
        if directives.contains(&name) {
            found.push(Invalid::new(line_field(index), format!("repeats the {name} directive, which may appear once")));
        }
        if name == "escape" {
            match value {
                "\\" => escape = '\\',
                "`" => escape = '`',
                _ => found.push(Invalid::new(
                    line_field(index),
                    format!("escape is {}: it may be \\ or ` only", quoted(value)),
                )),
            }
        }
        directives.push(name);
        index += 1;
    }

    let mut instructions = Vec::new();
    while index < lines.len() {
        if is_blank_or_comment(lines[index]) {
            index += 1;
            continue;
        }
        let start = index;
        let mut logical = String::new();
        loop {
            let (content, continues) = continuation(lines[index], escape);
            logical.push_str(content);
            index += 1;
            if !continues {
                break;
            }
            // Docker drops comment and blank lines inside a continued instruction.
            while index < lines.len() && is_blank_or_comment(lines[index]) {
                index += 1;
            }
            if index == lines.len() {
                break;
            }
        }
        let (word, arguments) = first_word(logical.trim());
        let keyword = word.to_ascii_uppercase();
        if matches!(keyword.as_str(), "RUN" | "COPY" | "ADD") {
            for (strip_tabs, terminator) in heredocs(arguments) {
                let end = (index..lines.len()).find(|&i| {
                    let line = if strip_tabs { lines[i].trim_start_matches('\t') } else { lines[i] };
                    line == terminator
                });
                match end {
                    Some(end) => index = end + 1,
                    None => {
                        let message = format!("the heredoc <<{terminator} never ends: no line {terminator} follows");
                        found.push(Invalid::new(line_field(start), message));
                        index = lines.len();
                    }
                }
            }
        }
        instructions.push(Instruction { line: start + 1, keyword, arguments: arguments.to_string() });
    }
    instructions
}

/// `# name=value` naming a directive Docker knows: (name in lower case, value).
fn directive(line: &str) -> Option<(String, &str)> {
    let (name, value) = line.strip_prefix('#')?.split_once('=')?;
    let name = name.trim().to_ascii_lowercase();
    DIRECTIVES.contains(&name.as_str()).then_some((name, value.trim()))
}

fn is_blank_or_comment(line: &str) -> bool {
    let line = line.trim_start();
    line.is_empty() || line.starts_with('#')
}

/// The line without a trailing escape character (spaces and tabs after it allowed), and
/// whether there was one: the instruction then goes on on the next line.
fn continuation(line: &str, escape: char) -> (&str, bool) {
    let trimmed = line.trim_end_matches([' ', '\t']);
    match trimmed.strip_suffix(escape) {
        Some(content) => (content, true),
        None => (line, false),
    }
}

fn first_word(text: &str) -> (&str, &str) {
    match text.split_once(char::is_whitespace) {
        Some((word, rest)) => (word, rest.trim_start()),
        None => (text, ""),
    }
}

/// The heredocs an instruction opens (`<<EOF`, `<<-EOF`, `<<"EOF"`, `2<<EOF`): whether the
/// body's lines lose their leading tabs, and the line that ends it, in order.
fn heredocs(arguments: &str) -> Vec<(bool, String)> {
    arguments
        .split_whitespace()
        .filter_map(|word| {
            let word = word.trim_start_matches(|c: char| c.is_ascii_digit());
            let spec = word.strip_prefix("<<").filter(|spec| !spec.starts_with('<'))?;
            let (strip_tabs, spec) = match spec.strip_prefix('-') {
                Some(spec) => (true, spec),
                None => (false, spec),
            };
            let spec = spec.trim_start_matches(['"', '\'']);
            let name: String = spec.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            let starts_well = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
            starts_well.then_some((strip_tabs, name))
        })
        .collect()
}

/// `FROM [--platform=P] IMAGE [AS NAME]`, as Docker's parser takes it.
fn from_form(arguments: &str) -> Option<String> {
    let words: Vec<&str> = arguments.split_whitespace().collect();
    let flags = words.iter().take_while(|word| word.starts_with("--")).count();
    if let Some(flag) = words[..flags].iter().find(|flag| !flag.starts_with("--platform=")) {
        return Some(format!("FROM takes only the --platform flag, not {}", quoted(flag)));
    }
    match &words[flags..] {
        [_image] => None,
        [_image, as_word, name] if as_word.eq_ignore_ascii_case("AS") => {
            // Docker compares stage names in lower case: ^[a-z][a-z0-9-_.]*$.
            let name = name.to_ascii_lowercase();
            let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
                && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c));
            (!valid).then(|| format!("{} is not a stage name: a letter, then letters, digits and -_.", quoted(&name)))
        }
        _ => Some("FROM takes an image and an optional stage name: FROM IMAGE [AS NAME]".to_string()),
    }
}

/// Whether a CMD or ENTRYPOINT in exec form runs something (`[]` clears one), or why it is
/// not in exec form.
fn exec_form(keyword: &str, arguments: &str) -> Result<bool, String> {
    match serde_json::from_str::<Vec<String>>(arguments) {
        Ok(words) => Ok(!words.is_empty()),
        Err(_) if arguments.starts_with('[') => Err(format!(
            "{keyword} is not a JSON array of strings, so Docker would run it through a shell as written: \
             write e.g. {keyword} [\"node\", \"server.js\"]"
        )),
        Err(_) => Err(format!(
            "{keyword} is in shell form: the app would run under /bin/sh and miss the SIGTERM ECS sends \
             before stopping a task; write it as a JSON array, e.g. {keyword} [\"node\", \"server.js\"]"
        )),
    }
}

/// `ONBUILD INSTRUCTION ...`: any instruction but FROM, MAINTAINER and ONBUILD itself.
fn onbuild(arguments: &str) -> Option<String> {
    let trigger = first_word(arguments).0.to_ascii_uppercase();
    if !INSTRUCTIONS.contains(&trigger.as_str()) {
        Some(format!("ONBUILD {} is not a Dockerfile instruction", quoted(&trigger)))
    } else if matches!(trigger.as_str(), "FROM" | "MAINTAINER" | "ONBUILD") {
        Some(format!("ONBUILD cannot trigger {trigger}"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a hand-written Dockerfile may hold: directives, an ARG before FROM, stages,
    /// continuations across comments, heredocs, lower-case keywords, CRLF line ends.
    const BASELINE: &str = "\u{feff}# syntax=docker/dockerfile:1\r
# escape=\\\r
ARG NODE=20\r
\r
# build stage\r
FROM --platform=linux/amd64 public.ecr.aws/docker/library/node:${NODE} AS Build\r
WORKDIR /app\r
RUN apt-get update && \\\r
    # a comment inside a continuation\r
\r
    apt-get install -y curl\r
RUN <<EOF\r
set -e\r
FROM not-an-instruction\r
EOF\r
COPY <<-\"CONF\" /etc/app.conf\r
\tkey=value\r
\tCONF\r
CMD [\"node\", \\\r
     \"build.js\"]\r
\r
from public.ecr.aws/docker/library/node:20-slim\r
COPY --from=build /app /app\r
USER 1000:1000\r
ONBUILD RUN echo rebuilt\r
HEALTHCHECK CMD curl -f http://localhost:3000/ || exit 1\r
ENTRYPOINT [\"node\"]\r
cmd [\"server.js\"]\r
";

    fn problems(text: &str) -> Vec<String> {
        validate_dockerfile(text).iter().map(ToString::to_string).collect()
    }

    /// Exactly one problem, on `field`, whose message holds `words`.
    #[track_caller]
    fn rejects(text: &str, field: &str, words: &str) {
        let found = validate_dockerfile(text);
        assert!(
            found.len() == 1 && found[0].field == field && found[0].message.contains(words),
            "expected one problem on {field} saying {words:?}, found {found:#?}"
        );
    }

    #[test]
    fn the_baseline_is_valid() {
        assert_eq!(problems(BASELINE), Vec::<String>::new());
    }

    #[test]
    fn empty_and_fromless() {
        rejects("", "Dockerfile", "is empty");
        rejects("# syntax=docker/dockerfile:1\n\n# only comments\n", "Dockerfile", "is empty");
        rejects("ARG A=1\n", "Dockerfile", "has no FROM");
    }

    #[test]
    fn from_comes_first() {
        rejects("# hi\nRUN true\nFROM x\nCMD [\"a\"]\n", "Dockerfile line 2", "RUN comes before the first FROM");
        rejects("FROM x AS\nCMD [\"a\"]\n", "Dockerfile line 1", "FROM IMAGE [AS NAME]");
        rejects("FROM x y z\nCMD [\"a\"]\n", "Dockerfile line 1", "FROM IMAGE [AS NAME]");
        rejects("FROM x AS 1st\nCMD [\"a\"]\n", "Dockerfile line 1", "not a stage name");
        rejects("FROM --pull x\nCMD [\"a\"]\n", "Dockerfile line 1", "--platform");
        rejects("FROM\nCMD [\"a\"]\n", "Dockerfile line 1", "FROM needs arguments");
    }

    #[test]
    fn unknown_instructions() {
        rejects("FROM x\nRUNN make\nCMD [\"a\"]\n", "Dockerfile line 2", "\"RUNN\" is not a Dockerfile instruction");
        rejects("FROM x\nONBUILD FROM y\nCMD [\"a\"]\n", "Dockerfile line 2", "cannot trigger FROM");
        rejects("FROM x\nONBUILD BOGUS y\nCMD [\"a\"]\n", "Dockerfile line 2", "ONBUILD \"BOGUS\"");
    }

    #[test]
    fn cmd_and_entrypoint_are_exec_form() {
        rejects("FROM x\nCMD node server.js\n", "Dockerfile line 2", "CMD is in shell form");
        rejects("FROM x\nCMD [\"a\"]\n\nENTRYPOINT node\n", "Dockerfile line 4", "ENTRYPOINT is in shell form");
        rejects("FROM x\nCMD ['node', 'server.js']\n", "Dockerfile line 2", "not a JSON array of strings");
        rejects("FROM x\nCMD [\"node\", 3]\n", "Dockerfile line 2", "not a JSON array of strings");
        rejects("FROM x\nCMD [\"node\"] # start\n", "Dockerfile line 2", "not a JSON array of strings");
    }

    #[test]
    fn the_last_stage_runs_the_app() {
        rejects(
            "FROM x AS build\nCMD [\"a\"]\nFROM y\nUSER 1000\n",
            "Dockerfile",
            "last stage has no CMD or ENTRYPOINT",
        );
        rejects("FROM x\nCMD []\n", "Dockerfile", "last stage has no CMD or ENTRYPOINT");
        assert_eq!(problems("FROM x\nENTRYPOINT []\nCMD [\"a\"]\n"), Vec::<String>::new());
    }

    #[test]
    fn directives_and_continuations() {
        // A trailing backslash continues the line into the CMD, unless ` is the escape
        // character (Windows paths): then it is text.
        rejects("FROM x\nRUN dir c:\\\nCMD [\"a\"]\n", "Dockerfile", "last stage");
        assert_eq!(problems("# escape=`\nFROM x\nRUN dir c:\\\nCMD [\"a\"]\n"), Vec::<String>::new());
        assert_eq!(problems("# escape=`\nFROM x\nRUN dir `\n  c:\\\nCMD [\"a\"]\n"), Vec::<String>::new());
        rejects("# escape=/\nFROM x\nCMD [\"a\"]\n", "Dockerfile line 1", "\\ or ` only");
        rejects("# escape=\\\n# ESCAPE=\\\nFROM x\nCMD [\"a\"]\n", "Dockerfile line 2", "repeats the escape directive");
        // After a comment, # escape= is a comment too.
        assert_eq!(problems("# hello\n# escape=/\nFROM x\nCMD [\"a\"]\n"), Vec::<String>::new());
        // A continuation at the very end of the file ends the instruction.
        assert_eq!(problems("FROM x\nCMD [\"a\"]\nRUN true \\\n"), Vec::<String>::new());
    }

    #[test]
    fn heredocs_must_end() {
        rejects("FROM x\nCMD [\"a\"]\nRUN <<EOF\necho hi\n", "Dockerfile line 3", "<<EOF never ends");
        // A shift is no heredoc: the CMD after it is still read.
        assert_eq!(problems("FROM x\nRUN echo $((1<<2))\nCMD [\"a\"]\n"), Vec::<String>::new());
        assert_eq!(problems("FROM x\nRUN cat <<A <<B\na\nA\nb\nB\nCMD [\"a\"]\n"), Vec::<String>::new());
    }

    #[test]
    fn hostile_text_never_panics() {
        let nasty = "\u{0}\u{1b}[2J\\\n`\n<<\n<<-\n#\n[\"\n\u{202e}FROM é🦀\n\r\r\n".repeat(2_000);
        for text in [nasty.as_str(), "\\", "`", "\n\n\n", "<<EOF", "FROM x\nRUN <<", "\u{feff}"] {
            for invalid in validate_dockerfile(text) {
                let shown = invalid.to_string();
                assert!(!shown.chars().any(|c| c.is_control() || c == '\u{202e}'), "{shown:?}");
            }
        }
    }
}
