//! Source: which instance to migrate, and why ferry thinks it is the app.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState, Wrap};

use super::{Context, Onward, Reply, Screen};
use crate::model::Instance;
use crate::tui::actions::{Action, Keymap};
use crate::tui::app::Loadable;
use crate::tui::keymap::{Hint, act, moves, of};
use crate::tui::theme;
use crate::tui::widgets::{FilteredList, Scroll, panel, safe, spinner, truncate};

/// The Source step: the account's instances, filtered, and the chosen one's details.
#[derive(Debug, Clone, Default)]
pub struct Source {
    pub list: FilteredList,
    /// How far the selected instance's details are scrolled (`J`/`K`).
    pub details: Scroll,
}

/// What the instance runs, in a word or two (`node 20`), as read from its user data; `—` when
/// ferry recognises no runtime there, `…` while it is read, or why it cannot be.
fn runtime(ctx: &Context, instance: &Instance) -> String {
    ctx.glances.get(&instance.id).map_or("—".to_string(), |g| g.column())
}

/// What fronts the instance, in a word: the host name people type (`shop.example.com`), else
/// the load balancer's name; `—` when nothing routes to it, `…` while the account is read, and
/// `unread` when the load balancers or their targets could not be.
fn front(ctx: &Context, instance: &Instance) -> String {
    let fronts = match ctx.fronts {
        Loadable::Ready(fronts) => fronts,
        Loadable::Failed(_) => return "unread".into(),
        _ => return "…".into(),
    };
    match fronts.by_instance.get(&instance.id).and_then(|f| f.headline()) {
        Some(headline) => headline.to_string(),
        None if fronts.routes_unread => "unread".into(),
        None => "—".into(),
    }
}

fn row_text(ctx: &Context, instance: &Instance) -> String {
    let runs = runtime(ctx, instance);
    let behind = front(ctx, instance);
    format!("{} {} {} {} {runs} {behind}", instance.display_name(), instance.id, instance.instance_type, instance.state)
}

impl Source {
    /// The instances passing the filter, in account order.
    pub fn visible<'a>(&self, ctx: &Context<'a>) -> Vec<&'a Instance> {
        let Some(instances) = ctx.instances.ready() else {
            return Vec::new();
        };
        instances.iter().filter(|i| self.list.matches(&row_text(ctx, i))).collect()
    }

    /// The instance under the cursor.
    pub fn selected_instance<'a>(&self, ctx: &Context<'a>) -> Option<&'a Instance> {
        let visible = self.visible(ctx);
        let index = self.list.selected_in(visible.len())?;
        visible.get(index).copied()
    }
}

impl Screen for Source {
    fn title(&self) -> &'static str {
        "Source"
    }

    fn purpose(&self, _keymap: &Keymap) -> String {
        "Choose the instance to move; its details and masked user data are on the right.".into()
    }

    fn hints(&self, ctx: &Context) -> Vec<Hint> {
        let keymap = ctx.keymap;
        let mut keys = vec![
            act(keymap, Action::Next, "discover this instance"),
            moves(keymap, "move"),
            of(keymap, Action::Filter),
        ];
        keys.extend(super::second_pane_hint(keymap, &self.details, "scroll details"));
        keys
    }

    fn is_typing(&self) -> bool {
        self.list.editing
    }

    fn clear_filter(&mut self) -> bool {
        self.list.clear_filter()
    }

    fn handle_key(&mut self, ctx: &Context, key: KeyEvent) -> Reply {
        if !self.list.editing && super::scroll_second_pane(ctx.keymap, &key, &mut self.details) {
            return Reply::Done;
        }
        let len = self.visible(ctx).len();
        if self.list.handle_key(ctx.keymap, key, len) {
            self.details.reset();
        }
        Reply::Done
    }

    fn onward(&self, ctx: &Context) -> Onward {
        match self.selected_instance(ctx) {
            Some(instance) => Onward::Discover(instance.id.clone()),
            None => Onward::Stay(None),
        }
    }

    fn is_done(&self, _ctx: &Context, passed: bool) -> bool {
        passed
    }

    fn render(&self, ctx: &Context, frame: &mut Frame, area: Rect) {
        render(self, ctx, frame, area)
    }
}

/// The Behind column: room for a short host name; a longer one is cut with `…` (the details
/// give it whole).
const BEHIND_WIDTH: u16 = 16;
/// An instance id (`i-` and 17 hex digits), whole.
const ID_WIDTH: u16 = 19;
/// `python 3.12`, whole.
const RUNS_WIDTH: u16 = 11;
/// `running`, `stopped`.
const STATE_WIDTH: u16 = 7;

fn render(screen: &Source, app: &Context, frame: &mut Frame, area: Rect) {
    // The table needs about 80 columns to show whole instance ids and what fronts them. Beside
    // it, the details need about 34 more to show ids and user data unbroken; a narrower
    // terminal puts them below.
    let [list_area, detail_area] = if area.width >= 112 {
        let list_width = (area.width * 55 / 100).max(80).min(area.width);
        Layout::horizontal([Constraint::Length(list_width), Constraint::Min(0)]).areas(area)
    } else {
        let rows = app.instances.ready().map_or(0, Vec::len) as u16;
        let list_height = (rows + 3).min(area.height / 2).max(5.min(area.height));
        Layout::vertical([Constraint::Length(list_height), Constraint::Min(0)]).areas(area)
    };
    let instances = match &app.instances {
        Loadable::Ready(_) => screen.visible(app),
        Loadable::Failed(error) => {
            let text = vec![Line::styled("Cannot list instances", theme::error()), Line::from(safe(error))];
            frame.render_widget(
                Paragraph::new(text).block(panel(" Instances ".into(), true)).wrap(Wrap { trim: false }),
                area,
            );
            return;
        }
        _ => {
            let text = Line::from(vec![spinner(app.ticks), " listing instances…".into()]);
            frame.render_widget(Paragraph::new(text).block(panel(" Instances ".into(), true)), area);
            return;
        }
    };
    let total = app.instances.ready().map_or(0, Vec::len);
    let title = format!(" Instances ({}/{total}){} ", instances.len(), screen.list.title_suffix());
    // The name takes what the other columns leave: borders, the `› ` marker, the fixed
    // columns and a space between each; its `● ` is part of it. A longer name is cut with `…`.
    let fixed: u16 = ID_WIDTH + RUNS_WIDTH + BEHIND_WIDTH + STATE_WIDTH + 4;
    let name_width = list_area.width.saturating_sub(2 + 2 + fixed).saturating_sub(2) as usize;
    let rows = instances.iter().map(|i| {
        let state_style = if i.state == "running" { theme::ok() } else { theme::dim() };
        // What an instance runs is what decides whether it moves: it gets a column; the type is
        // in the details.
        let runs = runtime(app, i);
        let runs_style = if runs == "—" { theme::dim() } else { theme::bold() };
        let behind = front(app, i);
        let behind_style = if behind == "—" || behind == "…" { theme::dim() } else { theme::bold() };
        Row::new(vec![
            Line::from(vec![Span::styled("● ", state_style), Span::raw(truncate(&safe(i.display_name()), name_width))]),
            Line::from(i.id.clone()),
            Line::styled(truncate(&safe(&runs), RUNS_WIDTH as usize), runs_style),
            Line::styled(truncate(&safe(&behind), BEHIND_WIDTH as usize), behind_style),
            Line::styled(safe(&i.state), state_style),
        ])
    });
    let widths = [
        Constraint::Min(14),
        Constraint::Length(ID_WIDTH),
        Constraint::Length(RUNS_WIDTH),
        Constraint::Length(BEHIND_WIDTH),
        Constraint::Length(STATE_WIDTH),
    ];
    let table = Table::new(rows, widths)
        .header(Row::new(vec!["  Name", "Id", "Runs", "Behind", "State"]).style(theme::header_row()))
        .row_highlight_style(theme::selected())
        .highlight_symbol("› ")
        .block(panel(title, true));
    let mut state = TableState::default().with_selected(screen.list.selected_in(instances.len()));
    frame.render_stateful_widget(table, list_area, &mut state);

    let selected = screen.selected_instance(app);
    let detail = selected.map(|i| details(app, i, detail_area.width.saturating_sub(4) as usize));
    let title = selected.map_or(" Details ".to_string(), |i| format!(" {} ", safe(i.display_name())));
    let body = match detail {
        Some(lines) => Paragraph::new(lines),
        None => Paragraph::new("No instance matches the filter."),
    };
    screen.details.render(body.wrap(Wrap { trim: false }), panel(title, false), frame, detail_area);
}

fn details(app: &Context, instance: &Instance, width: usize) -> Vec<Line<'static>> {
    // One fact a line, so a narrow pane wraps nothing in the middle of an id.
    let groups = instance.security_group_ids.iter().map(|g| safe(g)).collect::<Vec<_>>().join(", ");
    let profile = instance.instance_profile_arn.as_deref().and_then(|a| a.rsplit('/').next()).map_or("—".into(), safe);
    let mut lines = vec![
        Line::from(format!("{}  {}", instance.id, safe(&instance.instance_type))),
        Line::from(format!("zone     {}", safe(&instance.availability_zone))),
        Line::from(format!("subnet   {}", safe(&instance.subnet_id))),
        Line::from(format!("groups   {groups}")),
        Line::from(format!("private  {}", instance.private_ip.as_deref().map_or("—".into(), safe))),
        Line::from(format!("public   {}", instance.public_ip.as_deref().map_or("—".into(), safe))),
        Line::from(format!("profile  {profile}")),
    ];
    // Under the id: what it runs and what fronts it, the facts that decide whether it moves.
    let mut top = behind_lines(app, instance);
    if let Some(super::super::glances::Glimpse::Unread(why)) = app.glances.get(&instance.id) {
        top.insert(0, Line::styled(format!("runs     not read ({})", safe(why)), theme::warn()));
    }
    if let Some(glance) = app.glances.get(&instance.id).and_then(|g| g.glance()) {
        top.insert(0, Line::styled(format!("runs     {}", safe(&glance.runs)), theme::bold()));
        if let Some(port) = glance.port {
            top.insert(1, Line::styled(format!("port     {port}"), theme::bold()));
        }
    }
    lines.splice(1..1, top);
    if let Some(group) = instance.auto_scaling_group() {
        lines.push(Line::styled(format!("in Auto Scaling group {}", safe(group)), theme::warn()));
    }
    if app.preferred_instance == Some(instance.id.as_str()) {
        lines.push(Line::styled("the scenario's application instance", theme::ok()));
    }
    let tags: Vec<String> = instance
        .tags
        .iter()
        .filter(|(k, _)| k.as_str() != "Name")
        .map(|(k, v)| format!("{}={}", safe(k), safe(v)))
        .collect();
    if !tags.is_empty() {
        lines.push(Line::from(format!("tags {}", tags.join(" "))));
    }
    lines.push(Line::from(""));
    match &instance.user_data {
        Some(user_data) => {
            let count = user_data.lines().count();
            let masked = user_data.matches(crate::userdata::MASK).count();
            lines.push(Line::styled(format!("user data, {count} lines ({masked} masked)"), theme::bold()));
            lines.extend(
                user_data
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| Line::from(format!("  {}", truncate(&safe(l), width.saturating_sub(2))))),
            );
        }
        None => {
            let next = app.keymap.label(Action::Next);
            lines.push(Line::styled(
                format!("user data: {next} discovers the instance and shows it, masked"),
                theme::dim(),
            ));
        }
    }
    lines
}

/// The details' lines on what fronts the instance: its load balancers and host names.
fn behind_lines(app: &Context, instance: &Instance) -> Vec<Line<'static>> {
    let Some(front) = app.fronts.ready().and_then(|f| f.by_instance.get(&instance.id)) else {
        return Vec::new();
    };
    let mut lines = vec![Line::styled(format!("behind   {}", safe(&front.balancers.join(", "))), theme::bold())];
    lines.extend(front.hostnames.iter().map(|h| Line::from(format!("         {}", safe(h)))));
    lines
}
