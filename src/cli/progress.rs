//! How a headless run looks while it works: a live bar per step on a terminal, one plain
//! line per event otherwise (CI logs, pipes), both on stderr so stdout stays for results.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use ferry::apply::ApplyEvent;
use ferry::plan::Plan;
use ferry::text::escape_controls as safe;

pub struct Progress {
    /// `N. verb target` of each step.
    labels: Vec<String>,
    live: Option<Live>,
}

struct Live {
    bars: MultiProgress,
    running: Mutex<BTreeMap<usize, ProgressBar>>,
}

impl Progress {
    pub fn new(plan: &Plan, terminal: bool) -> Progress {
        let width = plan.steps.len().to_string().len();
        let labels = plan
            .steps
            .iter()
            .enumerate()
            .map(|(index, step)| {
                format!("{:>width$}. {} {}", index + 1, step.action.verb(), safe(&step.action.target()))
            })
            .collect();
        let live = terminal.then(|| Live {
            bars: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
            running: Mutex::new(BTreeMap::new()),
        });
        Progress { labels, live }
    }

    fn label(&self, step: usize) -> &str {
        self.labels.get(step).map_or("?", String::as_str)
    }

    pub fn show(&self, event: &ApplyEvent) {
        match &self.live {
            Some(live) => self.show_live(live, event),
            None => {
                if let Some(line) = self.line(event) {
                    super::output::note!("{line}");
                }
            }
        }
    }

    /// One plain line for the event, or `None` for what needs no line.
    fn line(&self, event: &ApplyEvent) -> Option<String> {
        let seconds = |ms: &u64| format!("{:.1}s", *ms as f64 / 1000.0);
        Some(match event {
            ApplyEvent::RunStarted { .. } | ApplyEvent::RunFinished { .. } => return None,
            ApplyEvent::StepStarted { step } => format!("{} …", self.label(*step)),
            ApplyEvent::StepProgress { step, message } => format!("{}: {}", self.label(*step), safe(message)),
            ApplyEvent::StepDone { step, elapsed_ms, summary } => {
                format!("{} ✓ {} ({})", self.label(*step), safe(summary), seconds(elapsed_ms))
            }
            ApplyEvent::StepFailed { step, elapsed_ms, error } => {
                format!("{} ✗ {} ({})", self.label(*step), safe(error), seconds(elapsed_ms))
            }
            ApplyEvent::StepAlreadyDone { step, summary } => {
                format!("{} ✓ done by an earlier process: {}", self.label(*step), safe(summary))
            }
            ApplyEvent::StepReconciled { step, note, .. } => {
                format!("{}: looked up: {}", self.label(*step), safe(note))
            }
            ApplyEvent::StepCompensated { step, action, error, .. } => {
                let what = format!("{} {}", action.verb(), safe(&action.target()));
                match error {
                    None => format!("{} ↺ {what}", self.label(*step)),
                    Some(error) => format!("{} ✗ {what}: {}", self.label(*step), safe(error)),
                }
            }
            ApplyEvent::RollbackStarted { steps } => format!("rolling back {steps} steps, last first"),
            ApplyEvent::UndoStarted { step } => format!("undo {} …", self.label(*step)),
            ApplyEvent::UndoDone { step, elapsed_ms } => {
                format!("undo {} ✓ ({})", self.label(*step), seconds(elapsed_ms))
            }
            ApplyEvent::UndoFailed { step, error } => format!("undo {} ✗ {}", self.label(*step), safe(error)),
            ApplyEvent::RollbackFinished { .. } => return None,
        })
    }

    fn show_live(&self, live: &Live, event: &ApplyEvent) {
        let mut running = live.running.lock().unwrap_or_else(|p| p.into_inner());
        match event {
            ApplyEvent::StepStarted { step } | ApplyEvent::UndoStarted { step } => {
                let bar = live.bars.add(ProgressBar::new_spinner());
                bar.set_style(
                    ProgressStyle::with_template("{spinner} {prefix} {elapsed:>4} {wide_msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                let undo = if matches!(event, ApplyEvent::UndoStarted { .. }) { "undo " } else { "" };
                bar.set_prefix(format!("{undo}{}", self.label(*step)));
                bar.enable_steady_tick(Duration::from_millis(120));
                running.insert(*step, bar);
            }
            ApplyEvent::StepProgress { step, message } => {
                if let Some(bar) = running.get(step) {
                    bar.set_message(safe(message));
                }
            }
            _ => {
                let step = match event {
                    ApplyEvent::StepDone { step, .. }
                    | ApplyEvent::StepFailed { step, .. }
                    | ApplyEvent::UndoDone { step, .. }
                    | ApplyEvent::UndoFailed { step, .. } => Some(*step),
                    _ => None,
                };
                let line = self.line(event);
                match (step.and_then(|s| running.remove(&s)), line) {
                    (Some(bar), Some(line)) => {
                        // The spinner gives way to a plain line that stays in the scrollback.
                        bar.finish_and_clear();
                        live.bars.remove(&bar);
                        let _ = live.bars.println(line);
                    }
                    (None, Some(line)) => {
                        let _ = live.bars.println(line);
                    }
                    (_, None) => {}
                }
            }
        }
    }

    pub fn finish(&self) {
        if let Some(live) = &self.live {
            for (_, bar) in std::mem::take(&mut *live.running.lock().unwrap_or_else(|p| p.into_inner())) {
                bar.finish_and_clear();
            }
        }
    }
}
