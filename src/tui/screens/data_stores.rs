//! Data stores: everything the app talks to, each edge with its evidence.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Row, Table, TableState, Wrap};

use super::{Context, Reply, Screen, migration_or_placeholder};
use crate::migration::Migration;
use crate::model::{DataStoreEdge, EvidenceKind};
use crate::plan::Action;
use crate::tui::actions::{self, Keymap};
use crate::tui::keymap::{Hint, moves, of};
use crate::tui::theme;
use crate::tui::widgets::{FilteredList, Scroll, evidence_line, panel, safe, truncate};

/// The Data stores step: what the app talks to, filtered.
#[derive(Debug, Clone, Default)]
pub struct DataStores {
    pub list: FilteredList,
    /// How far the selected store's evidence is scrolled (`J`/`K`).
    pub evidence: Scroll,
}

fn visible<'a>(screen: &DataStores, migration: &'a Migration) -> Vec<&'a DataStoreEdge> {
    migration
        .graph
        .data_stores
        .iter()
        .filter(|d| screen.list.matches(&format!("{} {} {}", d.kind.label(), d.name, d.engine)))
        .collect()
}

impl Screen for DataStores {
    fn title(&self) -> &'static str {
        "Data stores"
    }

    fn short_title(&self) -> &'static str {
        "Data"
    }

    fn purpose(&self, _keymap: &Keymap) -> String {
        "What the app talks to, each with the evidence that found it.".into()
    }

    fn hints(&self, ctx: &Context) -> Vec<Hint> {
        let keymap = ctx.keymap;
        let [next, back, filter] = [actions::Action::Next, actions::Action::Back, actions::Action::Filter];
        let mut keys = vec![of(keymap, next), of(keymap, back), moves(keymap, "move"), of(keymap, filter)];
        keys.extend(super::second_pane_hint(keymap, &self.evidence, "scroll evidence"));
        keys
    }

    fn is_typing(&self) -> bool {
        self.list.editing
    }

    fn clear_filter(&mut self) -> bool {
        self.list.clear_filter()
    }

    fn handle_key(&mut self, ctx: &Context, key: KeyEvent) -> Reply {
        if !self.list.editing && super::scroll_second_pane(ctx.keymap, &key, &mut self.evidence) {
            return Reply::Done;
        }
        let len = ctx.migration().map_or(0, |m| visible(self, m).len());
        if self.list.handle_key(ctx.keymap, key, len) {
            self.evidence.reset();
        }
        Reply::Done
    }

    fn render(&self, ctx: &Context, frame: &mut Frame, area: Rect) {
        if let Some(migration) = migration_or_placeholder(ctx, self.title(), frame, area) {
            render(self, migration, frame, area);
        }
    }
}

fn render(screen: &DataStores, migration: &Migration, frame: &mut Frame, area: Rect) {
    let stores = visible(screen, migration);
    let [table_area, detail_area] = Layout::vertical([Constraint::Min(6), Constraint::Length(9)]).areas(area);
    // The columns' widths are worked out here, so each cell cut to its column says so with `…`.
    let inner = table_area.width.saturating_sub(4);
    let constraints = [
        Constraint::Length(11),
        Constraint::Length(26),
        Constraint::Length(13),
        Constraint::Length(5),
        Constraint::Min(20),
    ];
    let widths: Vec<u16> =
        Layout::horizontal(constraints).spacing(1).split(Rect::new(0, 0, inner, 1)).iter().map(|r| r.width).collect();
    let rows = stores.iter().map(|d| {
        let cells = [
            d.kind.label().to_string(),
            safe(&d.name),
            if d.engine.is_empty() { "—".into() } else { safe(&d.engine) },
            d.port.map_or("—".into(), |p| p.to_string()),
            evidence_summary(d),
        ];
        Row::new(cells.into_iter().zip(&widths).map(|(cell, width)| truncate(&cell, usize::from(*width))))
    });
    let title = format!(
        " What {} depends on ({}){} ",
        safe(migration.graph.instance.display_name()),
        stores.len(),
        screen.list.title_suffix()
    );
    let table = Table::new(rows, widths.iter().map(|w| Constraint::Length(*w)))
        .header(Row::new(vec!["Kind", "Name", "Engine", "Port", "Evidence"]).style(theme::header_row()))
        .row_highlight_style(theme::selected())
        .highlight_symbol("› ")
        .block(panel(title, true));
    let selected = screen.list.selected_in(stores.len());
    frame.render_stateful_widget(table, table_area, &mut TableState::default().with_selected(selected));

    let mut lines = Vec::new();
    if let Some(store) = selected.and_then(|i| stores.get(i)) {
        let place = store.endpoint.as_deref().map_or_else(|| store.arn.clone(), safe);
        lines.push(Line::styled(format!("{} {} · {place}", store.kind.label(), safe(&store.name)), theme::bold()));
        lines.extend(store.evidence.iter().map(evidence_line));
        let access = migration.plan.steps.iter().find_map(|s| match &s.action {
            Action::AuthorizeIngress { group_id, port, .. } if store.security_group_ids.contains(group_id) => {
                Some(format!("the plan lets the service's tasks in: {group_id} admits them on {port}"))
            }
            _ => None,
        });
        let access = access.unwrap_or_else(|| match store.kind {
            crate::model::DataStoreKind::S3 => {
                "reached through the task role's copy of the instance role's policies".into()
            }
            _ => "no network change planned".into(),
        });
        lines.push(Line::from(format!("  → {access}")));
    }
    for unseen in &migration.graph.unseen {
        lines.push(Line::styled(
            format!("⚠ could not see {}: {}", safe(&unseen.what), safe(&unseen.reason)),
            theme::warn(),
        ));
    }
    let pane = panel(" Evidence ".into(), false);
    screen.evidence.render(Paragraph::new(lines).wrap(Wrap { trim: false }), pane, frame, detail_area);
}

/// A few words per kind of evidence: the full sentences are in the pane below.
fn evidence_summary(store: &DataStoreEdge) -> String {
    let mut words: Vec<String> = Vec::new();
    for evidence in &store.evidence {
        let word = match evidence.kind {
            EvidenceKind::SecurityGroupRule => "security group rule".to_string(),
            EvidenceKind::EnvironmentHost => {
                format!("{} in user data", safe(evidence.text.split(' ').next().unwrap_or("")))
            }
            EvidenceKind::PolicyResource => "role policy".to_string(),
            _ => safe(&evidence.text),
        };
        if !words.contains(&word) {
            words.push(word);
        }
    }
    words.join(" · ")
}
