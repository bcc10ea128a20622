//! Programs that wrap the real command of a container: an init that reaps zombies and forwards
//! signals (tini, dumb-init, catatonit, s6-overlay's `/init`) and a user switch (gosu,
//! su-exec). ferry's image has none of them (ECS runs one process per task, as a non-root
//! user): the command is what they run, never their own flags.

/// Inits that run the words after their options (after `--` when they say it).
const INITS: [&str; 6] = ["tini", "tini-static", "dumb-init", "catatonit", "docker-init", "init"];
/// Init options that take a value (`tini -p SIGTERM`, `tini -e 143`, `dumb-init -r 15:2`).
const VALUED_OPTIONS: [&str; 4] = ["-p", "-e", "-r", "--rewrite"];
/// Programs that run the words after a user name (`gosu app:app node server.js`).
const USER_SWITCHES: [&str; 3] = ["gosu", "su-exec", "s6-setuidgid"];

/// `command` without the init and user-switch programs in front of it; `wrapped` says whether
/// there were any.
pub fn unwrap(command: &[String]) -> (Vec<String>, bool) {
    let mut rest = command;
    let mut wrapped = false;
    while let Some(program) = rest.first() {
        let name = program.rsplit('/').next().unwrap_or(program);
        // `init` alone is any program's name: only s6-overlay's `/init` is the init.
        let is_init = INITS.contains(&name) && (name != "init" || program == "/init");
        if is_init {
            rest = after_options(&rest[1..]);
        } else if USER_SWITCHES.contains(&name) && rest.len() > 2 {
            rest = &rest[2..];
        } else {
            break;
        }
        wrapped = true;
    }
    (rest.to_vec(), wrapped)
}

/// The words after an init's options: after its `--` when it has one, else after the words
/// that start with `-` (and the values of the options that take one).
fn after_options(words: &[String]) -> &[String] {
    if let Some(end) = words.iter().position(|w| w == "--") {
        return &words[end + 1..];
    }
    let mut at = 0;
    while let Some(word) = words.get(at).filter(|w| w.starts_with('-')) {
        at += if VALUED_OPTIONS.contains(&word.as_str()) { 2 } else { 1 };
    }
    words.get(at..).unwrap_or(&[])
}

/// Whether a shell statement switches to another user to run its command.
pub fn switches_user(statement: &str) -> bool {
    statement.split_whitespace().any(|word| USER_SWITCHES.contains(&word.rsplit('/').next().unwrap_or(word)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn inits_and_user_switches_give_way_to_what_they_run() {
        assert_eq!(unwrap(&words("/usr/bin/tini -g -- ./entrypoint.sh")), (words("./entrypoint.sh"), true));
        assert_eq!(unwrap(&words("tini -s -p SIGTERM node app.js")).0, words("node app.js"));
        assert_eq!(unwrap(&words("dumb-init --single-child -- gosu app python3 main.py")).0, words("python3 main.py"));
        assert_eq!(unwrap(&words("/init")).0, Vec::<String>::new());
        assert_eq!(unwrap(&words("su-exec node:node node server.js")).0, words("node server.js"));
        assert_eq!(unwrap(&words("init.sh start")), (words("init.sh start"), false));
        assert_eq!(unwrap(&words("./init --fast")), (words("./init --fast"), false));
    }
}
