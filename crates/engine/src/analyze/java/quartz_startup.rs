//! Quartz jobs loaded into an in-memory job store when the app starts: a `@PostConstruct`
//! method that reads the jobs (from the database, a list) and schedules each on the Quartz
//! `Scheduler`. Every copy of the app does this, so every task runs every job. A clustered
//! JDBC job store, where the copies share the jobs and take turns, is the exception.

use super::CODE;
use super::spring_config::SpringConfig;
use crate::analyze::app_files::AppFiles;
use crate::model::Finding;

/// Calls that put a job on a scheduler.
const SCHEDULES: [&str; 3] = ["scheduleJob(", "createScheduleJob(", "addJob("];

/// The blocker, at the `@PostConstruct` method that schedules the jobs, unless the job store
/// is clustered.
pub(super) fn jobs_loaded_at_start(files: &AppFiles, config: &SpringConfig) -> Option<Finding> {
    if clustered(files, config) {
        return None;
    }
    for (path, text) in files.with_extensions(&CODE) {
        if crate::analyze::source::is_test_path(path) || !text.contains("org.quartz") {
            continue;
        }
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            if !line.trim_start().starts_with("@PostConstruct") {
                continue;
            }
            let body = &lines[index..lines.len().min(index + 20)];
            let end = body.iter().skip(2).position(|l| l.trim_start().starts_with('@')).map_or(body.len(), |at| at + 2);
            if body[..end].iter().any(|l| !is_comment(l) && SCHEDULES.iter().any(|call| l.contains(call))) {
                return Some(Finding::blocker(
                    "scheduler",
                    "schedules every Quartz job at start in an in-memory job store: each task runs every job; \
                     use a clustered JDBC job store (org.quartz.jobStore.isClustered=true) or run one task",
                    format!("{path}:{}", index + 1),
                ));
            }
        }
    }
    None
}

/// A clustered job store, in Spring's settings or in code that is not commented out.
fn clustered(files: &AppFiles, config: &SpringConfig) -> bool {
    let in_config = config.entries.iter().any(|e| e.key.ends_with("isClustered") && e.value.trim() == "true");
    in_config
        || crate::analyze::source::code_lines(files, &CODE)
            .any(|(_, line)| !is_comment(line) && line.contains("isClustered") && line.contains("true"))
}

fn is_comment(line: &str) -> bool {
    let code = line.trim_start();
    code.starts_with("//") || code.starts_with('*') || code.starts_with("/*")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVICE: &str = "import org.quartz.Scheduler;\n\n@Service\npublic class Jobs {\n    @PostConstruct\n    public void init() throws Exception {\n        for (Task task : tasks.all()) {\n            scheduler.scheduleJob(detail(task), trigger(task));\n        }\n    }\n}\n";

    #[test]
    fn jobs_scheduled_at_start_unless_the_store_is_clustered() {
        let files = AppFiles::from_pairs([("src/main/java/app/Jobs.java", SERVICE)]);
        let found = jobs_loaded_at_start(&files, &SpringConfig::read(&files)).expect("a blocker");
        assert_eq!(found.source, "src/main/java/app/Jobs.java:5");
        let config = "spring:\n  quartz:\n    properties:\n      org.quartz.jobStore.isClustered: true\n";
        let files = AppFiles::from_pairs([
            ("src/main/java/app/Jobs.java", SERVICE),
            ("src/main/resources/application.yml", config),
        ]);
        assert!(jobs_loaded_at_start(&files, &SpringConfig::read(&files)).is_none());
    }
}
