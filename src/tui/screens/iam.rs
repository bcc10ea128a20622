//! IAM: the instance's role and policies, and what the task role will carry.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};

use super::{Context, Reply, Screen, migration_or_placeholder};
use crate::migration::Migration;
use crate::model::Policy;
use crate::plan::{Action, HOST_ONLY_POLICIES};
use crate::tui::actions::{self, Keymap};
use crate::tui::keymap::{Hint, moves, of};
use crate::tui::theme;
use crate::tui::widgets::{Scroll, evidence_line, panel, safe, truncate};

/// The IAM step: the role's policies, one selected to read.
#[derive(Debug, Clone, Default)]
pub struct Iam {
    pub selected: usize,
    /// How far the selected policy's document is scrolled (`J`/`K`).
    pub document: Scroll,
}

fn policies(migration: &Migration) -> &[Policy] {
    migration.graph.role.as_ref().map_or(&[], |r| r.role.policies.as_slice())
}

impl Screen for Iam {
    fn title(&self) -> &'static str {
        "IAM"
    }

    fn purpose(&self, _keymap: &Keymap) -> String {
        "The instance's role and policies, and what the task role will carry.".into()
    }

    fn hints(&self, ctx: &Context) -> Vec<Hint> {
        let keymap = ctx.keymap;
        let mut keys =
            vec![of(keymap, actions::Action::Next), of(keymap, actions::Action::Back), moves(keymap, "move")];
        keys.extend(super::second_pane_hint(keymap, &self.document, "scroll document"));
        keys
    }

    fn reset(&mut self) {
        *self = Iam::default();
    }

    fn handle_key(&mut self, ctx: &Context, key: KeyEvent) -> Reply {
        let len = ctx.migration().map_or(0, |m| policies(m).len());
        let last = len.saturating_sub(1);
        let before = self.selected;
        if super::scroll_second_pane(ctx.keymap, &key, &mut self.document) {
            return Reply::Done;
        }
        if ctx.keymap.is(actions::Action::MoveUp, &key) {
            self.selected = self.selected.min(last).saturating_sub(1);
        } else if ctx.keymap.is(actions::Action::MoveDown, &key) {
            self.selected = (self.selected + 1).min(last);
        }
        if self.selected != before {
            self.document.reset();
        }
        Reply::Done
    }

    fn render(&self, ctx: &Context, frame: &mut Frame, area: Rect) {
        if let Some(migration) = migration_or_placeholder(ctx, self.title(), frame, area) {
            render(self, migration, frame, area);
        }
    }
}

fn render(screen: &Iam, migration: &Migration, frame: &mut Frame, area: Rect) {
    let Some(edge) = &migration.graph.role else {
        let text = "The instance has no instance profile: the task runs without a task role.";
        frame.render_widget(Paragraph::new(text).block(panel(" IAM ".into(), true)), area);
        return;
    };
    let [top, bottom] = Layout::vertical([Constraint::Length(7), Constraint::Min(5)]).areas(area);

    let task_role = migration.plan.steps.iter().find_map(|s| match &s.action {
        Action::CreateRole { name, trusted_service, managed_policy_arns, inline_policies, .. }
            if *name == migration.artifacts.names.task_role =>
        {
            Some(format!(
                "  task role {} (trusts {trusted_service}) gets the policies: {} inline, {} managed",
                name,
                inline_policies.len(),
                managed_policy_arns.len()
            ))
        }
        _ => None,
    });
    let mut summary = vec![Line::from(format!(
        "role {} · instance profile {} · {} policies",
        safe(&edge.role.name),
        safe(&edge.instance_profile.name),
        edge.role.policies.len()
    ))];
    summary.extend(edge.evidence.iter().map(evidence_line));
    // The summary's own sentences are cut with `…` where the panel ends.
    let fit = |text: String| truncate(&text, usize::from(top.width.saturating_sub(2)));
    summary.extend(task_role.map(|line| Line::from(fit(line))));
    summary.extend(edge.role.policies.iter().filter(|p| HOST_ONLY_POLICIES.contains(&p.name.as_str())).map(|p| {
        Line::styled(fit(format!("  ⚠ {} stays with the instance: tasks do not need it", safe(&p.name))), theme::warn())
    }));
    frame.render_widget(Paragraph::new(summary).block(panel(format!(" Role {} ", safe(&edge.role.name)), false)), top);

    let [list_area, doc_area] =
        Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(bottom);
    // Names cut to the pane, with `…`, beside a kind column as wide as its longest label.
    let label_width = edge.role.policies.iter().map(|p| p.kind.label().chars().count()).max().unwrap_or(0);
    let name_width = usize::from(list_area.width.saturating_sub(4)).saturating_sub(label_width + 1);
    let items: Vec<ListItem> = edge
        .role
        .policies
        .iter()
        .map(|p| ListItem::new(format!("{:<label_width$} {}", p.kind.label(), truncate(&safe(&p.name), name_width))))
        .collect();
    let selected = screen.selected.min(items.len().saturating_sub(1));
    let list = List::new(items)
        .block(panel(" Policies ".into(), true))
        .highlight_style(theme::selected())
        .highlight_symbol("› ");
    frame.render_stateful_widget(list, list_area, &mut ListState::default().with_selected(Some(selected)));

    let policy = edge.role.policies.get(selected);
    let document = policy
        .and_then(|p| p.document.as_ref())
        .map(|d| serde_json::to_string_pretty(d).unwrap_or_default())
        .unwrap_or_else(|| "(document not visible)".into());
    let lines: Vec<Line> = document.lines().map(|l| Line::from(safe(l))).collect();
    let title = policy.map_or(" Document ".into(), |p| format!(" {} ", safe(&p.name)));
    screen.document.render(Paragraph::new(lines).wrap(Wrap { trim: false }), panel(title, false), frame, doc_area);
}
