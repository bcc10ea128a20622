//! Log files a Node.js app writes on its own disk: a log4js `file` appender, winston's `File`
//! and daily-rotate transports, pino's file destination, a bunyan stream with a `path`, an
//! access log opened with `fs.createWriteStream('access.log')`. In a task that file is lost
//! when it stops, and whatever goes only there never reaches CloudWatch.

use super::app_files::AppFiles;
use super::readiness;
use super::source::is_test_path;
use super::variables::scope_of;
use crate::model::{Finding, VariableScope};

const EXTENSIONS: [&str; 6] = ["js", "mjs", "cjs", "ts", "mts", "cts"];

/// How far below a file appender's type its file name may be.
const OPTIONS_SPAN: usize = 6;

/// The first line of each running file that sets up a log file.
pub fn findings(files: &AppFiles) -> Vec<Finding> {
    let running = |path: &str| !is_test_path(path) && scope_of(path) == VariableScope::Runtime;
    files
        .with_extensions(&EXTENSIONS)
        .filter(|(path, _)| running(path))
        .filter_map(|(path, text)| {
            let lines: Vec<&str> = text.lines().collect();
            // Which loggers the file uses, once: asked on every line, a big bundle's search
            // would grow with the square of its size.
            let uses = Loggers { log4js: text.contains("log4js"), bunyan: text.contains("bunyan") };
            let index = (0..lines.len()).find(|&index| writes_log_file(uses, &lines, index))?;
            Some(readiness::log_file(format!("{path}:{}", index + 1)))
        })
        .collect()
}

/// The loggers a file names, which decide what its options mean.
#[derive(Clone, Copy)]
struct Loggers {
    log4js: bool,
    bunyan: bool,
}

fn writes_log_file(uses: Loggers, lines: &[&str], index: usize) -> bool {
    let line = lines[index].trim_start();
    if line.starts_with("//") || line.starts_with('*') {
        return false;
    }
    let below = || lines[index..lines.len().min(index + OPTIONS_SPAN)].join("\n");
    let log4js = uses.log4js
        && ["type: 'file'", "type: \"file\"", "type: 'dateFile'", "type: \"dateFile\"", "type: 'fileSync'"]
            .iter()
            .any(|t| line.contains(t))
        && below().contains("filename");
    let winston =
        ["transports.File(", "transports.DailyRotateFile(", "new DailyRotateFile("].iter().any(|t| line.contains(t));
    let pino = line.contains("pino.destination(")
        && quoted_path(line.split_once("pino.destination(").map_or("", |(_, r)| r))
        || line.contains("'pino/file'")
            && below().contains("destination:")
            && quoted_path(&below_after(&below(), "destination:"));
    let bunyan = uses.bunyan && line.starts_with("path:") && quoted_path(&line["path:".len()..]);
    let stream = line.contains("createWriteStream(")
        && log_file_name(line.split_once("createWriteStream(").map_or("", |(_, r)| r));
    log4js || winston || pino || bunyan || stream
}

fn below_after(text: &str, key: &str) -> String {
    text.split_once(key).map_or(String::new(), |(_, rest)| rest.to_string())
}

/// Whether the value starts with a quoted path (not a file descriptor such as `1`).
fn quoted_path(value: &str) -> bool {
    value.trim_start().starts_with(['\'', '"', '`'])
}

/// Whether the call's arguments name a `.log` file before the call closes.
fn log_file_name(arguments: &str) -> bool {
    let call = arguments.split(')').next().unwrap_or_default();
    call.contains(".log'") || call.contains(".log\"") || call.contains(".log`")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(pairs: &[(&str, &str)]) -> Vec<String> {
        findings(&AppFiles::from_pairs(pairs.iter().copied())).into_iter().map(|f| f.source).collect()
    }

    #[test]
    fn log_files_of_the_common_loggers() {
        let log4js = "import log4js from 'log4js';\nlog4js.configure({\n  appenders: {\n    file: {\n      type: \"file\",\n      filename: \"logs/main.log\",\n    },\n  },\n});\n";
        let winston = "const winston = require('winston');\nmodule.exports = winston.createLogger({\n  transports: [new winston.transports.File({ filename: 'error.log' })],\n});\n";
        let morgan = "app.use(morgan('combined', { stream: fs.createWriteStream(path.join(__dirname, 'access.log'), { flags: 'a' }) }));\n";
        let pino = "const logger = pino(pino.destination('./logs/app.log'));\n";
        assert_eq!(
            sources(&[
                ("src/logs/log.ts", log4js),
                ("lib/logger.js", winston),
                ("app.js", morgan),
                ("src/pino.js", pino),
            ]),
            ["app.js:1", "lib/logger.js:3", "src/logs/log.ts:5", "src/pino.js:1"]
        );
    }

    #[test]
    fn standard_output_and_uploads_are_not_log_files() {
        let stdout = "log4js.configure({ appenders: { out: { type: 'stdout' } } });\nconst logger = pino(pino.destination(1));\n";
        let upload = "file.pipe(fs.createWriteStream(path.join(dir, name)));\n";
        let tooling = "new winston.transports.File({ filename: 'seed.log' })\n";
        assert!(sources(&[("src/log.js", stdout), ("src/store.js", upload), ("scripts/seed.js", tooling)]).is_empty());
    }
}
