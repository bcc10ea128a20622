//! The facts under the panes, read from the service config as it stands (saved, or being
//! typed), each with where it came from: what ferry found, or the operator's edit.

use ratatui::text::{Line, Span};

use crate::generate::{scaling, task_size, wants_public};
use crate::migration::Migration;
use crate::model::ExpressServiceConfig;
use crate::tui::theme;
use crate::tui::widgets::safe;

/// Three lines: port and health check, task size and exposure, task counts. `typed` says the
/// config is the editor's text, not yet saved.
pub fn lines(config: &ExpressServiceConfig, migration: &Migration, typed: bool) -> Vec<Line<'static>> {
    let profile = &migration.profile;
    let size = task_size(&migration.graph.instance.instance_type);
    let scaling = scaling(&migration.graph);
    let exposure = if wants_public(&migration.graph) {
        "public ← internet-facing ALB"
    } else {
        "private ← internal or no ALB"
    };
    let from = |found: bool, source: String, generated: String| {
        let text = if found { format!("← {source}") } else { format!("← edited (ferry found {generated})") };
        Span::styled(text, if found { theme::dim() } else { theme::warn() })
    };
    let port = config.primary_container.container_port;
    let (cpu, memory) = (config.cpu.as_str(), config.memory.as_str());
    let (min, max) = (config.scaling_target.min_task_count, config.scaling_target.max_task_count);
    let generated_size = (size.cpu.to_string(), size.memory.to_string());
    let as_found = (min, max) == (scaling.target.min_task_count, scaling.target.max_task_count);
    let mut first = vec![
        Span::raw(format!("port {port} ")),
        from(port == profile.port, safe(&profile.port_source), profile.port.to_string()),
        Span::raw(format!(" · health {} ", safe(&config.health_check_path))),
        from(
            config.health_check_path == profile.health_check_path,
            safe(&profile.health_source),
            safe(&profile.health_check_path),
        ),
    ];
    if typed {
        first.push(Span::styled("  · unsaved", theme::warn()));
    }
    vec![
        Line::from(first),
        Line::from(vec![
            Span::raw(format!("cpu {} / mem {} ", safe(cpu), safe(memory))),
            from(
                (cpu, memory) == (generated_size.0.as_str(), generated_size.1.as_str()),
                safe(&migration.graph.instance.instance_type),
                format!("{} / {}", size.cpu, size.memory),
            ),
            Span::raw(format!(" · {exposure}")),
            Span::styled("  · ${…} values are filled in at apply time", theme::dim()),
        ]),
        Line::from(vec![
            Span::raw(format!("tasks {min}–{max} ")),
            from(
                as_found,
                safe(&scaling.reason),
                format!("{}–{}", scaling.target.min_task_count, scaling.target.max_task_count),
            ),
        ]),
    ]
}
